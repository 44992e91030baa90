"""The alembic environment shared by our plugins' migrations
(``ckanext/bdom/migration/<plugin>/env.py``).

Each plugin keeps its revision history in ``<plugin>_alembic_version`` (CKAN's
convention) and autogenerate compares only the plugin's own tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import context
from sqlalchemy import engine_from_config, pool

from ckan.model.meta import metadata


def run(plugin: str, ours: Callable[[str], bool]) -> None:
    """Run the migrations of ``plugin``; ``ours(table_name)`` says which tables
    autogenerate may touch."""

    def include(_object: Any, name: str | None, type_: str, *_args: Any) -> bool:
        return type_ != "table" or bool(name and ours(name))

    options = {
        "target_metadata": metadata,
        "version_table": f"{plugin}_alembic_version",
        "include_object": include,
    }
    if context.is_offline_mode():
        url = context.config.get_main_option("sqlalchemy.url")
        context.configure(url=url, literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    section = context.config.get_section(context.config.config_ini_section) or {}
    engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
