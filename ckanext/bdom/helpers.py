"""Template helpers of ckanext-bdom. They return data, never HTML."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.bdom import config


def bdom_city_name() -> str:
    """The city's name in the current UI language."""
    if tk.h.lang() == "en":
        return config.city_name_en()
    return config.city_name()


def bdom_city_homepage() -> str:
    """The city's official website."""
    return config.homepage_url()


def bdom_portal_title() -> str:
    """'Bank Danych o Mieście — <city>' in the current UI language."""
    return tk._("Bank Danych o Mieście — {city}").format(city=bdom_city_name())


def bdom_form_rows(data: dict[str, Any], field_name: str) -> list[dict[str, Any]]:
    """Rows of a list-of-dicts field for a form or a page.

    The value may be a list, its JSON text, or (after a failed form
    submission) inputs named ``<field>-<n>-<subfield>``.
    """
    value = data.get(field_name)
    if isinstance(value, str) and value.strip():
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if isinstance(value, list):
        return [row for row in value if isinstance(row, dict)]
    rows: dict[int, dict[str, Any]] = {}
    prefix = f"{field_name}-"
    for key, item in data.items():
        parts = key[len(prefix) :].split("-", 1) if key.startswith(prefix) else []
        if len(parts) == 2 and parts[0].isdigit():
            rows.setdefault(int(parts[0]), {})[parts[1]] = item
    return [rows[index] for index in sorted(rows)]
