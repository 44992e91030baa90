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


def fresh_api_token(user: str, token_name: str) -> str:
    """Revoke the user's tokens called ``token_name`` and create a new one."""
    context = _site_context()
    for token in tk.get_action("api_token_list")(context, {"user_id": user}):
        if token["name"] == token_name:
            tk.get_action("api_token_revoke")(_site_context(), {"jti": token["id"]})
    created = tk.get_action("api_token_create")(_site_context(), {"user": user, "name": token_name})
    return created["token"]


def set_roles(user: str, roles: list[str]) -> dict:
    """Set the user's BDoM roles (``officer``, ``promotion``) as the site user."""
    return tk.get_action("bdom_user_roles_set")(_site_context(), {"id": user, "roles": roles})
