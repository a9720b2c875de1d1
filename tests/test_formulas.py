"""The formula evaluator: EXAMPLE.md's quantities by hand, refusals, and Hypothesis properties."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.estimate.formulas import (
    MAX_MAGNITUDE,
    FormulaError,
    evaluate,
    formula_context,
    parameter_names,
    validate,
)
from app.services.excel.sheet_formulas import from_spreadsheet

D = Decimal
FULL = {"screen_length_ft": D(160), "screen_height_ft": D(6), "panel_ft": D("1.6404")}
HALF = {**FULL, "screen_length_ft": D(80)}
PANELS = "ceil(screen_length_ft / panel_ft) * ceil(screen_height_ft / panel_ft)"


def test_full_booth_quantities_by_hand():
    # 160 / 1.6404 = 97.54 → 98 panels across; 6 / 1.6404 = 3.66 → 4 high
    assert evaluate("ceil(screen_length_ft / panel_ft)", FULL) == 98
    assert evaluate("ceil(screen_height_ft / panel_ft)", FULL) == 4
    panels = evaluate(PANELS, FULL)
    assert panels == 392 and isinstance(panels, Decimal)
    assert evaluate("ceil(panels / 260) + 1", {"panels": panels}) == 3
    assert evaluate("ceil(392 / 260) + 1") == 3
    assert evaluate("ceil(screen_length_ft / 10)", FULL) == 16
    assert evaluate("ceil(panels / 50)", {"panels": panels}) == 8


def test_half_booth_quantities_by_hand():
    panels = evaluate(PANELS, HALF)
    assert panels == 196  # 80 / 1.6404 = 48.77 → 49 × 4
    assert evaluate("ceil(panels / 260) + 1", {"panels": panels}) == 2
    assert evaluate("ceil(screen_length_ft / 10)", HALF) == 8
    assert evaluate("ceil(196/50)") == 4


def test_arithmetic_is_exact_decimal():
    assert evaluate("0.1 + 0.2") == D("0.3")
    assert evaluate("1.6404 * 3") == D("4.9212")
    assert evaluate("10 / 4") == D("2.5")
    assert evaluate("-7 // 2") == -4 and evaluate("-7 % 2") == 1 and evaluate("7 % -2") == -1
    assert evaluate("7.5 // 2") == 3 and evaluate("7.5 % 2") == D("1.5")
    assert evaluate("2 ** 10") == 1024 and evaluate("2 ** -2") == D("0.25") and evaluate("0 ** 0") == 1
    assert evaluate("-(3 - 5) * +2") == 4
    assert evaluate("1_000 + 0x10") == 1016


def test_functions():
    assert evaluate("floor(-1.5)") == -2 and evaluate("ceil(-1.5)") == -1
    assert evaluate("round(2.5)") == 3 and evaluate("round(3.5)") == 4  # half-up, not banker's
    assert evaluate("round(1.005, 2)") == D("1.01")
    assert str(evaluate("round(1.23456, 3)")) == "1.235"
    assert evaluate("round(1250, -2)") == 1300
    assert evaluate("min(3, 1, 2)") == 1 and evaluate("max(3, 1, 2)") == 3 and evaluate("min(5)") == 5
    assert evaluate("abs(-4.5)") == D("4.5")


def test_comparisons_logic_and_conditionals():
    p = {"days": D(4)}
    assert evaluate("days > 3", p) == 1 and evaluate("days >= 5", p) == 0
    assert evaluate("1 < days <= 4", p) == 1 and evaluate("1 < days < 4", p) == 0
    assert evaluate("days == 4 and days != 5", p) == 1
    assert evaluate("0 or 7") == 7 and evaluate("0 and 1 / 0") == 0  # short-circuit
    assert evaluate("not 0") == 1 and evaluate("not days", p) == 0
    assert evaluate("2 if days > 3 else 1 / 0", p) == 2  # only the chosen branch runs
    assert evaluate("True + False") == 1


def test_parameter_names_and_validate():
    assert parameter_names(PANELS) == ("screen_length_ft", "panel_ft", "screen_height_ft")
    assert parameter_names("ceil(392 / 260) + 1") == ()
    validate(PANELS)
    validate(PANELS, known_names=FULL)
    validate("1 / 0")  # valid: only evaluating it fails
    with pytest.raises(
        FormulaError, match=r"Unknown parameter 'screen_lenght_ft'; did you mean 'screen_length_ft'"
    ):
        validate("screen_lenght_ft * 2", known_names=FULL)
    with pytest.raises(FormulaError, match="not allowed"):
        validate("a.b")


def test_unknown_names():
    with pytest.raises(FormulaError, match=r"^Unknown parameter 'x'$"):
        evaluate("x + 1", FULL)
    with pytest.raises(FormulaError, match=r"Unknown parameter 'panel_fts'; did you mean 'panel_ft'\?"):
        evaluate("panel_fts * 2", FULL)
    with pytest.raises(FormulaError, match="'ceil' is a function"):
        evaluate("ceil + 1")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("__import__('os')", r"Calling '__import__' is not allowed.*the functions are ceil, floor"),
        ("__import__('os').system('ls')", "Attribute access"),
        ("().__class__", r"Attribute access \(a\.b\) is not allowed"),
        ("open('x')", "Calling 'open' is not allowed"),
        ("eval('1')", "Calling 'eval' is not allowed"),
        ("a.b", r"Attribute access \(a\.b\) is not allowed"),
        ("x[0]", r"Subscripts \(x\[\.\.\.\]\) are not allowed"),
        ("lambda: 1", "lambda is not allowed"),
        ("'text'", r"Text \('text'\) is not allowed"),
        ("b'bytes'", "Text .* is not allowed"),
        ("f'{x}'", "f-strings are not allowed"),
        ("[x for x in y]", "Comprehensions are not allowed"),
        ("(x for x in y)", "Comprehensions are not allowed"),
        ("max(a=1)", "Keyword arguments .* are not allowed"),
        ("max(*a)", r"Starred arguments \(\*x\) are not allowed"),
        ("(y := 1)", r"Assignment \(:=\) is not allowed"),
        ("(1, 2)", "Tuples are not allowed"),
        ("[1]", "Lists are not allowed"),
        ("{1: 2}", "Dictionaries are not allowed"),
        ("1j", "Complex numbers are not allowed"),
        ("None", "None is not allowed"),
        ("1 << 2", "operator '<<' is not allowed"),
        ("~1", "operator '~' is not allowed"),
        ("1 in a", "comparison 'in' is not allowed"),
        ("_x", "name '_x' is not allowed"),
        ("x(1)", "Calling 'x' is not allowed"),
        ("import os", "Syntax error"),
        ("1 +", "Syntax error"),
        ("", "empty"),
        ("9**9**9", r"'\*\*' takes a whole exponent between -10 and 10"),
        ("2 ** 0.5", r"'\*\*' takes a whole exponent"),
        ("1" * 10_000, r"Formula too long: 10,000 characters \(at most 500\)"),
        ("-" * 100 + "1", "nested too deeply"),
        ("ceil(" * 50 + "1" + ")" * 50, "nested too deeply"),
        ("(" * 300 + "1" + ")" * 300, "Formula too long"),
        ("+".join(["1"] * 200), "too complex|nested too deeply"),
        ("1e20", "Number too large"),
        ("999999999999999 * 10", "Number too large"),
        ("1 / 0", "Division by zero"),
        ("1 // 0", "Division by zero"),
        ("1 % 0", "Division by zero"),
        ("0 ** -1", "Division by zero"),
        ("ceil(1, 2)", r"ceil\(\) takes 1 argument"),
        ("max()", r"max\(\) takes at least 1 argument"),
        ("round(1, 0.5)", r"round\(x, n\) takes a whole n"),
    ],
)
def test_refusals_name_what_is_not_allowed(source: str, message: str):
    with pytest.raises(FormulaError, match=message):
        evaluate(source, {"a": D(1), "x": D(1), "y": D(1)})


def test_bad_parameters_are_refused():
    with pytest.raises(FormulaError, match="Parameter 'a' is not a number"):
        evaluate("a", {"a": 1.5})  # type: ignore[dict-item]
    with pytest.raises(FormulaError, match="Parameter 'a' is too large"):
        evaluate("a", {"a": D("Infinity")})
    with pytest.raises(FormulaError, match="Parameter 'a' is too large"):
        evaluate("a", {"a": D("1e16")})
    assert evaluate("a + 1", {"a": 2}) == 3


# --- Hypothesis: expressions and their expected value built side by side -------------------------

Expr = tuple[str, "Decimal | None"]  # source, expected value (None: FormulaError expected)
CTX = formula_context()


def _bounded(value: Decimal | None) -> Decimal | None:
    if value is None or abs(value) >= MAX_MAGNITUDE:
        return None
    return value


def _exact(op: str, a: Decimal, b: Decimal) -> Decimal | None:
    """An independent evaluation: Fractions for everything exact, one rounding for '/'."""
    fa, fb = Fraction(a), Fraction(b)
    if (op in "/%" or op == "//") and fb == 0:
        return None
    if op == "+":
        return _from_fraction(fa + fb)
    if op == "-":
        return _from_fraction(fa - fb)
    if op == "*":
        return _from_fraction(fa * fb)
    if op == "/":
        with localcontext(CTX):
            return D(fa.numerator * fb.denominator) / D(fa.denominator * fb.numerator)
    quotient = math.floor(fa / fb)
    if op == "//":
        return D(quotient)
    return _from_fraction(fa - fb * quotient)


def _from_fraction(value: Fraction) -> Decimal:
    with localcontext(CTX):
        return D(value.numerator) / D(value.denominator)


literals = st.decimals(min_value=D("0.01"), max_value=D(999), places=2, allow_nan=False).map(
    lambda d: d.normalize() if d == d.to_integral_value() else d
)
leaf: st.SearchStrategy[Expr] = literals.map(lambda d: (format(d, "f"), d))


def _combine(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    def binary(op: str) -> Callable[[Expr, Expr], Expr]:
        def build(left: Expr, right: Expr) -> Expr:
            value = None
            if left[1] is not None and right[1] is not None:
                value = _bounded(_exact(op, left[1], right[1]))
            return (f"({left[0]} {op} {right[0]})", value)

        return build

    def unary(child: Expr) -> Expr:
        return (f"-({child[0]})", None if child[1] is None else -child[1])

    def func(name: str, f: Callable[[Decimal], Decimal]) -> Callable[[Expr], Expr]:
        return lambda child: (f"{name}({child[0]})", None if child[1] is None else _bounded(f(child[1])))

    def minmax(name: str, pick: Callable[..., Decimal]) -> Callable[[Expr, Expr], Expr]:
        def build(left: Expr, right: Expr) -> Expr:
            value = None if left[1] is None or right[1] is None else pick(left[1], right[1])
            return (f"{name}({left[0]}, {right[0]})", value)

        return build

    ops = [st.builds(binary(op), children, children) for op in ("+", "-", "*", "/", "//", "%")]
    return st.one_of(
        *ops,
        children.map(unary),
        children.map(func("ceil", lambda d: D(math.ceil(d)))),
        children.map(func("floor", lambda d: D(math.floor(d)))),
        children.map(func("abs", abs)),
        st.builds(minmax("min", min), children, children),
        st.builds(minmax("max", max), children, children),
    )


expressions = st.recursive(leaf, _combine, max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(expressions)
def test_random_expressions_match_exact_decimal_arithmetic(expr: Expr):
    source, expected = expr
    if expected is None:
        with pytest.raises(FormulaError):
            evaluate(source)
    else:
        assert evaluate(source) == expected, source


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(max_size=600),
        st.binary(max_size=600).map(lambda b: b.decode("latin-1")),
        st.text(alphabet="()+-*/%<>=!~.,[]{}:'\"0123456789abcdefijlmnorx_ ", max_size=600),
    )
)
def test_random_text_only_raises_formula_error_and_is_fast(source: str):
    start = time.perf_counter()
    try:
        result = evaluate(source, {"a": D(2), "x": D(3)})
    except FormulaError:
        pass
    else:
        assert isinstance(result, Decimal)
    assert time.perf_counter() - start < 1.0


def test_worst_allowed_formulas_stay_fast():
    sources = [
        "*".join(["999"] * 160),  # overflows the magnitude limit early
        "+".join(["(1/3)"] * 60),
        "max(" + ", ".join(["9 ** 10 // 7"] * 40) + ")",
    ]
    for source in sources:
        start = time.perf_counter()
        with contextlib.suppress(FormulaError):
            evaluate(source)
        assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("=14*28", D(392)),
        ("=17+1", D(18)),
        ("= 10 * 2", D(20)),
        ("=SUM(2,3)*2", D(10)),
        ("=sum(1, -2, 3.5)", D("2.5")),
        ("=ROUND(SUM(1.005,2),2)", D("3.01")),  # half away from zero, as a spreadsheet rounds
        ("=-ROUND(-2.5,0)", D(3)),
        ("=MAX(1,MIN(4,2),ABS(-1.5))", D(2)),
        ("=(1+2)/4", D("0.75")),
        ("=1E3/4", D(250)),
        ("=.5+1.", D("1.5")),
    ],
)
def test_a_spreadsheet_cells_arithmetic_evaluates(cell: str, value: Decimal) -> None:
    assert evaluate(from_spreadsheet(cell)) == value


@pytest.mark.parametrize(
    "cell",
    ["=A1*B2", "=Sheet2!A1", "=rate*2", "=2^3", "=10%", "=2**3", "=7//2", '="a"&"b"', "=1=1", "=1<>2",
     "=VLOOKUP(1,A:B,2)", "=SUM(A1:A3)", "=SUM()", "=(1+2", "=1)", "=1,2", "=sum(1;2)", "=", "=1/0",
     "=__import__(1)", "=" + "1+" * 300 + "1"],
)
def test_anything_but_simple_arithmetic_is_refused(cell: str) -> None:
    with pytest.raises(FormulaError):
        evaluate(from_spreadsheet(cell))
