"""Milestone due dates worked by hand: relative to a project day (and moving with it), fixed, a window."""

from __future__ import annotations

from datetime import date

from app.services.schedule.due import Due, due

DAYS = {"start_date": date(2027, 3, 8), "show_start_date": date(2027, 3, 10),
        "show_end_date": date(2027, 3, 12), "end_date": date(2027, 3, 13)}


def test_relative_milestones_count_from_their_anchor_and_move_with_the_show() -> None:
    assert due("load_in", -42, None, 0, DAYS) == Due(date(2027, 1, 25), date(2027, 1, 25))
    assert due("strike", 14, None, 0, DAYS) == Due(date(2027, 3, 27), date(2027, 3, 27))
    moved = {**DAYS, "start_date": date(2027, 4, 5)}  # the show moved four weeks on
    assert due("load_in", -42, None, 0, moved) == Due(date(2027, 2, 22), date(2027, 2, 22))
    assert due("show_start", 0, date(2000, 1, 1), 0, DAYS) == Due(date(2027, 3, 10), date(2027, 3, 10))


def test_a_window_fixed_dates_and_missing_days() -> None:
    assert due("load_in", -30, None, 25, DAYS) == Due(date(2027, 2, 6), date(2027, 3, 3))
    assert due("", 5, date(2027, 3, 20), 0, DAYS) == Due(date(2027, 3, 20), date(2027, 3, 20))
    assert due("", 0, None, 0, DAYS) is None
    assert due("show_end", 1, None, 0, {**DAYS, "show_end_date": None}) is None
