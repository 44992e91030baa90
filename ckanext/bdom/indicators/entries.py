"""Yearly values of steward-entered ISO 37120 indicators.

A coordinator of any steward (or the officer) enters an indicator's value for
a year with its source and a note on the page ``/wskazniki/<id>/wprowadz`` or
with the action ``bdom_indicator_entry_create``. Entries are open data: the
published dataset named by ``ckanext.bdom.indicators.entries_dataset`` holds
them in one DataStore table keyed by indicator and year, so entering a year
again replaces that year's value and keeps every other. The indicators are
then recomputed in the background.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.bdom.indicators import config, store

RESOURCE_NAME = "Wartości wprowadzone przez gestorów"
FIELDS = {
    "indicator": "text",
    "year": "int",
    "value": "numeric",
    "source": "text",
    "note": "text",
    "entered_by": "text",
    "steward": "text",
    "entered_at": "timestamp",
}
KEY = ["indicator", "year"]
NOTES = (
    "Roczne wartości wskaźników ISO 37120, których nie ma w Banku Danych Lokalnych GUS, "
    "wprowadzone przez gestorów danych na stronie wskaźnika, ze źródłem i uwagą. Jedna "
    "wartość na wskaźnik i rok; ponowne wprowadzenie roku zastępuje jego wartość.\n\n"
    "*Yearly values of ISO 37120 indicators not available in GUS BDL, entered by the data "
    "stewards with their source and a note.*"
)


def _dataset_dict() -> dict[str, Any]:
    return {
        "name": config.entries_dataset(),
        "title": "ISO 37120 — wartości od gestorów",
        "notes": NOTES,
        "tag_string": "ISO 37120,wskaźniki,gestorzy",
        "theme": [store.EU_THEME + "SOCI", store.EU_THEME + "REGI"],
        "frequency": store.ANNUAL,
        "license_id": "cc-by",
    }


def _table(dataset: dict[str, Any]) -> str:
    for resource in dataset.get("resources") or []:
        if resource.get("name") == RESOURCE_NAME and resource.get("datastore_active"):
            return resource["id"]
    created = tk.get_action("datastore_create")(
        store.site_context(),
        {
            "resource": {
                "package_id": dataset["id"],
                "name": RESOURCE_NAME,
                "format": "CSV",
                "description": "Tabela DataStore wypełniana na stronach wskaźników. / "
                "DataStore table filled in on the indicator pages.",
            },
            "fields": [{"id": name, "type": kind} for name, kind in FIELDS.items()],
            "primary_key": KEY,
            "force": True,
        },
    )
    return created["resource_id"]


def save(entry: dict[str, Any], user: str, steward: str) -> dict[str, Any]:
    """Store one year's value (replacing that year's earlier one); the stored row."""
    dataset = store.ensure_published(
        config.entries_dataset(),
        _dataset_dict,
        "Opublikowano automatycznie: wartości wskaźników ISO 37120 od gestorów. / "
        "Published automatically: ISO 37120 indicator values from the stewards.",
    )
    row = {
        **{key: entry.get(key) for key in ("indicator", "year", "value", "source", "note")},
        "entered_by": user,
        "steward": steward,
        "entered_at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(),
    }
    tk.get_action("datastore_upsert")(
        store.site_context(),
        {"resource_id": _table(dataset), "records": [row], "method": "upsert", "force": True},
    )
    return row
