"""Equipment availability: a 300-line estimate against 2,000 items and 50,000 holds.

Builds a company database (seeded, so every run sees the same data): 2,000 stock items each sold
by a catalog item, 2,500 projects over 2027 (quoted, won or in production; load-in to strike 2–6
days; each item's prep and return 0–2 days) whose estimates have 20 equipment lines of 20
different items, so they hold 50,000 (project, item) quantities; and a 300-line estimate of 300
items in June. Then times, median of ``--runs``:

  a. estimate_availability over the cached index (what the production pane pays per edit), and
     on a fresh index (each of the 300 items swept on first use);
  b. hold_index(db) when nothing changed (one counter read) and after a commit (every hold read
     again from the database: the cache miss);
  baselines in the same run: the first version's day-by-day count of the same 300 items over the
  same holds (the brute force), and Python's sorted() of the same 50,000 holds by item and day;
  c. growth from 5,000 to 50,000 holds (same items, same year): sweeping every item, the 300-line
     question on a fresh and on a swept index, the day-by-day count and sorted(). Linear is 10x.

Each figure is given as wall-clock time and as this process's CPU time: on a machine shared with
other work the first is what a user waits, the second what the code costs. Timings are printed
with their ratios, never asserted.

    python bench/bench_availability.py [--runs N]
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import update

from app.models import CatalogItem, Client, EquipmentItem, Estimate, LineItem, Project, Section
from app.services.equipment.availability import (
    Hold,
    HoldIndex,
    estimate_availability,
    hold_index,
    load_holds,
    load_stock,
)
from app.services.estimate.document import EstimateDocument
from app.services.storage.database import Database, open_database
from bench._common import machine, ms, parse_counts, print_table, ratio, stats, write_json
from tests.factories import line_values

TARGET_MS = 20
ITEMS, LINES, LINES_PER_PROJECT = 2_000, 300, 20
HOLDS = 50_000
GROWTH = (5_000, 10_000, 20_000, 50_000)
YEAR = date(2027, 1, 1)
STATUSES = ("quoted", "won", "in_production")
GROWTH_COLUMNS = ("sweep_all_items", "estimate_fresh", "estimate_cached", "brute_force", "sort")


def build(db: Database, seed: int = 13) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """The company above; returns the measured estimate's id and the item ids."""
    rng = random.Random(seed)
    catalog = [CatalogItem(name=f"Item {n}") for n in range(ITEMS)]
    items = [
        EquipmentItem(
            name=f"Item {n}",
            owned_quantity=Decimal(rng.randrange(20, 600)),
            out_of_service_quantity=Decimal(rng.choice((0, 0, 0, 5))),
            prep_days=rng.randrange(3),
            return_days=rng.randrange(3),
            catalog_item_id=c.id,
        )
        for n, c in enumerate(catalog)
    ]
    client = Client(name="Bench client")
    projects, estimates, sections, lines = [], [], [], []
    template = LineItem(section_id=uuid.uuid4(), position=0, **line_values(0)).model_dump()

    def project(name: str, status: str, first: date, days: int, item_picks: list[int]) -> uuid.UUID:
        p = Project(
            client_id=client.id,
            name=name,
            status=status,
            start_date=first,
            end_date=first + timedelta(days=days - 1),
        )
        e = Estimate(project_id=p.id, name="Main", position=0)
        s = Section(estimate_id=e.id, name="Equipment", position=0)
        projects.append(p)
        estimates.append(e)
        sections.append(s)
        for position, n in enumerate(item_picks):  # rows as dicts: 50,000 models take a minute
            lines.append(
                {
                    **template,
                    "id": uuid.uuid4(),
                    "section_id": s.id,
                    "position": position,
                    "quantity": Decimal(rng.randrange(1, 60)),
                    "catalog_item_id": catalog[n].id,
                }
            )
        return e.id

    for n in range(HOLDS // LINES_PER_PROJECT):
        project(
            f"Project {n}",
            rng.choice(STATUSES),
            YEAR + timedelta(days=rng.randrange(360)),
            rng.randrange(2, 7),
            rng.sample(range(ITEMS), LINES_PER_PROJECT),
        )
    measured = project("Measured", "estimating", date(2027, 6, 14), 5, rng.sample(range(ITEMS), LINES))
    with db.write() as conn:
        for model, records in (
            (Client, [client]),
            (CatalogItem, catalog),
            (EquipmentItem, items),
            (Project, projects),
            (Estimate, estimates),
            (Section, sections),
        ):
            conn.execute(model.__table__.insert(), [r.model_dump() for r in records])  # type: ignore[attr-defined]
        conn.execute(LineItem.__table__.insert(), lines)  # type: ignore[attr-defined]
    return measured, [i.id for i in items]


def memory_holds(stock: dict[uuid.UUID, Any], count: int, seed: int = 29) -> list[Hold]:
    """``count`` holds of the same items over the same year, for the growth series."""
    rng = random.Random(seed)
    ids = sorted(stock)
    holds = []
    for n in range(count):
        first = YEAR + timedelta(days=rng.randrange(360))
        item = stock[ids[rng.randrange(len(ids))]]
        span = item.hold_span(first, first + timedelta(days=rng.randrange(1, 6)))
        holds.append(
            Hold(
                item.id,
                uuid.UUID(int=n % 2_500 + 1),
                f"P{n % 2_500}",
                rng.choice(STATUSES),
                uuid.UUID(int=n + 1),
                span[0],
                span[1],
                Decimal(rng.randrange(1, 60)),
            )
        )
    return holds


def first_version(index: HoldIndex, doc: EstimateDocument) -> Decimal:
    """The brute force: each line's item counted day by day over its span (the first version's scan)."""
    header = doc.header
    span = (header.start_date, header.end_date)
    total = Decimal(0)
    for line in doc.lines():
        item = index.by_catalog_item.get(line.catalog_item_id) if line.catalog_item_id else None
        if item is None:
            continue
        first, last = item.hold_span(*span)  # type: ignore[arg-type]
        holds = [
            h
            for h in index.holds_of(item.id)
            if h.project_id != header.project_id and h.first <= last and h.last >= first
        ]
        busy, day = Decimal(0), first
        while day <= last:
            held = sum((h.quantity for h in holds if h.first <= day <= h.last), Decimal(0))
            busy = max(busy, item.out_of_service_on(day, day) + held)
            day += timedelta(days=1)
        total += busy
    return total


def timed(runs: int, work: Callable[..., Any], setup: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Wall-clock figures (``stats``) and, as ``cpu_median_ms``, this process's CPU time: on a machine
    shared with other work the second says what the code costs, the first what a user waits."""
    wall, cpu = [], []
    for _ in range(runs):
        args = (setup(),) if setup else ()
        started, started_cpu = time.perf_counter(), time.process_time()
        work(*args)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {**stats(wall), "cpu_median_ms": round(statistics.median(cpu), 3)}


def _sort_key(hold: Hold) -> tuple[int, date]:
    return hold.item_id.int, hold.first  # the item as an int: UUIDs compare in Python, slowly


def full_sweep(index: HoldIndex) -> None:
    """Every item swept (each is on its first question)."""
    for item_id in index.stock:
        index.busy_runs(item_id, YEAR, YEAR)


def main() -> int:
    args = parse_counts(__doc__, runs=(9, "timed runs of each measure"))
    runs = args.runs
    with tempfile.TemporaryDirectory(prefix="tandem-bench-availability-") as tmp:
        os.environ["TANDEM_HOME"] = tmp
        db = open_database(Path(tmp) / "bench.db")
        try:
            started = time.perf_counter()
            measured, item_ids = build(db)
            built_s = time.perf_counter() - started
            doc = EstimateDocument(db, measured)
            index = hold_index(db)
            assert len(index.holds) == HOLDS and doc.line_count == LINES
            found = estimate_availability(index, doc)
            assert len(found.lines) == LINES
            check = sum((a.busy for a in found.lines.values()), Decimal(0))
            assert check == first_version(index, doc), "the sweep and the brute force disagree"
            warm = timed(runs, lambda: estimate_availability(index, doc))
            cold = timed(
                runs,
                lambda fresh: estimate_availability(fresh, doc),
                lambda: HoldIndex(index.stock, index.holds, index.rates, index.kit_components),
            )
            brute = timed(runs, lambda: first_version(index, doc))
            plain_sort = timed(runs, lambda: sorted(index.holds, key=_sort_key))
            unchanged = timed(runs, lambda: hold_index(db))
            t = EquipmentItem.__table__  # type: ignore[attr-defined]

            def commit() -> None:  # someone commits: the next hold_index reads every hold again
                with db.write() as conn:
                    conn.execute(update(t).where(t.c.id == item_ids[0]).values(notes=str(time.time())))

            reread = timed(runs, lambda _: hold_index(db), commit)
            with db.read() as conn:
                stock = load_stock(conn)
                read_rows = timed(runs, lambda: load_holds(conn, stock))
            growth = {}
            for count in GROWTH:
                holds = memory_holds(stock, count)
                grown = HoldIndex(stock, holds)
                estimate_availability(grown, doc)  # its 300 items swept: what the pane then asks
                growth[count] = {
                    "sweep_all_items": timed(runs, full_sweep, lambda h=holds: HoldIndex(stock, h)),
                    "estimate_fresh": timed(
                        runs,
                        lambda fresh: estimate_availability(fresh, doc),
                        lambda h=holds: HoldIndex(stock, h),
                    ),
                    "estimate_cached": timed(runs, lambda g=grown: estimate_availability(g, doc)),
                    "brute_force": timed(runs, lambda g=grown: first_version(g, doc)),
                    "sort": timed(runs, lambda h=holds: sorted(h, key=_sort_key)),
                }
        finally:
            db.close()

    print(
        f"{ITEMS:,} items, {HOLDS:,} holds from {HOLDS // LINES_PER_PROJECT:,} projects, a {LINES}-line "
        f"estimate (built in {built_s:.1f} s); median of {runs}, ms"
    )
    rows = (
        ("estimate_availability, cached index", warm),
        ("estimate_availability, fresh index (300 items swept)", cold),
        ("baseline: day-by-day count (first version)", brute),
        (f"baseline: sorted() of the {HOLDS:,} holds", plain_sort),
        ("hold_index(db), nothing changed", unchanged),
        ("hold_index(db) after a commit (all read again)", reread),
        ("  of which load_holds", read_rows),
    )
    print_table(
        f"a./b. The 300-line estimate (target <= {TARGET_MS} ms)",
        ["measure", "median", "min", "max", "CPU median"],
        [
            [name, ms(s["median_ms"]), ms(s["min_ms"]), ms(s["max_ms"]), ms(s["cpu_median_ms"])]
            for name, s in rows
        ],
    )
    for clock in ("median_ms", "cpu_median_ms"):
        print(
            f"{'wall' if clock == 'median_ms' else 'CPU'}: cached / brute force "
            f"{ratio(warm[clock], brute[clock])}x, "
            f"fresh / brute force {ratio(cold[clock], brute[clock])}x, "
            f"cached / sort {ratio(warm[clock], plain_sort[clock])}x"
        )
    base = growth[GROWTH[0]]
    print_table(
        "c. Growth (in-memory holds, same items and year), CPU median ms (x: against 5,000 holds)",
        [
            "holds",
            "sweep all items",
            "x",
            "300 lines, fresh",
            "x",
            "300 lines, cached",
            "x",
            "day-by-day count",
            "x",
            "sorted()",
            "x",
        ],
        [
            [
                f"{count:,}",
                *(
                    cell
                    for key in GROWTH_COLUMNS
                    for cell in (
                        ms(g[key]["cpu_median_ms"]),
                        ratio(g[key]["cpu_median_ms"], base[key]["cpu_median_ms"]),
                    )
                ),
            ]
            for count, g in growth.items()
        ],
    )
    write_json(
        "availability",
        {
            "machine": machine(),
            "items": ITEMS,
            "holds": HOLDS,
            "lines": LINES,
            "target_ms": TARGET_MS,
            "estimate_cached": warm,
            "estimate_fresh_index": cold,
            "brute_force": brute,
            "sort": plain_sort,
            "hold_index_unchanged": unchanged,
            "hold_index_after_commit": reread,
            "load_holds": read_rows,
            "growth": {str(k): v for k, v in growth.items()},
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
