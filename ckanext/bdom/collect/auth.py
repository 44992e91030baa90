"""Who may download forms, submit data and review submissions.

Submit: the coordinators of the dataset's steward (and sysadmins); see the
submissions: those coordinators and the officer; review and publish an
update: the officer. Forms: whoever may see the dataset.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.bdom.workflow import roles

ALLOWED: AuthResult = {"success": True}

SUBMIT_REFUSED = (
    "Dane tego zbioru przekazuje koordynator jego gestora. / "
    "Only a coordinator of the dataset's steward may submit its data."
)
SHOW_REFUSED = (
    "Przekazane pliki widzą koordynatorzy gestora i pełnomocnik ds. otwartych danych. / "
    "Only the steward's coordinators and the open data officer may see the submissions."
)
REVIEW_REFUSED = (
    "Przekazane dane przegląda pełnomocnik ds. otwartych danych. / "
    "Only the open data officer may review submitted data."
)


def _owner(data_dict: DataDict) -> str | None:
    name_or_id = data_dict.get("id") or data_dict.get("name")
    pkg = model.Package.get(name_or_id) if name_or_id else None
    return pkg.owner_org if pkg is not None else None


def bdom_submission_create(context: Context, data_dict: DataDict) -> AuthResult:
    user = roles.user_of(context)
    if user is not None and (user.sysadmin or roles.is_coordinator(user, _owner(data_dict))):
        return ALLOWED
    return {"success": False, "msg": SUBMIT_REFUSED}


def bdom_submission_show(context: Context, data_dict: DataDict) -> AuthResult:
    user = roles.user_of(context)
    if roles.is_officer(user) or roles.is_coordinator(user, _owner(data_dict)):
        return ALLOWED
    return {"success": False, "msg": SHOW_REFUSED}


bdom_submission_list = bdom_submission_show


def bdom_submission_review(context: Context, data_dict: DataDict) -> AuthResult:
    if roles.is_officer(roles.user_of(context)):
        return ALLOWED
    return {"success": False, "msg": REVIEW_REFUSED}


bdom_submission_diff = bdom_submission_review


@tk.auth_allow_anonymous_access
def bdom_collect_form(context: Context, data_dict: DataDict) -> AuthResult:
    """A form holds only the column dictionary: whoever sees the dataset."""
    try:
        tk.check_access("package_show", dict(context), data_dict)
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Dataset not found")}
    return ALLOWED


def get_auth_functions() -> dict[str, Any]:
    return {
        name: func
        for name, func in globals().items()
        if name.startswith(("bdom_submission_", "bdom_collect_")) and callable(func)
    }
