"""The ``bdom_workflow`` plugin: roles, the dataset lifecycle and its pages.

Load it with ``bdom``, whose template directory holds this plugin's templates.
Transitions are ordinary ``package_update`` calls by the acting user, so the
activity stream records each one ("changed package") with who, when, the new
status and the comment.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.plugins import DefaultPermissionLabels
from ckan.types import Context

from ckanext.bdom.workflow import actions, auth, helpers, roles, transitions, views

OFFICER_LABEL = "bdom-officer"


@tk.blanket.actions(actions.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.blueprints(views.get_blueprints)
@tk.blanket.helpers(helpers.get_helpers)
class BdomWorkflowPlugin(DefaultPermissionLabels, p.SingletonPlugin):
    """draft → submitted → verified → published → archived (and returned)."""

    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.IFacets, inherit=True)

    # IPackageController: every new dataset is a private draft; an update keeps
    # (or, in a transition, changes) the state decided before validation.
    def create(self, entity: model.Package) -> None:
        if transitions.governed(entity):
            transitions.store(entity, transitions.initial_state())

    def after_dataset_update(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        actions.store_state_after_update(context, pkg_dict)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return helpers.label_status_facet(search_results)

    # IFacets: the officer also filters by workflow status
    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        return helpers.add_status_facet(facets_dict)

    def organization_facets(
        self, facets_dict: Any, organization_type: str, package_type: Any
    ) -> Any:
        return helpers.add_status_facet(facets_dict)

    # IPermissionLabels: the officer sees every steward's unpublished datasets.
    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        labels = super().get_dataset_labels(dataset_obj)
        if "public" not in labels:
            labels.append(OFFICER_LABEL)
        return labels

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        labels = super().get_user_dataset_labels(user_obj)
        if isinstance(user_obj, model.User) and roles.is_officer(user_obj):
            labels.append(OFFICER_LABEL)
        return labels
