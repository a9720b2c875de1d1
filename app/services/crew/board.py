"""The crew: who can work, who is on which call, and what is wrong with that.

:func:`detect_conflicts` is pure: given the crew and their assignments it finds
double-bookings, roles a person cannot fill, weeks over a person's maximum
hours, unavailable days and short turnarounds, by sorting each person's
assignments by start and sweeping once (near-linear in the number of
assignments).

:class:`CrewBoard` is the calendar's data for a date range, in the manner of
:class:`~app.services.estimate.document.EstimateDocument`: it loads with a fixed number
of queries, keeps plain frozen objects, writes each change in one short
transaction with an optimistic version check (a lost race raises
:class:`~app.services.estimate.document.EditConflict` and writes nothing), recomputes
the conflicts of the people a change touched, and announces the change to
listeners, structural changes twice (``before=True`` first) for Qt models.

The module functions at the end are plain CRUD for crew members, their roles
(with personal cost rates), unavailable days and maximum weekly hours; they
validate first and raise :class:`~app.services.values.InputError` with a
message to show.

All times are naive datetimes in the venue's local time; a week runs Monday to
Sunday.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import math
import operator
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from app.models import (
    CrewAssignment,
    CrewMember,
    CrewRole,
    CrewUnavailability,
    Estimate,
    LabourRuleSet,
    LineItem,
    Project,
    Role,
    Section,
)
from app.models.enums import AssignmentStatus, CallPhase, CrewKind, LineKind, ProjectStatus
from app.models.types import utcnow
from app.services.estimate.document import ConcurrentEditError, update_versioned
from app.services.lookups import RoleInfo
from app.services.storage.database import Database
from app.services.values import InputError, parse_decimal, parse_text

MEMBER_T = CrewMember.__table__  # type: ignore[attr-defined]
CREW_ROLE_T = CrewRole.__table__  # type: ignore[attr-defined]
UNAVAILABLE_T = CrewUnavailability.__table__  # type: ignore[attr-defined]
ASSIGNMENT_T = CrewAssignment.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]
RULE_SET_T = LabourRuleSet.__table__  # type: ignore[attr-defined]
ROLE_T = Role.__table__  # type: ignore[attr-defined]
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]

# Projects whose labour calls need people: sold or about to be.
STAFFED_STATUSES = (ProjectStatus.QUOTED.value, ProjectStatus.WON.value, ProjectStatus.IN_PRODUCTION.value)
DEFAULT_CALL_START = time(8, 0)
DEFAULT_CALL_HOURS = Decimal(8)
# A call is read if its first day lies at most this many days before the board's range.
MAX_CALL_DAYS = 62
_HOUR = Decimal(3600)


# -- plain objects --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CrewInfo:
    id: uuid.UUID
    name: str
    kind: CrewKind
    role_ids: frozenset[uuid.UUID]
    cost_rate_overrides: dict[uuid.UUID, Decimal]  # role id -> personal cost rate
    max_weekly_hours: Decimal | None
    unavailable: frozenset[date]
    version: int


@dataclass(frozen=True, slots=True)
class AssignmentInfo:
    id: uuid.UUID
    crew_member_id: uuid.UUID
    project_id: uuid.UUID
    line_item_id: uuid.UUID | None
    role_id: uuid.UUID | None
    starts_at: datetime  # naive, venue local time
    ends_at: datetime
    status: AssignmentStatus
    version: int

    @property
    def hours(self) -> Decimal:
        return Decimal(int((self.ends_at - self.starts_at).total_seconds())) / _HOUR


class ConflictKind(StrEnum):
    DOUBLE_BOOKED = "double_booked"
    ROLE = "role"
    WEEKLY_HOURS = "weekly_hours"
    UNAVAILABLE = "unavailable"
    TURNAROUND = "turnaround"


@dataclass(frozen=True, slots=True)
class CrewConflict:
    assignment_id: uuid.UUID
    kind: str  # a ConflictKind value
    message: str  # e.g. "Also on Orbital Summit keynote, Tue 18 May 08:00–18:00"


@dataclass(frozen=True, slots=True)
class OpenPosition:
    """A labour call's day with people still needed: what a drop onto the calendar offers."""

    project_id: uuid.UUID
    project_name: str
    line_item_id: uuid.UUID
    role_id: uuid.UUID | None
    role_name: str
    phase: str
    day: date
    starts_at: datetime
    ends_at: datetime
    needed: int
    filled: int

    @property
    def open(self) -> int:
        return max(0, self.needed - self.filled)


