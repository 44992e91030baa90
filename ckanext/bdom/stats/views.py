"""``/statystyki``: every statistic as an SVG chart, a table and a sentence;
``/statystyki/<name>.csv``: one table as CSV."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response

import ckan.plugins.toolkit as tk

from ckanext.bdom.lib import safe_csv
from ckanext.bdom.stats import chart, data, jobs

stats = Blueprint("bdom_stats", __name__)


@stats.route("/statystyki")
def index() -> str:
    jobs.queue_update()
    tables = [table for build in data.TABLES.values() if (table := build()) is not None]
    charts = {t.slug: chart.bar_chart(t.rows, t.chart_label, t.chart_value) for t in tables}
    return tk.render("bdom/stats/index.html", {"tables": tables, "charts": charts})


@stats.route("/statystyki/<name>.csv")
def table_csv(name: str) -> Response:
    build = data.TABLES.get(name)
    table = build() if build else None
    if table is None:
        return tk.abort(
            404,
            "Nie ma takiej statystyki; zobacz listę na /statystyki. / "
            "No such statistic; see the list at /statystyki.",
        )
    body = safe_csv.excel_csv(
        [column.label for column in table.columns],
        ([row.get(column.key) for column in table.columns] for row in table.rows),
    )
    return safe_csv.download(body, f"{table.slug}-{dt.date.today().isoformat()}.csv")


def get_blueprints() -> list[Blueprint]:
    return [stats]
