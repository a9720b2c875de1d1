"""Backups taken while another process writes in a loop: each one is whole and passes its checks.

The writer replaces every line of the bulk estimate in each transaction; a backup that
caught the file mid-write would hold lines of two transactions, or fail integrity_check.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest

from app.services.storage.backup import backup_to, list_backups, restore_backup, snapshot
from app.services.storage.check import check_database
from app.services.storage.database import open_database
from tests.stress.conftest import Worker, integrity, read_only
from tests.stress.workers import bulk_state, prepare_bulk
from tests.test_cli import tandem

pytestmark = pytest.mark.slow

SNAPSHOTS = 60
KEEP = 5
LINES = 1000


def _whole(path: Path, estimate_id: Any, section_id: Any) -> tuple[str, int, bool]:
    """(integrity_check, the transaction the copy holds, whether it holds all of it)."""
    with read_only(path) as conn:
        return (integrity(conn), *bulk_state(conn, estimate_id, section_id, LINES))


def _wait_for_a_commit_after(path: Path, tx: int, estimate_id: Any, section_id: Any) -> None:
    """Until the live file holds a transaction newer than ``tx`` (the writer never stops by itself)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with read_only(path) as conn:
            if bulk_state(conn, estimate_id, section_id, LINES)[0] > tx:
                return
        time.sleep(0.02)
    raise AssertionError(f"the writer made no commit after transaction {tx} in 120 s")


def test_backups_while_another_process_writes(
    tmp_path: Path, tandem_home: Path, workers: list[Worker], figures: dict[str, dict[str, Any]]
) -> None:
    path = tmp_path / "live.db"
    db = open_database(path)
    estimate_id, section_id = prepare_bulk(db, LINES)
    stop = tmp_path / "stop-writing"
    writer = Worker("bulk-writer", path, estimate_id, section_id, "--lines", LINES, "--stop-file", stop)
    workers.append(writer)
    writer.expect("commit")
    rng = random.Random(42)
    held: list[int] = []
    bad = 0
    started = time.perf_counter()
    try:
        copies = []
        for i in range(SNAPSHOTS):
            if i % 3 == 0 and held:  # however slow the machine: the writer goes on between backups
                _wait_for_a_commit_after(path, held[-1], estimate_id, section_id)
            # The backup on open (from the open Database), and of a file by its path.
            info = snapshot(db if i % 2 else path, keep=KEEP)
            copies.append(info.path)
            time.sleep(rng.uniform(0.0, 0.08))
            check, tx, whole = _whole(info.path, estimate_id, section_id)
            bad += check != "ok" or not whole
            assert check == "ok" and whole, (i, check, tx)
            held.append(tx)
        for i in range(4):  # the command line's kind, into files the user names
            out = backup_to(path, tmp_path / f"named-{i}.db").path
            check, tx, whole = _whole(out, estimate_id, section_id)
            bad += check != "ok" or not whole
            assert check == "ok" and whole
            held.append(tx)
        cli = tandem("backup", "--db", str(path), "--out", str(tmp_path / "cli.db"), home=tandem_home)
        assert cli.returncode == 0, cli.stderr
        assert "quick_check ok" in cli.stdout
        check, tx, whole = _whole(tmp_path / "cli.db", estimate_id, section_id)
        assert check == "ok" and whole
    finally:
        stop.touch()
        log = writer.finish()
        db.close()
    seconds = time.perf_counter() - started
    assert writer.proc.returncode == 0, writer.stderr
    commits = sum(line.startswith("commit") for line in log)
    busy = sum(line.startswith("busy") for line in log)
    assert held == sorted(held)  # each backup as new as or newer than the one before
    assert len(set(held)) >= SNAPSHOTS // 3, held  # the writer went on between backups
    assert busy == 0  # a backup never held the writer up past the busy timeout

    kept = list_backups(path)
    assert [b.path for b in kept] == copies[::-1][:KEEP]  # newest first, the newest KEEP
    assert all(b.size == b.path.stat().st_size and b.taken_at.tzinfo for b in kept)
    restored = restore_backup(kept[0].path, tmp_path / "restored.db")
    assert check_database(restored).ok
    assert _whole(restored, estimate_id, section_id)[::2] == ("ok", True)

    figures["backups"] = {
        "backups_checked": len(held) + 1, "corrupt_or_partial": bad,
        "writer_commits_meanwhile": commits, "writer_busy": busy,
        "distinct_states_caught": len(set(held)), "lines_per_transaction": LINES,
        "seconds": round(seconds, 1),
    }
