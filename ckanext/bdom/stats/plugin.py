"""The ``bdom_stats`` plugin: /statystyki, the portal's own statistics.

Needs ``bdom_tracking`` (CKAN's ``tracking`` plugin: views and downloads, no third-party
analytics) and a job worker for the summary update; reads the update
schedule of ``bdom_schedule`` when that is loaded.
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.bdom.stats import views


@tk.blanket.config_declarations
@tk.blanket.blueprints(views.get_blueprints)
class BdomStatsPlugin(p.SingletonPlugin):
    """Most viewed and downloaded datasets, datasets per steward and category,
    update punctuality per steward: charts, tables and CSV."""
