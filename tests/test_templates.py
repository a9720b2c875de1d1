"""The fixtures' copied databases (tests/templates.py) are exactly what the migrations make.

Every test on ``empty_db``, ``demo_db``, ``any_db`` or ``any_demo_db`` gets a copy instead of a
database migrated for it; these tests hold the copy to the migrated database: every table,
column, type, nullability, default, constraint, index, sequence, trigger and function, and
every row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from app.services.demo import build_demo
from app.services.storage.database import HEAD_REVISION, open_database, server_url
from tests.conftest import new_schema
from tests.templates import DatabaseTemplates, schema_of

Picture = dict[str, Any]


def _sqlite_picture(path: Path) -> Picture:
    """Everything SQLite knows of the schema, and every row.

    The migrations write the unnamed FOREIGN KEY clauses of a rebuilt table in no fixed order
    (two migrated files differ there), so a table's definition is compared line by line,
    sorted, beside its columns and keys in order from the pragmas.
    """
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        master = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        tables = [name for kind, name, _, _ in master if kind == "table"]
        keys = {t: sorted(row[2:] for row in conn.execute(f'PRAGMA foreign_key_list("{t}")')) for t in tables}
        indexes = {t: sorted(conn.execute(f'PRAGMA index_list("{t}")')) for t in tables}
        return {
            "schema": [(kind, name, table, _lines(sql)) for kind, name, table, sql in master],
            "columns": {t: conn.execute(f'PRAGMA table_xinfo("{t}")').fetchall() for t in tables},
            "keys": keys,
            "indexes": indexes,
            "index_columns": {
                i[1]: conn.execute(f'PRAGMA index_xinfo("{i[1]}")').fetchall()
                for listed in indexes.values()
                for i in listed
            },
            "pragmas": [
                conn.execute(f"PRAGMA {p}").fetchall()
                for p in (
                    "user_version",
                    "application_id",
                    "page_size",
                    "encoding",
                    "auto_vacuum",
                    "journal_mode",
                )
            ],
            "rows": {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables},
        }
    finally:
        conn.close()


def _lines(sql: str | None) -> list[str] | None:
    return None if sql is None else sorted(line.strip().rstrip(",") for line in sql.split("\n"))


def _counts(picture: Picture) -> dict[str, int]:
    return {table: len(rows) for table, rows in picture["rows"].items()}


def test_a_copied_file_is_a_migrated_file(db_templates: DatabaseTemplates, tmp_path: Path) -> None:
    migrated, copied = tmp_path / "migrated.db", tmp_path / "copied.db"
    open_database(migrated).close()
    assert db_templates.seed(copied, demo=False)
    expected, picture = _sqlite_picture(migrated), _sqlite_picture(copied)
    assert len(expected["columns"]) > 30 and expected["rows"]["pipelinestage"]
    for part in expected:
        assert picture[part] == expected[part], part
    db = open_database(copied, create=False)
    assert db.revision == HEAD_REVISION
    db.close()
    assert not db_templates.seed(copied, demo=False), "a file already there is never overwritten"


def test_a_copied_demo_file_is_the_demo_on_a_migrated_file(
    db_templates: DatabaseTemplates, tmp_path: Path
) -> None:
    built, copied = tmp_path / "built.db", tmp_path / "copied.db"
    db = open_database(built)
    build_demo(db)
    db.close()
    assert db_templates.seed(copied, demo=True)
    picture, expected = _sqlite_picture(copied), _sqlite_picture(built)
    for part in expected.keys() - {"rows"}:
        assert picture[part] == expected[part], part
    assert _counts(picture) == _counts(expected)  # the ids differ: the demo makes new ones each time
    assert sum(_counts(picture).values()) > 100


def test_the_fixtures_are_copies(empty_db: Any, db_templates: DatabaseTemplates) -> None:
    assert empty_db.path.read_bytes() == db_templates.sqlite_file(demo=False).read_bytes()


# -- PostgreSQL -----------------------------------------------------------------------------------


@contextmanager
def _schema(url: str) -> Iterator[tuple[Connection, str]]:
    engine = create_engine(server_url(url), connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as conn:
            yield conn, schema_of(url)
    finally:
        engine.dispose()


_PG_QUERIES = {
    "relations": "SELECT c.relname, c.relkind, c.relpersistence, c.reloptions::text, "
    "obj_description(c.oid, 'pg_class') FROM pg_class c WHERE c.relnamespace = {ns}",
    "columns": "SELECT table_name, column_name, ordinal_position, data_type, udt_name, is_nullable, "
    "column_default, character_maximum_length, numeric_precision, numeric_scale, "
    "datetime_precision, is_identity, is_generated, collation_name "
    "FROM information_schema.columns WHERE table_schema = %(schema)s",
    "constraints": "SELECT cl.relname, con.conname, con.contype, con.condeferrable, con.condeferred, "
    "pg_get_constraintdef(con.oid) FROM pg_constraint con "
    "JOIN pg_class cl ON cl.oid = con.conrelid WHERE con.connamespace = {ns}",
    "indexes": "SELECT tablename, indexname, replace(indexdef, %(schema)s || '.', '') FROM pg_indexes "
    "WHERE schemaname = %(schema)s",
    "sequences": "SELECT sequencename, data_type::text, start_value, min_value, max_value, "
    "increment_by, cycle, cache_size, last_value FROM pg_sequences "
    "WHERE schemaname = %(schema)s",
    "owned": "SELECT s.relname, t.relname, d.refobjsubid FROM pg_depend d "
    "JOIN pg_class s ON s.oid = d.objid JOIN pg_class t ON t.oid = d.refobjid "
    "WHERE s.relkind = 'S' AND d.deptype IN ('a', 'i') AND s.relnamespace = {ns}",
    "triggers": "SELECT tgname, replace(pg_get_triggerdef(t.oid), %(schema)s || '.', '') "
    "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
    "WHERE c.relnamespace = {ns} AND NOT t.tgisinternal",
    "functions": "SELECT proname, pg_get_function_identity_arguments(oid), prosrc FROM pg_proc "
    "WHERE pronamespace = {ns}",
    "types": "SELECT typname, typtype FROM pg_type WHERE typnamespace = {ns}",
}


def _pg_picture(url: str) -> Picture:
    with _schema(url) as (conn, schema):
        conn.exec_driver_sql(f"SET search_path TO {schema}")  # definitions shown unqualified
        ns = f"(SELECT oid FROM pg_namespace WHERE nspname = '{schema}')"
        picture: Picture = {
            name: sorted(map(repr, conn.exec_driver_sql(query.replace("{ns}", ns), {"schema": schema})))
            for name, query in _PG_QUERIES.items()
        }
        tables = (
            conn.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = %(s)s", {"s": schema})
            .scalars()
            .all()
        )
        picture["rows"] = {
            t: sorted(conn.exec_driver_sql(f'SELECT r::text FROM "{t}" r').scalars()) for t in tables
        }
        return picture


def test_a_seeded_schema_is_a_migrated_schema(db_templates: DatabaseTemplates) -> None:
    with new_schema() as migrated, new_schema() as seeded:
        open_database(migrated).close()
        assert db_templates.seed(seeded, demo=False)
        expected, picture = _pg_picture(migrated), _pg_picture(seeded)
        assert len(expected["relations"]) > 50 and expected["rows"]["pipelinestage"]
        for part in expected:
            assert picture[part] == expected[part], part
        db = open_database(seeded, create=False)
        assert db.revision == HEAD_REVISION
        db.close()
        assert not db_templates.seed(seeded, demo=False), "a schema already holding tables is left alone"


def test_a_seeded_demo_schema_is_the_demo_on_a_migrated_schema(db_templates: DatabaseTemplates) -> None:
    with new_schema() as built, new_schema() as seeded:
        db = open_database(built)
        build_demo(db)
        db.close()
        assert db_templates.seed(seeded, demo=True)
        expected, picture = _pg_picture(built), _pg_picture(seeded)
        for part in _PG_QUERIES:
            assert picture[part] == expected[part], part
        assert _counts(picture) == _counts(expected)  # the ids differ: the demo makes new ones each time
        assert sum(_counts(picture).values()) > 100
        # and row for row the demo the template holds
        template = db_templates.demo_url(seeded)
        assert picture["rows"] == _pg_picture(template)["rows"]
