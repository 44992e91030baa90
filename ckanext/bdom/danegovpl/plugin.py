"""The ``bdom_danegovpl`` plugin: every route dane.gov.pl harvests us by.

* DCAT-AP: the ``bdom_dcat_ap_pl`` RDF profile (``profile.py``, an entry
  point of ckanext-dcat, set in ``ckanext.dcat.rdf.profiles``) and the
  ``/sparql`` endpoint over the public DCAT graph (``sparql.py``);
* dane.gov.pl's own XML import format: ``/dane-gov-pl.xml`` and its ``.md5``;
* the CKAN Action API (``current_package_list_with_resources``), which needs
  nothing beyond published-only datasets and the licence list of ``bdom``;
* the officer's page ``/dane-gov-pl`` on how to connect the portal.

Load it with ``bdom`` (its template directory holds this plugin's page) and
``dcat``. Only published datasets are shown by any of these routes.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.bdom.danegovpl import graph, views
from ckanext.bdom.danegovpl.published import is_published


@tk.chained_action
def dcat_dataset_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """A dataset's DCAT document, for published datasets only (404 else),
    whoever asks and whatever ``profiles`` they pick."""
    dataset = tk.get_action("package_show")({"ignore_auth": True}, {"id": data_dict.get("id")})
    if not is_published(dataset):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return up_func(context, data_dict)


@tk.blanket.config_declarations
@tk.blanket.blueprints(views.get_blueprints)
class BdomDanegovplPlugin(p.SingletonPlugin):
    """dane.gov.pl can harvest us by every route it supports."""

    p.implements(p.IActions)
    p.implements(p.IPackageController, inherit=True)

    def get_actions(self) -> dict[str, Any]:
        return {"dcat_dataset_show": dcat_dataset_show}

    # IPackageController: this process's SPARQL graph is stale after a change
    # (other processes see the catalogue version change)
    def after_dataset_create(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        graph.invalidate()

    def after_dataset_update(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        graph.invalidate()

    def after_dataset_delete(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        graph.invalidate()
