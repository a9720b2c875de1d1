"""Presence records: who else has the file open, heartbeats, and crashed sessions cleaned."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select, update

from app.models.types import utcnow
from app.services import presence
from app.services.storage import Database, open_database


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
