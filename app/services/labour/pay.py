"""How a crew call is paid under a labour rule set.

A labour line is a *call*: headcount × days (consecutive, from the call date)
× each day's hours. A day's hours come from its start and end times (an end at
or before the start runs past midnight: 22:00–04:00 is 6 h, 18:00–00:00 is
6 h) or, without times, from the line's ``hours``. Per person per day, in order:

1. **Meal break**: a day longer than ``meal_break_after_hours`` loses
   ``meal_break_minutes`` of unpaid break, but never drops below
   ``meal_break_after_hours`` (so working longer never pays less).
2. **Minimum call**: a day with any hours is paid at least ``min_call_hours``.
3. **Daily split**: straight time up to ``overtime_after_hours``, overtime up
   to ``double_time_after_hours``, double time beyond.
4. **Weekly overtime** (across the days of one call): straight hours beyond
   ``weekly_overtime_after_hours`` in a Monday–Sunday week become overtime.
   An undated call counts its weeks as blocks of seven days from its first day.
5. **Day multipliers**: a Saturday or Sunday pays ``weekend_multiplier``, a
   holiday of the rule set pays ``holiday_multiplier`` (a holiday on a weekend
   pays the larger of the two). The day's multiplier ``m`` applies to straight
   time; overtime pays ``max(overtime_multiplier, m)`` and double time
   ``max(double_time_multiplier, m)`` — multipliers never stack.

weighted hours = Σ days (straight × m + overtime × max(OT, m) + double time × max(DT, m)),
so cost = headcount × weighted hours × cost rate (and likewise price).

Example under "LVCC stagehands" (min 4 h, OT after 8 h at ×1.5, DT after 12 h
at ×2, no meal break, no weekly OT, multipliers 1): a 10 h day → 8 straight +
2 overtime = 8 + 2 × 1.5 = 11 weighted hours.

``min_turnaround_hours`` is carried for the crew conflict check; pricing ignores it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from app.services.money import ZERO

_ONE = Decimal(1)
_SIXTY = Decimal(60)


@dataclass(frozen=True, slots=True)
class LabourRules:
    name: str = ""
    min_call_hours: Decimal = ZERO
    overtime_after_hours: Decimal | None = None
    overtime_multiplier: Decimal = Decimal("1.5")
    double_time_after_hours: Decimal | None = None
    double_time_multiplier: Decimal = Decimal(2)
    weekly_overtime_after_hours: Decimal | None = None
    weekend_multiplier: Decimal = _ONE
    holiday_multiplier: Decimal = _ONE
    meal_break_after_hours: Decimal | None = None
    meal_break_minutes: int = 0
    min_turnaround_hours: Decimal | None = None
    holidays: frozenset[date] = field(default_factory=frozenset)

    @property
    def meal_break_hours(self) -> Decimal:
        if self.meal_break_after_hours is None or self.meal_break_minutes <= 0:
            return ZERO
        return Decimal(self.meal_break_minutes) / _SIXTY


STRAIGHT_TIME = LabourRules(name="Straight time")


@dataclass(frozen=True, slots=True)
class HourSplit:
    """One person's day: worked hours, and how the paid hours divide."""

    worked: Decimal
    straight: Decimal
    overtime: Decimal
    double_time: Decimal
    weighted: Decimal
    meal_break: Decimal = ZERO
    multiplier: Decimal = _ONE

    @property
    def paid(self) -> Decimal:
        return self.straight + self.overtime + self.double_time


