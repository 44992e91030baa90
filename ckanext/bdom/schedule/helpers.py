"""Template helpers of the schedule. They return data, never HTML."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.bdom.lib import schedule


def bdom_schedule_state_labels() -> dict[str, str]:
    """The schedule's states with their names, in the order of urgency."""
    return {
        schedule.OVERDUE: tk._("Overdue"),
        schedule.DUE_SOON: tk._("Due soon"),
        schedule.CURRENT: tk._("Current"),
        schedule.IRREGULAR: tk._("No schedule"),
    }


def bdom_schedule_state_label(state: str) -> str:
    return bdom_schedule_state_labels().get(state, state)


def bdom_schedule_frequency_label(code: str) -> str:
    """The name of an EU frequency code (``ANNUAL``) from the dataset schema."""
    if not code:
        return tk._("not given")
    try:
        schema = tk.h.scheming_get_dataset_schema("dataset")
        field = tk.h.scheming_field_by_name(schema["dataset_fields"], "frequency")
        label = tk.h.scheming_choices_label(field["choices"], schedule.FREQUENCY + code)
    except (KeyError, TypeError, AttributeError):
        return code
    return str(label)


def get_helpers() -> dict[str, Any]:
    return {
        "bdom_schedule_state_labels": bdom_schedule_state_labels,
        "bdom_schedule_state_label": bdom_schedule_state_label,
        "bdom_schedule_frequency_label": bdom_schedule_frequency_label,
    }
