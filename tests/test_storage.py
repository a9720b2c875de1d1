"""Opening databases: create and stamp, refuse what is broken or newer, and never change it."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.models import metadata
from app.services.demo import build_demo
from app.services.storage import database as storage
from app.services.storage import migrate
from app.services.storage.check import check_database
from app.services.storage.database import HEAD_REVISION, KNOWN_REVISIONS, Database, open_database
from app.services.storage.errors import (
    DatabaseLocked,
    DatabaseNotFound,
    DatabaseTooNew,
    NotADatabase,
    StorageError,
)
from app.services.storage.files import SQLITE_HEADER
from tests.factories import leave_hot_journal


def _sql(path: Path, *statements: str) -> list[tuple[object, ...]]:
    """Run statements with plain sqlite3 (not through Tandem); return the last one's rows."""
    conn = sqlite3.connect(path)
    try:
        rows: list[tuple[object, ...]] = []
        for statement in statements:
            rows = conn.execute(statement).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def _through_tandem(path: Path, *statements: str, create: bool = True) -> list[object]:
    """Open with Tandem, run statements on its configured connection, close; each one's scalar."""
    db = open_database(path, create=create)
    try:
        with db.read() as conn:
            return [conn.exec_driver_sql(statement).scalar() for statement in statements]
    finally:
        db.close()


