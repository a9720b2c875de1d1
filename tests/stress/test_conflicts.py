"""Two processes edit the same lines at once, each through its own EstimateDocument (and the same
stock items, each through Edit › Equipment…'s saves).

On each conflict a user chooses by a fixed rule (keep mine: write it again over
theirs; take theirs) and logs what it chose. From the two logs the history of every
line is rebuilt in commit order (each save logs the version it made): each save
must have replaced exactly the value the one before it wrote — a save made on a
stale copy would show up as a break in that chain, a lost update — and the file
must end with the last value chosen.
"""

from __future__ import annotations

import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.services.estimate.document import EstimateDocument
from app.services.storage.database import open_database
from tests.factories import make_estimate
from tests.stress.conftest import Worker, run_together

pytestmark = pytest.mark.slow

ROUNDS = 300  # edits each user makes
LINES = 3  # few lines, so that the two users keep meeting on them


def _lines(path: Path, estimate_id: uuid.UUID) -> dict[str, tuple[Decimal, int]]:
    db = open_database(path, create=False)
    try:
        doc = EstimateDocument(db, estimate_id)
        return {str(line.id): (line.quantity, line.version) for line in doc.lines()}
    finally:
        db.close()


def test_two_users_editing_the_same_lines_lose_no_update(
    tmp_path: Path, workers: list[Worker], figures: dict[str, dict[str, Any]]
) -> None:
    path = tmp_path / "shared.db"
    db = open_database(path)
    estimate_id = make_estimate(db, lines=LINES, sections=1)
    db.close()
    initial = _lines(path, estimate_id)

    started = time.perf_counter()
    users = [Worker("editor", path, estimate_id, "--user", user, "--rounds", ROUNDS, "--seed", 7 + user)
             for user in (1, 2)]
    workers.extend(users)
    events = run_together(users)
    seconds = time.perf_counter() - started

    figures["conflicts"] = {
        "users": 2, "edits_per_user": ROUNDS, "lines": LINES,
        **no_lost_update(initial, events, _lines(path, estimate_id), ROUNDS), "seconds": round(seconds, 1),
    }


def no_lost_update(initial: dict[str, tuple[Decimal, int]], events: list[dict[str, Any]],
                   final: dict[str, tuple[Decimal, int]], rounds: int) -> dict[str, int]:
    """Rebuild each row's history from the two users' logs and check it; the counts, for the figures."""
    saves = [e for e in events if e["event"] == "saved"]
    conflicts = [e for e in events if e["event"] == "conflict"]
    breaks = 0
    for line_id, (start_value, start_version) in initial.items():
        history = sorted((e for e in saves if e["line"] == line_id), key=lambda e: e["version"])
        # Every version from the first to the last was made by exactly one logged save…
        versions = [e["version"] for e in history]
        assert versions == list(range(start_version + 1, start_version + 1 + len(history)))
        # …and each replaced the value the save before it wrote: nobody saved over a stale copy.
        value_at = {start_version: start_value}
        for save in history:
            breaks += Decimal(save["old"]) != value_at[save["version"] - 1]
            value_at[save["version"]] = Decimal(save["new"])
        # What a user saw after a conflict (and kept, choosing theirs) was a committed value.
        for conflict in (e for e in conflicts if e["line"] == line_id):
            assert Decimal(conflict["seen"]) == value_at[conflict["seen_version"]]
        # The file ends with the last choice made: the last save, in commit order.
        last_version = history[-1]["version"] if history else start_version
        assert final[line_id] == (value_at[last_version], last_version)
    assert breaks == 0, f"{breaks} lost updates"
    # Each user's edits all ended in a save or in a "take theirs"; none vanished.
    for user in (1, 2):
        settled = {(e["round"]) for e in events if e["user"] == user and (
            e["event"] == "saved" or (e["event"] == "conflict" and e["choice"] == "theirs"))}
        assert settled == set(range(rounds))
    assert conflicts, "the two users never met: the test proved nothing"
    return {
        "saves": len(saves), "conflicts_detected": len(conflicts),
        "kept_mine": sum(c["choice"] == "mine" for c in conflicts),
        "took_theirs": sum(c["choice"] == "theirs" for c in conflicts),
        "busy": sum(e["event"] == "busy" for e in events),
        "lost_updates": breaks,
    }


STOCK_ROUNDS = 150


def _stock(path: Path) -> dict[str, tuple[Decimal, int]]:
    from app.services import master_data
    from app.services.equipment.items import EQUIPMENT_ITEMS

    db = open_database(path, create=False)
    try:
        rows = master_data.load(db, EQUIPMENT_ITEMS)
        return {str(r.id): (r.values["owned_quantity"], r.version) for r in rows}
    finally:
        db.close()


def test_two_users_editing_the_same_stock_lose_no_update(
    tmp_path: Path, workers: list[Worker], figures: dict[str, dict[str, Any]]
) -> None:
    """Two Edit › Equipment… users type owned quantities of the same three items at once."""
    from app.services import master_data
    from app.services.equipment.items import EQUIPMENT_ITEMS

    path = tmp_path / "shared.db"
    db = open_database(path)
    for name in ("LED panels", "Truss", "Mics"):
        master_data.add(db, EQUIPMENT_ITEMS, name, {"owned_quantity": "10"})
    db.close()
    initial = _stock(path)
    started = time.perf_counter()
    users = [Worker("stock-editor", path, "--user", user, "--rounds", STOCK_ROUNDS, "--seed", 11 + user)
             for user in (1, 2)]
    workers.extend(users)
    events = run_together(users)
    seconds = time.perf_counter() - started
    figures["stock_conflicts"] = {
        "users": 2, "edits_per_user": STOCK_ROUNDS, "items": len(initial),
        **no_lost_update(initial, events, _stock(path), STOCK_ROUNDS), "seconds": round(seconds, 1),
    }
