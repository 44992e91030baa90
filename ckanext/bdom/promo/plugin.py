"""The ``bdom_promo`` plugin: news items and featured datasets on the home page.

Load it after ``bdom`` (whose template directory holds this plugin's
templates) and ``bdom_workflow`` (whose roles it reads). Its tables come from
``ckan db upgrade -p bdom_promo`` (``ckanext/bdom/migration/bdom_promo``).
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.bdom.promo import actions, auth, helpers, views


@tk.blanket.config_declarations
@tk.blanket.actions(actions.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.blueprints(views.get_blueprints)
@tk.blanket.helpers(helpers.get_helpers)
class BdomPromoPlugin(p.SingletonPlugin):
    """Promotional content managed by the promotion specialist."""
