"""Who may see the update schedule: the officer (every steward) and the
coordinators (their own stewards)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context

from ckanext.bdom.workflow import roles


def bdom_schedule_view(context: Context, data_dict: dict[str, Any] | None) -> AuthResult:
    user = roles.user_of(context)
    if roles.is_officer(user):
        return {"success": True}
    if user is not None and tk.get_action("organization_list_for_user")(
        {"user": user.name}, {"permission": "update_dataset"}
    ):
        return {"success": True}
    return {
        "success": False,
        "msg": tk._("Only the open data officer and the stewards' coordinators see the schedule."),
    }


def get_auth_functions() -> dict[str, Any]:
    return {"bdom_schedule_view": bdom_schedule_view}
