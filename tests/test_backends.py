"""Storage and the estimate document on each backend: a SQLite file and a PostgreSQL server.

Every test here runs twice through the ``db_target``/``any_db`` fixtures of conftest.py:
on a new SQLite file and on a new schema of the test server (``TANDEM_TEST_PG_URL``;
without it the PostgreSQL cases are skipped, except on CI, where they fail). The
document's edits, moves, deletes, restores and version checks run on both backends in
test_document.py; here are opening, exact values, and real concurrent writers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import Engine

from app.models import Company, LineItem, Role, metadata
from app.services.demo import build_demo
from app.services.directory import create_client
from app.services.estimate.document import ConcurrentEditError, EstimateDocument
from app.services.storage import database as storage
from app.services.storage import migrate
from app.services.storage.check import check_database
from app.services.storage.database import HEAD_REVISION, Database, open_database, server_display, server_url
from app.services.storage.errors import (
    DatabaseLocked,
    DatabaseNotFound,
    DatabaseTooNew,
    NotADatabase,
    StorageError,
)
from tests.factories import clear_formulas, estimate_id

D = Decimal
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
PANELS = "500 mm LED panels, owned"


def _raw_engine(target: str) -> Engine:
    """An engine of its own on the same database, as another user's Tandem would have."""
    if storage.is_url(target):
        return create_engine(server_url(target))
    return create_engine(storage.sqlite_url(Path(target)))


@pytest.fixture
def other(db_target: str) -> Iterator[Engine]:
    engine = _raw_engine(db_target)
    yield engine
    engine.dispose()


def _scalar(engine: Engine, statement: Any) -> Any:
    with engine.begin() as conn:
        return conn.execute(statement).scalar()


def _opened(target: str, **kwargs: Any) -> Database:
    db = open_database(target, **kwargs)
    db.close()
    return db


def _line(doc: EstimateDocument, description: str) -> uuid.UUID:
    (line_id,) = [line.id for line in doc.lines() if line.description == description]
    return line_id


# -- opening --------------------------------------------------------------------------------------


def test_open_creates_and_stamps_the_head(db_target: str, other: Engine) -> None:
    assert _opened(db_target).revision == HEAD_REVISION
    assert _scalar(other, text("SELECT version_num FROM alembic_version")) == HEAD_REVISION
    assert set(metadata.tables) <= set(inspect(other).get_table_names())
    assert _scalar(other, text("SELECT counter FROM changecounter WHERE id = 1")) == 0


def test_reopen_keeps_the_data(db_target: str) -> None:
    db = open_database(db_target)
    build_demo(db)
    db.close()
    db = open_database(db_target, create=False)
    try:
        assert db.revision == HEAD_REVISION
        with db.session() as session:
            assert session.scalars(select(Company.name)).one() == "Northlight Productions"
    finally:
        db.close()


def test_an_old_schema_is_upgraded_by_the_migrations(db_target: str, other: Engine) -> None:
    with other.begin() as conn:
        migrate.upgrade(conn, "0001")
    assert "changecounter" not in inspect(other).get_table_names()
    with pytest.raises(StorageError, match="needs an upgrade"):
        open_database(db_target, migrate=False)
    assert _opened(db_target).revision == HEAD_REVISION
    assert _scalar(other, text("SELECT version_num FROM alembic_version")) == HEAD_REVISION
    assert _scalar(other, text("SELECT counter FROM changecounter")) == 0


def test_a_newer_schema_is_refused_untouched(db_target: str, other: Engine) -> None:
    db = open_database(db_target)
    build_demo(db)
    db.close()
    with other.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseTooNew) as caught:
        open_database(db_target)
    assert "newer Tandem" in str(caught.value) and "9999" in str(caught.value)
    assert _scalar(other, text("SELECT version_num FROM alembic_version")) == "9999"
    assert _scalar(other, text("SELECT count(*) FROM lineitem")) == 36
    report = check_database(db_target)
    assert (report.revision, report.ok) == ("9999", False)
    assert "newer than this Tandem" in report.lines()[1]


