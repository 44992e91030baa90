"""The ``bdom_promo`` plugin: news items and featured datasets on the home page.

Load it after ``bdom`` (whose template directory holds this plugin's
templates) and ``bdom_workflow`` (whose roles it reads). Its tables come from
``ckan db upgrade -p bdom_promo`` (``ckanext/bdom/migration/bdom_promo``).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.bdom.promo import actions, auth, helpers, views


@tk.blanket.config_declarations
class BdomPromoPlugin(p.SingletonPlugin):
    """Promotional content managed by the promotion specialist."""

    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.IBlueprint)
    p.implements(p.ITemplateHelpers)

    def get_actions(self) -> dict[str, Any]:
        return actions.get_actions()

    def get_auth_functions(self) -> dict[str, Any]:
        return auth.get_auth_functions()

    def get_blueprint(self) -> list[Any]:
        return views.get_blueprints()

    def get_helpers(self) -> dict[str, Any]:
        return helpers.get_helpers()
