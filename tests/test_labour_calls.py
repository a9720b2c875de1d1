"""Labour calls: worked examples computed by hand, and properties of whole calls.

Every expected value is written as the arithmetic an estimator would do on paper.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.models.enums import LineKind, PriceBasis
from app.services.estimate.pricing import LineTerms, price_line
from app.services.labour.pay import CallSplit, LabourRules, _week, day_hours, day_multiplier, split_call
from tests.test_labour import LVCC

D = Decimal
MONDAY = date(2027, 3, 1)
THURSDAY = date(2027, 3, 4)
SUNDAY = date(2027, 3, 7)


def _crew(people: int, **call: object) -> LineTerms:
    """A stagehand call at $55/h cost, $85/h bill."""
    return LineTerms(kind=LineKind.LABOUR, quantity=D(people), unit_cost=D(55),
                     price_basis=PriceBasis.UNIT_PRICE, unit_price=D(85), **call)  # type: ignore[arg-type]


def test_a_three_hour_call_is_paid_the_four_hour_minimum() -> None:
    call = split_call(D(1), LVCC, hours=D(3))
    assert (call.worked, call.paid, call.straight, call.weighted) == (3, 4, 4, 4)
    priced = price_line(_crew(2, hours=D(3)), LVCC)
    assert (priced.cost, priced.price) == (2 * 4 * 55, 2 * 4 * 85)  # 440.00, 680.00


def test_a_fourteen_hour_day_reaches_double_time() -> None:
    call = split_call(D(1), LVCC, hours=D(14))
    # 8 straight + (12 − 8) = 4 overtime + (14 − 12) = 2 double time
    assert (call.straight, call.overtime, call.double_time) == (8, 4, 2)
    assert call.weighted == 8 + 4 * D("1.5") + 2 * 2  # 18
    assert price_line(_crew(1, hours=D(14)), LVCC).cost == 18 * 55  # 990.00


def test_a_sunday_call_pays_the_weekend_multiplier() -> None:
    rules = replace(LVCC, weekend_multiplier=D(2))
    call = split_call(D(1), rules, hours=D(10), call_date=SUNDAY)
    # straight at the day's ×2; overtime at max(×1.5, ×2) = ×2
    assert (call.straight, call.overtime, call.weekend) == (8, 2, 10)
    assert call.weighted == 8 * 2 + 2 * 2  # 20
    # the same call on the Monday after is 8 + 2 × 1.5 = 11
    assert split_call(D(1), rules, hours=D(10), call_date=SUNDAY.replace(day=8)).weighted == 11


def test_a_weekend_multiplier_below_overtime_leaves_overtime_alone() -> None:
    rules = replace(LVCC, weekend_multiplier=D("1.25"))
    call = split_call(D(1), rules, hours=D(10), call_date=SUNDAY)
    assert call.weighted == 8 * D("1.25") + 2 * D("1.5")  # 13.00


def test_a_holiday_pays_the_holiday_multiplier() -> None:
    independence_observed = date(2027, 7, 5)  # a Monday
    rules = replace(LVCC, holiday_multiplier=D("2.5"), holidays=frozenset({independence_observed}))
    call = split_call(D(2), rules, hours=D(10), call_date=independence_observed)
    # day 1 (holiday): 8 × 2.5 + 2 × max(1.5, 2.5) = 25; day 2 (Tuesday): 8 + 2 × 1.5 = 11
    assert call.weighted == (8 * D("2.5") + 2 * D("2.5")) + (8 + 2 * D("1.5"))  # 36
    assert (call.holiday, call.paid) == (10, 20)


def test_a_holiday_on_a_weekend_pays_the_larger_multiplier() -> None:
    rules = replace(LVCC, weekend_multiplier=D(2), holiday_multiplier=D("1.5"), holidays=frozenset({SUNDAY}))
    assert split_call(D(1), rules, hours=D(8), call_date=SUNDAY).weighted == 8 * 2


def test_a_meal_break_is_unpaid() -> None:
    rules = replace(LVCC, meal_break_after_hours=D(6), meal_break_minutes=30)
    call = split_call(D(1), rules, hours=D(10))
    # 10 h on site − 0.5 h meal = 9.5 h paid = 8 straight + 1.5 overtime
    assert (call.worked, call.meal_break, call.straight, call.overtime) == (10, D("0.5"), 8, D("1.5"))
    assert call.weighted == 8 + D("1.5") * D("1.5")  # 10.25
    # 6.25 h: the break takes the day only back to the 6 h threshold (never below it)
    assert split_call(D(1), rules, hours=D("6.25")).paid == 6
    # a call of exactly 6 h has no break
    assert split_call(D(1), rules, hours=D(6)).paid == 6


def test_weekly_overtime_over_a_six_day_call() -> None:
    rules = replace(LVCC, weekly_overtime_after_hours=D(40))
    call = split_call(D(6), rules, hours=D(8), call_date=MONDAY)
    # Mon–Fri: 5 × 8 = 40 straight; Saturday's 8 straight hours exceed 40 → overtime
    assert (call.straight, call.overtime, call.weekly_overtime) == (40, 8, 8)
    assert call.weighted == 40 + 8 * D("1.5")  # 52
    # From a Thursday the six days straddle two weeks: 32 h (Thu–Sun) and 16 h (Mon–Tue)
    straddling = split_call(D(6), rules, hours=D(8), call_date=THURSDAY)
    assert (straddling.straight, straddling.overtime, straddling.weighted) == (48, 0, 48)


def test_weekly_overtime_counts_only_straight_hours() -> None:
    rules = replace(LVCC, weekly_overtime_after_hours=D(40))
    call = split_call(D(5), rules, hours=D(10), call_date=MONDAY)
    # daily: 5 × (8 straight + 2 OT); weekly straight 40 is not beyond 40
    assert (call.straight, call.overtime, call.weighted) == (40, 10, 40 + 10 * D("1.5"))


def test_an_overnight_call_runs_past_midnight() -> None:
    assert day_hours(time(22), time(4)) == 6  # 22:00 → 24:00 is 2 h, 00:00 → 04:00 is 4 h
    assert day_hours(time(18), time(0)) == 6  # a strike after close, 18:00–24:00
    priced = price_line(_crew(2, start_time=time(22), end_time=time(4)), LVCC)
    assert (priced.units, priced.cost) == (2 * 6, 2 * 6 * 55)  # 660.00
    call = split_call(D(1), LVCC, start=time(20), end=time(6))  # 10 h
    assert call.weighted == 8 + 2 * D("1.5")


def test_times_take_precedence_over_hours() -> None:
    call = split_call(D(3), LVCC, hours=D(4), start=time(8), end=time(18), call_date=date(2027, 3, 9))
    assert (call.days, call.paid, call.weighted) == (3, 3 * 10, 3 * (8 + 2 * D("1.5")))


def test_a_year_long_call_is_counted_by_weeks() -> None:
    rules = replace(LVCC, weekly_overtime_after_hours=D(40), weekend_multiplier=D(2),
                    holidays=frozenset({date(2027, 12, 27)}), holiday_multiplier=D(3))
    call = split_call(D(364), rules, hours=D(8), call_date=MONDAY)
    # 52 Mon–Sun weeks: Mon–Fri 40 straight; Saturday and Sunday are over 40 → overtime at
    # max(1.5, 2) = 2 → 40 + 16 × 2 = 72 a week; the holiday Monday (Dec 27) pays ×3 instead of ×1.
    assert call.weighted == 52 * 72 + 8 * (3 - 1)
    assert call.days == 364 and call.paid == 364 * 8


# -- properties -----------------------------------------------------------------------------------

hours_st = st.decimals(min_value=0, max_value=24, places=2)
threshold_st = st.none() | st.decimals(min_value=0, max_value=16, places=2)
multiplier_st = st.decimals(min_value=1, max_value=3, places=2)
date_st = st.none() | st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31))


@st.composite
def rules_st(draw: st.DrawFn) -> LabourRules:
    return LabourRules(
        min_call_hours=draw(st.decimals(min_value=0, max_value=8, places=2)),
        overtime_after_hours=draw(threshold_st),
        overtime_multiplier=draw(multiplier_st),
        double_time_after_hours=draw(threshold_st),
        double_time_multiplier=draw(multiplier_st),
        weekly_overtime_after_hours=draw(st.none() | st.decimals(min_value=0, max_value=60, places=1)),
        weekend_multiplier=draw(multiplier_st),
        holiday_multiplier=draw(multiplier_st),
        meal_break_after_hours=draw(threshold_st),
        meal_break_minutes=draw(st.sampled_from([0, 15, 30, 45, 60])),
        holidays=frozenset(draw(st.lists(st.dates(min_value=date(2026, 1, 1),
                                                  max_value=date(2028, 12, 31)), max_size=5))),
    )


days_st = st.integers(min_value=0, max_value=30).map(Decimal)


@settings(deadline=None)
@given(hours_st, rules_st(), days_st, date_st)
def test_no_call_day_is_paid_less_than_the_minimum(
    hours: Decimal, rules: LabourRules, days: Decimal, start: date | None
) -> None:
    call = split_call(days, rules, hours=hours, call_date=start)
    if hours > 0:
        assert call.paid >= days * rules.min_call_hours
        assert call.weighted >= days * rules.min_call_hours
    else:
        assert call.paid == call.weighted == 0


@settings(deadline=None)
@given(hours_st, hours_st, rules_st(), days_st, date_st, st.integers(1, 50))
def test_more_hours_never_cost_less(
    a: Decimal, b: Decimal, rules: LabourRules, days: Decimal, start: date | None, people: int
) -> None:
    fewer, more = sorted((a, b))
    assert (split_call(days, rules, hours=fewer, call_date=start).weighted
            <= split_call(days, rules, hours=more, call_date=start).weighted)

    def cost(hours: Decimal) -> Decimal:
        terms = LineTerms(kind=LineKind.LABOUR, quantity=D(people), days=days, hours=hours,
                          call_date=start, unit_cost=D("55.37"))
        return price_line(terms, rules).cost

    assert cost(fewer) <= cost(more)


@settings(deadline=None)
@given(hours_st, rules_st(), days_st, date_st)
def test_more_days_never_cost_less(
    hours: Decimal, rules: LabourRules, days: Decimal, start: date | None
) -> None:
    assert (split_call(days, rules, hours=hours, call_date=start).weighted
            <= split_call(days + 1, rules, hours=hours, call_date=start).weighted)


@settings(deadline=None)
@given(hours_st, rules_st(), days_st, date_st)
def test_the_split_adds_up_to_the_paid_hours(
    hours: Decimal, rules: LabourRules, days: Decimal, start: date | None
) -> None:
    call = split_call(days, rules, hours=hours, call_date=start)
    assert min(call.straight, call.overtime, call.double_time, call.meal_break) >= 0
    assert call.straight + call.overtime + call.double_time == call.paid
    assert call.paid + call.meal_break >= call.worked or hours < rules.min_call_hours
    assert call.weekend + call.holiday <= call.paid
    assert call.weekly_overtime <= call.overtime
    if rules.weekly_overtime_after_hours is not None and start is not None:
        # no Mon–Sun week of the call keeps more straight hours than the weekly threshold
        assert call.straight <= rules.weekly_overtime_after_hours * ((days + 13) // 7)


@settings(deadline=None)
@given(hours_st, rules_st(), st.integers(min_value=0, max_value=60), date_st)
def test_counting_weeks_matches_walking_every_day(
    hours: Decimal, rules: LabourRules, days: int, start: date | None
) -> None:
    """The shortcut over identical weeks gives what adding single-week pieces gives."""
    if start is None:
        start = MONDAY
    whole = split_call(D(days), rules, hours=hours, call_date=start)
    # walk: each day priced as a one-day call, but weekly OT needs the week, so compare
    # with rules whose weekly threshold is off, where days are independent
    independent = replace(rules, weekly_overtime_after_hours=None)
    one_by_one = sum(
        (split_call(D(1), independent, hours=hours,
                    call_date=date.fromordinal(start.toordinal() + i)).weighted for i in range(days)),
        D(0),
    )
    assert split_call(D(days), independent, hours=hours, call_date=start).weighted == one_by_one
    assert whole.weighted >= one_by_one  # weekly OT only ever adds


def _walk_every_week(days: Decimal, rules: LabourRules, hours: Decimal, start: date) -> CallSplit:
    """The call priced the slow way: every Monday–Sunday week of it, one after another."""
    whole, part = int(days), days - int(days)
    result, week, week_of = CallSplit(), [], None
    for i in range(whole + (1 if part else 0)):
        day = date.fromordinal(start.toordinal() + i)
        monday = date.fromordinal(day.toordinal() - day.weekday())
        if week_of is not None and monday != week_of:
            result, week = result.plus(_week(week, hours, rules)), []
        week_of = monday
        week.append((part if part and i == whole else D(1), *day_multiplier(day, rules)))
    return result.plus(_week(week, hours, rules)) if week else result


@settings(deadline=None)
@given(hours_st, rules_st(), st.integers(0, 120), st.sampled_from([D(0), D("0.5")]),
       st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 6, 30)))
def test_counting_alike_weeks_matches_walking_every_week(
    hours: Decimal, rules: LabourRules, whole: int, part: Decimal, start: date
) -> None:
    days = whole + part
    fast = split_call(days, rules, hours=hours, call_date=start)
    slow = _walk_every_week(days, rules, hours, start)
    assert (fast.weighted, fast.straight, fast.overtime, fast.double_time) == (
        slow.weighted, slow.straight, slow.overtime, slow.double_time)
    days_alike = (rules.weekly_overtime_after_hours is None and rules.weekend_multiplier == 1
                  and (rules.holiday_multiplier == 1 or not rules.holidays))
    if not days_alike:  # where every day pays alike, weekend and holiday hours are not told apart
        assert (fast.weekend, fast.holiday) == (slow.weekend, slow.holiday)
