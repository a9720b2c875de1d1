"""Backups: consistent, checked copies in the backups folder; named copies; restores into new files.

Nothing here ever changes the database it copies, and a copy that fails leaves no file behind.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.services.demo import build_demo
from app.services.storage import backup as backups
from app.services.storage import database as storage
from app.services.storage.backup import (
    backup_to,
    backups_folder,
    list_backups,
    prune,
    restore_backup,
    snapshot,
)
from app.services.storage.check import check_database
from app.services.storage.database import HEAD_REVISION, open_database
from app.services.storage.errors import DatabaseLocked, DatabaseNotFound, NotADatabase, StorageError
from tests.factories import leave_hot_journal
from tests.test_cli import assert_one_line_error, tandem


def _files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def _company(path: Path) -> str:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT name FROM company").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    folder.mkdir()
    path = folder / "tandem.db"
    db = open_database(path)
    build_demo(db)
    db.close()
    return path


# -- snapshot -------------------------------------------------------------------------------------


def test_snapshot_of_an_open_database(demo_db: storage.Database, tandem_home: Path) -> None:
    info = snapshot(demo_db)
    assert info.path.parent == backups_folder(demo_db)
    assert info.path.parent.parent == tandem_home / "backups"
    assert info.path.name.endswith("Z.db") and info.size == info.path.stat().st_size > 0
    assert _company(info.path) == "Northlight Productions"
    report = check_database(info.path)
    assert (report.ok, report.revision) == (True, HEAD_REVISION)
    assert list_backups(demo_db) == [info]


def test_snapshot_leaves_the_file_as_it_was(demo_file: Path) -> None:
    before = _files(demo_file.parent)
    snapshot(demo_file)
    assert _files(demo_file.parent) == before  # no journal, no -wal, not a byte changed


def test_the_newest_are_kept(demo_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    taken = [snapshot(demo_file, backups_dir=folder, keep=3) for _ in range(5)]
    (folder / "notes.txt").write_text("mine")  # never deleted: not a backup's name
    (folder / "other.db").write_bytes(b"also mine")
    snapshot(demo_file, backups_dir=folder, keep=3)
    listed = list_backups(demo_file, backups_dir=folder)
    assert len(listed) == 3
    assert [b.taken_at for b in listed] == sorted((b.taken_at for b in listed), reverse=True)
    assert {b.path for b in taken[:3]}.isdisjoint(b.path for b in listed)
    assert taken[4].path in {b.path for b in listed}
    assert (folder / "notes.txt").exists() and (folder / "other.db").exists()
    assert prune(folder, keep=1) == [b.path for b in listed[1:]]
    with pytest.raises(ValueError):
        snapshot(demo_file, backups_dir=folder, keep=0)


def test_two_files_of_one_name_keep_apart(demo_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "laptop" / "tandem.db"
    other.parent.mkdir()
    other.write_bytes(demo_file.read_bytes())
    assert backups_folder(other) != backups_folder(demo_file)
    assert backups_folder(other).name.startswith("tandem-")
    snapshot(other, keep=1)
    snapshot(demo_file, keep=1)
    assert len(list_backups(other)) == len(list_backups(demo_file)) == 1


def test_a_copy_that_fails_its_check_is_deleted(demo_file: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "backups"
    good = snapshot(demo_file, backups_dir=folder)
    verdicts = iter(["row 7 missing from index", "ok"])  # the copy, then the source
    monkeypatch.setattr(backups, "_check", lambda _conn: next(verdicts))
    with pytest.raises(StorageError, match=r"failed its check \(row 7 missing from index\) and was deleted"):
        snapshot(demo_file, backups_dir=folder)
    assert [p.name for p in folder.iterdir()] == [good.path.name]


def test_a_server_is_not_backed_up_here() -> None:
    with pytest.raises(StorageError, match="server's own tools"):
        snapshot("postgresql://tandem@db.example/office")


# -- refusing what cannot be copied ---------------------------------------------------------------


def _scribbled(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 4096 // 2 * 4096
    data[middle:middle + 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("damage", "error", "words"),
    [
        (_scribbled, NotADatabase, "is damaged"),
        (lambda p: p.write_bytes(p.read_bytes()[:-300]), NotADatabase, "is damaged (truncated"),
        (lambda p: p.write_bytes(b""), NotADatabase, "is empty (0 bytes)"),
        (lambda p: p.write_bytes(os.urandom(9000)), NotADatabase, "not an SQLite file"),
        (lambda p: p.unlink(), DatabaseNotFound, "No database at"),
        (leave_hot_journal, StorageError, "unfinished change left by a program that stopped"),
        (lambda p: sqlite3.connect(p).execute("PRAGMA journal_mode = WAL").connection.close(),
         StorageError, "is in WAL mode"),
    ],
    ids=["scribbled-page", "truncated", "zero-bytes", "random-bytes", "missing", "hot-journal", "wal"],
)
def test_what_cannot_be_copied_is_refused_untouched(demo_file: Path, tmp_path: Path,
                                                    damage: Callable[[Path], object],
                                                    error: type[StorageError], words: str) -> None:
    damage(demo_file)
    before = _files(demo_file.parent)
    folder = tmp_path / "backups"
    for attempt in (lambda: snapshot(demo_file, backups_dir=folder),
                    lambda: backup_to(demo_file, tmp_path / "copy.db")):
        with pytest.raises(StorageError) as caught:
            attempt()
        assert type(caught.value) is error and words in str(caught.value), caught.value
        assert "\n" not in str(caught.value)
        assert _files(demo_file.parent) == before  # the file and its journal, as they were
    assert not (tmp_path / "copy.db").exists()
    assert not folder.exists() or not any(folder.iterdir())


def test_a_locked_file_is_not_waited_on_forever(demo_file: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(demo_file, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DatabaseLocked, match="locked by another program"):
            backup_to(demo_file, tmp_path / "copy.db")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not (tmp_path / "copy.db").exists()
    assert backup_to(demo_file, tmp_path / "copy.db").size > 0


# -- named copies and restores --------------------------------------------------------------------


def test_backup_to_a_new_file(demo_file: Path, tmp_path: Path) -> None:
    info = backup_to(demo_file, tmp_path / "friday.db")
    assert info.path == (tmp_path / "friday.db").resolve()
    assert _company(info.path) == "Northlight Productions"
    assert check_database(info.path).ok
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["friday.db"]


@pytest.mark.parametrize(
    ("out", "words"),
    [
        ("existing.db", "already exists"),
        ("office/tandem.db", "Will not write onto"),
        ("office/tandem.db-journal", "journals"),
        ("other.db-wal", "journals"),
        ("with-journal.db", "with-journal.db-journal exists beside"),
        ("no-such-folder/x.db", "does not exist"),
    ],
)
def test_backup_to_never_writes_over_anything(demo_file: Path, tmp_path: Path, out: str, words: str) -> None:
    (tmp_path / "existing.db").write_bytes(b"precious")
    (tmp_path / "with-journal.db-journal").write_bytes(b"someone's journal")
    before = {**_files(tmp_path), **_files(demo_file.parent)}
    with pytest.raises(StorageError, match=words.replace(".", r"\.")):
        backup_to(demo_file, tmp_path / out)
    assert {**_files(tmp_path), **_files(demo_file.parent)} == before


def test_restore_into_a_new_file(demo_file: Path, tmp_path: Path) -> None:
    taken = snapshot(demo_file)
    live = _files(demo_file.parent)
    with pytest.raises(StorageError, match="already exists"):
        restore_backup(taken.path, demo_file)  # never over the live file
    restored = restore_backup(taken.path, tmp_path / "restored.db")
    assert _files(demo_file.parent) == live
    db = open_database(restored, create=False)
    db.close()
    assert _company(restored) == "Northlight Productions"
    assert check_database(restored).ok


def test_a_restored_backup_has_the_stock_rates_and_holds(demo_file: Path, tmp_path: Path) -> None:
    """The equipment tables come back whole: the same stock and rates, and so the same availability
    (the Full booth's 392 panels: 100 of 400 free in the Orbital partner summit's week)."""
    from app.services import master_data
    from app.services.equipment.availability import estimate_availability, hold_index
    from app.services.equipment.items import EQUIPMENT_ITEMS, SUBRENTAL_RATES
    from app.services.estimate.document import EstimateDocument
    from tests.factories import estimate_id

    def equipment(path: Path) -> tuple[Any, ...]:
        db = open_database(path, create=False)
        try:
            doc = EstimateDocument(db, estimate_id(db, "Full booth"))
            cells = sorted(a.cell() for a in estimate_availability(hold_index(db), doc).lines.values())
            return (
                [(r.id, r.version, r.values) for r in master_data.load(db, EQUIPMENT_ITEMS)],
                [(r.id, r.values) for r in master_data.load(db, SUBRENTAL_RATES)],
                cells,
            )
        finally:
            db.close()

    taken = snapshot(demo_file)
    restored = restore_backup(taken.path, tmp_path / "restored.db")
    stock, rates, cells = equipment(restored)
    assert (len(stock), len(rates), cells) == (5, 3, ["100 / 400", "40 / 40"])
    assert (stock, rates, cells) == equipment(demo_file)


def test_a_restored_backup_has_the_supplier_quotes_and_the_lines_that_follow_them(
        demo_file: Path, tmp_path: Path) -> None:
    """The supplier quote tables come back whole: the three rigging quotes with their items and
    break, the motor line following SkyPoint's item, its three candidates."""
    from sqlalchemy import select

    from app.models import LineItem, LineQuoteCandidate
    from app.services.supply.quote_items import load_quote_items

    def quoted(path: Path) -> tuple[Any, ...]:
        db = open_database(path, create=False)
        try:
            with db.read() as conn:
                items = load_quote_items(conn)
                followed = conn.execute(select(LineItem.id, LineItem.supplier_quote_item_id).where(
                    LineItem.supplier_quote_item_id.is_not(None))).all()  # type: ignore[union-attr]
                candidates = conn.execute(select(LineQuoteCandidate.line_item_id,
                                                 LineQuoteCandidate.supplier_quote_item_id,
                                                 LineQuoteCandidate.position)).all()
            return items, sorted(followed), sorted(candidates)
        finally:
            db.close()

    taken = snapshot(demo_file)
    restored = restore_backup(taken.path, tmp_path / "restored.db")
    items, followed, candidates = quoted(restored)
    assert sorted(i.quote.number for i in items.values()) == ["SH-0488", "SP-2291", "VRS-5120"]
    assert [items[i].quote.number for _line, i in followed] == ["SP-2291"]
    assert len(candidates) == 3 and sum(len(i.breaks) for i in items.values()) == 1
    assert (items, followed, candidates) == quoted(demo_file)


