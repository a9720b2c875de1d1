"""Repeat events: *Clone for next year* copies a project with the estimate that counts, every date moved.

The copy keeps the client, contact, venue, type, AM/PM, labour rules and notes, and starts as
estimating (no lost reason, no chosen scenario). Of its estimates only the one that counts
(:mod:`app.services.projects.counting`: the chosen scenario, else the first) is copied, by the
same copier as *Duplicate as scenario* (:func:`app.services.estimate.scenarios.copy_estimate`).
The project's four days, its labour calls' dates and its fixed milestones move by the offset;
milestones tied to a day (load-in − 14) keep their anchor and offset, so they follow the days.
Left behind: quote revisions and the quote number (nothing has been sent), crew assignments,
orders to suppliers, ticks on milestones; holds on equipment are derived from the estimate, so
the new estimating project holds nothing. One write transaction; :func:`take_back_clone` undoes
it with tombstones and :func:`bring_back_clone` redoes it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from app.models import CrewAssignment, Milestone, Project, QuoteRevision, SupplierOrder
from app.models.enums import ProjectStatus
from app.models.supply import LineQuoteCandidate
from app.models.types import utcnow
from app.services.estimate.scenarios import (
    ESTIMATE_T,
    LINE_T,
    PARAMETER_T,
    SECTION_T,
    copied_record,
    copy_estimate,
    live_record,
    live_rows,
)
from app.services.projects.counting import counting_estimate
from app.services.projects.dates import DAY_FIELDS
from app.services.storage.database import Database
from app.services.values import InputError, parse_text

PROJECT_T = Project.__table__  # type: ignore[attr-defined]
REVISION_T = QuoteRevision.__table__  # type: ignore[attr-defined]
ASSIGNMENT_T = CrewAssignment.__table__  # type: ignore[attr-defined]
ORDER_T = SupplierOrder.__table__  # type: ignore[attr-defined]
CANDIDATE_T = LineQuoteCandidate.__table__  # type: ignore[attr-defined]
MILESTONE_T = Milestone.__table__  # type: ignore[attr-defined]

NAME_LABEL = "Name of the copy"
NAME_MAX = 200
NEXT_YEAR_DAYS = 364  # 52 weeks: every day falls on the same weekday as this year's
MAX_OFFSET_DAYS = 3660  # ten years either way: further is a typo
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def source_of(db: Database, project_id: uuid.UUID) -> tuple[str, date | None]:
    """The project's name and its load-in, else its first set day (what the offset is measured from)."""
    with db.read() as conn:
        row = _live_project(conn, project_id)
    return row.name, _first_day(row)


def suggest_name(name: str, day: date | None, offset_days: int) -> str:
    """The copy's name with its year moved ("Gala 2027" → "Gala 2028"), else the new year added;
    "(copy)" when the offset keeps the year (or there is no day to tell it by)."""
    day = day or date.today()
    old, new = day.year, (day + timedelta(days=offset_days)).year
    if old != new and str(old) in _YEAR.findall(name):
        return _YEAR.sub(lambda m: str(new) if m.group() == str(old) else m.group(), name)
    suffix = f" {new}" if old != new else " (copy)"
    return name[: NAME_MAX - len(suffix)] + suffix


def parse_offset(value: object) -> int:
    """Days to move by: a whole number within ten years either way; InputError otherwise."""
    try:
        days = int(str(value).strip())
    except ValueError:
        raise InputError(f"Offset: “{value}” is not a whole number of days.") from None
    if abs(days) > MAX_OFFSET_DAYS:
        raise InputError(f"Offset: {days} days is more than ten years; enter at most {MAX_OFFSET_DAYS}.")
    return days


def clone_project(db: Database, project_id: uuid.UUID, offset_days: int, name: str) -> uuid.UUID:
    """Copy the project and the estimate that counts, every date moved by ``offset_days``; the new id."""
    name = parse_text(name, NAME_LABEL, max_length=NAME_MAX, required=True)
    shift = timedelta(days=parse_offset(offset_days))
    now = utcnow()
    with db.write() as conn:
        source = _live_project(conn, project_id)
        new_id = uuid.uuid4()
        days = {key: _moved(source._mapping[key], shift) for key, _label in DAY_FIELDS}
        conn.execute(
            PROJECT_T.insert(),
            [
                copied_record(
                    PROJECT_T,
                    source,
                    now,
                    id=new_id,
                    name=name,
                    status=ProjectStatus.ESTIMATING.value,
                    lost_reason="",
                    chosen_estimate_id=None,
                    **days,
                )
            ],
        )
        estimate_id = counting_estimate(conn, project_id)
        if estimate_id is not None:
            estimate = conn.execute(select(ESTIMATE_T).where(ESTIMATE_T.c.id == estimate_id)).one()
            copy_estimate(conn, estimate, shift=shift, project_id=new_id, based_on_id=None, position=0)
        milestones = live_rows(conn, MILESTONE_T, MILESTONE_T.c.project_id == project_id)
        if milestones:
            conn.execute(
                MILESTONE_T.insert(),
                [
                    copied_record(
                        MILESTONE_T,
                        m,
                        now,
                        project_id=new_id,
                        fixed_date=_moved(m.fixed_date, shift),
                        done=False,
                        done_at=None,
                    )
                    for m in milestones
                ],
            )
    return new_id


