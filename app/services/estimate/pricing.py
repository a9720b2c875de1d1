"""Pricing: a line's cost and price from its cost basis, and an estimate's totals.

The arithmetic, in order:

1. units = quantity × days; for a labour line (a call) units = headcount × the
   weighted paid hours of one person over the call's days, which comes to
   quantity × days × one day's weighted hours when every day is alike (see
   :mod:`app.services.labour.pay` for the minimum call, overtime, weekly overtime,
   meal breaks and weekend/holiday multipliers).
2. cost = round(units × unit cost).
3. price, by the line's basis: markup → round(exact cost × (1 + markup %));
   unit price → round(units × unit price); margin → round(exact cost ÷ (1 − margin %)).
   A price override replaces that price and is shown as overridden.
4. Optional lines (and the lines of an optional section) are priced but left out of
   every total; they are add-ons, summed apart. Of a group of alternatives only the
   chosen line counts; the others are priced and left out of everything.
5. subtotal = Σ included line prices; contingency = round(subtotal × contingency %);
   discount = round((subtotal + contingency) × discount %); net = subtotal +
   contingency − discount; tax = round(net × tax %); total = net + tax.
   margin = net − cost, so tax never counts as margin.
6. A budget range: each included line has a low and a high price (its own range,
   else its section's, else its price); the low and high subtotals go through the
   same contingency, discount and tax as the subtotal. The total with every add-on
   does the same with subtotal + add-ons.

All rounding goes through :func:`app.services.money.round_money`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from app.models.enums import LineKind, PriceBasis
from app.services.labour.pay import STRAIGHT_TIME, CallSplit, HourSplit, LabourRules, split_call
from app.services.money import HUNDRED, ZERO, round_money


def margin_share(price: Decimal, cost: Decimal) -> Decimal | None:
    """Margin as a share of price, in percent; None when there is no price to share."""
    return None if price == 0 else (price - cost) / price * HUNDRED


@dataclass(frozen=True, slots=True)
class LineTerms:
    """What pricing needs of a line; the rest of the line is description."""

    kind: LineKind = LineKind.EQUIPMENT
    quantity: Decimal = Decimal(1)
    days: Decimal = Decimal(1)
    hours: Decimal | None = None
    unit_cost: Decimal = ZERO
    price_basis: PriceBasis = PriceBasis.MARKUP
    markup_pct: Decimal | None = None
    unit_price: Decimal | None = None
    margin_pct: Decimal | None = None
    price_override: Decimal | None = None
    # A labour call's first day and each day's times (see app.services.labour.pay).
    call_date: date | None = None
    start_time: time | None = None
    end_time: time | None = None


@dataclass(frozen=True, slots=True)
class LinePrice:
    units: Decimal
    cost: Decimal
    price: Decimal
    basis_price: Decimal  # what the basis gives, before any override
    overridden: bool
    hours: HourSplit | None = None  # one person's first (weekday) day of a labour call
    call: CallSplit | None = None  # one person's whole call: the split shown per line

    @property
    def margin(self) -> Decimal:
        return self.price - self.cost

    @property
    def markup_pct(self) -> Decimal | None:
        """Effective markup on cost, whatever the basis."""
        if self.cost == 0:
            return None
        return (self.price - self.cost) / self.cost * HUNDRED

    @property
    def margin_pct(self) -> Decimal | None:
        """Effective margin as a share of price."""
        return margin_share(self.price, self.cost)

    @property
    def unit_price(self) -> Decimal | None:
        """Effective price per unit (per person-hour for labour)."""
        if self.units == 0:
            return None
        return self.price / self.units


def is_call(terms: LineTerms) -> bool:
    """A labour line with hours, or with both a start and an end time, is priced as a call."""
    return terms.kind is LineKind.LABOUR and (
        terms.hours is not None or (terms.start_time is not None and terms.end_time is not None)
    )


def line_units(terms: LineTerms, rules: LabourRules | None = None) -> tuple[Decimal, CallSplit | None]:
    """quantity × days; for a labour call, headcount × one person's weighted hours over the call."""
    if is_call(terms):
        call = split_call(
            terms.days, rules or STRAIGHT_TIME, hours=terms.hours, call_date=terms.call_date,
            start=terms.start_time, end=terms.end_time,
        )
        return terms.quantity * call.weighted, call
    return terms.quantity * terms.days, None


