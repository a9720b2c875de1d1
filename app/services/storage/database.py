"""Opening a Tandem database: refuse what is broken, migrate what is old, never guess.

A database is a SQLite file or a PostgreSQL server URL (``postgresql://user@host/dbname``,
see "PostgreSQL" below). Opening a file:

1. refuses a path that is a folder, unreadable, empty, or not an SQLite file,
   before SQLite ever touches it (SQLite would happily treat some of those as
   a new database and write to them);
2. runs ``PRAGMA quick_check`` and refuses a damaged file;
3. reads the schema revision: a revision this Tandem does not know means the
   file comes from a newer Tandem and is refused; an older one is upgraded
   by Alembic in one transaction (on SQLite with foreign keys off, every reference
   checked before the commit); a file with other tables is not Tandem's;
4. configures every connection: rollback journal (never WAL: it does not work
   on network drives), ``synchronous=FULL``, foreign keys, a busy timeout.

PostgreSQL: the same Alembic migrations create and upgrade the schema, in one
transaction under an advisory lock (two Tandems opening a new database at once
do not both create it). Writers run at READ COMMITTED: a versioned
``UPDATE … WHERE id AND version`` that waits on another writer's row lock is
re-checked against the committed row, so only one of them passes. Reads run at
REPEATABLE READ so that a load sees one snapshot, as it does on SQLite. A lock
held past the busy timeout ends the statement (``lock_timeout``). The password
never appears in a message: a server is named as ``postgresql://user@host:port/db``.

Every failure is a :class:`StorageError` whose text is the one line to show.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select, update
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session

from app.models.meta import ChangeCounter
from app.services.bounds import STORED_LINES_SQL, stored_line_problems
from app.services.storage import tempfiles

_COUNTER = ChangeCounter.__table__  # type: ignore[attr-defined]
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 10
# Every spelling of a PostgreSQL URL is opened with psycopg 3 (SQLAlchemy's default is psycopg2).
SERVER_DRIVER = "postgresql+psycopg"
_SERVER_SCHEMES = {"postgresql", "postgres", SERVER_DRIVER}
# Taken for the length of the transaction that reads and upgrades a server's schema.
_SCHEMA_LOCK_KEY = 0x54616E64656D  # "Tandem"
# The revisions this build knows, oldest first; tests check it against app/migrations.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")
HEAD_REVISION = KNOWN_REVISIONS[-1]


class StorageError(Exception):
    """A database cannot be opened or used; ``str(error)`` is the message for the user."""


class DatabaseNotFound(StorageError):
    pass


class NotADatabase(StorageError):
    pass


class DatabaseTooNew(StorageError):
    pass


class DatabaseLocked(StorageError):
    pass


class ReadOnlyDatabase(StorageError):
    """A write refused: the database was opened read-only (``str`` says why), nothing was written."""


class DamagedRead(StorageError):
    """What was read does not hang together: a damaged file, or one written without working locks."""


@dataclass
class Database:
    """An open database: its engine, where it lives, and its schema revision.

    Every data-changing transaction also bumps the change counter (see
    :class:`app.models.meta.ChangeCounter`), so :meth:`changed_elsewhere` can
    tell with one read whether another user or process committed since this
    one last looked — on a shared file and on a server alike. (SQLite's
    ``PRAGMA data_version`` cannot: it also moves for this process's own
    commits made through other pooled connections.)
    """

    url: str
    engine: Engine
    path: Path | None
    revision: str
    # Set on a share whose locks cannot be trusted (see presence.guard_share): why every
    # write is refused (the file is then opened mode=ro), and the warning to show.
    read_only: str | None = None
    share_warning: str | None = None
    _seen_counter: int = field(default=0, repr=False)
    _foreign_change: bool = field(default=False, repr=False)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self, *, track: bool = True) -> Iterator[Connection]:
        """A short write transaction, taken with ``BEGIN IMMEDIATE`` on SQLite.

        A lock held too long by someone else, or any other driver failure,
        comes out as a :class:`StorageError` (``DatabaseLocked`` for busy) and
        the transaction is rolled back. ``track=False`` is for bookkeeping
        writes (presence heartbeats) that others need not reload for. A database
        opened read-only refuses with :class:`ReadOnlyDatabase` before anything.
        """
        if self.read_only is not None:
            raise ReadOnlyDatabase(self.read_only)
        seen: int | None = None
        try:
            with self.engine.execution_options(tandem_write=True).begin() as conn:
                yield conn
                if track:
                    seen = self._bump_counter(conn)
        except DBAPIError as error:
            raise _wrap_driver_error(error, self.display_name) from None
        if seen is not None:
            self._seen_counter = seen

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction that sees one snapshot (REPEATABLE READ on a server)."""
        engine = self.engine
        if engine.dialect.name == "postgresql":
            engine = engine.execution_options(isolation_level="REPEATABLE READ")  # type: ignore[assignment]
        try:
            with engine.begin() as conn:
                yield conn
        except DBAPIError as error:
            raise _wrap_driver_error(error, self.display_name) from None

    def _bump_counter(self, conn: Connection) -> int:
        # Increment in the database, then read: on a server another writer may have
        # bumped it after this transaction began (READ COMMITTED); its row lock makes
        # this UPDATE wait for that commit and then count on from it, so no bump is lost.
        conn.execute(update(_COUNTER).where(_COUNTER.c.id == 1).values(counter=_COUNTER.c.counter + 1))
        after = int(conn.execute(select(_COUNTER.c.counter).where(_COUNTER.c.id == 1)).scalar_one())
        if after - 1 != self._seen_counter:
            self._foreign_change = True  # someone else committed before this write
        return after

    def read_counter(self) -> int:
        with self.read() as conn:
            return int(conn.execute(select(_COUNTER.c.counter).where(_COUNTER.c.id == 1)).scalar_one())

    def changed_elsewhere(self) -> bool:
        """True once for each batch of commits made by anyone else since the last call."""
        return self.note_counter(self.read_counter())

    def note_counter(self, counter: int) -> bool:
        """Take a counter value read (perhaps on another thread); True if others committed.

        The counter only grows, so a value below the one last seen is a read that
        raced one of our own writes and says nothing new.
        """
        if counter < self._seen_counter:
            return False
        changed = self._foreign_change or counter > self._seen_counter
        self._seen_counter = counter
        self._foreign_change = False
        return changed

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path else self.url

    def close(self) -> None:
        self.engine.dispose()