def test_a_damaged_backup_is_not_restored(demo_file: Path, tmp_path: Path) -> None:
    taken = snapshot(demo_file)
    _scribbled(taken.path)
    with pytest.raises(NotADatabase, match=r"The backup .* is damaged"):
        restore_backup(taken.path, tmp_path / "restored.db")
    assert not (tmp_path / "restored.db").exists()


# -- the command line -----------------------------------------------------------------------------


@pytest.mark.slow
def test_tandem_backup(demo_file: Path, tmp_path: Path, tandem_home: Path) -> None:
    out = tmp_path / "copy.db"
    result = tandem("backup", "--db", str(demo_file), "--out", str(out), home=tandem_home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Backed up {demo_file} to {out}") and "quick_check ok" in result.stdout
    assert check_database(out).ok
    again = tandem("backup", "--db", str(demo_file), "--out", str(out), home=tandem_home)
    assert_one_line_error(again, "already exists")


@pytest.mark.slow
def test_tandem_backup_of_a_damaged_file(demo_file: Path, tmp_path: Path, tandem_home: Path) -> None:
    _scribbled(demo_file)
    before = demo_file.read_bytes()
    result = tandem("backup", "--db", str(demo_file), "--out", str(tmp_path / "copy.db"), home=tandem_home)
    assert_one_line_error(result, "is damaged", "no copy was made")
    assert demo_file.read_bytes() == before
    assert not (tmp_path / "copy.db").exists()


# -- never a half-made file under the chosen name ---------------------------------------------------


def _named(folder: Path, start: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(start))


@pytest.mark.parametrize("kind", ["backup", "restore"])
def test_the_chosen_name_appears_only_once_the_copy_is_checked(demo_file: Path, tmp_path: Path, kind: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "friday.db"
    source = demo_file if kind == "backup" else snapshot(demo_file).path
    seen: list[tuple[bool, list[str]]] = []
    check = backups._check

    def watching(conn: sqlite3.Connection) -> str:
        seen.append((out.exists(), _named(tmp_path, ".friday")))
        return check(conn)

    monkeypatch.setattr(backups, "_check", watching)
    (backup_to if kind == "backup" else restore_backup)(source, out)
    [(existed, hidden)] = seen
    assert not existed, "the chosen name existed while the copy was being checked"
    assert len(hidden) == 1 and hidden[0].startswith(f".friday.db.{kind}-") and hidden[0].endswith(".tmp")
    assert check_database(out).ok
    assert _named(tmp_path, "friday") + _named(tmp_path, ".friday") == ["friday.db"]


def test_a_copy_that_fails_leaves_neither_the_name_nor_a_hidden_file(demo_file: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    verdicts = iter(["row 7 missing from index", "ok"])
    monkeypatch.setattr(backups, "_check", lambda _conn: next(verdicts))
    with pytest.raises(StorageError, match="failed its check"):
        backup_to(demo_file, tmp_path / "friday.db")
    assert not [p for p in tmp_path.iterdir() if "friday" in p.name]


def test_what_a_killed_backup_left_is_cleared_by_the_next(demo_file: Path, tmp_path: Path) -> None:
    from app.services.storage import tempfiles
    from tests.test_storage import _dead_pid

    out = tmp_path / "friday.db"
    dead = tempfiles.name_for(out, "backup").name.replace(f"-{os.getpid()}-", f"-{_dead_pid()}-")
    for name in (dead, f"{dead}-journal"):
        (tmp_path / name).write_bytes(b"\0" * 4096)
    backup_to(demo_file, out)
    assert sorted(p.name for p in tmp_path.iterdir() if "friday" in p.name) == ["friday.db"]
