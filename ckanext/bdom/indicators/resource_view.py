"""The ``bdom_indicator_view`` resource view: any yearly time series in the
DataStore as SVG charts with their tables and a one-line summary.

Two table shapes are understood: the BDL harvester's tidy table (one chart
per variable, one line per unit) and a wide table with a year column (``rok``
or ``year``; one chart per numeric column).
"""

from __future__ import annotations

from typing import Any

from ckanext.bdom.indicators import chart

YEAR_COLUMNS = ("year", "rok", "rok_rozpoczecia")
TIDY = {"unit_id", "variable_id", "year", "value"}
MAX_CHARTS = 8


def _number(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def year_column(fields: list[dict[str, Any]]) -> str | None:
    names = [f["id"] for f in fields]
    return next((c for c in YEAR_COLUMNS if c in names), None)


def _point(label: str, year: Any, value: Any) -> dict[str, Any] | None:
    number, when = _number(value), _number(year)
    if number is None or when is None:
        return None
    return {
        "unit_id": label,
        "unit_name": label,
        "unit_role": "comparison",
        "year": int(when),
        "value": number,
        "status": "ok",
    }


def _panel(title: str, points: list[dict[str, Any]]) -> dict[str, Any] | None:
    drawn = chart.line_chart(points)
    if drawn is None:
        return None
    summaries = []
    for line in drawn["lines"]:
        mine = sorted((p for p in points if p["unit_id"] == line["label"]), key=lambda p: p["year"])
        summaries.append(
            {
                "label": line["label"],
                "first": mine[0],
                "last": mine[-1],
            }
        )
    years = sorted({p["year"] for p in points})
    labels = [line["label"] for line in drawn["lines"]]
    table = [
        {
            "year": year,
            "values": [
                next(
                    (p["value"] for p in points if p["year"] == year and p["unit_id"] == lbl), None
                )
                for lbl in labels
            ],
        }
        for year in years
    ]
    return {
        "title": title,
        "chart": drawn,
        "summaries": summaries,
        "labels": labels,
        "table": table,
    }


def panels(fields: list[dict[str, Any]], records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The charts of one DataStore table (empty when it is not a yearly series)."""
    names = {f["id"] for f in fields}
    found = []
    if names >= TIDY:
        by_variable: dict[str, list[dict[str, Any]]] = {}
        for row in records:
            title = str(row.get("variable_name") or row.get("variable_id"))
            point = _point(str(row.get("unit_name") or row["unit_id"]), row["year"], row["value"])
            if point:
                by_variable.setdefault(title, []).append(point)
        found = [_panel(title, points) for title, points in by_variable.items()]
    elif year := year_column(fields):
        numeric = [
            f["id"]
            for f in fields
            if f["id"] not in (year, "_id")
            and f.get("type") in ("numeric", "int", "int4", "float8")
        ]
        for column in numeric:
            points = [p for p in (_point(column, r.get(year), r.get(column)) for r in records) if p]
            found.append(_panel(column, points))
    return [p for p in found if p][:MAX_CHARTS]