class BoardChangeKind(StrEnum):
    ADDED = "added"  # an assignment appeared (assign, restore)
    CHANGED = "changed"  # moved, resized, re-staffed or its status changed
    REMOVED = "removed"  # deleted
    CONFLICTS = "conflicts"  # other assignments' conflicts changed (assignment_id is None)
    RESET = "reset"  # reload or a new range


@dataclass(frozen=True, slots=True)
class BoardChange:
    """What a board change did. ADDED, REMOVED and RESET come twice: ``before=True`` just
    before the board's dicts change, then after; every announcement follows the commit."""

    kind: BoardChangeKind
    assignment_id: uuid.UUID | None = None
    before: bool = False


BoardListener = Callable[[BoardChange], None]


# -- conflicts ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _day(day: date) -> str:
    """"Tue 9 Mar"."""
    return f"{day:%a} {day.day} {day:%b}"


def _when(start: datetime, end: datetime) -> str:
    return f"{_day(start.date())} {start:%H:%M}–{end:%H:%M}"


@functools.lru_cache(maxsize=4096)
def _hours_text(value: Decimal | float) -> str:
    number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    return f"{number:f} h"


def detect_conflicts(
    crew: Mapping[uuid.UUID, CrewInfo],
    assignments: Iterable[AssignmentInfo],
    turnaround_hours: Mapping[uuid.UUID, Decimal | None],  # project id -> min turnaround
    project_names: Mapping[uuid.UUID, str] | None = None,
) -> dict[uuid.UUID, list[CrewConflict]]:
    """Every assignment with something wrong, mapped to what is wrong (in kind order).

    - double_booked: another assignment of the same person overlaps it (touching ends do not);
    - role: it names a role the person cannot fill;
    - weekly_hours: the person's hours in a Monday–Sunday week it touches exceed their maximum
      (an assignment over midnight on Sunday counts in both weeks);
    - unavailable: it touches a day the person marked unavailable;
    - turnaround: the rest since the person's latest finish on an earlier start day is shorter
      than the larger minimum turnaround of the two projects (0 h rest is one continuous shift).

    One sort and one sweep per person; ``project_names`` labels the double-booking messages.
    """
    with _gc_paused():
        return _detect(crew, assignments, turnaround_hours, project_names)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector: detection allocates many small acyclic objects, and
    each full collection would walk every assignment again (a third of the time at 100,000)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _detect(
    crew: Mapping[uuid.UUID, CrewInfo],
    assignments: Iterable[AssignmentInfo],
    turnaround_hours: Mapping[uuid.UUID, Decimal | None],
    project_names: Mapping[uuid.UUID, str] | None,
) -> dict[uuid.UUID, list[CrewConflict]]:
    names = project_names or {}
    rest = {p: timedelta(seconds=int(h * _HOUR))
            for p, h in turnaround_hours.items() if h is not None and h > 0}
    longest_rest = max(rest.values(), default=None)
    # Keyed by the UUIDs' integers and by object identity: hashing a UUID runs Python code.
    by_person: dict[int, list[AssignmentInfo]] = defaultdict(list)
    for a in assignments:
        by_person[a.crew_member_id.int].append(a)
    found: dict[uuid.UUID, list[CrewConflict]] = {}

    def add(a: AssignmentInfo, kind: ConflictKind, message: str) -> None:
        found.setdefault(a.id, []).append(CrewConflict(a.id, kind.value, message))

    for items in by_person.values():
        person = crew.get(items[0].crew_member_id)
        items.sort(key=_by_time)
        overlaps: dict[int, list[AssignmentInfo]] = {}
        short_rest: dict[int, AssignmentInfo] = {}
        active: list[AssignmentInfo] = []
        reach = datetime.min  # the latest end among the active assignments
        latest: AssignmentInfo | None = None  # latest finish among earlier start days
        day_latest: AssignmentInfo | None = None  # latest finish on the current start day
        current_day: date | None = None
        for a in items:
            start, end = a.starts_at, a.ends_at
            if start >= reach:  # the usual case: nothing still running
                active = [a]
                reach = end
            else:
                active = [b for b in active if b.ends_at > start]
                for b in active:
                    overlaps.setdefault(id(a), []).append(b)
                    overlaps.setdefault(id(b), []).append(a)
                active.append(a)
                if end > reach:
                    reach = end
            day = start.date()
            if day != current_day:
                if day_latest is not None and (latest is None or day_latest.ends_at > latest.ends_at):
                    latest = day_latest
                day_latest, current_day = None, day
            if (longest_rest is not None and latest is not None and latest.ends_at < start
                    and start - latest.ends_at < longest_rest):
                need = max(rest.get(a.project_id, _NO_REST), rest.get(latest.project_id, _NO_REST))
                if start - latest.ends_at < need:
                    short_rest[id(a)] = latest
            if day_latest is None or end > day_latest.ends_at:
                day_latest = a
        if person is None:
            for a in items:
                for b in overlaps.get(id(a), ()):
                    add(a, ConflictKind.DOUBLE_BOOKED, _also_on(b, names))
            continue
        over_weeks = _weeks_over(items, person.max_weekly_hours)
        week_messages: dict[int, str] = {}
        role_ints = frozenset(r.int for r in person.role_ids)
        unavailable = person.unavailable
        for a in items:
            if overlaps and id(a) in overlaps:
                for b in overlaps[id(a)]:
                    add(a, ConflictKind.DOUBLE_BOOKED, _also_on(b, names))
            if a.role_id is not None and a.role_id.int not in role_ints:
                add(a, ConflictKind.ROLE, f"{person.name} is not listed for this role")
            if over_weeks:
                for monday in _week_starts(a):
                    if monday in over_weeks:
                        message = week_messages.get(monday)
                        if message is None:
                            message = week_messages[monday] = (
                                f"{_hours_text(over_weeks[monday])} in the week of "
                                f"{_day(date.fromordinal(monday))}, over {person.name}'s maximum of "
                                f"{_hours_text(person.max_weekly_hours or 0)}")
                        add(a, ConflictKind.WEEKLY_HOURS, message)
            if unavailable:
                first = a.starts_at.date()
                if a.ends_at.date() == first:
                    if first in unavailable:
                        add(a, ConflictKind.UNAVAILABLE, f"{person.name} is unavailable on {_day(first)}")
                else:
                    for day in _days(a):
                        if day in unavailable:
                            add(a, ConflictKind.UNAVAILABLE, f"{person.name} is unavailable on {_day(day)}")
            if short_rest and id(a) in short_rest:
                prev = short_rest[id(a)]
                need = max(rest.get(a.project_id, _NO_REST), rest.get(prev.project_id, _NO_REST))
                add(a, ConflictKind.TURNAROUND,
                    f"Only {_hours_text(_hours(a.starts_at - prev.ends_at))} rest after "
                    f"{names.get(prev.project_id, 'the previous call')} (ends {prev.ends_at:%a %H:%M}); "
                    f"the minimum turnaround is {_hours_text(_hours(need))}")
    return found


