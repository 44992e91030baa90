"""Alembic environment of the ``bdom_promo`` tables (revisions in
``bdom_promo_alembic_version``; autogenerate compares only tables whose names
start with ``bdom_promo``)."""

from __future__ import annotations

import os

from ckanext.bdom.lib import alembic_env

PLUGIN = os.path.basename(os.path.dirname(__file__))

alembic_env.run(PLUGIN, lambda name: name.startswith(PLUGIN))
