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

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select, update
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session

from app.models.meta import ChangeCounter
from app.services.storage import tempfiles
from app.services.storage.errors import (
    DatabaseTooNew,
    NotADatabase,
    ReadOnlyDatabase,
    StorageError,
    wrap_driver_error,
)
from app.services.storage.files import (
    check_file,
    file_path,
    hot_journal,
    integrity_problem,
    missing_at_head,
    read_schema,
    some,
    truncation,
)
from app.services.storage.presence import guard_share

_COUNTER = ChangeCounter.__table__  # type: ignore[attr-defined]
BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 10
# Every spelling of a PostgreSQL URL is opened with psycopg 3 (SQLAlchemy's default is psycopg2).
SERVER_DRIVER = "postgresql+psycopg"
_SERVER_SCHEMES = {"postgresql", "postgres", SERVER_DRIVER}
# Taken for the length of the transaction that reads and upgrades a server's schema.
_SCHEMA_LOCK_KEY = 0x54616E64656D  # "Tandem"
# The revisions this build knows, oldest first; tests check it against app/migrations.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010")
HEAD_REVISION = KNOWN_REVISIONS[-1]


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
            raise wrap_driver_error(error, self.display_name) from None
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
            raise wrap_driver_error(error, self.display_name) from None

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


def server_engine(url: URL) -> Engine:
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


def sqlite_url(path: Path, *, read_only: bool = False) -> URL:
    """The engine URL of a file, built from parts: a '?' or '#' in a folder name stays a name.

    ``read_only`` opens it with SQLite's ``mode=ro``: no write of any kind, a journal's rollback included.
    """
    if read_only:
        return URL.create("sqlite", database=f"{path.as_uri()}?mode=ro", query={"uri": "true"})
    return URL.create("sqlite", database=str(path))


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
                    # Per schema: two Tandems opening one schema take turns; databases in other
                    # schemas of the server (another company's, each test's) do not wait on it.
                    key = f"hashtextextended(current_schema(), {_SCHEMA_LOCK_KEY})"
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({key})")
                yield conn
        finally:
            if sqlite:
                try:
                    raw.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
                except sqlite3.Error:
                    conn.invalidate()  # never back into the pool without foreign keys


def read_only_probe(path: Path) -> Database:
    """A connection to ``path`` that cannot write: who else is present, read before opening for real."""
    return Database(f"sqlite:///{path}", create_engine(sqlite_url(path, read_only=True)), path, "")


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
        engine = server_engine(server)
    else:
        path = file_path(target)
        new = check_file(path, create)
        hot = not new and hot_journal(path)
        # Decided before SQLite opens the file for writing: read-only connections cannot write
        # even the rollback of a journal (another computer's transaction, over a share that
        # does not lock).
        read_only, share_warning = guard_share(path, read_only_probe)
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
                raise NotADatabase(f"{where} is stamped schema {revision} but lacks {some(gaps)}: "
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
            raise wrap_driver_error(error, where) from None
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