_NO_REST = timedelta(0)


_by_time = operator.attrgetter("starts_at", "ends_at")


def _hours(span: timedelta) -> Decimal:
    return Decimal(int(span.total_seconds())) / _HOUR


def _also_on(b: AssignmentInfo, names: Mapping[uuid.UUID, str]) -> str:
    return f"Also on {names.get(b.project_id, 'another project')}, {_when(b.starts_at, b.ends_at)}"


def _days(a: AssignmentInfo) -> Iterable[date]:
    """The calendar days an assignment touches (its end instant excluded)."""
    first = a.starts_at.date()
    if a.ends_at.date() == first or a.ends_at <= a.starts_at:
        return (first,)
    last = (a.ends_at - timedelta(microseconds=1)).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _week_starts(a: AssignmentInfo) -> Iterable[int]:
    """Ordinals of the Mondays of the weeks an assignment touches."""
    start = a.starts_at
    first = start.toordinal() - start.weekday()
    if a.ends_at <= _week_end(first) or a.ends_at <= start:
        return (first,)
    end = a.ends_at - timedelta(microseconds=1)
    return range(first, end.toordinal() - end.weekday() + 1, 7)


_WEEK_ENDS: dict[int, datetime] = {}


def _week_end(monday: int) -> datetime:
    """Midnight at the end of the week that starts on the Monday with ordinal ``monday``."""
    end = _WEEK_ENDS.get(monday)
    if end is None:
        end = _WEEK_ENDS[monday] = datetime.fromordinal(monday + 7)
    return end


