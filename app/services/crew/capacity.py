"""Crew capacity: people needed by the labour calls of quoted and won projects against crew who can work.

A project's demand comes from the estimate that counts (the scenario the client chose,
else the first: app.services.projects.counting), so two scenarios of one project are
never counted twice. A labour line is a call of ``ceil(quantity)`` people on
``ceil(days)`` consecutive days from its ``call_date``; a line without a date falls back
on the project's dates by phase (load-in day, first show day, strike day).
Quoted projects are tentative demand; won and in-production projects are confirmed.
``assigned`` counts the people the crew calendar has put on those projects that day (by the
assignment's role), so the view follows the calendar's drops.
Supply is the crew who can fill a role and are not unavailable that day (a person
with two roles counts in both). Everything loads with a fixed number of queries.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection

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
from app.models.enums import LineKind, ProjectStatus
from app.services.crew import board as crew
from app.services.projects.counting import ESTIMATE_ORDER, pick_counting
from app.services.projects.dates import phase_day
from app.services.storage.database import Database

NO_ROLE = "No role"
TENTATIVE_STATUSES = frozenset({ProjectStatus.QUOTED})
CONFIRMED_STATUSES = frozenset({ProjectStatus.WON, ProjectStatus.IN_PRODUCTION})
_DAY = timedelta(days=1)
Count = int | Decimal  # people (crew), or a quantity of an item (the equipment mode)


@dataclass(frozen=True, slots=True)
class LabourCall:
    """A labour line as a crew call: who is needed, on which days, for how long each day."""

    line_id: uuid.UUID
    estimate_id: uuid.UUID
    project_id: uuid.UUID
    project_name: str
    project_status: str
    role_id: uuid.UUID | None
    description: str
    phase: str
    quantity: Decimal
    days: tuple[date, ...]
    hours_per_day: Decimal
    start_time: time | None
    end_time: time | None

    @property
    def headcount(self) -> int:
        return max(math.ceil(self.quantity), 0)

    @property
    def estimated_hours(self) -> Decimal:
        """Person-hours the estimate prices: people × days × hours a day."""
        return self.quantity * len(self.days) * self.hours_per_day

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The call's from–to on ``day`` (08:00 plus its hours when the line has no times)."""
        start = datetime.combine(day, self.start_time or time(8, 0))
        return start, start + timedelta(hours=float(self.hours_per_day))


def call_hours(start: time | None, end: time | None, hours: Decimal | None) -> Decimal:
    """Hours a person works a day of a call: from its times (past midnight if end ≤ start), else ``hours``."""
    if start is not None and end is not None:
        _, length = crew.call_hours(start, end, hours)
        return Decimal(int(length.total_seconds())) / 3600
    return hours if hours is not None else Decimal(0)


def call_days(first: date | None, days: Decimal) -> tuple[date, ...]:
    if first is None or days <= 0:
        return ()
    return tuple(first + i * _DAY for i in range(math.ceil(days)))


_E = Estimate.__table__  # type: ignore[attr-defined]
_P = Project.__table__  # type: ignore[attr-defined]
_S = Section.__table__  # type: ignore[attr-defined]
_L = LineItem.__table__  # type: ignore[attr-defined]


