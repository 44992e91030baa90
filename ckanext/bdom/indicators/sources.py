"""Read the indicators' inputs from the DataStore of published datasets only.

* BDL: every published dataset of the GUS BDL harvester (``bdom_source`` =
  ``gus_bdl``) whose DataStore table has the harvester's tidy columns; only
  the rows of variables the catalogue reads are fetched.
* Portal tables: the published datasets the catalogue names, each DataStore
  table that has the columns a formula needs.
* Steward entries: the published dataset ``ckanext.bdom.indicators.entries_dataset``.

A draft, submitted, verified, returned or archived dataset is private and
feeds nothing public.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pandas as pd

import ckan.plugins.toolkit as tk

from ckanext.bdom.danegovpl.published import is_published
from ckanext.bdom.indicators import catalogue as cat_module
from ckanext.bdom.indicators import config
from ckanext.bdom.indicators.compute import BDL_COLUMNS, Inputs, Table

log = logging.getLogger(__name__)
BDL_SOURCE = "gus_bdl"
PAGE = 10_000
ENTRY_COLUMNS = ("indicator", "year", "value")


def _context() -> dict[str, Any]:
    return {"ignore_auth": True}


def published_bdl_datasets() -> list[dict[str, Any]]:
    result = tk.get_action("package_search")(
        _context(),
        {"q": "*:*", "fq": f"+bdom_source:{BDL_SOURCE}", "rows": 1000, "include_private": False},
    )
    return [d for d in result["results"] if is_published(d)]


def published_dataset(name: str) -> dict[str, Any] | None:
    try:
        dataset = tk.get_action("package_show")(_context(), {"id": name})
    except tk.ObjectNotFound:
        return None
    return dataset if is_published(dataset) else None


def datastore_fields(resource_id: str) -> list[str]:
    try:
        info = tk.get_action("datastore_search")(
            _context(), {"resource_id": resource_id, "limit": 0}
        )
    except (tk.ObjectNotFound, tk.ValidationError):
        return []
    return [f["id"] for f in info["fields"] if f["id"] != "_id"]


def records(resource_id: str, filters: dict[str, Any] | None = None) -> Iterator[dict]:
    offset = 0
    while True:
        found = tk.get_action("datastore_search")(
            _context(),
            {
                "resource_id": resource_id,
                "filters": filters or {},
                "limit": PAGE,
                "offset": offset,
                "sort": "_id",
            },
        )
        yield from found["records"]
        if len(found["records"]) < PAGE:
            return
        offset += PAGE


def _tables(
    dataset: dict[str, Any], needed: set[str], every: bool = True
) -> Iterator[tuple[dict, list[str]]]:
    """(resource, its columns) of the dataset's DataStore tables that have
    every column of ``needed`` (or, with ``every=False``, any of them)."""
    for resource in dataset.get("resources") or []:
        if not resource.get("datastore_active"):
            continue
        fields = datastore_fields(resource["id"])
        if (needed <= set(fields)) if every else (needed & set(fields)):
            yield resource, fields


def bdl_rows(variables: set[int]) -> pd.DataFrame:
    frames = []
    for dataset in published_bdl_datasets():
        for resource, _ in _tables(dataset, set(BDL_COLUMNS)):
            found = list(records(resource["id"], {"variable_id": sorted(variables)}))
            if found:
                frame = pd.DataFrame(found)
                frame["dataset"] = dataset["name"]
                frame["resource_id"] = resource["id"]
                frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=[*BDL_COLUMNS, "dataset", "resource_id"])
    return pd.concat(frames, ignore_index=True)


def _column_units(resource: dict[str, Any]) -> dict[str, str]:
    """Column units a steward declared in the resource's column dictionary."""
    return {
        column["name"]: column["unit"]
        for column in resource.get("bdom_columns") or []
        if isinstance(column, dict) and column.get("name") and column.get("unit")
    }


def portal_tables(catalogue: cat_module.Catalogue) -> dict[str, list[Table]]:
    needed: dict[str, set[str]] = {}
    for indicator in catalogue.indicators:
        for term in cat_module.terms(indicator):
            if "dataset" in term:
                needed.setdefault(term["dataset"], set()).update(
                    (term["column"], term["year_column"])
                )
    tables: dict[str, list[Table]] = {}
    for name, columns in needed.items():
        dataset = published_dataset(name)
        if dataset is None:
            continue
        for resource, _ in _tables(dataset, columns, every=False):
            frame = pd.DataFrame(list(records(resource["id"])))
            tables.setdefault(name, []).append(
                Table(frame, name, resource["id"], dataset["title"], _column_units(resource))
            )
    return tables


def steward_entries() -> pd.DataFrame | None:
    dataset = published_dataset(config.entries_dataset())
    if dataset is None:
        return None
    frames = []
    for resource, _ in _tables(dataset, set(ENTRY_COLUMNS)):
        frame = pd.DataFrame(list(records(resource["id"])))
        frame["dataset"] = dataset["name"]
        frame["resource_id"] = resource["id"]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else None


def gather(catalogue: cat_module.Catalogue) -> Inputs:
    return Inputs(
        city_unit=config.city_unit(),
        city_name=config.city_name(),
        bdl=bdl_rows(catalogue.bdl_variables()),
        tables=portal_tables(catalogue),
        entries=steward_entries(),
    )


def is_source(dataset: dict[str, Any], catalogue: cat_module.Catalogue) -> bool:
    """Whether a change of ``dataset`` can change an indicator."""
    name = dataset.get("name")
    if name == config.dataset_name():
        return False
    return (
        dataset.get("bdom_source") == BDL_SOURCE
        or name in catalogue.datasets()
        or name == config.entries_dataset()
    )
