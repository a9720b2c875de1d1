"""Alembic environment: runs on the connection Tandem hands over, never opens its own.

That connection is in Tandem's transaction; on SQLite with foreign keys off, which
app.services.storage.migrate.upgrade requires and makes up for with a foreign_key_check.
"""

from __future__ import annotations

from alembic import context

import app.models  # noqa: F401  (registers every table on the metadata)
from app.models import metadata

config = context.config
connection = config.attributes.get("connection")


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    if connection is None:
        raise RuntimeError("Tandem runs migrations on a connection it passes in")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
