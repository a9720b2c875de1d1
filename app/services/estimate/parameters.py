"""Estimate parameters and the formulas that use them: resolving, naming, renaming, and ranges typed as text.

An estimate's parameters are named values (``screen_length_ft = 160``); a parameter
may itself be a formula of others (``panels = ceil(screen_length_ft / panel_ft) * 4``).
:func:`resolve` evaluates them in dependency order; a cycle, an unknown name or a
bad formula marks the parameters concerned with a message and leaves the rest
resolved. Lines then take their quantity and days from formulas of the resolved
values (:class:`FormulaCache` evaluates each distinct formula and set of values once).

No Qt here.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.services.bounds import LINE_AMOUNT_MAX, RANGE_ABOVE_PCT_MAX, RANGE_BELOW_PCT_MAX
from app.services.estimate.formulas import FUNCTIONS, FormulaError, compile_formula
from app.services.estimate.pricing import NO_RANGE, PriceRange
from app.services.money import format_money, format_number
from app.services.values import InputError, parse_decimal

NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
# In a kit component line's formulas, the kit line's quantity ("ceil(kit * 0.5)"): not a parameter.
KIT = "kit"


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """What resolving needs of a parameter: its name, its typed value, and its formula (or "")."""

    name: str
    value: Decimal
    formula: str = ""


@dataclass(frozen=True, slots=True)
class Resolved:
    """Every parameter's value (formulas evaluated) and, for those that failed, why."""

    values: dict[str, Decimal]
    errors: dict[str, str]


def resolve(parameters: Iterable[ParameterSpec]) -> Resolved:
    """Evaluate parameter formulas in dependency order.

    A parameter whose formula fails (a syntax error, an unknown name, a cycle, a
    division by zero) keeps its stored value, so that the lines using it still
    price, and is reported in ``errors``.
    """
    specs = {p.name: p for p in parameters}
    values: dict[str, Decimal] = {name: p.value for name, p in specs.items() if not p.formula}
    errors: dict[str, str] = {}
    state: dict[str, int] = {}  # 1 = being resolved, 2 = done

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == 2:
            return
        spec = specs[name]
        if state.get(name) == 1:
            cycle = " → ".join((*chain[chain.index(name):], name))
            errors[name] = f"Circular formula: {cycle}"
            return
        state[name] = 1
        try:
            formula = compile_formula(spec.formula)
            for used in formula.names:
                if used in specs and specs[used].formula:
                    visit(used, (*chain, name))
                    if used in errors:
                        raise FormulaError(f"Uses '{used}', which has an error")
            values[name] = formula.evaluate(values)
        except FormulaError as error:
            errors.setdefault(name, str(error))
            values[name] = spec.value
        state[name] = 2

    for name, spec in specs.items():
        if spec.formula:
            visit(name, ())
    return Resolved(values, errors)


class FormulaCache:
    """Evaluates line formulas against a set of values, each distinct (formula, values used) once.

    Many lines share a formula (``rental_days``, ``ceil(panels / 50)``): after a
    parameter changes, only formulas that use a changed value are evaluated again.
    """

    def __init__(self) -> None:
        self._results: dict[tuple[str, tuple[Decimal, ...]], Decimal | FormulaError] = {}

    def evaluate(self, source: str, values: Mapping[str, Decimal]) -> Decimal:
        formula = compile_formula(source)
        try:
            key = (source, tuple(values[name] for name in formula.names))
        except KeyError:
            return formula.evaluate(values)  # raises FormulaError naming the unknown parameter
        result = self._results.get(key)
        if result is None:
            try:
                result = formula.evaluate(values)
            except FormulaError as error:
                result = error
            if len(self._results) > 20_000:
                self._results.clear()
            self._results[key] = result
        if isinstance(result, FormulaError):
            raise result
        return result


def check_name(name: str, taken: Iterable[str]) -> str:
    """A parameter name as typed, checked: an identifier, not a function or keyword, not taken."""
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        raise InputError("A parameter needs a name.")
    if not NAME_PATTERN.match(name):
        raise InputError(
            f"“{name}” cannot be a parameter name: use letters, digits and _ (no spaces), "
            "starting with a letter, at most 64 characters — e.g. screen_length_ft."
        )
    if name in FUNCTIONS or keyword.iskeyword(name) or name in {"True", "False", "None"}:
        raise InputError(f"“{name}” is a reserved word in formulas; choose another name.")
    if name == KIT:
        raise InputError(f"“{KIT}” is a kit's quantity in its components' formulas; choose another name.")
    lowered = name.lower()
    for other in taken:
        if other.lower() == lowered:
            raise InputError(f"There is already a parameter called “{other}”.")
    return name


