"""The ``bdom_indicators`` plugin: ISO 37120:2018 indicators.

* the catalogue (``catalogue.yaml``, package data) and the pure computation
  (``compute.py``);
* inputs from the DataStore of published datasets (``sources.py``), results
  in the published dataset "ISO 37120 — wskaźniki" (``store.py``);
* ``ckan bdom indicators compute`` and a debounced background job after a
  source dataset changes or xloader loads one of its files (``jobs.py``);
* public API actions (``actions.py``) and the pages ``/wskazniki``
  (``views.py``, templates in ``templates/bdom/indicators/`` of ``bdom``).

Load it after ``bdom_workflow`` (the results dataset is published through it).
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ckanext.xloader.interfaces import IXloader

from ckanext.bdom.indicators import actions, config, jobs, resource_view, sources, store, views

log = logging.getLogger(__name__)


def _changed(dataset: dict[str, Any] | None) -> None:
    if dataset and sources.is_source(dataset, config.indicator_catalogue()):
        jobs.schedule()


def _changed_package(package_id: str | None) -> None:
    pkg = model.Package.get(package_id) if package_id else None
    if pkg is None:
        return
    _changed({"name": pkg.name, "bdom_source": (pkg.extras or {}).get("bdom_source")})


def bdom_indicators_fed_by(dataset_name: str) -> list[dict[str, Any]]:
    """The indicators (id, clause, name) a published dataset's data feed."""
    catalogue = config.indicator_catalogue()
    found = (catalogue.indicator(ident) for ident in store.indicators_fed_by(dataset_name))
    return [{"id": i["id"], "clause": i["clause"], "name": i["name"]} for i in found if i]


@tk.blanket.config_declarations
@tk.blanket.actions(actions.get_actions)
@tk.blanket.auth_functions(actions.get_auth_functions)
@tk.blanket.blueprints(views.get_blueprints)
class BdomIndicatorsPlugin(p.SingletonPlugin):
    """ISO 37120 indicators computed from published BDL and portal data."""

    p.implements(p.ITemplateHelpers)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(IXloader, inherit=True)
    p.implements(p.IResourceView, inherit=True)

    def get_helpers(self) -> dict[str, Any]:
        return {"bdom_indicators_fed_by": bdom_indicators_fed_by}

    # IPackageController: a source dataset changed (harvest, edit, publication)
    def after_dataset_create(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        _changed(pkg_dict)

    def after_dataset_update(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        _changed(pkg_dict)

    def after_dataset_delete(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        _changed_package(pkg_dict.get("id"))

    # IResourceController: an upload or a DataStore load of a source dataset
    def after_resource_create(self, context: Context, resource: dict[str, Any]) -> None:
        _changed_package(resource.get("package_id"))

    def after_resource_update(self, context: Context, resource: dict[str, Any]) -> None:
        _changed_package(resource.get("package_id"))

    # IXloader: a file has been loaded into the DataStore (after the harvest
    # or upload that changed the dataset, so the job waits for it)
    def after_upload(
        self, context: Context, resource_dict: dict[str, Any], dataset_dict: dict[str, Any]
    ) -> None:
        _changed(dataset_dict)

    # IResourceView ``bdom_indicator_view``: a yearly series as charts with tables
    def info(self) -> dict[str, Any]:
        return {
            "name": "bdom_indicator_view",
            "title": tk._("Yearly chart"),
            "icon": "chart-line",
            "requires_datastore": True,
            "iframed": False,
            "default_title": tk._("Yearly chart"),
        }

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        return bool(data_dict["resource"].get("datastore_active"))

    def view_template(self, context: Context, data_dict: dict[str, Any]) -> str:
        return "bdom/indicators/resource_view.html"

    def setup_template_variables(
        self, context: Context, data_dict: dict[str, Any]
    ) -> dict[str, Any]:
        try:
            found = tk.get_action("datastore_search")(
                {"ignore_auth": True},
                {"resource_id": data_dict["resource"]["id"], "limit": 20000},
            )
        except (tk.ObjectNotFound, tk.ValidationError):
            return {"panels": []}
        return {"panels": resource_view.panels(found["fields"], found["records"])}
