"""Validators of the ``bdom_schedule`` options (run without a request, so the
messages carry both languages: Polish first, then English)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk


def bdom_time_of_day(value: Any) -> str:
    """A time of day as ``HH:MM`` (24-hour clock), e.g. ``07:00``."""
    text = str(value).strip()
    try:
        return dt.time.fromisoformat(text).isoformat("minutes")
    except ValueError:
        raise tk.Invalid(
            f"Godzina {text!r} jest niepoprawna; podaj ją jako GG:MM, np. 07:00. / "
            f"The time {text!r} is not valid; give it as HH:MM, e.g. 07:00."
        ) from None


def get_validators() -> dict[str, Any]:
    return {"bdom_time_of_day": bdom_time_of_day}
