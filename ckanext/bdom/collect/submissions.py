"""Submissions of a dataset, kept as files beside CKAN's uploads.

``<ckan.storage_path>/bdom_collect/<dataset id>/<submission id>/`` holds the
original file exactly as the steward sent it (``original/<name>``), the
normalised CSV (``data.csv``) and the record (``submission.json``: who, when,
what the validator detected, the row count and the submission's state).
Nothing is ever overwritten: every submission gets a directory of its own.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk

PENDING = "pending"  # waiting for the officer's review
PUBLISHED = "published"  # loaded into the DataStore as the dataset's data
RETURNED = "returned"  # returned to the steward; a newer submission replaces it
SUPERSEDED = "superseded"  # a newer submission came before this one was published

RECORD = "submission.json"
DATA = "data.csv"
ORIGINAL = "original"
_SAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)


@dataclass
class Submission:
    id: str
    dataset_id: str
    user: str
    created: str
    original_name: str
    original_size: int = 0
    row_count: int = 0
    detected: dict[str, Any] = field(default_factory=dict)
    state: str = PENDING
    changed: str = ""
    changed_by: str = ""
    comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def root() -> Path:
    return Path(tk.config.get("ckan.storage_path") or "/tmp") / "bdom_collect"


def dataset_dir(dataset_id: str) -> Path:
    return root() / dataset_id


def directory(submission: Submission) -> Path:
    return dataset_dir(submission.dataset_id) / submission.id


def data_path(submission: Submission) -> Path:
    return directory(submission) / DATA


def original_path(submission: Submission) -> Path:
    return directory(submission) / ORIGINAL / safe_name(submission.original_name)


def safe_name(name: str) -> str:
    """A file name without directories or odd characters."""
    base = Path(name.replace("\\", "/")).name
    return _SAFE_NAME.sub("_", base).strip("._") or "plik"


def start(dataset_id: str, user: str, original_name: str) -> Submission:
    """A new submission with its own (empty) directory."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    submission = Submission(
        id=f"{stamp}-{uuid.uuid4().hex[:8]}",
        dataset_id=dataset_id,
        user=user,
        created=now(),
        original_name=safe_name(original_name),
    )
    original_path(submission).parent.mkdir(parents=True, exist_ok=True)
    return submission


def discard(submission: Submission) -> None:
    """Remove a submission that was not accepted (its file was invalid)."""
    shutil.rmtree(directory(submission), ignore_errors=True)


def save(submission: Submission) -> None:
    path = directory(submission) / RECORD
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(submission.to_dict(), ensure_ascii=False, indent=1), "utf-8")
    temporary.replace(path)


def _load(path: Path) -> Submission:
    return Submission(**json.loads(path.read_text("utf-8")))


def all_of(dataset_id: str) -> list[Submission]:
    """Accepted submissions of a dataset, newest first."""
    folder = dataset_dir(dataset_id)
    if not folder.is_dir():
        return []
    records = [_load(path) for path in folder.glob(f"*/{RECORD}")]
    return sorted(records, key=lambda s: s.id, reverse=True)


def get(dataset_id: str, submission_id: str) -> Submission | None:
    if safe_name(submission_id) != submission_id:
        return None
    path = dataset_dir(dataset_id) / submission_id / RECORD
    return _load(path) if path.is_file() else None


def pending(dataset_id: str) -> Submission | None:
    """The newest submission waiting for review, if any."""
    return next((s for s in all_of(dataset_id) if s.state == PENDING), None)


def published(dataset_id: str) -> Submission | None:
    """The submission whose data are published now, if any."""
    return next((s for s in all_of(dataset_id) if s.state == PUBLISHED), None)


def accept(submission: Submission) -> None:
    """Record a validated submission; older pending ones are superseded."""
    for older in all_of(submission.dataset_id):
        if older.state == PENDING:
            mark(older, SUPERSEDED, submission.user)
    save(submission)


def mark(submission: Submission, state: str, user: str, comment: str = "") -> None:
    submission.state = state
    submission.changed = now()
    submission.changed_by = user
    submission.comment = comment
    save(submission)
