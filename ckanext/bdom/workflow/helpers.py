"""Template helpers of the workflow. They return data, never HTML."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.bdom.workflow import roles, transitions


def _state_labels() -> dict[str, str]:
    return {
        transitions.DRAFT: tk._("Draft"),
        transitions.SUBMITTED: tk._("Submitted for verification"),
        transitions.VERIFIED: tk._("Verified"),
        transitions.PUBLISHED: tk._("Published"),
        transitions.ARCHIVED: tk._("Archived"),
        transitions.RETURNED: tk._("Returned for correction"),
    }


def _transition_labels() -> dict[str, str]:
    return {
        "submit": tk._("Submit for verification"),
        "verify": tk._("Verify"),
        "return": tk._("Return for correction"),
        "publish": tk._("Publish"),
        "archive": tk._("Archive"),
    }


def bdom_workflow_status(pkg_dict: dict[str, Any]) -> str:
    return transitions.status_of(pkg_dict)


def bdom_workflow_status_label(status: str) -> str:
    return _state_labels().get(status, status)


def bdom_workflow_transition_label(name: str) -> str:
    return _transition_labels().get(name, name)


def bdom_workflow_comment(pkg_dict: dict[str, Any]) -> str:
    return (
        pkg_dict.get(transitions.COMMENT)
        or transitions.extra_of(pkg_dict, transitions.COMMENT)
        or ""
    )


def bdom_workflow_changed(pkg_dict: dict[str, Any]) -> str:
    return (
        pkg_dict.get(transitions.CHANGED)
        or transitions.extra_of(pkg_dict, transitions.CHANGED)
        or ""
    )


def bdom_workflow_public_under_review(pkg_dict: dict[str, Any]) -> bool:
    """An update of a published dataset is under review: the public still
    sees the published version."""
    return transitions.status_of(pkg_dict) in transitions.UNDER_REVIEW and not tk.asbool(
        pkg_dict.get("private")
    )


def bdom_workflow_shows_status(pkg_dict: dict[str, Any]) -> bool:
    """Logged-in users who may edit the dataset (coordinators, the officer)."""
    return tk.current_user.is_authenticated and tk.h.check_access(
        "package_update", {"id": pkg_dict["id"]}
    )


def bdom_workflow_transitions(pkg_dict: dict[str, Any]) -> list[str]:
    """The transitions the current user may make on this dataset now."""
    if not tk.current_user.is_authenticated:
        return []
    return [
        name
        for name in transitions.allowed_from(transitions.status_of(pkg_dict))
        if tk.h.check_access("bdom_dataset_transition", {"id": pkg_dict["id"], "transition": name})
    ]


def bdom_workflow_is_officer() -> bool:
    if not tk.current_user.is_authenticated:
        return False
    return roles.is_officer(roles.user_of({"user": tk.current_user.name}))


def add_status_facet(facets: Any) -> Any:
    """The status facet, for the officer only (others see published data)."""
    user = tk.current_user
    if isinstance(user, model.User) and roles.is_officer(user):
        facets[transitions.STATUS] = tk._("Workflow status")
    return facets


def label_status_facet(search_results: dict[str, Any]) -> dict[str, Any]:
    facet = search_results.get("search_facets", {}).get(transitions.STATUS, {})
    for item in facet.get("items", []):
        item["display_name"] = bdom_workflow_status_label(item["name"])
    return search_results


def get_helpers() -> dict[str, Any]:
    return {
        name: func
        for name, func in globals().items()
        if name.startswith("bdom_workflow_") and callable(func)
    }
