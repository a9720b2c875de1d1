"""Supplier quote items as the estimate, the validity guard and the orders read them.

One read of every live item of every live quote of a live supplier, with its quote's terms and
quantity breaks: the cost a line following the item takes at its quantity, whether the quote has
expired on a day, and the supplier's timing (the quote's lead time, else the supplier's).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import Supplier, SupplierQuote, SupplierQuoteBreak, SupplierQuoteItem
from app.services.supply.timing import Timing

SUPPLIER_T = Supplier.__table__  # type: ignore[attr-defined]
QUOTE_T = SupplierQuote.__table__  # type: ignore[attr-defined]
ITEM_T = SupplierQuoteItem.__table__  # type: ignore[attr-defined]
BREAK_T = SupplierQuoteBreak.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class QuoteInfo:
    id: uuid.UUID
    supplier_id: uuid.UUID
    supplier_name: str
    number: str
    quote_date: date | None
    valid_until: date | None
    timing: Timing  # the quote's lead time (else the supplier's), its transit, the supplier's week

    def expired(self, on: date) -> bool:
        """Past its valid-until day (a quote valid until 11 Feb is still good on 11 Feb)."""
        return self.valid_until is not None and self.valid_until < on

    @property
    def label(self) -> str:
        """How a line names the quote it follows: "SP-2041 (SkyPoint Rigging)"."""
        return f"{self.number or 'no number'} ({self.supplier_name})"


@dataclass(frozen=True, slots=True)
class QuoteItemInfo:
    id: uuid.UUID
    quote: QuoteInfo
    description: str
    unit: str
    unit_cost: Decimal
    catalog_item_id: uuid.UUID | None
    # (from quantity, unit cost), lowest quantity first.
    breaks: tuple[tuple[Decimal, Decimal], ...] = ()

    def unit_cost_at(self, quantity: Decimal) -> Decimal:
        """The unit cost for ``quantity`` units: the highest break it reaches, else the item's cost."""
        cost = self.unit_cost
        for minimum, break_cost in self.breaks:
            if quantity >= minimum:
                cost = break_cost
        return cost


def load_quote_items(conn: Connection) -> dict[uuid.UUID, QuoteItemInfo]:
    """Every live item of a live quote of a live supplier, by id (three queries)."""
    quotes: dict[uuid.UUID, QuoteInfo] = {}
    for row in conn.execute(
        select(QUOTE_T, SUPPLIER_T.c.name.label("supplier_name"),
               SUPPLIER_T.c.lead_time_days.label("supplier_lead"), SUPPLIER_T.c.weekdays_only)
        .join(SUPPLIER_T, SUPPLIER_T.c.id == QUOTE_T.c.supplier_id)
        .where(QUOTE_T.c.deleted_at.is_(None), SUPPLIER_T.c.deleted_at.is_(None))
    ):
        lead = row.lead_time_days if row.lead_time_days is not None else row.supplier_lead
        quotes[row.id] = QuoteInfo(
            row.id, row.supplier_id, row.supplier_name, row.number, row.quote_date, row.valid_until,
            Timing(lead, row.transit_days, bool(row.weekdays_only)),
        )
    breaks: dict[uuid.UUID, list[tuple[Decimal, Decimal]]] = {}
    for row in conn.execute(
        select(BREAK_T.c.item_id, BREAK_T.c.min_quantity, BREAK_T.c.unit_cost)
        .where(BREAK_T.c.deleted_at.is_(None))
        .order_by(BREAK_T.c.min_quantity)
    ):
        breaks.setdefault(row.item_id, []).append((row.min_quantity, row.unit_cost))
    items: dict[uuid.UUID, QuoteItemInfo] = {}
    for row in conn.execute(select(ITEM_T).where(ITEM_T.c.deleted_at.is_(None))):
        quote = quotes.get(row.supplier_quote_id)
        if quote is not None:
            items[row.id] = QuoteItemInfo(row.id, quote, row.description, row.unit, row.unit_cost,
                                          row.catalog_item_id, tuple(breaks.get(row.id, ())))
    return items


def line_timing(supplier_id: uuid.UUID | None, quote_item_id: uuid.UUID | None,
                items: dict[uuid.UUID, QuoteItemInfo], suppliers: dict[uuid.UUID, Any]) -> Timing | None:
    """A line's supplier timing: its quote item's (the quote's lead and transit), else its supplier's
    lead time with no transit; None without either. ``suppliers`` is Lookups.suppliers."""
    item = items.get(quote_item_id) if quote_item_id is not None else None
    if item is not None:
        return item.quote.timing
    supplier = suppliers.get(supplier_id) if supplier_id is not None else None
    if supplier is None:
        return None
    return Timing(supplier.lead_time_days, 0, supplier.weekdays_only)
