"""Typed getters for the ``ckanext.bdom.promo.*`` options."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def news_per_page() -> int:
    return tk.config["ckanext.bdom.promo.news_per_page"]


def home_news() -> int:
    return tk.config["ckanext.bdom.promo.home_news"]


def home_featured() -> int:
    return tk.config["ckanext.bdom.promo.home_featured"]
