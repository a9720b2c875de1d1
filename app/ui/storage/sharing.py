"""Keeping an eye on a shared database: others' changes, who else is here, our heartbeat.

Every poll runs on the thread pool (a file on a network share, or a file someone
holds locked, may take seconds to answer); results come back to the GUI thread
through signals, and only the GUI thread touches the database object's state.
A poll or a reload that fails (a disk I/O error, a damaged read) is a message in
the status bar and is tried again at the next poll. A database opened read-only
(see ``presence.guard_share``) is polled but never written: no presence record.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from app.services.storage import presence
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.ui.tasks import run_task

POLL_MS = 2000
HEARTBEAT_MS = presence.HEARTBEAT_SECONDS * 1000


class SharingMonitor(QObject):
    """Polls a database for others' commits and presence; heartbeats our own presence."""

    changedElsewhere = Signal()
    peersChanged = Signal(str)  # "Also open by …" or ""
    problem = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None,
                 poll_ms: int = POLL_MS, heartbeat_ms: int = HEARTBEAT_MS) -> None:
        super().__init__(parent)
        self.db = db
        self.presence_id: uuid.UUID | None = None
        self._busy = False
        self._reload_again = False
        self.pool = QThreadPool.globalInstance()
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self.poll)
        self.heartbeat_timer = QTimer(self)
        self.heartbeat_timer.setInterval(heartbeat_ms)
        self.heartbeat_timer.timeout.connect(self._on_heartbeat_timer)

    def start(self) -> None:
        self._register()
        self.poll_timer.start()
        self.heartbeat_timer.start()

    def stop(self) -> None:
        """Stop polling and remove our presence record (waits briefly for the pool)."""
        self.poll_timer.stop()
        self.heartbeat_timer.stop()
        self.pool.waitForDone(3000)
        if self.presence_id is not None:
            # On an unreachable share the record simply goes stale and is cleaned later.
            with contextlib.suppress(StorageError):
                presence.unregister(self.db, self.presence_id)
            self.presence_id = None

    def poll(self) -> None:
        """Ask (in the background) for the change counter and the others present."""
        if self._busy:
            return
        self._busy = True
        me = self.presence_id
        self._submit(lambda: (self.db.read_counter(), presence.others(self.db, me)), self._on_polled)

    def _on_polled(self, result: tuple[int, list[presence.Peer]]) -> None:
        self._busy = False
        counter, peers = result
        self.peersChanged.emit(presence.describe(peers))
        changed = self.db.note_counter(counter)
        if changed or self._reload_again:
            self._reload_again = False
            self.changedElsewhere.emit()

    def reload_failed(self) -> None:
        """The reload of others' changes failed: emit changedElsewhere again after the next poll."""
        self._reload_again = True

    def _register(self) -> None:
        if self.db.read_only is None:
            self._submit(lambda: presence.register(self.db), self._on_registered)

    def _on_registered(self, presence_id: uuid.UUID) -> None:
        self.presence_id = presence_id

    def _on_heartbeat_timer(self) -> None:
        if self.presence_id is not None:
            pid = self.presence_id
            self._submit(lambda: presence.heartbeat(self.db, pid), lambda _r: None)

    def _submit(self, work: Any, on_done: Any) -> None:
        def failed(message: str) -> None:
            self._busy = False
            self.problem.emit(message)

        run_task(lambda _progress: work(), on_done, failed, self)
