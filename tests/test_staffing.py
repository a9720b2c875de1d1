"""Staffing: a project's calls, positions filled vs needed, and the estimate matched to the calendar."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from app.services.crew.staffing import labour_updates_from_calendar, project_staffing
from app.services.estimate.document import EstimateDocument
from app.services.storage.database import Database
from tests.staffing_data import add_call, add_crew, add_estimate, add_project, add_role, assign

MON, TUE = date(2027, 3, 8), date(2027, 3, 9)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour))


def test_filled_vs_needed_and_hours(empty_db: Database) -> None:
    db = empty_db
    hand = add_role(db, "Stagehand")
    people = [add_crew(db, n, [hand]) for n in ("Ana", "Ben", "Cy")]
    project = add_project(db, "Gala", "won", MON, TUE)
    estimate, section = add_estimate(db, project)
    load_in = add_call(db, section, hand, 3, MON, days=2, hours="10", description="Load-in")
    add_call(db, section, hand, 2, TUE, hours="6", description="Strike")
    # Monday: Ana and Ben, 10 h each; Tuesday: Ana, 8 h. Cy is on the project but on no call.
    assign(db, people[0], project, load_in, at(MON, 8), at(MON, 18))
    assign(db, people[1], project, load_in, at(MON, 8), at(MON, 18))
    assign(db, people[0], project, load_in, at(TUE, 8), at(TUE, 16))
    assign(db, people[2], project, None, at(TUE, 8), at(TUE, 12))

    staffing = project_staffing(db, project)
    assert staffing.project_name == "Gala" and staffing.estimate_id == estimate
    first, strike = staffing.calls
    assert first.role_name == "Stagehand"
    assert [(d.day, d.needed, d.filled) for d in first.days] == [(MON, 3, 2), (TUE, 3, 1)]
    # estimated: 3 people × 2 days × 10 h = 60; planned: 10 + 10 + 8 = 28
    assert (first.needed, first.filled) == (6, 3)
    assert (first.estimated_hours, first.planned_hours) == (60, 28)
    assert first.differs and first.days[0].open == 1
    assert (strike.needed, strike.filled, strike.planned_hours) == (2, 0, 0)
    assert [s.hours for s in staffing.other_shifts] == [4]
    assert (staffing.needed, staffing.filled) == (8, 3)
    assert staffing.estimated_hours == 72 and staffing.planned_hours == 28


def test_updates_make_the_estimate_match_the_calendar(empty_db: Database) -> None:
    db = empty_db
    hand = add_role(db, "Stagehand")
    ana, ben = add_crew(db, "Ana", [hand]), add_crew(db, "Ben", [hand])
    project = add_project(db, "Expo", "quoted", MON, TUE)
    estimate, section = add_estimate(db, project)
    call = add_call(db, section, hand, 4, MON, days=1, hours="10")
    untouched = add_call(db, section, hand, 2, TUE, hours="6")
    assign(db, ana, project, call, at(MON, 8), at(MON, 20))
    assign(db, ben, project, call, at(MON, 8), at(MON, 17))

    updates = labour_updates_from_calendar(db, estimate)
    # 2 people on the day; 21 planned hours ÷ (2 people × 1 day) = 10.5 h
    assert updates == [(call, {"quantity": Decimal(2), "hours": Decimal("10.50")})]
    assert untouched not in dict(updates)

    doc = EstimateDocument(db, estimate)
    for line_id, changes in updates:
        doc.set_line_fields(line_id, changes)
    assert labour_updates_from_calendar(db, estimate) == []  # now it matches
    after = project_staffing(db, project).calls[0]
    assert after.estimated_hours == after.planned_hours == 21


def test_a_call_with_times_keeps_its_start(empty_db: Database) -> None:
    db = empty_db
    hand = add_role(db, "Stagehand")
    ana = add_crew(db, "Ana", [hand])
    project = add_project(db, "Night job", "won", MON, MON)
    estimate, section = add_estimate(db, project)
    call = add_call(db, section, hand, 1, MON, hours=None, start=time(22), end=time(4))
    assign(db, ana, project, call, at(MON, 22), datetime(2027, 3, 9, 7))
    changes = dict(labour_updates_from_calendar(db, estimate))[call]
    assert changes.get("end_time", time(7)) == time(7)
    assert "hours" not in changes


def test_people_on_more_days_than_the_call_lengthen_it(empty_db: Database) -> None:
    db = empty_db
    hand = add_role(db, "Stagehand")
    ana = add_crew(db, "Ana", [hand])
    project = add_project(db, "Expo", "won", MON, TUE)
    estimate, section = add_estimate(db, project)
    call = add_call(db, section, hand, 3, TUE, days=1, hours="8")
    assign(db, ana, project, call, at(MON, 8), at(MON, 16))
    assign(db, ana, project, call, at(TUE, 8), at(TUE, 16))
    staffed = project_staffing(db, project).calls[0]
    # Monday is not a day of the call: nobody is needed, one is there.
    assert [(d.day, d.needed, d.filled) for d in staffed.days] == [(MON, 0, 1), (TUE, 3, 1)]
    changes = dict(labour_updates_from_calendar(db, estimate))[call]
    assert changes["quantity"] == 1 and changes["days"] == 2
    assert changes.get("call_date", MON) == MON
    assert "hours" not in changes  # 16 h ÷ (1 person × 2 days) = 8 h, as it was
