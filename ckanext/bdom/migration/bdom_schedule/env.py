"""Alembic environment of the ``bdom_schedule`` table ``bdom_reminder``
(revisions in ``bdom_schedule_alembic_version``)."""

from __future__ import annotations

import os

from ckanext.bdom.lib import alembic_env

TABLES = frozenset({"bdom_reminder"})

alembic_env.run(os.path.basename(os.path.dirname(__file__)), TABLES.__contains__)
