"""Need-by and order-by dates, worked by hand: calendar days, and working days for a supplier that
works weekdays only (2027-03-08 is a Monday)."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.supply.timing import Timing, days_before, working_day_on_or_before

MON = date(2027, 3, 8)


def test_calendar_days_count_every_day() -> None:
    timing = Timing(lead_days=10, transit_days=2)
    assert timing.need_by(MON) == date(2027, 3, 6)  # Saturday: a supplier working every day ships then
    assert timing.order_by(MON) == date(2027, 2, 24)


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (MON, 0, MON),
        (MON, 1, date(2027, 3, 5)),  # Monday − 1 working day: the Friday before
        (date(2027, 3, 6), 0, date(2027, 3, 5)),  # a Saturday is the Friday before
        (date(2027, 3, 7), 1, date(2027, 3, 4)),  # Sunday → Friday, − 1: Thursday
        (date(2027, 3, 10), 2, MON),  # Wednesday − 2
        (date(2027, 3, 10), 3, date(2027, 3, 5)),  # over the weekend
        (MON, 5, date(2027, 3, 1)),  # a working week is a calendar week
        (MON, 7, date(2027, 2, 25)),  # 5 → Mon 1 Mar, 6 → Fri 26 Feb, 7 → Thu 25 Feb
        (MON, 10, date(2027, 2, 22)),
    ],
)
def test_working_days_step_over_weekends(day: date, days: int, expected: date) -> None:
    assert days_before(day, days, weekdays_only=True) == expected


def test_a_weekdays_only_supplier_ships_and_takes_orders_on_working_days() -> None:
    # Load-in Monday 8 Mar; 2 working days' transit → it leaves Thursday 4 Mar; 7 working days'
    # lead → order by Tuesday 23 Feb (Wed 3, Tue 2, Mon 1, Fri 26, Thu 25, Wed 24, Tue 23).
    timing = Timing(lead_days=7, transit_days=2, weekdays_only=True)
    assert timing.need_by(MON) == date(2027, 3, 4)
    assert timing.order_by(MON) == date(2027, 2, 23)


def test_the_walk_matches_a_day_by_day_count() -> None:
    start = date(2027, 1, 1)
    for offset in range(14):
        day = date.fromordinal(start.toordinal() + offset)
        for days in range(12):
            walked = working_day_on_or_before(day)
            for _ in range(days):
                walked = working_day_on_or_before(date.fromordinal(walked.toordinal() - 1))
            assert days_before(day, days, weekdays_only=True) == walked


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        days_before(MON, -1)
