"""The search index: FTS5 tables kept in step by triggers on SQLite, trigram GIN indexes on PostgreSQL.

SQLite: each :class:`Index` is an FTS5 table ``search_<name>`` holding the searched text of the
rows that can be found, and only those: the row is not a tombstone, nor is any row above it
(a line's section, estimate, project and client). So the index alone answers "how many more",
without a join. Triggers on the row's table and on every table above it keep it so: a row
inserted, changed in a searched column, moved, made a tombstone or brought back is taken out
and put back if it can be found; a parent made a tombstone (or back) does the same for every row
below it. The FTS5 tables keep their own copy of the text (a quote sent is searched by its
estimate's quote number), with prefix indexes of one to three letters, what a box typed into
asks first (up to six for quote numbers). Their shadow tables (``search_<name>_data`` …) are
not records: offline copies, merges and backups copy records, and the triggers index them as
they arrive.

The index follows the rowids: a later migration that rebuilds one of these tables
(``batch_alter_table`` copies its rows) must :func:`drop_indexes` and :func:`create_indexes`
again; tests/test_upgrades.py checks the head has every trigger and exactly the findable rows.

PostgreSQL: one GIN trigram index per :class:`Index` on its searched columns joined by spaces
(:func:`text_of`), which the case-insensitive regular expressions of :mod:`.query` use; its
planner does the joins. ``pg_trgm`` is created if the server allows it; if not, there is no
index and search says it is slower (:func:`indexed`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection


@dataclass(frozen=True)
class Step:
    """A table above the indexed row: its ``fk`` (a column of the row below) names its id."""

    table: str
    fk: str


@dataclass(frozen=True)
class Index:
    """The rows of ``table`` found by ``text`` (its columns, or ``other_table.column`` of a table above)."""

    name: str
    table: str
    text: tuple[str, ...]
    above: tuple[Step, ...] = ()  # nearest first
    kept: tuple[str, ...] = ()  # columns of ``table`` kept beside the text, not searched
    # The prefix lengths indexed: a longer prefix is the merge of every word it starts, read
    # whole, which for a word of every row (all quote numbers start "Q2026") costs tens of ms.
    prefixes: str = "1 2 3"

    @property
    def fts(self) -> str:
        return f"search_{self.name}"

    @property
    def pg_index(self) -> str:
        return f"ix_search_{self.name}"

    def column(self, text: str) -> tuple[str, str]:
        """(table, column) of a searched column."""
        table, _, column = text.rpartition(".")
        return table or self.table, column

    @property
    def columns(self) -> tuple[str, ...]:
        """The FTS5 table's searched columns."""
        return tuple(self.column(t)[1] for t in self.text)

    @property
    def text_table(self) -> str:
        """The table the searched columns are in (one per index)."""
        (table,) = {self.column(t)[0] for t in self.text}
        return table


_CLIENT = Step("client", "client_id")
_NUMBERS = "1 2 3 4 5 6"  # quote numbers: "Q2026-000123", as typed
# The index of revision 0010 (migration 0010_search_index). A later revision changing it defines
# its own tuple and rebuilds what changed.
INDEXES_0010: tuple[Index, ...] = (
    Index("client", "client", ("name",)),
    Index("contact", "contact", ("name", "email"), (_CLIENT,)),
    Index("project", "project", ("name", "venue"), (_CLIENT,)),
    Index(
        "estimate",
        "estimate",
        ("name", "quote_number"),
        (Step("project", "project_id"), _CLIENT),
        prefixes=_NUMBERS,
    ),
    Index(
        "quote",
        "quoterevision",
        ("estimate.quote_number",),
        (Step("estimate", "estimate_id"), Step("project", "project_id"), _CLIENT),
        kept=("number",),
        prefixes=_NUMBERS,
    ),
    Index(
        "lineitem",
        "lineitem",
        ("description", "client_description"),
        (
            Step("section", "section_id"),
            Step("estimate", "estimate_id"),
            Step("project", "project_id"),
            _CLIENT,
        ),
    ),
)
INDEXES = INDEXES_0010  # the head's
_EVENTS = ("ai", "au", "ad")


def text_of(table: str, columns: tuple[str, ...]) -> str:
    """The searched text of a row on PostgreSQL: its columns joined by spaces."""
    return "(" + " || ' ' || ".join(f"coalesce({table}.{c}, '')" for c in columns) + ")"


def create_indexes(conn: Connection, indexes: tuple[Index, ...]) -> None:
    """Each index, holding the rows there already that can be found."""
    for index in indexes:
        if conn.dialect.name == "sqlite":
            _create_fts(conn, index)
        else:
            _create_trigram(conn, index)


