"""Pages: ``/wskazniki`` (every theme), ``/wskazniki/<theme>`` and
``/wskazniki/<indicator>``. Charts are SVG drawn on the server, each with its
data table and a sentence that says what it shows, so they read without
JavaScript."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, request

import ckan.plugins.toolkit as tk

from ckanext.bdom.indicators import chart, config, report, store

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


def _report() -> tuple[int | None, list[dict[str, Any]], list[int]]:
    year = request.args.get("rok", type=int)
    statuses = {r["indicator_id"]: r for r in store.read(store.STATUS)}
    values = store.read(store.VALUES, {"unit_role": "city"})
    years = sorted({int(r["year"]) for r in values if r.get("status") == "ok"}, reverse=True)
    return year, report.rows(config.indicator_catalogue(), values, statuses, year), years


@indicators.route("/wskazniki/raport")
def report_page() -> str:
    year, rows, years = _report()
    return tk.render(
        "bdom/indicators/report.html",
        {
            "year": year,
            "rows": rows,
            "years": years,
            "missing": [r for r in rows if r["value"] is None],
        },
    )


@indicators.route("/wskazniki/raport.<fmt>")
def report_file(fmt: str) -> Response:
    year, rows, _ = _report()
    name = f"iso37120-raport-{year or 'najnowsze'}"
    if fmt == "csv":
        body, mimetype = report.to_csv(rows), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        title = f"ISO 37120 — {config.city_name()} — {year or tk._('latest values')}"
        body = report.to_xlsx(rows, title)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        return tk.abort(404)
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


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
            "may_enter": shown["computed_from"] == "steward" and _may_enter(),
        },
    )


def _may_enter() -> bool:
    try:
        tk.check_access("bdom_indicator_entry_create", {"user": tk.current_user.name})
    except (tk.NotAuthorized, AttributeError):
        return False
    return True


@indicators.route("/wskazniki/<ident>/wprowadz", methods=["GET", "POST"])
def enter(ident: str) -> Any:
    """A steward's yearly value of an indicator the steward supplies."""
    indicator = config.indicator_catalogue().indicator(ident)
    if indicator is None or indicator["compute"]["kind"] != "steward":
        return tk.abort(404, tk._("Indicator not found"))
    if not _may_enter():
        return tk.abort(
            403, tk._("Only the open data officer and the stewards' coordinators enter values")
        )
    data: dict[str, Any] = {
        "indicator": indicator["id"],
        "year": "",
        "value": "",
        "source": "",
        "note": "",
    }
    errors: dict[str, list[str]] = {}
    saved = None
    if request.method == "POST":
        data.update({key: request.form.get(key, "") for key in ("year", "value", "source", "note")})
        try:
            saved = tk.get_action("bdom_indicator_entry_create")(
                {"user": tk.current_user.name}, dict(data)
            )
        except tk.ValidationError as error:
            errors = error.error_dict
    return tk.render(
        "bdom/indicators/entry.html",
        {"indicator": indicator, "data": data, "errors": errors, "saved": saved},
    )


def get_blueprints() -> list[Blueprint]:
    return [indicators]
