"""The crew calendar's data: who is on which call, the open positions, and each change saved.

:class:`CrewBoard` is the calendar's data for a date range, in the manner of
:class:`~app.services.estimate.document.EstimateDocument`: it loads with a fixed number
of queries, keeps plain frozen objects (:mod:`app.services.crew.records`), writes each change
in one short transaction with an optimistic version check (a lost race raises
:class:`~app.services.estimate.document.EditConflict` and writes nothing), recomputes
the conflicts of the people a change touched (:mod:`app.services.crew.conflicts`), and
announces the change to listeners, structural changes twice (``before=True`` first) for Qt
models. The crew members themselves are edited through :mod:`app.services.crew.people`.

All times are naive datetimes in the venue's local time; a week runs Monday to
Sunday.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from app.models import (
    CrewAssignment,
    Estimate,
    LabourRuleSet,
    LineItem,
    Project,
    Section,
)
from app.models.enums import AssignmentStatus, LineKind, ProjectStatus
from app.models.types import utcnow
from app.services.crew.conflicts import detect_conflicts
from app.services.crew.people import MEMBER_T, insert_record, read_crew, read_roles
from app.services.crew.records import (
    SECONDS_PER_HOUR,
    AssignmentInfo,
    BoardChange,
    BoardChangeKind,
    BoardListener,
    CrewConflict,
    CrewInfo,
    OpenPosition,
)
from app.services.lookups import RoleInfo
from app.services.storage.database import Database
from app.services.storage.versioned import ConcurrentEditError, update_versioned
from app.services.values import InputError

ASSIGNMENT_T = CrewAssignment.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]
RULE_SET_T = LabourRuleSet.__table__  # type: ignore[attr-defined]
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]

# Projects whose labour calls need people: sold or about to be.
STAFFED_STATUSES = (ProjectStatus.QUOTED.value, ProjectStatus.WON.value, ProjectStatus.IN_PRODUCTION.value)
DEFAULT_CALL_START = time(8, 0)
DEFAULT_CALL_HOURS = Decimal(8)
# A call is read if its first day lies at most this many days before the board's range.
MAX_CALL_DAYS = 62




@dataclass(frozen=True, slots=True)
class _Call:
    """A labour line read as a call: the project, the role, and each day's hours."""

    project_id: uuid.UUID
    line_item_id: uuid.UUID
    role_id: uuid.UUID | None
    description: str
    phase: str
    first_day: date
    days: int
    start: time
    duration: timedelta
    needed: int


