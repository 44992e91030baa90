"""Public API: ``bdom_indicator_theme_list``, ``bdom_indicator_list``, ``bdom_indicator_show``.

Definitions come from the catalogue; values from the published results
dataset (nothing while it is not published), which is computed from
published data only.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.bdom.indicators import catalogue as cat_module
from ckanext.bdom.indicators import config, entries, jobs, store
from ckanext.bdom.indicators.compute import describe
from ckanext.bdom.workflow import roles

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


FIRST_YEAR = 1990
NOTE_MAX = 1000


def _entry_problems(data_dict: DataDict, today: dt.date) -> dict[str, list[str]]:
    """What is wrong with an entry, field by field, in Polish and English."""
    problems: dict[str, list[str]] = {}
    indicator = config.indicator_catalogue().indicator(str(data_dict.get("indicator") or ""))
    if indicator is None or indicator["compute"]["kind"] != "steward":
        problems["indicator"] = [
            "Tego wskaźnika nie wprowadza gestor: wybierz wskaźnik oznaczony „wartość od "
            "gestora”. / This indicator is not entered by a steward: choose one marked "
            "“entered by a steward”."
        ]
    year = _integer(data_dict.get("year"))
    if year is None or not FIRST_YEAR <= year <= today.year:
        problems["year"] = [
            f"Podaj rok liczbą od {FIRST_YEAR} do {today.year}, np. {today.year - 1}. / "
            f"Give the year as a number from {FIRST_YEAR} to {today.year}, "
            f"e.g. {today.year - 1}."
        ]
    if parse_number(data_dict.get("value")) is None:
        problems["value"] = [
            "Podaj wartość liczbą, np. 12,5 lub 1 250 (przecinek dziesiętny jest dozwolony). / "
            "Give the value as a number, e.g. 12.5 or 1250 (a decimal comma is accepted)."
        ]
    if not str(data_dict.get("source") or "").strip():
        problems["source"] = [
            "Podaj źródło wartości, np. „sprawozdanie MOPS za 2024 r.”. / "
            "Give the value's source, e.g. “social welfare centre report 2024”."
        ]
    if len(str(data_dict.get("note") or "")) > NOTE_MAX:
        problems["note"] = [
            f"Uwaga może mieć najwyżej {NOTE_MAX} znaków: skróć ją. / "
            f"The note may have at most {NOTE_MAX} characters: shorten it."
        ]
    return problems


def _integer(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def parse_number(value: Any) -> float | None:
    """A number written the Polish way or the English way: ``1 250,5``,
    ``1250.5``, ``−3``; None when it is not one."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value or "").strip().replace("\u2212", "-")
    for space in (" ", "\u00a0", "\u202f"):
        text = text.replace(space, "")
    text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _steward_of(user: str) -> str:
    orgs = tk.get_action("organization_list_for_user")(
        {"user": user, "ignore_auth": True}, {"id": user, "permission": "create_dataset"}
    )
    return ", ".join(sorted(org["title"] or org["name"] for org in orgs))


def bdom_indicator_entry_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Enter a steward-supplied indicator's value for a year (a year entered
    again replaces its earlier value); the indicators are recomputed in the
    background.

    :param indicator: indicator id or clause of an indicator entered by a steward
    :param year: the year the value is for
    :param value: a number (``12,5`` and ``12.5`` both work)
    :param source: where the value comes from
    :param note: optional remark (at most 1000 characters)
    """
    tk.check_access("bdom_indicator_entry_create", context, data_dict)
    problems = _entry_problems(data_dict, dt.date.today())
    if problems:
        raise tk.ValidationError(problems)
    indicator = config.indicator_catalogue().indicator(str(data_dict["indicator"]))
    entry = {
        "indicator": indicator["id"],
        "year": _integer(data_dict["year"]),
        "value": parse_number(data_dict["value"]),
        "source": str(data_dict["source"]).strip(),
        "note": str(data_dict.get("note") or "").strip(),
    }
    user = context.get("user") or ""
    row = entries.save(entry, user, _steward_of(user))
    jobs.schedule()
    return row


def entry_create_auth(context: Context, data_dict: DataDict | None) -> AuthResult:
    """The officer (or a sysadmin) and the coordinators of every steward."""
    user = roles.user_of(context)
    if user is None:
        return {"success": False, "msg": tk._("Log in to enter indicator values")}
    if roles.is_officer(user) or _steward_of(user.name):
        return {"success": True}
    return {
        "success": False,
        "msg": tk._("Only the open data officer and the stewards' coordinators enter values"),
    }


@tk.auth_allow_anonymous_access
def _public(context: Context, data_dict: DataDict | None) -> AuthResult:
    return {"success": True}


def get_actions() -> dict[str, Any]:
    return {
        "bdom_indicator_theme_list": bdom_indicator_theme_list,
        "bdom_indicator_list": bdom_indicator_list,
        "bdom_indicator_show": bdom_indicator_show,
        "bdom_indicator_entry_create": bdom_indicator_entry_create,
    }


def get_auth_functions() -> dict[str, Any]:
    public = {name: _public for name in get_actions()}
    return {**public, "bdom_indicator_entry_create": entry_create_auth}
