"""Formulas: a small, safe expression evaluator over named parameters, in exact Decimal arithmetic.

A formula is one Python *expression* (parsed with :mod:`ast`, never ``eval``):

- numbers (``160``, ``1.6404``, ``1_000``), parameter names, parentheses;
- ``+ - * / // %``, unary ``+ -``, and ``**`` with a small integer exponent (at most 10);
  ``//`` and ``%`` follow Python's rules (floor towards minus infinity);
- comparisons ``< <= > >= == !=`` (chains too), ``and`` / ``or`` / ``not`` and
  ``x if c else y``; a comparison is 1 when true and 0 when false;
- the functions ``ceil(x)``, ``floor(x)``, ``round(x, n=0)`` (half-up to n places),
  ``min(a, b, …)``, ``max(a, b, …)`` and ``abs(x)``.

Anything else — attribute access, subscripts, other calls, lambdas, comprehensions, text,
f-strings, keyword or starred arguments, ``:=`` — is refused with a :class:`FormulaError`
naming what is not allowed. Hangs and huge numbers are guarded against: the source is at most
:data:`MAX_SOURCE` characters, the tree at most :data:`MAX_NODES` nodes and :data:`MAX_DEPTH`
deep, and every number (literal, parameter or intermediate result) must stay below
:data:`MAX_MAGNITUDE` in absolute value. Arithmetic runs at :data:`PRECISION` significant digits.

- :func:`compile_formula` — parse and check once (cached); the :class:`Formula` evaluates.
- :func:`evaluate` — the value of a formula for a mapping of parameters.
- :func:`parameter_names` — the parameter names a formula uses, for dependency tracking.
- :func:`validate` — check a formula (and optionally its names) without evaluating it.
- :func:`from_spreadsheet` — a spreadsheet cell's simple arithmetic (``=14*28``) in this syntax,
  for a workbook saved without the values of its formulas.

No Qt here.
"""

from __future__ import annotations

import ast
import decimal
import difflib
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import lru_cache

MAX_SOURCE = 500
MAX_NODES = 300
MAX_DEPTH = 40
MAX_EXPONENT = 10
MAX_ROUND_PLACES = 12
MAX_MAGNITUDE = Decimal("1e15")
PRECISION = 28

FUNCTIONS: dict[str, tuple[int, int | None]] = {
    # name: (fewest, most) arguments; None = no upper bound
    "ceil": (1, 1),
    "floor": (1, 1),
    "round": (1, 2),
    "min": (1, None),
    "max": (1, None),
    "abs": (1, 1),
}

_ZERO = Decimal(0)
_ONE = Decimal(1)


class FormulaError(ValueError):
    """A formula that cannot be parsed, is not allowed, or cannot be evaluated."""


def formula_context() -> decimal.Context:
    """The Decimal context formulas are evaluated in."""
    return decimal.Context(
        prec=PRECISION,
        rounding=ROUND_HALF_UP,
        traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
    )


