"""Labour rules: minimum call, overtime and double time, by hand and as properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models.enums import LineKind, PriceBasis
from app.services.estimate.pricing import LineTerms, price_line
from app.services.labour.pay import STRAIGHT_TIME, LabourRules, split_hours

D = Decimal
LVCC = LabourRules(
    "LVCC stagehands",
    min_call_hours=D(4),
    overtime_after_hours=D(8),
    overtime_multiplier=D("1.5"),
    double_time_after_hours=D(12),
    double_time_multiplier=D(2),
)


def _split(hours: str, rules: LabourRules = LVCC) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    s = split_hours(D(hours), rules)
    return s.straight, s.overtime, s.double_time, s.weighted


def test_ten_hours_is_eight_straight_and_two_overtime() -> None:
    assert _split("10") == (8, 2, 0, 8 + 2 * D("1.5"))


def test_fourteen_hours_reaches_double_time() -> None:
    assert _split("14") == (8, 4, 2, 8 + 4 * D("1.5") + 2 * 2)


def test_three_hours_are_paid_as_the_four_hour_minimum_call() -> None:
    split = split_hours(D(3), LVCC)
    assert (split.worked, split.paid, split.weighted) == (3, 4, 4)


def test_no_hours_are_not_raised_to_the_minimum() -> None:
    assert _split("0") == (0, 0, 0, 0)


def test_exact_thresholds() -> None:
    assert _split("8") == (8, 0, 0, 8)
    assert _split("12") == (8, 4, 0, 8 + 4 * D("1.5"))
    assert _split("8.25") == (8, D("0.25"), 0, 8 + D("0.25") * D("1.5"))


def test_straight_time_rules_never_add_overtime() -> None:
    assert _split("16", STRAIGHT_TIME) == (16, 0, 0, 16)


def test_double_time_without_overtime_threshold() -> None:
    rules = LabourRules(double_time_after_hours=D(10))
    assert _split("12", rules) == (10, 0, 2, 10 + 2 * 2)


def test_double_time_threshold_below_overtime_threshold_wins() -> None:
    rules = LabourRules(overtime_after_hours=D(10), double_time_after_hours=D(8))
    assert _split("11", rules) == (8, 0, 3, 8 + 3 * 2)


def test_negative_hours_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        split_hours(D(-1), LVCC)


def test_a_crew_line_is_people_times_days_times_weighted_hours() -> None:
    terms = LineTerms(
        kind=LineKind.LABOUR,
        quantity=D(8),
        days=D(2),
        hours=D(14),
        unit_cost=D(55),
        price_basis=PriceBasis.UNIT_PRICE,
        unit_price=D(85),
    )
    priced = price_line(terms, LVCC)
    weighted = 8 + 4 * D("1.5") + 2 * 2  # 18 paid hours a person a day
    assert priced.units == 8 * 2 * weighted
    assert (priced.cost, priced.price) == (8 * 2 * weighted * 55, 8 * 2 * weighted * 85)
    assert priced.hours is not None and priced.hours.paid == 14


def test_a_crew_line_without_rules_is_straight_time() -> None:
    terms = LineTerms(kind=LineKind.LABOUR, quantity=D(2), hours=D(10), unit_cost=D(65))
    assert price_line(terms).cost == 2 * 10 * 65


def test_hours_weigh_only_on_labour() -> None:
    terms = LineTerms(kind=LineKind.EQUIPMENT, quantity=D(3), hours=D(10), unit_cost=D(5))
    priced = price_line(terms, LVCC)
    assert (priced.units, priced.cost, priced.hours) == (3, 15, None)


# -- properties -----------------------------------------------------------------------------------

hours_st = st.decimals(min_value=0, max_value=24, places=2)
threshold_st = st.none() | st.decimals(min_value=0, max_value=16, places=2)
multiplier_st = st.decimals(min_value=1, max_value=3, places=2)


@st.composite
def rules_st(draw: st.DrawFn) -> LabourRules:
    return LabourRules(
        min_call_hours=draw(st.decimals(min_value=0, max_value=8, places=2)),
        overtime_after_hours=draw(threshold_st),
        overtime_multiplier=draw(multiplier_st),
        double_time_after_hours=draw(threshold_st),
        double_time_multiplier=draw(multiplier_st),
    )


@given(hours_st, rules_st())
def test_minimum_call_is_never_paid_less_than_the_minimum(
    hours: Decimal, rules: LabourRules
) -> None:
    split = split_hours(hours, rules)
    if hours > 0:
        assert split.paid == max(hours, rules.min_call_hours)
        assert split.weighted >= rules.min_call_hours
    else:
        assert split.paid == split.weighted == 0


@given(hours_st, rules_st())
def test_split_parts_add_up_and_follow_thresholds(hours: Decimal, rules: LabourRules) -> None:
    split = split_hours(hours, rules)
    assert min(split.straight, split.overtime, split.double_time) >= 0
    assert split.weighted == (
        split.straight
        + split.overtime * rules.overtime_multiplier
        + split.double_time * rules.double_time_multiplier
    )
    if rules.overtime_after_hours is not None:
        assert split.straight <= rules.overtime_after_hours
    if rules.double_time_after_hours is not None:
        assert split.straight + split.overtime <= rules.double_time_after_hours
    else:
        assert split.double_time == 0


@given(hours_st, hours_st, rules_st(), st.integers(1, 50))
def test_more_hours_never_cost_less(
    a: Decimal, b: Decimal, rules: LabourRules, people: int
) -> None:
    fewer, more = sorted((a, b))
    assert split_hours(fewer, rules).weighted <= split_hours(more, rules).weighted

    def cost(hours: Decimal) -> Decimal:
        terms = LineTerms(
            kind=LineKind.LABOUR, quantity=D(people), hours=hours, unit_cost=D("55.37")
        )
        return price_line(terms, rules).cost

    assert cost(fewer) <= cost(more)
