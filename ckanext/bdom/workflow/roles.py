"""Who is who in the workflow.

* officer (pełnomocnik ds. otwartych danych) and promotion specialist: roles
  kept in the user's ``plugin_extras["bdom"]["roles"]``, set by a sysadmin;
* coordinator: an editor or admin of the dataset's steward organization;
* administrator: a sysadmin, who may do everything the officer may.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ckan import authz, model

OFFICER = "officer"
PROMOTION = "promotion"
ROLES = (OFFICER, PROMOTION)
COORDINATOR_CAPACITIES = ("editor", "admin")


def user_of(context: Any) -> model.User | None:
    """The acting user of an action or auth context, None when anonymous."""
    user = context.get("auth_user_obj")
    if isinstance(user, model.User):
        return user
    name = context.get("user")
    return model.User.get(name) if name else None


def roles_of(user: model.User | None) -> list[str]:
    if user is None:
        return []
    bdom = (user.plugin_extras or {}).get("bdom") or {}
    return list(bdom.get("roles") or [])


def is_officer(user: model.User | None) -> bool:
    """The open data officer, or a sysadmin who may do what the officer does."""
    return user is not None and (bool(user.sysadmin) or OFFICER in roles_of(user))


def is_coordinator(user: model.User | None, org_id: str | None) -> bool:
    """An editor or admin of the steward organization ``org_id``."""
    if user is None or not org_id:
        return False
    return authz.has_user_permission_for_group_or_org(org_id, user.name, "update_dataset")


def set_roles(user: model.User, roles: Iterable[str]) -> list[str]:
    """Replace the user's BDoM roles (unknown names raise ValueError); commit."""
    chosen = sorted(set(roles))
    unknown = [role for role in chosen if role not in ROLES]
    if unknown:
        raise ValueError(", ".join(unknown))
    extras = dict(user.plugin_extras or {})
    extras["bdom"] = {**(extras.get("bdom") or {}), "roles": chosen}
    user.plugin_extras = extras
    model.repo.commit()
    return chosen


def officers() -> list[model.User]:
    """Active officers (by role, not sysadmins) in name order."""
    query = model.Session.query(model.User).filter(
        model.User.state == "active", model.User.plugin_extras.isnot(None)
    )
    return sorted((user for user in query if OFFICER in roles_of(user)), key=lambda user: user.name)


def coordinators(org_id: str) -> list[model.User]:
    """Active editors and admins of a steward organization, in name order."""
    query = (
        model.Session.query(model.User)
        .join(model.Member, model.Member.table_id == model.User.id)
        .filter(
            model.Member.group_id == org_id,
            model.Member.table_name == "user",
            model.Member.state == "active",
            model.Member.capacity.in_(COORDINATOR_CAPACITIES),
            model.User.state == "active",
        )
        .order_by(model.User.name)
    )
    return list(query)
