"""A yearly line chart as data for a server-rendered SVG (no JavaScript).

``line_chart`` turns an indicator's series into coordinates, axis ticks and
one line per unit; the template draws them and shows the same numbers in a
table next to the chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 32
ROLE_ORDER = ("city", "voivodeship", "country", "comparison")
COLOURS = ("#1f5fa8", "#b03a2e", "#2e7d32", "#6d4c41", "#7b1fa2", "#00838f", "#616161")


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high == low:
        return [low]
    step = (high - low) / (count - 1)
    return [low + step * i for i in range(count)]


def line_chart(series: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """Coordinates of every unit's line, or None when there is nothing to draw."""
    points = [r for r in series if r.get("value") is not None and r.get("status") == "ok"]
    if not points:
        return None
    years = sorted({int(r["year"]) for r in points})
    values = [float(r["value"]) for r in points]
    low, high = min(0.0, min(values)), max(values)
    high = high if high != low else low + 1
    first, last = years[0], years[-1]
    span = (last - first) or 1

    def x(year: int) -> float:
        return LEFT + (year - first) / span * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM)

    lines = []
    units = sorted(
        {(r["unit_role"], r["unit_id"], r["unit_name"]) for r in points},
        key=lambda u: (ROLE_ORDER.index(u[0]) if u[0] in ROLE_ORDER else 9, u[1]),
    )
    for index, (role, unit_id, name) in enumerate(units):
        mine = sorted(
            (int(r["year"]), float(r["value"])) for r in points if r["unit_id"] == unit_id
        )
        lines.append(
            {
                "role": role,
                "label": name or unit_id,
                "index": index,
                "colour": COLOURS[index % len(COLOURS)],
                "points": " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in mine),
                "dots": [{"x": round(x(yr), 1), "y": round(y(v), 1)} for yr, v in mine],
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "bottom": HEIGHT - BOTTOM,
        "right": WIDTH - RIGHT,
        "lines": lines,
        "x_ticks": [{"x": round(x(yr), 1), "label": yr} for yr in years],
        "y_ticks": [
            {"y": round(y(v), 1), "label": f"{v:,.4g}".replace(",", " ")} for v in _ticks(low, high)
        ],
    }


def latest_comparison(series: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The city's latest value and, for that year, the voivodeship's and Poland's."""
    rows = [r for r in series if r.get("status") == "ok" and r.get("value") is not None]
    city = sorted((r for r in rows if r["unit_role"] == "city"), key=lambda r: r["year"])
    if not city:
        return None
    latest = city[-1]
    same_year = {r["unit_role"]: r for r in rows if r["year"] == latest["year"]}
    trend = None
    if len(city) > 1:
        before = float(city[-2]["value"])
        now = float(latest["value"])
        trend = "up" if now > before else "down" if now < before else "flat"
    return {
        "year": latest["year"],
        "value": float(latest["value"]),
        "voivodeship": same_year.get("voivodeship"),
        "country": same_year.get("country"),
        "trend": trend,
    }


def bar_chart(series: Iterable[dict[str, Any]], year: int) -> dict[str, Any] | None:
    """Every unit's value in ``year`` as horizontal bars (the city first)."""
    rows = [
        r
        for r in series
        if r.get("status") == "ok" and r.get("value") is not None and int(r["year"]) == year
    ]
    if len(rows) < 2:
        return None
    rows.sort(key=lambda r: ROLE_ORDER.index(r["unit_role"]) if r["unit_role"] in ROLE_ORDER else 9)
    high = max(abs(float(r["value"])) for r in rows) or 1
    label_width, bar_height = 200, 22
    usable = WIDTH - label_width - 80
    return {
        "width": WIDTH,
        "height": len(rows) * (bar_height + 8) + 8,
        "label_width": label_width,
        "bars": [
            {
                "label": r["unit_name"] or r["unit_id"],
                "value": float(r["value"]),
                "y": 8 + i * (bar_height + 8),
                "height": bar_height,
                "width": round(abs(float(r["value"])) / high * usable, 1),
                "colour": COLOURS[i % len(COLOURS)],
            }
            for i, r in enumerate(rows)
        ],
    }