class CrewBoard:
    """The calendar's data for ``start``..``end`` (inclusive days). Not thread-safe.

    Assignments are read for whole weeks around the range plus a day, so weekly hours and
    turnarounds at its edges are right; ``assignments`` may therefore hold a few outside it.
    """

    def __init__(self, db: Database, start: date, end: date) -> None:
        self.db = db
        self.start, self.end = start, end
        self.crew: dict[uuid.UUID, CrewInfo] = {}
        self.roles: dict[uuid.UUID, RoleInfo] = {}
        self.projects: dict[uuid.UUID, str] = {}
        self.project_status: dict[uuid.UUID, str] = {}
        self.turnaround: dict[uuid.UUID, Decimal | None] = {}
        self.assignments: dict[uuid.UUID, AssignmentInfo] = {}
        self.conflicts: dict[uuid.UUID, list[CrewConflict]] = {}
        self._calls: list[_Call] = []
        self._listeners: list[BoardListener] = []
        self.reload(notify=False)

    # -- loading -----------------------------------------------------------------------------

    @property
    def load_start(self) -> date:
        return self.start - timedelta(days=self.start.weekday() + 1)

    @property
    def load_end(self) -> date:
        """The first day after the loaded span."""
        return self.end + timedelta(days=7 - self.end.weekday() + 1)

    def reload(self, notify: bool = True) -> None:
        """Read the range again: seven queries, whatever the number of crew or assignments."""
        lo = datetime.combine(self.load_start, time())
        hi = datetime.combine(self.load_end, time())
        with self.db.read() as conn:
            roles = read_roles(conn)
            projects = conn.execute(
                select(PROJECT_T.c.id, PROJECT_T.c.name, PROJECT_T.c.status,
                       RULE_SET_T.c.min_turnaround_hours)
                .outerjoin(RULE_SET_T, and_(PROJECT_T.c.labour_rule_set_id == RULE_SET_T.c.id,
                                            RULE_SET_T.c.deleted_at.is_(None)))
                .where(PROJECT_T.c.deleted_at.is_(None))
                .order_by(PROJECT_T.c.name)
            ).all()
            crew = read_crew(conn, self.load_start, self.load_end)
            rows = conn.execute(
                select(ASSIGNMENT_T)
                .join(PROJECT_T, ASSIGNMENT_T.c.project_id == PROJECT_T.c.id)
                .join(MEMBER_T, ASSIGNMENT_T.c.crew_member_id == MEMBER_T.c.id)
                .where(ASSIGNMENT_T.c.deleted_at.is_(None), PROJECT_T.c.deleted_at.is_(None),
                       MEMBER_T.c.deleted_at.is_(None),
                       ASSIGNMENT_T.c.starts_at < hi, ASSIGNMENT_T.c.ends_at > lo)
            )
            assignments = {row.id: _assignment(row) for row in rows}
            calls = _load_calls(conn, self.start - timedelta(days=MAX_CALL_DAYS), self.end)
        role_order = {rid: i for i, rid in enumerate(roles)}

        def crew_key(c: CrewInfo) -> tuple[int, str]:
            first = min((role_order.get(r, len(role_order)) for r in c.role_ids), default=len(role_order))
            return first, c.name.casefold()

        if notify:
            self._emit(BoardChange(BoardChangeKind.RESET, before=True))
        self.roles = roles
        self.projects = {p.id: p.name for p in projects}
        self.project_status = {p.id: p.status for p in projects}
        self.turnaround = {p.id: p.min_turnaround_hours for p in projects}
        self.crew = {c.id: c for c in sorted(crew.values(), key=crew_key)}
        self.assignments = assignments
        self._calls = calls
        self.conflicts = detect_conflicts(self.crew, assignments.values(), self.turnaround, self.projects)
        if notify:
            self._emit(BoardChange(BoardChangeKind.RESET))

    def set_range(self, start: date, end: date) -> None:
        if end < start:
            raise InputError("The range must end on or after its first day.")
        self.start, self.end = start, end
        self.reload()

    # -- listeners ---------------------------------------------------------------------------

    def subscribe(self, listener: BoardListener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: BoardListener) -> None:
        self._listeners.remove(listener)

    def _emit(self, change: BoardChange) -> None:
        for listener in list(self._listeners):
            listener(change)

    # -- queries -----------------------------------------------------------------------------

    def assignments_of(self, crew_member_id: uuid.UUID) -> list[AssignmentInfo]:
        return sorted((a for a in self.assignments.values() if a.crew_member_id == crew_member_id),
                      key=lambda a: a.starts_at)

    def open_positions(self, day: date, include_filled: bool = False) -> list[OpenPosition]:
        """The labour calls of quoted, won and in-production projects that cover ``day``.

        ``needed`` is the line's headcount, ``filled`` the assignments on that line starting that
        day. Only calls with people still needed, unless ``include_filled``.
        """
        filled: dict[uuid.UUID, int] = defaultdict(int)
        for a in self.assignments.values():
            if a.line_item_id is not None and a.starts_at.date() == day:
                filled[a.line_item_id] += 1
        found = []
        for call in self._calls:
            if not call.first_day <= day < call.first_day + timedelta(days=call.days):
                continue
            n = filled.get(call.line_item_id, 0)
            if n >= call.needed and not include_filled:
                continue
            starts = datetime.combine(day, call.start)
            role = self.roles.get(call.role_id) if call.role_id else None
            found.append(OpenPosition(
                project_id=call.project_id, project_name=self.projects.get(call.project_id, ""),
                line_item_id=call.line_item_id, role_id=call.role_id,
                role_name=role.name if role else call.description, phase=call.phase, day=day,
                starts_at=starts, ends_at=starts + call.duration, needed=call.needed, filled=n,
            ))
        found.sort(key=lambda p: (p.starts_at, p.project_name, p.role_name))
        return found

    # -- edits -------------------------------------------------------------------------------

    def assign(self, crew_member_id: uuid.UUID, position: OpenPosition,
               status: AssignmentStatus = AssignmentStatus.TENTATIVE,
               assignment_id: uuid.UUID | None = None) -> AssignmentInfo:
        """Put a person on a position's call for its day; return the new assignment."""
        if crew_member_id not in self.crew:
            raise InputError("That crew member is not on the board; reload and try again.")
        _check_times(position.starts_at, position.ends_at)
        row = CrewAssignment(
            crew_member_id=crew_member_id, project_id=position.project_id,
            line_item_id=position.line_item_id, role_id=position.role_id,
            starts_at=position.starts_at, ends_at=position.ends_at, status=AssignmentStatus(status).value,
        )
        if assignment_id is not None:
            row.id = assignment_id
        with self.db.write() as conn:
            insert_record(conn, ASSIGNMENT_T, row)
        info = _assignment(row)
        self._add(info)
        return info

    def move(self, assignment_id: uuid.UUID, crew_member_id: uuid.UUID, starts_at: datetime,
             ends_at: datetime) -> tuple[uuid.UUID, datetime, datetime]:
        """Move or resize an assignment, or give it to someone else; return the old values."""
        old = self.assignments[assignment_id]
        if crew_member_id not in self.crew:
            raise InputError("That crew member is not on the board; reload and try again.")
        _check_times(starts_at, ends_at)
        new = replace(old, crew_member_id=crew_member_id, starts_at=starts_at, ends_at=ends_at,
                      version=old.version + 1)
        with self.db.write() as conn:
            update_versioned(conn, ASSIGNMENT_T, old.id, old.version, {
                "crew_member_id": crew_member_id, "starts_at": starts_at, "ends_at": ends_at})
        self._change(new, {old.crew_member_id, crew_member_id})
        return old.crew_member_id, old.starts_at, old.ends_at

    def set_status(self, assignment_id: uuid.UUID, status: AssignmentStatus) -> AssignmentStatus:
        """Confirm or make tentative; return the old status."""
        old = self.assignments[assignment_id]
        status = AssignmentStatus(status)
        with self.db.write() as conn:
            update_versioned(conn, ASSIGNMENT_T, old.id, old.version, {"status": status.value})
        self._change(replace(old, status=status, version=old.version + 1), {old.crew_member_id})
        return old.status

    def delete(self, assignment_id: uuid.UUID) -> None:
        """Tombstone an assignment (restore brings it back)."""
        old = self.assignments[assignment_id]
        with self.db.write() as conn:
            update_versioned(conn, ASSIGNMENT_T, old.id, old.version, {"deleted_at": utcnow()})
        self._emit(BoardChange(BoardChangeKind.REMOVED, assignment_id, before=True))
        del self.assignments[assignment_id]
        others = self._recheck({old.crew_member_id}, assignment_id)
        self._announce(BoardChange(BoardChangeKind.REMOVED, assignment_id), others)

    def restore(self, assignment_id: uuid.UUID) -> AssignmentInfo:
        """Bring a deleted assignment back: the undo of delete and the redo of assign."""
        with self.db.write() as conn:
            row = conn.execute(select(ASSIGNMENT_T).where(ASSIGNMENT_T.c.id == assignment_id)).first()
            if row is None:
                raise ConcurrentEditError("That assignment no longer exists.")
            update_versioned(conn, ASSIGNMENT_T, assignment_id, row.version, {"deleted_at": None})
        info = replace(_assignment(row), version=row.version + 1)
        if info.crew_member_id not in self.crew:
            self.reload()
            return info
        self._add(info)
        return info

    # -- bookkeeping -------------------------------------------------------------------------

    def _add(self, info: AssignmentInfo) -> None:
        self._emit(BoardChange(BoardChangeKind.ADDED, info.id, before=True))
        self.assignments[info.id] = info
        others = self._recheck({info.crew_member_id}, info.id)
        self._announce(BoardChange(BoardChangeKind.ADDED, info.id), others)

    def _change(self, new: AssignmentInfo, people: set[uuid.UUID]) -> None:
        self.assignments[new.id] = new
        others = self._recheck(people, new.id)
        self._announce(BoardChange(BoardChangeKind.CHANGED, new.id), others)

    def _announce(self, change: BoardChange, others_changed: bool) -> None:
        self._emit(change)
        if others_changed:
            self._emit(BoardChange(BoardChangeKind.CONFLICTS))

    def _recheck(self, people: set[uuid.UUID], changed: uuid.UUID) -> bool:
        """Recompute the conflicts of ``people`` (conflicts never cross people); say whether
        another assignment's conflicts changed."""
        mine = [a for a in self.assignments.values() if a.crew_member_id in people]
        fresh = detect_conflicts(self.crew, mine, self.turnaround, self.projects)
        stale = {aid for aid in self.conflicts
                 if (a := self.assignments.get(aid)) is None or a.crew_member_id in people}
        others_changed = False
        for aid in stale | set(fresh):
            before, after = self.conflicts.get(aid), fresh.get(aid)
            if after is None:
                self.conflicts.pop(aid, None)
            else:
                self.conflicts[aid] = after
            if aid != changed and before != after:
                others_changed = True
        return others_changed


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise InputError("An assignment must end after it starts.")
    if ends_at - starts_at > timedelta(days=7):
        raise InputError("An assignment can last at most 7 days; split a longer call into days.")