def _weeks_over(items: list[AssignmentInfo], limit: Decimal | None) -> dict[int, Decimal]:
    """Monday ordinal -> hours, for the weeks whose hours exceed ``limit``."""
    if limit is None:
        return {}
    spans: dict[int, timedelta] = defaultdict(timedelta)
    for a in items:
        start, end = a.starts_at, a.ends_at
        monday = start.toordinal() - start.weekday()
        while end > start:
            week_end = _week_end(monday)
            stop = end if end <= week_end else week_end
            spans[monday] += stop - start
            start, monday = stop, monday + 7
    cap = timedelta(seconds=int(limit * _HOUR))
    return {monday: _hours(span) for monday, span in spans.items() if span > cap}


# -- the board ------------------------------------------------------------------------------------


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
            roles = _load_roles(conn)
            projects = conn.execute(
                select(PROJECT_T.c.id, PROJECT_T.c.name, PROJECT_T.c.status,
                       RULE_SET_T.c.min_turnaround_hours)
                .outerjoin(RULE_SET_T, and_(PROJECT_T.c.labour_rule_set_id == RULE_SET_T.c.id,
                                            RULE_SET_T.c.deleted_at.is_(None)))
                .where(PROJECT_T.c.deleted_at.is_(None))
                .order_by(PROJECT_T.c.name)
            ).all()
            crew = _load_crew(conn, self.load_start, self.load_end)
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
            _insert(conn, ASSIGNMENT_T, row)
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


def _load_roles(conn: Connection) -> dict[uuid.UUID, RoleInfo]:
    return {
        row.id: RoleInfo(row.id, row.name, row.cost_rate, row.bill_rate)
        for row in conn.execute(
            select(ROLE_T.c.id, ROLE_T.c.name, ROLE_T.c.cost_rate, ROLE_T.c.bill_rate)
            .where(ROLE_T.c.deleted_at.is_(None))
            .order_by(ROLE_T.c.name)
        )
    }


