"""Chained actions that give background jobs an acting user.

ckanext-xloader 2.5.2 writes to the DataStore from its RQ job with a context
that has ``ignore_auth`` but no ``user`` (``loader.send_resource_to_datastore``
and ``loader.delete_datastore_resource``). On CKAN 2.12 the DataStore then
patches the resource, and the ``activity`` plugin refuses to record an
activity without a user: every upload fails with
``{'user_id': ['User not found']}``. These wrappers act as the site user in
exactly that case: an internal call (``ignore_auth``) with no user.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict


def _with_site_user(context: Context) -> None:
    if context.get("ignore_auth") and not context.get("user"):
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        context["user"] = site_user["name"]


@tk.chained_action
def datastore_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    _with_site_user(context)
    return up_func(context, data_dict)


@tk.chained_action
def datastore_delete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    _with_site_user(context)
    return up_func(context, data_dict)