def is_url(target: str | os.PathLike[str]) -> bool:
    """True for a server URL (``postgresql://…``), False for a file path."""
    return isinstance(target, str) and "://" in target


def server_url(target: str) -> URL:
    """The SQLAlchemy URL for a server address, on the psycopg 3 driver; or StorageError.

    A message about a malformed address shows none of it past the scheme: what failed to
    parse may be part of a password.
    """
    scheme = target.partition("://")[0]
    malformed = StorageError(
        f"The database address {scheme}://… is malformed, so none of it is shown here. Write it as "
        "postgresql://user:password@host/dbname, with any @, :, / or ? inside the user name or "
        "password written as %40, %3A, %2F or %3F."
    )
    if target.count("@") > 1:  # an unencoded '@' in a password: where it ends cannot be known
        raise malformed
    try:
        url = make_url(target)
    except (ArgumentError, ValueError):
        raise malformed from None
    if url.drivername not in _SERVER_SCHEMES:
        raise StorageError(
            f"Tandem cannot open {url.drivername}:// databases; "
            "give a database file or a postgresql://user@host/dbname address."
        )
    return url.set(drivername=SERVER_DRIVER)


def server_display(url: URL) -> str:
    """A server URL as shown to the user: postgresql://user@host:port/db, never a password."""
    query = {k: v for k, v in url.query.items() if "password" not in k.lower()}
    shown = URL.create("postgresql", url.username, None, url.host, url.port, url.database, query)
    return shown.render_as_string(hide_password=False)


