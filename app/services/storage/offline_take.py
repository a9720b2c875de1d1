"""Taking a shared database offline: the laptop copy and its base snapshot beside it."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from app.services.storage import tempfiles
from app.services.storage.database import Database, open_database
from app.services.storage.files import file_path
from app.services.storage.offline import (
    MergeCancelled,
    OfflineCopy,
    OfflineError,
    Progress,
    record_tables,
)

BASE_SUFFIX = ".base.db"


def base_path_for(laptop: str | os.PathLike[str]) -> Path:
    """Where the base snapshot of a laptop copy lives: beside it, ``<laptop>.base.db``."""
    path = Path(laptop)
    return path.with_name(path.name + BASE_SUFFIX)


def take_offline(
    share: Database | str | os.PathLike[str],
    laptop_path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
) -> OfflineCopy:
    """Copy the shared database to ``laptop_path`` (a new file) and write its base beside it.

    The copy is one consistent snapshot taken with SQLite's backup API (from a
    server: every table read in one repeatable-read transaction) and checked
    with ``quick_check``; the share's file and journal are only read.
    Raises :class:`OfflineError` (or another StorageError) with a one-line message.
    """
    laptop = file_path(laptop_path)
    tempfiles.remove_stale(laptop)  # what a killed Take offline to this name left
    if laptop.exists():
        raise OfflineError(f"{laptop} already exists; Take offline writes a new file only.")
    if not laptop.parent.is_dir():
        raise OfflineError(f"Cannot write {laptop}: the folder {laptop.parent} does not exist.")
    base = base_path_for(laptop)
    with opened(share) as db:
        progress_step(progress, "Copying the shared database", 0, 2)
        with tempfiles.temporary(laptop, "copy") as copy, tempfiles.temporary(laptop, "base") as base_copy:
            if db.path is None:
                _copy_rows(db, copy)
            else:
                backup(db, copy)
            with contextlib.closing(sqlite3.connect(copy)) as conn:
                # Presence is the share's bookkeeping: nobody on the laptop has the share open.
                if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'presence'").fetchone():
                    conn.execute("DELETE FROM presence")
                    conn.commit()
                _quick_check(conn, laptop)
                rows = sum(
                    conn.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0] for t in record_tables()
                )
                with contextlib.closing(sqlite3.connect(base_copy)) as target:
                    conn.backup(target)
            progress_step(progress, "Writing the base snapshot", 1, 2)
            os.replace(base_copy, base)  # an old base without its laptop file is meaningless
            _publish(copy, laptop)
        progress_step(progress, "Done", 2, 2, cancellable=False)
        return OfflineCopy(laptop=laptop, base=base, share=db.display_name, rows=rows)


def backup(db: Database, target: Path) -> None:
    """One consistent copy of an open SQLite database into a new file, by the backup API."""
    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        with contextlib.closing(sqlite3.connect(target)) as destination:
            source.backup(destination)  # all pages in one step, under one read lock
    except sqlite3.Error as error:
        raise OfflineError(f"Could not copy {db.display_name}: {error}.") from None
    finally:
        raw.close()


def _copy_rows(db: Database, target: Path) -> None:
    """A server database's rows into a new SQLite file at the schema head, from one snapshot."""
    copy = open_database(target)
    try:
        with db.engine.connect() as source:
            source.execution_options(isolation_level="REPEATABLE READ")  # every table as of one moment
            with source.begin(), copy.write(track=False) as sink:
                tables = record_tables()
                for t in reversed(tables):  # the rows migrations wrote (pipeline stages): the server's win
                    sink.execute(t.delete())
                for t in tables:
                    rows = [dict(row._mapping) for row in source.execute(select(t))]
                    if rows:
                        sink.execute(t.insert(), rows)
    except DBAPIError as error:
        raise OfflineError(f"Could not copy {db.display_name}: {error.orig}.") from None
    finally:
        copy.close()


def _quick_check(conn: sqlite3.Connection, where: Path) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise OfflineError(f"The copy for {where} failed its check ({result}); nothing was written.")


def _publish(source: Path, target: Path) -> None:
    """Give a finished file its name, never replacing a file that appeared there meanwhile."""
    try:
        tempfiles.publish(source, target)
    except tempfiles.NameTaken:
        raise OfflineError(f"{target} already exists; Take offline writes a new file only.") from None


@contextlib.contextmanager
def opened(target: Database | str | os.PathLike[str]) -> Iterator[Database]:
    """The caller's open Database as it is, or a path opened (existing files only) and closed after."""
    if isinstance(target, Database):
        yield target
        return
    db = open_database(target, create=False)
    try:
        yield db
    finally:
        db.close()


def progress_step(
    progress: Progress | None, step: str, done: int, total: int, *, cancellable: bool = True
) -> None:
    if progress is not None and progress(step, done, total) is False and cancellable:
        raise MergeCancelled("Cancelled; nothing was written.")