def day_hours(start: time, end: time) -> Decimal:
    """Hours from ``start`` to ``end``; an end at or before the start is on the next day."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if minutes <= 0:
        minutes += 24 * 60
    return Decimal(minutes) / _SIXTY


def _weigh(straight: Decimal, overtime: Decimal, double_time: Decimal,
           rules: LabourRules, multiplier: Decimal) -> Decimal:
    return (
        straight * multiplier
        + overtime * max(rules.overtime_multiplier, multiplier)
        + double_time * max(rules.double_time_multiplier, multiplier)
    )


def split_hours(hours: Decimal, rules: LabourRules = STRAIGHT_TIME,
                multiplier: Decimal = _ONE) -> HourSplit:
    """Split one person's ``hours`` on one day into straight, overtime and double time.

    The meal break comes off first, then the minimum call, then the daily thresholds;
    ``multiplier`` is the day's weekend/holiday multiplier (see the module's rules).
    """
    if hours < 0:
        raise ValueError("hours cannot be negative")
    meal = ZERO
    after = rules.meal_break_after_hours
    if after is not None and hours > after and rules.meal_break_hours > 0:
        meal = min(rules.meal_break_hours, hours - after)
    worked_paid = hours - meal
    paid = max(worked_paid, rules.min_call_hours) if hours > 0 else ZERO
    dt_after = rules.double_time_after_hours
    ot_after = rules.overtime_after_hours
    if dt_after is None:
        dt_after = paid
    if ot_after is None:
        ot_after = dt_after
    ot_after = min(ot_after, dt_after)
    straight = min(paid, ot_after)
    overtime = max(min(paid, dt_after) - ot_after, ZERO)
    double_time = max(paid - dt_after, ZERO)
    weighted = _weigh(straight, overtime, double_time, rules, multiplier)
    return HourSplit(hours, straight, overtime, double_time, weighted, meal, multiplier)


@dataclass(frozen=True, slots=True)
class CallSplit:
    """One person's whole call: sums over its days (the line's units are headcount × weighted)."""

    days: Decimal = ZERO
    worked: Decimal = ZERO
    meal_break: Decimal = ZERO
    straight: Decimal = ZERO
    overtime: Decimal = ZERO
    double_time: Decimal = ZERO
    weekly_overtime: Decimal = ZERO  # of ``overtime``: hours moved from straight by the weekly rule
    weekend: Decimal = ZERO  # paid hours on Saturdays/Sundays (not holidays)
    holiday: Decimal = ZERO  # paid hours on holidays
    weighted: Decimal = ZERO
    first_day: HourSplit | None = None

    @property
    def paid(self) -> Decimal:
        return self.straight + self.overtime + self.double_time

    def plus(self, other: CallSplit, times: Decimal = _ONE) -> CallSplit:
        return CallSplit(
            self.days + other.days * times,
            self.worked + other.worked * times,
            self.meal_break + other.meal_break * times,
            self.straight + other.straight * times,
            self.overtime + other.overtime * times,
            self.double_time + other.double_time * times,
            self.weekly_overtime + other.weekly_overtime * times,
            self.weekend + other.weekend * times,
            self.holiday + other.holiday * times,
            self.weighted + other.weighted * times,
            self.first_day or other.first_day,
        )


# A day of a call: (share of the day worked: 1, or the fraction of a last part-day; its kind).
_WEEKDAY, _WEEKEND, _HOLIDAY = "", "weekend", "holiday"


def day_multiplier(day: date, rules: LabourRules) -> tuple[str, Decimal]:
    """A date's kind (weekday, weekend, holiday) and its multiplier under ``rules``."""
    weekend = day.weekday() >= 5
    if day in rules.holidays:
        return _HOLIDAY, max(rules.holiday_multiplier, rules.weekend_multiplier if weekend else _ONE)
    return (_WEEKEND, rules.weekend_multiplier) if weekend else (_WEEKDAY, _ONE)


def _week(days: Iterable[tuple[Decimal, str, Decimal]], hours: Decimal,
          rules: LabourRules) -> CallSplit:
    """The days of one Monday–Sunday week (or an undated block of seven), weekly OT applied."""
    total = CallSplit()
    limit = rules.weekly_overtime_after_hours
    straight_so_far = ZERO
    for share, kind, multiplier in days:
        day = split_hours(hours, rules, multiplier)
        straight, overtime = day.straight * share, day.overtime * share
        moved = ZERO
        if limit is not None:
            moved = min(straight, max(straight_so_far + straight - limit, ZERO))
            straight_so_far += straight - moved
        paid = day.paid * share
        total = total.plus(CallSplit(
            days=share,
            worked=day.worked * share,
            meal_break=day.meal_break * share,
            straight=straight - moved,
            overtime=overtime + moved,
            double_time=day.double_time * share,
            weekly_overtime=moved,
            weekend=paid if kind == _WEEKEND else ZERO,
            holiday=paid if kind == _HOLIDAY else ZERO,
            weighted=_weigh(straight - moved, overtime + moved, day.double_time * share,
                            rules, multiplier),
        ))
    return total


