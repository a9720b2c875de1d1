"""The deadlines list: 2,000 projects with 30,000 milestones and 10,000 orders, opened and filtered.

Builds a company database (seeded, so every run sees the same data): 2,000 live projects over
2027 (200 clients, 40 AMs and PMs), 15 milestones each (relative to load-in, show or strike, some
windows, some fixed, a few done) and 5 orders each (4 of 5 still draft, order-by dates before
load-in) from 50 suppliers. "Today" is 1 June 2027. Then times, median of ``--runs``:

  a. load_deadlines(db): the one read when the list is opened or others' changes are shown (on
     the thread pool: the window stays responsive meanwhile);
  b. a filter keystroke: typing "skyline 3" one letter at a time (then deleting it), choosing an
     owner, a person, a project and a kind: the service's filter alone, and the whole keystroke in
     the real panel (filter + model reset + header spans, the table shown offscreen);
  baseline in the same run: Python's sorted() of the same 40,000 rows by the same key (what any
  list of them would pay to be shown in order). Target: <= 100 ms per keystroke.

Each figure is given as wall-clock time and as this process's CPU time. Timings are printed with
their ratios, never asserted.

    python bench/bench_deadlines.py [--runs N]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.models.enums import DateAnchor, MilestoneKind, OrderKind, OrderStatus, ProjectStatus
from app.services.schedule.deadlines import (
    CLIENT_T,
    MILESTONE_T,
    ORDER_T,
    PROJECT_T,
    SUPPLIER_T,
    Filter,
    _order,
    load_deadlines,
)
from app.services.storage.database import Database, open_database
from bench._common import machine, ms, parse_counts, print_table, ratio, write_json
from bench.bench_availability import timed
from tests.factories import ESTIMATE_T, _record

TARGET_MS = 100
PROJECTS, MILESTONES_EACH, ORDERS_EACH = 2_000, 15, 5
TODAY = date(2027, 6, 1)
TYPED = "skyline 3"
# (name, kind, anchor, offset, duration, owner): each project's 15, shifted a little per project.
RECIPE = (
    ("Design approval", MilestoneKind.DESIGN_APPROVAL, DateAnchor.LOAD_IN, -42, 0, "AM"),
    ("Graphics files", MilestoneKind.OTHER, DateAnchor.LOAD_IN, -35, 0, "PM"),
    ("Rigging plot", MilestoneKind.OTHER, DateAnchor.LOAD_IN, -28, 0, "PM"),
    ("Power order", MilestoneKind.OTHER, DateAnchor.LOAD_IN, -21, 0, "PM"),
    ("Ship", MilestoneKind.SHIP, DateAnchor.LOAD_IN, -5, 0, "PM"),
    ("Advance freight", MilestoneKind.FREIGHT_WINDOW, DateAnchor.LOAD_IN, -12, 5, "PM"),
    ("Crew confirmed", MilestoneKind.OTHER, DateAnchor.LOAD_IN, -7, 0, "PM"),
    ("Load-in", MilestoneKind.LOAD_IN, DateAnchor.LOAD_IN, 0, 0, "PM"),
    ("Show open", MilestoneKind.SHOW_OPEN, DateAnchor.SHOW_START, 0, 0, "PM"),
    ("Strike", MilestoneKind.STRIKE, DateAnchor.STRIKE, 0, 0, "PM"),
    ("Return freight", MilestoneKind.OTHER, DateAnchor.STRIKE, 3, 0, "PM"),
    ("Invoice", MilestoneKind.INVOICE, DateAnchor.STRIKE, 14, 0, "AM"),
    ("Deposit", MilestoneKind.INVOICE, DateAnchor.FIXED, 0, 0, "AM"),
    ("Contract signed", MilestoneKind.OTHER, DateAnchor.FIXED, 0, 0, "AM"),
    ("Debrief", MilestoneKind.OTHER, DateAnchor.STRIKE, 21, 0, "AM"),
)


def build(db: Database) -> None:
    rng = random.Random(14)
    people = [f"Person {n:02}" for n in range(40)]
    clients = [_record(name=f"Client {n:03}", notes="", billing_address="", industry="") for n in range(200)]
    suppliers = [
        _record(
            name=f"{word} {n:02}",
            contact_name="",
            email="",
            phone="",
            lead_time_days=rng.randint(3, 20),
            supplies="",
            payment_terms="",
            notes="",
            weekdays_only=n % 2 == 0,
        )
        for n, word in enumerate(
            ["Skyline Rigging", "Brightline LED", "Atlas Freight", "Nova Staging", "Echo Audio"] * 10
        )
    ]
    projects, estimates, milestones, orders = [], [], [], []
    statuses = (ProjectStatus.WON.value, ProjectStatus.IN_PRODUCTION.value, ProjectStatus.QUOTED.value)
    for n in range(PROJECTS):
        load_in = date(2027, 1, 4) + timedelta(days=rng.randrange(360))
        show = load_in + timedelta(days=rng.randint(1, 2))
        project = _record(
            client_id=clients[n % len(clients)]["id"],
            name=f"Project {n:04}",
            venue="Hall",
            start_date=load_in,
            show_start_date=show,
            show_end_date=show + timedelta(days=rng.randint(0, 3)),
            end_date=show + timedelta(days=rng.randint(4, 6)),
            status=statuses[n % 3],
            account_manager=people[n % 20],
            project_manager=people[20 + n % 20],
            labour_rule_set_id=None,
            contact_id=None,
            notes="",
            lost_reason="",
            chosen_estimate_id=None,
            project_type_id=None,
        )
        projects.append(project)
        estimate = _record(project_id=project["id"], name="Estimate", position=0, notes="")
        estimates.append(estimate)
        for position, (name, kind, anchor, offset, duration, owner) in enumerate(RECIPE):
            fixed = load_in - timedelta(days=rng.randint(50, 90)) if anchor is DateAnchor.FIXED else None
            milestones.append(
                _record(
                    project_id=project["id"],
                    position=position,
                    name=name,
                    kind=kind.value,
                    anchor=anchor.value,
                    offset_days=offset + rng.randint(-2, 2),
                    fixed_date=fixed,
                    duration_days=duration,
                    owner=owner,
                    done=rng.random() < 0.1,
                    done_at=None,
                    notes="",
                )
            )
        for k in range(ORDERS_EACH):
            supplier = suppliers[rng.randrange(len(suppliers))]
            orders.append(
                _record(
                    project_id=project["id"],
                    estimate_id=estimate["id"],
                    supplier_id=supplier["id"],
                    kind=(OrderKind.SUBRENTAL if k % 2 else OrderKind.PURCHASE).value,
                    number=f"PO-2027-{n * 5 + k:05}",
                    status=OrderStatus.DRAFT.value if k < 4 else OrderStatus.SENT.value,
                    need_by=load_in - timedelta(days=1),
                    order_by=load_in - timedelta(days=rng.randint(5, 30)),
                    delivery_address="Hall",
                    notes="",
                    sent_at=None,
                )
            )
    with db.write() as conn:
        conn.execute(CLIENT_T.insert(), clients)
        conn.execute(SUPPLIER_T.insert(), suppliers)
        conn.execute(PROJECT_T.insert(), projects)
        conn.execute(
            ESTIMATE_T.insert(),
            [
                {**e, "target_margin_pct": 35, "contingency_pct": 0, "discount_pct": 0, "tax_pct": 0}
                for e in estimates
            ],
        )
        conn.execute(MILESTONE_T.insert(), milestones)
        conn.execute(ORDER_T.insert(), orders)


def keystrokes(listing: Any) -> list[Filter]:
    """What the user does: types "skyline 3", deletes it, then picks an owner, a person, a project, a kind."""
    project_id = listing.projects()[7][0]
    typed = [Filter(text=TYPED[:i]) for i in range(1, len(TYPED) + 1)]
    return [
        *typed,
        *reversed(typed[:-1]),
        Filter(),
        Filter(owner="PM"),
        Filter(owner="Person 23"),
        Filter(owner="Person 23", project_id=project_id),
        Filter(kind=MilestoneKind.ORDER_BY.value),
        Filter(kind=MilestoneKind.ORDER_BY.value, text="sky"),
    ]


def main() -> int:
    args = parse_counts(__doc__, runs=(5, "timed runs of each measure"))
    runs = args.runs
    with tempfile.TemporaryDirectory(prefix="tandem-bench-deadlines-") as tmp:
        os.environ["TANDEM_HOME"] = tmp
        db = open_database(Path(tmp) / "bench.db")
        try:
            started = time.perf_counter()
            build(db)
            built_s = time.perf_counter() - started
            listing = load_deadlines(db, TODAY)
            opened = timed(runs, lambda: load_deadlines(db, TODAY))
        finally:
            db.close()
    rows = list(listing.rows)
    steps = keystrokes(listing)
    shown = [sum(len(r) for _, r in listing.filtered(f)) for f in steps]
    service = timed(runs, lambda: [listing.filtered(f) for f in steps])
    plain_sort = timed(runs, lambda: sorted(rows, key=_order))

    from PySide6.QtWidgets import QApplication

    from app.ui.schedule.deadlines_panel import DeadlinesPanel

    app = QApplication.instance() or QApplication([])
    panel = DeadlinesPanel()
    panel.resize(1400, 800)
    panel.listing = listing
    panel.show()
    app.processEvents()

    def type_all() -> None:
        for spec in steps:
            panel.text_filter.blockSignals(True)
            panel.text_filter.setText(spec.text)
            panel.text_filter.blockSignals(False)
            for combo, value in ((panel.owner_filter, spec.owner), (panel.project_filter, spec.project_id)):
                combo.blockSignals(True)
                combo.clear()
                combo.addItem(str(value), value or (None if combo is panel.project_filter else ""))
                combo.blockSignals(False)
            panel.kind_filter.blockSignals(True)
            panel.kind_filter.setCurrentIndex(max(panel.kind_filter.findData(spec.kind), 0))
            panel.kind_filter.blockSignals(False)
            panel.apply_filter()
            app.processEvents()  # the view lays out and paints what the reset gave it

    whole = timed(runs, type_all)
    panel.close()
    per = len(steps)
    per_service = {k: round(v / per, 3) for k, v in service.items() if k.endswith("ms") and k != "samples_ms"}
    per_whole = {k: round(v / per, 3) for k, v in whole.items() if k.endswith("ms") and k != "samples_ms"}
    print(
        f"{PROJECTS:,} projects, {PROJECTS * MILESTONES_EACH:,} milestones, "
        f"{PROJECTS * ORDERS_EACH:,} orders: "
        f"{len(rows):,} open deadlines, {listing.overdue():,} overdue on {TODAY} (built in {built_s:.1f} s); "
        f"median of {runs}, ms"
    )
    print_table(
        f"The deadlines list (target <= {TARGET_MS} ms per keystroke; {per} keystrokes, rows shown "
        f"{min(shown):,}–{max(shown):,})",
        ["measure", "median", "min", "max", "CPU median"],
        [
            [
                "a. load_deadlines(db): opening, others' changes",
                ms(opened["median_ms"]),
                ms(opened["min_ms"]),
                ms(opened["max_ms"]),
                ms(opened["cpu_median_ms"]),
            ],
            [
                "b. one keystroke, the service's filter",
                ms(per_service["median_ms"]),
                ms(per_service["min_ms"]),
                ms(per_service["max_ms"]),
                ms(per_service["cpu_median_ms"]),
            ],
            [
                "b. one keystroke in the panel (filter, reset, spans, paint)",
                ms(per_whole["median_ms"]),
                ms(per_whole["min_ms"]),
                ms(per_whole["max_ms"]),
                ms(per_whole["cpu_median_ms"]),
            ],
            [
                f"baseline: sorted() of the {len(rows):,} rows",
                ms(plain_sort["median_ms"]),
                ms(plain_sort["min_ms"]),
                ms(plain_sort["max_ms"]),
                ms(plain_sort["cpu_median_ms"]),
            ],
        ],
    )
    for clock in ("median_ms", "cpu_median_ms"):
        print(
            f"{'wall' if clock == 'median_ms' else 'CPU'}: keystroke in the panel / sort "
            f"{ratio(per_whole[clock], plain_sort[clock])}x, service filter / sort "
            f"{ratio(per_service[clock], plain_sort[clock])}x, "
            f"opening / sort {ratio(opened[clock], plain_sort[clock])}x"
        )
    write_json(
        "deadlines",
        {
            "machine": machine(),
            "projects": PROJECTS,
            "milestones": PROJECTS * MILESTONES_EACH,
            "orders": PROJECTS * ORDERS_EACH,
            "rows": len(rows),
            "overdue": listing.overdue(),
            "today": TODAY,
            "target_ms": TARGET_MS,
            "keystrokes": per,
            "rows_shown": shown,
            "load_deadlines": opened,
            "keystroke_service": per_service,
            "keystroke_panel": per_whole,
            "all_keystrokes_service": service,
            "all_keystrokes_panel": whole,
            "sorted_baseline": plain_sort,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