def test_another_programs_tables_are_refused(db_target: str, other: Engine) -> None:
    with other.begin() as conn:
        conn.execute(text("CREATE TABLE photos (id INTEGER PRIMARY KEY, title VARCHAR(50))"))
        conn.execute(text("INSERT INTO photos (id, title) VALUES (1, 'beach')"))
    with pytest.raises(NotADatabase, match="another program's tables"):
        open_database(db_target)
    assert set(inspect(other).get_table_names()) == {"photos"}


def test_check_reports_the_schema(db_target: str) -> None:
    _opened(db_target)
    report = check_database(db_target)
    assert (report.revision, report.integrity, report.ok) == (HEAD_REVISION, "ok", True)
    assert report.lines()[1] == f"schema: {HEAD_REVISION} (current; this Tandem: {HEAD_REVISION})"


def test_a_held_lock_reports_busy_and_writes_nothing(
    db_target: str, other: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(db_target)  # created and migrated with the usual timeout: a busy server may be slow
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 200)
    db.engine.dispose()  # connections made from now on wait 200 ms for a lock
    try:
        with other.connect() as holder:
            if holder.dialect.name == "sqlite":
                holder.exec_driver_sql("BEGIN EXCLUSIVE")  # pysqlite would begin only on a write
            holder.execute(text("UPDATE changecounter SET counter = counter + 100"))
            started = time.monotonic()
            with pytest.raises(DatabaseLocked, match="locked by another"):
                create_client(db, "Waits for the lock")
            assert time.monotonic() - started < 5
            holder.rollback()
        assert db.read_counter() == 0
        with db.read() as conn:
            assert conn.execute(text("SELECT count(*) FROM client")).scalar() == 0
    finally:
        db.close()


# -- exact values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("0.1", "0.1"),
        ("1234.5678", "1234.5678"),
        ("12.3400", "12.34"),
        ("85.00", "85"),
        ("1E+3", "1000"),
        ("-0.00", "0"),
        ("12345678901.123456789", "12345678901.123456789"),  # more decimals than a NUMERIC(24, 8)
    ],
)
def test_decimals_round_trip_exactly(any_db: Database, value: str, canonical: str) -> None:
    role = Role(name="Rigger", cost_rate=D(value), bill_rate=D(value))
    with any_db.session() as session:
        session.add(role)
        session.commit()
    with any_db.session() as session:
        loaded = session.get(Role, role.id)
    assert loaded is not None and loaded is not role
    assert isinstance(loaded.cost_rate, Decimal)
    assert loaded.cost_rate == D(value)
    assert str(loaded.cost_rate) == canonical  # the same text on every backend


# -- the demo and the document --------------------------------------------------------------------


@pytest.fixture
def demo(any_demo_db: Database) -> Database:
    return any_demo_db


@pytest.fixture
def doc(demo: Database) -> EstimateDocument:
    clear_formulas(demo)  # these tests write quantities straight to the rows
    return EstimateDocument(demo, estimate_id(demo, "Full booth"))


def test_the_demo_reproduces_the_full_booth(doc: EstimateDocument) -> None:
    assert (doc.totals.cost, doc.totals.total, doc.line_count) == (D("55044.00"), D("95580.00"), 11)
    assert EstimateDocument(doc.db, estimate_id(doc.db, "Half booth")).line_count > 0


def test_demo_refuses_a_database_that_holds_a_company(demo: Database) -> None:
    with pytest.raises(StorageError, match="already holds a company"):
        build_demo(demo)


def _wait_until_blocked(holder: Any, waiter: threading.Thread) -> None:
    """Until the waiter is queued behind the holder's lock (seen by the server), or a moment."""
    deadline = time.monotonic() + 5
    while waiter.is_alive() and time.monotonic() < deadline:
        if holder.dialect.name != "postgresql":
            time.sleep(0.3)  # SQLite: the waiter retries its BEGIN IMMEDIATE until the timeout
            return
        waiting = holder.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).scalar()
        if waiting:
            return
        time.sleep(0.02)
    raise AssertionError("the second writer never waited for the first one's lock")


