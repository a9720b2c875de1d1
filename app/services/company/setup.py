"""Setting up a new database for a company: its settings and a small starter set to adapt.

The starter set is what every live-event company has in some form — a few crew roles at
common rates, one labour rule set of the usual shape, catalog categories and reasons a job
is lost, three project types with their milestone templates (exhibit booth, conference, concert) —
so a new database can price a crew call from its first minute. Every row of it is
ordinary data: the user edits or deletes it like anything they made.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import SQLModel

from app.models import CatalogCategory, Company, LabourRuleSet, LostReason, Role
from app.services.company.settings import COMPANY, COMPANY_T, parse_all
from app.services.schedule.templates import starter_records
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.services.values import InputError

# (name, hourly cost, hourly bill): what a crew member is paid and what the client is charged.
STARTER_ROLES: tuple[tuple[str, str, str], ...] = (
    ("Stagehand", "45.00", "75.00"),
    ("Rigger", "60.00", "100.00"),
    ("A1 audio", "55.00", "95.00"),
    ("LED technician", "50.00", "90.00"),
    ("Lighting technician", "50.00", "90.00"),
    ("Crew chief", "60.00", "105.00"),
)
# Named so that nobody takes it for their local's terms without looking.
STARTER_RULE_SET: dict[str, Any] = {
    "name": "Standard crew terms (adapt to your local)",
    "min_call_hours": Decimal(4),
    "overtime_after_hours": Decimal(8),
    "overtime_multiplier": Decimal("1.5"),
    "double_time_after_hours": Decimal(12),
    "double_time_multiplier": Decimal(2),
}
STARTER_CATEGORIES = ("Audio", "Video", "Lighting", "Rigging", "Staging", "Labour", "Freight")
STARTER_LOST_REASONS = ("Price", "Went with another vendor", "Event cancelled", "No decision")


class AlreadySetUp(StorageError):
    """The database already holds a company: setting up again would give it two."""


def _insert(conn: Any, record: SQLModel) -> None:
    table = type(record).__table__  # type: ignore[attr-defined]
    conn.execute(table.insert().values(**{c.name: getattr(record, c.name) for c in table.columns}))


def set_up_company(db: Database, values: dict[str, Any]) -> None:
    """Write the Company row from ``values`` (each field parsed) and the starter set, in one transaction.

    Raises InputError (nothing written) for a value that cannot be used — the first refused
    field's message — and :class:`AlreadySetUp` when the database already holds a company.
    """
    unknown = [k for k in values if k not in COMPANY.field_by_key]
    if unknown:
        raise InputError(f"{unknown[0]} is not a company setting.")
    good, refused = parse_all({"name": "", **values})
    if refused:
        raise InputError(next(iter(refused.values())))
    with db.write() as conn:
        if conn.dialect.name == "postgresql":  # two set-ups at once: the second waits, then sees the first
            conn.exec_driver_sql("LOCK TABLE company IN SHARE ROW EXCLUSIVE MODE")
        taken = conn.execute(select(COMPANY_T.c.name).where(COMPANY_T.c.deleted_at.is_(None)).limit(1)
                             ).scalar()
        if taken is not None:
            raise AlreadySetUp(f"{db.display_name} is already set up for {taken}; "
                               "a new company needs a new database (File › New database…).")
        _insert(conn, Company(**good))
        for name, cost, bill in STARTER_ROLES:
            _insert(conn, Role(name=name, cost_rate=Decimal(cost), bill_rate=Decimal(bill)))
        _insert(conn, LabourRuleSet(**STARTER_RULE_SET))
        for position, name in enumerate(STARTER_CATEGORIES):
            _insert(conn, CatalogCategory(name=name, position=position))
        for position, name in enumerate(STARTER_LOST_REASONS):
            _insert(conn, LostReason(name=name, position=position))
        for record in starter_records():
            _insert(conn, record)