_BINOPS: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
}
_REFUSED_BINOPS: dict[type[ast.operator], str] = {
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}
_COMPARES: dict[type[ast.cmpop], Callable[[Decimal, Decimal], bool]] = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}
_REFUSED_COMPARES: dict[type[ast.cmpop], str] = {
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
_REFUSED_NODES: dict[type[ast.AST], str] = {
    ast.Attribute: "Attribute access (a.b)",
    ast.Subscript: "Subscripts (x[...])",
    ast.Slice: "Slices (x[a:b])",
    ast.Lambda: "lambda",
    ast.ListComp: "Comprehensions",
    ast.SetComp: "Comprehensions",
    ast.DictComp: "Comprehensions",
    ast.GeneratorExp: "Comprehensions",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.Starred: "Starred arguments (*x)",
    ast.NamedExpr: "Assignment (:=)",
    ast.Tuple: "Tuples",
    ast.List: "Lists",
    ast.Set: "Sets",
    ast.Dict: "Dictionaries",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


def _where(node: ast.AST) -> str:
    col = getattr(node, "col_offset", None)
    return f" (at column {col + 1})" if isinstance(col, int) else ""


def _refuse(what: str, node: ast.AST) -> FormulaError:
    return FormulaError(f"{what} not allowed in a formula{_where(node)}")


def _check_magnitude(value: Decimal) -> Decimal:
    if not value.is_finite() or abs(value) >= MAX_MAGNITUDE:
        raise FormulaError(f"Number too large: formulas work with values below {MAX_MAGNITUDE:,.0f}")
    return value


def _literal(source: str, node: ast.Constant) -> Decimal:
    value = node.value
    if isinstance(value, bool):
        return _ONE if value else _ZERO
    if isinstance(value, str | bytes):
        shown = repr(value if len(value) <= 20 else value[:20])
        raise _refuse(f"Text ({shown}) is", node)
    if isinstance(value, complex):
        raise _refuse("Complex numbers are", node)
    if not isinstance(value, int | float):
        raise _refuse(f"{value!r} is", node)
    text = ast.get_source_segment(source, node)
    number: Decimal | None = None
    if text is not None:
        try:
            number = Decimal(text)
        except decimal.InvalidOperation:
            number = None  # 0x1f, 0b101, 0o7: read from the parsed int below
    if number is None:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return _check_magnitude(number)


@dataclass(frozen=True)
class Formula:
    """A parsed, checked formula; :meth:`evaluate` gives its value for some parameters."""

    source: str
    tree: ast.expr
    names: tuple[str, ...]
    literals: Mapping[int, Decimal]

    def evaluate(self, parameters: Mapping[str, Decimal | int]) -> Decimal:
        values: dict[str, Decimal] = {}
        for name in self.names:
            if name in parameters:
                values[name] = _parameter_value(name, parameters[name])
            else:
                raise FormulaError(_unknown_message(name, parameters))
        evaluator = _Evaluator(values, self.literals)
        try:
            with decimal.localcontext(formula_context()):
                return _check_magnitude(+evaluator.eval(self.tree))
        except decimal.DivisionByZero:
            raise FormulaError("Division by zero") from None
        except (decimal.InvalidOperation, decimal.Overflow, ArithmeticError):
            raise FormulaError("The formula's arithmetic went out of range") from None


def _parameter_value(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise FormulaError(f"Parameter '{name}' is not a number")
    number = Decimal(value)
    if not number.is_finite() or abs(number) >= MAX_MAGNITUDE:
        raise FormulaError(f"Parameter '{name}' is too large (or not a finite number)")
    return number


def _unknown_message(name: str, known: Iterable[str]) -> str:
    message = f"Unknown parameter '{name}'"
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if close:
        message += f"; did you mean '{close[0]}'?"
    return message


class _Checker:
    """Walks a parsed tree once: refuses what is not allowed, counts nodes, measures depth."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.names: list[str] = []
        self.literals: dict[int, Decimal] = {}

    def check(self, root: ast.expr) -> None:
        count = 0
        stack: list[tuple[ast.AST, int]] = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            count += 1
            if count > MAX_NODES:
                raise FormulaError(f"Formula too complex: more than {MAX_NODES} parts")
            if depth > MAX_DEPTH:
                raise FormulaError(f"Formula nested too deeply: more than {MAX_DEPTH} levels")
            for child in reversed(self._children(node)):
                stack.append((child, depth + 1))

    def _children(self, node: ast.AST) -> list[ast.expr]:
        if isinstance(node, ast.Constant):
            self.literals[id(node)] = _literal(self.source, node)
            return []
        if isinstance(node, ast.Name):
            if node.id in FUNCTIONS:
                raise FormulaError(f"'{node.id}' is a function: call it, as in {node.id}(x){_where(node)}")
            if node.id.startswith("_"):
                raise _refuse(f"The name '{node.id}' is", node)
            if node.id not in self.names:
                self.names.append(node.id)
            return []
        if isinstance(node, ast.BinOp):
            op = type(node.op)
            if op not in _BINOPS:
                raise _refuse(f"The operator '{_REFUSED_BINOPS.get(op, op.__name__)}' is", node)
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Invert):
                raise _refuse("The operator '~' is", node)
            return [node.operand]
        if isinstance(node, ast.BoolOp):
            return list(node.values)
        if isinstance(node, ast.Compare):
            for cmp in node.ops:
                if type(cmp) not in _COMPARES:
                    raise _refuse(f"The comparison '{_REFUSED_COMPARES.get(type(cmp), '?')}' is", node)
            return [node.left, *node.comparators]
        if isinstance(node, ast.IfExp):
            return [node.test, node.body, node.orelse]
        if isinstance(node, ast.Call):
            return self._call(node)
        what = _REFUSED_NODES.get(type(node))
        if what is not None:
            verb = "is" if what in {"lambda", "await", "yield"} else "are"
            if what.startswith(("Attribute", "Assignment")):
                verb = "is"
            raise _refuse(f"{what} {verb}", node)
        raise _refuse(f"'{type(node).__name__}' is", node)

    def _call(self, node: ast.Call) -> list[ast.expr]:
        allowed = ", ".join(FUNCTIONS)
        if not isinstance(node.func, ast.Name):
            if isinstance(node.func, ast.Attribute):
                raise _refuse("Attribute access (a.b) is", node.func)
            raise FormulaError(f"Only the functions {allowed} can be called{_where(node)}")
        name = node.func.id
        if name not in FUNCTIONS:
            raise FormulaError(
                f"Calling '{name}' is not allowed in a formula{_where(node)}; the functions are {allowed}"
            )
        if node.keywords:
            raise _refuse(f"Keyword arguments (in {name}(…)) are", node)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise _refuse("Starred arguments (*x) are", arg)
        fewest, most = FUNCTIONS[name]
        count = len(node.args)
        if count < fewest or (most is not None and count > most):
            expected = (
                f"{fewest}"
                if fewest == most
                else f"{fewest} or {most}"
                if most is not None
                else f"at least {fewest}"
            )
            raise FormulaError(f"{name}() takes {expected} argument(s), not {count}{_where(node)}")
        return list(node.args)


@lru_cache(maxsize=4096)
def compile_formula(source: str) -> Formula:
    """Parse and check ``source``; raise :class:`FormulaError` when it is not an allowed formula."""
    if not isinstance(source, str):
        raise FormulaError("A formula is text")
    if len(source) > MAX_SOURCE:
        raise FormulaError(f"Formula too long: {len(source):,} characters (at most {MAX_SOURCE})")
    if not source.strip():
        raise FormulaError("The formula is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        where = f" at column {error.offset}" if error.offset else ""
        raise FormulaError(f"Syntax error{where}: {error.msg}") from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise FormulaError(f"Cannot read the formula: {error}") from None
    checker = _Checker(source.strip())
    checker.check(parsed.body)
    return Formula(source, parsed.body, tuple(checker.names), checker.literals)


def evaluate(source: str, parameters: Mapping[str, Decimal | int] | None = None) -> Decimal:
    """The value of the formula ``source`` for ``parameters`` (name → Decimal)."""
    return compile_formula(source).evaluate(parameters or {})


def parameter_names(source: str) -> tuple[str, ...]:
    """The parameter names ``source`` uses, in order of first use (functions not included)."""
    return compile_formula(source).names


def validate(source: str, known_names: Iterable[str] | None = None) -> None:
    """Raise :class:`FormulaError` if ``source`` is not an allowed formula, without evaluating it.

    With ``known_names``, a name the formula uses that is not among them is an error too.
    """
    formula = compile_formula(source)
    if known_names is not None:
        known = set(known_names)
        for name in formula.names:
            if name not in known:
                raise FormulaError(_unknown_message(name, known))


def _truthy(value: Decimal) -> bool:
    return value != _ZERO


def _floor_divmod(a: Decimal, b: Decimal) -> tuple[Decimal, Decimal]:
    """Python's floor division and modulo (the result of % has the sign of the divisor)."""
    if b == _ZERO:
        raise FormulaError("Division by zero")
    quotient = a // b  # Decimal truncates towards zero
    remainder = a % b  # with the sign of the dividend
    if remainder != _ZERO and (remainder < _ZERO) != (b < _ZERO):
        quotient -= _ONE
        remainder += b
    return quotient, remainder


class _Evaluator:
    def __init__(self, values: Mapping[str, Decimal], literals: Mapping[int, Decimal]) -> None:
        self.values = values
        self.literals = literals

    def eval(self, node: ast.expr) -> Decimal:
        if isinstance(node, ast.Constant):
            return self.literals[id(node)]
        if isinstance(node, ast.Name):
            return self.values[node.id]
        if isinstance(node, ast.BinOp):
            return _check_magnitude(self._binop(node))
        if isinstance(node, ast.UnaryOp):
            operand = self.eval(node.operand)
            if isinstance(node.op, ast.Not):
                return _ZERO if _truthy(operand) else _ONE
            return -operand if isinstance(node.op, ast.USub) else +operand
        if isinstance(node, ast.BoolOp):
            is_and = isinstance(node.op, ast.And)
            result = _ZERO
            for value_node in node.values:
                result = self.eval(value_node)
                if _truthy(result) != is_and:
                    return result
            return result
        if isinstance(node, ast.Compare):
            left = self.eval(node.left)
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self.eval(right_node)
                if not _COMPARES[type(op)](left, right):
                    return _ZERO
                left = right
            return _ONE
        if isinstance(node, ast.IfExp):
            return self.eval(node.body) if _truthy(self.eval(node.test)) else self.eval(node.orelse)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return _check_magnitude(self._call(node.func.id, [self.eval(arg) for arg in node.args]))
        raise FormulaError(f"'{type(node).__name__}' is not allowed in a formula")  # checked before

    def _binop(self, node: ast.BinOp) -> Decimal:
        a = self.eval(node.left)
        b = self.eval(node.right)
        op = node.op
        if isinstance(op, ast.Add):
            return a + b
        if isinstance(op, ast.Sub):
            return a - b
        if isinstance(op, ast.Mult):
            return a * b
        if isinstance(op, ast.Div):
            if b == _ZERO:
                raise FormulaError("Division by zero")
            return a / b
        if isinstance(op, ast.FloorDiv):
            return _floor_divmod(a, b)[0]
        if isinstance(op, ast.Mod):
            return _floor_divmod(a, b)[1]
        if isinstance(op, ast.Pow):
            if b != b.to_integral_value() or abs(b) > MAX_EXPONENT:
                raise FormulaError(f"'**' takes a whole exponent between -{MAX_EXPONENT} and {MAX_EXPONENT}")
            if b == _ZERO:
                return _ONE
            if a == _ZERO and b < _ZERO:
                raise FormulaError("Division by zero")
            return a ** int(b)
        raise FormulaError("Operator not allowed in a formula")  # checked before

    def _call(self, name: str, args: list[Decimal]) -> Decimal:
        if name == "ceil":
            return args[0].to_integral_value(rounding=ROUND_CEILING)
        if name == "floor":
            return args[0].to_integral_value(rounding=ROUND_FLOOR)
        if name == "abs":
            return abs(args[0])
        if name == "min":
            return min(args)
        if name == "max":
            return max(args)
        if name == "round":
            places = args[1] if len(args) > 1 else _ZERO
            if places != places.to_integral_value() or abs(places) > MAX_ROUND_PLACES:
                raise FormulaError(
                    f"round(x, n) takes a whole n between -{MAX_ROUND_PLACES} and {MAX_ROUND_PLACES}"
                )
            n = int(places)
            rounded = args[0].quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP)
            return rounded.quantize(_ONE) if n < 0 else rounded
        raise FormulaError(f"Calling '{name}' is not allowed in a formula")  # checked before


