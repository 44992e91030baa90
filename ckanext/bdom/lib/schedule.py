"""When a dataset's data were last updated and when the next update is due.

Last data update: the newest date among the dataset's resources, where each
resource counts its steward-given ``bdom_data_updated`` date, else the time its
file was last modified (``last_modified``), else the time it was added
(``created``).

Next update due: when the reference period of the latest data is known (the
dataset's or a resource's ``bdom_reference_period``), the end of the following
period plus a reporting lag (``due_after_period``); otherwise the last data
update plus the period of the dataset's update frequency (EU frequency
vocabulary). A planned dataset's due date (``bdom_collect_due``) counts until
its first data arrive. Irregular and never-updated datasets have no due date.

The schedule's states (``state_of``) and the punctuality per steward
(``punctuality``) are computed here too, without CKAN.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"

# frequency code -> (days, months) added to the last update
PERIODS: dict[str, tuple[int, int]] = {
    "DAILY": (1, 0),
    "WEEKLY": (7, 0),
    "BIWEEKLY": (14, 0),
    "MONTHLY": (0, 1),
    "BIMONTHLY": (0, 2),
    "QUARTERLY": (0, 3),
    "ANNUAL_3": (0, 4),
    "ANNUAL_2": (0, 6),
    "ANNUAL": (0, 12),
    "BIENNIAL": (0, 24),
}


def parse_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or an ISO 8601 string; ``None`` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def resource_data_date(resource: Mapping[str, Any]) -> dt.date | None:
    for key in ("bdom_data_updated", "last_modified", "created"):
        date = parse_date(resource.get(key))
        if date:
            return date
    return None


def last_data_update(resources: Iterable[Mapping[str, Any]]) -> dt.date | None:
    dates = [d for d in (resource_data_date(r) for r in resources) if d]
    return max(dates) if dates else None


def add_months(date: dt.date, months: int) -> dt.date:
    """``2024-01-31`` + 1 month = ``2024-02-29`` (the day is clamped to the month)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return date.replace(year=year, month=month, day=day)


def next_update_due(frequency: str | None, last_update: dt.date | None) -> dt.date | None:
    """The date the next update is due, or ``None`` (no last update, irregular, never)."""
    if not frequency or last_update is None:
        return None
    period = PERIODS.get(frequency.removeprefix(FREQUENCY))
    if period is None:
        return None
    days, months = period
    return add_months(last_update, months) + dt.timedelta(days=days)


# --- the update schedule: due dates from reference periods, states ---------------

CURRENT = "current"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
IRREGULAR = "irregular"
STATES = (OVERDUE, DUE_SOON, CURRENT, IRREGULAR)

DEFAULT_LAG_MONTHS = 6
DEFAULT_DUE_SOON_DAYS = 14

_PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|([QH])(\d)))?$")


def period_end(period: Any) -> dt.date | None:
    """The last day of a reference period: ``2024`` → 2024-12-31, ``2024-Q1`` →
    2024-03-31, ``2024-H1`` → 2024-06-30, ``2024-02`` → 2024-02-29, ``2024-12-15``
    → itself; ``None`` for anything else."""
    match = _PERIOD_RE.match(str(period or "").strip())
    if not match:
        return None
    year_text, month, day, half_or_quarter, number = match.groups()
    year = int(year_text)
    try:
        if day:
            return dt.date(year, int(month), int(day))
        if month:
            last_month = int(month)
        elif half_or_quarter:
            last_month = int(number) * (3 if half_or_quarter == "Q" else 6)
        else:
            last_month = 12
        return _month_end(year, last_month)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _is_month_end(date: dt.date) -> bool:
    return date.day == calendar.monthrange(date.year, date.month)[1]


def _add(date: dt.date, days: int, months: int) -> dt.date:
    """``date`` moved by days and months; a month's last day stays the last day
    (2024-06-30 + 6 months = 2024-12-31)."""
    if months:
        moved = add_months(date, months)
        if _is_month_end(date):
            moved = _month_end(moved.year, moved.month)
        return moved + dt.timedelta(days=days)
    return date + dt.timedelta(days=days)


def latest_period_end(periods: Iterable[Any]) -> dt.date | None:
    """The latest end among reference periods (unparseable ones are skipped)."""
    ends = [end for end in (period_end(p) for p in periods) if end]
    return max(ends) if ends else None


