"""The client's page and the growth grid: a client with 200 projects, and 2,000 projects in all.

Builds a company database (seeded: every run sees the same data): 200 clients, 2,000 projects
(the first client has 200 of them, the others 9 each), 60 % won / in production / delivered, the
rest open, lost or cancelled; each project has two scenarios of 20 lines, half the lines from
12 catalog items in 6 categories. Then times, median of ``--runs``:

  a. client_page(db, client) for the client with 200 projects (400 scenarios priced);
  b. growth_grid(db) over the 2,000 projects (1,200 won ones' counting estimates read);
  and the same on the demo company. Timings are printed, never asserted.

    python bench/bench_accounts.py [--runs N]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.models import CatalogItem, Client, Estimate, LineItem, Project, Section
from app.services.accounts.client_page import client_page
from app.services.accounts.growth import growth_grid
from app.services.demo import build_demo
from app.services.storage.database import Database, open_database
from bench._common import machine, ms, parse_counts, print_table, write_json
from tests.factories import _record, line_values

STATUSES = (
    "won",
    "in_production",
    "delivered",
    "won",
    "in_production",
    "delivered",
    "quoted",
    "lost",
    "cancelled",
    "lead",
)
CATEGORIES = ("Video", "Audio", "Lighting", "Staging", "Rigging", "Scenic")


def build(db: Database, projects: int = 2_000, clients: int = 200, big: int = 200) -> Any:
    rng = random.Random(15)
    client_rows = [
        _record(name=f"Client {n:03}", notes="", billing_address="", industry="") for n in range(clients)
    ]
    items = [
        _record(name=f"Item {n}", category=CATEGORIES[n % len(CATEGORIES)], kind="equipment")
        for n in range(12)
    ]
    rows: dict[Any, list[dict[str, Any]]] = {Project: [], Estimate: [], Section: [], LineItem: []}
    for n in range(projects):
        owner = client_rows[0] if n < big else client_rows[1 + (n - big) % (clients - 1)]
        project = _record(
            client_id=owner["id"],
            name=f"Project {n:04}",
            venue="",
            status=STATUSES[n % 10],
            account_manager="AM",
            project_manager="PM",
            notes="",
        )
        rows[Project].append(project)
        for s in range(2):
            estimate = _record(project_id=project["id"], name=f"Scenario {s}", position=s, notes="")
            section = _record(estimate_id=estimate["id"], position=0, name="Show", client_description="")
            rows[Estimate].append(estimate)
            rows[Section].append(section)
            for p in range(20):
                line = _record(section_id=section["id"], position=p, **line_values(rng.randrange(1000)))
                if p % 2:
                    line["catalog_item_id"] = items[rng.randrange(len(items))]["id"]
                rows[LineItem].append(line)
    with db.write() as conn:
        conn.execute(Client.__table__.insert(), client_rows)  # type: ignore[attr-defined]
        conn.execute(CatalogItem.__table__.insert(), items)  # type: ignore[attr-defined]
        for model in (Project, Estimate, Section, LineItem):
            conn.execute(model.__table__.insert(), rows[model])  # type: ignore[union-attr]
    return client_rows[0]["id"]


def timed(work: Callable[[], Any], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)[len(samples) // 2]


def main() -> None:
    args = parse_counts(__doc__ or "", runs=(3, "timed runs of each"))

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "accounts.db")
        started = time.perf_counter()
        big = build(db)
        print(f"built 2,000 projects, 80,000 lines in {time.perf_counter() - started:.1f} s")
        figures = {
            "client_page_200_projects_ms": timed(lambda: client_page(db, big), args.runs),
            "growth_grid_2000_projects_ms": timed(lambda: growth_grid(db), args.runs),
        }
        db.close()
        demo = open_database(Path(folder) / "demo.db")
        build_demo(demo)
        first = growth_grid(demo).clients[0].client_id
        figures["demo_growth_grid_ms"] = timed(lambda: growth_grid(demo), args.runs)
        figures["demo_client_page_ms"] = timed(lambda: client_page(demo, first), args.runs)
        demo.close()
    print_table(
        "The client's page and the growth grid (median ms)",
        ("what", "ms"),
        [(k, ms(v)) for k, v in figures.items()],
    )
    write_json("accounts", {"machine": machine(), "figures": figures})


if __name__ == "__main__":
    main()
