"""Public API: ``bdom_indicator_theme_list``, ``bdom_indicator_list``, ``bdom_indicator_show``.

Definitions come from the catalogue; values from the published results
dataset (nothing while it is not published), which is computed from
published data only.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.bdom.indicators import catalogue as cat_module
from ckanext.bdom.indicators import config, store
from ckanext.bdom.indicators.compute import describe

WITH_DATA = ("ok",)


def _not_computed_reason(indicator: dict[str, Any]) -> str:
    return cat_module.supplier(indicator) or "jeszcze nie obliczono / not computed yet"


def _summary(indicator: dict[str, Any], status: dict[str, Any] | None) -> dict[str, Any]:
    status = status or {}
    return {
        "id": indicator["id"],
        "clause": indicator["clause"],
        "theme": indicator["theme"],
        "name": indicator["name"],
        "type": indicator["type"],
        "type_confirmed": indicator["type_confirmed"],
        "unit": indicator["unit"],
        "confidence": indicator["confidence"],
        "availability": indicator["availability"],
        "computed_from": indicator["compute"]["kind"],
        "status": status.get("status") or "no_data",
        "latest_year": status.get("latest_year"),
        "latest_value": status.get("latest_value"),
        "reason": status.get("reason") or ("" if status else _not_computed_reason(indicator)),
    }


def _statuses() -> dict[str, dict[str, Any]]:
    return {row["indicator_id"]: row for row in store.read(store.STATUS)}


@tk.side_effect_free
def bdom_indicator_theme_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The 19 themes of ISO 37120:2018 and the city profile (Annex A), each with
    how many indicators it has and how many of them have city data.

    ``ckanapi action bdom_indicator_theme_list``
    """
    tk.check_access("bdom_indicator_theme_list", context, data_dict)
    catalogue = config.indicator_catalogue()
    statuses = _statuses()
    themes = []
    for theme in catalogue.themes:
        members = catalogue.of_theme(theme["id"])
        themes.append(
            {
                **theme,
                "profile": bool(theme.get("profile")),
                "indicators": len(members),
                "with_data": sum(
                    1 for i in members if (statuses.get(i["id"]) or {}).get("status") in WITH_DATA
                ),
            }
        )
    return themes


@tk.side_effect_free
def bdom_indicator_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Indicators with their latest city value or why they have none.

    :param theme: only this theme (e.g. ``iso37120-2018:5``)
    :type theme: string
    :param type: only ``core``, ``supporting`` or ``profile`` indicators
    :type type: string
    :param with_data: only indicators with city data (default false)
    :type with_data: bool

    ``ckanapi action bdom_indicator_list theme=iso37120-2018:5 with_data=true``
    """
    tk.check_access("bdom_indicator_list", context, data_dict)
    catalogue = config.indicator_catalogue()
    theme, kind = data_dict.get("theme"), data_dict.get("type")
    errors = {}
    if theme and catalogue.theme(theme) is None:
        errors["theme"] = [tk._("Unknown ISO 37120 theme: %s") % theme]
    if kind and kind not in cat_module.TYPES:
        errors["type"] = [tk._("The type must be core, supporting or profile")]
    if errors:
        raise tk.ValidationError(errors)
    with_data = tk.asbool(data_dict.get("with_data", False))
    statuses = _statuses()
    found = []
    for indicator in catalogue.indicators:
        if (theme and indicator["theme"] != theme) or (kind and indicator["type"] != kind):
            continue
        summary = _summary(indicator, statuses.get(indicator["id"]))
        if with_data and summary["status"] not in WITH_DATA:
            continue
        found.append(summary)
    return found


@tk.side_effect_free
def bdom_indicator_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An indicator's definition and its yearly series for the city and the
    comparison units, each value with its formula and provenance.

    :param id: the indicator id (``iso37120-2018:10.1``) or clause (``10.1``)
    :type id: string

    ``ckanapi action bdom_indicator_show id=iso37120-2018:10.1``
    """
    tk.check_access("bdom_indicator_show", context, data_dict)
    ident = str(data_dict.get("id") or "").strip()
    if not ident:
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    indicator = config.indicator_catalogue().indicator(ident)
    if indicator is None:
        raise tk.ObjectNotFound(tk._("Indicator not found"))
    statuses = store.read(store.STATUS, {"indicator_id": indicator["id"]})
    series = store.read(store.VALUES, {"indicator_id": indicator["id"]})
    series.sort(key=lambda r: (r["unit_role"] != "city", r["unit_id"], r["year"]))
    return {
        **_summary(indicator, statuses[0] if statuses else None),
        "formula": indicator["formula"],
        "formula_computed": {"pl": describe(indicator, "pl"), "en": describe(indicator, "en")},
        "source_note": indicator.get("source_note", ""),
        "compute": indicator["compute"],
        "results_dataset": config.dataset_name(),
        "series": series,
    }


@tk.auth_allow_anonymous_access
def _public(context: Context, data_dict: DataDict | None) -> AuthResult:
    return {"success": True}


def get_actions() -> dict[str, Any]:
    return {
        "bdom_indicator_theme_list": bdom_indicator_theme_list,
        "bdom_indicator_list": bdom_indicator_list,
        "bdom_indicator_show": bdom_indicator_show,
    }


def get_auth_functions() -> dict[str, Any]:
    return {name: _public for name in get_actions()}
