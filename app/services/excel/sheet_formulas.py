"""A spreadsheet cell's formula read as a Tandem formula: simple arithmetic, for cells saved bare."""

from __future__ import annotations

import re

from app.services.estimate.formulas import FormulaError

# A spreadsheet formula's tokens that mean the same here: numbers, + - * /, parentheses, commas
# and a few functions. Not ^ (its precedence against unary minus differs), %, &, comparisons,
# text, cell references or names: what they give only the spreadsheet program knows.
_SHEET_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<function>[A-Za-z][A-Za-z0-9.]*)\s*\("
    r"|(?P<symbol>[-+*/(),]))"
)
_SHEET_FUNCTIONS = {"SUM": "", "ROUND": "round", "MIN": "min", "MAX": "max", "ABS": "abs"}


def from_spreadsheet(source: str) -> str:
    """A cell's formula as a Tandem formula: ``=SUM(2,3)*2`` → ``(2 + 3) * 2``.

    Only simple arithmetic: numbers, ``+ - * /``, parentheses and the functions SUM, ROUND,
    MIN, MAX and ABS (any case). Anything else — a cell reference, a name, text, another
    function or operator — raises :class:`FormulaError`.
    """
    text = source.strip().removeprefix("=")
    out: list[str] = []
    sums: list[bool] = []  # for each open parenthesis: is it SUM's (its commas add)
    position = 0
    while text[position:].strip():
        match = _SHEET_TOKEN.match(text, position)
        if match is None:
            shown = text[position:].strip()[:20]
            raise FormulaError(f"“{shown}” is not simple arithmetic (numbers, + - * /, SUM, ROUND)")
        position = match.end()
        number, function, symbol = match.group("number", "function", "symbol")
        if number is not None:
            out.append(number)
        elif function is not None:
            name = function.upper()
            if name not in _SHEET_FUNCTIONS:
                raise FormulaError(f"The function {name} is not simple arithmetic")
            sums.append(name == "SUM")
            out.append(_SHEET_FUNCTIONS[name] + "(")
        elif symbol == "(":
            sums.append(False)
            out.append("(")
        elif symbol in (")", ","):
            if not sums:
                raise FormulaError(f"Unbalanced “{symbol}”")
            if symbol == ")":
                sums.pop()
            out.append(symbol if symbol == ")" or not sums[-1] else "+")
        else:
            out.append(symbol)
    if sums:
        raise FormulaError("Unbalanced “(”")
    return " ".join(out)