def _load_crew(conn: Connection, first: date | None = None,
               after: date | None = None) -> dict[uuid.UUID, CrewInfo]:
    """Crew members with their roles and unavailable days (in ``first``..before ``after``, if given):
    three queries."""
    members = conn.execute(
        select(MEMBER_T.c.id, MEMBER_T.c.name, MEMBER_T.c.kind, MEMBER_T.c.max_weekly_hours,
               MEMBER_T.c.version)
        .where(MEMBER_T.c.deleted_at.is_(None))
        .order_by(MEMBER_T.c.name)
    ).all()
    roles: dict[uuid.UUID, dict[uuid.UUID, Decimal | None]] = defaultdict(dict)
    for row in conn.execute(
        select(CREW_ROLE_T.c.crew_member_id, CREW_ROLE_T.c.role_id, CREW_ROLE_T.c.cost_rate_override)
        .join(ROLE_T, CREW_ROLE_T.c.role_id == ROLE_T.c.id)
        .where(CREW_ROLE_T.c.deleted_at.is_(None), ROLE_T.c.deleted_at.is_(None))
    ):
        roles[row.crew_member_id][row.role_id] = row.cost_rate_override
    days_query = select(UNAVAILABLE_T.c.crew_member_id, UNAVAILABLE_T.c.day).where(
        UNAVAILABLE_T.c.deleted_at.is_(None))
    if first is not None and after is not None:
        days_query = days_query.where(UNAVAILABLE_T.c.day >= first, UNAVAILABLE_T.c.day < after)
    days: dict[uuid.UUID, set[date]] = defaultdict(set)
    for row in conn.execute(days_query):
        days[row.crew_member_id].add(row.day)
    return {
        m.id: CrewInfo(
            id=m.id, name=m.name, kind=CrewKind(m.kind), role_ids=frozenset(roles.get(m.id, ())),
            cost_rate_overrides={r: v for r, v in roles.get(m.id, {}).items() if v is not None},
            max_weekly_hours=m.max_weekly_hours, unavailable=frozenset(days.get(m.id, ())),
            version=m.version,
        )
        for m in members
    }


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
    return begin, timedelta(seconds=int(hours * _HOUR))


# -- crew CRUD ------------------------------------------------------------------------------------

_MEMBER_LIMITS = {"name": 200, "email": 200, "phone": 50, "notes": 10_000}


def load_crew(db: Database) -> dict[uuid.UUID, CrewInfo]:
    """Every crew member, by name, with roles and all unavailable days (three queries)."""
    with db.read() as conn:
        return _load_crew(conn)


