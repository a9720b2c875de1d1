"""Who the work is for: the company itself, clients, their contacts and projects."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Text
from sqlmodel import Field

from app.models.base import Record
from app.models.enums import ProjectStatus
from app.models.types import ExactDecimal


class Company(Record, table=True):
    """The production company using this database (one row): who quotes, and its defaults.

    It lives in the database, so it travels with a shared file, an offline copy and a
    PostgreSQL server; a database without this row has not been set up yet.
    """

    name: str = Field(max_length=200)
    currency: str = Field(default="USD", max_length=3)
    default_tax_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    quote_terms: str = Field(default="")
    address: str = Field(default="")
    phone: str = Field(default="", max_length=50)
    email: str = Field(default="", max_length=200)
    # The logo as base64 text of a PNG or JPEG file (text travels through every backend,
    # offline copy and merge unchanged; the settings refuse files over 1 MB).
    logo: str = Field(default="", sa_type=Text)
    tax_label: str = Field(default="Tax", max_length=40)
    # What a new estimate and a new catalog line start from.
    default_markup_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    target_margin_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    margin_floor_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    contingency_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    # "Q{year}-{seq:04}": the number a quote gets when it is first sent.
    quote_number_pattern: str = Field(default="Q{year}-{seq:04}", max_length=60)
    quote_validity_days: int = Field(default=30)


class Client(Record, table=True):
    name: str = Field(max_length=200, index=True)
    notes: str = Field(default="")
    billing_address: str = Field(default="")
    industry: str = Field(default="", max_length=100)


class Contact(Record, table=True):
    client_id: uuid.UUID = Field(foreign_key="client.id", index=True)
    name: str = Field(max_length=200)
    title: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)
    # The one the quote is addressed to (one per client).
    is_main: bool = Field(default=False)


class LostReason(Record, table=True):
    """Why a project was lost: an editable list the Lost status picks from."""

    name: str = Field(max_length=100)
    position: int = Field(default=0)


class Project(Record, table=True):
    """A job for a client. Its dates: load-in (``start_date``), the show days, strike (``end_date``)."""

    client_id: uuid.UUID = Field(foreign_key="client.id", index=True)
    name: str = Field(max_length=200)
    venue: str = Field(default="", max_length=200)
    start_date: date | None = None
    end_date: date | None = None
    show_start_date: date | None = None
    show_end_date: date | None = None
    status: str = Field(default=ProjectStatus.LEAD.value, max_length=20)
    account_manager: str = Field(default="", max_length=100)
    project_manager: str = Field(default="", max_length=100)
    labour_rule_set_id: uuid.UUID | None = Field(default=None, foreign_key="labourruleset.id")
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contact.id")
    notes: str = Field(default="")
    lost_reason: str = Field(default="", max_length=200)
    # The scenario the client chose (Mark won): staffing and capacity follow it. No foreign
    # key (an estimate belongs to its project, so one would make a cycle the merge cannot
    # order); a choice that names no live estimate of the project counts as none.
    chosen_estimate_id: uuid.UUID | None = None
    # Exhibit booth, conference, concert: the template its milestones start from.
    project_type_id: uuid.UUID | None = Field(default=None, foreign_key="projecttype.id")
    # The pipeline: this project's own win probability (None: its stage's, PipelineStage) and
    # when the client is expected to decide.
    win_probability_pct: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    decision_date: date | None = None
    # The brief the AM fills and the PM reads beside the estimate.
    brief_goals: str = Field(default="", sa_type=Text)
    brief_audience: str = Field(default="", sa_type=Text)
    brief_venue_notes: str = Field(default="", sa_type=Text)
    brief_dates: str = Field(default="", sa_type=Text)
    brief_budget: Decimal | None = Field(default=None, sa_type=ExactDecimal)  # what the client mentioned
    brief_must_haves: str = Field(default="", sa_type=Text)
    brief_competitors: str = Field(default="", sa_type=Text)
