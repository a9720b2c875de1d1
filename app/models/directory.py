"""Who the work is for: the company itself, clients, their contacts and projects."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel import Field

from app.models.base import Record
from app.models.enums import ProjectStatus
from app.models.types import ExactDecimal


class Company(Record, table=True):
    """The production company using this database (one row)."""

    name: str = Field(max_length=200)
    currency: str = Field(default="USD", max_length=3)
    default_tax_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    quote_terms: str = Field(default="")


class Client(Record, table=True):
    name: str = Field(max_length=200, index=True)
    notes: str = Field(default="")


class Contact(Record, table=True):
    client_id: uuid.UUID = Field(foreign_key="client.id", index=True)
    name: str = Field(max_length=200)
    title: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)


class Project(Record, table=True):
    client_id: uuid.UUID = Field(foreign_key="client.id", index=True)
    name: str = Field(max_length=200)
    venue: str = Field(default="", max_length=200)
    start_date: date | None = None
    end_date: date | None = None
    status: str = Field(default=ProjectStatus.LEAD.value, max_length=20)
    account_manager: str = Field(default="", max_length=100)
    project_manager: str = Field(default="", max_length=100)
    labour_rule_set_id: uuid.UUID | None = Field(default=None, foreign_key="labourruleset.id")