def _assignment(row: Any) -> AssignmentInfo:
    return AssignmentInfo(
        id=row.id, crew_member_id=row.crew_member_id, project_id=row.project_id,
        line_item_id=row.line_item_id, role_id=row.role_id, starts_at=row.starts_at,
        ends_at=row.ends_at, status=AssignmentStatus(row.status), version=row.version,
    )


def _load_calls(conn: Connection, first: date, last: date) -> list[_Call]:
    """The labour calls of staffed projects whose first day is in ``first``..``last``: one query.

    A project's calls come from its first scenario (lowest estimate position), so that "Full
    booth" and "Half booth" do not both ask for people.
    """
    rows = conn.execute(
        select(LINE_T.c.id, LINE_T.c.role_id, LINE_T.c.description, LINE_T.c.phase, LINE_T.c.call_date,
               LINE_T.c.days, LINE_T.c.hours, LINE_T.c.start_time, LINE_T.c.end_time, LINE_T.c.quantity,
               ESTIMATE_T.c.id.label("estimate_id"), ESTIMATE_T.c.position.label("estimate_position"),
               ESTIMATE_T.c.created_at.label("estimate_created"), ESTIMATE_T.c.project_id)
        .join(SECTION_T, LINE_T.c.section_id == SECTION_T.c.id)
        .join(ESTIMATE_T, SECTION_T.c.estimate_id == ESTIMATE_T.c.id)
        .join(PROJECT_T, ESTIMATE_T.c.project_id == PROJECT_T.c.id)
        .where(
            LINE_T.c.kind == LineKind.LABOUR.value, LINE_T.c.deleted_at.is_(None),
            SECTION_T.c.deleted_at.is_(None), ESTIMATE_T.c.deleted_at.is_(None),
            PROJECT_T.c.deleted_at.is_(None), PROJECT_T.c.status.in_(STAFFED_STATUSES),
            LINE_T.c.call_date.is_not(None), LINE_T.c.call_date >= first, LINE_T.c.call_date <= last,
        )
        .order_by(LINE_T.c.call_date, LINE_T.c.position)
    ).all()
    lead: dict[uuid.UUID, tuple[int, datetime, uuid.UUID]] = {}
    for row in rows:
        key = (row.estimate_position, row.estimate_created, row.estimate_id)
        if row.project_id not in lead or key < lead[row.project_id]:
            lead[row.project_id] = key
    calls = []
    for row in rows:
        if row.estimate_id != lead[row.project_id][2]:
            continue
        start, duration = call_hours(row.start_time, row.end_time, row.hours)
        calls.append(_Call(
            project_id=row.project_id, line_item_id=row.id, role_id=row.role_id,
            description=row.description, phase=row.phase or "", first_day=row.call_date,
            days=max(1, math.ceil(row.days)) if row.days is not None else 1,
            start=start, duration=duration,
            needed=max(0, math.ceil(row.quantity)) if row.quantity is not None else 0,
        ))
    return calls


def call_hours(start: time | None, end: time | None, hours: Decimal | None) -> tuple[time, timedelta]:
    """A call's daily start and length: its start and end times (an end at or before the start
    is the next morning), else 08:00 plus its hours (8 when it has none)."""
    begin = start or DEFAULT_CALL_START
    if start is not None and end is not None:
        length = datetime.combine(date.min, end) - datetime.combine(date.min, start)
        if length <= timedelta(0):
            length += timedelta(days=1)
        return begin, length
    if hours is None or hours <= 0:
        hours = DEFAULT_CALL_HOURS
    return begin, timedelta(seconds=int(hours * SECONDS_PER_HOUR))