def drop_indexes(conn: Connection, indexes: tuple[Index, ...]) -> None:
    run = conn.exec_driver_sql
    for index in indexes:
        if conn.dialect.name == "sqlite":
            for name in triggers(index):
                run(f"DROP TRIGGER IF EXISTS {name}")
            run(f"DROP TABLE IF EXISTS {index.fts}")
        else:
            run(f"DROP INDEX IF EXISTS {index.pg_index}")


def triggers(index: Index) -> list[str]:
    """The names of the triggers keeping ``index`` in step (SQLite)."""
    tables = [index.table, *(s.table for s in index.above)]
    return [f"{index.fts}_{table}_{event}" for table in tables for event in _EVENTS]


def _joins(index: Index, upto: int) -> str:
    """FROM the row's table joined to the first ``upto`` tables above it."""
    below, joins = index.table, [index.table]
    for step in index.above[:upto]:
        joins.append(f"JOIN {step.table} ON {step.table}.id = {below}.{step.fk}")
        below = step.table
    return " ".join(joins)


def _put(index: Index, where: str = "") -> str:
    """Index the rows that can be found (and match ``where``)."""
    tables = (index.table, *(s.table for s in index.above))
    conditions = [f"{t}.deleted_at IS NULL" for t in tables] + ([where] if where else [])
    texts = ", ".join(f"{t}.{c}" for t, c in (index.column(x) for x in index.text))
    kept = "".join(f", {index.table}.{c}" for c in index.kept)
    return (
        f"INSERT INTO {index.fts}(rowid, {', '.join((*index.columns, *index.kept))}) "
        f"SELECT {index.table}.rowid, {texts}{kept} FROM {_joins(index, len(index.above))} "
        f"WHERE {' AND '.join(conditions)}"
    )


def _refresh(index: Index, level: int, row: str) -> str:
    """Take out, and put back if they can be found, the rows whose table at ``level`` (0: theirs,
    1: the first above …) has ``row`` (``new`` or ``old``)."""
    if level == 0:
        where = f"{index.table}.rowid = {row}.rowid"
        taken = f"DELETE FROM {index.fts} WHERE rowid = {row}.rowid"
    else:
        below = index.above[level - 2].table if level > 1 else index.table
        where = f"{below}.{index.above[level - 1].fk} = {row}.id"
        taken = (
            f"DELETE FROM {index.fts} WHERE rowid IN "
            f"(SELECT {index.table}.rowid FROM {_joins(index, level - 1)} WHERE {where})"
        )
    return f"{taken}; {_put(index, where)}; "


def _watched(index: Index, level: int) -> list[str]:
    """The columns of the table at ``level`` whose change changes what the index holds."""
    table = index.table if level == 0 else index.above[level - 1].table
    watched = ["deleted_at"]
    if level < len(index.above):
        watched.append(index.above[level].fk)
    watched += [c for t, c in (index.column(x) for x in index.text) if t == table]
    if level == 0:
        watched += index.kept
    return watched


def _create_fts(conn: Connection, index: Index) -> None:
    run = conn.exec_driver_sql
    kept = "".join(f", {c} UNINDEXED" for c in index.kept)
    run(
        f"CREATE VIRTUAL TABLE {index.fts} USING fts5({', '.join(index.columns)}{kept}, "
        f"tokenize='unicode61 remove_diacritics 2', prefix='{index.prefixes}')"
    )
    names = iter(triggers(index))
    for level, table in enumerate([index.table, *(s.table for s in index.above)]):
        watched = _watched(index, level)
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in watched)
        run(f"CREATE TRIGGER {next(names)} AFTER INSERT ON {table} BEGIN {_refresh(index, level, 'new')}END")
        run(
            f"CREATE TRIGGER {next(names)} AFTER UPDATE OF {', '.join(watched)} ON {table} "
            f"WHEN {changed} BEGIN {_refresh(index, level, 'new')}END"
        )
        run(f"CREATE TRIGGER {next(names)} AFTER DELETE ON {table} BEGIN {_refresh(index, level, 'old')}END")
    run(_put(index))


def _create_trigram(conn: Connection, index: Index) -> None:
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
    table = index.text_table
    conn.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS {index.pg_index} ON {table} "
        f"USING gin ({text_of(table, index.columns)} {schema}.gin_trgm_ops)"
    )


def trigram_schema(conn: Connection) -> str | None:
    """The schema ``pg_trgm`` is installed in, or None."""
    return conn.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    ).scalar()


def indexed(conn: Connection, index: Index) -> bool:
    """Whether ``index`` exists (always on SQLite, where the migration made it)."""
    if conn.dialect.name == "sqlite":
        return True
    found = conn.exec_driver_sql(
        "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %(name)s",
        {"name": index.pg_index},
    ).scalar()
    return bool(found)
