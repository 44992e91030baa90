"""Actions: the transition, the roles, and the guards on package_create/update.

A dataset's status and visibility change only through
``bdom_dataset_transition``. ``package_create`` and ``package_update`` refuse
a different ``private`` or ``bdom_status`` and the plugin writes the stored
(or, in a transition, the new) state onto the dataset after validation, so
whatever a form or an API client sends, the stored state is kept.
"""

from __future__ import annotations

from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.dictization import model_dictize
from ckan.types import Action, Context, DataDict

from ckanext.bdom.workflow import notify, roles, transitions

# context keys of this plugin
NEXT_STATE = "bdom_workflow_next_state"  # set by the transition for its package_update
STATES_TO_STORE = "bdom_workflow_states"  # package id -> state, read after the save

PRIVATE_REFUSED = (
    "Widoczność zbioru zmienia się tylko w obiegu: zbiór upublicznia pełnomocnik ds. "
    "otwartych danych, publikując go (akcja bdom_dataset_transition). / "
    "A dataset's visibility changes only through the workflow: the open data officer "
    "makes it public by publishing it (action bdom_dataset_transition)."
)
STATUS_REFUSED = (
    "Status zbioru zmienia się tylko przejściami obiegu (akcja bdom_dataset_transition). / "
    "A dataset's status changes only through workflow transitions "
    "(action bdom_dataset_transition)."
)
UNKNOWN_ROLE = (
    "Nieznana rola: {roles}; dozwolone: {allowed}. / Unknown role: {roles}; allowed: {allowed}."
)


def _asked_private(data_dict: DataDict) -> bool | None:
    value = data_dict.get("private")
    if value is None or value == "":
        return None
    try:
        return tk.asbool(value)
    except ValueError:
        return not value


def _asked_statuses(data_dict: DataDict) -> set[str]:
    """Statuses the data carries, as a field or as an extra."""
    asked = {data_dict.get(transitions.STATUS), transitions.extra_of(data_dict, transitions.STATUS)}
    return {status for status in asked if status}


def refuse_direct_changes(data_dict: DataDict, state: transitions.WorkflowState) -> None:
    """ValidationError when the data asks for another visibility or status."""
    errors: dict[str, list[str]] = {}
    private = _asked_private(data_dict)
    if private is not None and private != state.private:
        errors["private"] = [PRIVATE_REFUSED]
    if _asked_statuses(data_dict) - {state.status}:
        errors[transitions.STATUS] = [STATUS_REFUSED]
    if errors:
        raise tk.ValidationError(errors)


def _org_id(name_or_id: Any) -> str | None:
    group = model.Group.get(name_or_id) if name_or_id else None
    return group.id if group else None


def _officer_without_membership(context: Context) -> bool:
    user = roles.user_of(context)
    return (
        not context.get("ignore_auth")
        and user is not None
        and not user.sysadmin
        and roles.is_officer(user)
    )


def _as_officer(up: Action, context: Context, data_dict: DataDict, action: str) -> Any:
    """CKAN's owner_org validator wants membership of the steward; the officer
    needs none. Access is checked here, then the action runs without the
    membership test."""
    tk.check_access(action, context, data_dict)
    context["ignore_auth"] = True
    try:
        return up(context, data_dict)
    finally:
        context["ignore_auth"] = False


@tk.chained_action
def package_create(up: Action, context: Context, data_dict: DataDict) -> Any:
    if data_dict.get("type") in transitions.UNGOVERNED_TYPES:
        return up(context, data_dict)
    refuse_direct_changes(data_dict, transitions.initial_state())
    if _officer_without_membership(context):
        return _as_officer(up, context, data_dict, "package_create")
    return up(context, data_dict)


@tk.chained_action
def package_update(up: Action, context: Context, data_dict: DataDict) -> Any:
    pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    if not transitions.governed(pkg):
        return up(context, data_dict)
    state = cast(dict, context).pop(NEXT_STATE, None)
    if state is None:
        state = transitions.stored_state(pkg)
        refuse_direct_changes(data_dict, state)
    cast(dict, context).setdefault(STATES_TO_STORE, {})[pkg.id] = state
    moves = "owner_org" in data_dict and _org_id(data_dict["owner_org"]) != pkg.owner_org
    if moves and _officer_without_membership(context):
        return _as_officer(up, context, data_dict, "package_update")
    return up(context, data_dict)


def store_state_after_update(context: Context, pkg_dict: dict[str, Any]) -> None:
    """Write the state decided before validation onto the saved dataset."""
    state = cast(dict, context).get(STATES_TO_STORE, {}).pop(pkg_dict.get("id"), None)
    pkg = model.Package.get(pkg_dict.get("id", ""))
    if state is not None and pkg is not None:
        transitions.store(pkg, state)


