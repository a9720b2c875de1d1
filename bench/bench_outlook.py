"""The capacity outlook: 2,000 open projects with labour calls and equipment, 26 weeks ahead.

Builds a company database (seeded, so every run sees the same data): 8 roles, 120 crew (1 in 4 with two
roles, 1 in 5 with most hours a week, 600 days away), 60 stocked items; 2,000 live projects starting
over the 26 weeks from Monday 4 January 2027 — 1,600 open (lead, estimating, quoted; 1 in 10 with its
own probability) and 400 won or in production — each with one estimate of 4 labour calls (1–4 people,
1–2 days, 8–12 h or 07:00–19:00) and 3 equipment lines of stocked items. Then times, median of
``--runs``:

  a. outlook(db, start, 26): every role and item × 26 weeks, the one read when the view opens or
     others' changes are shown (on the thread pool: the window stays responsive meanwhile);
  b. the same, crew only (the Equipment box unticked);
  c. overbooked_projects(db, start, 26): the pipeline cards' flags (the outlook and the reasons),
     the first call after a change; d. asked again with nothing changed (kept per change counter);
  baseline in the same run: load_calls alone (the labour calls the outlook is summed from) and
  load_holds alone (the equipment holds), each in its own read.

Each figure is given as wall-clock time and as this process's CPU time. Timings are printed with
their ratios to the baseline, never asserted.

    python bench/bench_outlook.py [--runs N] [--projects N]
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

from app.models import (
    CatalogItem,
    Client,
    CrewMember,
    CrewRole,
    CrewUnavailability,
    EquipmentItem,
    Estimate,
    LineItem,
    Project,
    Role,
    Section,
)
from app.models.enums import LineKind
from app.services.crew.capacity import load_calls
from app.services.equipment.reading import load_holds, load_stock
from app.services.outlook.build import outlook
from app.services.outlook.flags import overbooked_projects
from app.services.outlook.table import OPEN_WORK, WON_WORK
from app.services.storage.database import Database, open_database
from bench._common import machine, ms, parse_counts, print_table, ratio, write_json
from bench.bench_availability import timed
from tests.factories import _record

START, WEEKS = date(2027, 1, 4), 26
CREW = 120
ROLES = (
    "Stagehand",
    "Rigger",
    "LED technician",
    "Audio A1",
    "Lighting programmer",
    "Carpenter",
    "Video engineer",
    "Project manager",
)
D = Decimal


def _rows(model: Any, **values: Any) -> dict[str, Any]:
    """A table row with the model's defaults (a column added later needs no change here)."""
    return model(**values).model_dump()


def build(db: Database, projects: int) -> None:
    rng = random.Random(15)
    roles = [
        _record(name=name, cost_rate=D(40), bill_rate=D(75), day_cost_rate=None, day_bill_rate=None)
        for name in ROLES
    ]
    crew, can_fill, away = [], [], []
    for n in range(CREW):
        member = _rows(
            CrewMember,
            name=f"Crew {n:02}",
            max_weekly_hours=D(rng.choice((30, 40, 48))) if n % 5 == 0 else None,
        )
        crew.append(member)
        for role in {roles[n % len(roles)]["id"], *([rng.choice(roles)["id"]] if n % 4 == 0 else [])}:
            can_fill.append(_rows(CrewRole, crew_member_id=member["id"], role_id=role))
    for _ in range(600):
        away.append(
            _rows(
                CrewUnavailability,
                crew_member_id=rng.choice(crew)["id"],
                day=START + timedelta(days=rng.randrange(7 * WEEKS)),
            )
        )
    catalog = [
        _rows(
            CatalogItem,
            name=f"Item {n:02}",
            category="Gear",
            kind=LineKind.EQUIPMENT.value,
            unit_cost=D(20),
            markup_pct=D(30),
        )
        for n in range(60)
    ]
    stock = [
        _rows(
            EquipmentItem,
            name=f"Item {n:02}",
            category="Gear",
            owned_quantity=D(rng.randint(10, 80)),
            catalog_item_id=c["id"],
            day_cost=D(2),
            prep_days=n % 2,
            return_days=n % 3,
        )
        for n, c in enumerate(catalog)
    ]
    clients = [_rows(Client, name=f"Client {n:03}") for n in range(200)]
    open_ = sorted(OPEN_WORK)
    won = sorted(WON_WORK)
    rows: dict[str, list[dict[str, Any]]] = {"projects": [], "estimates": [], "sections": [], "lines": []}
    for n in range(projects):
        first = START + timedelta(days=rng.randrange(7 * WEEKS - 5))
        last = first + timedelta(days=rng.randint(1, 5))
        status = won[n % 2] if n % 5 == 0 else open_[n % 3]
        project = _rows(
            Project,
            client_id=clients[n % len(clients)]["id"],
            name=f"Project {n:04}",
            status=status,
            start_date=first,
            end_date=last,
            win_probability_pct=D(rng.randint(5, 95)) if status in OPEN_WORK and n % 10 == 3 else None,
        )
        estimate = _rows(Estimate, project_id=project["id"], name="Main", position=0)
        section = _rows(Section, estimate_id=estimate["id"], position=0, name="Crew and gear")
        rows["projects"].append(project)
        rows["estimates"].append(estimate)
        rows["sections"].append(section)
        for k in range(4):
            timed_call = k % 2 == 0
            rows["lines"].append(
                _rows(
                    LineItem,
                    section_id=section["id"],
                    position=k,
                    kind=LineKind.LABOUR.value,
                    description=f"Call {k}",
                    unit="person",
                    quantity=D(rng.randint(1, 4)),
                    days=D(rng.randint(1, 2)),
                    hours=None if timed_call else D(rng.randint(8, 12)),
                    unit_cost=D(40),
                    price_basis="unit_price",
                    unit_price=D(75),
                    role_id=rng.choice(roles)["id"],
                    call_date=first + timedelta(days=rng.randint(0, 1)),
                    start_time=time_of(7) if timed_call else None,
                    end_time=time_of(19) if timed_call else None,
                )
            )
        for k, item in enumerate(rng.sample(catalog, 3)):
            rows["lines"].append(
                _rows(
                    LineItem,
                    section_id=section["id"],
                    position=4 + k,
                    kind=LineKind.EQUIPMENT.value,
                    description=item["name"],
                    unit="ea",
                    quantity=D(rng.randint(1, 12)),
                    days=D(1),
                    unit_cost=D(20),
                    price_basis="markup",
                    markup_pct=D(30),
                    catalog_item_id=item["id"],
                )
            )
    with db.write() as conn:
        for model, values in (
            (Role, roles),
            (CrewMember, crew),
            (CrewRole, can_fill),
            (CrewUnavailability, away),
            (CatalogItem, catalog),
            (EquipmentItem, stock),
            (Client, clients),
            (Project, rows["projects"]),
            (Estimate, rows["estimates"]),
            (Section, rows["sections"]),
            (LineItem, rows["lines"]),
        ):
            conn.execute(model.__table__.insert(), values)  # type: ignore[attr-defined]