def uses(source: str, name: str) -> bool:
    """True when the formula ``source`` uses the parameter ``name`` (False for a bad formula)."""
    if not source:
        return False
    try:
        return name in compile_formula(source).names
    except FormulaError:
        return False


def rename_in_formula(source: str, old: str, new: str) -> str:
    """``source`` with every use of the parameter ``old`` renamed to ``new`` (functions untouched)."""
    if not uses(source, old):
        return source
    stripped = source.strip()
    tree = ast.parse(stripped, mode="eval")
    spots = sorted(
        (node.col_offset, node.end_col_offset)
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == old and node.end_col_offset is not None
    )
    out, last = [], 0
    for start, end in spots:
        out.append(stripped[last:start])
        out.append(new)
        last = end or start
    out.append(stripped[last:])
    return "".join(out)


# -- budget ranges typed as text ------------------------------------------------------

_PCT_PAIR = re.compile(r"^[-−–]\s*(?P<low>[\d.,]+)\s*%?\s*(?:/|,|;|\s)\s*\+\s*(?P<high>[\d.,]+)\s*%$")
_PCT_BOTH = re.compile(r"^(?:±|\+/-|\+-|-/\+)?\s*(?P<both>[\d.,]+)\s*%$")
_PCT_ONE = re.compile(r"^(?P<sign>[-−–+])\s*(?P<pct>[\d.,]+)\s*%$")
_AMOUNT = r"[$€£]?\s*[\d.,]+[kKmM]?"  # 7,000, $7,000 or 7k
_AMOUNTS = re.compile(rf"^(?P<low>{_AMOUNT})\s*(?:-|–|—|\.\.|to)\s*(?P<high>{_AMOUNT})$")


def parse_range(text: object, *, allow_amounts: bool = True) -> PriceRange:
    """Read a budget range as typed: ``±10%``, ``10%``, ``-5% / +20%``, ``+20%``, ``-5%``, or
    ``7,000 – 9,500``; empty clears.

    Percentages are below (low) and above (high) the price; amounts are the low and
    high price themselves (on a line only).
    """
    raw = "" if text is None else str(text).strip()
    if raw == "" or raw.lower() in {"none", "no range"}:
        return NO_RANGE
    match = _PCT_PAIR.match(raw)
    if match:
        return PriceRange(low_pct=_pct(match["low"], low=True), high_pct=_pct(match["high"]))
    match = _PCT_ONE.match(raw)
    if match:  # one way only: "+20%" (a quote that can only go up) or "-5%"
        if match["sign"] == "+":
            return PriceRange(low_pct=Decimal(0), high_pct=_pct(match["pct"]))
        return PriceRange(low_pct=_pct(match["pct"], low=True), high_pct=Decimal(0))
    match = _PCT_BOTH.match(raw)
    if match:
        both = _pct(match["both"], low=True)
        return PriceRange(low_pct=both, high_pct=both)
    match = _AMOUNTS.match(raw)
    if match and allow_amounts:
        low = parse_decimal(match["low"], "Range low", places=2, maximum=LINE_AMOUNT_MAX, shorthand=True)
        high = parse_decimal(match["high"], "Range high", places=2, maximum=LINE_AMOUNT_MAX, shorthand=True)
        assert low is not None and high is not None
        if low > high:
            raise InputError("A range's low must not be above its high.")
        return PriceRange(low=low, high=high)
    example = "±10%, -5% / +20% or 7,000 – 9,500" if allow_amounts else "±10% or -5% / +20%"
    raise InputError(f"“{raw}” is not a range; type e.g. {example} (empty for none).")


def _pct(text: str, low: bool = False) -> Decimal:
    # A price can fall by at most 100 %; it can rise by up to 1000 %.
    label = "The range below the price" if low else "The range above the price"
    value = parse_decimal(text, label, places=2, percent=True,
                          maximum=RANGE_BELOW_PCT_MAX if low else RANGE_ABOVE_PCT_MAX)
    assert value is not None
    return value


def format_range(value: PriceRange, currency: str = "") -> str:
    """A range as it is typed back: ``±10%``, ``-5% / +20%``, ``7,000.00 – 9,500.00``; "" for none."""
    if value.low is not None and value.high is not None:
        return f"{format_money(value.low, currency)} – {format_money(value.high, currency)}"
    if value.low_pct is None and value.high_pct is None:
        return ""
    low, high = value.low_pct or Decimal(0), value.high_pct or Decimal(0)
    if low == high:
        return f"±{format_number(low)}%"
    if low == 0:
        return f"+{format_number(high)}%"
    if high == 0:
        return f"-{format_number(low)}%"
    return f"-{format_number(low)}% / +{format_number(high)}%"
