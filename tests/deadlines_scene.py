"""Milestones and orders around Wednesday 3 March 2027, for the deadlines list's tests.

This week runs to Sunday 7 March, next week 8–14 March. The Vantage booth (in production; AM
Ana Ruiz, PM Sam Lee) loads in Monday 8 March, shows 10–12 March, strikes 13 March; the Spring
gala (won; AM Ana Ruiz, PM Kit Moss) has no days yet; a lost pitch, a delivered job and a deleted
project have deadlines nobody owes any more. By hand, from 3 March:

- overdue: Vantage "Design approval" (load-in − 14 = 22 Feb, AM), Gala "Deposit invoice" (fixed
  2 March, PM);
- this week: Vantage "Advance freight" (a window 26 Feb – 3 Mar: still open today), the draft
  order PO-2027-0001 (order by Thursday 4 March), "Ship" (load-in − 1 = Sunday 7 March);
- next week: "Load-in" (8 March), "Show open" (10 March), "Strike" (13 March);
- later: "Invoice" (strike + 2 = Monday 15 March);
- no date: Vantage "Rigging plot" (fixed, no date yet), the draft order PO-2027-0003 (no
  order-by), Gala "Design approval" (relative to a load-in it does not have).

Left out: the done "Venue walk", a deleted milestone, the sent order PO-2027-0002, and everything
of the lost, delivered and deleted projects.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.engine import Connection

from app.models import Client, Milestone, Project, Supplier, SupplierOrder
from app.models.enums import MilestoneKind, OrderKind, OrderStatus, ProjectStatus
from app.services.storage.database import Database
from tests.factories import make_estimate

TODAY = date(2027, 3, 3)
K = MilestoneKind


def MARCH(day: int) -> date:
    return date(2027, 3, day)


@dataclass(frozen=True)
class DeadlinesScene:
    projects: dict[str, uuid.UUID]  # by name
    milestones: dict[str, uuid.UUID]  # "Vantage booth/Design approval" → id
    orders: dict[str, uuid.UUID]  # by number


def add(conn: Connection, *records: Any) -> None:
    """Insert model instances, each into its own table."""
    for record in records:
        conn.execute(type(record).__table__.insert().values(record.model_dump()))


def milestone(
    project: Project,
    name: str,
    kind: MilestoneKind,
    anchor: str = "",
    offset: int = 0,
    fixed: date | None = None,
    duration: int = 0,
    owner: str = "PM",
    **extra: Any,
) -> Milestone:
    return Milestone(
        project_id=project.id,
        name=name,
        kind=kind.value,
        anchor=anchor,
        offset_days=offset,
        fixed_date=fixed,
        duration_days=duration,
        owner=owner,
        **extra,
    )


def build_deadlines_scene(db: Database) -> DeadlinesScene:
    client = Client(name="Vantage Systems")
    vantage = Project(
        client_id=client.id,
        name="Vantage booth",
        status=ProjectStatus.IN_PRODUCTION.value,
        start_date=MARCH(8),
        show_start_date=MARCH(10),
        show_end_date=MARCH(12),
        end_date=MARCH(13),
        account_manager="Ana Ruiz",
        project_manager="Sam Lee",
    )
    gala = Project(
        client_id=client.id,
        name="Spring gala",
        status=ProjectStatus.WON.value,
        account_manager="Ana Ruiz",
        project_manager="Kit Moss",
    )
    gone = {
        status: Project(
            client_id=client.id,
            name=f"{status.label} job",
            status=status.value,
            start_date=MARCH(8),
            account_manager="Ana Ruiz",
            project_manager="Sam Lee",
        )
        for status in (ProjectStatus.LOST, ProjectStatus.DELIVERED, ProjectStatus.CANCELLED)
    }
    deleted = Project(
        client_id=client.id,
        name="Deleted job",
        status=ProjectStatus.WON.value,
        start_date=MARCH(8),
        deleted_at=datetime(2027, 2, 1, tzinfo=UTC),
    )
    rows = [
        milestone(vantage, "Design approval", K.DESIGN_APPROVAL, "load_in", -14, owner="AM"),
        milestone(vantage, "Advance freight", K.FREIGHT_WINDOW, "load_in", -10, duration=5),
        milestone(vantage, "Ship", K.SHIP, "load_in", -1),
        milestone(vantage, "Load-in", K.LOAD_IN, "load_in"),
        milestone(vantage, "Show open", K.SHOW_OPEN, "show_start"),
        milestone(vantage, "Strike", K.STRIKE, "strike"),
        milestone(vantage, "Invoice", K.INVOICE, "strike", 2, owner="AM", notes="Net 30, to accounts"),
        milestone(vantage, "Rigging plot", K.OTHER),
        milestone(
            vantage,
            "Venue walk",
            K.OTHER,
            fixed=MARCH(1),
            done=True,
            done_at=datetime(2027, 3, 1, 15, tzinfo=UTC),
        ),
        milestone(vantage, "Withdrawn", K.OTHER, fixed=MARCH(1), deleted_at=datetime(2027, 2, 1, tzinfo=UTC)),
        milestone(gala, "Design approval", K.DESIGN_APPROVAL, "load_in", -21, owner="AM"),
        milestone(gala, "Deposit invoice", K.INVOICE, fixed=MARCH(2)),
        *(milestone(p, "Design approval", K.DESIGN_APPROVAL, fixed=MARCH(1)) for p in gone.values()),
        milestone(deleted, "Design approval", K.DESIGN_APPROVAL, fixed=MARCH(1)),
    ]
    rigging = Supplier(name="Skyline Rigging", lead_time_days=5)
    with db.write() as conn:
        add(conn, client, vantage, gala, *gone.values(), deleted, rigging, *rows)
    estimate = make_estimate(db, 0, 0, project_id=vantage.id, name="Vantage estimate")
    lost_estimate = make_estimate(db, 0, 0, project_id=gone[ProjectStatus.LOST].id, name="Lost estimate")
    orders = [
        SupplierOrder(
            project_id=vantage.id,
            estimate_id=estimate,
            supplier_id=rigging.id,
            kind=OrderKind.SUBRENTAL.value,
            number="PO-2027-0001",
            order_by=MARCH(4),
            need_by=MARCH(8),
        ),
        SupplierOrder(
            project_id=vantage.id,
            estimate_id=estimate,
            supplier_id=rigging.id,
            number="PO-2027-0002",
            status=OrderStatus.SENT.value,
            order_by=MARCH(1),
        ),
        SupplierOrder(
            project_id=vantage.id, estimate_id=estimate, supplier_id=rigging.id, number="PO-2027-0003"
        ),
        SupplierOrder(
            project_id=gone[ProjectStatus.LOST].id,
            estimate_id=lost_estimate,
            supplier_id=rigging.id,
            number="PO-2027-0004",
            order_by=MARCH(1),
        ),
    ]
    with db.write() as conn:
        add(conn, *orders)
    return DeadlinesScene(
        projects={p.name: p.id for p in (vantage, gala, *gone.values(), deleted)},
        milestones={
            f"{'Vantage booth' if m.project_id == vantage.id else 'Spring gala'}/{m.name}": m.id
            for m in rows
            if m.project_id in (vantage.id, gala.id)
        },
        orders={o.number: o.id for o in orders},
    )
