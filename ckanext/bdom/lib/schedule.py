"""When a dataset's data were last updated and when the next update is due.

Last data update: the newest date among the dataset's resources, where each
resource counts its steward-given ``bdom_data_updated`` date, else the time its
file was last modified (``last_modified``), else the time it was added
(``created``).

Next update due: the last data update plus the period of the dataset's update
frequency (EU frequency vocabulary). Irregular and never-updated datasets have
no due date.
"""

from __future__ import annotations

import calendar
import datetime as dt
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
