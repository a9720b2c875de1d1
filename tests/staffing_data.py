"""Hand-built crew data for the capacity and staffing tests: roles, people, calls and assignments."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select, update

from app.models import (
    CrewAssignment,
    CrewMember,
    CrewRole,
    CrewUnavailability,
    Estimate,
    LineItem,
    Project,
    Role,
    Section,
)
from app.services.storage.database import Database
from tests.factories import _record, make_project


def add_role(db: Database, name: str) -> uuid.UUID:
    row = _record(name=name, cost_rate=Decimal(50), bill_rate=Decimal(80),
                  day_cost_rate=None, day_bill_rate=None)
    with db.write() as conn:
        conn.execute(Role.__table__.insert(), [row])  # type: ignore[attr-defined]
    return row["id"]  # type: ignore[no-any-return]


def add_crew(db: Database, name: str, roles: list[uuid.UUID], away: list[date] = ()) -> uuid.UUID:  # type: ignore[assignment]
    member = _record(name=name, kind="freelance", email="", phone="", max_weekly_hours=None, notes="")
    with db.write() as conn:
        conn.execute(CrewMember.__table__.insert(), [member])  # type: ignore[attr-defined]
        conn.execute(CrewRole.__table__.insert(), [  # type: ignore[attr-defined]
            _record(crew_member_id=member["id"], role_id=r, cost_rate_override=None) for r in roles])
        if away:
            conn.execute(CrewUnavailability.__table__.insert(), [  # type: ignore[attr-defined]
                _record(crew_member_id=member["id"], day=d, reason="") for d in away])
    return member["id"]  # type: ignore[no-any-return]


def add_project(db: Database, name: str, status: str, start: date | None = None,
                end: date | None = None) -> uuid.UUID:
    project_id = make_project(db, project_name=name, client_name=f"{name} client")
    with db.write() as conn:
        conn.execute(update(Project.__table__)  # type: ignore[attr-defined]
                     .where(Project.__table__.c.id == project_id)  # type: ignore[attr-defined]
                     .values(status=status, start_date=start, end_date=end))
    return project_id


def add_estimate(db: Database, project_id: uuid.UUID, name: str = "Scenario",
                 position: int = 0) -> tuple[uuid.UUID, uuid.UUID]:
    """An estimate with one "Labour" section; returns (estimate id, section id)."""
    estimate = _record(project_id=project_id, name=name, position=position, notes="",
                       target_margin_pct=Decimal(0), contingency_pct=Decimal(0),
                       discount_pct=Decimal(0), tax_pct=Decimal(0))
    section = _record(estimate_id=estimate["id"], position=0, name="Labour", client_description="")
    with db.write() as conn:
        conn.execute(Estimate.__table__.insert(), [estimate])  # type: ignore[attr-defined]
        conn.execute(Section.__table__.insert(), [section])  # type: ignore[attr-defined]
    return estimate["id"], section["id"]


def add_call(db: Database, section_id: uuid.UUID, role_id: uuid.UUID | None, people: int,
             day: date | None, *, days: int = 1, hours: str | None = "10",
             start: time | None = None, end: time | None = None, phase: str = "",
             description: str = "Crew call") -> uuid.UUID:
    with db.read() as conn:
        position = len(conn.execute(
            select(LineItem.__table__.c.id)  # type: ignore[attr-defined]
            .where(LineItem.__table__.c.section_id == section_id)).all())  # type: ignore[attr-defined]
    line: dict[str, Any] = LineItem(
        section_id=section_id, position=position, kind="labour", description=description,
        unit="person", quantity=Decimal(people), days=Decimal(days),
        hours=Decimal(hours) if hours is not None else None, unit_cost=Decimal(50),
        price_basis="unit_price", unit_price=Decimal(80), role_id=role_id, phase=phase,
        call_date=day, start_time=start, end_time=end,
    ).model_dump()
    with db.write() as conn:
        conn.execute(LineItem.__table__.insert(), [line])  # type: ignore[attr-defined]
    return line["id"]  # type: ignore[no-any-return]


def assign(db: Database, crew_id: uuid.UUID, project_id: uuid.UUID, line_id: uuid.UUID | None,
           starts_at: datetime, ends_at: datetime, role_id: uuid.UUID | None = None,
           status: str = "tentative") -> uuid.UUID:
    row = _record(crew_member_id=crew_id, project_id=project_id, line_item_id=line_id, role_id=role_id,
                  starts_at=starts_at, ends_at=ends_at, status=status, notes="")
    # Through a plain table: starts_at/ends_at are naive venue-local times, whatever type the model maps.
    columns = [sa.column(c.name, sa.DateTime() if c.name in {"starts_at", "ends_at"} else c.type)
               for c in CrewAssignment.__table__.columns]  # type: ignore[attr-defined]
    with db.write() as conn:
        conn.execute(sa.table("crewassignment", *columns).insert(), [row])
    return row["id"]  # type: ignore[no-any-return]
