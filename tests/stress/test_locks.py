"""Another program holds a lock on the file: a save says "busy", writes nothing, keeps the input.

The lock is held by a second process with plain sqlite3 — exclusive (BEGIN EXCLUSIVE
and a change of its own), reserved (BEGIN IMMEDIATE, another writer) or shared (a long
read: the save gets its write lock but cannot commit). Each time the save through
EstimateDocument must raise DatabaseLocked once the busy timeout has passed, leave
the document as it was (the GUI keeps the typed value in the cell), and write nothing;
once the lock is released the same save goes through.
"""

from __future__ import annotations

import hashlib
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.services.estimate.document import EstimateDocument
from app.services.storage import database as storage
from app.services.storage.database import open_database
from app.services.storage.errors import DatabaseLocked
from tests.factories import make_estimate
from tests.stress.conftest import Worker

pytestmark = pytest.mark.slow


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("mode", ["exclusive", "reserved", "shared"])
def test_a_save_against_a_held_lock_reports_busy_and_changes_nothing(
    tmp_path: Path, workers: list[Worker], figures: dict[str, dict[str, Any]], mode: str
) -> None:
    path = tmp_path / "locked.db"
    db = open_database(path)
    try:
        estimate_id = make_estimate(db, lines=12, sections=2)
        doc = EstimateDocument(db, estimate_id)
        line = next(iter(doc.lines()))
        before = (line.quantity, line.version, doc.totals)
        wanted = line.quantity + 5

        holder = Worker("lock-holder", path, mode)
        workers.append(holder)
        holder.expect("locked")
        on_disk = _digest(path)
        started = time.perf_counter()
        with pytest.raises(DatabaseLocked, match="locked by another program"):
            doc.set_line_fields(line.id, {"quantity": wanted})
        waited = time.perf_counter() - started
        timeout = storage.BUSY_TIMEOUT_MS / 1000
        assert timeout * 0.9 <= waited <= timeout + 3, waited
        assert (line.quantity, line.version, doc.totals) == before  # memory: as it was
        assert _digest(path) == on_disk  # the file: not a byte written

        holder.send("release")
        holder.expect("released")
        assert holder.finish() and holder.proc.returncode == 0, holder.stderr
        # The holder's own change was rolled back; ours was never made.
        assert _stored_quantity(path, estimate_id, line.id) == (before[0], before[1])

        doc.set_line_fields(line.id, {"quantity": wanted})  # the retry the GUI offers
        assert (line.quantity, line.version) == (wanted, before[1] + 1)
    finally:
        db.close()
    assert _stored_quantity(path, estimate_id, line.id) == (wanted, before[1] + 1)
    busy = figures.setdefault("busy", {"timeout_s": storage.BUSY_TIMEOUT_MS / 1000})
    busy[f"{mode}_lock_reported_after_s"] = round(waited, 2)


def _stored_quantity(path: Path, estimate_id: Any, line_id: Any) -> tuple[Decimal, int]:
    db = open_database(path, create=False)
    try:
        line = EstimateDocument(db, estimate_id).line(line_id)
        return line.quantity, line.version
    finally:
        db.close()
