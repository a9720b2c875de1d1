"""A project's milestones, edited as master data (Project › Milestones…), and the template they start from.

Each milestone counts from one of the project's days (``anchor`` + ``offset_days``) or has a fixed
date of its own (``anchor`` empty, the date required); its due day is worked out on reading
(:func:`app.services.schedule.due.due`), so a relative one moves with the show and a fixed one
stays. Ticking it done stamps ``done_at``; unticking clears it. :func:`apply_template` adds the
project type's milestones the project does not have yet (by name), in one transaction; the undo
takes back exactly those (:func:`take_back`), the redo brings them back (:func:`bring_back`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from app.models import Milestone, Project
from app.models.enums import DateAnchor
from app.models.types import utcnow
from app.services.catalog.items import YES_NO
from app.services.master_data import FieldSpec, RecordKind, done_stamper, format_value, text
from app.services.schedule.due import due
from app.services.schedule.templates import TEMPLATE_T, TYPE_T, milestone_fields, window_and_owner
from app.services.storage.database import Database
from app.services.values import InputError, flag, parse_date

MILESTONE_T = Milestone.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]
_TEMPLATE_COLUMNS = ("position", "name", "kind", "anchor", "offset_days", "duration_days", "owner")


def day_text(value: date | None) -> str:
    """A day as a cell shows it, and reads back unchanged: 8 Mar 2027."""
    return f"{value.day} {value:%b %Y}" if value is not None else ""


def due_text(value: Any) -> str:
    """A due day, or a window's first and last: “25 Jan 2027”, “4–7 Mar 2027”, “6 Feb – 3 Mar 2027”;
    undated: “no date”."""
    if value is None:
        return "no date"
    first, last = value
    if first == last:
        return day_text(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day_text(last)}"
    if first.year == last.year:
        return f"{first.day} {first:%b} – {day_text(last)}"
    return f"{day_text(first)} – {day_text(last)}"


def _dues(conn: Connection, project_id: uuid.UUID | None) -> dict[uuid.UUID, Any]:
    """Each live milestone's (first, last) due day from its project's days; None when undated."""
    m, p = MILESTONE_T, PROJECT_T
    rows = (
        select(
            m.c.id,
            m.c.anchor,
            m.c.offset_days,
            m.c.fixed_date,
            m.c.duration_days,
            p.c.start_date,
            p.c.show_start_date,
            p.c.show_end_date,
            p.c.end_date,
        )
        .select_from(m.join(p, m.c.project_id == p.c.id))
        .where(m.c.deleted_at.is_(None))
    )
    if project_id is not None:
        rows = rows.where(m.c.project_id == project_id)
    found: dict[uuid.UUID, Any] = {}
    for row in conn.execute(rows):
        days = due(row.anchor, row.offset_days, row.fixed_date, row.duration_days, row)
        found[row.id] = None if days is None else (days.first, days.last)
    return found


def _check(_conn: Connection, values: dict[str, Any]) -> None:
    if values.get("anchor") == DateAnchor.FIXED.value and values.get("fixed_date") is None:
        raise InputError("A milestone on a fixed date needs its date: type it under Fixed date first.")


_name, _kind, _anchor, _offset = milestone_fields(tuple(DateAnchor))
_window, _owner = window_and_owner()

MILESTONES = RecordKind(
    model=Milestone,
    noun="milestone",
    fields=(
        _name,
        _kind,
        _anchor,
        _offset,
        FieldSpec(
            "fixed_date",
            "Fixed date",
            lambda v: parse_date(v, "Fixed date"),
            day_text,
            tip="Its own date, when it counts from none of the project's days (Counts from: Fixed date).",
        ),
        _window,
        FieldSpec(
            "due",
            "Due",
            lambda _v: None,
            due_text,
            derived=_dues,
            tip="Worked out from Counts from and Offset (or the fixed date): it moves with the show.",
        ),
        _owner,
        FieldSpec(
            "done",
            "Done",
            flag("Done"),
            choices=lambda _db: YES_NO,
            tip="Yes once it is done (the day is kept).",
        ),
        FieldSpec("notes", "Notes", text("Notes", 1000, multiline=True), format_value, multiline=True),
    ),
    order_by=("position", "created_at"),
    owner_key="project_id",
    check=_check,
    settle=done_stamper(MILESTONE_T),
)


# -- from the template -----------------------------------------------------------------------------


def apply_template(db: Database, project_id: uuid.UUID) -> list[uuid.UUID]:
    """Add the milestones of the project's type that it does not have yet (by name), in one transaction.

    Returns the new rows' ids (none: it had them all). InputError (nothing written) when the
    project has no type, or its type no longer exists.
    """
    with db.write() as conn:
        return add_from_template(conn, project_id)


def add_from_template(conn: Connection, project_id: uuid.UUID) -> list[uuid.UUID]:
    """:func:`apply_template` inside the caller's transaction (the demo's build)."""
    type_id = conn.execute(
        select(PROJECT_T.c.project_type_id)
        .where(PROJECT_T.c.id == project_id, PROJECT_T.c.deleted_at.is_(None))
        .with_for_update()  # two at once on a server: the second waits, then sees the first's
    ).first()
    if type_id is None:
        raise InputError("That project no longer exists.")
    if type_id[0] is None:
        raise InputError("The project has no type yet: pick one in Project details (Type), then try again.")
    type_name = conn.execute(
        select(TYPE_T.c.name).where(TYPE_T.c.id == type_id[0], TYPE_T.c.deleted_at.is_(None))
    ).scalar()
    if type_name is None:
        raise InputError("The project's type no longer exists: pick another in Project details.")
    have = {
        str(n).lower()
        for n in conn.execute(
            select(func.lower(MILESTONE_T.c.name)).where(
                MILESTONE_T.c.project_id == project_id, MILESTONE_T.c.deleted_at.is_(None)
            )
        ).scalars()
    }
    template = conn.execute(
        select(*(TEMPLATE_T.c[c] for c in _TEMPLATE_COLUMNS))
        .where(TEMPLATE_T.c.project_type_id == type_id[0], TEMPLATE_T.c.deleted_at.is_(None))
        .order_by(TEMPLATE_T.c.position, TEMPLATE_T.c.created_at, TEMPLATE_T.c.id)
    )
    added = []
    for row in template:
        if row.name.lower() in have:
            continue
        have.add(row.name.lower())
        milestone = Milestone(project_id=project_id, **{c: getattr(row, c) for c in _TEMPLATE_COLUMNS})
        conn.execute(
            MILESTONE_T.insert().values(**{c.name: getattr(milestone, c.name) for c in MILESTONE_T.columns})
        )
        added.append(milestone.id)
    return added


def template_of(db: Database, project_id: uuid.UUID) -> str | None:
    """The name of the project's type (whose template From template adds), or None."""
    with db.read() as conn:
        return conn.execute(  # type: ignore[no-any-return]
            select(TYPE_T.c.name)
            .select_from(PROJECT_T.join(TYPE_T, PROJECT_T.c.project_type_id == TYPE_T.c.id))
            .where(PROJECT_T.c.id == project_id, TYPE_T.c.deleted_at.is_(None))
        ).scalar()


