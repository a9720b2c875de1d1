"""Sub-rent the shortage on a 5,000-line estimate: the split and its undo, each one transaction.

A factory estimate of 5,000 lines (tests.factories.make_estimate, 50 sections) in a temporary
SQLite file gets one line of 392 LED panels; 400 are owned and a won job holds 300 of them the
same days (tests/equipment_scene.py), so the line is short 292. Measured, on the document
(no window):

a. split: app.services.equipment.subrent.apply_subrental (the owned part changed and the
   sub-rental line added, in one transaction, repriced and retotalled);
b. undo: revert_subrental (the line back, the sub-rental line deleted, one transaction);
c. baseline, in the same run and alternated with them: one plain quantity edit of the same
   line (EstimateDocument.set_line_fields, one transaction), the cheapest edit there is;
d. the company-wide shortage list (company_shortages: both jobs quoted or won, each short 292)
   over that index, and the estimate's own (estimate_shortages, one estimate_availability call).

Timings are printed with their ratio to the baseline, never asserted.

    python bench/bench_subrent.py [--splits N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.services.equipment.availability import hold_index
from app.services.equipment.shortages import company_shortages, estimate_shortages
from app.services.equipment.subrent import SupplierChoice, apply_subrental, plan_subrental, revert_subrental
from app.services.estimate.document import EstimateDocument
from app.services.storage.database import open_database
from bench._common import machine, ms, parse_counts, print_table, ratio, stats, write_json
from tests import equipment_scene
from tests.factories import make_estimate

LINES = 5000


def _timed(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def main() -> int:
    args = parse_counts(__doc__, splits=(30, "timed splits (each undone)"))
    with tempfile.TemporaryDirectory(prefix="tandem-bench-subrent-") as tmp:
        os.environ["TANDEM_HOME"] = tmp
        db = open_database(Path(tmp) / "bench.db")
        try:
            scene = equipment_scene.build(db)
            big = make_estimate(db, lines=LINES, sections=50, project_id=scene.ours_project, name="Big")
            # Both jobs hold: ours quoted, this estimate the one that counts.
            equipment_scene.set_project(db, scene.ours_project, status="quoted", chosen_estimate_id=big)
            doc = EstimateDocument(db, big)
            line = doc.add_line(doc.sections[0].id, 0, equipment_scene.panel_line(scene.panel, "392"))
            zeta = equipment_scene.suppliers(db, scene.stock)["Zeta Rentals"]
            supplier = SupplierChoice(zeta, "Zeta Rentals", "rate", Decimal("9.85"))
            plan = plan_subrental(doc, line.id, Decimal(292), supplier, Decimal("9.85"))
            split, undo, plain = [], [], []
            for n in range(args.splits + 1):
                new_id = uuid.uuid4()
                t0 = time.perf_counter()
                old = apply_subrental(doc, plan, new_id)
                t1 = time.perf_counter()
                revert_subrental(doc, plan, old, new_id)
                t2 = time.perf_counter()
                doc.set_line_fields(line.id, {"quantity": Decimal(393)})
                t3 = time.perf_counter()
                doc.set_line_fields(line.id, {"quantity": Decimal(392)})
                if n:  # the first round warms up
                    split.append((t1 - t0) * 1000)
                    undo.append((t2 - t1) * 1000)
                    plain.append((t3 - t2) * 1000)
            index = hold_index(db)
            company = [_timed(lambda: company_shortages(index)) for _ in range(7)]
            own = [_timed(lambda: estimate_shortages(index, doc)) for _ in range(7)]
            listed = company_shortages(index)
            assert [s.short for s in listed] == ["292 (none if tentative holds are lost)", "292"], listed
            assert doc.line(line.id).quantity == 392 and doc.line_count == LINES + 1
        finally:
            db.close()

    figures = {
        "split": stats(split),
        "undo": stats(undo),
        "plain_edit": stats(plain),
        "company_shortages": stats(company),
        "estimate_shortages": stats(own),
    }
    base = figures["plain_edit"]["median_ms"]
    print(
        f"Estimate of {LINES + 1:,} lines in 50 sections; times in ms, "
        f"median of {args.splits} after a warm-up"
    )
    print_table(
        "Sub-rent the shortage (document level, SQLite)",
        ["step", "median", "min", "max", "x plain edit"],
        [
            [name, ms(s["median_ms"]), ms(s["min_ms"]), ms(s["max_ms"]), ratio(s["median_ms"], base)]
            for name, s in figures.items()
        ],
    )
    write_json(
        "subrent",
        {
            "lines": LINES + 1,
            "machine": machine(),
            **figures,
            "ratios": {k: ratio(v["median_ms"], base) for k, v in figures.items()},
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
