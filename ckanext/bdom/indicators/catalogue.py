"""The ISO 37120:2018 indicator catalogue (``catalogue.yaml``). Pure Python.

Themes and indicators are plain dicts as the YAML holds them (documented at
the top of ``catalogue.yaml``); ``load`` checks the structure, so a broken
catalogue fails when the portal starts, not when a value is computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

TYPES = ("core", "supporting", "profile")
AVAILABILITY = ("bdl", "city_records", "not_available")
CONFIDENCE = ("confirmed", "reconstructed", "uncertain")
KINDS = ("formula", "steward", "none")


class CatalogueError(ValueError):
    """The catalogue file is malformed; the message names the entry."""


@dataclass(frozen=True)
class Catalogue:
    themes: tuple[dict[str, Any], ...]
    indicators: tuple[dict[str, Any], ...]

    def theme(self, theme_id: str) -> dict[str, Any] | None:
        return next((t for t in self.themes if t["id"] == theme_id), None)

    def indicator(self, indicator_id: str) -> dict[str, Any] | None:
        """By full id (``iso37120-2018:5.1``) or clause (``5.1``)."""
        return next(
            (i for i in self.indicators if indicator_id in (i["id"], i["clause"])),
            None,
        )

    def of_theme(self, theme_id: str) -> list[dict[str, Any]]:
        return [i for i in self.indicators if i["theme"] == theme_id]

    def bdl_variables(self) -> set[int]:
        """Every BDL variable id some indicator reads."""
        return {
            int(term["bdl_variable"])
            for indicator in self.indicators
            for term in terms(indicator)
            if "bdl_variable" in term
        }

    def datasets(self) -> set[str]:
        """Names of the portal datasets some indicator reads a column of."""
        return {
            term["dataset"]
            for indicator in self.indicators
            for term in terms(indicator)
            if "dataset" in term
        }


def terms(indicator: dict[str, Any]) -> list[dict[str, Any]]:
    compute = indicator.get("compute") or {}
    return [*(compute.get("numerator") or []), *(compute.get("denominator") or [])]


def supplier(indicator: dict[str, Any]) -> str:
    """Who supplies a steward-entered indicator, or why it cannot be computed
    (Polish); empty for a formula."""
    compute = indicator.get("compute") or {}
    if compute.get("kind") == "steward":
        return compute["requires"]["pl"]
    if compute.get("kind") == "none":
        return compute["reason"]["pl"]
    return ""


def _check_term(indicator_id: str, term: Any) -> None:
    if not isinstance(term, dict):
        raise CatalogueError(f"{indicator_id}: a term is not a mapping")
    if "bdl_variable" in term:
        if not isinstance(term["bdl_variable"], int) or term.get("level") not in (0, 2, 5, 6):
            raise CatalogueError(f"{indicator_id}: a BDL term needs an integer id and its level")
    elif not all(term.get(key) for key in ("dataset", "column", "year_column")):
        raise CatalogueError(
            f"{indicator_id}: a term is a BDL variable or dataset + column + year_column"
        )


def _check_indicator(indicator: Any, theme_ids: set[str]) -> None:
    if not isinstance(indicator, dict) or "id" not in indicator:
        raise CatalogueError(f"an indicator without an id: {indicator!r:.80}")
    ident = indicator["id"]
    checks = {
        "theme": indicator.get("theme") in theme_ids,
        "type": indicator.get("type") in TYPES,
        "availability": indicator.get("availability") in AVAILABILITY,
        "confidence": indicator.get("confidence") in CONFIDENCE,
        "name": all((indicator.get("name") or {}).get(lang) for lang in ("pl", "en")),
        "unit": all((indicator.get("unit") or {}).get(lang) for lang in ("pl", "en")),
        "formula": all((indicator.get("formula") or {}).get(lang) for lang in ("pl", "en")),
    }
    wrong = [key for key, good in checks.items() if not good]
    if wrong:
        raise CatalogueError(f"{ident}: wrong or missing {', '.join(wrong)}")
    compute = indicator.get("compute") or {}
    kind = compute.get("kind")
    if kind not in KINDS:
        raise CatalogueError(f"{ident}: compute.kind must be one of {', '.join(KINDS)}")
    if kind == "formula":
        if not compute.get("numerator"):
            raise CatalogueError(f"{ident}: a formula needs a numerator")
        for term in terms(indicator):
            _check_term(ident, term)
    elif kind == "steward" and not (compute.get("requires") or {}).get("pl"):
        raise CatalogueError(f"{ident}: say who supplies the value (compute.requires)")
    elif kind == "none" and not (compute.get("reason") or {}).get("pl"):
        raise CatalogueError(f"{ident}: say why it cannot be computed (compute.reason)")


def parse(data: Any) -> Catalogue:
    if not isinstance(data, dict):
        raise CatalogueError("the catalogue is not a mapping")
    themes = data.get("themes") or []
    theme_ids = [t.get("id") for t in themes if isinstance(t, dict)]
    if len(theme_ids) != len(themes) or len(set(theme_ids)) != len(theme_ids):
        raise CatalogueError("themes need unique ids")
    indicators = data.get("indicators") or []
    for indicator in indicators:
        _check_indicator(indicator, set(theme_ids))
    ids = _duplicates(i["id"] for i in indicators)
    if ids:
        raise CatalogueError(f"duplicate indicator ids: {', '.join(ids)}")
    return Catalogue(tuple(themes), tuple(indicators))


def _duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dup = []
    for value in values:
        if value in seen:
            dup.append(value)
        seen.add(value)
    return dup


@cache
def load(path: str | None = None) -> Catalogue:
    """The catalogue from ``path``, else the shipped ``catalogue.yaml``."""
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = (resources.files(__package__) / "catalogue.yaml").read_text(encoding="utf-8")
    # the C loader when libyaml is there: the catalogue is large
    return parse(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))  # noqa: S506
