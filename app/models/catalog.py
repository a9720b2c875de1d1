"""What the company sells and buys: catalog items, crew roles, labour rules, suppliers."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel import Field

from app.models.base import Record
from app.models.enums import LineKind, PriceBasis
from app.models.types import ExactDecimal


class Supplier(Record, table=True):
    name: str = Field(max_length=200, index=True)
    contact_name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)
    lead_time_days: int = Field(default=0)
    supplies: str = Field(default="", max_length=500)  # what they supply, for the search
    payment_terms: str = Field(default="", max_length=200)
    notes: str = Field(default="")
    # Works Monday to Friday only: its lead and transit times count working days, and an
    # order-by or need-by date never falls on a weekend.
    weekdays_only: bool = Field(default=False)


class CatalogCategory(Record, table=True):
    """A heading the catalog is sorted under; items name theirs by ``CatalogItem.category``."""

    name: str = Field(max_length=100)
    position: int = Field(default=0)


class Role(Record, table=True):
    """A crew role with its hourly cost (what we pay) and bill rate (what we charge)."""

    name: str = Field(max_length=100, index=True)
    cost_rate: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    bill_rate: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    # Optional flat day rates (a day call priced per day rather than per hour).
    day_cost_rate: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    day_bill_rate: Decimal | None = Field(default=None, sa_type=ExactDecimal)


class LabourRuleSet(Record, table=True):
    """A union local's or venue's rules for paying a crew call."""

    name: str = Field(max_length=100)
    min_call_hours: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    overtime_after_hours: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    overtime_multiplier: Decimal = Field(default=Decimal("1.5"), sa_type=ExactDecimal)
    double_time_after_hours: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    double_time_multiplier: Decimal = Field(default=Decimal("2"), sa_type=ExactDecimal)
    # Straight hours in a week (Mon–Sun) after which every further hour is overtime.
    weekly_overtime_after_hours: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    # Multipliers for every hour worked on a Saturday/Sunday or a holiday of this rule set.
    weekend_multiplier: Decimal = Field(default=Decimal(1), sa_type=ExactDecimal)
    holiday_multiplier: Decimal = Field(default=Decimal(1), sa_type=ExactDecimal)
    # An unpaid meal break of meal_break_minutes is taken out of a call longer than this.
    meal_break_after_hours: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    meal_break_minutes: int = Field(default=0)
    # Minimum rest between the end of one call and the start of the next for one person.
    min_turnaround_hours: Decimal | None = Field(default=None, sa_type=ExactDecimal)


class LabourHoliday(Record, table=True):
    """A day paid at the rule set's holiday multiplier."""

    rule_set_id: uuid.UUID = Field(foreign_key="labourruleset.id", index=True)
    day: date
    name: str = Field(default="", max_length=100)


class CatalogItem(Record, table=True):
    """A service the company sells, with the cost and price a new line starts from."""

    name: str = Field(max_length=200, index=True)
    category: str = Field(default="", max_length=100)
    kind: str = Field(default=LineKind.EQUIPMENT.value, max_length=20)
    client_description: str = Field(default="")
    unit: str = Field(default="ea", max_length=20)
    unit_cost: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    price_basis: str = Field(default=PriceBasis.MARKUP.value, max_length=20)
    markup_pct: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    unit_price: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    margin_pct: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    supplier_id: uuid.UUID | None = Field(default=None, foreign_key="supplier.id")
    role_id: uuid.UUID | None = Field(default=None, foreign_key="role.id")
    description: str = Field(default="", max_length=500)  # internal: a line's description
    notes: str = Field(default="")
    # A kit ("LED wall 10 × 15 kit") adds its components (KitComponent rows) as lines linked to
    # the kit's line; the client reads the kit as one line, or its components when this says so.
    is_kit: bool = Field(default=False)
    kit_shows_components: bool = Field(default=False)
