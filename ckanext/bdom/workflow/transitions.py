"""States, transitions and where a dataset keeps its workflow state.

The state lives in dataset extras written only by this plugin:
``bdom_status``, ``bdom_status_changed`` (UTC, ISO 8601),
``bdom_status_comment`` (the comment of the last transition) and
``bdom_published_at`` (when its published version went out, empty when there
is none). A dataset is private unless it is published, or unless an update
of a published dataset is under review (submitted, verified or returned):
the public keeps the published version meanwhile.
"""

from __future__ import annotations

import datetime
from collections import deque
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

STATUS = "bdom_status"
CHANGED = "bdom_status_changed"
COMMENT = "bdom_status_comment"
PUBLISHED_AT = "bdom_published_at"

DRAFT = "draft"
SUBMITTED = "submitted"
VERIFIED = "verified"
PUBLISHED = "published"
ARCHIVED = "archived"
RETURNED = "returned"
STATES = (DRAFT, SUBMITTED, VERIFIED, PUBLISHED, ARCHIVED, RETURNED)
UNDER_REVIEW = frozenset({SUBMITTED, VERIFIED, RETURNED})

# Package types outside the workflow (harvest sources are packages too).
UNGOVERNED_TYPES = frozenset({"harvest"})

# Polish and English names, for messages that carry both languages.
STATE_NAMES: dict[str, tuple[str, str]] = {
    DRAFT: ("szkic", "draft"),
    SUBMITTED: ("przekazany do weryfikacji", "submitted for verification"),
    VERIFIED: ("zweryfikowany", "verified"),
    PUBLISHED: ("opublikowany", "published"),
    ARCHIVED: ("zarchiwizowany", "archived"),
    RETURNED: ("zwrócony do poprawy", "returned for correction"),
}


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    officer_only: bool = True
    comment_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit", frozenset({DRAFT, RETURNED, PUBLISHED}), SUBMITTED, officer_only=False
        ),
        Transition("verify", frozenset({SUBMITTED}), VERIFIED),
        Transition("return", frozenset({SUBMITTED, VERIFIED}), RETURNED, comment_required=True),
        Transition("publish", frozenset({VERIFIED, ARCHIVED}), PUBLISHED),
        Transition("archive", frozenset({PUBLISHED}), ARCHIVED),
    )
}


@dataclass(frozen=True)
class WorkflowState:
    status: str
    changed: str = ""
    comment: str = ""
    published_at: str = ""  # when the version the public sees went out

    @property
    def private(self) -> bool:
        if self.status == PUBLISHED:
            return False
        return not (self.published_at and self.status in UNDER_REVIEW)

    def extras(self) -> dict[str, str]:
        return {
            STATUS: self.status,
            CHANGED: self.changed,
            COMMENT: self.comment,
            PUBLISHED_AT: self.published_at,
        }


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")


def initial_state() -> WorkflowState:
    return WorkflowState(DRAFT, now())


def governed(pkg: model.Package | None) -> bool:
    return pkg is not None and pkg.type not in UNGOVERNED_TYPES


def stored_state(pkg: model.Package) -> WorkflowState:
    """The state saved on the dataset; older datasets get it from ``private``."""
    extras = pkg.extras or {}
    status = extras.get(STATUS) or (DRAFT if pkg.private else PUBLISHED)
    changed = extras.get(CHANGED, "")
    published_at = extras.get(PUBLISHED_AT) or ""
    if status == PUBLISHED and not published_at:  # published before this extra
        published_at = changed or now()
    return WorkflowState(status, changed, extras.get(COMMENT, ""), published_at)


def store(pkg: model.Package, state: WorkflowState) -> None:
    """Write the state onto the (not yet committed) dataset."""
    pkg.extras = {**(pkg.extras or {}), **state.extras()}
    pkg.private = state.private


def status_of(dataset: dict[str, Any]) -> str:
    """The status of a dataset dict as returned by package_show or package_search."""
    status = dataset.get(STATUS) or extra_of(dataset, STATUS)
    if status:
        return status
    return DRAFT if tk.asbool(dataset.get("private")) else PUBLISHED


def extra_of(dataset: dict[str, Any], key: str) -> str | None:
    for extra in dataset.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") == key:
            return extra.get("value")
    return None


def allowed_from(status: str) -> list[str]:
    return [t.name for t in TRANSITIONS.values() if status in t.sources]


def not_allowed_message(name: str, status: str) -> str:
    polish, english = STATE_NAMES.get(status, (status, status))
    allowed = ", ".join(allowed_from(status))
    return (
        f"Przejście „{name}” nie jest dozwolone, gdy zbiór ma status „{polish}”; "
        f"dozwolone: {allowed or 'żadne'}. / "
        f"The transition '{name}' is not allowed while the dataset is {english}; "
        f"allowed: {allowed or 'none'}."
    )


COMMENT_REQUIRED = (
    "Podaj komentarz: koordynator musi wiedzieć, co poprawić. / "
    "Give a comment: the coordinator needs to know what to correct."
)


def next_state(current: WorkflowState, name: str, comment: str) -> WorkflowState:
    """The state after ``name``, or a ValidationError that says what is allowed."""
    rule = TRANSITIONS[name]
    if current.status not in rule.sources:
        raise tk.ValidationError({"transition": [not_allowed_message(name, current.status)]})
    if rule.comment_required and not comment.strip():
        raise tk.ValidationError({"comment": [COMMENT_REQUIRED]})
    changed = now()
    if rule.target == PUBLISHED:
        published_at = changed
    elif rule.target == ARCHIVED:
        published_at = ""
    else:
        published_at = current.published_at
    return WorkflowState(rule.target, changed, comment.strip(), published_at)


def path_to(status: str, target: str) -> list[str]:
    """The shortest list of transitions leading from ``status`` to ``target``."""
    paths: dict[str, list[str]] = {status: []}
    queue = deque([status])
    while queue:
        here = queue.popleft()
        if here == target:
            return paths[here]
        for rule in TRANSITIONS.values():
            if here in rule.sources and rule.target not in paths:
                paths[rule.target] = [*paths[here], rule.name]
                queue.append(rule.target)
    raise ValueError(f"no transition path from {status} to {target}")


def bring_to(
    context: dict[str, Any], dataset_id: str, target: str, comment: str = ""
) -> dict[str, Any]:
    """Run, as ``context["user"]``, every transition from the dataset's status to
    ``target`` (e.g. ``published``); for loaders of existing data and demo content."""
    dataset = tk.get_action("package_show")(dict(context), {"id": dataset_id})
    for name in path_to(status_of(dataset), target):
        dataset = tk.get_action("bdom_dataset_transition")(
            dict(context), {"id": dataset_id, "transition": name, "comment": comment}
        )
    return dataset
