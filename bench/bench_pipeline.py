"""The pipeline board: 2,000 open projects opened (service + table model + board widgets shown).

Builds a company database (seeded: tests/pipeline_data.py) of 2,000 open projects over the five
stages, one or two scenarios each of 24 lines (every kind, options, overrides, a pair of
alternatives, line and section ranges, parameters with formulas, crew calls under a rule set).
Then times, median of ``--runs``:

  a. the first open: every counting estimate priced by EstimateDocument (what the first read of a
     session pays, on the thread pool; the figures are then kept behind their fingerprints);
  b. opening the board again: load_pipeline (nothing changed: one stamp of the priced tables says
     so) + the table model reset + the five columns drawn, shown offscreen;
  c. the same after one line of one estimate was edited elsewhere: the per-estimate fingerprints
     are read and that one estimate is priced again;
  baseline in the same run: a plain SELECT of the 2,000 projects' rows (what any list of them pays).
  Target: b <= 200 ms.

Each figure is given as wall-clock time and as this process's CPU time. Timings are printed with
their ratios, never asserted.

    python bench/bench_pipeline.py [--runs N] [--projects N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import select

from app.models import Project
from app.services.estimate.document import EstimateDocument
from app.services.pipeline import priced
from app.services.pipeline.board import load_pipeline
from app.services.storage.database import open_database
from bench._common import machine, ms, parse_counts, print_table, ratio, write_json
from bench.bench_availability import timed
from tests.pipeline_data import build_pipeline

TARGET_MS = 200
TODAY = date(2027, 2, 1)
P = Project.__table__  # type: ignore[attr-defined]


def main() -> int:
    args = parse_counts(__doc__, runs=(5, "timed runs of each measure"), projects=(2_000, "open projects"))
    from PySide6.QtWidgets import QApplication

    from app.ui.pipeline.panel import PipelinePanel

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="tandem-bench-pipeline-") as tmp:
        os.environ["TANDEM_HOME"] = tmp
        db = open_database(Path(tmp) / "bench.db")
        try:
            started = time.perf_counter()
            build_pipeline(db, projects=args.projects)
            built_s = time.perf_counter() - started
            panel = PipelinePanel()
            panel.resize(1500, 900)
            panel.show()
            app.processEvents()

            def open_board(*_setup: Any) -> Any:
                pipeline = load_pipeline(db, TODAY)
                panel._show(pipeline)  # the model reset, the columns' cards, the filter lists
                panel.repaint()  # drawn now, not at the next event loop turn
                app.processEvents()
                return pipeline

            priced.forget()
            first = timed(1, open_board)
            pipeline = open_board()
            again = timed(args.runs, open_board)
            some = next(c for c in pipeline.cards if c.estimate_id is not None)
            doc = EstimateDocument(db, some.estimate_id)  # type: ignore[arg-type]
            line = next(
                line for line in doc.lines() if line.unit_price is not None and doc.counts_in_total(line)
            )

            def edit_one() -> None:
                assert line.unit_price is not None
                doc.set_line_fields(line.id, {"unit_price": line.unit_price + Decimal(1)})

            changed = timed(args.runs, open_board, setup=edit_one)

            def plain() -> None:
                with db.read() as conn:
                    conn.execute(select(P).where(P.c.deleted_at.is_(None))).all()

            baseline = timed(args.runs, plain)
            cards = len(pipeline.cards)
            panel.close()
        finally:
            db.close()
    print(
        f"{args.projects:,} open projects, {cards:,} cards (built in {built_s:.1f} s); "
        f"median of {args.runs}, ms"
    )
    rows = []
    for name, figures in (
        ("a. first open: every estimate priced", first),
        ("b. board opened again (nothing changed)", again),
        ("c. board opened after one line edited", changed),
        ("baseline: plain SELECT of the projects", baseline),
    ):
        rows.append(
            [
                name,
                ms(figures["median_ms"]),
                ms(figures["min_ms"]),
                ms(figures["max_ms"]),
                ms(figures["cpu_median_ms"]),
                f"{ratio(figures['median_ms'], baseline['median_ms'])}×",
            ]
        )
    print_table(
        f"The pipeline board (target b <= {TARGET_MS} ms)",
        ["measure", "median", "min", "max", "CPU median", "× baseline"],
        rows,
    )
    write_json(
        "pipeline",
        {
            "machine": machine(),
            "projects": args.projects,
            "target_ms": TARGET_MS,
            "first_open": first,
            "open_again": again,
            "after_one_edit": changed,
            "baseline_select": baseline,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
