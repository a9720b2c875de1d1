"""Capacity: demand of quoted and won projects' labour calls against crew who can work, per day and week."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import event

from app.services.crew.capacity import NO_ROLE, call_hours, capacity
from app.services.storage.database import Database
from tests.staffing_data import add_call, add_crew, add_estimate, add_project, add_role, assign

MON = date(2027, 3, 8)  # a Monday
TUE, WED = date(2027, 3, 9), date(2027, 3, 10)


@pytest.fixture
def world(empty_db: Database) -> dict[str, object]:
    """Two stagehands and a rigger; a won show, a quoted show, a lead and a lost job."""
    db = empty_db
    hand, rigger = add_role(db, "Stagehand"), add_role(db, "Rigger")
    add_crew(db, "Ana", [hand])
    add_crew(db, "Ben", [hand, rigger], away=[TUE])
    add_crew(db, "Cy", [rigger])
    won = add_project(db, "Won gala", "won", MON, TUE)
    _, section = add_estimate(db, won)
    add_call(db, section, hand, 2, MON, days=2)  # 2 stagehands Mon and Tue
    add_call(db, section, rigger, 1, None, phase="strike")  # undated strike: the project's last day
    quoted = add_project(db, "Quoted expo", "quoted", TUE, WED)
    _, section = add_estimate(db, quoted, "Full")
    add_call(db, section, hand, 3, TUE)
    add_call(db, section, None, 1, WED)
    _, half = add_estimate(db, quoted, "Half", position=1)  # a second scenario never counts twice
    add_call(db, half, hand, 9, TUE)
    for status in ("lead", "lost"):
        _, section = add_estimate(db, add_project(db, f"{status} job", status, MON, WED))
        add_call(db, section, hand, 20, MON)
    return {"db": db, "hand": hand, "rigger": rigger}


def test_demand_and_supply_per_day(world: dict[str, object]) -> None:
    db, hand, rigger = world["db"], world["hand"], world["rigger"]
    table = capacity(db, MON, WED)  # type: ignore[arg-type]
    assert table.periods == [MON, TUE, WED]
    assert [name for _, name in table.roles] == ["Rigger", "Stagehand", NO_ROLE]
    mon, tue = table.cell(MON, hand), table.cell(TUE, hand)  # type: ignore[arg-type]
    assert (mon.demand_tentative, mon.demand_confirmed, mon.supply) == (0, 2, 2)
    assert not mon.over_committed
    # Tuesday: 2 won + 3 quoted stagehands, and Ben is away: 5 needed, 1 can work.
    assert (tue.demand_tentative, tue.demand_confirmed, tue.supply) == (3, 2, 1)
    assert tue.over_confirmed and tue.over_committed and tue.shortfall == 4
    strike = table.cell(TUE, rigger)  # type: ignore[arg-type]
    assert (strike.demand_confirmed, strike.supply) == (1, 1)  # Cy; Ben is away
    assert table.cell(WED, None).demand_tentative == 1
    assert table.cell(WED, None).supply == 0
    assert {(c.day, c.role_name) for c in table.over_committed()} == {
        (TUE, "Stagehand"), (WED, NO_ROLE)}


def test_a_week_shows_its_worst_day(world: dict[str, object]) -> None:
    db, hand = world["db"], world["hand"]
    table = capacity(db, WED, WED, by="week")  # type: ignore[arg-type]
    assert table.periods == [MON]
    cell = table.cell(MON, hand)  # type: ignore[arg-type]
    assert (cell.day, cell.demand, cell.supply) == (TUE, 5, 1)


def test_a_fixed_number_of_queries(world: dict[str, object]) -> None:
    db = world["db"]
    statements: list[str] = []
    engine = db.engine  # type: ignore[attr-defined]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        capacity(db, MON, date(2027, 12, 31))  # type: ignore[arg-type]
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 6  # roles, projects, lines, who can fill, who is away, who is assigned


def test_bad_arguments(empty_db: Database) -> None:
    with pytest.raises(ValueError):
        capacity(empty_db, MON, MON, by="month")
    with pytest.raises(ValueError):
        capacity(empty_db, TUE, MON)


def test_call_hours_from_times_or_hours() -> None:
    assert call_hours(time(8), time(18), None) == 10
    assert call_hours(time(22), time(6), None) == 8  # past midnight
    assert call_hours(None, None, None) == 0
    assert str(call_hours(time(8), time(8, 30), None)) == "0.5"


def test_people_assigned_on_the_calendar_are_counted_per_role_and_day(empty_db: Database) -> None:
    """What the capacity view shows of the calendar: people assigned on quoted and won work."""
    db = empty_db
    hand, rigger = add_role(db, "Stagehand"), add_role(db, "Rigger")
    ana, ben = add_crew(db, "Ana", [hand]), add_crew(db, "Ben", [hand, rigger])
    won = add_project(db, "Won gala", "won", MON, TUE)
    _, section = add_estimate(db, won)
    call = add_call(db, section, hand, 2, MON, days=2)
    lead = add_project(db, "Lead job", "lead", MON, MON)
    assign(db, ana, won, call, datetime(2027, 3, 8, 7), datetime(2027, 3, 8, 17), role_id=hand)
    assign(db, ben, won, call, datetime(2027, 3, 9, 7), datetime(2027, 3, 9, 17), role_id=hand)
    assign(db, ben, won, None, datetime(2027, 3, 8, 18), datetime(2027, 3, 8, 23), role_id=rigger)
    assign(db, ana, lead, None, datetime(2027, 3, 9, 7), datetime(2027, 3, 9, 17), role_id=hand)  # a lead: no
    table = capacity(db, MON, WED)
    assert [table.cell(d, hand).assigned for d in (MON, TUE, WED)] == [1, 1, 0]
    assert table.cell(MON, rigger).assigned == 1
    assert table.staffed[hand] == (2, 4)  # people-days: 2 assigned of the 2 × 2 the call needs
    week = capacity(db, MON, MON, by="week")
    assert week.cell(MON, hand).assigned == 1 and week.staffed[hand] == (2, 4)
