"""Upgrading a file of every earlier Tandem: every row, every value and every total survives.

The data of each revision comes from tests/revision_data.py, written with plain SQL against
the schema of that revision. Every migration runs from every earlier revision, on SQLite and
on PostgreSQL; a new migration is tested the same way as soon as revision_data has its layer
(test_every_revision_has_a_data_layer asks for one).

Migration 0010 adds no records, only the search index: FTS5 tables (with their shadow tables)
and triggers on SQLite, trigram indexes on PostgreSQL. They are left out of the schemas
compared here and checked by test_the_search_index_follows_every_upgrade: after an upgrade from
every revision each indexed table has its triggers and its index holds exactly its live rows.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.services.search import query, schema
from app.services.storage import migrate
from app.services.storage.database import HEAD_REVISION, open_database
from app.services.storage.errors import StorageError
from tests.revision_data import LAYERS, build, differences, engine_for, total_differences, upgraded

REVISIONS = migrate.revisions()
EARLIER = REVISIONS[:-1]
# (from, to) for every migration path that stops short of the head (the head is tested on open).
STEPS = [(a, b) for i, a in enumerate(REVISIONS) for b in REVISIONS[i + 1 : -1]]
GENERATED = 120  # estimates beyond the demo's (the stress test upgrades 20,000)


def _schema(revision: str) -> dict[str, set[str]]:
    """Table → columns of an empty database migrated to ``revision``."""
    engine = sa.create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            migrate.upgrade(conn, revision)
            inspector = sa.inspect(conn)
            return {
                t: {c["name"] for c in inspector.get_columns(t)}
                for t in inspector.get_table_names()
                if t != "alembic_version" and not t.startswith("search_")
            }
    finally:
        engine.dispose()


def test_every_revision_has_a_data_layer() -> None:
    """A new migration needs a layer in revision_data: what its Tandem stores, and its upgrade values."""
    assert list(LAYERS) == REVISIONS


@pytest.mark.parametrize("revision", REVISIONS[1:])
def test_each_layer_names_the_columns_its_migration_adds(revision: str) -> None:
    before, after = _schema(REVISIONS[REVISIONS.index(revision) - 1]), _schema(revision)
    added = {table: after[table] - columns for table, columns in before.items() if after[table] - columns}
    assert {t: set(c) for t, c in LAYERS[revision].new_columns.items()} == added


@pytest.mark.parametrize("revision", REVISIONS)
def test_the_data_of_each_revision_fills_its_schema(revision: str, db_path: Path) -> None:
    """Every table holds rows, every column a value somewhere, every new column a non-default one."""
    data = build(str(db_path), revision)
    for table, columns in _schema(revision).items():
        rows = data.rows(table)
        assert rows, f"{table}: no rows in the data of {revision}"
        empty = {c for c in columns if all(row.get(c) is None for row in rows)} - {"deleted_at"}
        assert not empty, f"{table}: never a value in {sorted(empty)}"
    for table, defaults in LAYERS[revision].new_columns.items():
        for column, default in defaults.items():
            assert any(row[column] != default for row in data.rows(table)), f"{table}.{column} only default"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    engine = engine_for(str(db_path))
    with engine.connect() as conn:
        assert differences(conn, data) == []
    engine.dispose()


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_file_of_every_revision_opens_with_every_row_and_total(revision: str, db_target: str) -> None:
    """The demo written at that revision plus generated estimates, opened (so upgraded) by this Tandem."""
    data = build(db_target, revision, generated=GENERATED)
    db = open_database(db_target, create=False)
    try:
        assert db.revision == HEAD_REVISION
        with db.read() as conn:
            assert differences(conn, upgraded(data, HEAD_REVISION)) == []
        assert total_differences(db, data) == []
    finally:
        db.close()


@pytest.mark.parametrize(("start", "target"), STEPS)
def test_every_migration_path_keeps_every_row(start: str, target: str, db_target: str) -> None:
    data = build(db_target, start)
    engine = engine_for(db_target)
    try:
        with engine.begin() as conn:
            migrate.upgrade(conn, target)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == target
            assert differences(conn, upgraded(data, target)) == []
    finally:
        engine.dispose()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_upgrade_that_would_leave_broken_references_is_refused_untouched(db_path: Path) -> None:
    build(str(db_path), "0003")
    with sqlite3.connect(db_path) as conn:  # foreign keys off: a row no Tandem would write
        conn.execute("UPDATE lineitem SET section_id = ? WHERE description = 'Tape'", (uuid.uuid4().hex,))
    before = _digest(db_path)
    with pytest.raises(StorageError) as refused:
        open_database(db_path)
    assert str(refused.value) == (
        f"{db_path} cannot be upgraded: 1 row refers to a row that does not exist "
        "(lineitem row 2 → section); it was not changed."
    )
    assert _digest(db_path) == before
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0003",)]
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (0,)


def test_the_foreign_keys_are_back_on_after_an_upgrade(db_path: Path) -> None:
    build(str(db_path), "0001")
    db = open_database(db_path)
    try:
        with db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.close()


def test_sqlite_migrations_refuse_to_run_with_foreign_keys_on() -> None:
    """With them on, a rebuild fails on any referenced row: a caller that forgot is told at once."""
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = ON")
        with pytest.raises(RuntimeError, match="foreign keys off"):
            migrate.upgrade(conn)
    engine.dispose()


def _findable(data: Any, index: schema.Index) -> int:
    """How many rows of ``index.table`` can be found: neither they nor a row above them a tombstone."""
    by_id = {s.table: {r["id"]: r for r in data.rows(s.table)} for s in index.above}
    found = 0
    for row in data.rows(index.table):
        at: dict[str, Any] | None = row
        for step in index.above:
            if at is None or at["deleted_at"] is not None:
                break
            at = by_id[step.table].get(at[step.fk])
        found += at is not None and at["deleted_at"] is None
    return found


@pytest.mark.parametrize("revision", EARLIER)
def test_the_search_index_follows_every_upgrade(revision: str, db_target: str) -> None:
    """Every index holds the rows that can be found, and only those, after the upgrade; new rows too."""
    data = build(db_target, revision)
    db = open_database(db_target, create=False)
    try:
        with db.read() as conn:
            if conn.dialect.name == "sqlite":
                listed = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                triggers = {r[0] for r in listed}
                for index in schema.INDEXES:
                    assert set(schema.triggers(index)) <= triggers
                    indexed = conn.exec_driver_sql(f"SELECT count(*) FROM {index.fts}").scalar()
                    assert indexed == _findable(data, index), index.name
            else:
                assert all(schema.indexed(conn, index) for index in schema.INDEXES)
            for client in data.rows("client"):
                words = query.words_of(client["name"])
                found = query.search_on(conn, " ".join(words), per_group=100)
                assert client["id"] in {h.id for h in found.hits() if h.kind == "client"}
    finally:
        db.close()
