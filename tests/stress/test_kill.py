"""A writer killed with SIGKILL in the middle of a large transaction, many times over.

Every reopen must pass ``PRAGMA integrity_check`` and hold all of the transaction or
none of it: the estimate's marker (``tx N``) and exactly the lines ``tx N line p``.
Half the writers run with a tiny page cache, so that changed pages are already in
the database file when the kill comes and the journal has to undo them.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest

from app.services.storage.database import open_database
from tests.stress.conftest import Worker, integrity, read_only
from tests.stress.workers import bulk_state, prepare_bulk

pytestmark = pytest.mark.slow

CYCLES = 40
LINES = 3000  # lines replaced by each transaction (~1 MB of pages)


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # the first 8 bytes of a hot rollback journal


def _journal_header(path: Path) -> bytes | None:
    try:
        with open(f"{path}-journal", "rb") as journal:
            return journal.read(8)
    except FileNotFoundError:
        return None


def test_sigkill_mid_transaction_keeps_all_or_none(
    tmp_path: Path, workers: list[Worker], figures: dict[str, dict[str, Any]]
) -> None:
    path = tmp_path / "killed.db"
    db = open_database(path)
    estimate_id, section_id = prepare_bulk(db, LINES)
    db.close()
    rng = random.Random(20250131)
    held = 0  # the transaction the file holds
    counts = {"kills": 0, "mid_transaction": 0, "in_flight_kept": 0, "in_flight_undone": 0,
              "hot_journals_rolled_back": 0, "corruptions": 0, "partial_states": 0}
    started = time.perf_counter()
    for cycle in range(CYCLES):
        worker = Worker("bulk-writer", path, estimate_id, section_id, "--lines", LINES,
                        "--start", held + 1, *(["--spill"] if cycle % 2 else []))
        workers.append(worker)
        if cycle % 5 == 4:
            time.sleep(rng.uniform(0.1, 1.0))  # anywhere from start-up through open to a write
        else:
            worker.expect("begin")
            time.sleep(rng.uniform(0.0, 0.45))  # ~2 transactions' worth: any point of one
        worker.kill()
        counts["kills"] += 1
        events = [line.split() for line in worker.drain()]
        began = max((int(e[1]) for e in events if e[0] == "begin"), default=held)
        committed = max((int(e[1]) for e in events if e[0] == "commit"), default=held)
        in_flight = began if began > committed else None
        hot = _journal_header(path) == JOURNAL_MAGIC

        db = open_database(path, create=False)  # rolls back what the killed writer left
        db.close()
        # A hot journal is played back and deleted by SQLite; one whose header was never
        # written (killed before the commit began) is inert, and SQLite leaves it be.
        assert _journal_header(path) in {None, bytes(8)}, f"cycle {cycle}: a hot journal is left"
        counts["hot_journals_rolled_back"] += hot
        with read_only(path) as conn:
            check = integrity(conn)
            tx, whole = bulk_state(conn, estimate_id, section_id, LINES)
        counts["corruptions"] += check != "ok"
        counts["partial_states"] += not whole
        assert check == "ok", f"cycle {cycle}: {check}"
        assert whole, f"cycle {cycle}: the file holds part of transaction {tx}"
        assert tx in {committed, began}, f"cycle {cycle}: holds tx {tx}; committed {committed}, began {began}"
        if in_flight is not None:
            counts["mid_transaction"] += 1
            counts["in_flight_kept" if tx == in_flight else "in_flight_undone"] += 1
        held = tx

    figures["kills"] = {
        "cycles": CYCLES, **counts, "lines_per_transaction": LINES,
        "transactions_committed": held, "seconds": round(time.perf_counter() - started, 1),
    }
    # Most kills must land inside a transaction, or the test proves little.
    assert counts["mid_transaction"] >= CYCLES * 0.5, counts
    assert counts["in_flight_undone"] > 0 and counts["hot_journals_rolled_back"] > 0, counts
