"""A large file of every earlier Tandem upgraded by a real process, and an upgrade killed midway.

For each earlier revision a file holding the demo of that revision and 20,000 generated
estimates (tests/revision_data.py, plain SQL against that revision's schema) is:

1. upgraded by a process stopped inside the migration, its changed pages already in the
   file; meanwhile another Tandem opening the file is told it is locked, and once the
   process is killed the file rolls back to exactly the bytes it had;
2. upgraded by another process, timed (the write lock is held that long); then every row
   and value is compared with what was written, and the totals of every 100th estimate
   priced by Tandem with the ones expected from the data.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from app.services.storage import migrate
from app.services.storage.database import HEAD_REVISION, open_database
from app.services.storage.errors import DatabaseLocked
from tests.revision_data import build, differences, total_differences, upgraded
from tests.stress.conftest import Worker, integrity, read_only

pytestmark = pytest.mark.slow

ESTIMATES = 20_000
TOTALS_EVERY = 100  # estimates whose totals are priced (loading 20,000 documents would take minutes)
# Killed inside the rebuild of a big table: estimate's (0004) from the files that run it; from a 0004
# file the project table's (0005 gives it a foreign key to its contact); from a 0006 file the line
# table's (0007 adds its kit and sub-rental links and rebuilds neither estimate nor project); from a
# 0009 file while the lines are indexed for search (0010 rebuilds no table).
PAUSE_AT = {
    "0004": "DROP TABLE project",
    "0006": "DROP TABLE lineitem",
    "0007": "DROP TABLE lineitem",
    "0009": "INSERT INTO search_lineitem",
}
PAUSE_AT_DEFAULT = "DROP TABLE estimate"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# The oldest file and the newest earlier one whose upgrade rebuilds a table (PAUSE_AT): an upgrade
# that only adds tables and columns (0009 from 0008) spills no page to the file before it commits, so
# a kill in it has nothing to prove. tests/test_upgrades.py runs every path on smaller data.
@pytest.mark.parametrize("revision", sorted({migrate.revisions()[0], max(PAUSE_AT)}))
def test_a_large_old_file_upgrades_whole_and_a_killed_upgrade_changes_nothing(
    revision: str, tmp_path: Path, workers: list[Worker], figures: dict[str, dict[str, Any]]
) -> None:
    path = tmp_path / f"from-{revision}.db"
    started = time.perf_counter()
    data = build(str(path), revision, generated=ESTIMATES)
    built = time.perf_counter() - started
    original = _digest(path)

    killed = Worker("upgrader", path, "--pause-at", PAUSE_AT.get(revision, PAUSE_AT_DEFAULT))
    workers.append(killed)
    killed.expect("paused", timeout=300)
    assert _digest(path) != original, "the paused upgrade has changed nothing in the file yet"
    with pytest.raises(DatabaseLocked, match="is locked by another program; try again in a moment"):
        open_database(path, create=False)
    killed.kill()
    with sqlite3.connect(path) as conn:  # plain SQLite: rolls the hot journal back, upgrades nothing
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(revision,)]
    restored = _digest(path) == original
    assert restored, "the killed upgrade left the file changed"

    upgrader = Worker("upgrader", path)
    workers.append(upgrader)
    _, seconds, reached = upgrader.expect("upgraded", timeout=300).split()
    assert reached == HEAD_REVISION
    with read_only(path) as conn:
        check = integrity(conn)
    db = open_database(path, create=False)
    try:
        with db.read() as conn:
            changed = differences(conn, upgraded(data, HEAD_REVISION), limit=1_000_000)
        wrong_totals = total_differences(db, data, every=TOTALS_EVERY)
    finally:
        db.close()
    rows = sum(len(rows) for rows in data.tables.values())
    figures[f"upgrade_from_{revision}"] = {
        "estimates": len(data.rows("estimate")), "rows": rows, "upgrade_seconds": float(seconds),
        "build_seconds": round(built, 1), "killed_mid_upgrade": 1, "restored_byte_for_byte": int(restored),
        "rows_compared": rows, "totals_compared": len(list(data.totals)[::TOTALS_EVERY]),
        "corruptions": (check != "ok") + len(changed) + len(wrong_totals),
    }
    assert check == "ok"
    assert changed == []
    assert wrong_totals == []
