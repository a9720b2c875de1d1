"""Two clients and eight projects at every stage, with figures small enough to work out by hand.

Every estimate has one line (1 × 1 day) at a unit price over a unit cost and 10 % tax, so its net
is the price, its cost the cost and its total (what the pipeline counts) the price × 1.1.
The dashboard's tests, its export's and its GUI test assert against the sums in the comments.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.models import Client, Estimate, LineItem, LostReason, Project, Section
from app.services.storage.database import Database
from tests.factories import _record, line_values

D = Decimal
AURORA, BIRCH = "Aurora Labs", "Birch & Co"
START, END = date(2026, 12, 1), date(2027, 3, 31)
REASONS = ("Price", "Timing")


@dataclass(frozen=True)
class Job:
    client: str
    name: str
    status: str
    am: str
    price: Decimal  # net (before tax)
    cost: Decimal
    decision: date | None = None
    show: date | None = None
    load_in: date | None = None
    own_pct: Decimal | None = None
    reason: str = ""


# price × 1.1 is the total; probability: lead 10, estimating 25, quoted 50 (or its own), won 100.
JOBS = (
    Job(AURORA, "Lead gala", "lead", "Dana", D(10000), D(6000), decision=date(2027, 1, 15)),  # 11,000 · 1,100
    Job(
        BIRCH, "Estimating expo", "estimating", "Eli", D(4000), D(2500), show=date(2027, 2, 10)
    ),  # 4,400 · 1,100
    Job(
        AURORA,
        "Quoted summit",
        "quoted",
        "Dana",
        D(20000),
        D(12000),
        decision=date(2027, 1, 20),
        own_pct=D(60),
    ),  # 22,000 · 13,200
    Job(
        BIRCH,
        "Won launch",
        "won",
        "Eli",
        D(30000),
        D(21000),
        decision=date(2027, 1, 5),
        show=date(2027, 3, 4),
    ),  # 33,000
    Job(
        AURORA,
        "Production tour",
        "in_production",
        "Dana",
        D("12345.67"),
        D("7654.32"),
        decision=date(2026, 12, 10),
        show=date(2027, 2, 1),
    ),  # 13,580.237 → 13,580.24
    Job(
        BIRCH,
        "Delivered awards",
        "delivered",
        "Dana",
        D(8000),
        D(4750),
        show=date(2027, 1, 12),
        load_in=date(2027, 1, 10),
    ),
    Job(
        AURORA, "Lost congress", "lost", "Eli", D(15000), D(9000), decision=date(2027, 1, 25), reason="Price"
    ),  # 16,500
    Job(
        BIRCH, "Lost fair", "lost", "Dana", D(5000), D(3000), decision=date(2026, 12, 15), reason="Timing"
    ),  # 5,500
)


def _table(model: type) -> object:
    return model.__table__  # type: ignore[attr-defined]


def add_job(db: Database, clients: dict[str, uuid.UUID], job: Job) -> uuid.UUID:
    """One project of ``job`` with its one-line estimate (the client made when first named)."""
    rows: dict[object, list[dict[str, object]]] = {}
    if job.client not in clients:
        client = _record(name=job.client, notes="", billing_address="", industry="")
        clients[job.client] = client["id"]  # type: ignore[assignment]
        rows[_table(Client)] = [client]
    project = _record(
        client_id=clients[job.client],
        name=job.name,
        venue="",
        status=job.status,
        account_manager=job.am,
        project_manager="Pat",
        notes="",
        lost_reason=job.reason,
        start_date=job.load_in,
        end_date=None,
        show_start_date=job.show,
        show_end_date=job.show,
        decision_date=job.decision,
        win_probability_pct=job.own_pct,
    )
    estimate = _record(
        project_id=project["id"],
        name=f"{job.name} estimate",
        position=0,
        notes="",
        target_margin_pct=D(35),
        contingency_pct=D(0),
        discount_pct=D(0),
        tax_pct=D(10),
    )
    section = _record(estimate_id=estimate["id"], position=0, name="Show", client_description="")
    line = _record(
        section_id=section["id"],
        position=0,
        **{
            **line_values(0),
            "description": "Everything",
            "quantity": D(1),
            "days": D(1),
            "unit_cost": job.cost,
            "price_basis": "unit_price",
            "unit_price": job.price,
            "optional": False,
            "price_override": None,
        },
    )
    rows[_table(Project)] = [project]
    rows[_table(Estimate)] = [estimate]
    rows[_table(Section)] = [section]
    rows[_table(LineItem)] = [line]
    with db.write() as conn:
        for table, values in rows.items():
            conn.execute(table.insert(), values)  # type: ignore[attr-defined]
    return project["id"]  # type: ignore[return-value]


def build_scene(db: Database) -> dict[str, uuid.UUID]:
    """The lost reasons and every job in JOBS; project name → id."""
    with db.write() as conn:
        conn.execute(
            _table(LostReason).insert(),  # type: ignore[attr-defined]
            [_record(name=name, position=n) for n, name in enumerate(REASONS)],
        )
    clients: dict[str, uuid.UUID] = {}
    return {job.name: add_job(db, clients, job) for job in JOBS}
