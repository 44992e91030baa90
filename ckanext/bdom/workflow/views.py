"""Pages: the officer's verification queue, the coordinator's own datasets,
and the transition form posted from a dataset page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.bdom.workflow import transitions

workflow = Blueprint("bdom_workflow", __name__, url_prefix="/bdom")

QUEUE_ROWS = 1000


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _search(fq: str) -> list[dict[str, Any]]:
    result = tk.get_action("package_search")(
        _context(),
        {"fq": fq, "rows": QUEUE_ROWS, "include_private": True, "include_drafts": True},
    )
    return result["results"]


def _oldest_first(datasets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(datasets, key=lambda d: transitions.extra_of(d, transitions.CHANGED) or "")


@workflow.route("/kolejka")
def queue() -> str:
    """Datasets waiting for verification, the longest waiting first (officer only)."""
    try:
        tk.check_access("bdom_workflow_queue", _context())
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the open data officer can see the verification queue."))
    datasets = _oldest_first(_search(f"{transitions.STATUS}:{transitions.SUBMITTED}"))
    return tk.render("bdom/workflow/queue.html", {"datasets": datasets})


@workflow.route("/moje")
def mine() -> str:
    """The coordinator's drafts and returned datasets."""
    if not tk.current_user.is_authenticated:
        return tk.abort(403, tk._("Log in to see your datasets."))
    orgs = tk.get_action("organization_list_for_user")(_context(), {"permission": "update_dataset"})
    datasets: list[dict[str, Any]] = []
    if orgs:
        owners = " OR ".join(f'"{org["id"]}"' for org in orgs)
        states = f"({transitions.DRAFT} OR {transitions.RETURNED})"
        datasets = _search(f"{transitions.STATUS}:{states} AND owner_org:({owners})")
    return tk.render("bdom/workflow/mine.html", {"datasets": _oldest_first(datasets)})


@workflow.route("/zbior/<id>/obieg", methods=["POST"])
def transition(id: str) -> Any:  # noqa: A002 - CKAN's name for dataset ids in routes
    """Run a transition posted from the dataset page, then go back to it."""
    form = tk.request.form
    try:
        tk.get_action("bdom_dataset_transition")(
            _context(),
            {
                "id": id,
                "transition": form.get("transition", ""),
                "comment": form.get("comment", ""),
            },
        )
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not make this transition."))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            tk.h.flash_error(" ".join(str(m) for m in messages))
    else:
        tk.h.flash_success(tk._("The dataset's status has been changed."))
    return tk.redirect_to("dataset.read", id=id)


def get_blueprints() -> list[Blueprint]:
    return [workflow]
