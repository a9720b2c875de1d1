"""Supplier quotes and lines that follow them, for the validity guard's tests.

The quote rows are made directly with the models' tables (the quotes' editors are another part of
issue 14), and a line follows an item through ``LineItem.supplier_quote_item_id`` as stored. Every
followed item costs what its line costs, so the lines' figures stay whatever the document does
with the link.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from app.models import Supplier, SupplierQuote, SupplierQuoteItem
from app.services.storage.database import Database
from tests.factories import LINE_T, PROJECT_T, SECTION_T, _record, line_values, make_estimate, make_project

SUPPLIER_T = Supplier.__table__  # type: ignore[attr-defined]
QUOTE_T = SupplierQuote.__table__  # type: ignore[attr-defined]
QUOTE_ITEM_T = SupplierQuoteItem.__table__  # type: ignore[attr-defined]
LINE_COST = Decimal("450.00")  # every scene line's unit cost, and its followed item's


def add_supplier(
    db: Database, name: str, lead_time_days: int = 0, *, weekdays_only: bool = False
) -> uuid.UUID:
    row = _record(
        name=name,
        contact_name="",
        email="",
        phone="",
        lead_time_days=lead_time_days,
        supplies="",
        payment_terms="",
        notes="",
        weekdays_only=weekdays_only,
    )
    with db.write() as conn:
        conn.execute(SUPPLIER_T.insert(), [row])
    new_id: uuid.UUID = row["id"]
    return new_id


def add_quote_item(
    db: Database,
    supplier_id: uuid.UUID,
    number: str,
    valid_until: date | None,
    *,
    lead_time_days: int | None = None,
    transit_days: int = 0,
    unit_cost: Decimal = LINE_COST,
) -> uuid.UUID:
    """A supplier quote of one item; the item's id."""
    quote = _record(
        supplier_id=supplier_id,
        number=number,
        quote_date=None,
        valid_until=valid_until,
        lead_time_days=lead_time_days,
        transit_days=transit_days,
        notes="",
        file_path="",
    )
    item = _record(
        supplier_quote_id=quote["id"],
        position=0,
        description=f"Item of {number}",
        unit="ea",
        unit_cost=unit_cost,
        catalog_item_id=None,
    )
    with db.write() as conn:
        conn.execute(QUOTE_T.insert(), [quote])
        conn.execute(QUOTE_ITEM_T.insert(), [item])
    item_id: uuid.UUID = item["id"]
    return item_id


def follow(db: Database, line_id: uuid.UUID, item_id: uuid.UUID | None) -> None:
    """The line's cost follows the quote item (None: it follows none)."""
    with db.write() as conn:
        conn.execute(update(LINE_T).where(LINE_T.c.id == line_id).values(supplier_quote_item_id=item_id))


def set_load_in(db: Database, project_id: uuid.UUID, load_in: date | None) -> None:
    with db.write() as conn:
        conn.execute(update(PROJECT_T).where(PROJECT_T.c.id == project_id).values(start_date=load_in))


@dataclass
class Scene:
    project_id: uuid.UUID
    estimate_id: uuid.UUID
    lines: dict[str, uuid.UUID] = field(default_factory=dict)  # by description


def supplied_estimate(db: Database, load_in: date | None, lines: list[dict[str, Any]]) -> Scene:
    """A project loading in on ``load_in`` with one estimate of one section holding ``lines``:
    each a dict of line columns over a supplier line's (``description`` names it in the scene)."""
    project_id = make_project(db, project_name="Guard project")
    set_load_in(db, project_id, load_in)
    estimate_id = make_estimate(db, lines=0, sections=1, project_id=project_id, name="Guard estimate")
    with db.read() as conn:
        section_id = conn.execute(
            select(SECTION_T.c.id).where(SECTION_T.c.estimate_id == estimate_id)
        ).scalar_one()
    rows = []
    for position, values in enumerate(lines):
        base = {
            **line_values(3),
            "quantity": Decimal(1),
            "days": Decimal(1),
            "unit_cost": LINE_COST,
            "alternative_group": "",
            "alternative_chosen": False,
            "supplier_quote_item_id": None,
        }
        rows.append(_record(section_id=section_id, position=position, **{**base, **values}))
    with db.write() as conn:
        conn.execute(LINE_T.insert(), rows)
    return Scene(project_id, estimate_id, {row["description"]: row["id"] for row in rows})