def test_two_concurrent_writers_cannot_both_pass_a_version_check(
    db_target: str, doc: EstimateDocument
) -> None:
    """Both load version 1; the first holds its update uncommitted while the second tries."""
    panels = _line(doc, PANELS)
    second_db = open_database(db_target)
    try:
        second = EstimateDocument(second_db, doc.estimate_id)
        outcome: list[BaseException | None] = []

        def second_writer() -> None:
            try:
                second.set_line_fields(panels, {"quantity": D(200)})
                outcome.append(None)
            except BaseException as error:  # handed to the test thread
                outcome.append(error)

        thread = threading.Thread(target=second_writer)
        with doc.db.write() as conn:
            EstimateDocument._update_row(conn, LINE_T, panels, 1, {"quantity": D(300)})
            thread.start()
            _wait_until_blocked(conn, thread)
        thread.join(10)
        assert not thread.is_alive()
        assert len(outcome) == 1 and isinstance(outcome[0], ConcurrentEditError), outcome
        assert second_db.changed_elsewhere()
        reread = EstimateDocument(second_db, doc.estimate_id).line(panels)
        assert (reread.quantity, reread.version) == (300, 2)
    finally:
        second_db.close()


def test_a_writer_waiting_on_the_change_counter_counts_on_from_it(
    any_db: Database, other: Engine
) -> None:
    """Another Tandem has bumped the counter and not yet committed: this write waits, then adds one."""
    errors: list[BaseException] = []

    def write() -> None:
        try:
            create_client(any_db, "Waits its turn")
        except BaseException as error:  # handed to the test thread
            errors.append(error)

    thread = threading.Thread(target=write)
    with other.connect() as holder:
        if holder.dialect.name == "sqlite":
            holder.exec_driver_sql("BEGIN IMMEDIATE")
        holder.execute(text("UPDATE changecounter SET counter = counter + 1"))
        thread.start()
        _wait_until_blocked(holder, thread)
        holder.commit()
    thread.join(10)
    assert not errors and not thread.is_alive()
    assert any_db.read_counter() == 2  # neither bump was lost
    assert any_db.changed_elsewhere()  # and the other one's commit was noticed
    assert not any_db.changed_elsewhere()


def test_many_concurrent_writers_lose_no_change(db_target: str, any_db: Database) -> None:
    writers, writes = 3, 8
    dbs = [open_database(db_target) for _ in range(writers)]
    errors: list[BaseException] = []

    def work(db: Database, n: int) -> None:
        try:
            for i in range(writes):
                create_client(db, f"Writer {n}, client {i}")
        except BaseException as error:  # handed to the test thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(db, n)) for n, db in enumerate(dbs)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors
        assert any_db.read_counter() == writers * writes
        assert all(db.changed_elsewhere() for db in dbs)
        assert all(not db.changed_elsewhere() for db in dbs)
    finally:
        for db in dbs:
            db.close()


def test_changed_elsewhere_sees_others_not_its_own(db_target: str, any_db: Database) -> None:
    second = open_database(db_target)
    try:
        assert not any_db.changed_elsewhere()
        create_client(any_db, "Mine")
        assert not any_db.changed_elsewhere()
        create_client(second, "Theirs")
        assert any_db.changed_elsewhere()
        assert not any_db.changed_elsewhere()  # once per batch
        assert second.changed_elsewhere()  # "Mine" came before it wrote
        assert not second.changed_elsewhere()
    finally:
        second.close()


