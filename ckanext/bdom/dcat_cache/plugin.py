"""The ``bdom_dcat_cache`` plugin.

Rendering DCAT is the most expensive thing the portal does for anonymous
users: a catalogue page serializes a hundred datasets, and every dataset page
embeds its schema.org description (ckanext-dcat's ``structured_data``). Both
are cached in Redis and reused until the catalogue or the dataset changes.
A dataset's schema.org description is rendered by the background job after
the dataset is written, so page views, far more frequent than edits, find it
ready and the write does not wait for it.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.bdom.dcat_cache import store, warm

_CATALOGUE_KEYS = ("page", "modified_since", "q", "fq", "format", "profiles")


@tk.side_effect_free
@tk.chained_action
def dcat_catalog_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    tk.check_access("dcat_catalog_show", context, data_dict)
    params = {name: data_dict.get(name) for name in _CATALOGUE_KEYS}
    cache_key = store.key("catalogue", params, store.catalogue_version())
    return store.cached(cache_key, lambda: up_func(context, data_dict))


@tk.chained_helper
def structured_data(
    next_helper: Any, dataset_dict: dict[str, Any], profiles: list[str] | None = None
) -> str:
    cache_key = store.key(
        "structured-data",
        dataset_dict.get("id"),
        dataset_dict.get("metadata_modified"),
        profiles,
    )
    return store.cached(cache_key, lambda: next_helper(dataset_dict, profiles))


class BdomDcatCachePlugin(p.SingletonPlugin):
    p.implements(p.IActions)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IPackageController, inherit=True)

    def after_dataset_create(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        warm.dataset_changed(pkg_dict["id"])

    def after_dataset_update(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        warm.dataset_changed(pkg_dict["id"])

    def after_dataset_delete(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        warm.schedule()

    def get_actions(self) -> dict[str, Any]:
        return {"dcat_catalog_show": dcat_catalog_show}

    def get_helpers(self) -> dict[str, Any]:
        return {"structured_data": structured_data}