def _tables(path: Path) -> set[str]:
    return {str(r[0]) for r in _sql(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file in a folder with a hash of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    """A real Tandem database with the demo in it, closed."""
    path = tmp_path / "real.db"
    db = open_database(path)
    build_demo(db)
    db.close()
    return path


def refused(
    path: Path, error: type[StorageError], opener: Callable[[Path], object] = open_database
) -> StorageError:
    """Open a path, expect exactly ``error``, and check that no file in its folder changed."""
    before = _snapshot(path.parent) if path.parent.is_dir() else None
    with pytest.raises(StorageError) as caught:
        opener(path)
    assert type(caught.value) is error, caught.value
    assert "\n" not in str(caught.value), "a message is one line"
    after = _snapshot(path.parent) if path.parent.is_dir() else None
    assert after == before, "the folder's files changed"
    return caught.value


# -- creating and reopening -----------------------------------------------------------------------


def test_known_revisions_match_the_migrations() -> None:
    """A new migration cannot be forgotten in storage.KNOWN_REVISIONS."""
    assert list(KNOWN_REVISIONS) == migrate.revisions()
    assert KNOWN_REVISIONS[-1] == HEAD_REVISION


def test_open_creates_and_stamps_the_head(db_path: Path) -> None:
    assert not db_path.exists()
    db = open_database(db_path)
    db.close()
    assert db.revision == HEAD_REVISION
    assert db.path == db_path.resolve()
    assert _sql(db_path, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert set(metadata.tables) <= _tables(db_path)
    assert db_path.read_bytes().startswith(SQLITE_HEADER)


def test_reopen_keeps_the_data(demo_file: Path) -> None:
    assert _through_tandem(
        demo_file,
        "SELECT version_num FROM alembic_version",
        "SELECT name FROM company",
        "PRAGMA foreign_keys",
        "PRAGMA synchronous",
        "PRAGMA busy_timeout",
        create=False,
    ) == [HEAD_REVISION, "Northlight Productions", 1, 2, storage.BUSY_TIMEOUT_MS]  # 2 = FULL


def test_an_empty_sqlite_file_is_upgraded(db_path: Path) -> None:
    _sql(db_path, "PRAGMA user_version = 7")  # a valid SQLite file with no tables
    with pytest.raises(StorageError, match="needs an upgrade"):
        open_database(db_path, migrate=False)
    assert _tables(db_path) == set()
    db = open_database(db_path)
    db.close()
    assert _sql(db_path, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]


def test_foreign_keys_are_enforced(empty_db: Database) -> None:
    import uuid

    from sqlalchemy.exc import IntegrityError

    from app.models import Section

    with pytest.raises(IntegrityError), empty_db.session() as session:
        session.add(Section(estimate_id=uuid.uuid4(), name="orphan"))
        session.commit()


# -- refusing -------------------------------------------------------------------------------------


def test_newer_schema_is_refused_untouched(demo_file: Path) -> None:
    _sql(demo_file, "UPDATE alembic_version SET version_num = '9999'")
    error = refused(demo_file, DatabaseTooNew)
    assert "newer Tandem" in str(error) and "9999" in str(error) and str(demo_file) in str(error)
    before = _snapshot(demo_file.parent)
    report = check_database(demo_file)
    assert (report.revision, report.ok) == ("9999", False) and "newer than this Tandem" in report.lines()[1]
    assert _snapshot(demo_file.parent) == before


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    error = refused(path, NotADatabase)
    assert str(error) == f"{path} is empty (0 bytes): it is not a Tandem database."


@pytest.mark.parametrize("size", [1, 100, 8192, 3 * 4096 + 17])
def test_random_bytes(tmp_path: Path, size: int) -> None:
    path = tmp_path / "noise.db"
    path.write_bytes(os.urandom(size))
    error = refused(path, NotADatabase)
    assert str(error) == f"{path} is not a Tandem database (it is not an SQLite file)."


def test_sqlite_header_then_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(SQLITE_HEADER + os.urandom(8192))
    error = refused(path, NotADatabase)
    assert str(error).startswith(f"{path} is damaged") and "it was not changed" in str(error)


# Where a copy was cut: in the header, at and around page boundaries, in the middle, and
# a few bytes short of the end (SQLite reads the missing end as zeros: its checks passed).
CUTS = {
    "header-16": lambda n: 16,
    "header-99": lambda n: 99,
    "page-1": lambda n: 4096 - 1,
    "one-page": lambda n: 4096,
    "one-page+1": lambda n: 4096 + 1,
    "tenth": lambda n: n // 10,
    "half": lambda n: n // 2,
    "last-page-half": lambda n: n - 2048,
    "300-bytes-short": lambda n: n - 300,
    "1-byte-short": lambda n: n - 1,
}


@pytest.mark.parametrize("cut", CUTS.values(), ids=CUTS.keys())
def test_truncated_copy_of_a_real_database(demo_file: Path, tmp_path: Path,
                                           cut: Callable[[int], int]) -> None:
    data = demo_file.read_bytes()
    path = tmp_path / "truncated" / "copy.db"
    path.parent.mkdir()
    path.write_bytes(data[: cut(len(data))])
    error = refused(path, NotADatabase)
    assert str(error).startswith(f"{path} is damaged")
    try:  # the check reports it, or refuses it outright
        assert check_database(path).integrity != "ok"
    except NotADatabase as refusal:
        assert "\n" not in str(refusal)
    assert _snapshot(path.parent) == {"copy.db": hashlib.sha256(data[: cut(len(data))]).hexdigest()}


def test_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.db"
    folder.mkdir()
    error = refused(folder, NotADatabase)
    assert str(error) == f"{folder} is a folder, not a Tandem database."
    assert list(folder.iterdir()) == []


def test_a_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "tandem.db"
    error = refused(path, DatabaseNotFound)
    assert "does not exist" in str(error) and str(path.parent) in str(error)
    assert not path.parent.exists()


def test_a_missing_file_without_create(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with pytest.raises(DatabaseNotFound, match="No database at"):
        open_database(path, create=False)
    assert not path.exists()


def test_another_programs_tables(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _sql(
        path,
        "CREATE TABLE photos (id INTEGER PRIMARY KEY, title TEXT)",
        "INSERT INTO photos (title) VALUES ('beach')",
    )
    error = refused(path, NotADatabase)
    assert "another program's tables" in str(error)
    assert _sql(path, "SELECT title FROM photos") == [("beach",)]


def test_a_locked_database(demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(demo_file, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DatabaseLocked, match="locked by another program"):
            open_database(demo_file)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


# -- journal mode ---------------------------------------------------------------------------------


def test_wal_database_is_opened_in_rollback_journal_mode(demo_file: Path) -> None:
    assert _sql(demo_file, "PRAGMA journal_mode = WAL") == [("wal",)]
    assert _sql(demo_file, "PRAGMA journal_mode") == [("wal",)]  # it sticks to the file
    assert sorted(_snapshot(demo_file.parent)) == ["real.db"]  # no -wal beside it
    assert _through_tandem(demo_file, "PRAGMA journal_mode") == ["delete"]
    assert sorted(_snapshot(demo_file.parent)) == ["real.db"]  # none left: no -wal, -shm, -journal
    assert _sql(demo_file, "PRAGMA journal_mode") == [("delete",)]


def test_wal_left_by_a_crash_is_folded_in(demo_file: Path, tmp_path: Path) -> None:
    """A -wal file with committed rows (its writer died) is kept, then the file leaves WAL mode."""
    writer = sqlite3.connect(demo_file)
    try:
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("UPDATE company SET name = 'Renamed in WAL'")
        writer.commit()
        crashed = tmp_path / "crashed"
        crashed.mkdir()
        for suffix in ("", "-wal"):  # copy while the writer is open: as if it had died
            shutil.copy(f"{demo_file}{suffix}", crashed / f"real.db{suffix}")
    finally:
        writer.close()
    copy = crashed / "real.db"
    assert _through_tandem(copy, "SELECT name FROM company") == ["Renamed in WAL"]
    assert sorted(_snapshot(crashed)) == ["real.db"]  # the -wal folded in; no -shm, no -journal
    assert _sql(copy, "PRAGMA journal_mode") == [("delete",)]


# -- check_database -------------------------------------------------------------------------------


def test_check_reports_revision_and_integrity(demo_file: Path) -> None:
    before = _snapshot(demo_file.parent)
    report = check_database(demo_file)
    assert (report.revision, report.head, report.integrity, report.ok) == (
        HEAD_REVISION,
        HEAD_REVISION,
        "ok",
        True,
    )
    assert report.lines() == [
        f"database: {demo_file}",
        f"schema: {HEAD_REVISION} (current; this Tandem: {HEAD_REVISION})",
        "integrity: ok",
    ]
    assert _snapshot(demo_file.parent) == before


def test_check_an_unstamped_file(db_path: Path) -> None:
    _sql(db_path, "PRAGMA user_version = 1")
    report = check_database(db_path)
    assert (report.revision, report.integrity, report.ok) == (None, "ok", False)
    assert "schema: none (needs upgrade" in report.lines()[1]


def test_check_refuses_like_open(tmp_path: Path) -> None:
    noise = tmp_path / "noise.db"
    noise.write_bytes(os.urandom(4096))
    refused(noise, NotADatabase, opener=check_database)
    refused(tmp_path / "absent.db", DatabaseNotFound, opener=check_database)
    other = tmp_path / "other.db"
    _sql(other, "CREATE TABLE t (x)")
    refused(other, NotADatabase, opener=check_database)


@pytest.mark.parametrize("fill", [b"\xa5", b"\x00", None], ids=["a5", "zeros", "random"])
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_damaged_page_is_refused(demo_file: Path, where: str, fill: bytes | None) -> None:
    """One page overwritten (the first after its header): both the check and open refuse it, untouched."""
    page_size = int(str(_sql(demo_file, "PRAGMA page_size")[0][0]))
    data = bytearray(demo_file.read_bytes())
    pages = len(data) // page_size
    start = {"first": 100, "middle": pages // 2 * page_size, "last": (pages - 1) * page_size}[where]
    end = start - start % page_size + page_size
    data[start:end] = os.urandom(end - start) if fill is None else fill * (end - start)
    demo_file.write_bytes(bytes(data))
    assert "damaged" in str(refused(demo_file, NotADatabase, opener=check_database))
    assert "damaged" in str(refused(demo_file, NotADatabase))


def test_a_crashed_writers_journal(demo_file: Path) -> None:
    """A hot journal: the read-only check says what it is; opening rolls it back."""
    leave_hot_journal(demo_file)
    error = refused(demo_file, StorageError, opener=check_database)
    assert "unfinished change left by a program that stopped" in str(error)
    assert _through_tandem(demo_file, "SELECT name FROM company") == ["Northlight Productions"]
    assert sorted(_snapshot(demo_file.parent)) == ["real.db"]
    assert check_database(demo_file).ok


def test_check_a_path_with_uri_characters(tmp_path: Path) -> None:
    folder = tmp_path / "Jobs #12 100%"
    folder.mkdir()
    open_database(folder / "t.db").close()
    report = check_database(folder / "t.db")
    assert (report.revision, report.ok) == (HEAD_REVISION, True)
    assert sorted(_snapshot(folder)) == ["t.db"]


def test_a_question_mark_or_hash_in_the_path_is_part_of_the_name(tmp_path: Path) -> None:
    folder = tmp_path / "Jobs ?2027 #12"
    folder.mkdir()
    target = folder / "x.db"
    db = open_database(target)
    try:
        assert db.path == target.resolve()
    finally:
        db.close()
    assert target.exists() and target.stat().st_size > 0
    assert sorted(p.name for p in folder.iterdir()) == ["x.db"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("Jobs")) == ["Jobs ?2027 #12"]


# -- odd paths: links, pipes, devices ---------------------------------------------------------------


def test_a_symlink_loop_is_refused_in_one_line(tmp_path: Path) -> None:
    loop = tmp_path / "loop.db"
    loop.symlink_to(loop.name)
    for opener in (open_database, check_database):
        error = refused(loop, NotADatabase, opener=opener)
        assert str(error) == (f"{loop} is a symbolic link that leads back to itself (a loop): "
                              "it is not a Tandem database.")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    import threading

    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    errors: list[StorageError] = []

    def attempt() -> None:
        for opener in (open_database, check_database):
            with pytest.raises(NotADatabase) as caught:
                opener(pipe)
            errors.append(caught.value)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(timeout=30)
    if thread.is_alive():  # opening the pipe to read waits for a writer: let it go, then fail
        with open(pipe, "wb"):
            pass
        pytest.fail("opening a named pipe waited for a writer")
    expected = f"{pipe} is a named pipe (FIFO), not a file: it is not a Tandem database."
    assert [str(e) for e in errors] == [expected] * 2


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="a POSIX device")
def test_a_device_is_refused() -> None:
    for opener in (open_database, check_database):
        with pytest.raises(NotADatabase, match=r"^/dev/null is a device, not a file"):
            opener("/dev/null")


# -- recognising Tandem's schema --------------------------------------------------------------------


def test_another_programs_file_stamped_with_a_tandem_revision(tmp_path: Path) -> None:
    """Any program using Alembic has alembic_version; '0004' there does not make a file Tandem's."""
    path = tmp_path / "photos.db"
    _sql(path, "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
         f"INSERT INTO alembic_version VALUES ('{HEAD_REVISION}')",
         "CREATE TABLE photos (id INTEGER PRIMARY KEY, title TEXT)",
         "INSERT INTO photos (title) VALUES ('beach')")
    for opener in (open_database, check_database):
        error = refused(path, NotADatabase, opener=opener)
        assert "another program's tables (stamped like a Tandem schema" in str(error)
    assert _sql(path, "SELECT title FROM photos") == [("beach",)]


def test_a_head_file_without_part_of_the_schema_is_not_ok(demo_file: Path) -> None:
    _sql(demo_file, "DROP TABLE crewassignment", "ALTER TABLE lineitem DROP COLUMN unit")
    report = check_database(demo_file)
    assert not report.ok
    assert report.integrity == "missing table crewassignment, lineitem.unit"
    error = refused(demo_file, NotADatabase)
    assert "lacks table crewassignment, lineitem.unit: it is not a whole" in str(error)


def test_every_revision_is_recognised_as_tandems(tmp_path: Path) -> None:
    """The tables and columns that identify a Tandem file are in the schema of every revision."""
    from sqlalchemy import create_engine

    for revision in KNOWN_REVISIONS:
        path = tmp_path / f"at-{revision}.db"
        engine = create_engine(storage.sqlite_url(path))
        with engine.begin() as conn:
            migrate.upgrade(conn, revision)
        engine.dispose()
        assert check_database(path).revision == revision
        if revision != HEAD_REVISION:
            db = open_database(path)  # upgraded, not refused as another program's
            db.close()
            assert db.revision == HEAD_REVISION


# -- never initialising a file that was not asked for -----------------------------------------------


def test_an_empty_sqlite_file_is_not_set_up_when_opening_an_existing_database(db_path: Path) -> None:
    _sql(db_path, "PRAGMA user_version = 7")
    error = refused(db_path, NotADatabase, opener=lambda p: open_database(p, create=False))
    assert "is an empty SQLite file, not a Tandem database" in str(error)
    assert _tables(db_path) == set()


def _killed_while_making(path: Path) -> None:
    """Leave a new file as a copy killed mid-way does: pages written, and the hot journal that
    rolls it back to nothing beside it (as `tandem backup` killed during the copy left it)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA cache_size = 2")  # pages spill into the file before the commit
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("CREATE TABLE company (id, name)")
    conn.executemany("INSERT INTO company VALUES (?, ?)", [(n, "x" * 500) for n in range(200)])
    written, journal = bytearray(path.read_bytes()), Path(f"{path}-journal").read_bytes()
    conn.execute("ROLLBACK")
    conn.close()
    first = path.with_name("first-page.db")
    _sql(first, "PRAGMA user_version = 1")
    written[:4096] = first.read_bytes()[:4096]  # the backup API writes page 1 first
    first.unlink()
    path.write_bytes(bytes(written))
    Path(f"{path}-journal").write_bytes(journal)


def test_a_file_emptied_by_rolling_back_an_unfinished_copy_is_not_set_up(tmp_path: Path) -> None:
    path = tmp_path / "copy.db"
    _killed_while_making(path)
    assert path.read_bytes().startswith(SQLITE_HEADER)
    with pytest.raises(NotADatabase, match="held only an unfinished write") as caught:
        open_database(path)  # create=True, as `tandem --db copy.db` opens it
    assert "\n" not in str(caught.value)
    # Rolled back to what it was before the copy began, nothing; not made a Tandem database.
    assert path.stat().st_size == 0 and not Path(f"{path}-journal").exists()
    refused(path, NotADatabase)  # and now refused as empty


# -- a full or failing disk -------------------------------------------------------------------------


def test_a_full_disk_says_what_happened_and_that_nothing_was_lost(demo_file: Path) -> None:
    db = open_database(demo_file, create=False)
    try:
        with pytest.raises(StorageError) as caught, db.write() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
            conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")  # the disk is full at this size
            conn.exec_driver_sql("UPDATE lineitem SET client_description = printf('%.2000c', 'x')")
        message = str(caught.value)
        assert message.startswith(f"{demo_file}: the disk is full. Nothing saved before is lost")
        assert "\n" not in message
    finally:
        db.close()
    assert _sql(demo_file, "SELECT count(*) FROM lineitem WHERE length(client_description) = 2000") == [(0,)]
    assert check_database(demo_file).ok


# -- what killed Tandems leave beside a file --------------------------------------------------------


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_a_killed_merge_or_copys_leftovers_are_cleared_on_open(demo_file: Path) -> None:
    from app.services.storage import tempfiles

    dead = tempfiles.name_for(demo_file, "merge").name.replace(f"-{os.getpid()}-", f"-{_dead_pid()}-")
    live = tempfiles.name_for(demo_file, "backup").name  # this process: still being written
    other_file = tempfiles.name_for(demo_file.with_name("other.db"), "merge").name.replace(
        f"-{os.getpid()}-", f"-{_dead_pid()}-")
    names = {dead: b"x" * 8192, f"{dead}-journal": b"j", live: b"y", other_file: b"z",
             f".{demo_file.name}.notes.tmp": b"mine",
             f".{demo_file.name}.merge-0123abcd.tmp": b"recent, old style"}
    for name, data in names.items():
        (demo_file.parent / name).write_bytes(data)
    open_database(demo_file, create=False).close()
    left = {p.name for p in demo_file.parent.iterdir()}
    assert dead not in left and f"{dead}-journal" not in left
    assert set(names) - {dead, f"{dead}-journal"} <= left
    old = demo_file.parent / f".{demo_file.name}.merge-0123abcd.tmp"
    os.utime(old, (0, 0))  # a day and more old: from a Tandem that did not name its process
    open_database(demo_file, create=False).close()
    assert not old.exists()
