"""The orders' scene: a won project with load-in Monday 8 March 2027 at "Messe Hall 4, Frankfurt",
its one estimate ordering from two suppliers — Brightline AV (lead 5 days, weekdays only) and
SkyPoint Rigging (lead 10 calendar days) — a sub-rental and a purchase from each, and lines
that order nothing (own crew, an add-on, an unchosen alternative, a quantity of 0).

By hand:
- Brightline sub-rental: LED processor 4 × 3 days × 35.00 = 420.00
- Brightline purchase: HDMI cable 12 × 1 × 8.75 = 105.00
- SkyPoint sub-rental: Motors 8 × 3 × 42.50 = 1,020.00, Truss towers (the chosen alternative)
  2 × 3 × 60.00 = 360.00: 1,380.00
- SkyPoint purchase: Truss 3 m 3 × 1 × 33.335 = 100.005 → 100.01 (half up)
- need-by = load-in (no transit): Mon 8 Mar; order-by Brightline = 5 working days before =
  Mon 1 Mar, SkyPoint = 10 calendar days before = Fri 26 Feb 2027.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from app.models import Supplier
from app.models.enums import LineKind, PriceBasis, ProjectStatus
from app.services.storage.database import Database
from tests.factories import LINE_T, PROJECT_T, SECTION_T, _record, line_values, make_estimate, make_project

SUPPLIER_T = Supplier.__table__  # type: ignore[attr-defined]
LOAD_IN = date(2027, 3, 8)  # a Monday
VENUE = "Messe Hall 4, Frankfurt"
TODAY = date(2027, 1, 15)
SUB = LineKind.SUBRENTAL


@dataclass(frozen=True)
class OrdersScene:
    project_id: uuid.UUID
    estimate_id: uuid.UUID
    section_id: uuid.UUID
    brightline: uuid.UUID
    skypoint: uuid.UUID
    lines: dict[str, uuid.UUID]  # by description


def add_supplier(db: Database, name: str, lead: int, *, weekdays_only: bool = False) -> uuid.UUID:
    row = _record(
        name=name,
        contact_name="",
        email="",
        phone="",
        lead_time_days=lead,
        supplies="",
        payment_terms="",
        notes="",
        weekdays_only=weekdays_only,
    )
    with db.write() as conn:
        conn.execute(SUPPLIER_T.insert(), [row])
    new_id: uuid.UUID = row["id"]
    return new_id


def line(
    section_id: uuid.UUID,
    position: int,
    kind: LineKind,
    description: str,
    quantity: str,
    days: str,
    unit_cost: str,
    supplier_id: uuid.UUID | None,
    **values: Any,
) -> dict[str, Any]:
    base = line_values(0)
    base.update(
        kind=kind.value,
        description=description,
        client_description=f"Client: {description}",
        quantity=Decimal(quantity),
        days=Decimal(days),
        unit_cost=Decimal(unit_cost),
        unit="ea",
        hours=None,
        price_basis=PriceBasis.MARKUP.value,
        markup_pct=Decimal(40),
        unit_price=None,
        margin_pct=None,
        price_override=None,
        optional=False,
        supplier_id=supplier_id,
        alternative_group="",
        alternative_chosen=False,
    )
    base.update(values)
    return _record(section_id=section_id, position=position, **base)


def make_scene(db: Database, *, status: ProjectStatus = ProjectStatus.WON) -> OrdersScene:
    brightline = add_supplier(db, "Brightline AV", 5, weekdays_only=True)
    skypoint = add_supplier(db, "SkyPoint Rigging", 10)
    project_id = make_project(db, project_name="Vantage booth")
    estimate_id = make_estimate(db, lines=0, sections=1, project_id=project_id, name="Full booth")
    with db.read() as conn:
        section_id = conn.execute(SECTION_T.select().where(SECTION_T.c.estimate_id == estimate_id)).first().id
    rows = [
        line(section_id, 0, SUB, "LED processor", "4", "3", "35.00", brightline),
        line(section_id, 1, LineKind.PURCHASE, "HDMI cable", "12", "1", "8.75", brightline),
        line(section_id, 2, SUB, "Motors", "8", "3", "42.50", skypoint),
        line(section_id, 3, LineKind.SUPPLIER, "Truss 3 m", "3", "1", "33.335", skypoint),
        line(section_id, 4, LineKind.LABOUR, "Rigger (own crew)", "2", "3", "45.00", None, hours=Decimal(10)),
        line(section_id, 5, SUB, "Spare motor", "1", "3", "42.50", skypoint, optional=True),
        line(section_id, 6, LineKind.EQUIPMENT, "Haze fluid", "0", "1", "20.00", brightline),
        line(
            section_id,
            7,
            SUB,
            "Truss towers (chosen)",
            "2",
            "3",
            "60.00",
            skypoint,
            alternative_group="towers",
            alternative_chosen=True,
        ),
        line(
            section_id,
            8,
            SUB,
            "Ground stacks (not chosen)",
            "2",
            "3",
            "55.00",
            skypoint,
            alternative_group="towers",
            alternative_chosen=False,
        ),
    ]
    with db.write() as conn:
        conn.execute(LINE_T.insert(), rows)
        conn.execute(
            update(PROJECT_T)
            .where(PROJECT_T.c.id == project_id)
            .values(
                status=status.value,
                venue=VENUE,
                start_date=LOAD_IN,
                show_start_date=date(2027, 3, 10),
                show_end_date=date(2027, 3, 12),
                end_date=date(2027, 3, 13),
                chosen_estimate_id=estimate_id
                if status in (ProjectStatus.WON, ProjectStatus.IN_PRODUCTION)
                else None,
            )
        )
    return OrdersScene(
        project_id, estimate_id, section_id, brightline, skypoint, {r["description"]: r["id"] for r in rows}
    )
