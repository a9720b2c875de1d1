"""Reference data an estimate prices against: suppliers, roles, labour rule sets, catalog."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import CatalogItem, Company, LabourHoliday, LabourRuleSet, Role, Supplier
from app.models.enums import LineKind, PriceBasis
from app.services.labour.pay import LabourRules


@dataclass(frozen=True, slots=True)
class RoleInfo:
    id: uuid.UUID
    name: str
    cost_rate: Decimal
    bill_rate: Decimal
    # Flat rates per person per day, used by a labour line in unit "day" (None: hourly only).
    day_cost_rate: Decimal | None = None
    day_bill_rate: Decimal | None = None

    @property
    def has_day_rates(self) -> bool:
        return self.day_cost_rate is not None and self.day_bill_rate is not None


@dataclass(frozen=True, slots=True)
class SupplierInfo:
    id: uuid.UUID
    name: str
    lead_time_days: int
    weekdays_only: bool = False  # its lead time counts working days (app.services.supply.timing)


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    id: uuid.UUID
    name: str
    category: str
    kind: LineKind
    client_description: str
    unit: str
    unit_cost: Decimal
    price_basis: PriceBasis
    markup_pct: Decimal | None
    unit_price: Decimal | None
    margin_pct: Decimal | None
    supplier_id: uuid.UUID | None
    role_id: uuid.UUID | None
    description: str = ""  # internal: what a line made from it is called by the team (else its name)
    is_kit: bool = False  # a kit: adding it adds its components too (app.services.catalog.kits)
    kit_shows_components: bool = False  # the client reads the kit's components, else one line


@dataclass(frozen=True, slots=True)
class Lookups:
    suppliers: dict[uuid.UUID, SupplierInfo]
    roles: dict[uuid.UUID, RoleInfo]
    rule_sets: dict[uuid.UUID, LabourRules]


def load_lookups(conn: Connection) -> Lookups:
    """Four small queries, whatever the size of the estimate."""
    s, r, lr = Supplier.__table__, Role.__table__, LabourRuleSet.__table__  # type: ignore[attr-defined]
    suppliers = {
        row.id: SupplierInfo(row.id, row.name, row.lead_time_days, bool(row.weekdays_only))
        for row in conn.execute(
            select(s.c.id, s.c.name, s.c.lead_time_days, s.c.weekdays_only)
            .where(s.c.deleted_at.is_(None))
            .order_by(s.c.name)
        )
    }
    roles = {
        row.id: RoleInfo(row.id, row.name, row.cost_rate, row.bill_rate,
                         row.day_cost_rate, row.day_bill_rate)
        for row in conn.execute(
            select(r.c.id, r.c.name, r.c.cost_rate, r.c.bill_rate, r.c.day_cost_rate, r.c.day_bill_rate)
            .where(r.c.deleted_at.is_(None))
            .order_by(r.c.name)
        )
    }
    hol = LabourHoliday.__table__  # type: ignore[attr-defined]
    holidays: dict[uuid.UUID, set[date]] = {}
    for rule_set_id, day in conn.execute(
        select(hol.c.rule_set_id, hol.c.day).where(hol.c.deleted_at.is_(None))
    ):
        holidays.setdefault(rule_set_id, set()).add(day)
    rule_sets = {
        row.id: rules_from_row(row, holidays.get(row.id, ()))
        for row in conn.execute(select(lr).where(lr.c.deleted_at.is_(None)).order_by(lr.c.name))
    }
    return Lookups(suppliers, roles, rule_sets)


def default_markup(conn: Connection) -> Decimal:
    """The company's default markup %: what a new catalog item and a hand-added line start at."""
    company = Company.__table__  # type: ignore[attr-defined]
    markup = conn.execute(
        select(company.c.default_markup_pct).where(company.c.deleted_at.is_(None)).limit(1)
    ).scalar()
    return Decimal(markup) if markup is not None else Decimal(0)


def rules_from_row(row: Any, holidays: Iterable[date] = ()) -> LabourRules:
    """A LabourRuleSet row (or record) and its holidays as the pure rules pricing uses."""
    return LabourRules(
        name=row.name,
        min_call_hours=row.min_call_hours,
        overtime_after_hours=row.overtime_after_hours,
        overtime_multiplier=row.overtime_multiplier,
        double_time_after_hours=row.double_time_after_hours,
        double_time_multiplier=row.double_time_multiplier,
        weekly_overtime_after_hours=row.weekly_overtime_after_hours,
        weekend_multiplier=row.weekend_multiplier,
        holiday_multiplier=row.holiday_multiplier,
        meal_break_after_hours=row.meal_break_after_hours,
        meal_break_minutes=row.meal_break_minutes,
        min_turnaround_hours=row.min_turnaround_hours,
        holidays=frozenset(holidays),
    )


def catalog_entry(row: Any) -> CatalogEntry:
    """A catalog item's row (its columns as attributes) as a CatalogEntry."""
    return CatalogEntry(
        id=row.id,
        name=row.name,
        category=row.category,
        kind=LineKind(row.kind),
        client_description=row.client_description,
        unit=row.unit,
        unit_cost=row.unit_cost,
        price_basis=PriceBasis(row.price_basis),
        markup_pct=row.markup_pct,
        unit_price=row.unit_price,
        margin_pct=row.margin_pct,
        supplier_id=row.supplier_id,
        role_id=row.role_id,
        description=row.description,
        is_kit=bool(row.is_kit),
        kit_shows_components=bool(row.kit_shows_components),
    )


def load_catalog(conn: Connection) -> list[CatalogEntry]:
    c = CatalogItem.__table__  # type: ignore[attr-defined]
    rows = conn.execute(
        select(c).where(c.c.deleted_at.is_(None)).order_by(c.c.category, c.c.name)
    )
    return [catalog_entry(row) for row in rows]
