"""Presence records: who else has the file open, heartbeats, and crashed sessions cleaned."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from app.models.meta import Presence
from app.models.types import utcnow
from app.services.estimate.document import EstimateDocument
from app.services.storage import presence
from app.services.storage.database import Database, open_database
from app.services.storage.errors import ReadOnlyDatabase, StorageError
from tests.factories import make_estimate


def test_two_sessions_see_each_other(empty_db: Database) -> None:
    other = open_database(empty_db.path)
    try:
        me = presence.register(empty_db, "Dana")
        sam = presence.register(other, "Sam")
        mine = presence.others(empty_db, me)
        assert [p.user_name for p in mine] == ["Sam"]
        assert [p.user_name for p in presence.others(other, sam)] == ["Dana"]
        text = presence.describe(mine)
        started = mine[0].started_at.astimezone()
        assert text == f"Also open by Sam on {socket.gethostname()} since {started:%H:%M}"
        presence.unregister(other, sam)
        assert presence.others(empty_db, me) == []
        assert presence.describe([]) == ""
    finally:
        other.close()


def test_a_silent_session_goes_stale_and_is_cleaned(empty_db: Database) -> None:
    me = presence.register(empty_db, "Dana")
    ghost = presence.register(empty_db, "Ghost")
    with empty_db.write(track=False) as conn:
        conn.execute(
            update(presence.PRESENCE_T)
            .where(presence.PRESENCE_T.c.id == ghost)
            .values(heartbeat_at=utcnow() - presence.STALE_AFTER - timedelta(seconds=1))
        )
    assert presence.others(empty_db, me) == []  # not counted even before cleaning
    assert presence.clean_stale(empty_db) == 1
    with empty_db.read() as conn:
        ids = set(conn.execute(select(presence.PRESENCE_T.c.id)).scalars())
    assert ids == {me}


def test_a_crashed_process_on_this_host_is_cleaned_at_once(empty_db: Database) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    ghost = presence.register(empty_db, "Crashed")
    with empty_db.write(track=False) as conn:
        conn.execute(update(presence.PRESENCE_T).where(presence.PRESENCE_T.c.id == ghost)
                     .values(pid=dead_pid))
    me = presence.register(empty_db, "Dana")  # registering cleans first
    assert [p.id for p in presence.others(empty_db, None)] == [me]
    assert os.getpid() == presence.others(empty_db, None)[0].pid


def test_heartbeat_comes_back_after_being_cleaned(empty_db: Database) -> None:
    me = presence.register(empty_db, "Dana")
    with empty_db.write(track=False) as conn:
        conn.execute(presence.PRESENCE_T.delete())
    presence.heartbeat(empty_db, me, "Dana")
    assert [p.id for p in presence.others(empty_db, None)] == [me]


def test_presence_writes_do_not_count_as_changes(empty_db: Database) -> None:
    other = open_database(empty_db.path)
    try:
        assert not empty_db.changed_elsewhere()
        sam = presence.register(other, "Sam")
        presence.heartbeat(other, sam)
        assert not empty_db.changed_elsewhere()
    finally:
        other.close()


def someone_on_another_computer(db: Database, name: str = "Sam", host: str = "LAPTOP-3",
                                age: timedelta = timedelta(0)) -> None:
    record = Presence(user_name=name, host=host, pid=4242, heartbeat_at=utcnow() - age)
    with db.write(track=False) as conn:
        conn.execute(presence.PRESENCE_T.insert().values(**record.model_dump()))


SSHFS_READ_ONLY = ("This share does not lock files reliably (sshfs); Sam on LAPTOP-3 has it open, so Tandem "
                   "opened it read-only to protect it. Copy it to this computer, or use a proper share or a "
                   "PostgreSQL server.")


def test_on_a_share_without_locks_another_computer_makes_the_file_read_only(
    sshfs_share: Path, empty_db: Database
) -> None:
    # Alone on the share: writable, with a warning.
    assert empty_db.read_only is None
    assert empty_db.share_warning is not None and empty_db.share_warning.startswith(
        "This share does not lock files reliably (sshfs): open the file on one computer at a time.")
    estimate_id = make_estimate(empty_db, lines=3, sections=1)
    someone_on_another_computer(empty_db)
    before = empty_db.path.read_bytes()  # type: ignore[union-attr]

    second = open_database(empty_db.path)  # type: ignore[arg-type]
    try:
        assert second.read_only == SSHFS_READ_ONLY
        doc = EstimateDocument(second, estimate_id)  # reading is fine
        line = next(iter(doc.lines()))
        with pytest.raises(ReadOnlyDatabase, match=r"^This share does not lock files reliably \(sshfs\); "):
            doc.set_line_fields(line.id, {"quantity": line.quantity + 1})
        with pytest.raises(ReadOnlyDatabase):
            presence.register(second)  # not even a presence record
        # And SQLite itself opened the file read-only: not even a journal's rollback is written.
        with pytest.raises(OperationalError, match="readonly"), second.engine.begin() as conn:
            conn.execute(presence.PRESENCE_T.delete())
        assert line.version == 1 and doc.line(line.id).quantity == line.quantity
    finally:
        second.close()
    assert empty_db.path.read_bytes() == before  # type: ignore[union-attr]

    with empty_db.write(track=False) as conn:
        conn.execute(presence.PRESENCE_T.delete())
    third = open_database(empty_db.path)  # type: ignore[arg-type]
    try:
        assert third.read_only is None  # Sam has gone: alone again
    finally:
        third.close()


@pytest.mark.parametrize("who", ["this computer", "a stale record", "two computers", "a local disk"])
def test_read_only_only_for_a_live_other_computer_on_a_share_without_locks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, who: str
) -> None:
    if who != "a local disk":
        request.getfixturevalue("sshfs_share")
    db = open_database(tmp_path / "tandem.db")
    if who == "this computer":
        someone_on_another_computer(db, host=socket.gethostname())
    elif who == "a stale record":
        someone_on_another_computer(db, age=presence.STALE_AFTER + timedelta(seconds=5))
    else:
        someone_on_another_computer(db)
        someone_on_another_computer(db, "Ana", "DESKTOP-7")
    db.close()
    again = open_database(tmp_path / "tandem.db")
    try:
        if who == "two computers":
            assert again.read_only is not None
            assert "; Sam on LAPTOP-3 and 1 other have it open, so Tandem opened it" in again.read_only
        else:
            assert again.read_only is None
            assert (again.share_warning is None) == (who == "a local disk")
    finally:
        again.close()


def test_when_who_is_present_cannot_be_read_a_share_without_locks_opens_read_only(
    sshfs_share: Path, empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As while another computer writes: its journal makes every read-only read fail.
    def unreadable(*_args: object) -> None:
        raise StorageError("disk I/O error")

    monkeypatch.setattr(presence, "others", unreadable)
    monkeypatch.setattr(presence, "_PROBE_PAUSE_S", 0)
    db = open_database(empty_db.path)  # type: ignore[arg-type]
    try:
        assert db.read_only == (
            "This share does not lock files reliably (sshfs), and who else has it open could not be read "
            "(disk I/O error), so Tandem opened it read-only to protect it. Copy it to this computer, or use "
            "a proper share or a PostgreSQL server.")
    finally:
        db.close()
