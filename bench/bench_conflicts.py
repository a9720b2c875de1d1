"""Crew conflict detection: 100,000 assignments of 500 crew over a year, and 10,000 of 50.

Builds a year of calls in memory (seeded, so every run sees the same data): each person works
four days a week, 8–12 hour calls starting 06:00–14:00, with 2% double-bookings, short
turnarounds, 1% roles they cannot fill, unavailable days and a weekly maximum for half of them.
Then times app.services.crew.conflicts.detect_conflicts over the assignments, and as baselines, in the
same run, Python's ``sorted`` of the same (person, start, end) tuples and a bare loop reading
each assignment's fields. The growth from 10,000 to 100,000 at the same density shows
whether detection is near-linear (≈ 10×).

Timings are printed with their ratio to the baselines, never asserted.

    python bench/bench_conflicts.py [--runs N]
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.models.enums import AssignmentStatus, CrewKind
from app.services.crew.conflicts import detect_conflicts
from app.services.crew.records import AssignmentInfo, CrewInfo
from bench._common import machine, ms, parse_counts, print_table, ratio, stats, write_json

TARGET_MS = 500
SIZES = ((10_000, 50), (100_000, 500))  # (assignments, crew)
YEAR_START = datetime(2027, 1, 4)  # a Monday


Year = tuple[dict[uuid.UUID, CrewInfo], list[AssignmentInfo], dict[uuid.UUID, Decimal | None],
             dict[uuid.UUID, str]]


def make_year(assignments: int, people: int, seed: int = 4) -> Year:
    rng = random.Random(seed)
    roles = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(8)]
    projects = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(60)]
    turnaround: dict[uuid.UUID, Decimal | None] = {
        p: rng.choice([None, Decimal(8), Decimal(10)]) for p in projects
    }
    names = {p: f"Project {i}" for i, p in enumerate(projects)}
    crew: dict[uuid.UUID, CrewInfo] = {}
    for i in range(people):
        cid = uuid.UUID(int=rng.getrandbits(128))
        off = frozenset((YEAR_START + timedelta(days=rng.randrange(364))).date()
                        for _ in range(rng.randrange(6)))
        crew[cid] = CrewInfo(
            cid, f"Crew {i}", rng.choice(list(CrewKind)), frozenset(rng.sample(roles, 2)), {},
            rng.choice([None, None, Decimal(50), Decimal(60)]), off, 1)
    per_person = assignments // people
    items: list[AssignmentInfo] = []
    for cid, who in crew.items():
        days = sorted(rng.sample(range(364), per_person))
        role_choices = sorted(who.role_ids)
        for day in days:
            start = YEAR_START + timedelta(days=day, hours=rng.randrange(6, 15))
            length = timedelta(hours=rng.randrange(8, 13))
            if rng.random() < 0.02:  # a deliberate overlap with the previous day's call
                start -= timedelta(hours=14)
            items.append(AssignmentInfo(
                uuid.UUID(int=rng.getrandbits(128)), cid, rng.choice(projects), None,
                rng.choice(roles if rng.random() < 0.01 else role_choices), start, start + length,
                AssignmentStatus.CONFIRMED, 1))
    rng.shuffle(items)
    return crew, items, turnaround, names


def timed(fn: Any, runs: int) -> tuple[list[float], Any]:
    fn()  # warm-up
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def measure(assignments: int, people: int, runs: int) -> dict[str, Any]:
    crew, items, turnaround, names = make_year(assignments, people)
    detect, found = timed(lambda: detect_conflicts(crew, items, turnaround, names), runs)
    tuples = [(a.crew_member_id, a.starts_at, a.ends_at) for a in items]
    sort, _ = timed(lambda: sorted(tuples), runs)

    def bare_loop() -> int:
        n = 0
        for a in items:
            if a.ends_at > a.starts_at and a.role_id is not None:
                n += 1
        return n

    loop, _ = timed(bare_loop, runs)
    kinds = Counter(c.kind for conflicts in found.values() for c in conflicts)
    return {
        "assignments": len(items), "crew": people,
        "detect": stats(detect), "sorted_baseline": stats(sort), "loop_baseline": stats(loop),
        "conflicted_assignments": len(found), "conflicts_by_kind": dict(sorted(kinds.items())),
    }


def main() -> int:
    args = parse_counts(__doc__, runs=(5, "timed runs per size"))
    results = [measure(n, people, args.runs) for n, people in SIZES]
    small, big = results
    rows = []
    for r in results:
        d = r["detect"]["median_ms"]
        rows.append([
            f"{r['assignments']:,} assignments, {r['crew']} crew", ms(d),
            ms(r["sorted_baseline"]["median_ms"]),
            f"{ratio(d, r['sorted_baseline']['median_ms']):.1f}x", ms(r["loop_baseline"]["median_ms"]),
            f"{ratio(d, r['loop_baseline']['median_ms']):.1f}x", f"{r['conflicted_assignments']:,}",
        ])
    print_table(
        f"detect_conflicts over a year, median of {args.runs} after a warm-up, ms (target <= {TARGET_MS} ms "
        "at 100,000)",
        ["data", "detect", "sorted()", "/ sorted", "bare loop", "/ loop", "conflicted"],
        rows,
    )
    growth = ratio(big["detect"]["median_ms"], small["detect"]["median_ms"])
    sort_growth = ratio(big["sorted_baseline"]["median_ms"], small["sorted_baseline"]["median_ms"])
    print(f"growth 10,000 -> 100,000: detect {growth:.1f}x, sorted() {sort_growth:.1f}x (linear is 10x)")
    print("conflicts at 100,000: " + ", ".join(f"{k} {v:,}" for k, v in big["conflicts_by_kind"].items()))
    verdict = "within" if big["detect"]["median_ms"] <= TARGET_MS else "OVER"
    print(f"{verdict} the {TARGET_MS} ms target")
    write_json("conflicts", {
        "machine": machine(), "target_ms": TARGET_MS, "sizes": results,
        "growth": growth, "sorted_growth": sort_growth,
    })
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
