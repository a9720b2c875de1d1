"""The read-only health check of a database (``tandem check``)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from app.services.bounds import STORED_LINES_SQL, stored_line_problems
from app.services.storage.database import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    is_url,
    server_display,
    server_engine,
    server_url,
)
from app.services.storage.errors import wrap_driver_error, wrap_sqlite_error
from app.services.storage.files import (
    check_file,
    file_path,
    missing_at_head,
    read_schema,
    recognise,
    some,
    sqlite_columns,
    truncation,
)


@dataclass(frozen=True)
class CheckReport:
    location: str
    revision: str | None
    head: str
    integrity: str
    # Stored lines whose figures are out of bounds (app.services.bounds): they open in error. The
    # file is sound (``ok`` says so; a backup of it is a good copy), but ``tandem check`` exits 1.
    figures: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.revision == self.head

    def lines(self) -> list[str]:
        state = "current" if self.revision == self.head else "needs upgrade"
        if self.revision is not None and self.revision not in KNOWN_REVISIONS:
            state = "newer than this Tandem: update Tandem to open it"
        return [
            f"database: {self.location}",
            f"schema: {self.revision or 'none'} ({state}; this Tandem: {self.head})",
            f"integrity: {self.integrity}",
            *([f"figures: {len(self.figures)} line(s) out of bounds, shown in error until corrected:",
               *(f"  {line}" for line in self.figures[:20])] if self.figures else []),
        ]


def check_database(target: str | os.PathLike[str]) -> CheckReport:
    """Read-only health check: schema revision and SQLite's full integrity check.

    On a server, whose storage is its own business, "integrity" says whether every
    table of the schema is there.
    """
    if is_url(target):
        return _check_server(server_url(str(target)))
    path = file_path(target)
    check_file(path, create=False)
    try:
        # as_uri() escapes what a URI would misread: "Jobs #12/x.db" opened "Jobs " before.
        raw = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as error:
        raise wrap_sqlite_error(error, str(path)) from None
    try:
        raw.execute("BEGIN")  # one read transaction: the page count and the size agree
        rows = raw.execute("PRAGMA integrity_check").fetchall()
        integrity = "; ".join(str(r[0]) for r in rows[:5])
        if integrity == "ok":
            pages, size = (raw.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
            integrity = truncation(path, pages, size) or integrity
        columns = sqlite_columns(lambda sql: raw.execute(sql).fetchall())
        revision = None
        if recognise(columns, str(path)):
            row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        if integrity == "ok" and revision == HEAD_REVISION and (gaps := missing_at_head(columns)):
            integrity = f"missing {some(gaps)}"
        figures: tuple[str, ...] = ()
        if integrity == "ok" and revision == HEAD_REVISION:
            figures = tuple(stored_line_problems(raw.execute(STORED_LINES_SQL)))
    except sqlite3.Error as error:
        raise wrap_sqlite_error(error, str(path)) from None
    finally:
        raw.close()
    return CheckReport(str(path), revision, HEAD_REVISION, integrity, figures)


def _check_server(url: URL) -> CheckReport:
    where = server_display(url)
    engine = server_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            revision, columns = read_schema(conn)
            missing = missing_at_head(columns) if revision == HEAD_REVISION else []
            figures: tuple[str, ...] = ()
            if revision == HEAD_REVISION and not missing:
                figures = tuple(stored_line_problems(conn.exec_driver_sql(STORED_LINES_SQL)))
            conn.rollback()
    except DBAPIError as error:
        raise wrap_driver_error(error, where) from None
    finally:
        engine.dispose()
    integrity = f"missing {some(missing)}" if missing else "ok"
    return CheckReport(where, revision, HEAD_REVISION, integrity, figures)
