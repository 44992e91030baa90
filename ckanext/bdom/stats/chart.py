"""Horizontal bar charts as data for a server-rendered SVG (no JavaScript).

The template draws the bars; the same numbers are shown in a table next to
the chart, with a caption and a sentence that says what the chart shows.
"""

from __future__ import annotations

from typing import Any

WIDTH = 640
LABEL_WIDTH = 260
BAR_HEIGHT = 22
GAP = 8
VALUE_SPACE = 70


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(rows: list[dict[str, Any]], label: str, value: str) -> dict[str, Any] | None:
    """Bars of ``row[value]`` labelled ``row[label]``; ``None`` when nothing to draw."""
    shown = [r for r in rows if r.get(value) is not None]
    if not shown:
        return None
    high = max(float(r[value]) for r in shown) or 1.0
    usable = WIDTH - LABEL_WIDTH - VALUE_SPACE
    return {
        "width": WIDTH,
        "height": len(shown) * (BAR_HEIGHT + GAP) + GAP,
        "label_width": LABEL_WIDTH,
        "bars": [
            {
                "label": _short(str(r[label])),
                "value": r[value],
                "y": GAP + i * (BAR_HEIGHT + GAP),
                "height": BAR_HEIGHT,
                "width": round(float(r[value]) / high * usable, 1),
            }
            for i, r in enumerate(shown)
        ],
    }
