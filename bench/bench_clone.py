"""Clone for next year on a 5,000-line estimate: the copy, its undo and redo, each one transaction.

A factory project (tests.factories.make_project) with dates and seven milestones, its one estimate
of 5,000 lines in 50 sections (tests.factories.make_estimate), in a temporary SQLite file. Measured:

a. clone: app.services.projects.clone.clone_project (project, estimate, parameters, sections,
   lines, candidates and milestones copied, every date moved by 364 days);
b. undo: take_back_clone (every row of the copy tombstoned); c. redo: bring_back_clone;
d. baseline, in the same run and alternated with them: Duplicate as scenario of the same estimate
   (scenarios.duplicate_estimate, the copier both share), tombstoned again after each round.

Timings are printed with their ratio to the baseline, never asserted.

    python bench/bench_clone.py [--clones N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, update

from app.services import directory
from app.services.estimate.scenarios import duplicate_estimate
from app.services.projects.clone import bring_back_clone, clone_project, take_back_clone
from app.services.storage.database import open_database
from bench._common import machine, ms, parse_counts, print_table, ratio, stats, write_json
from tests.factories import LINE_T, PROJECT_T, _record, make_estimate, make_project

LINES = 5000
MILESTONES = 7


def main() -> int:
    args = parse_counts(__doc__, clones=(10, "timed clones (each undone, redone and deleted)"))
    from app.models import Milestone

    milestone_t = Milestone.__table__  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory(prefix="tandem-bench-clone-") as tmp:
        os.environ["TANDEM_HOME"] = tmp
        db = open_database(Path(tmp) / "bench.db")
        try:
            project = make_project(db, project_name="Expo 2027")
            estimate = make_estimate(db, lines=LINES, sections=50, project_id=project, name="Booth")
            with db.write() as conn:
                conn.execute(
                    update(PROJECT_T)
                    .where(PROJECT_T.c.id == project)
                    .values(start_date=date(2027, 3, 8), end_date=date(2027, 3, 13))
                )
                conn.execute(
                    milestone_t.insert(),
                    [
                        _record(
                            project_id=project,
                            position=n,
                            name=f"Milestone {n}",
                            kind="other",
                            anchor="load_in",
                            offset_days=-7 * n,
                            fixed_date=None if n % 2 else date(2027, 2, 1),
                            duration_days=0,
                            owner="pm",
                            done=False,
                            done_at=None,
                            notes="",
                        )
                        for n in range(MILESTONES)
                    ],
                )
            made, undone, redone, plain = [], [], [], []
            for n in range(args.clones + 1):
                t0 = time.perf_counter()
                new_id = clone_project(db, project, 364, f"Expo 2028 #{n}")
                t1 = time.perf_counter()
                rows = take_back_clone(db, new_id)
                t2 = time.perf_counter()
                bring_back_clone(db, rows)
                t3 = time.perf_counter()
                scenario = duplicate_estimate(db, estimate, f"Booth B{n}")
                t4 = time.perf_counter()
                directory.set_deleted(db, "estimate", scenario, True)
                take_back_clone(db, new_id)
                assert len(rows.ids["lineitem"]) == LINES
                if n:  # the first round warms up
                    made.append((t1 - t0) * 1000)
                    undone.append((t2 - t1) * 1000)
                    redone.append((t3 - t2) * 1000)
                    plain.append((t4 - t3) * 1000)
            with db.read() as conn:
                stored = conn.execute(select(func.count()).select_from(LINE_T)).scalar_one()
        finally:
            db.close()

    figures = {
        "clone": stats(made),
        "undo": stats(undone),
        "redo": stats(redone),
        "duplicate_as_scenario": stats(plain),
    }
    base = figures["duplicate_as_scenario"]["median_ms"]
    print(
        f"Project with {MILESTONES} milestones, estimate of {LINES:,} lines in 50 sections "
        f"({stored:,} lines stored at the end); times in ms, median of {args.clones} after a warm-up"
    )
    print_table(
        "Clone for next year (SQLite)",
        ["step", "median", "min", "max", "x duplicate"],
        [
            [name, ms(s["median_ms"]), ms(s["min_ms"]), ms(s["max_ms"]), ratio(s["median_ms"], base)]
            for name, s in figures.items()
        ],
    )
    write_json(
        "clone",
        {
            "lines": LINES,
            "machine": machine(),
            **figures,
            "ratios": {k: ratio(v["median_ms"], base) for k, v in figures.items()},
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
