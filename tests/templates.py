"""New databases for tests, made once per test process and copied: the fixtures' fast path.

``open_database`` on a new file or schema runs every migration (0.6 s), and the demo takes
0.3 s more; about a thousand tests want one of each. So each test process (one per xdist
worker) makes each kind once and gives every test a copy:

- SQLite: the template file, closed, copied. Tandem keeps a rollback journal (never WAL), so a
  closed file is the whole database; ``open_database`` of the copy still runs every check it
  runs on an existing file (quick_check, revision, columns at head).
- PostgreSQL: the statements the migrations ran on a template schema, run again in the test's
  new schema (they name no schema: the search path places them), in one transaction. The demo's
  rows are then copied from a demo template schema, table by table, parents first.

What the migrations write is fixed (stamps and ids included, see 0005 and 0009), so a copy holds
what a new migration would. The demo is dated from today, so its templates are made again when
the date changes. ``tests/test_templates.py`` checks that a copy has exactly the schema and rows
of a migrated database. Tests of creation and migration themselves (``db_path``, ``db_target``,
``pg_url`` opened by the test) still run every migration.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from datetime import date
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

from app.services.demo import build_demo
from app.services.storage.database import is_url, open_database, server_url

# (statement, parameters, executemany, without parameters): one call on a DB-API cursor.
Statement = tuple[str, Any, bool, bool]
_READS = ("SELECT", "SHOW", "WITH")


def run_statement(cursor: Any, statement: Statement) -> None:
    """Run one recorded statement as SQLAlchemy ran it (with or without parameters)."""
    text, parameters, many, bare = statement
    if many:
        cursor.executemany(text, parameters)
    elif bare:
        cursor.execute(text)
    else:
        cursor.execute(text, parameters)


def schema_of(url: str) -> str:
    """The schema a test URL's search_path names (``pg_url`` puts each test in its own)."""
    options = str(server_url(url).query.get("options", ""))
    prefix = "-csearch_path="
    if not options.startswith(prefix):
        raise ValueError(f"no search_path in {options!r}")
    return options[len(prefix) :]


@dataclass
class _Server:
    """The server-side templates: the migrations' statements, and a schema holding the demo."""

    engine: Engine
    migrations: list[Statement]
    demo_schema: dict[date, str] = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)  # parents before children
    schemas: list[str] = field(default_factory=list)  # made here, dropped at the end


