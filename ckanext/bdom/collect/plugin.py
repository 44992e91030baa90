"""The ``bdom_collect`` plugin: collection forms, submissions with validation,
the officer's review and publication into the DataStore.

Load it after ``bdom`` (whose template directory holds this plugin's
templates) and ``bdom_workflow`` (whose transition it extends), and before
``xloader``, which it tells to leave the resources it loads itself alone.
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.xloader.interfaces import IXloader

from ckanext.bdom.collect import actions, auth, helpers, plan, views


@tk.blanket.actions(actions.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.blueprints(views.get_blueprints)
@tk.blanket.helpers(helpers.get_helpers)
class BdomCollectPlugin(p.SingletonPlugin):
    """Collecting data from stewards."""

    p.implements(IXloader, inherit=True)

    # IXloader: a published submission is loaded with the dictionary's types;
    # xloader's guessed load would replace them.
    def can_upload(self, resource_id: str) -> bool:
        try:
            resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
        except tk.ObjectNotFound:
            return True
        return not resource.get(plan.SUBMISSION)
