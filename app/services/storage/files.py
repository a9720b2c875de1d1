"""Checking a database file before SQLite opens it, and recognising a Tandem schema in it."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from app.services.storage.errors import DatabaseNotFound, NotADatabase, StorageError

SQLITE_HEADER = b"SQLite format 3\x00"


def file_path(target: str | os.PathLike[str]) -> Path:
    """A database file's full path, with its symbolic links followed; a link that loops is refused."""
    path = Path(target).expanduser()
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # "Symlink loop" (RuntimeError before Python 3.13)
        raise NotADatabase(_LOOP.format(path=path.absolute())) from None


_LOOP = "{path} is a symbolic link that leads back to itself (a loop): it is not a Tandem database."
_NOT_A_FILE = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
               stat.S_IFSOCK: "a socket"}


def check_file(path: Path, create: bool) -> bool:
    """Refuse paths that are not SQLite files; return True when the file is new.

    Only a regular file is ever opened, and without waiting: a named pipe or a device
    in its place is refused by its type (opening a pipe to read would wait for a writer).
    """
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        if not create:
            raise DatabaseNotFound(f"No database at {path}.") from None
        if not path.parent.is_dir():
            folder = path.parent
            raise DatabaseNotFound(f"Cannot create {path}: the folder {folder} does not exist.") from None
        return True
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotADatabase(_LOOP.format(path=path)) from None
        raise StorageError(f"Cannot read {path}: {error.strerror or error}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise NotADatabase(f"{path} is a folder, not a Tandem database.")
    if not stat.S_ISREG(info.st_mode):
        kind = _NOT_A_FILE.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise NotADatabase(f"{path} is {kind}, not a file: it is not a Tandem database.")
    if not os.access(path, os.R_OK):
        raise StorageError(f"Cannot read {path}: permission denied.")
    flags = os.O_RDONLY | sum(getattr(os, flag, 0) for flag in ("O_NONBLOCK", "O_NOCTTY", "O_BINARY"))
    try:
        fd = os.open(path, flags)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else since the stat
                raise NotADatabase(f"{path} is not a regular file: it is not a Tandem database.")
            header = os.read(fd, len(SQLITE_HEADER))
        finally:
            os.close(fd)
    except OSError as error:
        raise StorageError(f"Cannot read {path}: {error.strerror or error}.") from None
    if not header:
        raise NotADatabase(f"{path} is empty (0 bytes): it is not a Tandem database.")
    if header != SQLITE_HEADER:
        raise NotADatabase(f"{path} is not a Tandem database (it is not an SQLite file).")
    return False


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # the first 8 bytes of a hot rollback journal


def hot_journal(path: Path) -> bool:
    try:
        with open(f"{path}-journal", "rb") as journal:
            return journal.read(8) == JOURNAL_MAGIC
    except OSError:
        return False


def integrity_problem(report: object) -> str:
    """The first problem an integrity report names, on one line; "ok" when it names none.

    SQLite's report spans many lines ("*** in database main ***", then one per problem).
    """
    for line in str(report).splitlines():
        if line.strip() and not line.startswith("***"):
            return line.strip()
    return "ok"


def truncation(path: Path, page_count: object, page_size: object) -> str | None:
    """Why a file is shorter than its pages, or None.

    SQLite reads the missing end of a truncated file as zeros, and its checks can pass
    (a file cut by a few hundred bytes did); read inside the transaction that counted the pages.
    """
    size = path.stat().st_size
    needed = int(str(page_count)) * int(str(page_size))
    if size < needed:
        return f"truncated: {size:,} bytes where its {page_count} pages need {needed:,}"
    return None


# Tables and columns every Tandem schema has had since 0001: how a file is known to be
# Tandem's, beyond the alembic_version row any program using Alembic has. A migration must
# never drop or rename them (tests/test_storage.py checks every revision against them).
TANDEM_SIGNATURE = {
    "company": {"id", "version", "deleted_at", "name", "currency"},
    "client": {"id", "version", "deleted_at", "name"},
    "project": {"id", "version", "deleted_at", "client_id"},
    "estimate": {"id", "version", "deleted_at", "project_id"},
    "section": {"id", "version", "deleted_at", "estimate_id"},
    "lineitem": {"id", "version", "deleted_at", "section_id", "unit_cost"},
}


def read_revision(conn: Connection) -> str | None:
    """The schema revision stamped in the database, or None if it has no tables at all.

    A database with tables that are not Tandem's (even one stamped with a revision by
    another program's Alembic) is refused as NotADatabase.
    """
    return read_schema(conn)[0]


def read_schema(conn: Connection) -> tuple[str | None, dict[str, set[str]]]:
    """The stamped revision (as :func:`read_revision`) and every table's columns."""
    sqlite = conn.dialect.name == "sqlite"
    columns = sqlite_columns(conn.exec_driver_sql) if sqlite else _server_columns(conn)
    holder = "This file" if sqlite else "This database"
    if not recognise(columns, holder):
        return None, columns
    row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return (row[0] if row else None), columns


def recognise(columns: dict[str, set[str]], holder: str) -> bool:
    """True for a Tandem schema, False for no tables at all; NotADatabase for anything else."""
    names = set(columns) - {"sqlite_sequence"}
    if not names:
        return False
    if "alembic_version" in names and all(
        wanted <= columns.get(table, set()) for table, wanted in TANDEM_SIGNATURE.items()
    ):
        return True
    stamped = ""
    if "alembic_version" in names:
        stamped = " (stamped like a Tandem schema, but without Tandem's tables)"
    raise NotADatabase(f"{holder} holds another program's tables{stamped}: it is not a Tandem database.")


def missing_at_head(columns: dict[str, set[str]]) -> list[str]:
    """What a schema stamped with the head revision lacks of this Tandem's tables and columns."""
    from app.models import metadata

    missing = []
    for name, table in sorted(metadata.tables.items()):
        if name not in columns:
            missing.append(f"table {name}")
        else:
            missing += [f"{name}.{c.name}" for c in table.columns if c.name not in columns[name]]
    return missing


def sqlite_columns(run: Callable[[str], Any]) -> dict[str, set[str]]:
    """Every table of a SQLite file and its columns; ``run`` executes one statement."""
    tables = [str(row[0]) for row in run("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: {str(row[1]) for row in run('PRAGMA table_info("{}")'.format(t.replace('"', '""')))}
            for t in tables}


def _server_columns(conn: Connection) -> dict[str, set[str]]:
    """The tables of the connection's current schema (the first of its search_path) and their columns."""
    from sqlalchemy import inspect

    found = inspect(conn).get_multi_columns()
    return {table: {c["name"] for c in cols} for (_schema, table), cols in found.items()}


def some(items: list[str], shown: int = 5) -> str:
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more