def _transition_schema() -> dict[str, Any]:
    not_empty = tk.get_validator("not_empty")
    one_of = tk.get_validator("one_of")
    return {
        "id": [not_empty, tk.get_validator("unicode_safe")],
        "transition": [not_empty, one_of(list(transitions.TRANSITIONS))],
        "comment": [tk.get_validator("default")(""), tk.get_validator("unicode_safe")],
    }


def bdom_dataset_transition(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Move a dataset to its next workflow state.

    :param id: the dataset's id or name
    :type id: string
    :param transition: ``submit``, ``verify``, ``return``, ``publish`` or ``archive``
    :type transition: string
    :param comment: a note for the other side (required for ``return``)
    :type comment: string
    :returns: the dataset after the transition
    :rtype: dictionary
    """
    data, errors = tk.navl_validate(data_dict, _transition_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    pkg = model.Package.get(data["id"])
    if not transitions.governed(pkg):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    tk.check_access("bdom_dataset_transition", context, {**data, "id": pkg.id})
    state = transitions.next_state(
        transitions.stored_state(pkg), data["transition"], data["comment"]
    )
    dataset = _save_state(context, pkg.id, state)
    notify.transition_done(dataset, data["transition"], context.get("user") or "", state.comment)
    return dataset


def _schema_fields(dataset_type: str) -> set[str]:
    """Dataset fields of the scheming schema (kept top-level, not as extras)."""
    try:
        schema = tk.get_action("scheming_dataset_schema_show")(
            {"ignore_auth": True}, {"type": dataset_type}
        )
    except (KeyError, tk.ObjectNotFound):
        return set()
    return {field["field_name"] for field in schema.get("dataset_fields", [])}


def _save_state(context: Context, dataset_id: str, state: transitions.WorkflowState) -> dict:
    """package_update as the acting user, so the activity stream records who."""
    current = tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset_id})
    values = state.extras()
    fields = _schema_fields(current["type"])
    extras = [e for e in current.get("extras", []) if e["key"] not in values]
    extras += [{"key": k, "value": v} for k, v in values.items() if k not in fields]
    top_level = {k: v for k, v in values.items() if k in fields}
    update_context = {"user": context.get("user"), "ignore_auth": True, NEXT_STATE: state}
    return tk.get_action("package_update")(
        update_context, {**current, **top_level, "private": state.private, "extras": extras}
    )


def bdom_user_roles_set(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Set a user's BDoM roles (sysadmins only).

    :param id: the user's id or name
    :type id: string
    :param roles: ``officer`` and/or ``promotion`` (a list or a comma-separated
        string); an empty list removes every role
    :type roles: list of strings
    :returns: ``{"id", "name", "roles"}``
    """
    tk.check_access("bdom_user_roles_set", context, data_dict)
    user = model.User.get(tk.get_or_bust(data_dict, "id"))
    if user is None:
        raise tk.ObjectNotFound(tk._("User not found"))
    asked = data_dict.get("roles") or []
    if isinstance(asked, str):
        asked = [role.strip() for role in asked.split(",") if role.strip()]
    try:
        chosen = roles.set_roles(user, asked)
    except ValueError as error:
        allowed = ", ".join(roles.ROLES)
        raise tk.ValidationError(
            {"roles": [UNKNOWN_ROLE.format(roles=error, allowed=allowed)]}
        ) from error
    return {"id": user.id, "name": user.name, "roles": chosen}


@tk.chained_action
@tk.side_effect_free
def organization_list_for_user(up: Action, context: Context, data_dict: DataDict) -> Any:
    """The officer may add and edit datasets of every steward (the form lists them)."""
    permission = data_dict.get("permission", "manage_group")
    user = model.User.get(data_dict.get("id") or context.get("user") or "")
    if (
        permission not in ("create_dataset", "update_dataset")
        or user is None
        or user.sysadmin
        or not roles.is_officer(user)
    ):
        return up(context, data_dict)
    tk.check_access("organization_list_for_user", context, data_dict)
    orgs = (
        model.Session.query(model.Group)
        .filter(model.Group.is_organization.is_(True), model.Group.state == "active")
        .order_by(model.Group.title)
    )
    context["with_capacity"] = True
    return model_dictize.group_list_dictize(
        [(org, "editor") for org in orgs],
        context,
        with_package_counts=tk.asbool(data_dict.get("include_dataset_count")),
    )


def get_actions() -> dict[str, Any]:
    return {
        "package_create": package_create,
        "package_update": package_update,
        "organization_list_for_user": organization_list_for_user,
        "bdom_dataset_transition": bdom_dataset_transition,
        "bdom_user_roles_set": bdom_user_roles_set,
    }
