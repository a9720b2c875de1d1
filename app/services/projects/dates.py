"""A project's days: load-in (``start_date``), the show (``show_start_date``–``show_end_date``), strike
(``end_date``); which of them a labour call of each phase falls on, and the order they must keep."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.models.enums import CallPhase
from app.services.values import InputError

# In the order they must come (a day may be equal to the one before).
DAY_FIELDS = (
    ("start_date", "Load-in"),
    ("show_start_date", "Show start"),
    ("show_end_date", "Show end"),
    ("end_date", "Strike"),
)


def phase_day(phase: str, start: date | None, show_start: date | None, end: date | None) -> date | None:
    """The day a call of ``phase`` falls on when it has no date of its own: load-in on the load-in
    day, show on the first show day, strike on the strike day (each falling back on the others)."""
    if phase == CallPhase.STRIKE.value:
        return end or show_start or start
    if phase == CallPhase.SHOW.value:
        return show_start or start or end
    return start or show_start or end


def format_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def check_day_order(values: Mapping[str, Any]) -> None:
    """Load-in ≤ show start ≤ show end ≤ strike, among the days that are set; InputError says which."""
    days = [(label, values.get(key)) for key, label in DAY_FIELDS]
    for n, (earlier, first) in enumerate(days):
        for later, second in days[n + 1 :]:
            if first is not None and second is not None and second < first:
                raise InputError(
                    f"{later} ({format_day(second)}) cannot be before "
                    f"{earlier.lower()} ({format_day(first)})."
                )
