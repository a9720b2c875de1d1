"""A project's details — client and contact, name, venue, the four days, AM and PM, labour rule set,
its own win probability (blank: its pipeline stage's) and decision date, notes — edited one field
at a time as master data (parsed, version-checked, undoable).

The days keep their order (load-in ≤ show ≤ strike), checked on every save with a clear
message; the contact is always one of the project's client's: changing the client takes
the new client's main contact. The status is not a field here: it follows the lifecycle
(:mod:`app.services.projects.lifecycle`).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from app.models import LabourRuleSet, Project, ProjectType
from app.services.master_data import FieldSpec, RecordKind, format_value, text
from app.services.money import format_number
from app.services.projects.clients import CLIENT_T, CONTACT_T, client_choices, main_contact
from app.services.projects.dates import check_day_order
from app.services.storage.database import Database
from app.services.values import InputError, optional_id, parse_date, parse_decimal

PROJECT_T = Project.__table__  # type: ignore[attr-defined]
RULES_T = LabourRuleSet.__table__  # type: ignore[attr-defined]
TYPE_T = ProjectType.__table__  # type: ignore[attr-defined]


def parse_id(value: Any, label: str, *, required: bool = False) -> uuid.UUID | None:
    """A picked row's id (a UUID or its text); empty is none, unless ``required``."""
    if required and value in (None, ""):
        raise InputError(f"Pick the {label.lower()}.")
    return optional_id(label)(value)


def _day(label: str) -> Any:
    return lambda v: parse_date(v, label)


def _day_text(value: Any) -> str:
    """A day as a field shows it, and reads back unchanged: 8 Mar 2027."""
    return f"{value.day} {value:%b %Y}" if value is not None else ""


def _probability(value: Any) -> Decimal | None:
    return parse_decimal(value, "Win probability", maximum=Decimal(100), places=2, allow_empty=True)


def _probability_text(value: Any) -> str:
    """42.50 → "42.5": as typed, no float noise; blank for none (the stage's)."""
    return "" if value is None else format_number(value)


def _choices_of(table: Any, *order: str) -> Any:
    """The live rows of ``table`` to pick from, by ``order``, after “(none)”."""

    def choices(db: Database) -> list[tuple[Any, str]]:
        with db.read() as conn:
            rows = conn.execute(
                select(table.c.id, table.c.name)
                .where(table.c.deleted_at.is_(None))
                .order_by(*(table.c[key] for key in order), table.c.id)
            )
            return [(None, "(none)"), *((r.id, r.name) for r in rows)]

    return choices


_rule_set_choices = _choices_of(RULES_T, "name")


def _clients(db: Database) -> list[tuple[Any, str]]:
    with db.read() as conn:
        return list(client_choices(conn))


def _live(conn: Connection, table: Any, row_id: uuid.UUID | None) -> bool:
    return (
        row_id is None
        or conn.execute(select(table.c.id).where(table.c.id == row_id, table.c.deleted_at.is_(None))).first()
        is not None
    )


def _check(conn: Connection, values: dict[str, Any]) -> None:
    """The whole project as it would be stored: its days in order, its client and rule set live."""
    check_day_order(values)
    if values.get("client_id") is None:
        raise InputError("Pick the client the project is for.")
    if not _live(conn, CLIENT_T, values.get("client_id")):
        raise InputError("That client no longer exists.")
    if not _live(conn, RULES_T, values.get("labour_rule_set_id")):
        raise InputError("That labour rule set no longer exists.")
    if not _live(conn, TYPE_T, values.get("project_type_id")):
        raise InputError("That project type no longer exists.")


def _contact_of_client(conn: Connection, project_id: uuid.UUID) -> None:
    """The project's contact is one of its client's live contacts, else the client's main one."""
    row = conn.execute(
        select(PROJECT_T.c.client_id, PROJECT_T.c.contact_id).where(PROJECT_T.c.id == project_id)
    ).one()
    if (
        row.contact_id is not None
        and conn.execute(
            select(CONTACT_T.c.id).where(
                CONTACT_T.c.id == row.contact_id,
                CONTACT_T.c.client_id == row.client_id,
                CONTACT_T.c.deleted_at.is_(None),
            )
        ).first()
        is not None
    ):
        return
    contact = main_contact(conn, row.client_id)
    if contact != row.contact_id:
        # Part of the change being written, whose version bump it shares.
        conn.execute(update(PROJECT_T).where(PROJECT_T.c.id == project_id).values(contact_id=contact))


PROJECTS = RecordKind(
    model=Project,
    noun="project",
    fields=(
        FieldSpec("name", "Name", text("Project name", 200, required=True)),
        FieldSpec("client_id", "Client", lambda v: parse_id(v, "Client", required=True), choices=_clients),
        FieldSpec(
            "contact_id",
            "Contact",
            lambda v: parse_id(v, "Contact"),
            tip="One of the client's contacts: the quote is addressed to them.",
        ),
        FieldSpec("venue", "Venue", text("Venue", 200)),
        FieldSpec("start_date", "Load-in", _day("Load-in"), _day_text, tip="The first day on site."),
        FieldSpec("show_start_date", "Show start", _day("Show start"), _day_text),
        FieldSpec("show_end_date", "Show end", _day("Show end"), _day_text),
        FieldSpec("end_date", "Strike", _day("Strike"), _day_text, tip="The day the set is taken down."),
        FieldSpec("account_manager", "Account manager", text("Account manager", 100)),
        FieldSpec("project_manager", "Project manager", text("Project manager", 100)),
        FieldSpec(
            "labour_rule_set_id",
            "Labour rules",
            lambda v: parse_id(v, "Labour rule set"),
            choices=_rule_set_choices,
            tip="The overtime and minimum-call rules crew on this project are paid by.",
        ),
        FieldSpec(
            "project_type_id",
            "Type",
            lambda v: parse_id(v, "Project type"),
            choices=_choices_of(TYPE_T, "position", "name"),
            tip="Exhibit booth, conference, concert: Project › Milestones… starts from its template.",
        ),
        FieldSpec(
            "win_probability_pct",
            "Win probability",
            _probability,
            _probability_text,
            numeric=True,
            tip="This project's chance of being won, 0–100 %; blank: its stage's (Edit › Pipeline stages…).",
        ),
        FieldSpec(
            "decision_date",
            "Decision date",
            _day("Decision date"),
            _day_text,
            tip="When the client is expected to decide: shown on the pipeline's card.",
        ),
        FieldSpec("notes", "Notes", text("Notes", 4000, multiline=True), format_value, multiline=True),
    ),
    order_by=("start_date", "name"),
    unique_names=False,
    check=_check,
    settle=_contact_of_client,
)