def parse_member_fields(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate crew member fields as typed; raise InputError naming the first bad one."""
    parsed: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "name":
            parsed[key] = parse_text(value, "Name", max_length=200, required=True)
        elif key in _MEMBER_LIMITS:
            parsed[key] = parse_text(value, key.capitalize(), max_length=_MEMBER_LIMITS[key],
                                     multiline=key == "notes")
        elif key == "kind":
            try:
                parsed[key] = CrewKind(str(value).strip().lower()).value
            except ValueError:
                raise InputError("Kind must be staff, freelance or union.") from None
        elif key == "max_weekly_hours":
            parsed[key] = parse_decimal("" if value is None else value, "Maximum weekly hours",
                                        minimum=Decimal(1), maximum=Decimal(168), places=2, allow_empty=True)
        else:
            raise InputError(f"A crew member has no field {key!r}.")
    return parsed


def add_crew_member(db: Database, name: str, kind: CrewKind | str = CrewKind.FREELANCE,
                    max_weekly_hours: Decimal | str | None = None, **fields: Any) -> uuid.UUID:
    values = parse_member_fields({"name": name, "kind": kind, "max_weekly_hours": max_weekly_hours, **fields})
    member = CrewMember(**values)
    with db.write() as conn:
        _insert(conn, MEMBER_T, member)
    return member.id


def update_crew_member(db: Database, member_id: uuid.UUID, version: int, **changes: Any) -> int:
    """Change a member's fields if nobody else did since ``version``; return the new version."""
    values = parse_member_fields(changes)
    with db.write() as conn:
        update_versioned(conn, MEMBER_T, member_id, version, values)
    return version + 1


def delete_crew_member(db: Database, member_id: uuid.UUID, version: int) -> None:
    """Tombstone a member; their assignments stay (and show on no board)."""
    with db.write() as conn:
        update_versioned(conn, MEMBER_T, member_id, version, {"deleted_at": utcnow()})


def restore_crew_member(db: Database, member_id: uuid.UUID) -> None:
    """Bring a deleted crew member back (the undo of a delete)."""
    with db.write() as conn:
        row = conn.execute(select(MEMBER_T.c.version).where(MEMBER_T.c.id == member_id)).first()
        if row is None:
            raise InputError("That crew member no longer exists.")
        update_versioned(conn, MEMBER_T, member_id, row.version, {"deleted_at": None})


def set_crew_role(db: Database, member_id: uuid.UUID, role_id: uuid.UUID,
                  cost_rate_override: Decimal | str | None = None) -> None:
    """Let a member fill a role, optionally at a personal cost rate (set again to change it)."""
    rate = parse_decimal("" if cost_rate_override is None else cost_rate_override, "Personal cost rate",
                         places=2, allow_empty=True)
    with db.write() as conn:
        _require(conn, MEMBER_T, member_id, "That crew member no longer exists.")
        _require(conn, ROLE_T, role_id, "That role no longer exists.")
        existing = conn.execute(
            select(CREW_ROLE_T.c.id, CREW_ROLE_T.c.version).where(
                CREW_ROLE_T.c.crew_member_id == member_id, CREW_ROLE_T.c.role_id == role_id)
        ).first()
        if existing is None:
            row = CrewRole(crew_member_id=member_id, role_id=role_id, cost_rate_override=rate)
            _insert(conn, CREW_ROLE_T, row)
        else:
            update_versioned(conn, CREW_ROLE_T, existing.id, existing.version,
                                         {"cost_rate_override": rate, "deleted_at": None})


def remove_crew_role(db: Database, member_id: uuid.UUID, role_id: uuid.UUID) -> None:
    with db.write() as conn:
        existing = conn.execute(
            select(CREW_ROLE_T.c.id, CREW_ROLE_T.c.version).where(
                CREW_ROLE_T.c.crew_member_id == member_id, CREW_ROLE_T.c.role_id == role_id,
                CREW_ROLE_T.c.deleted_at.is_(None))
        ).first()
        if existing is not None:
            update_versioned(conn, CREW_ROLE_T, existing.id, existing.version,
                                         {"deleted_at": utcnow()})


def set_unavailable(db: Database, member_id: uuid.UUID, day: date, unavailable: bool = True,
                    reason: str = "") -> None:
    """Mark a day unavailable (or available again) for a member."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise InputError("An unavailable day must be a date.")
    reason = parse_text(reason, "Reason", max_length=200)
    with db.write() as conn:
        _require(conn, MEMBER_T, member_id, "That crew member no longer exists.")
        existing = conn.execute(
            select(UNAVAILABLE_T.c.id, UNAVAILABLE_T.c.version, UNAVAILABLE_T.c.deleted_at).where(
                UNAVAILABLE_T.c.crew_member_id == member_id, UNAVAILABLE_T.c.day == day)
        ).all()
        live = [r for r in existing if r.deleted_at is None]
        if unavailable and not live:
            unavailable_row = CrewUnavailability(crew_member_id=member_id, day=day, reason=reason)
            _insert(conn, UNAVAILABLE_T, unavailable_row)
        elif unavailable:
            update_versioned(conn, UNAVAILABLE_T, live[0].id, live[0].version, {"reason": reason})
        else:
            for r in live:
                update_versioned(conn, UNAVAILABLE_T, r.id, r.version, {"deleted_at": utcnow()})


def _insert(conn: Connection, table: Any, record: Any) -> None:
    conn.execute(table.insert().values(**{c.name: getattr(record, c.name) for c in table.columns}))


def _require(conn: Connection, table: Any, row_id: uuid.UUID, message: str) -> None:
    found = conn.execute(select(table.c.id).where(table.c.id == row_id, table.c.deleted_at.is_(None))).first()
    if found is None:
        raise ConcurrentEditError(message)


__all__ = [
    "AssignmentInfo", "BoardChange", "BoardChangeKind", "CallPhase", "ConflictKind", "CrewBoard",
    "CrewConflict", "CrewInfo", "OpenPosition", "add_crew_member", "call_hours", "delete_crew_member",
    "detect_conflicts", "load_crew", "parse_member_fields", "remove_crew_role", "set_crew_role",
    "set_unavailable", "update_crew_member",
]
