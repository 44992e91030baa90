"""The portal's public DCAT graph, built once per catalogue version.

The graph holds what ``/catalog.<fmt>`` serves, all pages together: the
catalogue node and every published dataset, serialized by the configured
profiles (``ckanext.dcat.rdf.profiles``). It is kept in the process and
rebuilt only when the catalogue's version changes (the version of
``ckanext.bdom.dcat_cache.store``: the number of public datasets and the
newest modification), so a change made through another process is seen too,
while queries in between reuse the same graph.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph

import ckan.plugins.toolkit as tk

from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles import DCAT

from ckanext.bdom.danegovpl.published import published_datasets
from ckanext.bdom.dcat_cache import store


@dataclass(frozen=True)
class _Built:
    key: tuple[str, str]
    graph: Graph


_lock = threading.Lock()
_built: dict[str, _Built] = {}


def build(datasets: Iterable[dict[str, Any]] | None = None) -> Graph:
    """Serialize the catalogue node and every published dataset (or those given)."""
    serializer = RDFSerializer()
    catalog_ref = serializer.graph_from_catalog({})
    for dataset in published_datasets() if datasets is None else datasets:
        dataset_ref = serializer.graph_from_dataset(dataset)
        serializer.g.add((catalog_ref, DCAT.dataset, dataset_ref))
    return serializer.g


def public_graph(version: str | None = None) -> Graph:
    """The graph of the current catalogue version (built when it changed);
    ``version`` saves looking the version up again."""
    site_id = tk.config["ckan.site_id"]
    key = (site_id, version or store.catalogue_version())
    current = _built.get(site_id)
    if current is not None and current.key == key:
        return current.graph
    with _lock:
        current = _built.get(site_id)
        if current is None or current.key != key:
            current = _Built(key, build())
            _built[site_id] = current
    return current.graph


def invalidate() -> None:
    """Forget this process's graph (a dataset changed)."""
    with _lock:
        _built.pop(tk.config["ckan.site_id"], None)
