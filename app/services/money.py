"""Exact money: the one rounding rule and the one display format for amounts.

Every amount Tandem shows or stores is a ``Decimal``. Rounding happens in one
place, :func:`round_money`: half-up to the cent, applied to each line's cost
and price and to each estimate-level adjustment (contingency, discount, tax).
Subtotals and totals are sums of already-rounded amounts, so the production
pane, the client pane and an exported workbook add up to the same cents.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def round_money(value: Decimal) -> Decimal:
    """Round an exact amount to the cent, half up (0.005 → 0.01)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Past this many digits a figure is shown as 1E+20: a stored 1E+999999999 is not spelled out.
_SHOWN_DIGITS = 18


def _unshowable(value: Decimal) -> bool:
    return not value.is_finite() or value.adjusted() >= _SHOWN_DIGITS


def _scientific(value: Decimal) -> str:
    """``1E+30``, ``-1.5E+999999999``: worked out from the digits, with no context to overflow."""
    if not value.is_finite():
        return str(value)
    sign, digits, _exponent = value.as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    mantissa = text[0] + (f".{text[1:7]}" if len(text) > 1 else "")
    return f"{'-' if sign else ''}{mantissa}E{value.adjusted():+d}"


CURRENCY_SIGNS = {"USD": "$", "CAD": "$", "AUD": "$", "EUR": "€", "GBP": "£"}  # written before the amount


def format_money(value: Decimal | None, currency: str = "") -> str:
    """``1234.5`` → ``"1,234.50"`` (with a leading ``"$"`` when currency is USD)."""
    if value is None:
        return ""
    if _unshowable(value):
        return format_number(value)
    text = f"{round_money(value):,.2f}"
    symbol = CURRENCY_SIGNS.get(currency, "")
    if text.startswith("-"):
        return f"-{symbol}{text[1:]}"
    return f"{symbol}{text}"


def shown_money(value: Decimal | None, currency: str) -> str:
    """An amount as every export shows it (the sheets' number format, the PDF): ``$1,234.50``,
    ``-€12.00``, and for a currency without a sign its code after: ``1,234.50 CHF``."""
    if value is None:
        return ""
    text = format_money(value, currency)
    if currency in CURRENCY_SIGNS:
        return text
    code = "".join(ch for ch in currency if ch.isalnum())[:3] or "USD"
    return f"{text} {code}"


def format_whole_money(value: Decimal, currency: str = "") -> str:
    """A rounded amount without cents, as said out loud: ``94500`` → ``"$94,500"``."""
    text = format_money(value, currency)
    return text[:-3] if text.endswith(".00") else text


def format_number(value: Decimal | None) -> str:
    """A quantity without trailing zeros: ``Decimal("4.500")`` → ``"4.5"``, ``1E+2`` → ``"100"``."""
    if value is None:
        return ""
    if _unshowable(value):
        return _scientific(value)
    if value == value.to_integral_value():
        return f"{value.to_integral_value():,f}"
    text = format(value.normalize(), ",f")
    return text


def format_percent(value: Decimal | None) -> str:
    """``Decimal("42.4137")`` → ``"42.41 %"``."""
    if value is None:
        return ""
    if _unshowable(value):
        return f"{format_number(value)} %"
    return f"{round_money(value):,.2f} %"
