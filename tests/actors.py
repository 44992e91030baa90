"""Users who act through the real action layer (authorization on) and through
the web app with their API tokens; role names stand for users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.tests import helpers


@dataclass
class Actors:
    users: dict[str, dict[str, Any]]  # role -> user dict with "token"; absent: anonymous
    app: Any

    def name(self, role: str) -> str:
        return self.users[role]["name"] if role in self.users else ""

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": self.users[role]["token"]} if role in self.users else {}

    def call(self, role: str, action: str, **data: Any) -> Any:
        return helpers.call_action(action, {"user": self.name(role), "ignore_auth": False}, **data)

    def allowed(self, role: str, action: str, **data: Any) -> bool:
        try:
            self.call(role, action, **data)
        except tk.NotAuthorized:
            return False
        return True

    def page(self, role: str, url: str, **kwargs: Any) -> Any:
        return self.app.test_client().get(url, headers=self.headers(role), **kwargs)

    def post(self, role: str, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
        """A form post as a browser makes it; redirects are not followed."""
        kwargs.setdefault("follow_redirects", False)
        return self.app.test_client().post(url, data=data, headers=self.headers(role), **kwargs)


def clean_portal(reset_db: Any, migrate_db_for: Any, reset_index: Any) -> Any:
    """A web app with the plugins of test.ini on a clean database and index,
    for module-scoped fixtures whose tests each work on data of their own
    (CKAN's ``reset_db``, ``migrate_db_for`` and ``reset_index`` callables)."""
    from tests.conftest import PLUGINS_WITH_MIGRATIONS

    app = helpers._get_test_app()
    reset_db()
    for plugin in PLUGINS_WITH_MIGRATIONS:
        migrate_db_for(plugin)
    reset_index()
    return app


def make_officer(users: dict[str, dict[str, Any]], role: str = "officer") -> None:
    """Give ``users[role]`` the officer role, as ``users["sysadmin"]`` does."""
    helpers.call_action(
        "bdom_user_roles_set",
        {"user": users["sysadmin"]["name"], "ignore_auth": False},
        id=users[role]["id"],
        roles=["officer"],
    )
