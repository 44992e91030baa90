"""The ``bdom_schedule`` plugin: the update schedule ("Harmonogram
aktualizacji", ``/bdom/harmonogram``) and the reminders (``ckan bdom remind``,
run daily by ``ckan bdom scheduler``).

Load it after ``bdom`` (whose template directory holds this plugin's
templates) and ``bdom_workflow`` (whose roles it reads). Its table comes from
``ckan db upgrade -p bdom_schedule`` (``ckanext/bdom/migration/bdom_schedule``).
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.bdom.schedule import auth, helpers, validators, views


@tk.blanket.config_declarations
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.blueprints(views.get_blueprints)
@tk.blanket.helpers(helpers.get_helpers)
@tk.blanket.validators(validators.get_validators)
class BdomSchedulePlugin(p.SingletonPlugin):
    """Due dates, states and reminders of the stewards' datasets."""