class DatabaseTemplates:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[tuple[bool, date | None], Path] = {}
        self._server: _Server | None = None

    # -- SQLite -----------------------------------------------------------------------------------

    def sqlite_file(self, *, demo: bool) -> Path:
        """The closed template file: at the schema head, with the demo written in or not."""
        key = (demo, date.today() if demo else None)
        if key not in self._files:
            name = f"demo-{key[1]}.db" if demo else "empty.db"
            path = self.folder / name
            if demo:
                shutil.copyfile(self.sqlite_file(demo=False), path)
            db = open_database(path)
            try:
                with db.read() as conn:
                    mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
                assert str(mode).lower() == "delete", mode  # a closed file is then the whole database
                if demo:
                    build_demo(db)
            finally:
                db.close()
            leftovers = [p.name for p in self.folder.iterdir() if p.name.startswith(f"{name}-")]
            assert not leftovers, f"the template left {leftovers} beside it"
            self._files[key] = path
        return self._files[key]

    # -- PostgreSQL -------------------------------------------------------------------------------

    def _server_for(self, url: str) -> _Server:
        if self._server is None:
            engine = create_engine(
                server_url(url).difference_update_query(["options"]), connect_args={"connect_timeout": 10}
            )
            schema = self._new_schema(engine)
            recorded: list[Statement] = []

            def record(
                conn: Connection,
                cursor: Any,
                statement: str,
                parameters: Any,
                context: Any,
                executemany: bool,
            ) -> None:
                bare = not parameters and bool(getattr(context, "no_parameters", False))
                recorded.append((statement, parameters, executemany, bare))

            event.listen(Engine, "before_cursor_execute", record)
            try:
                open_database(_in_schema(url, schema)).close()
            finally:
                event.remove(Engine, "before_cursor_execute", record)
            migrations = [s for s in recorded if not s[0].lstrip().upper().startswith(_READS)]
            named = [s[0] for s in migrations if schema in s[0]]
            assert not named, f"a migration names its schema, so it cannot be run in another: {named}"
            self._server = _Server(engine, migrations, schemas=[schema])
            self._server.tables = _tables_parents_first(engine, schema)
        return self._server

    def _new_schema(self, engine: Engine) -> str:
        schema = f"tmpl_{uuid.uuid4().hex[:16]}"
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        return schema

    def _demo_schema(self, url: str) -> str:
        server = self._server_for(url)
        today = date.today()
        if today not in server.demo_schema:
            schema = self._new_schema(server.engine)
            server.schemas.append(schema)
            self.seed_schema(_in_schema(url, schema), demo=False)
            db = open_database(_in_schema(url, schema))
            try:
                build_demo(db)
            finally:
                db.close()
            server.demo_schema[today] = schema
        return server.demo_schema[today]

    def demo_url(self, url: str) -> str:
        """The demo template schema, on the server of ``url``."""
        return _in_schema(url, self._demo_schema(url))

    def seed_schema(self, url: str, *, demo: bool) -> bool:
        """Fill the new, empty schema of ``url`` with the migrations' result (and the demo)."""
        server = self._server_for(url)
        source = self._demo_schema(url) if demo else None
        schema = schema_of(url)
        with server.engine.begin() as conn:
            held = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %(schema)s",
                {"schema": schema},
            ).scalar()
            if held:
                return False  # not new: the test made something there first
            conn.exec_driver_sql(f"SET LOCAL search_path TO {schema}")
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            for statement in server.migrations:
                run_statement(cursor, statement)
            if source is not None:
                for table in reversed(server.tables):
                    cursor.execute(f'DELETE FROM "{table}"')
                for table in server.tables:
                    cursor.execute(f'INSERT INTO "{table}" SELECT * FROM {source}."{table}"')
                for name, value, called in conn.exec_driver_sql(
                    "SELECT sequencename, last_value, last_value IS NOT NULL FROM pg_sequences "
                    "WHERE schemaname = %(schema)s",
                    {"schema": source},
                ):
                    if called:
                        cursor.execute("SELECT setval(%s, %s, true)", (f'"{name}"', value))
        return True

    # -- both -------------------------------------------------------------------------------------

    def seed(self, target: str | Path, *, demo: bool) -> bool:
        """Make ``target`` (a new file or an empty schema) a copy; False if it was not new."""
        if is_url(str(target)):
            return self.seed_schema(str(target), demo=demo)
        path = Path(target)
        if path.exists():
            return False
        shutil.copyfile(self.sqlite_file(demo=demo), path)
        return True

    def close(self) -> None:
        if self._server is not None:
            for schema in self._server.schemas:  # one at a time: each takes a lock per table
                with self._server.engine.begin() as conn:
                    conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            self._server.engine.dispose()


def _in_schema(url: str, schema: str) -> str:
    return (
        server_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


def _tables_parents_first(engine: Engine, schema: str) -> list[str]:
    with engine.connect() as conn:
        tables = (
            conn.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = %(s)s", {"s": schema})
            .scalars()
            .all()
        )
        references = conn.exec_driver_sql(
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
            "JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = %(s)s",
            {"s": schema},
        ).all()
    order: TopologicalSorter[str] = TopologicalSorter({t: set() for t in tables})
    for child, parent in references:
        child, parent = (name.rpartition(".")[2].strip('"') for name in (child, parent))
        if child != parent:  # a table referring to itself is copied by one statement
            order.add(child, parent)
    return list(order.static_order())
