"""Crew members: who they are, the roles they fill (with personal cost rates), unavailable days.

Plain CRUD: each function validates first and raises :class:`~app.services.values.InputError`
with a message to show, and writes in one short transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import (
    CrewMember,
    CrewRole,
    CrewUnavailability,
    Role,
)
from app.models.enums import CrewKind
from app.models.types import utcnow
from app.services.crew.records import CrewInfo
from app.services.lookups import RoleInfo
from app.services.storage.database import Database
from app.services.storage.versioned import ConcurrentEditError, update_versioned
from app.services.values import InputError, parse_decimal, parse_text

MEMBER_T = CrewMember.__table__  # type: ignore[attr-defined]
CREW_ROLE_T = CrewRole.__table__  # type: ignore[attr-defined]
UNAVAILABLE_T = CrewUnavailability.__table__  # type: ignore[attr-defined]
ROLE_T = Role.__table__  # type: ignore[attr-defined]

_MEMBER_LIMITS = {"name": 200, "email": 200, "phone": 50, "notes": 10_000}


def load_crew(db: Database) -> dict[uuid.UUID, CrewInfo]:
    """Every crew member, by name, with roles and all unavailable days (three queries)."""
    with db.read() as conn:
        return read_crew(conn)


def parse_member_fields(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate crew member fields as typed; raise InputError naming the first bad one."""
    parsed: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "name":
            parsed[key] = parse_text(value, "Name", max_length=200, required=True)
        elif key in _MEMBER_LIMITS:
            parsed[key] = parse_text(value, key.capitalize(), max_length=_MEMBER_LIMITS[key],
                                     multiline=key == "notes")
        elif key == "kind":
            try:
                parsed[key] = CrewKind(str(value).strip().lower()).value
            except ValueError:
                raise InputError("Kind must be staff, freelance or union.") from None
        elif key == "max_weekly_hours":
            parsed[key] = parse_decimal("" if value is None else value, "Maximum weekly hours",
                                        minimum=Decimal(1), maximum=Decimal(168), places=2, allow_empty=True)
        else:
            raise InputError(f"A crew member has no field {key!r}.")
    return parsed


def add_crew_member(db: Database, name: str, kind: CrewKind | str = CrewKind.FREELANCE,
                    max_weekly_hours: Decimal | str | None = None, **fields: Any) -> uuid.UUID:
    values = parse_member_fields({"name": name, "kind": kind, "max_weekly_hours": max_weekly_hours, **fields})
    member = CrewMember(**values)
    with db.write() as conn:
        insert_record(conn, MEMBER_T, member)
    return member.id


def update_crew_member(db: Database, member_id: uuid.UUID, version: int, **changes: Any) -> int:
    """Change a member's fields if nobody else did since ``version``; return the new version."""
    values = parse_member_fields(changes)
    with db.write() as conn:
        update_versioned(conn, MEMBER_T, member_id, version, values)
    return version + 1


def delete_crew_member(db: Database, member_id: uuid.UUID, version: int) -> None:
    """Tombstone a member; their assignments stay (and show on no board)."""
    with db.write() as conn:
        update_versioned(conn, MEMBER_T, member_id, version, {"deleted_at": utcnow()})


def restore_crew_member(db: Database, member_id: uuid.UUID) -> None:
    """Bring a deleted crew member back (the undo of a delete)."""
    with db.write() as conn:
        row = conn.execute(select(MEMBER_T.c.version).where(MEMBER_T.c.id == member_id)).first()
        if row is None:
            raise InputError("That crew member no longer exists.")
        update_versioned(conn, MEMBER_T, member_id, row.version, {"deleted_at": None})


def set_crew_role(db: Database, member_id: uuid.UUID, role_id: uuid.UUID,
                  cost_rate_override: Decimal | str | None = None) -> None:
    """Let a member fill a role, optionally at a personal cost rate (set again to change it)."""
    rate = parse_decimal("" if cost_rate_override is None else cost_rate_override, "Personal cost rate",
                         places=2, allow_empty=True, shorthand=True)
    with db.write() as conn:
        _require(conn, MEMBER_T, member_id, "That crew member no longer exists.")
        _require(conn, ROLE_T, role_id, "That role no longer exists.")
        existing = conn.execute(
            select(CREW_ROLE_T.c.id, CREW_ROLE_T.c.version).where(
                CREW_ROLE_T.c.crew_member_id == member_id, CREW_ROLE_T.c.role_id == role_id)
        ).first()
        if existing is None:
            row = CrewRole(crew_member_id=member_id, role_id=role_id, cost_rate_override=rate)
            insert_record(conn, CREW_ROLE_T, row)
        else:
            update_versioned(conn, CREW_ROLE_T, existing.id, existing.version,
                                         {"cost_rate_override": rate, "deleted_at": None})


