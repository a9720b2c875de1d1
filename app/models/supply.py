"""What suppliers quote us and what we order from them.

A supplier quote (number, date, valid until, lead and transit times, the file it came as) has
items a line's cost can follow; a line may keep several candidate items side by side
(``LineQuoteCandidate``) and follows the one ``LineItem.supplier_quote_item_id`` names. An order
is prepared from a won project's chosen estimate, one per supplier and kind, with its lines as
they were when prepared: what the estimate says now is compared with them to tell the order is
out of date.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Field

from app.models.base import Record
from app.models.enums import OrderKind, OrderStatus
from app.models.types import ExactDecimal, UTCDateTime


class SupplierQuote(Record, table=True):
    """A quote a supplier sent us. ``lead_time_days`` None: the supplier's own lead time.

    ``file_path`` names the user's copy of the quote (a PDF on the share); Tandem stores the
    path, never the file.
    """

    supplier_id: uuid.UUID = Field(foreign_key="supplier.id", index=True)
    number: str = Field(default="", max_length=60)
    quote_date: date | None = None
    valid_until: date | None = None
    lead_time_days: int | None = None
    transit_days: int = Field(default=0)
    notes: str = Field(default="")
    file_path: str = Field(default="", max_length=1000)


class SupplierQuoteItem(Record, table=True):
    """One priced item of a supplier quote: the cost a line following it takes."""

    supplier_quote_id: uuid.UUID = Field(foreign_key="supplierquote.id", index=True)
    position: int = Field(default=0)
    description: str = Field(default="", max_length=500)
    unit: str = Field(default="ea", max_length=20)
    unit_cost: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    # What it prices, to offer it on lines of that catalog item (optional).
    catalog_item_id: uuid.UUID | None = Field(default=None, foreign_key="catalogitem.id")


class SupplierQuoteBreak(Record, table=True):
    """A quantity break: from ``min_quantity`` units on, the item costs ``unit_cost`` each."""

    item_id: uuid.UUID = Field(foreign_key="supplierquoteitem.id", index=True)
    min_quantity: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    unit_cost: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)


class LineQuoteCandidate(Record, table=True):
    """A supplier quote item a line could follow ("three rigging companies"): kept for the record
    whether or not it is the one the line follows. Internal only; the client never sees it."""

    line_item_id: uuid.UUID = Field(foreign_key="lineitem.id", index=True)
    supplier_quote_item_id: uuid.UUID = Field(foreign_key="supplierquoteitem.id", index=True)
    position: int = Field(default=0)
    notes: str = Field(default="", max_length=500)


class SupplierOrder(Record, table=True):
    """An order to one supplier for one project: a sub-rental or a purchase.

    ``need_by`` = load-in − transit, ``order_by`` = need-by − lead time (working days when the
    supplier works weekdays only), both worked out when prepared and kept as sent. ``status``
    runs draft → sent → confirmed → received → returned (sub-rentals) → closed.
    """

    project_id: uuid.UUID = Field(foreign_key="project.id", index=True)
    estimate_id: uuid.UUID = Field(foreign_key="estimate.id", index=True)
    supplier_id: uuid.UUID = Field(foreign_key="supplier.id", index=True)
    kind: str = Field(default=OrderKind.PURCHASE.value, max_length=20)
    number: str = Field(default="", max_length=40)
    status: str = Field(default=OrderStatus.DRAFT.value, max_length=20)
    need_by: date | None = None
    order_by: date | None = None
    delivery_address: str = Field(default="")
    notes: str = Field(default="")
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SupplierOrderLine(Record, table=True):
    """One line of an order, as the estimate line read when the order was prepared: the supplier's
    cost only, never our price to the client."""

    order_id: uuid.UUID = Field(foreign_key="supplierorder.id", index=True)
    # The estimate line it was prepared from (no key: the line may be deleted since; the order
    # then reads it as removed).
    line_item_id: uuid.UUID | None = None
    position: int = Field(default=0)
    description: str = Field(default="", max_length=500)
    quantity: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    unit: str = Field(default="ea", max_length=20)
    days: Decimal = Field(default=Decimal(1), sa_type=ExactDecimal)
    unit_cost: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    cost: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
