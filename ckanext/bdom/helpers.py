"""Template helpers of ckanext-bdom. They return data, never HTML."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.bdom import config


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
