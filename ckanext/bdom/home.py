"""Data of the home page: newest and updated datasets, stewards, categories
and the strip of headline ISO 37120 indicators. Anonymous reads through the
action layer, so a visitor sees only what is public."""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.bdom import config, facets

log = logging.getLogger(__name__)
HEADLINE_COUNT = 6


def _action(name: str, **data_dict: Any) -> Any:
    return tk.get_action(name)({}, data_dict)


# Solr's own fields: no full dataset dicts to load (nor per-dataset lookups
# by other plugins' after_dataset_search, e.g. tracking's view counts)
LIST_FIELDS = ["name", "title", "organization", "metadata_created", "metadata_modified"]


def _iso(value: Any) -> str:
    return str(value or "").removesuffix("Z")


def _listed(results: list[dict[str, Any]], stewards: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "name": d["name"],
            "title": d.get("title") or d["name"],
            "steward": stewards.get(d.get("organization") or "", d.get("organization") or ""),
            "created": _iso(d.get("metadata_created")),
            "modified": _iso(d.get("metadata_modified")),
        }
        for d in results
    ]


def overview(limit: int = 5) -> dict[str, list[dict[str, Any]]]:
    """Newest and recently updated public datasets and the categories, in two
    searches (the newest with the category counts and the stewards' titles)."""
    newest = _action(
        "package_search",
        sort="metadata_created desc",
        rows=limit,
        fl=LIST_FIELDS,
        **{"facet.field": [facets.THEME, "organization"], "facet.limit": -1},
    )
    updated = _action("package_search", sort="metadata_modified desc", rows=limit, fl=LIST_FIELDS)
    found = newest.get("search_facets") or {}
    stewards = {
        i["name"]: i.get("display_name") or i["name"]
        for i in (found.get("organization") or {}).get("items", [])
    }
    return {
        "newest": _listed(newest["results"], stewards),
        "updated": _listed(updated["results"], stewards),
        "categories": categories_of(found),
    }


def _counted(items: list[dict[str, Any]], url: Any) -> list[dict[str, Any]]:
    items = sorted(items, key=lambda i: (-i["count"], i.get("display_name") or i["name"]))
    return [
        {"label": i.get("display_name") or i["name"], "url": url(i["name"]), "count": i["count"]}
        for i in items
    ]


def categories_of(search_facets: dict[str, Any]) -> list[dict[str, Any]]:
    """EU themes with their dataset counts from a search's facets, most first."""
    items = (search_facets.get(facets.THEME) or {}).get("items", [])
    return _counted(items, lambda iri: tk.h.url_for("dataset.search", **{facets.THEME: iri}))


def categories() -> list[dict[str, Any]]:
    """EU themes with the number of public datasets in each, most first."""
    found = _action("package_search", rows=0, **{"facet.field": [facets.THEME], "facet.limit": -1})
    return categories_of(found.get("search_facets") or {})


def stewards(search_facets: dict[str, Any], limit: int = 8) -> list[dict[str, Any]]:
    """Stewards with the most public datasets first, from the home page's own
    search (CKAN's home view facets by organization)."""
    items = (search_facets.get("organization") or {}).get("items", [])
    return _counted(items, lambda name: tk.h.url_for("organization.read", id=name))[:limit]


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return value.get(tk.h.lang()) or value.get("pl") or value.get("en") or ""
    return str(value or "")


def headline_indicators(limit: int = HEADLINE_COUNT) -> list[dict[str, Any]]:
    """The configured indicators (or the first core ones with city data) with
    their latest value; nothing when the indicators plugin is not loaded."""
    if not tk.h.plugin_loaded("bdom_indicators"):
        return []
    try:
        listed = _action("bdom_indicator_list", with_data=True)
    except tk.ObjectNotFound:
        return []
    wanted = config.theme_headline_indicators()
    if wanted:
        by_key = {key: i for i in listed for key in (i["id"], i["clause"])}
        chosen = [by_key[w] for w in wanted if w in by_key]
    else:
        chosen = [i for i in listed if i["type"] == "core"] + [
            i for i in listed if i["type"] != "core"
        ]
    return [
        {
            "id": i["id"],
            "clause": i["clause"],
            "name": _text(i["name"]),
            "unit": _text(i["unit"]),
            "year": i["latest_year"],
            "value": i["latest_value"],
        }
        for i in chosen[:limit]
    ]
