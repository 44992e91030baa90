"""Typed getters for the ``ckanext.bdom.danegovpl.*`` options."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.bdom import config as bdom_config


def publisher_name() -> str:
    return tk.config["ckanext.bdom.danegovpl.publisher_name"] or (
        f"Miasto {bdom_config.city_name()}"
    )


def contact_email() -> str:
    return tk.config["ckanext.bdom.danegovpl.contact_email"] or tk.config["smtp.mail_from"] or ""


def city_centroid() -> str:
    return tk.config["ckanext.bdom.danegovpl.city_centroid"]


def city_bbox() -> str:
    return tk.config["ckanext.bdom.danegovpl.city_bbox"]


def sparql_timeout() -> int:
    return tk.config["ckanext.bdom.danegovpl.sparql_timeout"]


def sparql_max_results() -> int:
    return tk.config["ckanext.bdom.danegovpl.sparql_max_results"]
