"""How large each figure of an estimate may be: the bounds, decided in this one place.

A live-event estimate stays far inside them. They exist so that one mistyped value (a
quantity of 999,999,999,999.9999 and then days of 999,999,999,999.99) cannot make a line
whose cost no arithmetic can round to the cent, which once made an estimate unopenable
for everyone who shared it.

==========================  ======================  =====================================
figure                      bound                   why
==========================  ======================  =====================================
quantity                    0 … 1,000,000           a million cable ties is a lot
days                        0 … 3,660               ten years of days (a residency)
hours of a call day         0 … 24                  a day has 24
unit cost, unit price       0 … 100,000,000         a hundred million for one unit
markup                      −100 % … 10,000 %       a hundredfold price
margin                      −1,000 % … below 100 %  100 % is a price with no cost
range below / above         0 … 100 % / 1,000 %     a budget range, not a guess
a line's cost and price     at most 10^12           a trillion: the product is checked
price override, range low   0 … 10^12               the same as a line's price
and high
==========================  ======================  =====================================

Every number typed or imported is checked against its bound by the field's parser
(:mod:`app.services.estimate.fields`); :func:`check_line` checks a whole line — each
stored figure, then the product (quantity × days × unit, with its markup or margin) — and
is what the document runs before it writes a line and when it loads one. A line that fails
(written by an old version, by another program or by hand) loads *in error*, priced as
zero and kept out of the totals, with the reason; nothing raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.models.enums import LineKind, PriceBasis
from app.services.estimate.pricing import NO_RANGE, LinePrice, LineTerms, PriceRange, price_line
from app.services.labour.pay import LabourRules
from app.services.money import HUNDRED, ZERO, format_money, format_number

QUANTITY_MAX = Decimal(1_000_000)
DAYS_MAX = Decimal(3_660)
HOURS_MAX = Decimal(24)
UNIT_AMOUNT_MAX = Decimal(100_000_000)
MARKUP_PCT_MAX = Decimal(10_000)
RANGE_BELOW_PCT_MAX = HUNDRED
RANGE_ABOVE_PCT_MAX = Decimal(1_000)
LINE_AMOUNT_MAX = Decimal(10) ** 12


@dataclass(frozen=True, slots=True)
class Limit:
    """A figure's label and bounds: at least ``minimum``, at most ``maximum``, below ``below``."""

    label: str
    minimum: Decimal | None = ZERO
    maximum: Decimal | None = None
    below: Decimal | None = None
    percent: bool = False

    def kwargs(self) -> dict[str, Any]:
        """As :func:`app.services.values.parse_decimal` takes them."""
        out: dict[str, Any] = {"minimum": self.minimum, "percent": self.percent}
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.below is not None:
            out["below"] = self.below
        return out

    def holds(self, value: Decimal) -> bool:
        return (
            (self.minimum is None or value >= self.minimum)
            and (self.maximum is None or value <= self.maximum)
            and (self.below is None or value < self.below)
        )

    def words(self) -> str:
        unit = " %" if self.percent else ""
        low = "" if self.minimum is None else f"{format_number(self.minimum)}{unit}"
        if self.below is not None:
            return f"from {low} to below {format_number(self.below)}{unit}"
        return f"from {low} to {format_number(self.maximum or ZERO)}{unit}"


# Each numeric figure of a line, by column.
LINE_LIMITS: dict[str, Limit] = {
    "quantity": Limit("Quantity", ZERO, QUANTITY_MAX),
    "days": Limit("Days", ZERO, DAYS_MAX),
    "hours": Limit("Hours", ZERO, HOURS_MAX),
    "unit_cost": Limit("Unit cost", ZERO, UNIT_AMOUNT_MAX),
    "unit_price": Limit("Unit price", ZERO, UNIT_AMOUNT_MAX),
    "markup_pct": Limit("Markup", Decimal(-100), MARKUP_PCT_MAX, percent=True),
    "margin_pct": Limit("Margin", Decimal(-1000), below=HUNDRED, percent=True),
    "price_override": Limit("Price", ZERO, LINE_AMOUNT_MAX),
    "range_low_pct": Limit("Range below", ZERO, RANGE_BELOW_PCT_MAX, percent=True),
    "range_high_pct": Limit("Range above", ZERO, RANGE_ABOVE_PCT_MAX, percent=True),
    "range_low": Limit("Range low", ZERO, LINE_AMOUNT_MAX),
    "range_high": Limit("Range high", ZERO, LINE_AMOUNT_MAX),
}
# The estimate's own percentages.
ESTIMATE_LIMITS: dict[str, Limit] = {
    "target_margin_pct": Limit("Target margin", below=HUNDRED, percent=True),
    "contingency_pct": Limit("Contingency", below=Decimal(1000), percent=True),
    "discount_pct": Limit("Discount", below=HUNDRED, percent=True),
    "tax_pct": Limit("Tax", below=HUNDRED, percent=True),
    "margin_floor_pct": Limit("Margin floor", below=HUNDRED, percent=True),
}


