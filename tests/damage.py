"""Damage as a share without working locks leaves it: an index that disagrees with its table,
and reads that fail with a disk I/O error. Used by core and GUI tests alike."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from app.services.storage.database import Database


def duplicate_row_behind_the_index(path: Path, table: str, row_id: uuid.UUID) -> None:
    """Store a second copy of a row that the primary-key index does not know of.

    Two writers who both think they hold the lock leave exactly this: the row is read
    twice by every query that goes through another index, and ``PRAGMA quick_check``
    still says ok (``integrity_check`` does not).
    """
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        (sql,) = raw.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        index = raw.execute(
            "SELECT * FROM sqlite_master WHERE name = ?", (f"sqlite_autoindex_{table}_1",)
        ).fetchone()
        # The search index's triggers (schema 0010) are set aside too: the second copy is stored as
        # the other writer stored it, behind everything that follows the table.
        triggers = raw.execute(
            "SELECT * FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
        ).fetchall()
        raw.execute("PRAGMA writable_schema = ON")
        raw.execute(
            "UPDATE sqlite_master SET sql = ? WHERE name = ?", (sql.replace("PRIMARY KEY (id), ", ""), table)
        )
        raw.execute("DELETE FROM sqlite_master WHERE name = ?", (index[1],))
        raw.execute("DELETE FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))
    finally:
        raw.close()
    raw = sqlite3.connect(path, isolation_level=None)  # reads the schema without the index
    try:
        raw.execute(f"INSERT INTO {table} SELECT * FROM {table} WHERE id = ?", (row_id.hex,))
        raw.execute("PRAGMA writable_schema = ON")
        raw.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (sql, table))
        raw.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", index)
        raw.executemany("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", triggers)
    finally:
        raw.close()


@contextmanager
def failing_reads(
    db: Database, message: str = "disk I/O error", when: Callable[[str], bool] = lambda _sql: True
) -> Iterator[list[str]]:
    """Every statement ``when`` picks fails as SQLite fails on a lost share; yields those statements."""
    failed: list[str] = []

    def fail(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if when(statement):
            failed.append(statement)
            raise sqlite3.OperationalError(message)

    event.listen(db.engine, "before_cursor_execute", fail)
    try:
        yield failed
    finally:
        event.remove(db.engine, "before_cursor_execute", fail)