# -- PostgreSQL only: addresses and one-line errors -----------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "postgresql://sam:secret@db.example:5433/tandem",
        "postgres://sam:secret@db.example:5433/tandem",
        "postgresql+psycopg://sam:secret@db.example:5433/tandem",
    ],
)
def test_server_addresses_use_psycopg_3(address: str) -> None:
    url = server_url(address)
    assert (url.drivername, url.username, url.host, url.port, url.database) == (
        "postgresql+psycopg", "sam", "db.example", 5433, "tandem"
    )
    assert server_display(url) == "postgresql://sam@db.example:5433/tandem"


def test_other_addresses_are_refused_in_one_line() -> None:
    with pytest.raises(StorageError, match="cannot open mysql:// databases"):
        open_database("mysql://sam:secret@db.example/tandem")
    with pytest.raises(StorageError, match="is malformed") as caught:
        open_database("postgresql://sam:secret@[::1/tandem")
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("address", "secrets"),
    [
        ("postgresql://sam:Wr0ng@Secret@db.example/tandem", ["Wr0ng", "Secret"]),
        ("postgresql://sam:p@ss/wd@db.example/tandem", ["p@ss", "ss/wd", "wd@"]),
        ("postgresql://sam:a@b@c@db.example:5432/tandem", ["a@b", "b@c", "@c"]),
        ("postgresql://sam:secret:more@[::1/tandem", ["secret", "more"]),
        ("postgresql://sam:s3cr3t@db.example:port/tandem", ["s3cr3t"]),
    ],
)
def test_a_malformed_address_is_refused_without_any_of_its_login(address: str, secrets: list[str]) -> None:
    for opener in (server_url, open_database, check_database):
        with pytest.raises(StorageError) as caught:
            opener(address)
        message = str(caught.value)
        assert message.startswith("The database address postgresql://… is malformed"), message
        assert "\n" not in message
        for secret in secrets:
            assert secret not in message


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    # Port 1 on this machine: nothing listens, so the refusal is immediate.
    with pytest.raises(StorageError) as caught:
        open_database("postgresql://sam:s3cr3t-pw@127.0.0.1:1/tandem")
    message = str(caught.value)
    assert message.startswith("Cannot reach the PostgreSQL server of postgresql://sam@127.0.0.1:1/tandem")
    assert "s3cr3t-pw" not in message and "\n" not in message


def test_a_refused_login_is_one_line_without_the_password(pg_url: str) -> None:
    url = server_url(pg_url).set(password="s3cr3t-wrong")
    for opener in (open_database, check_database):
        with pytest.raises(StorageError) as caught:
            opener(url.render_as_string(hide_password=False))
        message = str(caught.value)
        assert message.startswith("The PostgreSQL server refused the login to postgresql://")
        assert "password authentication failed" in message
        assert "s3cr3t-wrong" not in message and "\n" not in message


def test_a_missing_database_is_named(pg_url: str) -> None:
    url = server_url(pg_url).set(database="tandem_no_such_database")
    with pytest.raises(DatabaseNotFound, match='database "tandem_no_such_database" does not exist'):
        open_database(url.render_as_string(hide_password=False))


@pytest.mark.slow
def test_cli_demo_and_check_on_the_server(pg_url: str, tandem_home: Path) -> None:
    def tandem(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                              timeout=120, cwd=Path(__file__).resolve().parents[1],
                              env={**os.environ, "TANDEM_HOME": str(tandem_home)})

    password = server_url(pg_url).password
    made = tandem("demo", "--db", pg_url)
    assert made.returncode == 0, made.stderr
    assert "Northlight Productions" in made.stdout
    checked = tandem("check", "--db", pg_url)
    assert checked.returncode == 0, checked.stderr
    assert f"schema: {HEAD_REVISION} (current" in checked.stdout and "integrity: ok" in checked.stdout
    again = tandem("demo", "--db", pg_url)
    assert again.returncode == 1
    assert again.stderr.startswith("tandem: error: ") and len(again.stderr.splitlines()) == 1
    assert "already holds a company" in again.stderr
    assert f":{password}@" not in made.stdout + checked.stdout + again.stderr
