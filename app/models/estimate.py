"""An estimate (one scenario of a project), its sections and its line items."""

from __future__ import annotations

import uuid
from datetime import date, time
from decimal import Decimal

from sqlmodel import Field

from app.models.base import Record
from app.models.enums import LineKind, PriceBasis
from app.models.types import ExactDecimal


class Estimate(Record, table=True):
    project_id: uuid.UUID = Field(foreign_key="project.id", index=True)
    name: str = Field(max_length=200)
    position: int = Field(default=0)
    notes: str = Field(default="")
    target_margin_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    contingency_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    discount_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    tax_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)


class Section(Record, table=True):
    estimate_id: uuid.UUID = Field(foreign_key="estimate.id", index=True)
    position: int = Field(default=0)
    name: str = Field(max_length=200)
    client_description: str = Field(default="")


class LineItem(Record, table=True):
    """One priced line. Its units are quantity × days (× paid hours for labour).

    ``description`` is internal (it may name a supplier); the client reads
    ``client_description``. Exactly one price basis applies unless
    ``price_override`` fixes the line's price outright.
    """

    section_id: uuid.UUID = Field(foreign_key="section.id", index=True)
    position: int = Field(default=0)
    kind: str = Field(default=LineKind.EQUIPMENT.value, max_length=20)
    description: str = Field(default="", max_length=500)
    client_description: str = Field(default="", max_length=500)
    quantity: Decimal = Field(default=Decimal(1), sa_type=ExactDecimal)
    unit: str = Field(default="ea", max_length=20)
    days: Decimal = Field(default=Decimal(1), sa_type=ExactDecimal)
    hours: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    unit_cost: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    price_basis: str = Field(default=PriceBasis.MARKUP.value, max_length=20)
    markup_pct: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    unit_price: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    margin_pct: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    price_override: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    optional: bool = Field(default=False)
    supplier_id: uuid.UUID | None = Field(default=None, foreign_key="supplier.id")
    role_id: uuid.UUID | None = Field(default=None, foreign_key="role.id")
    labour_rule_set_id: uuid.UUID | None = Field(default=None, foreign_key="labourruleset.id")
    catalog_item_id: uuid.UUID | None = Field(default=None, foreign_key="catalogitem.id")
    # A labour line is a crew call: its phase, the first day, and the hours of each day
    # (venue local time; an end before the start runs past midnight). Without times,
    # ``hours`` says how long each person works each day.
    phase: str = Field(default="", max_length=20)
    call_date: date | None = None
    start_time: time | None = None
    end_time: time | None = None
