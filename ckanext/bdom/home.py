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


def datasets(sort: str, limit: int = 5) -> list[dict[str, Any]]:
    """Public datasets ordered by ``sort`` (e.g. ``metadata_created desc``)."""
    found = _action("package_search", sort=sort, rows=limit, include_private=False)
    return [
        {
            "name": d["name"],
            "title": d.get("title") or d["name"],
            "steward": (d.get("organization") or {}).get("title") or "",
            "created": d.get("metadata_created") or "",
            "modified": d.get("metadata_modified") or "",
        }
        for d in found["results"]
    ]


def stewards(limit: int = 8) -> list[dict[str, Any]]:
    """Stewards with the most public datasets first."""
    found = _action("organization_list", all_fields=True, sort="package_count", limit=limit)
    return [
        {
            "label": o.get("title") or o["name"],
            "url": tk.h.url_for("organization.read", id=o["name"]),
            "count": o["package_count"],
        }
        for o in found
    ]


def categories() -> list[dict[str, Any]]:
    """EU themes with the number of public datasets in each, most first."""
    found = _action("package_search", rows=0, **{"facet.field": [facets.THEME], "facet.limit": -1})
    items = found.get("search_facets", {}).get(facets.THEME, {}).get("items", [])
    items = sorted(items, key=lambda i: (-i["count"], i.get("display_name") or i["name"]))
    return [
        {
            "label": i.get("display_name") or i["name"],
            "url": tk.h.url_for("dataset.search", **{facets.THEME: i["name"]}),
            "count": i["count"],
        }
        for i in items
    ]


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