def _server_engine(url: URL) -> Engine:
    # The URL's own settings win: a user may give connect_timeout or application_name.
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    if "application_name" not in url.query:
        connect_args["application_name"] = "Tandem"
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            # A writer waits this long for a row lock, then gets "locked; try again".
            cursor.execute(f"SET lock_timeout = {int(BUSY_TIMEOUT_MS)}")
        dbapi_connection.commit()

    return engine


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


def _check_file(path: Path, create: bool) -> bool:
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


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # The driver's own transaction handling is switched off; _on_begin
        # issues BEGIN itself so that writers can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() == "wal":
                mode = cursor.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if str(mode).lower() not in {"delete", "memory"}:
                cursor.execute("PRAGMA journal_mode = DELETE")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("tandem_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _wrap_driver_error(error: BaseException, where: str) -> StorageError:
    """A driver error (SQLite's or the server's) as the one-line StorageError to show."""
    orig = getattr(error, "orig", error)
    if type(orig).__module__.startswith("psycopg"):
        return _wrap_server_error(orig, where)
    return _wrap_sqlite_error(error, where)


# SQLSTATEs of a server that says "busy": lock_not_available, deadlock, serialization failure.
_BUSY_STATES = {"55P03", "40P01", "40001"}


def _wrap_server_error(error: BaseException, where: str) -> StorageError:
    state = getattr(error, "sqlstate", None)
    if state in _BUSY_STATES:
        return DatabaseLocked(f"{where} is locked by another user; try again in a moment.")
    # psycopg's text is several lines ("connection to server at … failed: FATAL:  …", then
    # hints); the reason is the last "failed:" part of its first line.
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    reason = (lines[0] if lines else type(error).__name__).rsplit("failed: ", 1)[-1]
    reason = reason.removeprefix("FATAL:").strip().rstrip(".")
    lowered = reason.lower()
    if state == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return DatabaseNotFound(f"No database at {where}: {reason}.")
    if state in {"28P01", "28000"} or any(w in lowered for w in ("authentication", "password", "pg_hba")):
        return StorageError(f"The PostgreSQL server refused the login to {where}: {reason}.")
    if state is None or state.startswith("08"):  # connection exceptions, or none reached
        return StorageError(f"Cannot reach the PostgreSQL server of {where}: {reason}.")
    return StorageError(f"{where}: the PostgreSQL server says: {reason}.")


# After a failed write SQLite rolls the transaction back (from its journal, at the next open
# if it must): what was committed before is whole, in the file.
_NOTHING_LOST = ("Nothing saved before is lost: the file holds all of it, and a change that was "
                 "being saved when this happened was not saved")


def _wrap_sqlite_error(error: BaseException, where: str) -> StorageError:
    message = str(getattr(error, "orig", error))
    lowered = message.lower()
    name = getattr(getattr(error, "orig", error), "sqlite_errorname", "")
    if name == "SQLITE_FULL" or "disk is full" in lowered:
        return StorageError(f"{where}: the disk is full. {_NOTHING_LOST}. Free some space, then try again.")
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in lowered:
        return StorageError(f"{where}: the disk or network share stopped answering (disk I/O error). "
                            f"{_NOTHING_LOST}. Check the drive or the connection to the share, "
                            "then try again.")
    if name in _HOT_JOURNAL_ERRORS:
        # A read-only connection cannot roll back a crashed writer's journal ("readonly" otherwise).
        return StorageError(f"{where} holds an unfinished change left by a program that stopped; "
                            "open it in Tandem once, which rolls it back, then try again.")
    if "locked" in lowered or "busy" in lowered:
        return DatabaseLocked(f"{where} is locked by another program; try again in a moment.")
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return NotADatabase(f"{where} is damaged ({message}); it was not changed.")
    if "readonly" in lowered or "read-only" in lowered:
        return StorageError(f"{where} is read-only: {message}.")
    return StorageError(f"{where} cannot be opened: {message}.")


def sqlite_url(path: Path, *, read_only: bool = False) -> URL:
    """The engine URL of a file, built from parts: a '?' or '#' in a folder name stays a name.

    ``read_only`` opens it with SQLite's ``mode=ro``: no write of any kind, a journal's rollback included.
    """
    if read_only:
        return URL.create("sqlite", database=f"{path.as_uri()}?mode=ro", query={"uri": "true"})
    return URL.create("sqlite", database=str(path))


_HOT_JOURNAL_ERRORS = {"SQLITE_READONLY_ROLLBACK", "SQLITE_READONLY_RECOVERY"}


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
    columns = _sqlite_columns(conn.exec_driver_sql) if sqlite else _server_columns(conn)
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


def _sqlite_columns(run: Callable[[str], Any]) -> dict[str, set[str]]:
    """Every table of a SQLite file and its columns; ``run`` executes one statement."""
    tables = [str(row[0]) for row in run("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: {str(row[1]) for row in run('PRAGMA table_info("{}")'.format(t.replace('"', '""')))}
            for t in tables}


def _server_columns(conn: Connection) -> dict[str, set[str]]:
    """The tables of the connection's current schema (the first of its search_path) and their columns."""
    from sqlalchemy import inspect

    found = inspect(conn).get_multi_columns()
    return {table: {c["name"] for c in cols} for (_schema, table), cols in found.items()}


@contextmanager
def schema_transaction(engine: Engine) -> Iterator[Connection]:
    """The write transaction that reads the schema revision and upgrades it.

    On a server it holds the schema lock. On SQLite foreign keys are off for it: a
    migration rebuilds a table by copy, DROP and rename, and with them on the DROP fails
    on any row another table refers to, and checks each row it drops against every table
    referring to it. SQLite takes the setting only outside a transaction, so it is set
    around this one; :func:`app.services.storage.migrate.upgrade` checks every reference before
    the commit instead.
    """
    with engine.execution_options(tandem_write=True).connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.dbapi_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                if not sqlite:
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK_KEY})")
                yield conn
        finally:
            if sqlite:
                try:
                    raw.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
                except sqlite3.Error:
                    conn.invalidate()  # never back into the pool without foreign keys


