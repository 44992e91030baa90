"""Typed getters for every ``ckanext.bdom.*`` option.

No call site spells a config key; everything goes through these functions,
which read the configuration at call time (never at import time).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import ckan.plugins.toolkit as tk


def city_name() -> str:
    return tk.config["ckanext.bdom.city_name"]


def city_name_en() -> str:
    return tk.config["ckanext.bdom.city_name_en"] or city_name()


def teryt() -> str:
    return tk.config["ckanext.bdom.teryt"]


def bdl_unit_id() -> str:
    return tk.config["ckanext.bdom.bdl_unit_id"]


def voivodeship() -> str:
    return tk.config["ckanext.bdom.voivodeship"]


def homepage_url() -> str:
    return tk.config["ckanext.bdom.homepage_url"]


def demo_file() -> Path:
    configured = tk.config["ckanext.bdom.demo_file"]
    if configured:
        return Path(configured)
    return Path(str(resources.files("ckanext.bdom") / "demo" / "siemianowice.yaml"))


def seed_dir() -> Path | None:
    """Directory of the seed files: the option, else ./config/seed if it exists."""
    configured = tk.config["ckanext.bdom.seed_dir"]
    if configured:
        return Path(configured)
    fallback = Path.cwd() / "config" / "seed"
    return fallback if fallback.is_dir() else None


def licenses_file() -> Path:
    configured = tk.config["ckanext.bdom.licenses_file"]
    if configured:
        return Path(configured)
    return Path(str(resources.files("ckanext.bdom.schemas") / "licenses.json"))


# theme (read at request time: another city changes them in its ini)
def theme_primary_colour() -> str:
    return tk.config["ckanext.bdom.theme.primary_colour"]


def theme_accent_colour() -> str:
    return tk.config["ckanext.bdom.theme.accent_colour"]


def theme_logo() -> str:
    return tk.config["ckanext.bdom.theme.logo"]


def theme_headline_indicators() -> list[str]:
    return tk.config["ckanext.bdom.theme.headline_indicators"] or []


# the accessibility statement (deklaracja dostępności)
ACCESSIBILITY_FIELDS = (
    "entity",
    "published",
    "updated",
    "prepared",
    "reviewed",
    "status",
    "known_issues",
    "contact_name",
    "contact_email",
    "contact_phone",
    "procedure",
    "architecture",
)


def accessibility(field: str) -> str:
    """One field of the accessibility statement (see ACCESSIBILITY_FIELDS)."""
    return str(tk.config[f"ckanext.bdom.accessibility.{field}"] or "").strip()
