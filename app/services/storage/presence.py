"""Who else has the database open: presence records with heartbeats, and stale ones cleaned."""

from __future__ import annotations

import getpass
import os
import socket
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from app import __version__
from app.models.meta import Presence
from app.models.types import utcnow
from app.services.storage.errors import StorageError
from app.services.storage.filesystems import check_locking


class Store(Protocol):
    """What presence needs of a database: short transactions, and closing (the probe).

    The database module opens through :func:`guard_share`, so this one names only what it
    uses of a :class:`~app.services.storage.database.Database`, not the class: no import cycle.
    """

    def read(self) -> AbstractContextManager[Connection]: ...

    def write(self, *, track: bool = ...) -> AbstractContextManager[Connection]: ...

    def close(self) -> None: ...


PRESENCE_T = Presence.__table__  # type: ignore[attr-defined]
HEARTBEAT_SECONDS = 20
# A record whose heartbeat is older than this belongs to a Tandem that crashed or lost the share.
STALE_AFTER = timedelta(seconds=90)


@dataclass(frozen=True, slots=True)
class Peer:
    id: uuid.UUID
    user_name: str
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime


def current_user() -> str:
    name = os.environ.get("TANDEM_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "someone"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours, or we cannot tell: assume alive
    return True


def clean_stale(db: Store, now: datetime | None = None) -> int:
    """Delete records of Tandems that stopped heartbeating, or whose process on this host is gone."""
    now = now or utcnow()
    host = socket.gethostname()
    with db.write(track=False) as conn:
        rows = conn.execute(select(PRESENCE_T.c.id, PRESENCE_T.c.host, PRESENCE_T.c.pid,
                                   PRESENCE_T.c.heartbeat_at)).all()
        dead = [
            r.id for r in rows
            if now - r.heartbeat_at > STALE_AFTER or (r.host == host and not _pid_alive(r.pid))
        ]
        if dead:
            conn.execute(delete(PRESENCE_T).where(PRESENCE_T.c.id.in_(dead)))
    return len(dead)


def register(db: Store, user_name: str | None = None) -> uuid.UUID:
    """Announce this process; returns the id to heartbeat and unregister with."""
    clean_stale(db)
    record = Presence(user_name=(user_name or current_user())[:100], host=socket.gethostname()[:255],
                      pid=os.getpid(), app_version=__version__)
    with db.write(track=False) as conn:
        conn.execute(PRESENCE_T.insert().values(**record.model_dump()))
    return record.id


def heartbeat(db: Store, presence_id: uuid.UUID, user_name: str | None = None) -> None:
    """Say we are still here; re-announce if someone cleaned us out (after a long sleep)."""
    with db.write(track=False) as conn:
        touched = conn.execute(
            update(PRESENCE_T).where(PRESENCE_T.c.id == presence_id).values(heartbeat_at=utcnow())
        ).rowcount
        if touched == 0:
            record = Presence(id=presence_id, user_name=(user_name or current_user())[:100],
                              host=socket.gethostname()[:255], pid=os.getpid(), app_version=__version__)
            conn.execute(PRESENCE_T.insert().values(**record.model_dump()))


def unregister(db: Store, presence_id: uuid.UUID) -> None:
    with db.write(track=False) as conn:
        conn.execute(delete(PRESENCE_T).where(PRESENCE_T.c.id == presence_id))


def others(db: Store, me: uuid.UUID | None, now: datetime | None = None) -> list[Peer]:
    """Everyone else with the database open now (stale records are not counted)."""
    now = now or utcnow()
    with db.read() as conn:
        rows = conn.execute(select(PRESENCE_T).order_by(PRESENCE_T.c.started_at)).all()
    return [
        Peer(r.id, r.user_name, r.host, r.pid, r.started_at, r.heartbeat_at)
        for r in rows
        if r.id != me and now - r.heartbeat_at <= STALE_AFTER
    ]


def describe(peers: list[Peer]) -> str:
    """``Also open by Sam on LAPTOP-3 since 09:12`` (local time), or ``""`` when alone."""
    if not peers:
        return ""
    parts = [
        f"{p.user_name} on {p.host} since {p.started_at.astimezone():%H:%M}" for p in peers[:3]
    ]
    more = f" and {len(peers) - 3} more" if len(peers) > 3 else ""
    return "Also open by " + ", ".join(parts) + more


_ADVICE = "Copy it to this computer, or use a proper share or a PostgreSQL server."
# How long to retry reading who is present while another computer writes (about 3 s).
_PROBE_TRIES, _PROBE_PAUSE_S = 15, 0.2


def guard_share(path: Path, probe: Callable[[Path], Store]) -> tuple[str | None, str | None]:
    """On a share whose locks cannot be trusted: (why the file opens read-only, or None; the warning).

    Two computers writing over such a share corrupt the file within seconds. Alone on it,
    this computer may write, with a warning; when another computer already has the file
    open (its presence record is fresh), or who has it open cannot be read, this one opens
    it read-only and every write is refused with the reason, presence heartbeats included:
    the other keeps working, this one reads. (Two Tandems opening at the same instant can
    both find themselves alone.) ``probe`` opens the file read-only for that look (the
    database module hands in its own).
    """
    locking = check_locking(path)
    if locking.reliable:
        return None, None
    share = f"This share does not lock files reliably ({locking.reason})"
    away = _present_elsewhere(path, probe)
    if isinstance(away, StorageError):
        reason = (f"{share}, and who else has it open could not be read ({away}), so Tandem opened it "
                  f"read-only to protect it. {_ADVICE}")
        return reason, reason
    if not away:
        return None, f"{share}: open the file on one computer at a time. {_ADVICE}"
    who = f"{away[0].user_name} on {away[0].host}"
    if len(away) > 1:
        who += f" and {len(away) - 1} other{'s' if len(away) > 2 else ''}"
    has = "have" if len(away) > 1 else "has"
    reason = f"{share}; {who} {has} it open, so Tandem opened it read-only to protect it. {_ADVICE}"
    return reason, reason


def _present_elsewhere(path: Path, open_probe: Callable[[Path], Store]) -> list[Peer] | StorageError:
    """Who has the file open on other computers, read through a connection that cannot write.

    While another computer writes, its journal makes the read fail (a read-only connection
    cannot roll it back, and must not): tried again for a few seconds, then the failure.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return []
    probe = open_probe(path)
    here = socket.gethostname()
    failure = StorageError("")
    try:
        for _attempt in range(_PROBE_TRIES):
            try:
                with probe.read() as conn:
                    tables = {row[0] for row in conn.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE type = 'table'")}
                if PRESENCE_T.name not in tables:
                    return []  # a new file, or one from before presence: nobody to protect
                return [p for p in others(probe, None) if p.host != here]
            except StorageError as error:
                failure = error
                time.sleep(_PROBE_PAUSE_S)
    finally:
        probe.close()
    return failure
