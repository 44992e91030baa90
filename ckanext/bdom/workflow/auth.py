"""Auth functions: the officer reaches every steward's datasets; transitions
follow the roles; visibility is never changed in bulk."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.bdom.workflow import roles, transitions

ALLOWED: AuthResult = {"success": True}

OFFICER_ONLY = (
    "Tylko pełnomocnik ds. otwartych danych może wykonać to przejście. / "
    "Only the open data officer may make this transition."
)
COORDINATOR_ONLY = (
    "Zbiór do weryfikacji przekazuje koordynator gestora tego zbioru. / "
    "Only a coordinator of the dataset's steward may submit it for verification."
)
BULK_VISIBILITY = (
    "Widoczność zbiorów zmienia się tylko w obiegu (publikacja, archiwizacja), "
    "nie zbiorczo. / Visibility changes only through the workflow (publish, archive), "
    "not in bulk."
)
DELETE_OFFICER_ONLY = (
    "Zbiór przekazany do weryfikacji lub opublikowany może usunąć tylko pełnomocnik "
    "ds. otwartych danych. / Only the open data officer may delete a dataset that has "
    "been submitted or published."
)
DELETABLE_BY_COORDINATOR = frozenset({transitions.DRAFT, transitions.RETURNED})


def _package(data_dict: DataDict) -> model.Package | None:
    name_or_id = data_dict.get("id") or data_dict.get("name")
    return model.Package.get(name_or_id) if name_or_id else None


def _officer_or(up: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    if roles.is_officer(roles.user_of(context)):
        return ALLOWED
    return up(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_show(up: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return _officer_or(up, context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_create(up: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return _officer_or(up, context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_update(up: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return _officer_or(up, context, data_dict)


@tk.chained_auth_function
def package_patch(up: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return _officer_or(up, context, data_dict)


@tk.chained_auth_function
def package_delete(up: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    if roles.is_officer(roles.user_of(context)):
        return ALLOWED
    result = up(context, data_dict)
    pkg = _package(data_dict)
    if not result.get("success") or not transitions.governed(pkg):
        return result
    if transitions.stored_state(pkg).status not in DELETABLE_BY_COORDINATOR:
        return {"success": False, "msg": DELETE_OFFICER_ONLY}
    return result


@tk.chained_auth_function
def bulk_update_delete(up: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    if roles.is_officer(roles.user_of(context)):
        return ALLOWED
    for dataset_id in data_dict.get("datasets") or []:
        pkg = model.Package.get(dataset_id)
        if transitions.governed(pkg) and (
            transitions.stored_state(pkg).status not in DELETABLE_BY_COORDINATOR
        ):
            return {"success": False, "msg": DELETE_OFFICER_ONLY}
    return up(context, data_dict)


@tk.chained_auth_function
@tk.auth_sysadmins_check
def bulk_update_public(up: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": False, "msg": BULK_VISIBILITY}


@tk.chained_auth_function
@tk.auth_sysadmins_check
def bulk_update_private(up: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": False, "msg": BULK_VISIBILITY}


def bdom_dataset_transition(context: Context, data_dict: DataDict) -> AuthResult:
    """submit: a coordinator of the dataset's steward; everything else: the officer."""
    user = roles.user_of(context)
    if roles.is_officer(user):
        return ALLOWED
    rule = transitions.TRANSITIONS.get(data_dict.get("transition", ""))
    if rule is None or rule.officer_only:
        return {"success": False, "msg": OFFICER_ONLY}
    pkg = _package(data_dict)
    if pkg is not None and roles.is_coordinator(user, pkg.owner_org):
        return ALLOWED
    return {"success": False, "msg": COORDINATOR_ONLY}


def bdom_user_roles_set(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only (they pass before this is called)."""
    return {"success": False}


def bdom_workflow_queue(context: Context, data_dict: DataDict) -> AuthResult:
    """The verification queue: the officer only."""
    if roles.is_officer(roles.user_of(context)):
        return ALLOWED
    return {"success": False, "msg": OFFICER_ONLY}


def get_auth_functions() -> dict[str, Any]:
    return {
        "package_show": package_show,
        "package_create": package_create,
        "package_update": package_update,
        "package_patch": package_patch,
        "package_delete": package_delete,
        "bulk_update_delete": bulk_update_delete,
        "bulk_update_public": bulk_update_public,
        "bulk_update_private": bulk_update_private,
        "bdom_dataset_transition": bdom_dataset_transition,
        "bdom_user_roles_set": bdom_user_roles_set,
        "bdom_workflow_queue": bdom_workflow_queue,
    }
