"""Actions of the collection loop: submit a file, see submissions, review
the changes and publish them.

A submission moves the dataset to "submitted" through the workflow's
transition; its data are published when the officer publishes the dataset
(after verifying it), and returning the dataset returns the submission. An
update of a published dataset goes the same way while the public keeps the
published version (``transitions.WorkflowState.private``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.bdom.collect import columns, diff, plan, publish, submissions, validate
from ckanext.bdom.workflow import transitions

SUBMITTABLE = transitions.TRANSITIONS["submit"].sources

NO_FILE = (
    "Wybierz plik do przesłania (XLSX, XLS, ODS lub CSV). / "
    "Choose a file to upload (XLSX, XLS, ODS or CSV)."
)
NOT_NOW = (
    "Zbioru o statusie „{polish}” nie można teraz przekazać; poczekaj na decyzję "
    "pełnomocnika ds. otwartych danych. / A dataset that is {english} cannot be "
    "submitted now; wait for the open data officer's decision."
)
HAS_PROBLEMS = (
    "Plik ma błędy ({count}); nic nie zostało zapisane ani opublikowane. Popraw je według "
    "raportu i prześlij plik ponownie. / The file has problems ({count}); nothing was "
    "stored or published. Fix them as the report says and upload the file again."
)
NOTHING_PENDING = (
    "Nie ma przekazanych danych czekających na przegląd. / "
    "There are no submitted data waiting for review."
)
SUBMIT_COMMENT = "Przekazano plik {name} ({rows} wierszy). / Uploaded {name} ({rows} rows)."


def _dataset(data_dict: DataDict) -> dict[str, Any]:
    name_or_id = tk.get_or_bust(data_dict, "id")
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": name_or_id})


def _columns(dataset: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    resource = plan.data_resource(dataset)
    if resource is None:
        raise tk.ValidationError({"id": [publish.NO_DICTIONARY]})
    return resource, columns.columns_of(resource)


def _save_upload(upload: Any, target: Path) -> int:
    stream = getattr(upload, "stream", None) or upload
    with target.open("wb") as out:
        shutil.copyfileobj(stream, out, 1024 * 1024)
    return target.stat().st_size


def _refused(result: Any) -> tk.ValidationError:
    report = result.to_dict()
    count = sum(1 for p in report.get("problems") or [] if p.get("severity") != "warning")
    return tk.ValidationError({**report, "upload": [HAS_PROBLEMS.format(count=count)]})


def bdom_submission_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a filled collection form (or any file of the dataset's columns).

    The file is validated against the column dictionary. With problems
    nothing is kept and a ValidationError carries the report (``problems``
    with bilingual messages and fixes, ``detected``). Otherwise the original
    file and the normalised CSV are stored as a new submission and a draft
    (returned or published) dataset goes to "submitted".

    :param id: the dataset's id or name
    :param upload: the file (multipart upload)
    :returns: ``{"submission", "validation", "status"}``
    """
    dataset = _dataset(data_dict)
    tk.check_access("bdom_submission_create", context, {"id": dataset["id"]})
    upload = data_dict.get("upload")
    name = getattr(upload, "filename", "") or ""
    if upload is None or isinstance(upload, str) or not name:
        raise tk.ValidationError({"upload": [NO_FILE]})
    status = transitions.status_of(dataset)
    if status not in SUBMITTABLE:
        polish, english = transitions.STATE_NAMES.get(status, (status, status))
        raise tk.ValidationError({"id": [NOT_NOW.format(polish=polish, english=english)]})
    _resource, expected = _columns(dataset)
    user = context.get("user") or ""
    submission = submissions.start(dataset["id"], user, name)
    try:
        size = _save_upload(upload, submissions.original_path(submission))
        result = validate.validate_file(
            submissions.original_path(submission),
            expected,
            years=plan.years_of(dataset) or None,
            out=submissions.data_path(submission),
            original_name=name,
        )
    except Exception:
        submissions.discard(submission)
        raise
    if not result.ok:
        submissions.discard(submission)
        raise _refused(result)
    submission.original_size = size
    submission.row_count = result.row_count
    submission.detected = result.to_dict().get("detected") or {}
    submissions.accept(submission)
    comment = SUBMIT_COMMENT.format(name=submission.original_name, rows=result.row_count)
    tk.get_action("bdom_dataset_transition")(
        {"user": user}, {"id": dataset["id"], "transition": "submit", "comment": comment}
    )
    return {
        "submission": submission.to_dict(),
        "validation": result.to_dict(),
        "status": transitions.SUBMITTED,
    }


