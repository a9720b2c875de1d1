"""Three rigging companies' quotes for one "Motors" line, made with the models, for the line-quote tests.

The project loads in on Monday 2027-03-08. The line: 8 × 1 t chain motor for 3 days at $100.00
a unit (markup 40 %), no supplier yet. The quotes, dated relative to today so that one is always
expired:

* SkyPoint Rigging SP-2041, expired 5 days ago, the supplier's lead time (10 days), transit 2:
  $95.00;
* Apex Hoist AH-77, valid 20 more days, lead 6, transit 1, weekdays only: $88.00, from 10 units
  on $80.00;
* Summit Rigging SR-9, valid 60 more days, lead 7, no transit: $102.00.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import update

from app.models import (
    CatalogItem,
    Estimate,
    LineItem,
    LineQuoteCandidate,
    Section,
    Supplier,
    SupplierQuote,
    SupplierQuoteBreak,
    SupplierQuoteItem,
)
from app.models.enums import LineKind, PriceBasis
from app.services.storage.database import Database
from tests.factories import PROJECT_T, make_project

LOAD_IN = date(2027, 3, 8)


@dataclass(frozen=True)
class SupplyScene:
    estimate_id: uuid.UUID
    line_id: uuid.UUID
    suppliers: dict[str, uuid.UUID]  # by quote number
    items: dict[str, uuid.UUID]  # by quote number


def _insert(conn, model, **values):  # type: ignore[no-untyped-def]
    row = model(**values)
    table = model.__table__
    conn.execute(table.insert(), [{c.name: getattr(row, c.name) for c in table.columns}])
    return row.id


def add_quote(
    db: Database,
    supplier: str,
    number: str,
    unit_cost: str,
    *,
    valid_days: int | None,
    lead: int | None = None,
    transit: int = 0,
    supplier_lead: int = 0,
    weekdays_only: bool = False,
    breaks: tuple[tuple[str, str], ...] = (),
    catalog_item_id: uuid.UUID | None = None,
    description: str = "1 t chain motor",
) -> tuple[uuid.UUID, uuid.UUID]:
    """A supplier with one quote of one item; returns (supplier id, item id)."""
    today = date.today()
    with db.write() as conn:
        supplier_id = _insert(
            conn, Supplier, name=supplier, lead_time_days=supplier_lead, weekdays_only=weekdays_only
        )
        quote_id = _insert(
            conn,
            SupplierQuote,
            supplier_id=supplier_id,
            number=number,
            quote_date=today - timedelta(days=30),
            valid_until=None if valid_days is None else today + timedelta(days=valid_days),
            lead_time_days=lead,
            transit_days=transit,
        )
        item_id = _insert(
            conn,
            SupplierQuoteItem,
            supplier_quote_id=quote_id,
            description=description,
            unit="ea",
            unit_cost=Decimal(unit_cost),
            catalog_item_id=catalog_item_id,
        )
        for minimum, cost in breaks:
            _insert(
                conn,
                SupplierQuoteBreak,
                item_id=item_id,
                min_quantity=Decimal(minimum),
                unit_cost=Decimal(cost),
            )
    return supplier_id, item_id


def add_catalog_item(db: Database, name: str) -> uuid.UUID:
    with db.write() as conn:
        return _insert(conn, CatalogItem, name=name)


def add_candidate_row(db: Database, line_id: uuid.UUID, item_id: uuid.UUID, position: int = 0) -> uuid.UUID:
    with db.write() as conn:
        return _insert(
            conn, LineQuoteCandidate, line_item_id=line_id, supplier_quote_item_id=item_id, position=position
        )


def set_item_cost(db: Database, item_id: uuid.UUID, cost: str) -> None:
    """What the quote editor does when a supplier re-quotes an item."""
    table = SupplierQuoteItem.__table__  # type: ignore[attr-defined]
    with db.write() as conn:
        conn.execute(
            update(table)
            .where(table.c.id == item_id)
            .values(unit_cost=Decimal(cost), version=table.c.version + 1)
        )


def make_supply_scene(db: Database, *, candidates: bool = True) -> SupplyScene:
    """The three quotes, the project and its "Motors" line; with ``candidates`` all three are kept
    as the line's candidates (it follows none yet)."""
    suppliers, items = {}, {}
    for supplier, number, cost, options in (
        ("SkyPoint Rigging", "SP-2041", "95", {"valid_days": -5, "supplier_lead": 10, "transit": 2}),
        (
            "Apex Hoist",
            "AH-77",
            "88",
            {"valid_days": 20, "lead": 6, "transit": 1, "weekdays_only": True, "breaks": (("10", "80"),)},
        ),
        ("Summit Rigging", "SR-9", "102", {"valid_days": 60, "lead": 7}),
    ):
        suppliers[number], items[number] = add_quote(db, supplier, number, cost, **options)  # type: ignore[arg-type]
    project_id = make_project(db, project_name="Rigging project")
    with db.write() as conn:
        conn.execute(
            update(PROJECT_T)
            .where(PROJECT_T.c.id == project_id)
            .values(start_date=LOAD_IN, end_date=LOAD_IN + timedelta(days=3))
        )
        estimate_id = _insert(
            conn, Estimate, project_id=project_id, name="Rigging", target_margin_pct=Decimal(35)
        )
        section_id = _insert(
            conn, Section, estimate_id=estimate_id, name="Rigging", client_description="Rigging"
        )
        line_id = _insert(
            conn,
            LineItem,
            section_id=section_id,
            kind=LineKind.EQUIPMENT.value,
            description="Motors",
            client_description="Rigging motors",
            quantity=Decimal(8),
            unit="ea",
            days=Decimal(3),
            unit_cost=Decimal(100),
            price_basis=PriceBasis.MARKUP.value,
            markup_pct=Decimal(40),
        )
    if candidates:
        for position, number in enumerate(items):
            add_candidate_row(db, line_id, items[number], position)
    return SupplyScene(estimate_id, line_id, suppliers, items)
