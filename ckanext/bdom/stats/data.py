"""The statistics' tables: views and downloads (CKAN's ``tracking`` plugin),
datasets per steward and per category, update punctuality per steward.

Each table is a ``Table``: its columns, rows, which column the chart draws,
and a sentence that sums it up. Only public datasets are counted and named.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.tracking.model import TrackingSummary

from ckanext.bdom import home
from ckanext.bdom.lib import schedule
from ckanext.bdom.stats import config

NOT_FOUND = "~~not~found~~"  # tracking's mark of a page that is no dataset
RECENT_DAYS = 14
RESOURCE_ID = re.compile(r"/resource/([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})")


@dataclass
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    chart_label: str
    chart_value: str
    summary: str
    link: Callable[[dict[str, Any]], str] | None = field(default=None, repr=False)


def _public(package_ids: set[str]) -> dict[str, Any]:
    """Public, active datasets among ``package_ids``, by id."""
    if not package_ids:
        return {}
    found = (
        model.Session.query(model.Package)
        .filter(
            model.Package.id.in_(package_ids),
            model.Package.state == "active",
            model.Package.private.is_(False),
        )
        .all()
    )
    return {p.id: p for p in found}


def _ranked(counts: dict[str, tuple[int, int]], value_key: str) -> list[dict[str, Any]]:
    """Rows of the most counted public datasets: (total, recent) per package id."""
    packages = _public(set(counts))
    rows = [
        {
            "name": packages[pid].name,
            "title": packages[pid].title or packages[pid].name,
            value_key: total,
            "recent": recent,
        }
        for pid, (total, recent) in counts.items()
        if pid in packages and total
    ]
    rows.sort(key=lambda r: (-r[value_key], r["title"]))
    return rows[: config.top()]


def _sums(key: Any, *conditions: Any) -> dict[Any, tuple[int, int]]:
    """(all-time, last 14 days) sums of tracking counts per ``key``."""
    ts = TrackingSummary
    since = dt.date.today() - dt.timedelta(days=RECENT_DAYS)
    recent = func.sum(ts.count).filter(ts.tracking_date >= since)
    rows = (
        model.Session.query(key, func.sum(ts.count), recent).filter(*conditions).group_by(key).all()
    )
    return {k: (int(total or 0), int(last or 0)) for k, total, last in rows}


def view_counts() -> dict[str, tuple[int, int]]:
    """(all-time, last 14 days) page views per dataset id."""
    ts = TrackingSummary
    return _sums(
        ts.package_id,
        ts.tracking_type == "page",
        ts.package_id.isnot(None),
        ts.package_id != NOT_FOUND,
    )


def download_counts() -> dict[str, tuple[int, int]]:
    """(all-time, last 14 days) downloads per dataset id, from clicks on
    resource links: the resource is found by the id in its download address
    (uploaded files) or by its URL (linked files)."""
    ts = TrackingSummary
    by_url = _sums(ts.url, ts.tracking_type == "resource")
    if not by_url:
        return {}
    ids = {url: m.group(1) for url in by_url if (m := RESOURCE_ID.search(url))}
    resources = (
        model.Session.query(model.Resource.id, model.Resource.url, model.Resource.package_id)
        .filter(
            model.Resource.state == "active",
            model.Resource.id.in_(set(ids.values())) | model.Resource.url.in_(set(by_url)),
        )
        .all()
    )
    package_of_id = {rid: pid for rid, _url, pid in resources}
    package_of_url = {url: pid for _rid, url, pid in resources}
    counts: dict[str, tuple[int, int]] = {}
    for url, (total, recent) in by_url.items():
        pid = package_of_id.get(ids.get(url, "")) or package_of_url.get(url)
        if pid:
            before = counts.get(pid, (0, 0))
            counts[pid] = (before[0] + total, before[1] + recent)
    return counts


def _dataset_link(row: dict[str, Any]) -> str:
    return tk.h.url_for("dataset.read", id=row["name"])


def _lead(rows: list[dict[str, Any]], label: str, value: str, template: str, empty: str) -> str:
    if not rows:
        return empty
    first = rows[0]
    return template.format(name=first[label], n=first[value], count=len(rows))


def _ranking(slug: str, value_key: str, counts: dict[str, tuple[int, int]], texts: Any) -> Table:
    """A top list of datasets; ``texts``: title, the two column labels, the
    summary (with {name} and {n}) and the sentence when nothing was counted."""
    title, total_label, recent_label, lead, empty = texts
    rows = _ranked(counts, value_key)
    return Table(
        slug=slug,
        title=title,
        columns=[
            Column("title", tk._("Dataset")),
            Column(value_key, total_label, True),
            Column("recent", recent_label, True),
        ],
        rows=rows,
        chart_label="title",
        chart_value=value_key,
        summary=_lead(rows, "title", value_key, lead, empty),
        link=_dataset_link,
    )


def most_viewed() -> Table:
    texts = (
        tk._("Most viewed datasets"),
        tk._("Views (all time)"),
        tk._("Views (last 14 days)"),
        tk._("The most viewed dataset is “{name}” with {n} views."),
        tk._("No views have been counted yet."),
    )
    return _ranking("najczesciej-ogladane", "views", view_counts(), texts)


def most_downloaded() -> Table:
    texts = (
        tk._("Most downloaded datasets"),
        tk._("Downloads (all time)"),
        tk._("Downloads (last 14 days)"),
        tk._("The most downloaded dataset is “{name}” with {n} downloads."),
        tk._("No downloads have been counted yet."),
    )
    return _ranking("najczesciej-pobierane", "downloads", download_counts(), texts)


def per_steward() -> Table:
    found = tk.get_action("package_search")(
        {}, {"rows": 0, "facet.field": ["organization"], "facet.limit": -1}
    )
    items = found.get("search_facets", {}).get("organization", {}).get("items", [])
    rows = sorted(
        (
            {"name": i["name"], "steward": i.get("display_name") or i["name"], "count": i["count"]}
            for i in items
        ),
        key=lambda r: (-r["count"], r["steward"]),
    )
    return Table(
        slug="zbiory-wg-gestora",
        title=tk._("Datasets per data steward"),
        columns=[Column("steward", tk._("Data steward")), Column("count", tk._("Datasets"), True)],
        rows=rows,
        chart_label="steward",
        chart_value="count",
        summary=_lead(
            rows,
            "steward",
            "count",
            tk._("{count} data stewards publish datasets; the most, {n}, come from {name}."),
            tk._("No datasets have been published yet."),
        ),
        link=lambda row: tk.h.url_for("organization.read", id=row["name"]),
    )


def per_category() -> Table:
    rows = [
        {"category": c["label"], "count": c["count"], "url": c["url"]} for c in home.categories()
    ]
    return Table(
        slug="zbiory-wg-kategorii",
        title=tk._("Datasets per category"),
        columns=[Column("category", tk._("Category")), Column("count", tk._("Datasets"), True)],
        rows=rows,
        chart_label="category",
        chart_value="count",
        summary=_lead(
            rows,
            "category",
            "count",
            tk._("Datasets cover {count} categories; the largest is {name} with {n} datasets."),
            tk._("No datasets have been published yet."),
        ),
        link=lambda row: row["url"],
    )


def punctuality() -> Table | None:
    """Per steward: how many scheduled public datasets are not overdue (from
    the update schedule of plugin ``bdom_schedule``); ``None`` without it."""
    if not tk.h.plugin_loaded("bdom_schedule"):
        return None
    from ckanext.bdom.schedule import listing

    listed = listing.schedule_rows({"user": ""})  # what anybody may see
    rows = [r for r in schedule.punctuality(r.as_dict() for r in listed) if r["scheduled"]]
    rows.sort(key=lambda r: (-(r["on_time_percent"] or 0), r["steward"]))
    worst = min(rows, key=lambda r: r["on_time_percent"] or 0) if rows else None
    summary = (
        tk._(
            "Across {count} data stewards, {on_time} of {scheduled} scheduled datasets are up to "
            "date; the lowest share is {name}'s, {n}%."
        ).format(
            count=len(rows),
            on_time=sum(r["scheduled"] - r["overdue"] for r in rows),
            scheduled=sum(r["scheduled"] for r in rows),
            name=worst["steward"] if worst else "",
            n=worst["on_time_percent"] if worst else "",
        )
        if rows
        else tk._("No published dataset has an update schedule yet.")
    )
    return Table(
        slug="terminowosc-gestorow",
        title=tk._("Update punctuality per data steward"),
        columns=[
            Column("steward", tk._("Data steward")),
            Column("scheduled", tk._("Datasets with a schedule"), True),
            Column("current", tk._("Up to date"), True),
            Column("due_soon", tk._("Due soon"), True),
            Column("overdue", tk._("Overdue"), True),
            Column("on_time_percent", tk._("On time (%)"), True),
        ],
        rows=rows,
        chart_label="steward",
        chart_value="on_time_percent",
        summary=summary,
    )


TABLES: dict[str, Callable[[], Table | None]] = {
    "najczesciej-ogladane": most_viewed,
    "najczesciej-pobierane": most_downloaded,
    "zbiory-wg-gestora": per_steward,
    "zbiory-wg-kategorii": per_category,
    "terminowosc-gestorow": punctuality,
}
