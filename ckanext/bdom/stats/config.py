"""Typed getters of the ``ckanext.bdom.stats.*`` options (read at call time)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def top() -> int:
    return max(1, tk.config["ckanext.bdom.stats.top"])


def update_every() -> int:
    return max(0, tk.config["ckanext.bdom.stats.update_every"])