def open_database(
    target: str | os.PathLike[str], *, create: bool = True, migrate: bool = True
) -> Database:
    """Open (and if allowed create or upgrade) a Tandem database, or raise StorageError."""
    if is_url(target):
        server = server_url(str(target))
        path = None
        read_only = share_warning = None
        new = hot = False
        url = where = server_display(server)
        engine = _server_engine(server)
    else:
        path = file_path(target)
        new = _check_file(path, create)
        hot = not new and _hot_journal(path)
        from app.services.storage.presence import guard_share  # presence builds on this module

        # Decided before SQLite opens the file for writing: read-only connections cannot write
        # even the rollback of a journal (another computer's transaction, over a share that
        # does not lock).
        read_only, share_warning = guard_share(path)
        if read_only is None:
            tempfiles.remove_stale(path)  # what a killed backup, copy or merge of this file left beside it
        engine = create_engine(sqlite_url(path, read_only=read_only is not None))
        url = f"sqlite:///{path}"
        _configure_sqlite(engine)
        where = str(path)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                result = integrity_problem(conn.exec_driver_sql("PRAGMA quick_check").scalar())
                if result == "ok" and path is not None:
                    pragma = conn.exec_driver_sql
                    pages, size = (pragma(f"PRAGMA page_{p}").scalar() for p in ("count", "size"))
                    result = truncation(path, pages, size) or result
                if result != "ok":
                    raise NotADatabase(f"{where} is damaged ({result}); it was not changed.")
            conn.rollback()
        with schema_transaction(engine) as conn:
            revision, columns = read_schema(conn)
            if revision is None and path is not None and not new:
                _refuse_to_initialise(where, create=create, rolled_back=hot)
            if revision is not None and revision not in KNOWN_REVISIONS:
                raise DatabaseTooNew(
                    f"{where} was written by a newer Tandem (schema {revision}); "
                    f"this Tandem knows schema {HEAD_REVISION} at most. Update Tandem to open it."
                )
            gaps = missing_at_head(columns) if revision == HEAD_REVISION else []
            if gaps:
                raise NotADatabase(f"{where} is stamped schema {revision} but lacks {_some(gaps)}: "
                                   "it is not a whole Tandem database; it was not changed.")
            if revision != HEAD_REVISION:
                if read_only is not None:
                    raise ReadOnlyDatabase(f"{read_only} It needs an upgrade first, which waits until "
                                           "it is open on one computer only.")
                if not migrate:
                    raise StorageError(f"{where} has schema {revision}; it needs an upgrade.")
                from app.services.storage.migrate import upgrade

                upgrade(conn, where=where)
                revision = HEAD_REVISION
    except StorageError:
        engine.dispose()
        raise
    except Exception as error:  # the driver's errors differ by backend
        engine.dispose()
        if isinstance(error, DBAPIError | sqlite3.Error):
            raise _wrap_driver_error(error, where) from None
        raise
    db = Database(url=url, engine=engine, path=path, revision=revision, read_only=read_only,
                  share_warning=share_warning)
    db._seen_counter = db.read_counter()
    return db