def figure_problem(limit: Limit, value: object) -> str | None:
    """Why a stored figure cannot be used (not a number, or out of its bounds), or None."""
    if isinstance(value, int) and not isinstance(value, bool):  # a caller's whole number
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        return f"{limit.label} “{value}” is not a number."
    if not limit.holds(value):
        unit = " %" if limit.percent else ""
        return f"{limit.label} {format_number(value)}{unit} is out of range: it can be {limit.words()}."
    return None


# What the client view may name: the client sees quantities, days and prices, never costs.
_CLIENT_VISIBLE = {"quantity", "days", "price_override", "price"}
NO_PRICE = LinePrice(ZERO, ZERO, ZERO, ZERO, False)


@dataclass(frozen=True, slots=True)
class LineProblem:
    """Why a line's figures cannot be used: for the production pane, and for the client view."""

    field: str
    message: str

    @property
    def client_message(self) -> str:
        """The reason without internals (no cost, markup or margin is named)."""
        if self.field in _CLIENT_VISIBLE:
            return self.message
        return "Some of this line's figures are out of range; the PM needs to correct them."


_RANGE_FIELDS = {
    "range_low_pct": "low_pct",
    "range_high_pct": "high_pct",
    "range_low": "low",
    "range_high": "high",
}


def check_line(
    terms: LineTerms, rules: LabourRules | None = None, price_range: PriceRange = NO_RANGE
) -> tuple[LinePrice, LineProblem | None]:
    """Price a line if every figure and the product are within their bounds; never raises.

    Returns the price and None, or :data:`NO_PRICE` and the problem.
    """
    for name, limit in LINE_LIMITS.items():
        value = getattr(price_range, _RANGE_FIELDS[name]) if name in _RANGE_FIELDS else getattr(terms, name)
        if value is None:
            continue
        why = figure_problem(limit, value)
        if why is not None:
            return NO_PRICE, LineProblem(name, why)
    try:
        priced = price_line(terms, rules)
    except (ArithmeticError, ValueError) as error:
        return NO_PRICE, LineProblem("price", f"The line cannot be priced: {error}.")
    for name, amount in (("cost", priced.cost), ("price", priced.basis_price), ("price", priced.price)):
        if abs(amount) > LINE_AMOUNT_MAX:
            what = "Quantity × days × unit cost" if name == "cost" else "The line's price"
            return NO_PRICE, LineProblem(
                name,
                f"{what} comes to {format_money(amount)}, more than a line can come to "
                f"({format_number(LINE_AMOUNT_MAX)}).",
            )
    return priced, None


# -- tandem check: every stored line's figures ------------------------------------------------------------

# The figures read of every live line of every live estimate, in this order (after the names).
_STORED = (
    "quantity",
    "days",
    "hours",
    "unit_cost",
    "markup_pct",
    "unit_price",
    "margin_pct",
    "price_override",
    "range_low_pct",
    "range_high_pct",
    "range_low",
    "range_high",
)
STORED_LINES_SQL = (
    "SELECT e.name, l.description, l.kind, l.price_basis, "
    + ", ".join(f"l.{name}" for name in _STORED)
    + " FROM lineitem l JOIN section s ON l.section_id = s.id JOIN estimate e ON s.estimate_id = e.id "
    "WHERE l.deleted_at IS NULL AND s.deleted_at IS NULL AND e.deleted_at IS NULL ORDER BY e.name"
)


def _stored(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except ArithmeticError:
        return Decimal("NaN")


def stored_line_problems(rows: Iterable[Sequence[Any]]) -> list[str]:
    """``Estimate › line: why`` for each stored line (rows as :data:`STORED_LINES_SQL` reads them) that
    would load in error; labour rules are left out (straight time), so this is what the figures say."""
    kinds = {k.value: k for k in LineKind}
    bases = {b.value: b for b in PriceBasis}
    found = []
    for estimate, description, kind, basis, *stored in rows:
        if kind not in kinds or basis not in bases:
            found.append(f"{estimate} › {description}: kind “{kind}” / price basis “{basis}” is not known")
            continue
        figures = dict(zip(_STORED, map(_stored, stored), strict=True))
        for required in ("quantity", "days", "unit_cost"):  # NOT NULL columns: empty is no number
            figures[required] = figures[required] if figures[required] is not None else Decimal("NaN")
        terms = LineTerms(kinds[kind], price_basis=bases[basis], **{n: figures[n] for n in _STORED[:8]})
        _, problem = check_line(terms, price_range=PriceRange(*(figures[n] for n in _STORED[8:])))
        if problem is not None:
            found.append(f"{estimate} › {description}: {problem.message}")
    return found
