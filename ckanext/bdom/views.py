"""Public pages of the portal: ``/o-otwartosci`` (the five openness stars)
and ``/deklaracja-dostepnosci`` (the accessibility statement the law requires,
filled in from ``ckanext.bdom.accessibility.*``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.bdom import config
from ckanext.bdom.lib import openness as openness_lib

bdom = Blueprint("bdom", __name__)

STATUSES = ("full", "partial", "none")


def star_formats() -> dict[int, list[str]]:
    """The formats that earn each number of stars (1: every other format)."""
    levels: dict[int, list[str]] = {n: [] for n in range(1, 6)}
    for fmt, stars in openness_lib.STARS.items():
        levels[stars].append(fmt)
    levels[1] = ["PDF", "DOC", "DOCX", "ODT", "HTML", "JPG", "PNG"]
    return {n: sorted(formats) for n, formats in levels.items()}


@bdom.route("/o-otwartosci")
def openness() -> str:
    return tk.render("bdom/openness.html", {"levels": star_formats()})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def statement() -> dict[str, Any]:
    """The statement's fields; multi-line ones as lists of paragraphs."""
    fields = {name: config.accessibility(name) for name in config.ACCESSIBILITY_FIELDS}
    if fields["status"] not in STATUSES:
        fields["status"] = "partial"
    for name in ("known_issues", "procedure", "architecture"):
        fields[name] = _lines(fields[name])
    fields["site_url"] = tk.config["ckan.site_url"]
    return fields


@bdom.route("/deklaracja-dostepnosci")
def accessibility() -> str:
    return tk.render("bdom/accessibility.html", {"statement": statement()})
