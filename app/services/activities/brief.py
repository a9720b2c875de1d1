"""The project's brief: what the AM gathered from the client, read by the PM beside the estimate.

Goals, audience, venue notes, dates, the budget the client mentioned (exact money, read by the
app's number parser: “45,000”, “$45k”), must-haves and competitors. :func:`save_brief` parses every
field first (a clear one-line message, nothing written), then writes them in one short transaction
with the project's optimistic version check: someone else's change of the project in between
raises ``EditConflict`` and nothing is written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import Project
from app.services.money import format_money
from app.services.storage.database import Database
from app.services.storage.versioned import update_versioned
from app.services.values import InputError, parse_decimal, parse_text

PROJECT_T = Project.__table__  # type: ignore[attr-defined]
TEXT_LENGTH = 4000
# (column, label): the brief's text fields, in the order the editor and the dock show them.
TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("brief_goals", "Goals"),
    ("brief_audience", "Audience"),
    ("brief_venue_notes", "Venue notes"),
    ("brief_dates", "Dates"),
    ("brief_must_haves", "Must-haves"),
    ("brief_competitors", "Competitors"),
)
BUDGET = "brief_budget"
BUDGET_LABEL = "Budget the client mentioned"
COLUMNS = (*(key for key, _label in TEXT_FIELDS), BUDGET)


@dataclass(frozen=True, slots=True)
class Brief:
    project_id: uuid.UUID
    project_name: str
    version: int  # the project's: what a save checks against
    values: dict[str, Any]  # column → text, or the budget's Decimal | None

    def is_empty(self) -> bool:
        return all(not self.values.get(key) for key, _ in TEXT_FIELDS) and self.values.get(BUDGET) is None


def parse_budget(value: Any) -> Decimal | None:
    if value is None:
        return None
    return parse_decimal(value, BUDGET_LABEL, places=2, allow_empty=True, shorthand=True)


def budget_text(value: Decimal | None, currency: str = "") -> str:
    return "" if value is None else format_money(value, currency)


def parse_brief(values: dict[str, Any]) -> dict[str, Any]:
    """Every field of a brief as it would be stored, or InputError naming the first one refused."""
    parsed: dict[str, Any] = {}
    for key, label in TEXT_FIELDS:
        parsed[key] = parse_text(values.get(key, ""), label, max_length=TEXT_LENGTH, multiline=True)
    parsed[BUDGET] = parse_budget(values.get(BUDGET))
    return parsed


def read_brief(conn: Connection, project_id: uuid.UUID) -> Brief:
    row = conn.execute(
        select(PROJECT_T.c.name, PROJECT_T.c.version, *(PROJECT_T.c[c] for c in COLUMNS)).where(
            PROJECT_T.c.id == project_id, PROJECT_T.c.deleted_at.is_(None)
        )
    ).first()
    if row is None:
        raise InputError("That project no longer exists; someone may have deleted it.")
    values = {c: row._mapping[c] if c == BUDGET else str(row._mapping[c] or "") for c in COLUMNS}
    return Brief(project_id, str(row.name), int(row.version), values)


def load_brief(db: Database, project_id: uuid.UUID) -> Brief:
    with db.read() as conn:
        return read_brief(conn, project_id)


def save_brief(db: Database, project_id: uuid.UUID, version: int, values: dict[str, Any]) -> int:
    """Write the brief (every field parsed first) if the project is still at ``version``; the new
    version. InputError (nothing written) for a refused field; EditConflict when it changed."""
    parsed = parse_brief(values)
    with db.write() as conn:
        update_versioned(conn, PROJECT_T, project_id, version, parsed)
    return version + 1
