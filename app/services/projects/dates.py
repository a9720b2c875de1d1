"""A project's days: load-in (``start_date``), the show (``show_start_date``–``show_end_date``), strike
(``end_date``); which of them a labour call of each phase falls on, and the order they must keep."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.models import Project
from app.models.enums import CallPhase
from app.services.storage.database import Database
from app.services.values import InputError

PROJECT_T = Project.__table__  # type: ignore[attr-defined]

# In the order they must come (a day may be equal to the one before).
DAY_FIELDS = (
    ("start_date", "Load-in"),
    ("show_start_date", "Show start"),
    ("show_end_date", "Show end"),
    ("end_date", "Strike"),
)


def phase_day(phase: str, start: date | None, show_start: date | None, end: date | None) -> date | None:
    """The day a call of ``phase`` falls on when it has no date of its own: load-in on the load-in
    day, show on the first show day, strike on the strike day (each falling back on the others)."""
    if phase == CallPhase.STRIKE.value:
        return end or show_start or start
    if phase == CallPhase.SHOW.value:
        return show_start or start or end
    return start or show_start or end


def format_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def check_day_order(values: Mapping[str, Any]) -> None:
    """Load-in ≤ show start ≤ show end ≤ strike, among the days that are set; InputError says which."""
    days = [(label, values.get(key)) for key, label in DAY_FIELDS]
    for n, (earlier, first) in enumerate(days):
        for later, second in days[n + 1 :]:
            if first is not None and second is not None and second < first:
                raise InputError(
                    f"{later} ({format_day(second)}) cannot be before "
                    f"{earlier.lower()} ({format_day(first)})."
                )


@dataclass(frozen=True, slots=True)
class ProjectDays:
    """A live project's name and the span of its days, load-in to strike (each set day counts)."""

    project_id: uuid.UUID
    name: str
    first: date
    last: date

    def label(self) -> str:
        if self.first == self.last:
            return f"{self.name} — {format_day(self.first)}"
        return f"{self.name} — {format_day(self.first)} to {format_day(self.last)}"


def _days_of(row: Any) -> ProjectDays | None:
    set_days = (row.start_date, row.show_start_date, row.show_end_date, row.end_date)
    days = [d for d in set_days if d is not None]
    return ProjectDays(row.id, row.name, min(days), max(days)) if days else None


_DAY_COLUMNS = (
    PROJECT_T.c.id,
    PROJECT_T.c.name,
    PROJECT_T.c.start_date,
    PROJECT_T.c.show_start_date,
    PROJECT_T.c.show_end_date,
    PROJECT_T.c.end_date,
)


def project_days(db: Database, project_id: uuid.UUID) -> ProjectDays | None:
    """One project's days (None when it has none set, or is gone): one query."""
    with db.read() as conn:
        row = conn.execute(
            select(*_DAY_COLUMNS).where(PROJECT_T.c.id == project_id, PROJECT_T.c.deleted_at.is_(None))
        ).first()
    return _days_of(row) if row is not None else None


def dated_projects(db: Database) -> list[ProjectDays]:
    """Every live project with at least one day set, by first day then name: one query."""
    with db.read() as conn:
        rows = conn.execute(
            select(*_DAY_COLUMNS)
            .where(PROJECT_T.c.deleted_at.is_(None))
            .order_by(func.lower(PROJECT_T.c.name))
        ).all()
    found = [d for d in map(_days_of, rows) if d is not None]
    return sorted(found, key=lambda d: (d.first, d.name.casefold()))
