"""Crew services: conflict detection (hand-built cases and a brute-force reference), the board's
loading, edits, races, tombstones and open positions, and crew CRUD validation."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select, update

from app.models import CrewAssignment, LineItem, Project, Section
from app.models.enums import AssignmentStatus, CrewKind
from app.services.crew.board import CrewBoard, call_hours
from app.services.crew.conflicts import detect_conflicts
from app.services.crew.people import (
    add_crew_member,
    delete_crew_member,
    load_crew,
    remove_crew_role,
    set_crew_role,
    set_unavailable,
    update_crew_member,
)
from app.services.crew.records import AssignmentInfo, BoardChange, BoardChangeKind, CrewInfo
from app.services.estimate.document import ConcurrentEditError, EditConflict
from app.services.storage.database import Database
from app.services.values import InputError
from tests.factories import make_estimate, make_project

ASSIGN_T = CrewAssignment.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
LINE_T = LineItem.__table__  # type: ignore[attr-defined]

RIGGER, STAGEHAND = uuid.uuid4(), uuid.uuid4()
P1, P2 = uuid.uuid4(), uuid.uuid4()
NAMES = {P1: "Vantage @ MedTech Expo", P2: "Orbital Summit keynote"}
MON = date(2027, 3, 8)  # a Monday


def person(name: str = "Ana", roles: frozenset[uuid.UUID] = frozenset({RIGGER}),
           max_hours: Decimal | None = None, unavailable: frozenset[date] = frozenset()) -> CrewInfo:
    return CrewInfo(uuid.uuid4(), name, CrewKind.UNION, roles, {}, max_hours, unavailable, 1)


def at(day: date, hour: float) -> datetime:
    return datetime.combine(day, time()) + timedelta(hours=hour)


def job(who: CrewInfo, start: datetime, end: datetime, project: uuid.UUID = P1,
        role: uuid.UUID | None = RIGGER) -> AssignmentInfo:
    return AssignmentInfo(uuid.uuid4(), who.id, project, None, role, start, end,
                          AssignmentStatus.TENTATIVE, 1)


def kinds(found: dict[uuid.UUID, list[Any]]) -> dict[uuid.UUID, list[str]]:
    return {aid: [c.kind for c in cs] for aid, cs in found.items()}


# -- hand-built conflicts ---------------------------------------------------------------------------


def test_double_booking_names_the_other_project_and_times() -> None:
    ana = person()
    a = job(ana, at(MON, 8), at(MON, 18), P1)
    b = job(ana, at(MON, 17), at(MON, 22), P2)
    found = detect_conflicts({ana.id: ana}, [a, b], {}, NAMES)
    assert kinds(found) == {a.id: ["double_booked"], b.id: ["double_booked"]}
    assert found[a.id][0].message == "Also on Orbital Summit keynote, Mon 8 Mar 17:00–22:00"
    assert found[b.id][0].message == "Also on Vantage @ MedTech Expo, Mon 8 Mar 08:00–18:00"


def test_back_to_back_calls_are_no_conflict() -> None:
    ana = person(max_hours=Decimal(60))
    calls = [
        job(ana, at(MON, 8), at(MON, 12)),  # load-in, then the show right after on the same day
        job(ana, at(MON, 12), at(MON, 18), P2),
        job(ana, at(MON + timedelta(days=1), 8), at(MON + timedelta(days=1), 18)),  # 14 h rest
        job(ana, at(MON + timedelta(days=1), 18), at(MON + timedelta(days=2), 2)),  # runs on overnight
        job(ana, at(MON + timedelta(days=2), 14), at(MON + timedelta(days=2), 20)),  # 12 h rest
    ]
    assert detect_conflicts({ana.id: ana}, calls, {P1: Decimal(10), P2: Decimal(12)}, NAMES) == {}


def test_a_role_the_person_cannot_fill() -> None:
    ana = person(roles=frozenset({STAGEHAND}))
    a = job(ana, at(MON, 8), at(MON, 18), role=RIGGER)
    ok = job(ana, at(MON + timedelta(days=1), 8), at(MON + timedelta(days=1), 18), role=STAGEHAND)
    none = job(ana, at(MON + timedelta(days=2), 8), at(MON + timedelta(days=2), 18), role=None)
    found = detect_conflicts({ana.id: ana}, [a, ok, none], {})
    assert kinds(found) == {a.id: ["role"]}
    assert found[a.id][0].message == "Ana is not listed for this role"


def test_over_maximum_weekly_hours_counts_monday_to_sunday() -> None:
    ana = person(max_hours=Decimal(40))
    # Four 10-hour days Mon–Thu: exactly 40, fine; a Sunday call the week before does not count.
    week = [job(ana, at(MON + timedelta(days=i), 8), at(MON + timedelta(days=i), 18)) for i in range(4)]
    sunday = job(ana, at(MON - timedelta(days=1), 8), at(MON - timedelta(days=1), 18))
    assert detect_conflicts({ana.id: ana}, [*week, sunday], {}) == {}
    friday = job(ana, at(MON + timedelta(days=4), 8), at(MON + timedelta(days=4), 10, ))
    found = detect_conflicts({ana.id: ana}, [*week, sunday, friday], {})
    assert set(found) == {a.id for a in [*week, friday]}
    assert found[friday.id][0].message == "42 h in the week of Mon 8 Mar, over Ana's maximum of 40 h"


def test_an_overnight_call_counts_in_both_weeks() -> None:
    ana = person(max_hours=Decimal(5))
    late = job(ana, at(MON - timedelta(days=1), 20), at(MON, 4))  # Sun 20:00 – Mon 04:00: 4 h + 4 h
    assert detect_conflicts({ana.id: ana}, [late], {}) == {}
    monday = job(ana, at(MON, 10), at(MON, 12))  # 4 + 2 = 6 h in the week of Monday
    found = detect_conflicts({ana.id: ana}, [late, monday], {})
    assert kinds(found) == {late.id: ["weekly_hours"], monday.id: ["weekly_hours"]}
    assert "6 h in the week of Mon 8 Mar" in found[late.id][0].message


def test_an_unavailable_day() -> None:
    ana = person(unavailable=frozenset({MON + timedelta(days=1)}))
    a = job(ana, at(MON, 20), at(MON + timedelta(days=1), 2))  # runs into the unavailable day
    b = job(ana, at(MON, 8), at(MON, 12))
    c = job(ana, at(MON + timedelta(days=2), 0), at(MON + timedelta(days=2), 4))
    found = detect_conflicts({ana.id: ana}, [a, b, c], {})
    assert kinds(found) == {a.id: ["unavailable"]}
    assert found[a.id][0].message == "Ana is unavailable on Tue 9 Mar"


def test_a_short_turnaround_gives_the_hours() -> None:
    ana = person()
    strike = job(ana, at(MON, 15), at(MON, 23), P2)
    load_in = job(ana, at(MON + timedelta(days=1), 7), at(MON + timedelta(days=1), 17), P1)
    found = detect_conflicts({ana.id: ana}, [strike, load_in], {P1: Decimal(10), P2: None}, NAMES)
    assert kinds(found) == {load_in.id: ["turnaround"]}
    assert found[load_in.id][0].message == (
        "Only 8 h rest after Orbital Summit keynote (ends Mon 23:00); the minimum turnaround is 10 h")
    # The larger minimum of the two projects applies, whichever call it belongs to.
    found = detect_conflicts({ana.id: ana}, [strike, load_in], {P1: None, P2: Decimal("8.5")}, NAMES)
    assert "Only 8 h rest" in found[load_in.id][0].message and "8.5 h" in found[load_in.id][0].message
    assert detect_conflicts({ana.id: ana}, [strike, load_in], {P1: Decimal(8), P2: None}) == {}


def test_conflicts_never_cross_people() -> None:
    ana, bo = person("Ana"), person("Bo")
    a = job(ana, at(MON, 8), at(MON, 18))
    b = job(bo, at(MON, 8), at(MON, 18))
    assert detect_conflicts({ana.id: ana, bo.id: bo}, [a, b], {P1: Decimal(10)}) == {}


def test_call_hours_from_times_or_hours() -> None:
    assert call_hours(time(7, 30), time(17, 0), None) == (time(7, 30), timedelta(hours=9.5))
    assert call_hours(time(22, 0), time(4, 0), None) == (time(22, 0), timedelta(hours=6))
    assert call_hours(None, None, Decimal("10")) == (time(8, 0), timedelta(hours=10))
    assert call_hours(None, None, None) == (time(8, 0), timedelta(hours=8))


# -- brute force reference ----------------------------------------------------------------------------


def reference(crew: dict[uuid.UUID, CrewInfo], items: list[AssignmentInfo],
              turnaround: dict[uuid.UUID, Decimal | None]) -> set[tuple[uuid.UUID, str, Any]]:
    """O(n²) over pairs, hour by hour over weeks: the definitions, not the sweep."""
    found: set[tuple[uuid.UUID, str, Any]] = set()
    for a in items:
        who = crew[a.crew_member_id]
        mine = [b for b in items if b.crew_member_id == a.crew_member_id and b is not a]
        for b in mine:
            if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
                found.add((a.id, "double_booked", b.id))
        if a.role_id is not None and a.role_id not in who.role_ids:
            found.add((a.id, "role", None))
        day = a.starts_at.date()
        while datetime.combine(day, time()) < a.ends_at:
            if day in who.unavailable:
                found.add((a.id, "unavailable", day))
            day += timedelta(days=1)
        if who.max_weekly_hours is not None:
            monday = a.starts_at.date() - timedelta(days=a.starts_at.weekday())
            while datetime.combine(monday, time()) < a.ends_at:
                lo = datetime.combine(monday, time())
                hi = lo + timedelta(days=7)
                total = sum((
                    max(timedelta(0), min(hi, b.ends_at) - max(lo, b.starts_at))
                    for b in [a, *mine]
                ), timedelta(0))
                if total > timedelta(hours=float(who.max_weekly_hours)):
                    found.add((a.id, "weekly_hours", monday))
                monday += timedelta(days=7)
        earlier = [b for b in mine if b.starts_at.date() < a.starts_at.date()]
        if earlier:
            prev = max(earlier, key=lambda b: b.ends_at)
            needs = [h for h in (turnaround.get(a.project_id), turnaround.get(prev.project_id)) if h]
            gap = a.starts_at - prev.ends_at
            if needs and timedelta(0) < gap < timedelta(hours=float(max(needs))):
                found.add((a.id, "turnaround", None))
    return found


def flatten(found: dict[uuid.UUID, list[Any]],
            items: list[AssignmentInfo]) -> set[tuple[uuid.UUID, str, Any]]:
    by_id = {a.id: a for a in items}
    out: set[tuple[uuid.UUID, str, Any]] = set()
    for aid, conflicts in found.items():
        a = by_id[aid]
        others = [b for b in items if b.crew_member_id == a.crew_member_id and b is not a
                  and a.starts_at < b.ends_at and b.starts_at < a.ends_at]
        doubles = iter(others)
        for c in conflicts:
            if c.kind == "double_booked":
                other = next(doubles)
                out.add((aid, c.kind, other.id))
            elif c.kind == "unavailable":
                out.add((aid, c.kind, parse_day(c.message.split(" on ")[1])))
            elif c.kind == "weekly_hours":
                out.add((aid, c.kind, parse_day(c.message.split("week of ")[1].split(",")[0])))
            else:
                out.add((aid, c.kind, None))
    return out


def parse_day(text: str) -> date:
    return datetime.strptime(f"{text} 2027", "%a %d %b %Y").date()


slot = st.tuples(
    st.integers(0, 3),  # person
    st.integers(0, 20 * 24 * 2),  # start, half hours from MON - 3 days (all in 2027)
    st.integers(1, 30),  # length, half hours
    st.booleans(),  # project
    st.sampled_from([RIGGER, STAGEHAND, None]),
)


@settings(max_examples=150, deadline=None)
@given(
    slots=st.lists(slot, max_size=30),
    limits=st.lists(st.sampled_from([None, Decimal(8), Decimal(20), Decimal("37.5")]),
                    min_size=4, max_size=4),
    turnaround=st.tuples(st.sampled_from([None, Decimal(0), Decimal(8), Decimal(10)]),
                         st.sampled_from([None, Decimal(12), Decimal("9.5")])),
    off=st.sets(st.integers(0, 20), max_size=4),
)
def test_detect_conflicts_matches_brute_force(slots: list[Any], limits: list[Decimal | None],
                                               turnaround: tuple[Any, Any], off: set[int]) -> None:
    base = at(MON - timedelta(days=3), 0)
    crew = [
        person(f"P{i}", frozenset({RIGGER} if i % 2 else {STAGEHAND}), limits[i],
               frozenset(MON - timedelta(days=3) + timedelta(days=d + i) for d in off))
        for i in range(4)
    ]
    items = [
        job(crew[p], base + timedelta(minutes=30 * s), base + timedelta(minutes=30 * (s + n)),
            P1 if proj else P2, role)
        for p, s, n, proj, role in slots
    ]
    roster = {c.id: c for c in crew}
    tt = {P1: turnaround[0], P2: turnaround[1]}
    found = detect_conflicts(roster, items, tt, NAMES)
    assert flatten(found, items) == reference(roster, items, tt)


# -- the board ---------------------------------------------------------------------------------------


@pytest.fixture
def setup(empty_db: Database) -> dict[str, Any]:
    """Two won projects with labour calls on 2030-06-03 (a Monday) and three people."""
    db = empty_db
    from app.models import Role
    role_t = Role.__table__  # type: ignore[attr-defined]
    rigger = Role(name="Rigger", cost_rate=Decimal(65), bill_rate=Decimal(105))
    hand = Role(name="Stagehand", cost_rate=Decimal(55), bill_rate=Decimal(85))
    with db.write() as conn:
        for r in (rigger, hand):
            conn.execute(role_t.insert().values(**{c.name: getattr(r, c.name) for c in role_t.columns}))
    projects, lines = [], []
    for name in ("Alpha", "Beta"):
        pid = make_project(db, client_name=f"{name} client", project_name=name)
        est = make_estimate(db, 0, 1, project_id=pid, name=f"{name} estimate")
        with db.write() as conn:
            conn.execute(update(PROJECT_T).where(PROJECT_T.c.id == pid).values(status="won"))
            section = conn.execute(select(SECTION_T.c.id).where(SECTION_T.c.estimate_id == est)).scalar_one()
            line = LineItem(section_id=section, kind="labour", description=f"{name} riggers",
                            quantity=Decimal(2),
                            days=Decimal(2), hours=Decimal(10), role_id=rigger.id, phase="load_in",
                            call_date=date(2030, 6, 3), start_time=time(7, 0), end_time=time(17, 0))
            conn.execute(LINE_T.insert().values(**{c.name: getattr(line, c.name) for c in LINE_T.columns}))
        projects.append(pid)
        lines.append(line.id)
    ana = add_crew_member(db, "Ana", "union", "50")
    bo = add_crew_member(db, "Bo", CrewKind.STAFF)
    cy = add_crew_member(db, "Cy", "freelance")
    for who in (ana, bo):
        set_crew_role(db, who, rigger.id)
    set_crew_role(db, cy, hand.id, "48.50")
    return {"db": db, "projects": projects, "lines": lines, "crew": (ana, bo, cy), "rigger": rigger.id,
            "hand": hand.id}


JUNE3 = date(2030, 6, 3)


def board(s: dict[str, Any]) -> CrewBoard:
    return CrewBoard(s["db"], date(2030, 6, 1), date(2030, 6, 30))


def snapshot(b: CrewBoard) -> dict[uuid.UUID, AssignmentInfo]:
    return dict(b.assignments)


def test_board_loads_crew_roles_and_positions(setup: dict[str, Any]) -> None:
    b = board(setup)
    ana, _, cy = setup["crew"]
    assert [c.name for c in b.crew.values()] == ["Ana", "Bo", "Cy"]  # riggers, then stagehands
    assert b.crew[cy].cost_rate_overrides == {setup["hand"]: Decimal("48.50")}
    assert b.crew[ana].max_weekly_hours == Decimal(50) and b.crew[ana].kind == CrewKind.UNION
    positions = b.open_positions(JUNE3)
    assert [(p.project_name, p.role_name, p.needed, p.filled, p.starts_at, p.ends_at) for p in positions] == [
        ("Alpha", "Rigger", 2, 0, at(JUNE3, 7), at(JUNE3, 17)),
        ("Beta", "Rigger", 2, 0, at(JUNE3, 7), at(JUNE3, 17)),
    ]
    assert len(b.open_positions(JUNE3 + timedelta(days=1))) == 2  # a 2-day call
    assert b.open_positions(JUNE3 + timedelta(days=2)) == []


def test_board_loads_with_a_fixed_number_of_queries(setup: dict[str, Any]) -> None:
    def count() -> int:
        n = [0]

        def hook(*_: Any) -> None:
            n[0] += 1
        event.listen(setup["db"].engine, "before_cursor_execute", hook)
        try:
            board(setup)
        finally:
            event.remove(setup["db"].engine, "before_cursor_execute", hook)
        return n[0]

    few = count()
    b = board(setup)
    ana, bo, _ = setup["crew"]
    position = b.open_positions(JUNE3)[0]
    for i in range(20):
        extra = add_crew_member(setup["db"], f"Extra {i}")
        set_unavailable(setup["db"], extra, JUNE3 + timedelta(days=i))
    for who in (ana, bo):
        b.assign(who, position)
    assert count() == few


def test_assign_fills_positions_and_persists(setup: dict[str, Any]) -> None:
    b = board(setup)
    ana, bo, _ = setup["crew"]
    alpha = b.open_positions(JUNE3)[0]
    first = b.assign(ana, alpha, AssignmentStatus.CONFIRMED)
    assert first.hours == Decimal(10) and first.status == AssignmentStatus.CONFIRMED
    assert [p.filled for p in b.open_positions(JUNE3)] == [1, 0]
    b.assign(bo, alpha)
    assert [p.project_name for p in b.open_positions(JUNE3)] == ["Beta"]  # Alpha is full
    assert [(p.project_name, p.filled) for p in b.open_positions(JUNE3, include_filled=True)] == [
        ("Alpha", 2), ("Beta", 0)]
    assert [p.filled for p in b.open_positions(JUNE3 + timedelta(days=1))] == [0, 0]
    assert board(setup).assignments == b.assignments


def test_conflicts_follow_each_change(setup: dict[str, Any]) -> None:
    b = board(setup)
    ana, bo, cy = setup["crew"]
    alpha, beta = b.open_positions(JUNE3)
    seen: list[BoardChange] = []
    b.subscribe(seen.append)
    first = b.assign(ana, alpha)
    assert b.conflicts == {}
    assert seen == [BoardChange(BoardChangeKind.ADDED, first.id, before=True),
                    BoardChange(BoardChangeKind.ADDED, first.id)]
    second = b.assign(ana, beta)  # the same hours on another project
    assert [c.kind for c in b.conflicts[second.id]] == ["double_booked"]
    assert b.conflicts[first.id][0].message == "Also on Beta, Mon 3 Jun 07:00–17:00"
    assert seen[-2:] == [BoardChange(BoardChangeKind.ADDED, second.id),
                         BoardChange(BoardChangeKind.CONFLICTS)]  # the first bar turns red too
    seen.clear()
    old = b.move(second.id, bo, at(JUNE3, 7), at(JUNE3, 17))
    assert old == (ana, at(JUNE3, 7), at(JUNE3, 17))
    assert b.conflicts == {}
    assert seen == [BoardChange(BoardChangeKind.CHANGED, second.id), BoardChange(BoardChangeKind.CONFLICTS)]
    b.move(second.id, cy, at(JUNE3, 7), at(JUNE3, 17))  # Cy is a stagehand, not a rigger
    assert [c.kind for c in b.conflicts[second.id]] == ["role"]
    assert board(setup).conflicts == b.conflicts


def test_move_and_status_persist(setup: dict[str, Any]) -> None:
    b = board(setup)
    ana, bo, _ = setup["crew"]
    a = b.assign(ana, b.open_positions(JUNE3)[0])
    b.move(a.id, bo, at(JUNE3, 9), at(JUNE3, 19))
    assert b.set_status(a.id, AssignmentStatus.CONFIRMED) == AssignmentStatus.TENTATIVE
    moved = b.assignments[a.id]
    assert (moved.crew_member_id, moved.starts_at, moved.ends_at, moved.status, moved.version) == (
        bo, at(JUNE3, 9), at(JUNE3, 19), AssignmentStatus.CONFIRMED, 3)
    assert board(setup).assignments == b.assignments


def test_a_lost_race_raises_and_writes_nothing(setup: dict[str, Any]) -> None:
    mine, theirs = board(setup), board(setup)
    ana, bo, _ = setup["crew"]
    a = mine.assign(ana, mine.open_positions(JUNE3)[0])
    theirs.reload()
    theirs.set_status(a.id, AssignmentStatus.CONFIRMED)
    before = snapshot(mine)
    with pytest.raises(EditConflict) as raised:
        mine.move(a.id, bo, at(JUNE3, 9), at(JUNE3, 19))
    assert raised.value.theirs is not None and raised.value.mine["crew_member_id"] == bo
    assert snapshot(mine) == before
    assert board(setup).assignments == theirs.assignments  # nothing of mine was written
    theirs.delete(a.id)
    with pytest.raises(EditConflict) as raised:
        mine.set_status(a.id, AssignmentStatus.CONFIRMED)
    assert raised.value.deleted


def test_delete_is_a_tombstone_and_restore_brings_it_back(setup: dict[str, Any]) -> None:
    b = board(setup)
    ana, _, _ = setup["crew"]
    alpha, beta = b.open_positions(JUNE3)
    a = b.assign(ana, alpha)
    other = b.assign(ana, beta)
    assert other.id in b.conflicts
    seen: list[BoardChange] = []
    b.subscribe(seen.append)
    b.delete(a.id)
    assert a.id not in b.assignments and b.conflicts == {}
    assert seen[:2] == [BoardChange(BoardChangeKind.REMOVED, a.id, before=True),
                        BoardChange(BoardChangeKind.REMOVED, a.id)]
    assert a.id not in board(setup).assignments
    with setup["db"].read() as conn:
        assert conn.execute(select(ASSIGN_T.c.deleted_at).where(ASSIGN_T.c.id == a.id)).scalar_one()
    back = b.restore(a.id)
    assert (back.starts_at, back.crew_member_id, back.version) == (a.starts_at, ana, a.version + 2)
    assert set(b.conflicts) == {a.id, other.id}
    assert board(setup).assignments == b.assignments
    b.unsubscribe(seen.append)
    with pytest.raises(ConcurrentEditError):
        b.restore(uuid.uuid4())


def test_assign_with_a_given_id_and_bad_times(setup: dict[str, Any]) -> None:
    b = board(setup)
    ana, _, _ = setup["crew"]
    position = b.open_positions(JUNE3)[0]
    given_id = uuid.uuid4()
    assert b.assign(ana, position, assignment_id=given_id).id == given_id
    with pytest.raises(InputError, match="must end after it starts"):
        b.move(given_id, ana, at(JUNE3, 9), at(JUNE3, 9))
    with pytest.raises(InputError, match="not on the board"):
        b.assign(uuid.uuid4(), position)
    assert board(setup).assignments[given_id].starts_at == at(JUNE3, 7)


def test_weekly_hours_see_the_whole_week_at_the_range_edge(setup: dict[str, Any]) -> None:
    ana, _, _ = setup["crew"]
    b = CrewBoard(setup["db"], date(2030, 5, 1), date(2030, 6, 30))
    position = b.open_positions(JUNE3)[0]
    for day in range(5):  # Mon–Fri, 10 h each: 50 h, Ana's maximum
        p = position.__class__(**{**{f: getattr(position, f) for f in position.__slots__},
                                  "starts_at": at(JUNE3 + timedelta(days=day), 7),
                                  "ends_at": at(JUNE3 + timedelta(days=day), 17)})
        b.assign(ana, p)
    assert b.conflicts == {}
    b.move(next(iter(b.assignments)), ana, at(JUNE3, 7), at(JUNE3, 18))
    assert {c.kind for cs in b.conflicts.values() for c in cs} == {"weekly_hours"}
    late = CrewBoard(setup["db"], date(2030, 6, 7), date(2030, 6, 30))  # the range starts on Friday
    assert late.conflicts == b.conflicts
    b.set_range(date(2030, 7, 1), date(2030, 7, 31))
    assert b.assignments == {} and b.conflicts == {}


# -- crew CRUD ---------------------------------------------------------------------------------------


def test_crew_crud_validates_with_clear_messages(setup: dict[str, Any]) -> None:
    db = setup["db"]
    ana, _, cy = setup["crew"]
    with pytest.raises(InputError, match="Name cannot be empty"):
        add_crew_member(db, "  ")
    with pytest.raises(InputError, match="Kind must be staff, freelance or union"):
        add_crew_member(db, "Di", "contractor")
    with pytest.raises(InputError, match="Maximum weekly hours must be at most 168"):
        add_crew_member(db, "Di", max_weekly_hours="200")
    with pytest.raises(InputError, match="Personal cost rate cannot be negative"):
        set_crew_role(db, ana, setup["hand"], "-1")
    with pytest.raises(InputError, match="no field 'wage'"):
        update_crew_member(db, ana, 1, wage=3)
    crew = load_crew(db)
    version = update_crew_member(db, ana, crew[ana].version, name=" Ana Ruiz ", max_weekly_hours="")
    with pytest.raises(EditConflict):
        update_crew_member(db, ana, version - 1, name="Lost")
    set_crew_role(db, ana, setup["hand"], "60")
    set_crew_role(db, ana, setup["hand"], None)  # set again: the override goes
    remove_crew_role(db, cy, setup["hand"])
    set_unavailable(db, cy, JUNE3, reason="Wedding")
    set_unavailable(db, cy, JUNE3 + timedelta(days=1))
    set_unavailable(db, cy, JUNE3 + timedelta(days=1), unavailable=False)
    crew = load_crew(db)
    assert (crew[ana].name, crew[ana].max_weekly_hours, crew[ana].version) == ("Ana Ruiz", None, version)
    assert crew[ana].role_ids == {setup["rigger"], setup["hand"]} and crew[ana].cost_rate_overrides == {}
    assert crew[cy].role_ids == frozenset() and crew[cy].unavailable == {JUNE3}
    b = board(setup)
    b.assign(cy, b.open_positions(JUNE3)[0])
    delete_crew_member(db, cy, crew[cy].version)
    assert cy not in load_crew(db)
    b.reload()
    assert cy not in b.crew and b.assignments == {}  # a deleted person's bars show on no board
    with pytest.raises(ConcurrentEditError):
        set_unavailable(db, cy, JUNE3)


def test_the_board_marks_an_unavailable_day(setup: dict[str, Any]) -> None:
    ana, _, _ = setup["crew"]
    set_unavailable(setup["db"], ana, JUNE3 + timedelta(days=1))
    b = board(setup)
    a = b.assign(ana, b.open_positions(JUNE3 + timedelta(days=1))[0])
    assert [c.message for c in b.conflicts[a.id]] == ["Ana is unavailable on Tue 4 Jun"]


def test_counts_by_person_helper(setup: dict[str, Any]) -> None:
    b = board(setup)
    ana, bo, _ = setup["crew"]
    alpha, beta = b.open_positions(JUNE3)
    b.assign(bo, beta)
    b.assign(ana, alpha)
    per: dict[uuid.UUID, int] = defaultdict(int)
    for a in b.assignments.values():
        per[a.crew_member_id] += 1
    assert [a.crew_member_id for a in b.assignments_of(ana)] == [ana] and per == {ana: 1, bo: 1}


# -- the demo ------------------------------------------------------------------------------------------


def test_the_demo_calendar_shows_red_from_the_first_second(demo_db: Database) -> None:
    b = CrewBoard(demo_db, date(2027, 3, 1), date(2027, 3, 31))
    red = {
        (b.crew[b.assignments[aid].crew_member_id].name, c.kind, c.message)
        for aid, conflicts in b.conflicts.items() for c in conflicts
    }
    assert red == {
        ("Kai Nakamura", "double_booked", "Also on Orbital Summit keynote, Tue 9 Mar 10:00–14:00"),
        ("Kai Nakamura", "double_booked", "Also on Vantage @ MedTech Expo, Tue 9 Mar 08:00–18:00"),
        ("Marco Diaz", "turnaround", "Only 6 h rest after Vantage @ MedTech Expo (ends Fri 00:00); "
                                     "the minimum turnaround is 8 h"),
    }
    assert len(b.crew) == 25 and len({c.name for c in b.crew.values()}) == 25
    load_in = {p.role_name: (p.needed, p.filled)
               for p in b.open_positions(date(2027, 3, 8), include_filled=True)}
    assert load_in == {"Stagehand": (8, 8), "Rigger": (2, 2)}
    strike = {p.role_name: (p.needed, p.filled) for p in b.open_positions(date(2027, 3, 11))}
    assert strike == {"Stagehand": (8, 6)}  # two stagehands still to find for the strike
    show = b.open_positions(date(2027, 3, 10), include_filled=True)
    assert [(p.phase, p.needed, p.filled) for p in show] == [("show", 2, 2)]
    may = CrewBoard(demo_db, date(2027, 5, 1), date(2027, 5, 31))
    assert len(may.assignments) == 10 and may.conflicts == {}
    assert may.open_positions(date(2027, 5, 17)) == []  # Orbital is still a lead


def test_detection_leaves_the_garbage_collector_as_it_found_it() -> None:
    import gc

    ana = person()
    assert gc.isenabled()
    detect_conflicts({ana.id: ana}, [job(ana, at(MON, 8), at(MON, 18))], {})
    assert gc.isenabled()
    gc.disable()
    try:
        detect_conflicts({ana.id: ana}, [], {})
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_range_must_not_end_before_it_starts(setup: dict[str, Any]) -> None:
    b = board(setup)
    with pytest.raises(InputError, match="must end on or after its first day"):
        b.set_range(date(2030, 6, 30), date(2030, 6, 1))
    assert (b.start, b.end) == (date(2030, 6, 1), date(2030, 6, 30))
