"""User administration used by the CLI."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"]}


def ensure_sysadmin(name: str, email: str, password: str) -> bool:
    """Create or update a sysadmin account. Return True when it was created."""
    context = _site_context()
    try:
        user = tk.get_action("user_show")(context, {"id": name})
    except tk.ObjectNotFound:
        tk.get_action("user_create")(
            _site_context(),
            {"name": name, "email": email, "password": password, "sysadmin": True},
        )
        return True
    tk.get_action("user_patch")(
        _site_context(),
        {"id": user["id"], "email": email, "password": password, "sysadmin": True},
    )
    return False
