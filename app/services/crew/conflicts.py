"""Crew conflicts: double-bookings, wrong roles, weeks over the limit, unavailable days, short rests.

:func:`detect_conflicts` is pure: given the crew and their assignments it finds them by sorting
each person's assignments by start and sweeping once (near-linear in the number of assignments).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import operator
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

from app.services.crew.records import SECONDS_PER_HOUR, AssignmentInfo, ConflictKind, CrewConflict, CrewInfo


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
    rest = {p: timedelta(seconds=int(h * SECONDS_PER_HOUR))
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
    return Decimal(int(span.total_seconds())) / SECONDS_PER_HOUR


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
    cap = timedelta(seconds=int(limit * SECONDS_PER_HOUR))
    return {monday: _hours(span) for monday, span in spans.items() if span > cap}