def price_line(terms: LineTerms, rules: LabourRules | None = None) -> LinePrice:
    units, call = line_units(terms, rules)
    split = call.first_day if call is not None else None
    exact_cost = units * terms.unit_cost
    cost = round_money(exact_cost)
    if terms.price_basis is PriceBasis.UNIT_PRICE:
        basis_price = round_money(units * (terms.unit_price or ZERO))
    elif terms.price_basis is PriceBasis.MARGIN:
        margin = terms.margin_pct or ZERO
        if margin >= HUNDRED:
            raise ValueError("a margin must be below 100 %")
        basis_price = round_money(exact_cost * HUNDRED / (HUNDRED - margin))
    else:
        basis_price = round_money(exact_cost * (HUNDRED + (terms.markup_pct or ZERO)) / HUNDRED)
    if terms.price_override is not None:
        return LinePrice(units, cost, round_money(terms.price_override), basis_price, True, split, call)
    return LinePrice(units, cost, basis_price, basis_price, False, split, call)


@dataclass(frozen=True, slots=True)
class PriceRange:
    """A budget range on a price: −low % … +high %, or fixed low … high amounts."""

    low_pct: Decimal | None = None
    high_pct: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def is_set(self) -> bool:
        return self.low is not None or self.low_pct is not None or self.high_pct is not None

    def span(self, price: Decimal) -> tuple[Decimal, Decimal]:
        """(low, high) of ``price`` under this range, rounded to the cent."""
        if self.low is not None and self.high is not None:
            return round_money(self.low), round_money(self.high)
        low = price * (HUNDRED - (self.low_pct or ZERO)) / HUNDRED
        high = price * (HUNDRED + (self.high_pct or ZERO)) / HUNDRED
        return round_money(low), round_money(high)


NO_RANGE = PriceRange()


def line_span(price: Decimal, own: PriceRange, section: PriceRange = NO_RANGE) -> tuple[Decimal, Decimal]:
    """A line's (low, high) price: its own range, else its section's, else its price."""
    if own.is_set:
        return own.span(price)
    if section.is_set:
        return section.span(price)
    return price, price


# What a line counts for in the totals.
INCLUDED, ADDON, EXCLUDED = "included", "addon", "excluded"


@dataclass(frozen=True, slots=True)
class EstimateTerms:
    contingency_pct: Decimal = ZERO
    discount_pct: Decimal = ZERO
    tax_pct: Decimal = ZERO
    target_margin_pct: Decimal = ZERO
    margin_floor_pct: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class Priced:
    """A subtotal taken through contingency, discount and tax."""

    subtotal: Decimal
    contingency: Decimal
    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal


def carry(subtotal: Decimal, terms: EstimateTerms) -> Priced:
    """subtotal → contingency, discount, net, tax and total (step 5 above)."""
    contingency = round_money(subtotal * terms.contingency_pct / HUNDRED)
    discount = round_money((subtotal + contingency) * terms.discount_pct / HUNDRED)
    net = subtotal + contingency - discount
    tax = round_money(net * terms.tax_pct / HUNDRED)
    return Priced(subtotal, contingency, discount, net, tax, net + tax)


@dataclass(frozen=True, slots=True)
class GroupTotals:
    """Sums over a group of lines (a section): included lines, and optional add-ons apart."""

    cost: Decimal = ZERO
    price: Decimal = ZERO
    optional_cost: Decimal = ZERO
    optional_price: Decimal = ZERO
    line_count: int = 0
    low: Decimal = ZERO  # Σ included lines' low prices
    high: Decimal = ZERO

    @property
    def margin(self) -> Decimal:
        return self.price - self.cost

    @property
    def margin_pct(self) -> Decimal | None:
        return margin_share(self.price, self.cost)


