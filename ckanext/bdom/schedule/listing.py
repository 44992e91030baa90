"""The schedule's rows: every steward dataset the acting user may see, with its
frequency, last data update, next due date and state.

Harvested datasets (GUS BDL and other harvest sources) are left out: the
harvester keeps them up to date, not a steward, so nobody is reminded of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.bdom.lib import schedule
from ckanext.bdom.schedule import config
from ckanext.bdom.workflow import transitions

PAGE_ROWS = 1000
# steward datasets only: no harvest sources, nothing a harvester created
FQ = "+dataset_type:dataset -harvest_source_id:[* TO *]"


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    title: str
    steward: str
    steward_name: str
    steward_id: str
    frequency: str
    last_update: dt.date | None
    due: dt.date | None
    state: str
    status: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _search(context: dict[str, Any], fq: str) -> list[dict[str, Any]]:
    datasets: list[dict[str, Any]] = []
    start = 0
    while True:
        result = tk.get_action("package_search")(
            dict(context),
            {
                "fq": fq,
                "rows": PAGE_ROWS,
                "start": start,
                "include_private": True,
                "include_drafts": True,
                "sort": "name asc",
            },
        )
        datasets += result["results"]
        start += PAGE_ROWS
        if start >= result["count"]:
            return datasets


def row_of(dataset: dict[str, Any], today: dt.date, lag_months: int, soon_days: int) -> Row:
    due = schedule.dataset_due(dataset, lag_months)
    org = dataset.get("organization") or {}
    return Row(
        id=dataset["id"],
        name=dataset["name"],
        title=dataset.get("title") or dataset["name"],
        steward=org.get("title") or org.get("name") or "",
        steward_name=org.get("name") or "",
        steward_id=dataset.get("owner_org") or "",
        frequency=(dataset.get("frequency") or "").removeprefix(schedule.FREQUENCY),
        last_update=schedule.last_data_update(dataset.get("resources") or []),
        due=due,
        state=schedule.state_of(due, today, soon_days),
        status=transitions.status_of(dataset),
    )


def _sort_key(row: Row) -> tuple[Any, ...]:
    """By due date (no due date last), then steward and title."""
    return (row.due is None, row.due or dt.date.min, row.steward, row.title)


def schedule_rows(
    context: dict[str, Any],
    owner_ids: list[str] | None = None,
    today: dt.date | None = None,
) -> list[Row]:
    """Every steward dataset visible in ``context`` (drafts and published, not
    archived ones; the officer, or ``ignore_auth``, sees all), limited to the stewards
    ``owner_ids`` when given; sorted by due date."""
    if owner_ids is not None and not owner_ids:
        return []
    fq = FQ
    if owner_ids:
        fq += " +owner_org:(" + " OR ".join(f'"{owner}"' for owner in owner_ids) + ")"
    today = today or dt.date.today()
    lag, soon = config.lag_months(), config.due_soon_days()
    rows = [
        row_of(dataset, today, lag, soon)
        for dataset in _search(context, fq)
        if transitions.status_of(dataset) != transitions.ARCHIVED
    ]
    return sorted(rows, key=_sort_key)


def filtered(rows: list[Row], steward: str = "", state: str = "") -> list[Row]:
    """Rows of one steward (by name) and/or in one state; empty = all."""
    return [
        row
        for row in rows
        if (not steward or row.steward_name == steward) and (not state or row.state == state)
    ]
