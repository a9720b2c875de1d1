"""Four processes on one estimate, deleting sections under one another (issue 9, item 1).

Each process is a user with its own EstimateDocument (``tests/stress/estimators.py``): it
shows what it last loaded, refreshes every second or after a conflict, and logs every
acknowledged write with the version it made. From the logs and the file:

- no acknowledged write vanished: a line hidden in a deleted section must have been seen,
  at its last version, by the acknowledged delete of that section (it is what the deleter
  deleted); a visible line last changed by a logged quantity edit holds that quantity;
- no two live lines (or sections) share a position;
- the file passes ``integrity_check``.

The first run has four users doing everything; the second three users writing lines while
a fourth keeps deleting the sections they write into and adding new ones.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.services.estimate.section_editing import LINE_T, SECTION_T
from app.services.storage.database import is_url, open_database
from tests.factories import make_estimate
from tests.stress.conftest import Worker, integrity, read_only, run_together
from tests.stress.estimators import MAX_EXTRA_SECONDS

pytestmark = pytest.mark.slow

SECONDS = 20  # of editing, in each run (a few more to start and check)


def _run(target: str, workers: list[Worker], mixes: list[str], stop_file: Path,
         deletes: int) -> tuple[list[dict[str, Any]], float]:
    """The users edit for SECONDS, and on until the last one has made ``deletes`` section
    deletes (a slow machine edits longer instead of proving less)."""
    db = open_database(target)
    estimate_id = make_estimate(db, lines=12, sections=4)
    db.close()
    started = time.perf_counter()
    users = [Worker(target, estimate_id, "--user", user, "--seconds", SECONDS, "--seed", 91 + user,
                    "--mix", mix, "--stop-file", stop_file,
                    *(("--until-deletes", deletes) if user == len(mixes) else ()),
                    module="tests.stress.estimators")
             for user, mix in enumerate(mixes, start=1)]
    workers.extend(users)
    events = run_together(users, timeout=SECONDS + MAX_EXTRA_SECONDS + 120)
    return events, time.perf_counter() - started


def _verdict(target: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    """What the database and the logs say: lost writes, shared positions, integrity (of a file)."""
    db = open_database(target, create=False)
    try:
        with db.read() as conn:
            sections = {r.id: r for r in conn.execute(select(SECTION_T))}
            lines = {r.id: r for r in conn.execute(select(LINE_T))}
    finally:
        db.close()
    checked = {}  # a server's integrity is the server's own business
    if not is_url(target):
        with read_only(Path(target)) as conn:
            checked["integrity"] = integrity(conn)
    acks = [e for e in events if e["event"] == "ack"]
    made = {(uuid.UUID(e["line"]), e["version"]): e for e in acks if "line" in e}
    deletes = {(uuid.UUID(e["section"]), e["version"]): e for e in acks if e["op"] == "delete_section"}
    lost = 0
    for line in lines.values():
        section = sections[line.section_id]
        if line.deleted_at is None and section.deleted_at is not None:
            # Hidden with its section: the delete that made the section's last version saw it as it is.
            delete = deletes.get((section.id, section.version), {"seen": []})
            seen = {uuid.UUID(i): v for i, v in delete["seen"]}
            if seen.get(line.id) != line.version:
                lost += sum(1 for (i, v) in made if i == line.id and v > seen.get(line.id, 0))
        elif line.deleted_at is None:
            last = made.get((line.id, line.version))
            if last is not None and last["op"] == "edit" and Decimal(last["quantity"]) != line.quantity:
                lost += 1
    for e in acks:  # every line acknowledged as added is in the file
        if e["op"] == "add" and uuid.UUID(e["line"]) not in lines:
            lost += 1
    visible = [line for line in lines.values()
               if line.deleted_at is None and sections[line.section_id].deleted_at is None]
    shared = Counter((line.section_id, line.position) for line in visible)
    live_sections = Counter(s.position for s in sections.values() if s.deleted_at is None)
    conflicts = Counter(e["kind"] for e in events if e["event"] == "conflict")
    return {
        "acknowledged_writes": len(acks),
        "conflicts_detected": sum(conflicts.values()),
        "writes_into_deleted_sections_refused": conflicts["ParentDeleted"],
        "deletes_refused_for_unseen_lines": conflicts["UnseenLines"],
        "version_conflicts": conflicts["EditConflict"],
        "sections_deleted": len(deletes),
        "busy": sum(e["event"] == "busy" for e in events),
        "lost_updates": lost,
        "lines_sharing_a_position": sum(n - 1 for n in shared.values() if n > 1)
        + sum(n - 1 for n in live_sections.values() if n > 1),
        **checked,
    }


def _check(figures: dict[str, Any]) -> None:
    assert figures.get("integrity", "ok") == "ok"
    assert figures["lost_updates"] == 0, f"{figures['lost_updates']} acknowledged writes lost"
    assert figures["lines_sharing_a_position"] == 0


def test_four_users_on_one_estimate_lose_no_acknowledged_write(
    tmp_path: Path, workers: list[Worker], figures: dict[str, dict[str, Any]]
) -> None:
    target = str(tmp_path / "shared.db")
    events, seconds = _run(target, workers, ["all"] * 4, tmp_path / "stop", deletes=3)
    found = _verdict(target, events)
    figures["four_users"] = {"users": 4, **found, "seconds": round(seconds, 1)}
    assert found["sections_deleted"] and found["version_conflicts"], "the users never met: nothing proved"
    _check(found)


def test_sections_deleted_under_three_writers_take_no_write_with_them(
    db_target: str, tmp_path: Path, workers: list[Worker], figures: dict[str, dict[str, Any]]
) -> None:
    """On a file and on a PostgreSQL server (where the row locks of the writes do what
    SQLite's one write lock does)."""
    events, seconds = _run(db_target, workers, ["writer", "writer", "writer", "deleter"],
                           tmp_path / "stop", deletes=10)
    found = _verdict(db_target, events)
    name = "deleted_sections" + ("_postgresql" if is_url(db_target) else "")
    figures[name] = {"writers": 3, "deleters": 1, **found, "seconds": round(seconds, 1)}
    assert found["sections_deleted"] >= 10, "too few deletes to prove anything"
    _check(found)
    # The race was met, and refused, both ways round.
    assert found["writes_into_deleted_sections_refused"] and found["deletes_refused_for_unseen_lines"]