@dataclass(frozen=True, slots=True)
class EstimateTotals:
    cost: Decimal
    subtotal: Decimal
    contingency: Decimal
    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal
    optional_price: Decimal
    target_margin_pct: Decimal
    groups: dict[Hashable, GroupTotals] = field(default_factory=dict)
    margin_floor_pct: Decimal = ZERO
    range_low: Decimal = ZERO  # the total at every line's low price
    range_high: Decimal = ZERO
    with_addons: Decimal = ZERO  # the total with every optional add-on taken

    @property
    def has_range(self) -> bool:
        return self.range_low != self.total or self.range_high != self.total

    @property
    def below_floor(self) -> bool:
        """True when the margin falls below the estimate's floor (the AM is warned, without the cost)."""
        if self.margin_floor_pct <= 0:
            return False
        pct = self.margin_pct
        return pct is None or pct < self.margin_floor_pct

    @property
    def margin(self) -> Decimal:
        return self.net - self.cost

    @property
    def margin_pct(self) -> Decimal | None:
        return margin_share(self.net, self.cost)

    @property
    def below_target(self) -> bool:
        """True when the margin falls short of the estimate's target margin."""
        if self.target_margin_pct <= 0:
            return False
        pct = self.margin_pct
        return pct is None or pct < self.target_margin_pct


def summarize(lines: Iterable[tuple[Any, ...]], terms: EstimateTerms) -> EstimateTotals:
    """Totals of an estimate from ``(group key, line price, inclusion[, (low, high)])`` tuples.

    ``inclusion`` is INCLUDED, ADDON or EXCLUDED (True means ADDON, False INCLUDED);
    without a (low, high) span a line's range is its price.
    """
    sums: dict[Hashable, list[Any]] = {}
    for entry in lines:
        group, priced, inclusion = entry[0], entry[1], entry[2]
        acc = sums.get(group)
        if acc is None:
            acc = sums[group] = [ZERO, ZERO, ZERO, ZERO, 0, ZERO, ZERO]
        acc[4] += 1
        if inclusion is True or inclusion == ADDON:
            acc[2] += priced.cost
            acc[3] += priced.price
        elif inclusion is False or inclusion == INCLUDED:
            acc[0] += priced.cost
            price = priced.price
            acc[1] += price
            if len(entry) > 3 and entry[3] is not None:  # a range: keep how far it reaches
                acc[5] += entry[3][0] - price
                acc[6] += entry[3][1] - price
    groups = {
        key: GroupTotals(Decimal(a[0]), Decimal(a[1]), Decimal(a[2]), Decimal(a[3]), int(a[4]),
                         Decimal(a[1] + a[5]), Decimal(a[1] + a[6]))
        for key, a in sums.items()
    }
    cost = sum((g.cost for g in groups.values()), ZERO)
    subtotal = sum((g.price for g in groups.values()), ZERO)
    optional_price = sum((g.optional_price for g in groups.values()), ZERO)
    main = carry(subtotal, terms)
    return EstimateTotals(
        cost=cost,
        subtotal=subtotal,
        contingency=main.contingency,
        discount=main.discount,
        net=main.net,
        tax=main.tax,
        total=main.total,
        optional_price=optional_price,
        target_margin_pct=terms.target_margin_pct,
        groups=groups,
        margin_floor_pct=terms.margin_floor_pct,
        range_low=carry(sum((g.low for g in groups.values()), ZERO), terms).total,
        range_high=carry(sum((g.high for g in groups.values()), ZERO), terms).total,
        with_addons=carry(subtotal + optional_price, terms).total,
    )


def say_out_loud(low: Decimal, high: Decimal, figures: int = 3) -> tuple[Decimal, Decimal]:
    """A range an AM can say: low rounded down and high rounded up to ``figures`` significant figures.

    ``182,340.12 … 213,020.00`` → ``182,000 … 214,000``.
    """
    def step(value: Decimal) -> Decimal:
        if value <= 0:
            return Decimal(1)
        digits = value.adjusted() + 1  # digits before the point
        return Decimal(10) ** max(0, digits - figures)

    unit = step(max(abs(low), abs(high)))
    rounded_low = (low / unit).to_integral_value(rounding=ROUND_FLOOR) * unit
    rounded_high = (high / unit).to_integral_value(rounding=ROUND_CEILING) * unit
    return rounded_low, rounded_high
