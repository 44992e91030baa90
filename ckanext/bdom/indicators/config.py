"""Typed getters for the ``ckanext.bdom.indicators.*`` options."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.bdom import config as bdom_config
from ckanext.bdom.indicators import catalogue


def indicator_catalogue() -> catalogue.Catalogue:
    return catalogue.load(tk.config["ckanext.bdom.indicators.catalogue_file"] or None)


def dataset_name() -> str:
    return tk.config["ckanext.bdom.indicators.dataset_name"]


def organization() -> str:
    return tk.config["ckanext.bdom.indicators.organization"]


def entries_dataset() -> str:
    return tk.config["ckanext.bdom.indicators.entries_dataset"]


def auto_recompute() -> bool:
    return tk.config["ckanext.bdom.indicators.auto_recompute"]


def quiet_seconds() -> int:
    return tk.config["ckanext.bdom.indicators.quiet_seconds"]


def city_unit() -> str:
    return bdom_config.bdl_unit_id()


def city_name() -> str:
    return bdom_config.city_name()
