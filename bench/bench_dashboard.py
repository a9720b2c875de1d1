"""The dashboard over 2,000 projects: the figures read, the charts drawn, the workbook written.

Builds a company database (seeded, so every run sees the same data): 2,000 live projects over
2027 in every status (200 clients, 20 account managers), each with one estimate of 10 lines.
Then times, median of ``--runs``:

  a. dashboard(db): every figure (what View › Dashboard reads on the thread pool);
     baseline in the same run: project_values(db) alone, the one valuation it is made from,
     so a − baseline is what the dashboard itself adds;
  b. the six charts drawn (draw_dashboard + an Agg canvas draw, as the panel's canvas paints);
     baseline in the same run: the same figure with six empty axes drawn;
  c. the PM's workbook written (export_dashboard).

Each figure is given as wall-clock time and as this process's CPU time. Timings are printed with
their ratios, never asserted.

    python bench/bench_dashboard.py [--runs N]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.models import ProjectStatus
from app.services.dashboard.figures import dashboard
from app.services.pipeline.values import project_values
from app.services.storage.database import Database, open_database
from bench._common import machine, ms, parse_counts, print_table, ratio, write_json
from bench.bench_availability import timed
from tests.factories import CLIENT_T, ESTIMATE_T, LINE_T, PROJECT_T, SECTION_T, _record, line_values

PROJECTS, CLIENTS, MANAGERS, LINES = 2_000, 200, 20, 10
STATUSES = [s.value for s in ProjectStatus]
YEAR = date(2027, 1, 1)


def build(db: Database) -> None:
    rng = random.Random(15)
    clients = [
        _record(name=f"Client {n:03}", notes="", billing_address="", industry="") for n in range(CLIENTS)
    ]
    projects, estimates, sections, lines = [], [], [], []
    for n in range(PROJECTS):
        status = STATUSES[n % len(STATUSES)]
        show = YEAR + timedelta(days=rng.randrange(365))
        project = _record(
            client_id=clients[rng.randrange(CLIENTS)]["id"],
            name=f"Project {n:04}",
            venue="",
            status=status,
            account_manager=f"AM {n % MANAGERS:02}",
            project_manager="PM",
            notes="",
            lost_reason="Price" if status == "lost" else "",
            start_date=show - timedelta(days=1),
            end_date=show + timedelta(days=3),
            show_start_date=show,
            show_end_date=show + timedelta(days=2),
            decision_date=show - timedelta(days=rng.randrange(20, 90)) if n % 3 else None,
            win_probability_pct=Decimal(rng.randrange(5, 95)) if n % 7 == 0 else None,
        )
        estimate = _record(
            project_id=project["id"],
            name="Main",
            position=0,
            notes="",
            target_margin_pct=Decimal(35),
            contingency_pct=Decimal(5),
            discount_pct=Decimal(0),
            tax_pct=Decimal(8),
        )
        section = _record(estimate_id=estimate["id"], position=0, name="Show", client_description="")
        projects.append(project)
        estimates.append(estimate)
        sections.append(section)
        lines += [_record(section_id=section["id"], position=p, **line_values(n + p)) for p in range(LINES)]
    with db.write() as conn:
        conn.execute(CLIENT_T.insert(), clients)
        conn.execute(PROJECT_T.insert(), projects)
        conn.execute(ESTIMATE_T.insert(), estimates)
        conn.execute(SECTION_T.insert(), sections)
        conn.execute(LINE_T.insert(), lines)


def main() -> int:
    args = parse_counts(__doc__, runs=(5, "timed runs of each measure"))
    runs = args.runs
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from app.services.excel.dashboard_sheet import export_dashboard
    from app.ui.dashboard.charts import draw_dashboard

    with tempfile.TemporaryDirectory(prefix="tandem-bench-dashboard-") as tmp:
        os.environ["TANDEM_HOME"] = tmp
        db = open_database(Path(tmp) / "bench.db")
        try:
            started = time.perf_counter()
            build(db)
            built_s = time.perf_counter() - started
            start, end = date(2027, 1, 1), date(2027, 12, 31)
            board = dashboard(db, start=start, end=end)
            figures = timed(runs, lambda: dashboard(db, start=start, end=end))
            valuation = timed(runs, lambda: project_values(db))
            workbook = timed(runs, lambda: export_dashboard(db, board, Path(tmp) / "dashboard.xlsx"))
        finally:
            db.close()
    figure = Figure(figsize=(13, 7), layout="constrained")
    canvas = FigureCanvasAgg(figure)

    def charts() -> None:
        draw_dashboard(figure, board)
        canvas.draw()

    def empty() -> None:
        figure.clear()
        figure.subplots(2, 3)
        canvas.draw()

    drawn = timed(runs, charts)
    bare = timed(runs, empty)
    rows: list[list[Any]] = []
    for label, figure_ms, base in (
        ("a. dashboard(db): every figure", figures, valuation),
        ("   baseline: project_values(db), the valuation alone", valuation, valuation),
        ("b. six charts drawn (draw_dashboard + Agg draw)", drawn, bare),
        ("   baseline: six empty axes drawn", bare, bare),
        ("c. the PM's workbook written", workbook, None),
    ):
        rows.append(
            [
                label,
                ms(figure_ms["median_ms"]),
                ms(figure_ms["min_ms"]),
                ms(figure_ms["max_ms"]),
                ms(figure_ms["cpu_median_ms"]),
                "" if base is None else f"×{ratio(figure_ms['median_ms'], base['median_ms'])}",
            ]
        )
    print(
        f"{PROJECTS:,} projects ({PROJECTS * LINES:,} lines), {board.pipeline_count:,} open in 2027 "
        f"(built in {built_s:.1f} s); median of {runs}, ms"
    )
    print_table("The dashboard", ["measure", "median", "min", "max", "CPU median", "vs baseline"], rows)
    write_json(
        "dashboard",
        {
            "machine": machine(),
            "projects": PROJECTS,
            "lines": PROJECTS * LINES,
            "runs": runs,
            "dashboard": figures,
            "project_values": valuation,
            "charts": drawn,
            "empty_axes": bare,
            "workbook": workbook,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
