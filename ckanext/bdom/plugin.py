"""The main ``bdom`` plugin: templates, translations, config, helpers, CLI."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.bdom import config as bdom_config


@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.validators
@tk.blanket.cli
class BdomPlugin(DefaultTranslation, p.SingletonPlugin):
    """Bank Danych o Mieście: the portal's look, language and tooling."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "bdom")
        if not config.get("licenses_group_url"):
            config["licenses_group_url"] = bdom_config.licenses_file().resolve().as_uri()
