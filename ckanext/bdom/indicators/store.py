"""The results dataset "ISO 37120 — wskaźniki" and its two DataStore tables.

* ``values`` (resource "Wartości wskaźników"): one row per indicator, unit and
  year with the value, its status, the reason a value is missing, notes on
  the inputs, the formula and the provenance (JSON list of every input: the
  dataset, resource, BDL variable or column, unit, year, value and flag);
* ``status`` (resource "Stan wskaźników"): one row per indicator with its
  latest city value or why it has none (including computation errors).

Each computation replaces both tables' rows. The dataset is created as the
site user and published through the workflow, like the BDL harvester does.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import ckan.plugins.toolkit as tk

from ckanext.bdom.indicators import catalogue as cat_module
from ckanext.bdom.indicators import config, sources
from ckanext.bdom.indicators.compute import RESULT_COLUMNS, Results

VALUES, STATUS = "values", "status"
RESOURCE_NAMES = {VALUES: "Wartości wskaźników", STATUS: "Stan wskaźników"}
FIELDS = {
    VALUES: {
        "indicator_id": "text",
        "unit_id": "text",
        "unit_name": "text",
        "unit_role": "text",
        "year": "int",
        "value": "numeric",
        "unit": "text",
        "status": "text",
        "reason": "text",
        "note": "text",
        "formula": "text",
        "sources": "text",
        "computed_at": "timestamp",
    },
    STATUS: {
        "indicator_id": "text",
        "status": "text",
        "latest_year": "int",
        "latest_value": "numeric",
        "years": "int",
        "units": "int",
        "reason": "text",
        "computed_at": "timestamp",
    },
}
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
ANNUAL = "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
NOTES = (
    "Wskaźniki normy ISO 37120:2018 (zrównoważone miasta i społeczności — wskaźniki usług "
    "miejskich i jakości życia) obliczone z opublikowanych danych portalu: zbiorów z Banku "
    "Danych Lokalnych GUS, zbiorów gestorów i wartości wprowadzonych przez gestorów. Tabela "
    "„Wartości wskaźników” podaje przy każdej wartości jej wzór i pochodzenie (zbiory, zmienne, "
    "lata); brak wartości ma podaną przyczynę. Zbiór jest przeliczany automatycznie po zmianie "
    "danych źródłowych.\n\n*ISO 37120:2018 indicators computed from the portal's published data, "
    "with the formula and provenance of every value.*"
)


def site_context() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": user, "ignore_auth": True}


def _owner_org() -> str:
    if config.organization():
        return config.organization()
    for dataset in sources.published_bdl_datasets():
        if dataset.get("owner_org"):
            return dataset["owner_org"]
    for name in sorted(config.indicator_catalogue().datasets()):
        dataset = sources.published_dataset(name)
        if dataset and dataset.get("owner_org"):
            return dataset["owner_org"]
    raise tk.ValidationError(
        {
            "owner_org": [
                "Ustaw ckanext.bdom.indicators.organization: nie ma opublikowanego zbioru "
                "źródłowego, którego gestor mógłby być właścicielem zbioru wskaźników. / Set "
                "ckanext.bdom.indicators.organization: no published source dataset to take "
                "the owner of the indicators dataset from."
            ]
        }
    )


def _dataset_dict(catalogue: cat_module.Catalogue) -> dict[str, Any]:
    return {
        "name": config.dataset_name(),
        "title": "ISO 37120 — wskaźniki",
        "notes": NOTES,
        "tag_string": "ISO 37120,wskaźniki,zrównoważony rozwój,jakość życia",
        "theme": [EU_THEME + "SOCI", EU_THEME + "REGI"],
        "bdom_iso37120_themes": [t["id"] for t in catalogue.themes if not t.get("profile")],
        "frequency": ANNUAL,
        "license_id": "cc-by",
    }


def _existing(name: str) -> dict[str, Any] | None:
    try:
        return tk.get_action("package_show")(site_context(), {"id": name})
    except tk.ObjectNotFound:
        return None


def results_dataset() -> dict[str, Any] | None:
    """The results dataset if it exists (whatever its state)."""
    return _existing(config.dataset_name())


def ensure_published(
    name: str, dataset_dict: Callable[[], dict[str, Any]], comment: str
) -> dict[str, Any]:
    """The dataset ``name``; created from ``dataset_dict()`` as the site user
    and published through the workflow when missing."""
    dataset = _existing(name)
    if dataset is not None:
        return dataset
    context = site_context()
    dataset = tk.get_action("package_create")(
        dict(context), {**dataset_dict(), "owner_org": _owner_org()}
    )
    try:
        from ckanext.bdom.workflow.transitions import bring_to

        tk.get_action("bdom_dataset_transition")
    except (ImportError, KeyError):
        return dataset
    return bring_to(dict(context), dataset["id"], "published", comment)


def ensure_dataset(catalogue: cat_module.Catalogue) -> dict[str, Any]:
    return ensure_published(
        config.dataset_name(),
        lambda: _dataset_dict(catalogue),
        "Opublikowano automatycznie: wskaźniki ISO 37120 obliczone z opublikowanych "
        "danych. / Published automatically: ISO 37120 indicators computed from "
        "published data.",
    )


def resource_ids(dataset: dict[str, Any]) -> dict[str, str]:
    by_name = {r.get("name"): r["id"] for r in dataset.get("resources") or []}
    return {kind: by_name[name] for kind, name in RESOURCE_NAMES.items() if name in by_name}


def _table(context: dict, dataset: dict, kind: str, existing: dict[str, str]) -> str:
    fields = [{"id": name, "type": kind_} for name, kind_ in FIELDS[kind].items()]
    if kind in existing:
        # columns added by a newer version of this plugin join the old table
        tk.get_action("datastore_create")(
            dict(context), {"resource_id": existing[kind], "fields": fields, "force": True}
        )
        tk.get_action("datastore_delete")(
            dict(context), {"resource_id": existing[kind], "filters": {}, "force": True}
        )
        return existing[kind]
    created = tk.get_action("datastore_create")(
        dict(context),
        {
            "resource": {
                "package_id": dataset["id"],
                "name": RESOURCE_NAMES[kind],
                "format": "CSV",
                "description": "Tabela DataStore obliczana przez wtyczkę bdom_indicators. / "
                "DataStore table computed by the bdom_indicators plugin.",
            },
            "fields": fields,
            "force": True,
        },
    )
    return created["resource_id"]


def _clean(value: Any) -> Any:
    """A JSON- and DataStore-safe value: numpy scalars become Python ones,
    NaN and NA become None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def status_rows(catalogue: cat_module.Catalogue, results: Results, now: str) -> list[dict]:
    rows = []
    for indicator in catalogue.indicators:
        ident = indicator["id"]
        record = {"indicator_id": ident, "computed_at": now, "years": 0, "units": 0}
        outcome = results.outcomes.get(ident)
        if ident in results.errors:
            record.update(status="error", reason=results.errors[ident])
        elif outcome is None or outcome.rows.empty:
            record.update(status="no_data", reason=outcome.reason if outcome else "")
        else:
            frame = outcome.rows
            city = frame[(frame["unit_role"] == "city") & (frame["status"] == "ok")]
            record.update(
                status="ok" if not city.empty else "no_city_data",
                years=int(frame["year"].nunique()),
                units=int(frame["unit_id"].nunique()),
                reason="" if not city.empty else "; ".join(frame["reason"].dropna().unique()[:3]),
            )
            if not city.empty:
                latest = city.sort_values("year").iloc[-1]
                record.update(latest_year=int(latest["year"]), latest_value=latest["value"])
        rows.append(record)
    return rows


