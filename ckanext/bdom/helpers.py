"""Template helpers of ckanext-bdom. They return data, never HTML."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

from ckanext.bdom import api_examples, config, theme
from ckanext.bdom.lib import lists, reuse
from ckanext.bdom.workflow import helpers as workflow_helpers
from ckanext.bdom.workflow import transitions


def bdom_city_name() -> str:
    """The city's name in the current UI language."""
    if tk.h.lang() == "en":
        return config.city_name_en()
    return config.city_name()


def bdom_city_homepage() -> str:
    """The city's official website."""
    return config.homepage_url()


def bdom_portal_title() -> str:
    """'Bank Danych o Mieście — <city>' in the current UI language."""
    return tk._("Bank Danych o Mieście — {city}").format(city=bdom_city_name())


def bdom_form_rows(data: dict[str, Any], field_name: str) -> list[dict[str, Any]]:
    """Rows of a list-of-dicts field for a form or a page.

    The value may be a list, its JSON text, or (after a failed form
    submission) inputs named ``<field>-<n>-<subfield>``.
    """
    value = data.get(field_name)
    if isinstance(value, str) and value.strip():
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if isinstance(value, list):
        return [row for row in value if isinstance(row, dict)]
    rows: dict[int, dict[str, Any]] = {}
    prefix = f"{field_name}-"
    for key, item in data.items():
        parts = key[len(prefix) :].split("-", 1) if key.startswith(prefix) else []
        if len(parts) == 2 and parts[0].isdigit():
            rows.setdefault(int(parts[0]), {})[parts[1]] = item
    return [rows[index] for index in sorted(rows)]


def bdom_choice_label(field_name: str, value: str, dataset_type: str = "dataset") -> str:
    """The label of a choice of a dataset field (e.g. an EU theme IRI), in
    the current language; the value itself when the field has no such choice."""
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    field = tk.h.scheming_field_by_name(schema.get("dataset_fields", []), field_name)
    if not field:
        return value
    choices = tk.h.scheming_field_choices(field) or []
    return tk.h.scheming_choices_label(choices, value) or value


def bdom_dataset_summary(pkg: dict[str, Any]) -> dict[str, Any]:
    """What a resident reads first on a dataset page: steward, category,
    frequency, dates, status, openness and the conditions of re-use."""
    dataset_type = pkg.get("type") or "dataset"
    organization = pkg.get("organization") or {}
    next_due = pkg.get("bdom_next_update_due") or ""
    status = transitions.status_of(pkg)
    return {
        "steward": {"name": organization.get("name"), "title": organization.get("title")}
        if organization
        else None,
        "themes": [
            bdom_choice_label("theme", theme, dataset_type)
            for theme in lists.as_list(pkg.get("theme"))
        ],
        "frequency": bdom_choice_label("frequency", pkg.get("frequency") or "", dataset_type)
        if pkg.get("frequency")
        else "",
        "last_update": pkg.get("bdom_last_data_update") or "",
        "next_due": next_due,
        "overdue": bool(next_due) and next_due[:10] < dt.date.today().isoformat(),
        "status": status,
        "status_label": workflow_helpers.bdom_workflow_status_label(status),
        "stars": pkg.get("bdom_openness_score"),
        "license_title": pkg.get("license_title") or pkg.get("license_id") or "",
        "license_url": pkg.get("license_url") or "",
        "conditions": reuse.conditions(pkg),
    }


def bdom_facet_base(
    extras: dict[str, Any] | None = None, alternative_url: str | None = None
) -> str:
    """The address a facet list's links start from: this page's route, built
    once per facet list (core's add_url_param and remove_url_param build it
    again for every item)."""
    if alternative_url:
        return alternative_url
    blueprint, view = tk.get_endpoint()
    return tk.h.url_for(f"{blueprint}.{view}", **(extras or dict(tk.request.view_args or {})))


def bdom_facet_href(base: str, name: str, value: str, active: bool) -> str:
    """A facet item's link: the current search (without its page) with the
    filter added, or taken away when it is active, as core builds it."""
    params = [(k, v) for k, v in tk.request.args.items(multi=True) if k != "page"]
    if not active:
        params.append((name, value))
    elif (name, value) in params:
        params.remove((name, value))
    return f"{base}?{urlencode(params)}" if params else base


def bdom_theme() -> dict[str, str]:
    """Colours (contrast-checked) and logo of the portal, from configuration."""
    return {**theme.colours(), "logo": theme.logo_url()}


def bdom_language_links() -> list[dict[str, Any]]:
    """The page in each offered language: code, name (in that language), URL."""
    names = {"pl": "Polski", "en": "English"}
    current = tk.h.lang()
    return [
        {
            "code": locale.short_name,
            "label": names.get(locale.short_name, locale.display_name or locale.english_name),
            "url": tk.h.url_for(tk.h.current_url(), locale=locale.short_name),
            "current": locale.short_name == current,
        }
        for locale in tk.h.get_available_locales()
    ]


# ckanext.bdom.home imports facets, which imports this module: imported late


def bdom_home_overview() -> dict[str, list[dict[str, Any]]]:
    """Newest and recently updated public datasets and the categories."""
    from ckanext.bdom import home

    return home.overview()


def bdom_home_stewards(search_facets: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Stewards by dataset count, from the home page's search facets."""
    from ckanext.bdom import home

    return home.stewards(search_facets or {})


def bdom_headline_indicators() -> list[dict[str, Any]]:
    from ckanext.bdom import home

    return home.headline_indicators()


def bdom_api_examples(pkg: dict[str, Any]) -> dict[str, Any]:
    """A ready curl command and Python snippet for the dataset's data."""
    return api_examples.examples(pkg)