def _refuse_to_initialise(where: str, *, create: bool, rolled_back: bool) -> None:
    """An existing SQLite file without tables becomes a new Tandem database only when the user
    gave it as a file to create, and never when it is empty only because an unfinished write
    (a copy being made when its program was killed) was just rolled back."""
    if rolled_back:
        raise NotADatabase(f"{where} held only an unfinished write (the program making it was stopped), "
                           "now rolled back: it holds no data, and was not set up as a new database. "
                           "Delete it, or choose another file.")
    if not create:
        raise NotADatabase(f"{where} is an empty SQLite file, not a Tandem database; it was not changed.")


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # the first 8 bytes of a hot rollback journal


def _hot_journal(path: Path) -> bool:
    try:
        with open(f"{path}-journal", "rb") as journal:
            return journal.read(8) == JOURNAL_MAGIC
    except OSError:
        return False


def _some(items: list[str], shown: int = 5) -> str:
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


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
    _check_file(path, create=False)
    try:
        # as_uri() escapes what a URI would misread: "Jobs #12/x.db" opened "Jobs " before.
        raw = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as error:
        raise _wrap_sqlite_error(error, str(path)) from None
    try:
        raw.execute("BEGIN")  # one read transaction: the page count and the size agree
        rows = raw.execute("PRAGMA integrity_check").fetchall()
        integrity = "; ".join(str(r[0]) for r in rows[:5])
        if integrity == "ok":
            pages, size = (raw.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
            integrity = truncation(path, pages, size) or integrity
        columns = _sqlite_columns(lambda sql: raw.execute(sql).fetchall())
        revision = None
        if recognise(columns, str(path)):
            row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        if integrity == "ok" and revision == HEAD_REVISION and (gaps := missing_at_head(columns)):
            integrity = f"missing {_some(gaps)}"
        figures: tuple[str, ...] = ()
        if integrity == "ok" and revision == HEAD_REVISION:
            figures = tuple(stored_line_problems(raw.execute(STORED_LINES_SQL)))
    except sqlite3.Error as error:
        raise _wrap_sqlite_error(error, str(path)) from None
    finally:
        raw.close()
    return CheckReport(str(path), revision, HEAD_REVISION, integrity, figures)


def _check_server(url: URL) -> CheckReport:
    where = server_display(url)
    engine = _server_engine(url)
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
        raise _wrap_driver_error(error, where) from None
    finally:
        engine.dispose()
    integrity = f"missing {_some(missing)}" if missing else "ok"
    return CheckReport(where, revision, HEAD_REVISION, integrity, figures)