def load_calls(conn: Connection, *, statuses: Iterable[str] | None = None,
               project_id: uuid.UUID | None = None,
               estimate_ids: dict[uuid.UUID, uuid.UUID] | None = None) -> list[LabourCall]:
    """The labour calls of projects (by status, or one project), two queries.

    ``estimate_ids`` maps a project to the estimate to read; by default the one
    that counts (:func:`~app.services.projects.counting.counting_estimates`).
    """
    projects = select(_P.c.id, _P.c.name, _P.c.status, _P.c.start_date, _P.c.show_start_date,
                      _P.c.end_date, _P.c.chosen_estimate_id).where(_P.c.deleted_at.is_(None))
    if statuses is not None:
        projects = projects.where(_P.c.status.in_(list(statuses)))
    if project_id is not None:
        projects = projects.where(_P.c.id == project_id)
    sub = projects.subquery()
    rows = conn.execute(
        select(_E.c.id, _E.c.project_id, sub.c.name, sub.c.status, sub.c.start_date, sub.c.show_start_date,
               sub.c.end_date, sub.c.chosen_estimate_id)
        .join(sub, _E.c.project_id == sub.c.id)
        .where(_E.c.deleted_at.is_(None))
        .order_by(*ESTIMATE_ORDER)
    ).all()
    if estimate_ids:  # the estimate asked for, instead of the one that counts
        rows = [r for r in rows if estimate_ids.get(r.project_id, r.id) == r.id]
    chosen = {project: (row.id, row) for project, row in pick_counting(rows).items()}
    by_estimate = {estimate: project for estimate, project in chosen.values()}
    if not by_estimate:
        return []
    calls = []
    for line in conn.execute(
        select(_L.c.id, _L.c.role_id, _L.c.description, _L.c.phase, _L.c.quantity, _L.c.days,
               _L.c.hours, _L.c.call_date, _L.c.start_time, _L.c.end_time, _S.c.estimate_id)
        .join(_S, _L.c.section_id == _S.c.id)
        .where(_S.c.estimate_id.in_(list(by_estimate)), _S.c.deleted_at.is_(None),
               _L.c.deleted_at.is_(None), _L.c.kind == LineKind.LABOUR.value)
        .order_by(_S.c.position, _L.c.position, _L.c.created_at)
    ):
        project = by_estimate[line.estimate_id]
        first = line.call_date or phase_day(line.phase, project.start_date, project.show_start_date,
                                            project.end_date)
        calls.append(LabourCall(
            line_id=line.id, estimate_id=line.estimate_id,
            project_id=project.project_id, project_name=project.name,
            project_status=project.status, role_id=line.role_id,
            description=line.description, phase=line.phase, quantity=line.quantity,
            days=call_days(first, line.days),
            hours_per_day=call_hours(line.start_time, line.end_time, line.hours),
            start_time=line.start_time, end_time=line.end_time,
        ))
    return calls


# -- the capacity table ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CapacityCell:
    """One period and role. In a week, the numbers are those of its worst day (``day``)."""

    period: date  # the day, or the Monday of the week
    day: date
    role_id: uuid.UUID | None  # (the equipment mode: the item's id)
    role_name: str
    demand_tentative: Count
    demand_confirmed: Count
    supply: Count
    assigned: int = 0  # people on the calendar that day for these projects, in this role

    @property
    def demand(self) -> Count:
        return self.demand_tentative + self.demand_confirmed

    @property
    def over_confirmed(self) -> bool:
        """Won work alone needs more people than can work: already over-committed."""
        return self.demand_confirmed > self.supply

    @property
    def over_committed(self) -> bool:
        """Won and quoted work together need more people than can work: selling more is a risk."""
        return self.demand > self.supply

    @property
    def shortfall(self) -> Count:
        return max(self.demand - self.supply, 0)


@dataclass(frozen=True, slots=True)
class CapacityTable:
    start: date
    end: date
    by: str
    periods: list[date]
    roles: list[tuple[uuid.UUID | None, str]]  # rows, in role-name order
    cells: dict[tuple[date, uuid.UUID | None], CapacityCell]
    # Per role over the whole range, day by day: (people-days assigned, people-days needed).
    staffed: dict[uuid.UUID | None, tuple[int, Count]] = field(default_factory=dict)

    def cell(self, period: date, role_id: uuid.UUID | None) -> CapacityCell:
        return self.cells[(period, role_id)]

    def rows(self) -> list[CapacityCell]:
        """Every cell, period by period, then role by role."""
        return [self.cells[(p, r)] for p in self.periods for r, _ in self.roles]

    def over_committed(self) -> list[CapacityCell]:
        return [c for c in self.rows() if c.over_committed]


def _days(start: date, end: date) -> list[date]:
    return [start + i * _DAY for i in range((end - start).days + 1)]


def table_range(start: date, end: date, by: str) -> tuple[date, date]:
    """The days a table by ``by`` ("day" or "week": whole weeks, Monday to Sunday) covers."""
    if by not in {"day", "week"}:
        raise ValueError('by must be "day" or "week"')
    if end < start:
        raise ValueError("the range ends before it starts")
    if by == "week":
        start -= start.weekday() * _DAY
        end += (6 - end.weekday()) * _DAY
    return start, end


