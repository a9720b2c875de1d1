"""Pricing: line cost and price by each basis, estimate totals, and the one rounding rule."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models.enums import PriceBasis
from app.services.estimate.pricing import EstimateTerms, LinePrice, LineTerms, price_line, summarize
from app.services.money import round_money

D = Decimal
MARKUP, UNIT_PRICE, MARGIN = PriceBasis.MARKUP, PriceBasis.UNIT_PRICE, PriceBasis.MARGIN


def _priced(cost: Decimal | str, price: Decimal | str) -> LinePrice:
    return LinePrice(
        units=D(1), cost=D(cost), price=D(price), basis_price=D(price), overridden=False
    )


# -- one line, by hand ----------------------------------------------------------------------------


def test_markup_on_cost() -> None:
    priced = price_line(LineTerms(quantity=D(3), days=D(4), unit_cost=D(150), markup_pct=D(40)))
    assert priced.units == 3 * 4
    assert priced.cost == 3 * 4 * 150 == D(1800)
    assert priced.price == D(1800) * D("1.40") == D(2520)
    assert priced.margin == D(720)
    assert priced.markup_pct == 40


def test_no_markup_prices_at_cost() -> None:
    priced = price_line(LineTerms(quantity=D(2), unit_cost=D("9.99")))
    assert priced.price == priced.cost == D("19.98")


def test_unit_price_is_units_times_list_price() -> None:
    terms = LineTerms(
        quantity=D(392),
        days=D(4),
        unit_cost=D(18),
        price_basis=UNIT_PRICE,
        unit_price=D(35),
        markup_pct=D(99),
    )  # the markup does not apply
    priced = price_line(terms)
    assert (priced.cost, priced.price) == (392 * 4 * D(18), 392 * 4 * D(35))
    assert priced.unit_price == 35


def test_margin_basis_divides_cost_by_one_minus_margin() -> None:
    priced = price_line(
        LineTerms(quantity=D(384), unit_cost=D("1.25"), price_basis=MARGIN, margin_pct=D(35))
    )
    assert priced.cost == D(480)
    assert priced.price == D("738.46")  # 480 / 0.65 = 738.4615…
    assert priced.margin_pct is not None and abs(priced.margin_pct - 35) < D("0.001")


def test_margin_of_a_hundred_percent_is_refused() -> None:
    with pytest.raises(ValueError, match="below 100"):
        price_line(LineTerms(unit_cost=D(10), price_basis=MARGIN, margin_pct=D(100)))


def test_price_override_replaces_the_basis_price() -> None:
    terms = LineTerms(unit_cost=D(2400), markup_pct=D(20), price_override=D("3000.005"))
    priced = price_line(terms)
    assert priced.overridden
    assert priced.basis_price == D(2880)
    assert priced.price == D("3000.01")  # rounded half up like any amount
    assert priced.cost == D(2400)


def test_zero_cost_and_zero_units_have_no_effective_rates() -> None:
    priced = price_line(LineTerms(quantity=D(0), unit_cost=D(10), markup_pct=D(50)))
    assert (priced.cost, priced.price) == (0, 0)
    assert (priced.markup_pct, priced.margin_pct, priced.unit_price) == (None, None, None)


def test_rounding_is_half_up_to_the_cent() -> None:
    assert price_line(LineTerms(unit_cost=D("0.125"))).cost == D("0.13")  # banker's would say 0.12
    assert price_line(LineTerms(unit_cost=D("0.135"))).cost == D("0.14")
    assert round_money(D("-0.125")) == D("-0.13")


def test_price_is_rounded_once_from_the_exact_cost() -> None:
    # exact cost 0.0149 → cost 0.01; price = round(0.0149 × 2) = 0.03, not round(0.01 × 2) = 0.02
    priced = price_line(LineTerms(unit_cost=D("0.0149"), markup_pct=D(100)))
    assert (priced.cost, priced.price) == (D("0.01"), D("0.03"))


def test_totals_add_rounded_lines() -> None:
    # three lines of half a cent each: each rounds to 0.01, the total is their sum, 0.03
    lines = [("s", price_line(LineTerms(unit_cost=D("0.005"))), False) for _ in range(3)]
    totals = summarize(lines, EstimateTerms())
    assert totals.cost == totals.subtotal == D("0.03")


# -- an estimate's totals, by hand ----------------------------------------------------------------


def test_contingency_then_discount_then_tax() -> None:
    lines = [("a", _priced("600", "800"), False), ("b", _priced("100", "200"), False)]
    terms = EstimateTerms(contingency_pct=D(10), discount_pct=D(5), tax_pct=D(8))
    t = summarize(lines, terms)
    assert t.subtotal == 800 + 200
    assert t.contingency == D(1000) * D("0.10") == 100
    assert t.discount == (D(1000) + 100) * D("0.05") == 55  # on subtotal + contingency
    assert t.net == 1000 + 100 - 55
    assert t.tax == D(1045) * D("0.08") == D("83.60")  # on the net
    assert t.total == D("1128.60")
    assert t.margin == D(1045) - 700  # tax is never margin
    assert t.margin_pct == D(345) / D(1045) * 100


def test_each_adjustment_is_rounded_half_up() -> None:
    t = summarize(
        [("a", _priced("0", "0.10"), False)],
        EstimateTerms(contingency_pct=D(5), discount_pct=D(5), tax_pct=D(5)),
    )
    assert t.contingency == D("0.01")  # 0.005
    assert t.discount == D("0.01")  # 0.0055
    assert t.net == D("0.10")
    assert t.tax == D("0.01")  # 0.005
    assert t.total == D("0.11")


def test_optional_lines_are_priced_but_left_out() -> None:
    lines = [
        ("a", _priced("10", "15"), False),
        ("a", _priced("4", "9"), True),
        ("b", _priced("1", "2"), True),
    ]
    t = summarize(lines, EstimateTerms(tax_pct=D(10)))
    assert (t.cost, t.subtotal, t.total) == (10, 15, D("16.50"))
    assert t.optional_price == 9 + 2
    a, b = t.groups["a"], t.groups["b"]
    assert (a.cost, a.price, a.optional_cost, a.optional_price, a.line_count) == (10, 15, 4, 9, 2)
    assert (b.price, b.optional_price, b.line_count, b.margin_pct) == (0, 2, 1, None)


def test_below_target_margin() -> None:
    lines = [("a", _priced("70", "100"), False)]
    assert summarize(lines, EstimateTerms(target_margin_pct=D(35))).below_target
    assert not summarize(lines, EstimateTerms(target_margin_pct=D(30))).below_target
    assert not summarize(lines, EstimateTerms()).below_target  # no target, no warning
    assert summarize([], EstimateTerms(target_margin_pct=D(1))).below_target  # nothing priced yet


# -- properties -----------------------------------------------------------------------------------

quantity_st = st.decimals(min_value=0, max_value=10_000, places=2)
days_st = st.decimals(min_value=0, max_value=60, places=1)
cost_st = st.decimals(min_value=0, max_value=100_000, places=4)
markup_st = st.decimals(min_value=-100, max_value=500, places=2)
pct_st = st.decimals(min_value=0, max_value=99, places=3)


@given(quantity_st, days_st, cost_st, markup_st)
def test_markup_price_is_cost_times_one_plus_markup(
    q: Decimal, d: Decimal, c: Decimal, m: Decimal
) -> None:
    priced = price_line(LineTerms(quantity=q, days=d, unit_cost=c, markup_pct=m))
    exact_cost = q * d * c
    assert priced.cost == round_money(exact_cost)
    assert priced.price == round_money(exact_cost * (1 + m / 100))
    # against the rounded cost, the price is off by at most the two half-cents of rounding
    factor = 1 + m / 100
    assert abs(priced.price - priced.cost * factor) <= D("0.005") + D("0.005") * factor


@given(quantity_st, days_st, cost_st, st.decimals(min_value=0, max_value=95, places=2))
def test_margin_basis_reaches_the_target_margin(
    q: Decimal, d: Decimal, c: Decimal, m: Decimal
) -> None:
    priced = price_line(
        LineTerms(quantity=q, days=d, unit_cost=c, price_basis=MARGIN, margin_pct=m)
    )
    if priced.price == 0:
        assert priced.cost == 0
        return
    assert priced.margin_pct is not None
    # cost and price are each within half a cent, so the margin is within 1 cent of the price
    assert abs(priced.margin_pct - m) <= D(1) / priced.price + D("1e-20")


@given(quantity_st, cost_st, st.decimals(min_value=0, max_value=1_000_000, places=2))
def test_an_override_is_the_price_whatever_the_basis(
    q: Decimal, c: Decimal, override: Decimal
) -> None:
    for basis in PriceBasis:
        terms = LineTerms(
            quantity=q,
            unit_cost=c,
            price_basis=basis,
            markup_pct=D(10),
            unit_price=D(3),
            margin_pct=D(20),
            price_override=override,
        )
        priced = price_line(terms)
        assert (priced.price, priced.overridden) == (override, True)
        assert priced.basis_price == price_line(replace(terms, price_override=None)).price


Lines = list[tuple[str, Decimal, Decimal, bool]]  # (section, cost, price, optional)
money_st = st.decimals(min_value=0, max_value=1_000_000, places=2)
line_st = st.tuples(st.sampled_from("ABCD"), money_st, money_st, st.booleans())
terms_st = st.builds(EstimateTerms, contingency_pct=pct_st, discount_pct=pct_st, tax_pct=pct_st)


@given(st.lists(line_st, max_size=30), terms_st)
def test_totals_are_sums_of_section_subtotals(lines: Lines, terms: EstimateTerms) -> None:
    t = summarize([(g, _priced(c, p), o) for g, c, p, o in lines], terms)
    assert t.subtotal == sum((g.price for g in t.groups.values()), D(0))
    assert t.cost == sum((g.cost for g in t.groups.values()), D(0))
    assert t.subtotal == sum((p for _, _, p, o in lines if not o), D(0))
    assert t.optional_price == sum((p for _, _, p, o in lines if o), D(0))
    assert sum(g.line_count for g in t.groups.values()) == len(lines)
    assert t.net == t.subtotal + t.contingency - t.discount
    assert t.total == t.net + t.tax
    assert t.margin == t.net - t.cost
    for amount in (t.contingency, t.discount, t.tax, t.total):
        assert amount == round_money(amount)


@given(st.lists(line_st, max_size=20), st.lists(line_st, min_size=1, max_size=10), terms_st)
def test_optional_lines_never_change_the_total(
    lines: Lines, extras: Lines, terms: EstimateTerms
) -> None:
    base = [(g, _priced(c, p), o) for g, c, p, o in lines]
    options = [(g, _priced(c, p), True) for g, c, p, _ in extras]
    without, with_options = summarize(base, terms), summarize(base + options, terms)
    for name in ("cost", "subtotal", "contingency", "discount", "net", "tax", "total", "margin"):
        assert getattr(with_options, name) == getattr(without, name)
    assert with_options.optional_price == without.optional_price + sum(
        p.price for _, p, _ in options
    )
