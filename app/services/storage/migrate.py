"""Alembic wired to Tandem: upgrade a connection to the head revision, list revisions."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from app.services.storage.errors import StorageError

# How many broken references a refusal names.
_SHOWN = 3


class UpgradeRefused(StorageError):
    """The upgraded schema would hold rows that refer to rows that do not exist."""


def alembic_config(url: str = "sqlite://") -> Config:
    config = Config()
    config.set_main_option("script_location", "app:migrations")
    config.set_main_option("sqlalchemy.url", url)
    return config


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def upgrade(connection: Connection, target: str = "head", *, where: str = "The database") -> None:
    """Run the migrations up to ``target`` inside the connection's transaction (the caller commits).

    On SQLite the connection must have foreign keys off (see ``storage.schema_transaction``):
    the table rebuilds of batch migrations drop tables that others refer to. Every reference
    is checked afterwards instead, and broken ones refuse the upgrade with
    :class:`UpgradeRefused`; the caller's rollback then leaves the file as it was.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite and connection.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("SQLite migrations run with foreign keys off; they are checked afterwards")
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, target)
    if sqlite:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            named = "; ".join(
                f"{table} row {rowid} → {parent}" for table, rowid, parent, _ in broken[:_SHOWN]
            )
            rows = (
                "1 row refers to a row that does not exist"
                if len(broken) == 1
                else f"{len(broken):,} rows refer to rows that do not exist"
            )
            raise UpgradeRefused(f"{where} cannot be upgraded: {rows} ({named}); it was not changed.")
