"""The collection plan of a dataset: the years asked for, the due date and
the resource that carries the column dictionary (and, once published, the
normalised data)."""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

YEARS = "bdom_collect_years"
DUE = "bdom_collect_due"
COLUMNS = "bdom_columns"
SUBMISSION = "bdom_submission_id"  # on the data resource: the published submission
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_YEARS = 200
_PART = re.compile(r"^(\d{4})(?:-(\d{4}))?$")

YEARS_INVALID = (
    "Lata {text!r} są niepoprawne; podaj lata {low}–{high} jako listę lub zakres, "
    "np. 2015-2024 albo 2019, 2021, 2023. / "
    "The years {text!r} are not valid; give years {low}–{high} as a list or a range, "
    "e.g. 2015-2024 or 2019, 2021, 2023."
)


def parse_years(text: Any) -> list[int]:
    """Years from ``2015-2024, 2026`` (ranges and lists); ValueError when invalid."""
    if isinstance(text, (list, tuple)):
        text = ",".join(str(part) for part in text)
    years: set[int] = set()
    joined = re.sub(r"\s*[-–]\s*", "-", str(text or "").strip())
    for part in re.split(r"[,;\s]+", joined):
        part = part.strip()
        if not part:
            continue
        match = _PART.match(part)
        if not match:
            raise ValueError(part)
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if not (MIN_YEAR <= low <= high <= MAX_YEAR):
            raise ValueError(part)
        years.update(range(low, high + 1))
    if len(years) > MAX_YEARS:
        raise ValueError(str(text))
    return sorted(years)


def format_years(years: list[int]) -> str:
    """``2015-2020, 2022``: consecutive years as ranges."""
    parts: list[str] = []
    start = previous = None
    for year in [*years, None]:
        if start is not None and year == previous + 1:
            previous = year
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = year
    return ", ".join(parts)


def normalise_years(value: Any) -> Any:
    """Validator body: the years to collect, stored as ``2015-2020, 2022``."""
    if value is None or value == "" or value is tk.missing:
        return value
    try:
        return format_years(parse_years(value))
    except ValueError:
        raise tk.Invalid(
            YEARS_INVALID.format(text=str(value), low=MIN_YEAR, high=MAX_YEAR)
        ) from None


def years_of(dataset: dict[str, Any]) -> list[int]:
    try:
        return parse_years(dataset.get(YEARS) or "")
    except ValueError:
        return []


def data_resource(dataset: dict[str, Any]) -> dict[str, Any] | None:
    """The first resource with a column dictionary: the one collected into."""
    return next((r for r in dataset.get("resources") or [] if r.get(COLUMNS)), None)
