"""The ``bdom_schedule`` plugin: the update schedule ("Harmonogram
aktualizacji", ``/bdom/harmonogram``) and the reminders (``ckan bdom remind``,
run daily by ``ckan bdom scheduler``).

Load it after ``bdom`` (whose template directory holds this plugin's
templates) and ``bdom_workflow`` (whose roles it reads). Its table comes from
``ckan db upgrade -p bdom_schedule`` (``ckanext/bdom/migration/bdom_schedule``).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.bdom.schedule import auth, helpers, validators, views


@tk.blanket.config_declarations
class BdomSchedulePlugin(p.SingletonPlugin):
    """Due dates, states and reminders of the stewards' datasets."""

    p.implements(p.IAuthFunctions)
    p.implements(p.IBlueprint)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IValidators)

    def get_auth_functions(self) -> dict[str, Any]:
        return auth.get_auth_functions()

    def get_blueprint(self) -> list[Any]:
        return views.get_blueprints()

    def get_helpers(self) -> dict[str, Any]:
        return helpers.get_helpers()

    def get_validators(self) -> dict[str, Any]:
        return validators.get_validators()
