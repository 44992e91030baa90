"""Typed getters for the ``ckanext.bdom.schedule.*`` options.

The defaults are repeated here so that the dataset schema's computed
``bdom_next_update_due`` (plugin ``bdom``) works even without ``bdom_schedule``.
"""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk

from ckanext.bdom.lib import schedule

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def lag_months() -> int:
    return tk.asint(tk.config.get("ckanext.bdom.schedule.lag_months", schedule.DEFAULT_LAG_MONTHS))


def due_soon_days() -> int:
    value = tk.config.get("ckanext.bdom.schedule.due_soon_days", schedule.DEFAULT_DUE_SOON_DAYS)
    return tk.asint(value)


def digest_weekday() -> int:
    """0 = Monday … 6 = Sunday."""
    name = str(tk.config.get("ckanext.bdom.schedule.digest_weekday", "monday")).strip().lower()
    return WEEKDAYS.index(name) if name in WEEKDAYS else 0


def remind_at() -> dt.time:
    """The local time of day ``ckan bdom scheduler`` runs the reminders."""
    text = str(tk.config.get("ckanext.bdom.schedule.remind_at") or "07:00").strip()
    try:
        return dt.time.fromisoformat(text)
    except ValueError:  # refused by the declaration's validator at start-up
        return dt.time(7, 0)