def capacity(db: Database, start: date, end: date, by: str = "day") -> CapacityTable:
    """Demand (tentative, confirmed) against supply per period and role, ``by`` "day" or "week"."""
    start, end = table_range(start, end, by)
    days = _days(start, end)
    statuses = [s.value for s in TENTATIVE_STATUSES | CONFIRMED_STATUSES]
    r, cr = Role.__table__, CrewRole.__table__  # type: ignore[attr-defined]
    cm, cu = CrewMember.__table__, CrewUnavailability.__table__  # type: ignore[attr-defined]
    ca = CrewAssignment.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        role_names = {row.id: row.name for row in conn.execute(
            select(r.c.id, r.c.name).where(r.c.deleted_at.is_(None)).order_by(r.c.name))}
        calls = load_calls(conn, statuses=statuses)
        can_fill = conn.execute(
            select(cr.c.crew_member_id, cr.c.role_id)
            .join(cm, cr.c.crew_member_id == cm.c.id)
            .where(cr.c.deleted_at.is_(None), cm.c.deleted_at.is_(None))
        ).all()
        away = conn.execute(
            select(cu.c.crew_member_id, cu.c.day)
            .where(cu.c.deleted_at.is_(None), cu.c.day >= start, cu.c.day <= end)
        ).all()
        booked = conn.execute(
            select(ca.c.role_id, ca.c.starts_at)
            .join(_P, ca.c.project_id == _P.c.id)
            .join(cm, ca.c.crew_member_id == cm.c.id)
            .where(ca.c.deleted_at.is_(None), _P.c.deleted_at.is_(None), cm.c.deleted_at.is_(None),
                   _P.c.status.in_(statuses), ca.c.starts_at >= datetime.combine(start, time()),
                   ca.c.starts_at < datetime.combine(end + _DAY, time()))
        ).all()

    tentative: dict[tuple[date, uuid.UUID | None], int] = defaultdict(int)
    confirmed: dict[tuple[date, uuid.UUID | None], int] = defaultdict(int)
    for call in calls:
        target = confirmed if ProjectStatus(call.project_status) in CONFIRMED_STATUSES else tentative
        for day in call.days:
            if start <= day <= end:
                target[(day, call.role_id)] += call.headcount
    crew_by_role: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for member, role_id in can_fill:
        crew_by_role[role_id].add(member)
    away_on: dict[date, set[uuid.UUID]] = defaultdict(set)
    for member, day in away:
        away_on[day].add(member)
    assigned: dict[tuple[date, uuid.UUID | None], int] = defaultdict(int)
    for role_id, starts_at in booked:
        assigned[(starts_at.date(), role_id)] += 1

    # Rows: every role with crew or demand, by name; calls without a role last.
    used = set(crew_by_role) | {role for _, role in tentative} | {role for _, role in confirmed}
    roles: list[tuple[uuid.UUID | None, str]] = [
        (role_id, name) for role_id, name in role_names.items() if role_id in used
    ]
    if None in used:
        roles.append((None, NO_ROLE))

    daily = {
        (day, role_id): CapacityCell(
            day, day, role_id, name, tentative[(day, role_id)], confirmed[(day, role_id)],
            len(crew_by_role[role_id] - away_on[day]) if role_id is not None else 0,
            assigned[(day, role_id)],
        )
        for day in days for role_id, name in roles
    }
    staffed = {
        role_id: (sum(daily[(d, role_id)].assigned for d in days),
                  sum(daily[(d, role_id)].demand for d in days))
        for role_id, _ in roles
    }
    if by == "day":
        return CapacityTable(start, end, by, days, roles, daily, staffed)
    weeks = days[::7]
    return CapacityTable(start, end, by, weeks, roles, week_cells(daily, weeks, roles), staffed)


def week_cells(daily: dict[tuple[date, uuid.UUID | None], CapacityCell], weeks: list[date],
               rows: list[tuple[uuid.UUID | None, str]]) -> dict[tuple[date, uuid.UUID | None], CapacityCell]:
    """Each week of each row as its worst day (the most over, then the most needed)."""
    cells = {}
    for monday in weeks:
        for role_id, _ in rows:
            week = [daily[(monday + i * _DAY, role_id)] for i in range(7)]
            worst = max(week, key=lambda c: (c.demand - c.supply, c.demand))
            cells[(monday, role_id)] = CapacityCell(
                monday, worst.day, role_id, worst.role_name, worst.demand_tentative,
                worst.demand_confirmed, worst.supply, worst.assigned)
    return cells