def split_call(
    days: Decimal,
    rules: LabourRules = STRAIGHT_TIME,
    *,
    hours: Decimal | None = None,
    call_date: date | None = None,
    start: time | None = None,
    end: time | None = None,
) -> CallSplit:
    """One person's paid hours over a call of ``days`` consecutive days.

    Each day lasts ``start``–``end`` when both are given, else ``hours``. A
    fractional last day (days = 2.5) counts as that share of a day.
    """
    if days < 0:
        raise ValueError("days cannot be negative")
    if start is not None and end is not None:
        hours = day_hours(start, end)
    if hours is None:
        return CallSplit()
    first = split_hours(hours, rules)  # the typical (weekday) day, for display
    if days == 0:
        return _with_first(CallSplit(), first)
    whole = int(days)
    part = days - whole
    weekday = (_ONE, _WEEKDAY, _ONE)
    if (call_date is not None and rules.weekly_overtime_after_hours is None
            and rules.weekend_multiplier == 1 and (rules.holiday_multiplier == 1 or not rules.holidays)):
        call_date = None  # every day pays alike (e.g. LVCC): the dates change nothing

    if call_date is None:
        # Undated: every day a weekday; weeks are blocks of seven from the first day.
        if rules.weekly_overtime_after_hours is None:
            result = CallSplit().plus(_week([weekday], hours, rules), Decimal(whole))
            if part:
                result = result.plus(_week([(part, _WEEKDAY, _ONE)], hours, rules))
            return _with_first(result, first)
        full, rest = divmod(whole, 7)
        result = CallSplit().plus(_week([weekday] * 7, hours, rules), Decimal(full))
        tail = [weekday] * rest + ([(part, _WEEKDAY, _ONE)] if part else [])
        if tail:
            result = result.plus(_week(tail, hours, rules))
        return _with_first(result, first)

    # Dated: walk the call's Monday–Sunday weeks. Full weeks without holidays are all
    # alike, so one is computed and counted (a year-long call costs a few weeks' work).
    total = whole + (1 if part else 0)
    last = call_date + timedelta(days=total - 1)
    shares = {call_date + timedelta(days=whole): part} if part else {}
    result = CallSplit()
    standard: CallSplit | None = None
    standard_count = 0
    week_start = call_date - timedelta(days=call_date.weekday())
    last_week = last - timedelta(days=last.weekday())
    holiday_weeks = {h - timedelta(days=h.weekday()) for h in rules.holidays if call_date <= h <= last}
    while week_start <= last:
        lo, hi = max(week_start, call_date), min(week_start + timedelta(days=6), last)
        is_full = lo == week_start and hi == week_start + timedelta(days=6) and hi not in shares
        if is_full and week_start not in holiday_weeks:
            if standard is None:
                standard = _week(_days(lo, hi, rules, shares), hours, rules)
            # Count the run of full weeks without holidays up to the next holiday or last week.
            next_special = min([w for w in holiday_weeks if w > week_start] + [last_week])
            run = max((next_special - week_start).days // 7, 1)
            standard_count += run
            week_start += timedelta(days=7 * run)
            continue
        result = result.plus(_week(_days(lo, hi, rules, shares), hours, rules))
        week_start += timedelta(days=7)
    if standard is not None:
        result = result.plus(standard, Decimal(standard_count))
    return _with_first(result, first)


def _days(lo: date, hi: date, rules: LabourRules,
          shares: dict[date, Decimal]) -> list[tuple[Decimal, str, Decimal]]:
    out = []
    day = lo
    while day <= hi:
        out.append((shares.get(day, _ONE), *day_multiplier(day, rules)))
        day += timedelta(days=1)
    return out


def _with_first(result: CallSplit, first: HourSplit) -> CallSplit:
    return CallSplit(
        result.days, result.worked, result.meal_break, result.straight, result.overtime,
        result.double_time, result.weekly_overtime, result.weekend, result.holiday,
        result.weighted, first,
    )