def _fed_by_key() -> str:
    return f"bdom:indicators:{tk.config['ckan.site_id']}:fed-by"


def fed_by(results: Results) -> dict[str, list[str]]:
    """Dataset name → the indicators its data gave a value to."""
    found: dict[str, set[str]] = {}
    ok = results.rows[results.rows["status"] == "ok"] if not results.rows.empty else results.rows
    for ident, text in zip(ok.get("indicator_id", []), ok.get("sources", []), strict=False):
        for source in json.loads(text or "[]"):
            if source.get("dataset"):
                found.setdefault(source["dataset"], set()).add(ident)
    return {name: sorted(ids) for name, ids in found.items()}


def indicators_fed_by(dataset_name: str) -> list[str]:
    """Indicator ids the dataset fed at the last computation."""
    from ckan.lib.redis import connect_to_redis

    stored = connect_to_redis().get(_fed_by_key())
    return json.loads(stored).get(dataset_name, []) if stored else []


def save(catalogue: cat_module.Catalogue, results: Results) -> dict[str, Any]:
    """Write both tables; the results dataset (created and published if new)."""
    context = site_context()
    dataset = ensure_dataset(catalogue)
    existing = resource_ids(dataset)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")
    values = [
        {**{c: _clean(row[c]) for c in RESULT_COLUMNS}, "computed_at": now}
        for row in results.rows.to_dict("records")
    ]
    status = [
        {k: _clean(v) for k, v in row.items()} for row in status_rows(catalogue, results, now)
    ]
    for kind, rows in ((VALUES, values), (STATUS, status)):
        resource_id = _table(context, dataset, kind, existing)
        for start in range(0, len(rows), 5000):
            tk.get_action("datastore_upsert")(
                dict(context),
                {
                    "resource_id": resource_id,
                    "records": rows[start : start + 5000],
                    "method": "insert",
                    "force": True,
                },
            )
    from ckan.lib.redis import connect_to_redis

    connect_to_redis().set(_fed_by_key(), json.dumps(fed_by(results)))
    return dataset


def read(kind: str, filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows of a results table, only while the results dataset is published."""
    dataset = sources.published_dataset(config.dataset_name())
    if dataset is None:
        return []
    resource_id = resource_ids(dataset).get(kind)
    if not resource_id:
        return []
    rows = list(sources.records(resource_id, filters))
    for row in rows:
        row.pop("_id", None)
        if "sources" in row and row["sources"]:
            row["sources"] = json.loads(row["sources"])
    return rows
