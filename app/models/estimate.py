"""An estimate (one scenario of a project), its sections and its line items."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Text
from sqlmodel import Field

from app.models.base import Record
from app.models.enums import LineKind, PriceBasis
from app.models.types import ExactDecimal, UTCDateTime


class Estimate(Record, table=True):
    project_id: uuid.UUID = Field(foreign_key="project.id", index=True)
    name: str = Field(max_length=200)
    position: int = Field(default=0)
    notes: str = Field(default="")
    target_margin_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    contingency_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    discount_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    tax_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    # Below this margin (% of the net price) the AM is warned before the quote goes out.
    margin_floor_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    # A scenario made by duplicating another estimate ("Half booth" from "Full booth").
    based_on_id: uuid.UUID | None = Field(default=None, foreign_key="estimate.id")
    # Given when the first revision is sent ("Q2027-0001"); revisions count on from there.
    quote_number: str = Field(default="", max_length=40)
    # The client quote: contingency as a line of its own (else folded into the line prices), and
    # the budget range printed under the total. A new estimate shows neither; an estimate from
    # before schema 0006 keeps both (its quotes print as they were sent).
    show_contingency_line: bool = Field(default=False)
    show_budget_range: bool = Field(default=False)


class EstimateParameter(Record, table=True):
    """A named value of an estimate (``screen_length_ft = 160``) that formulas use.

    With a ``formula`` the value is derived from other parameters and ``value``
    holds the last result.
    """

    estimate_id: uuid.UUID = Field(foreign_key="estimate.id", index=True)
    position: int = Field(default=0)
    name: str = Field(max_length=64)
    value: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    formula: str = Field(default="", max_length=500)
    unit: str = Field(default="", max_length=20)
    description: str = Field(default="", max_length=200)


class QuoteRevision(Record, table=True):
    """A quote as it was sent: a numbered, frozen snapshot of an estimate's lines and totals.

    ``snapshot`` is JSON (money as exact text); it is never changed after it is written.
    """

    estimate_id: uuid.UUID = Field(foreign_key="estimate.id", index=True)
    number: int
    sent_at: datetime = Field(sa_type=UTCDateTime)
    sent_by: str = Field(default="", max_length=200)
    note: str = Field(default="")
    total: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    snapshot: str = Field(default="{}", sa_type=Text)


class Section(Record, table=True):
    estimate_id: uuid.UUID = Field(foreign_key="estimate.id", index=True)
    position: int = Field(default=0)
    name: str = Field(max_length=200)
    client_description: str = Field(default="")
    # An optional section is an add-on as a whole: priced, left out of the total.
    optional: bool = Field(default=False)
    # A budget range for the section's lines that carry none of their own: −low % … +high %.
    range_low_pct: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    range_high_pct: Decimal | None = Field(default=None, sa_type=ExactDecimal)


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
    # Formulas of the estimate's parameters ("ceil(screen_length_ft / 10)"); when set,
    # ``quantity``/``days`` hold the last result, recalculated when a parameter changes.
    quantity_formula: str = Field(default="", max_length=500)
    days_formula: str = Field(default="", max_length=500)
    # A budget range on the line's price: −low % … +high %, or low … high amounts.
    range_low_pct: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    range_high_pct: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    range_low: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    range_high: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    # Lines sharing a group name are alternatives: exactly one counts (the chosen one).
    alternative_group: str = Field(default="", max_length=100)
    alternative_chosen: bool = Field(default=False)
    # A component line of a kit: the kit's line (its quantity is ``kit`` in this line's formulas).
    # The client reads it folded into the kit's line unless that line ``shows_components``.
    # No foreign key (like Project.chosen_estimate_id): a link naming no live line counts as none.
    kit_line_id: uuid.UUID | None = None
    shows_components: bool = Field(default=False)
    # The sub-rental of another line's shortage: the client reads the two as one item.
    subrental_of_id: uuid.UUID | None = None
    # The supplier quote item whose cost this line follows (its unit cost holds the last value,
    # at the line's quantity); LineQuoteCandidate rows keep the others it was compared with.
    supplier_quote_item_id: uuid.UUID | None = Field(default=None, foreign_key="supplierquoteitem.id")