@dataclass(frozen=True, slots=True)
class ClonedRows:
    """The rows a clone made, per table name: what undo tombstoned and redo brings back."""

    ids: dict[str, list[uuid.UUID]] = field(default_factory=dict)


def take_back_clone(db: Database, project_id: uuid.UUID) -> ClonedRows:
    """Undo a clone: tombstone the project and every live row under it, in one transaction.

    InputError (nothing changed) once a quote was sent from the copy, crew put on it or an order
    made for it: those belong to a project of its own now, deleted (if at all) from the navigator."""
    with db.write() as conn:
        rows = _rows_of(conn, project_id)
        _check_untouched(conn, project_id, rows.ids[ESTIMATE_T.name])
        _stamp(conn, rows, deleted=True)
    return rows


def bring_back_clone(db: Database, rows: ClonedRows) -> None:
    """Redo a clone taken back: its rows live again."""
    with db.write() as conn:
        _stamp(conn, rows, deleted=False)


_TABLES = {
    t.name: t for t in (PROJECT_T, ESTIMATE_T, PARAMETER_T, SECTION_T, LINE_T, CANDIDATE_T, MILESTONE_T)
}


def _rows_of(conn: Connection, project_id: uuid.UUID) -> ClonedRows:
    def ids(table: Any, where: Any) -> list[uuid.UUID]:
        return [r.id for r in live_rows(conn, table, where)]

    estimates = ids(ESTIMATE_T, ESTIMATE_T.c.project_id == project_id)
    sections = ids(SECTION_T, SECTION_T.c.estimate_id.in_(estimates))
    lines = ids(LINE_T, LINE_T.c.section_id.in_(sections))
    found = {
        PROJECT_T.name: ids(PROJECT_T, PROJECT_T.c.id == project_id),
        ESTIMATE_T.name: estimates,
        PARAMETER_T.name: ids(PARAMETER_T, PARAMETER_T.c.estimate_id.in_(estimates)),
        SECTION_T.name: sections,
        LINE_T.name: lines,
        CANDIDATE_T.name: ids(CANDIDATE_T, CANDIDATE_T.c.line_item_id.in_(lines)),
        MILESTONE_T.name: ids(MILESTONE_T, MILESTONE_T.c.project_id == project_id),
    }
    if not found[PROJECT_T.name]:
        raise InputError("That project no longer exists; someone may have deleted it.")
    return ClonedRows(found)


def _check_untouched(conn: Connection, project_id: uuid.UUID, estimates: list[uuid.UUID]) -> None:
    for table, where, what in (
        (REVISION_T, REVISION_T.c.estimate_id.in_(estimates), "a quote was sent from it"),
        (ASSIGNMENT_T, ASSIGNMENT_T.c.project_id == project_id, "crew was put on it"),
        (ORDER_T, ORDER_T.c.project_id == project_id, "an order was made for it"),
    ):
        if live_rows(conn, table, where):
            raise InputError(f"The copy stays: {what} since. Delete it from the navigator if it must go.")


def _stamp(conn: Connection, rows: ClonedRows, *, deleted: bool) -> None:
    now = utcnow()
    for name, ids in rows.ids.items():
        table = _TABLES[name]
        if ids:
            conn.execute(
                update(table)
                .where(table.c.id.in_(ids))
                .values(deleted_at=now if deleted else None, version=table.c.version + 1, updated_at=now)
            )


def _live_project(conn: Connection, project_id: uuid.UUID) -> Any:
    return live_record(conn, PROJECT_T, project_id, "project")


def _first_day(row: Any) -> date | None:
    return next((row._mapping[key] for key, _label in DAY_FIELDS if row._mapping[key] is not None), None)


def _moved(day: date | None, shift: timedelta) -> date | None:
    return None if day is None else day + shift
