"""The demo's labour lines are dated calls that keep EXAMPLE.md's totals to the cent."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from app.services.estimate.document import EstimateDocument, InputError
from app.services.storage.database import Database
from tests.factories import estimate_id

D = Decimal


def test_full_booth_calls_follow_the_show_days(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    calls = {
        line.description: (line.phase, line.call_date, line.start_time, line.end_time,
                           line.price.call.paid if line.price.call else None)
        for line in doc.lines() if line.kind.value == "labour"
    }
    load_in = ("load_in", date(2027, 3, 8), time(7), time(17), D(10))  # day 1, 07:00–17:00 = 10 h
    strike = ("strike", date(2027, 3, 11), time(18), time(0), D(6))  # day 4 after close, 18:00–24:00 = 6 h
    assert calls["Stagehands, load-in"] == calls["Riggers, load-in"] == load_in
    assert calls["Stagehands, strike"] == calls["Riggers, strike"] == strike
    # show days 2–4, 08:00–18:00: 3 days × 10 h per technician
    assert calls["LED technicians (staff), show"] == ("show", date(2027, 3, 9), time(8), time(18), D(30))
    assert (doc.totals.cost, doc.totals.total) == (D("55044.00"), D("95580.00"))


def test_orbital_load_in_shows_the_local_16_meal_break(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Keynote package"))
    rules = doc.lookups.rule_sets[doc.header.project_rule_set_id]  # type: ignore[index]
    assert (rules.weekly_overtime_after_hours, rules.weekend_multiplier, rules.holiday_multiplier,
            rules.meal_break_after_hours, rules.meal_break_minutes) == (40, D("1.5"), 2, 6, 30)
    assert date(2027, 5, 31) in rules.holidays  # Memorial Day
    load_in = next(line for line in doc.lines() if line.description == "Stagehands, load-in")
    call = load_in.price.call
    assert call is not None
    # 07:00–17:30 on site = 10.5 h − 0.5 h meal = 10 h paid = 8 straight + 2 overtime (DT after 10)
    assert (call.worked, call.meal_break, call.straight, call.overtime) == (D("10.5"), D("0.5"), 8, 2)
    assert load_in.price.cost == 10 * (8 + 2 * D("1.5")) * 55
    assert doc.totals.total == D("44837.98")


def test_a_sunday_load_in_under_local_16_costs_time_and_a_half(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Keynote package"))
    load_in = next(line for line in doc.lines() if line.description == "Stagehands, load-in")
    changes = doc.parse_line_edit(load_in.id, "call_date", "May 16 2027")  # a Sunday
    assert changes == {"call_date": date(2027, 5, 16)}
    doc.set_line_fields(load_in.id, changes)
    # 8 straight × 1.5 (Sunday) + 2 overtime × max(1.5, 1.5) = 15 weighted hours a person
    assert load_in.price.cost == 10 * (8 * D("1.5") + 2 * D("1.5")) * 55


@pytest.mark.parametrize(("column", "typed", "message"), [
    ("call_date", "Feb 30 2027", "Date must be a date like 2027-03-08 or Mar 8 2027"),
    ("start_time", "25:00", "Start must be a time between 00:00 and 24:00"),
    ("end_time", "soon", "End must be a time like 07:00, 7am or 19:30"),
    ("phase", "rehearsal", "Phase must be one of: Load-in, Show, Strike (or empty)."),
])
def test_bad_call_input_says_why_and_changes_nothing(
    demo_db: Database, column: str, typed: str, message: str
) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    line = next(line for line in doc.lines() if line.description == "Stagehands, load-in")
    before = (line.phase, line.call_date, line.start_time, line.end_time, line.version)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        doc.parse_line_edit(line.id, column, typed)
    assert (line.phase, line.call_date, line.start_time, line.end_time, line.version) == before


@pytest.mark.parametrize(("column", "typed", "stored"), [
    ("call_date", "2027-03-07", date(2027, 3, 7)),
    ("call_date", "Mar 7, 2027", date(2027, 3, 7)),
    ("start_time", "6am", time(6)),
    ("end_time", "7:30 pm", time(19, 30)),
    ("end_time", "24:00", time(0)),
    ("phase", "Strike", "strike"),
    ("phase", "load in", "load_in"),
    ("phase", "", ""),
])
def test_call_input_is_read_generously(demo_db: Database, column: str, typed: str, stored: object) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    line = next(line for line in doc.lines() if line.description == "Stagehands, load-in")
    changes = doc.parse_line_edit(line.id, column, typed)
    assert changes.get(column, getattr(line, column)) == stored


def test_hours_and_times_stay_in_step(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    load_in = next(line for line in doc.lines() if line.description == "Stagehands, load-in")
    # 07:00 → 19:30 is 12.5 h: Hours follows the times
    changes = doc.parse_line_edit(load_in.id, "end_time", "7:30pm")
    assert changes == {"end_time": time(19, 30), "hours": D("12.5")}
    # typing 12 hours moves the end to 07:00 + 12 h = 19:00
    assert doc.parse_line_edit(load_in.id, "hours", "12") == {"hours": D(12), "end_time": time(19)}
    # 14 hours from 22:00 ends at 12:00 the next day
    doc.set_line_fields(load_in.id, {"start_time": time(22)})
    assert doc.parse_line_edit(load_in.id, "hours", "14")["end_time"] == time(12)
    # a 0 h call drops its times
    assert doc.parse_line_edit(load_in.id, "hours", "0") == {"hours": 0, "start_time": None, "end_time": None}