def due_after_period(frequency: str | None, end: dt.date, lag_months: int) -> dt.date | None:
    """When the data for the period after the one ending ``end`` are due: that
    period's end plus the reporting lag, the lag being at most one period.

    With a 6-month lag, annual data for 2023 make the 2024 data due by 2025-06-30
    (as GUS publishes); quarterly data for 2024-Q3 make 2024-Q4 due by 2025-03-31;
    monthly data for 2024-11 make 2024-12 due by 2025-01-31.
    """
    period = PERIODS.get((frequency or "").removeprefix(FREQUENCY))
    if period is None:
        return None
    days, months = period
    next_end = _add(end, days, months)
    if months:
        return _add(next_end, 0, min(max(lag_months, 0), months))
    return next_end + dt.timedelta(days=min(max(lag_months, 0) * 30, days))


def due_date(
    frequency: str | None,
    last_update: dt.date | None,
    reference_end: dt.date | None = None,
    planned_due: dt.date | None = None,
    lag_months: int = DEFAULT_LAG_MONTHS,
) -> dt.date | None:
    """A dataset's next due date.

    * a planned dataset (``bdom_collect_due``) with no data delivered yet: its
      planned due date;
    * with the reference period of its latest data: see ``due_after_period``;
    * otherwise: the last data update plus the period (``next_update_due``).

    ``None`` when there is no schedule (irregular or unknown frequency, or no
    data and no planned date).
    """
    if planned_due and last_update is None and reference_end is None:
        return planned_due
    if reference_end is not None:
        return due_after_period(frequency, reference_end, lag_months)
    return next_update_due(frequency, last_update)


def state_of(
    due: dt.date | None, today: dt.date, due_soon_days: int = DEFAULT_DUE_SOON_DAYS
) -> str:
    """``overdue`` after the due date, ``due_soon`` within ``due_soon_days`` of it
    (the due date itself included), ``current`` before that, ``irregular``
    without a due date."""
    if due is None:
        return IRREGULAR
    if due < today:
        return OVERDUE
    if (due - today).days <= due_soon_days:
        return DUE_SOON
    return CURRENT


def dataset_due(dataset: Mapping[str, Any], lag_months: int = DEFAULT_LAG_MONTHS) -> dt.date | None:
    """The next due date of a dataset dict (package_show or package_search):
    its frequency, the reference periods of the dataset and of its resources,
    its resources' data dates and its planned due date."""
    resources = dataset.get("resources") or []
    periods = [dataset.get("bdom_reference_period")]
    periods += [r.get("bdom_reference_period") for r in resources]
    return due_date(
        dataset.get("frequency"),
        last_data_update(resources),
        latest_period_end(periods),
        parse_date(dataset.get("bdom_collect_due")),
        lag_months,
    )


def punctuality(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Update punctuality per steward, for statistics pages.

    ``rows``: one mapping per dataset with ``steward`` (a name or title) and
    ``state`` (one of ``STATES``), e.g. the rows of the schedule page
    (``ckanext.bdom.schedule.listing.schedule_rows``). Returns one dict per
    steward, by steward: ``steward``, ``total``, one count per state
    (``current``, ``due_soon``, ``overdue``, ``irregular``), ``scheduled``
    (datasets with a due date) and ``on_time_percent``: the share of scheduled
    datasets that are not overdue, rounded to one decimal, ``None`` when the
    steward has no scheduled dataset.
    """
    counts: dict[str, dict[str, Any]] = {}
    for row in rows:
        steward = str(row.get("steward") or "")
        entry = counts.setdefault(
            steward, {"steward": steward, "total": 0, **{state: 0 for state in STATES}}
        )
        entry["total"] += 1
        state = row.get("state")
        entry[state if state in STATES else IRREGULAR] += 1
    result = []
    for steward in sorted(counts):
        entry = counts[steward]
        scheduled = entry["total"] - entry[IRREGULAR]
        entry["scheduled"] = scheduled
        on_time = scheduled - entry[OVERDUE]
        entry["on_time_percent"] = round(100 * on_time / scheduled, 1) if scheduled else None
        result.append(entry)
    return result
