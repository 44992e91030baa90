"""Pages: ``/wskazniki`` (every theme), ``/wskazniki/<theme>`` and
``/wskazniki/<indicator>``. Charts are SVG drawn on the server, each with its
data table and a sentence that says what it shows, so they read without
JavaScript."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.bdom.indicators import chart, config, store

indicators = Blueprint("bdom_indicators", __name__)


def _action(name: str, **data_dict: Any) -> Any:
    return tk.get_action(name)({}, data_dict)


def _with_comparisons(listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for item in listed:
        item["comparison"] = None
        if item["status"] == "ok":
            series = _action("bdom_indicator_show", id=item["id"])["series"]
            item["comparison"] = chart.latest_comparison(series)
    return listed


def _theme_page(theme: dict[str, Any] | None) -> str:
    themes = _action("bdom_indicator_theme_list")
    listed = _action("bdom_indicator_list", **({"theme": theme["id"]} if theme else {}))
    groups = [
        {**t, "items": _with_comparisons([i for i in listed if i["theme"] == t["id"]])}
        for t in themes
        if theme is None or t["id"] == theme["id"]
    ]
    return tk.render(
        "bdom/indicators/index.html", {"themes": themes, "groups": groups, "theme": theme}
    )


@indicators.route("/wskazniki")
def index() -> str:
    return _theme_page(None)


def _datasets(series: list[dict[str, Any]]) -> list[str]:
    names = {s.get("dataset") for row in series for s in row.get("sources") or []}
    return sorted(n for n in names if n)


@indicators.route("/wskazniki/<ident>")
def show(ident: str) -> str:
    catalogue = config.indicator_catalogue()
    theme = catalogue.theme(ident) or catalogue.theme(f"iso37120-2018:{ident}")
    if theme:
        return _theme_page(theme)
    try:
        shown = _action("bdom_indicator_show", id=ident)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Indicator not found"))
    comparison = chart.latest_comparison(shown["series"])
    results = store.results_dataset()
    values_resource = store.resource_ids(results).get(store.VALUES) if results else None
    return tk.render(
        "bdom/indicators/indicator.html",
        {
            "indicator": shown,
            "theme": catalogue.theme(shown["theme"]),
            "chart": chart.line_chart(shown["series"]),
            "comparison": comparison,
            "bars": chart.bar_chart(shown["series"], comparison["year"]) if comparison else None,
            "datasets": _datasets(shown["series"]),
            "values_resource": values_resource,
            "dump_filters": json.dumps({"indicator_id": shown["id"]}),
        },
    )


def get_blueprints() -> list[Blueprint]:
    return [indicators]