def _submission(dataset: dict[str, Any], data_dict: DataDict) -> submissions.Submission:
    wanted = data_dict.get("submission_id")
    found = (
        submissions.get(dataset["id"], wanted)
        if wanted
        else next(iter(submissions.all_of(dataset["id"])), None)
    )
    if found is None:
        raise tk.ObjectNotFound(tk._("Submission not found"))
    return found


@tk.side_effect_free
def bdom_submission_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A submission of a dataset (the newest unless ``submission_id`` is given).

    :param id: the dataset's id or name
    :param submission_id: the submission (optional)
    """
    dataset = _dataset(data_dict)
    tk.check_access("bdom_submission_show", context, {"id": dataset["id"]})
    return _submission(dataset, data_dict).to_dict()


@tk.side_effect_free
def bdom_submission_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every accepted submission of a dataset, newest first.

    :param id: the dataset's id or name
    """
    dataset = _dataset(data_dict)
    tk.check_access("bdom_submission_list", context, {"id": dataset["id"]})
    return [s.to_dict() for s in submissions.all_of(dataset["id"])]


def review(dataset: dict[str, Any]) -> tuple[submissions.Submission | None, diff.Diff | None]:
    """The pending submission and what it changes against the published data."""
    pending = submissions.pending(dataset["id"])
    if pending is None:
        return None, None
    resource = plan.data_resource(dataset)
    dictionary = columns.columns_of(resource) if resource else []
    keys = [c.name for c in dictionary if c.key]
    numeric = {c.name for c in dictionary if c.type in ("integer", "decimal")}
    current = submissions.published(dataset["id"])
    if current is not None:
        old = submissions.data_path(current)
        return pending, diff.diff_csv(old, submissions.data_path(pending), keys, numeric)
    # published before the collection loop (e.g. loaded by xloader): the DataStore
    with tempfile.TemporaryDirectory() as folder:
        old = publish.datastore_csv(resource, Path(folder) / "published.csv")
        return pending, diff.diff_csv(old, submissions.data_path(pending), keys, numeric)


@tk.side_effect_free
def bdom_submission_diff(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What the pending submission changes against the published data, by key
    dictionary: counts and examples of rows added, changed (old → new) and removed.

    :param id: the dataset's id or name
    """
    dataset = _dataset(data_dict)
    tk.check_access("bdom_submission_diff", context, {"id": dataset["id"]})
    pending, changes = review(dataset)
    if pending is None or changes is None:
        raise tk.ObjectNotFound(NOTHING_PENDING)
    return {"submission": pending.to_dict(), **changes.to_dict()}


def _acting(context: Context) -> dict[str, Any]:
    """The acting user, with the checks already made by our own auth."""
    return {"user": context.get("user") or "", "ignore_auth": True}


@tk.chained_action
def bdom_dataset_transition(up: Action, context: Context, data_dict: DataDict) -> Any:
    """Publishing a dataset publishes its pending submission first (the
    transition must be allowed); returning it returns the submission."""
    name = data_dict.get("transition")
    dataset = None
    pending = None
    if name in ("publish", "return") and data_dict.get("id"):
        try:
            dataset = _dataset(data_dict)
        except tk.ObjectNotFound:
            dataset = None
        pending = submissions.pending(dataset["id"]) if dataset else None
    if pending is not None and dataset is not None and name == "publish":
        tk.check_access(
            "bdom_dataset_transition", dict(context), {**data_dict, "id": dataset["id"]}
        )
        current = transitions.WorkflowState(transitions.status_of(dataset))
        transitions.next_state(current, name, str(data_dict.get("comment") or ""))
        publish.publish(_acting(context), dataset, pending)
    result = up(context, data_dict)
    if pending is not None and name == "return":
        submissions.mark(
            pending, submissions.RETURNED, context.get("user") or "", data_dict.get("comment", "")
        )
    return result


def get_actions() -> dict[str, Any]:
    return {
        "bdom_submission_create": bdom_submission_create,
        "bdom_submission_show": bdom_submission_show,
        "bdom_submission_list": bdom_submission_list,
        "bdom_submission_diff": bdom_submission_diff,
        "bdom_dataset_transition": bdom_dataset_transition,
    }
