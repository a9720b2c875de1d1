"""The search index of a table: FTS5 and triggers on SQLite, trigram GIN indexes on PostgreSQL.

SQLite: ``search_<table>`` is an external-content FTS5 table over the table's rowid (it stores
the index only, with prefix indexes of two and three letters, what a box typed into asks
first); triggers add a row when it is inserted, take it out when it is deleted or
becomes a tombstone, and re-index it when a searched column changes. Its shadow tables
(``search_<table>_data`` …) are not records: offline copies, merges and backups copy records,
and the triggers index them as they arrive.

PostgreSQL: one GIN trigram index on the searched columns joined by spaces (:func:`text_of`),
which the case-insensitive regular expressions of :mod:`.query` use. ``pg_trgm`` is created if
the server allows it; if not, there is no index and search says it is slower (:func:`indexed`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Connection

# Triggers each indexed table has on SQLite (checked at the head by tests/test_upgrades.py).
TRIGGERS = ("ai", "ad", "au")


def fts_table(table: str) -> str:
    return f"search_{table}"


def index_name(table: str) -> str:
    return f"ix_search_{table}"


def text_of(table: str, columns: Sequence[str]) -> str:
    """The searched text of a row on PostgreSQL: its columns joined by spaces."""
    return "(" + " || ' ' || ".join(f"coalesce({table}.{c}, '')" for c in columns) + ")"


def create_index(conn: Connection, table: str, columns: Sequence[str]) -> None:
    """Index ``columns`` of ``table`` and the rows already there (not tombstones)."""
    if conn.dialect.name == "sqlite":
        _create_fts(conn, table, columns)
    else:
        _create_trigram(conn, table, columns)


def drop_index(conn: Connection, table: str, columns: Sequence[str]) -> None:
    run = conn.exec_driver_sql
    if conn.dialect.name == "sqlite":
        for trigger in TRIGGERS:
            run(f"DROP TRIGGER IF EXISTS {fts_table(table)}_{trigger}")
        run(f"DROP TABLE IF EXISTS {fts_table(table)}")
    else:
        run(f"DROP INDEX IF EXISTS {index_name(table)}")


def _create_fts(conn: Connection, table: str, columns: Sequence[str]) -> None:
    run = conn.exec_driver_sql
    fts = fts_table(table)
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    run(
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='rowid', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    run(
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} WHEN new.deleted_at IS NULL BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new}); END"
    )
    run(
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} WHEN old.deleted_at IS NULL BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); END"
    )
    run(
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols}, deleted_at ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) SELECT 'delete', old.rowid, {old} "
        "WHERE old.deleted_at IS NULL; "
        f"INSERT INTO {fts}(rowid, {cols}) SELECT new.rowid, {new} WHERE new.deleted_at IS NULL; END"
    )
    run(f"INSERT INTO {fts}(rowid, {cols}) SELECT rowid, {cols} FROM {table} WHERE deleted_at IS NULL")


def _create_trigram(conn: Connection, table: str, columns: Sequence[str]) -> None:
    schema = trigram_schema(conn)
    if schema is None:
        # In public where allowed: a schema dropped later (each test has its own) takes its
        # extension with it, and every other schema's indexes.
        for where in (" SCHEMA public", ""):
            try:
                with conn.begin_nested():
                    conn.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS pg_trgm{where}")
                break
            except Exception:  # not on the server, or not allowed: unindexed
                continue
        schema = trigram_schema(conn)
        if schema is None:
            return
    conn.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS {index_name(table)} ON {table} "
        f"USING gin ({text_of(table, columns)} {schema}.gin_trgm_ops)"
    )


def trigram_schema(conn: Connection) -> str | None:
    """The schema ``pg_trgm`` is installed in, or None."""
    return conn.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    ).scalar()


def indexed(conn: Connection, table: str) -> bool:
    """Whether ``table`` has its search index (always on SQLite, where the migration made it)."""
    if conn.dialect.name == "sqlite":
        return True
    found = conn.exec_driver_sql(
        "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %(name)s",
        {"name": index_name(table)},
    ).scalar()
    return bool(found)
