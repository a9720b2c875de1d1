"""A project's staffing: each labour call's positions filled vs needed, estimated vs planned hours.

Estimated hours are what the estimate prices (people × days × hours a day);
planned hours are the crew assignments on the calendar that fill the call (their
``line_item_id``), tentative or confirmed alike. Where they differ,
:func:`labour_updates_from_calendar` gives the line changes that make the
estimate match the calendar; the GUI applies them as one undo step.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.models import CrewAssignment, Estimate, Project, Role
from app.models.enums import AssignmentStatus
from app.services.crew.capacity import LabourCall, load_calls
from app.services.crew.records import AssignmentInfo
from app.services.estimate.document import LINE_COLUMNS
from app.services.projects.counting import counting_estimate
from app.services.storage.database import Database

_HOURS = Decimal("0.01")
_E = Estimate.__table__  # type: ignore[attr-defined]
_A = CrewAssignment.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class StaffingDay:
    """One day of a call (``day`` is None for a call the estimate has not dated)."""

    day: date | None
    needed: int
    filled: int
    estimated_hours: Decimal
    planned_hours: Decimal

    @property
    def open(self) -> int:
        return max(self.needed - self.filled, 0)

    @property
    def differs(self) -> bool:
        return self.needed != self.filled or self.estimated_hours != self.planned_hours


@dataclass(frozen=True, slots=True)
class CallStaffing:
    call: LabourCall
    role_name: str
    days: list[StaffingDay]
    shifts: list[AssignmentInfo]

    @property
    def needed(self) -> int:
        """Positions: people × days."""
        return sum(d.needed for d in self.days)

    @property
    def filled(self) -> int:
        return sum(d.filled for d in self.days)

    @property
    def estimated_hours(self) -> Decimal:
        return self.call.estimated_hours

    @property
    def planned_hours(self) -> Decimal:
        return sum((s.hours for s in self.shifts), Decimal(0))

    @property
    def differs(self) -> bool:
        return any(d.differs for d in self.days)


@dataclass(frozen=True, slots=True)
class ProjectStaffing:
    project_id: uuid.UUID
    project_name: str
    estimate_id: uuid.UUID | None
    calls: list[CallStaffing]
    # Assignments on the project that fill none of these calls (another scenario's, or none).
    other_shifts: list[AssignmentInfo] = field(default_factory=list)
    # The scenario the calendar staffs, when it is not this one ("" when this one counts).
    counting_name: str = ""

    @property
    def needed(self) -> int:
        return sum(c.needed for c in self.calls)

    @property
    def filled(self) -> int:
        return sum(c.filled for c in self.calls)

    @property
    def estimated_hours(self) -> Decimal:
        return sum((c.estimated_hours for c in self.calls), Decimal(0))

    @property
    def planned_hours(self) -> Decimal:
        return sum((c.planned_hours for c in self.calls), Decimal(0))


def project_staffing(db: Database, project_id: uuid.UUID,
                     estimate_id: uuid.UUID | None = None) -> ProjectStaffing:
    """Staffing of a project's estimate (by default the one that counts: the scenario the client
    chose, else the first), in six queries (seven for a scenario that does not count)."""
    p, r = Project.__table__, Role.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        name = conn.execute(select(p.c.name).where(p.c.id == project_id)).scalar_one()
        roles = {row.id: row.name for row in conn.execute(select(r.c.id, r.c.name))}
        counting = counting_estimate(conn, project_id)
        estimate_id = estimate_id or counting
        counting_name = "" if counting in (None, estimate_id) else str(conn.execute(
            select(_E.c.name).where(_E.c.id == counting)).scalar_one())
        calls = load_calls(conn, project_id=project_id,
                           estimate_ids={project_id: estimate_id} if estimate_id else None)
        shifts = [
            AssignmentInfo(**{**row._asdict(), "status": AssignmentStatus(row.status)})
            for row in conn.execute(
                select(*(_A.c[f.name] for f in fields(AssignmentInfo)))
                .where(_A.c.project_id == project_id, _A.c.deleted_at.is_(None))
                .order_by(_A.c.starts_at)
            )
        ]
    by_line: dict[uuid.UUID | None, list[AssignmentInfo]] = defaultdict(list)
    for shift in shifts:
        by_line[shift.line_item_id].append(shift)
    out = [_call_staffing(call, roles.get(call.role_id, "") if call.role_id else "",
                          by_line.pop(call.line_id, []))
           for call in calls]
    others = [s for group in by_line.values() for s in group]
    return ProjectStaffing(project_id, name, estimate_id, out, others, counting_name)


def _call_staffing(call: LabourCall, role_name: str, shifts: list[AssignmentInfo]) -> CallStaffing:
    people: dict[date, set[uuid.UUID]] = defaultdict(set)
    hours: dict[date, Decimal] = defaultdict(Decimal)
    for shift in shifts:
        people[shift.starts_at.date()].add(shift.crew_member_id)
        hours[shift.starts_at.date()] += shift.hours
    per_day = call.quantity * call.hours_per_day
    days = []
    if not call.days:
        days.append(StaffingDay(None, call.headcount, 0, call.estimated_hours, Decimal(0)))
    for day in sorted(set(call.days) | set(people)):
        scheduled = day in call.days
        days.append(StaffingDay(
            day,
            call.headcount if scheduled else 0,
            len(people[day]),
            per_day if scheduled else Decimal(0),
            hours[day],
        ))
    return CallStaffing(call, role_name, days, shifts)


LineUpdate = tuple[uuid.UUID, dict[str, Any]]


def labour_updates_from_calendar(db: Database, estimate_id: uuid.UUID) -> list[LineUpdate]:
    """The line changes that make an estimate's labour match the calendar.

    For each call with people on the calendar: the headcount becomes the most
    people on one day, the days the number of days they work (from the first),
    and the hours a day what makes people × days × hours the planned hours.
    A line with times keeps its start and gets the end that gives those hours.
    Calls nobody is on yet are left alone. Only changed columns are listed.
    """
    e = Estimate.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        project_id = conn.execute(select(e.c.project_id).where(e.c.id == estimate_id)).scalar_one()
    staffing = project_staffing(db, project_id, estimate_id)
    updates = []
    for staffed in staffing.calls:
        if not staffed.shifts:
            continue
        changes = _matching_changes(staffed)
        if changes:
            updates.append((staffed.call.line_id, changes))
    return updates


def _matching_changes(staffed: CallStaffing) -> dict[str, Any]:
    call = staffed.call
    worked = [d for d in staffed.days if d.filled]
    headcount = max(d.filled for d in worked)
    n_days = len(worked)
    hours = (staffed.planned_hours / (headcount * n_days)).quantize(_HOURS)
    wanted: dict[str, Any] = {"quantity": Decimal(headcount), "days": Decimal(n_days)}
    first = worked[0].day
    if first is not None and first not in call.days[:1]:
        wanted["call_date"] = first
    if call.start_time is not None and call.end_time is not None:
        start = min(s.starts_at.time() for s in staffed.shifts)
        end = datetime.combine(date.min, start) + timedelta(hours=float(hours))
        wanted["start_time"] = start
        wanted["end_time"] = end.time()
    else:
        wanted["hours"] = hours
    current = {
        "quantity": call.quantity, "days": Decimal(len(call.days)) if call.days else None,
        "hours": call.hours_per_day, "call_date": call.days[0] if call.days else None,
        "start_time": call.start_time, "end_time": call.end_time,
    }
    return {k: v for k, v in wanted.items() if k in LINE_COLUMNS and current[k] != v}
