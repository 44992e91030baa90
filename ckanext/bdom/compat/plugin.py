"""The ``bdom_compat`` plugin: our side of upstream incompatibilities.

Load it whenever ``xloader`` and ``activity`` are both loaded. Each fix names
the upstream version it is for; drop it once upstream is fixed.
"""

from __future__ import annotations

import ckan.plugins as p

from ckanext.bdom.compat import actions


class BdomCompatPlugin(p.SingletonPlugin):
    p.implements(p.IActions)

    def get_actions(self) -> dict:
        return {
            "datastore_create": actions.datastore_create,
            "datastore_delete": actions.datastore_delete,
        }
