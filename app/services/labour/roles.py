"""Editing crew roles: name, hourly cost and bill rates, optional day rates — one field at a time.

Each edit is parsed first (an :class:`InputError` changes nothing), then written in one
short transaction with an optimistic version check (someone else's change in between
raises :class:`EditConflict`). Deleting tombstones the role; restoring undoes that.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.models import Role
from app.models.types import utcnow
from app.services.storage.database import Database
from app.services.storage.versioned import update_versioned
from app.services.values import InputError, parse_decimal, parse_text

ROLE_T = Role.__table__  # type: ignore[attr-defined]
_MAX_RATE = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class RoleField:
    key: str
    title: str
    parse: Callable[[Any], Any]


def _rate(label: str, optional: bool) -> Callable[[Any], Any]:
    return lambda v: parse_decimal(v, label, places=2, allow_empty=optional, maximum=_MAX_RATE)


ROLE_FIELDS: tuple[RoleField, ...] = (
    RoleField("name", "Name", lambda v: parse_text(v, "Name", max_length=100, required=True)),
    RoleField("cost_rate", "Cost /h", _rate("Hourly cost rate", False)),
    RoleField("bill_rate", "Bill /h", _rate("Hourly bill rate", False)),
    RoleField("day_cost_rate", "Cost /day", _rate("Day cost rate", True)),
    RoleField("day_bill_rate", "Bill /day", _rate("Day bill rate", True)),
)
FIELD_BY_KEY = {f.key: f for f in ROLE_FIELDS}


@dataclass(slots=True)
class RoleRow:
    id: uuid.UUID
    version: int
    values: dict[str, Any]


def load_roles(db: Database) -> list[RoleRow]:
    """Every live role, by name."""
    with db.read() as conn:
        rows = conn.execute(select(ROLE_T).where(ROLE_T.c.deleted_at.is_(None)).order_by(ROLE_T.c.name))
        return [RoleRow(row.id, row.version, {f.key: getattr(row, f.key) for f in ROLE_FIELDS})
                for row in rows]


def parse_role_edit(key: str, value: Any) -> Any:
    field = FIELD_BY_KEY.get(key)
    if field is None:
        raise InputError(f"{key} cannot be edited.")
    return field.parse(value)


def save_role_edit(db: Database, row: RoleRow, key: str, value: Any) -> bool:
    """Validate and write one field of a role; False when nothing changed.

    Raises InputError (nothing written) or EditConflict (someone else changed the role).
    """
    parsed = parse_role_edit(key, value)
    if row.values.get(key) == parsed:
        return False
    with db.write() as conn:
        update_versioned(conn, ROLE_T, row.id, row.version, {key: parsed})
    row.values[key] = parsed
    row.version += 1
    return True


def rate_warning(values: dict[str, Any]) -> str:
    """A note when a bill rate is below its cost rate (allowed: a loss leader is a choice)."""
    notes = []
    for cost_key, bill_key, label in (("cost_rate", "bill_rate", "hourly"),
                                      ("day_cost_rate", "day_bill_rate", "day")):
        cost, bill = values.get(cost_key), values.get(bill_key)
        if cost is not None and bill is not None and bill < cost:
            notes.append(f"the {label} bill rate is below the {label} cost rate")
    if not notes:
        return ""
    return f"{values.get('name', 'This role')}: " + " and ".join(notes) + " (saved; every hour loses money)."


def add_role(db: Database, name: str, cost_rate: Any = "0", bill_rate: Any = "0") -> uuid.UUID:
    role = Role(name=parse_role_edit("name", name), cost_rate=parse_role_edit("cost_rate", cost_rate),
                bill_rate=parse_role_edit("bill_rate", bill_rate))
    with db.write() as conn:
        conn.execute(ROLE_T.insert().values(**{c.name: getattr(role, c.name) for c in ROLE_T.columns}))
    return role.id


def _version(db: Database, role_id: uuid.UUID) -> int:
    with db.read() as conn:
        row = conn.execute(select(ROLE_T.c.version).where(ROLE_T.c.id == role_id)).first()
    if row is None:
        raise InputError("That role no longer exists.")
    return int(row.version)


def delete_role(db: Database, role_id: uuid.UUID, version: int | None = None) -> None:
    """Tombstone a role; lines and crew that name it keep their rates (the role is just gone from lists)."""
    version = _version(db, role_id) if version is None else version
    with db.write() as conn:
        update_versioned(conn, ROLE_T, role_id, version, {"deleted_at": utcnow()})


def restore_role(db: Database, role_id: uuid.UUID) -> None:
    """Bring a deleted role back (the undo of a delete or of an add)."""
    version = _version(db, role_id)
    with db.write() as conn:
        update_versioned(conn, ROLE_T, role_id, version, {"deleted_at": None})


def format_role_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)
