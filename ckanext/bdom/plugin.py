"""The main ``bdom`` plugin: templates, translations, config, helpers, CLI."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.bdom import config as bdom_config
from ckanext.bdom import facets


@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.validators
@tk.blanket.cli
@tk.blanket.blueprints
class BdomPlugin(DefaultTranslation, p.SingletonPlugin):
    """Bank Danych o Mieście: the portal's look, language and tooling."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "bdom")
        if not config.get("licenses_group_url"):
            config["licenses_group_url"] = bdom_config.licenses_file().resolve().as_uri()

    # IFacets: steward, category, ISO 37120 theme, frequency, format, source
    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        return facets.dataset_facets(facets_dict)

    def organization_facets(
        self, facets_dict: Any, organization_type: str, package_type: Any
    ) -> Any:
        return facets.dataset_facets(facets_dict)

    def group_facets(self, facets_dict: Any, group_type: str, package_type: Any) -> Any:
        return facets.dataset_facets(facets_dict)

    # IPackageController: list fields become multi-valued facets, codes get labels
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return facets.index_lists(pkg_dict)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return facets.label_facets(search_results)