def _tombstone(db: Database, ids: Iterable[uuid.UUID], deleted: bool) -> None:
    ids = list(ids)
    if not ids:
        return
    with db.write() as conn:
        if not deleted:  # a name taken again meanwhile (added by hand) stays the one there
            _check_names_free(conn, ids)
        gone = MILESTONE_T.c.deleted_at.is_(None) if deleted else MILESTONE_T.c.deleted_at.is_not(None)
        conn.execute(
            update(MILESTONE_T)
            .where(MILESTONE_T.c.id.in_(ids), gone)
            .values(
                deleted_at=utcnow() if deleted else None,
                version=MILESTONE_T.c.version + 1,
                updated_at=utcnow(),
            )
        )


def _check_names_free(conn: Connection, ids: list[uuid.UUID]) -> None:
    m, live = MILESTONE_T, MILESTONE_T.alias("live")
    clash = conn.execute(
        select(m.c.name)
        .select_from(
            m.join(
                live,
                (live.c.project_id == m.c.project_id) & (func.lower(live.c.name) == func.lower(m.c.name)),
            )
        )
        .where(m.c.id.in_(ids), live.c.deleted_at.is_(None), live.c.id.not_in(ids))
        .limit(1)
    ).scalar()
    if clash is not None:
        raise InputError(
            f"The project has a milestone “{clash}” again, so the template's were not brought back."
        )


def take_back(db: Database, ids: Iterable[uuid.UUID]) -> None:
    """The undo of :func:`apply_template`: the milestones it added, tombstoned in one transaction."""
    _tombstone(db, ids, True)


def bring_back(db: Database, ids: Iterable[uuid.UUID]) -> None:
    """The redo of :func:`apply_template`: the milestones it added, live again."""
    _tombstone(db, ids, False)
