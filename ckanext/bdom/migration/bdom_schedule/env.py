"""Alembic environment of the ``bdom_schedule`` tables.

The revision history is kept in ``bdom_schedule_alembic_version`` (CKAN's
convention: ``<plugin>_alembic_version``), and autogenerate compares only
this plugin's tables (``TABLES``).
"""

from __future__ import annotations

import os
from typing import Any

from alembic import context
from sqlalchemy import engine_from_config, pool

from ckan.model.meta import metadata

PLUGIN = os.path.basename(os.path.dirname(__file__))
VERSION_TABLE = f"{PLUGIN}_alembic_version"
TABLES = frozenset({"bdom_reminder"})


def _ours(_object: Any, name: str | None, type_: str, *_args: Any) -> bool:
    return type_ != "table" or name in TABLES


def _options() -> dict[str, Any]:
    return {
        "target_metadata": metadata,
        "version_table": VERSION_TABLE,
        "include_object": _ours,
    }


def run_offline() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    context.configure(url=url, literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    section = context.config.get_section(context.config.config_ini_section) or {}
    engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **_options())
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
