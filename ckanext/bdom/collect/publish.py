"""Publication of a submission: its normalised CSV becomes the data
resource's file and is loaded into the DataStore with the column types of
the dictionary (xloader is told to leave that resource alone)."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk

from ckanext.bdom.collect import columns, plan, submissions
from ckanext.bdom.collect.submissions import Submission

log = logging.getLogger(__name__)

BATCH = 5000


def _records(path: Path, fields: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Batches of DataStore records; empty cells become NULL."""
    known = [f["id"] for f in fields]
    with path.open(encoding="utf-8-sig", newline="") as stream:
        batch: list[dict[str, Any]] = []
        for row in csv.DictReader(stream):
            batch.append({k: (row.get(k) or None) for k in known})
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


def _resource_file(dataset: dict[str, Any], submission: Submission) -> FileStorage:
    content = submissions.data_path(submission).read_bytes()
    name = f"{dataset['name']}.csv"
    return FileStorage(io.BytesIO(content), name, content_type="text/csv")


def _update_resource(
    context: dict[str, Any], dataset: dict[str, Any], submission: Submission
) -> dict[str, Any]:
    resource = plan.data_resource(dataset)
    if resource is None:
        raise tk.ValidationError({"resources": [NO_DICTIONARY]})
    updated = {
        **resource,
        "url": f"{dataset['name']}.csv",
        "url_type": "upload",
        "upload": _resource_file(dataset, submission),
        "format": "CSV",
        "mimetype": "text/csv",
        plan.SUBMISSION: submission.id,
        "bdom_data_updated": datetime.date.today().isoformat(),
    }
    return tk.get_action("resource_update")(dict(context), updated)


def load_datastore(context: dict[str, Any], resource: dict[str, Any], path: Path) -> int:
    """Replace the resource's DataStore table with the CSV, typed by its columns."""
    fields = columns.datastore_fields(columns.columns_of(resource))
    with contextlib.suppress(tk.ObjectNotFound):
        tk.get_action("datastore_delete")(
            dict(context), {"resource_id": resource["id"], "force": True}
        )
    tk.get_action("datastore_create")(
        dict(context), {"resource_id": resource["id"], "force": True, "fields": fields}
    )
    loaded = 0
    for batch in _records(path, fields):
        tk.get_action("datastore_upsert")(
            dict(context),
            {"resource_id": resource["id"], "force": True, "method": "insert", "records": batch},
        )
        loaded += len(batch)
    log.info("bdom_collect: %s rows of %s loaded into the DataStore", loaded, resource["id"])
    return loaded


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text[:10] if len(text) == 19 and text[10:11] == "T" else text  # a date


def datastore_csv(resource: dict[str, Any] | None, target: Path) -> Path | None:
    """The resource's DataStore rows as a CSV (for comparing), or None when it has none."""
    if not resource or not resource.get("datastore_active"):
        return None
    search = tk.get_action("datastore_search")
    context = {"ignore_auth": True}
    try:
        first = search(dict(context), {"resource_id": resource["id"], "limit": 0})
    except (tk.ObjectNotFound, tk.ValidationError):
        return None
    names = [f["id"] for f in first["fields"] if f["id"] != "_id"]
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(names)
        for offset in range(0, first["total"], BATCH):
            page = search(
                dict(context),
                {"resource_id": resource["id"], "limit": BATCH, "offset": offset, "sort": "_id"},
            )
            writer.writerows([_cell(row.get(n)) for n in names] for row in page["records"])
    return target


def publish(context: dict[str, Any], dataset: dict[str, Any], submission: Submission) -> int:
    """Make ``submission`` the dataset's published data; the row count loaded."""
    resource = _update_resource(context, dataset, submission)
    loaded = load_datastore(context, resource, submissions.data_path(submission))
    user = context.get("user") or ""
    for older in submissions.all_of(dataset["id"]):
        if older.state == submissions.PUBLISHED and older.id != submission.id:
            submissions.mark(older, submissions.SUPERSEDED, user)
    submissions.mark(submission, submissions.PUBLISHED, user)
    return loaded


NO_DICTIONARY = (
    "Zbiór nie ma zasobu z opisem kolumn; dodaj go (pole „Opis kolumn” zasobu), aby "
    "zbierać dane. / The dataset has no resource with a column dictionary; add one "
    "(the resource's “Column dictionary” field) to collect data."
)