def time_of(hour: int) -> Any:
    from datetime import time as clock

    return clock(hour, 0)


def main() -> int:
    args = parse_counts(__doc__, runs=(5, "timed runs of each measure"), projects=(2_000, "live projects"))
    runs = args.runs
    statuses = sorted(OPEN_WORK | WON_WORK)
    with tempfile.TemporaryDirectory(prefix="tandem-bench-outlook-") as tmp:
        os.environ["TANDEM_HOME"] = tmp
        db = open_database(Path(tmp) / "bench.db")
        try:
            started = time.perf_counter()
            build(db, args.projects)
            built_s = time.perf_counter() - started

            def calls_only() -> Any:
                with db.read() as conn:
                    return load_calls(conn, statuses=statuses)

            def holds_only() -> Any:
                with db.read() as conn:
                    return load_holds(conn, load_stock(conn), statuses)

            table = outlook(db, START, WEEKS)
            flags = overbooked_projects(db, START, WEEKS)
            calls, holds = calls_only(), holds_only()

            def flags_fresh() -> Any:
                with db.write():  # a commit: the counter moves, the flags are worked out again
                    pass
                return overbooked_projects(db, START, WEEKS)

            figures = {
                "load_calls": timed(runs, calls_only),
                "load_holds": timed(runs, holds_only),
                "outlook": timed(runs, lambda: outlook(db, START, WEEKS)),
                "outlook_crew_only": timed(runs, lambda: outlook(db, START, WEEKS, equipment=False)),
                "overbooked_projects": timed(runs, flags_fresh),
                "overbooked_kept": timed(runs, lambda: overbooked_projects(db, START, WEEKS)),
            }
        finally:
            db.close()
    over = table.over()
    print(
        f"{args.projects:,} projects ({len(calls):,} labour calls, {len(holds):,} equipment holds), "
        f"{len(table.rows)} rows × {WEEKS} weeks: {len(over)} cells over, {len(flags):,} projects flagged "
        f"(built in {built_s:.1f} s); median of {runs}, ms"
    )
    baseline = figures["load_calls"]["median_ms"]
    labels = {
        "load_calls": "baseline: load_calls alone",
        "load_holds": "baseline: load_holds alone",
        "outlook": "a. outlook(db, start, 26), roles and items",
        "outlook_crew_only": "b. outlook, crew only",
        "overbooked_projects": "c. overbooked_projects(db, start, 26), after a change",
        "overbooked_kept": "d. overbooked_projects, nothing changed",
    }
    print_table(
        "The capacity outlook",
        ["measure", "median", "min", "max", "CPU median", "× load_calls"],
        [
            [
                labels[k],
                ms(f["median_ms"]),
                ms(f["min_ms"]),
                ms(f["max_ms"]),
                ms(f["cpu_median_ms"]),
                ratio(f["median_ms"], baseline),
            ]
            for k, f in figures.items()
        ],
    )
    write_json(
        "outlook",
        {
            "machine": machine(),
            "projects": args.projects,
            "weeks": WEEKS,
            "calls": len(calls),
            "holds": len(holds),
            "rows": len(table.rows),
            "over_cells": len(over),
            "flagged": len(flags),
            "figures": figures,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