def remove_crew_role(db: Database, member_id: uuid.UUID, role_id: uuid.UUID) -> None:
    with db.write() as conn:
        existing = conn.execute(
            select(CREW_ROLE_T.c.id, CREW_ROLE_T.c.version).where(
                CREW_ROLE_T.c.crew_member_id == member_id, CREW_ROLE_T.c.role_id == role_id,
                CREW_ROLE_T.c.deleted_at.is_(None))
        ).first()
        if existing is not None:
            update_versioned(conn, CREW_ROLE_T, existing.id, existing.version,
                                         {"deleted_at": utcnow()})


def set_unavailable(db: Database, member_id: uuid.UUID, day: date, unavailable: bool = True,
                    reason: str = "") -> None:
    """Mark a day unavailable (or available again) for a member."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise InputError("An unavailable day must be a date.")
    reason = parse_text(reason, "Reason", max_length=200)
    with db.write() as conn:
        _require(conn, MEMBER_T, member_id, "That crew member no longer exists.")
        existing = conn.execute(
            select(UNAVAILABLE_T.c.id, UNAVAILABLE_T.c.version, UNAVAILABLE_T.c.deleted_at).where(
                UNAVAILABLE_T.c.crew_member_id == member_id, UNAVAILABLE_T.c.day == day)
        ).all()
        live = [r for r in existing if r.deleted_at is None]
        if unavailable and not live:
            unavailable_row = CrewUnavailability(crew_member_id=member_id, day=day, reason=reason)
            insert_record(conn, UNAVAILABLE_T, unavailable_row)
        elif unavailable:
            update_versioned(conn, UNAVAILABLE_T, live[0].id, live[0].version, {"reason": reason})
        else:
            for r in live:
                update_versioned(conn, UNAVAILABLE_T, r.id, r.version, {"deleted_at": utcnow()})


def read_roles(conn: Connection) -> dict[uuid.UUID, RoleInfo]:
    return {
        row.id: RoleInfo(row.id, row.name, row.cost_rate, row.bill_rate)
        for row in conn.execute(
            select(ROLE_T.c.id, ROLE_T.c.name, ROLE_T.c.cost_rate, ROLE_T.c.bill_rate)
            .where(ROLE_T.c.deleted_at.is_(None))
            .order_by(ROLE_T.c.name)
        )
    }


def read_crew(conn: Connection, first: date | None = None,
               after: date | None = None) -> dict[uuid.UUID, CrewInfo]:
    """Crew members with their roles and unavailable days (in ``first``..before ``after``, if given):
    three queries."""
    members = conn.execute(
        select(MEMBER_T.c.id, MEMBER_T.c.name, MEMBER_T.c.kind, MEMBER_T.c.max_weekly_hours,
               MEMBER_T.c.version)
        .where(MEMBER_T.c.deleted_at.is_(None))
        .order_by(MEMBER_T.c.name)
    ).all()
    roles: dict[uuid.UUID, dict[uuid.UUID, Decimal | None]] = defaultdict(dict)
    for row in conn.execute(
        select(CREW_ROLE_T.c.crew_member_id, CREW_ROLE_T.c.role_id, CREW_ROLE_T.c.cost_rate_override)
        .join(ROLE_T, CREW_ROLE_T.c.role_id == ROLE_T.c.id)
        .where(CREW_ROLE_T.c.deleted_at.is_(None), ROLE_T.c.deleted_at.is_(None))
    ):
        roles[row.crew_member_id][row.role_id] = row.cost_rate_override
    days_query = select(UNAVAILABLE_T.c.crew_member_id, UNAVAILABLE_T.c.day).where(
        UNAVAILABLE_T.c.deleted_at.is_(None))
    if first is not None and after is not None:
        days_query = days_query.where(UNAVAILABLE_T.c.day >= first, UNAVAILABLE_T.c.day < after)
    days: dict[uuid.UUID, set[date]] = defaultdict(set)
    for row in conn.execute(days_query):
        days[row.crew_member_id].add(row.day)
    return {
        m.id: CrewInfo(
            id=m.id, name=m.name, kind=CrewKind(m.kind), role_ids=frozenset(roles.get(m.id, ())),
            cost_rate_overrides={r: v for r, v in roles.get(m.id, {}).items() if v is not None},
            max_weekly_hours=m.max_weekly_hours, unavailable=frozenset(days.get(m.id, ())),
            version=m.version,
        )
        for m in members
    }


def insert_record(conn: Connection, table: Any, record: Any) -> None:
    conn.execute(table.insert().values(**{c.name: getattr(record, c.name) for c in table.columns}))


def _require(conn: Connection, table: Any, row_id: uuid.UUID, message: str) -> None:
    found = conn.execute(select(table.c.id).where(table.c.id == row_id, table.c.deleted_at.is_(None))).first()
    if found is None:
        raise ConcurrentEditError(message)

