"""Reading numbers that people type: clear messages for bad input, exact Decimals for good.

Numbers are read by a locale's rules (:class:`NumberFormat`; US by default): the decimal
separator is the locale's, and a thousands separator (the locale's, or a space) must group
exactly three digits, so ``1,5`` is refused as ambiguous rather than read as 15. Only the
digits 0–9 are taken (no full-width or Arabic-Indic digits, no ``1_000``), and no text ever
makes the parser raise anything but :class:`InputError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

_LIMIT = Decimal("1e12")
_MAX_DIGITS = 40  # more digits than any bound allows: refused before any arithmetic
_CURRENCY = "$€£"
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")


class InputError(ValueError):
    """A value a user typed cannot be used; ``str(error)`` is the message to show."""


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """A locale's number rules: its decimal separator and its thousands separator.

    A space (also a no-break or thin space) groups thousands in every locale.
    """

    decimal: str = "."
    group: str = ","

    @property
    def group_name(self) -> str:
        return {",": "comma", ".": "point", "'": "apostrophe"}.get(self.group, f"“{self.group}”")

    def pattern(self) -> re.Pattern[str]:
        d, g = re.escape(self.decimal), re.escape(self.group)
        return re.compile(
            rf"(?P<int>[0-9]+|[0-9]{{1,3}}(?:{g}[0-9]{{3}})+|[0-9]{{1,3}}(?: [0-9]{{3}})+)?"
            rf"(?:{d}(?P<frac>[0-9]*))?(?:[eE](?P<exp>[+-]?[0-9]+))?"
        )


US = NumberFormat(".", ",")
# Where a comma is the decimal separator and a point groups thousands (Germany, Italy, Brazil…).
COMMA_DECIMAL = NumberFormat(",", ".")
_PATTERNS: dict[NumberFormat, re.Pattern[str]] = {}


def parse_decimal(
    text: object,
    label: str,
    *,
    minimum: Decimal | None = Decimal(0),
    maximum: Decimal | None = None,
    below: Decimal | None = None,
    above: Decimal | None = None,
    places: int = 4,
    allow_empty: bool = False,
    percent: bool = False,
    style: NumberFormat = US,
) -> Decimal | None:
    """Parse ``text`` as an exact number or raise :class:`InputError` saying why not.

    Accepts thousands separators, a currency sign and (for percentages) a
    trailing ``%``: ``"$1,234.50"`` → ``Decimal("1234.50")``.
    """
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise InputError(f"{label} must be a number; “{text}” is not.")
        value = text
    elif isinstance(text, int) and not isinstance(text, bool):
        value = Decimal(text)
    elif isinstance(text, str):
        parsed = _read_number(text, label, percent, style)
        if parsed is None:
            if allow_empty:
                return None
            raise InputError(f"{label} cannot be empty.")
        value = parsed
    else:
        raise InputError(f"{label} must be a number.")
    if value.adjusted() >= _LIMIT.adjusted():
        raise InputError(f"{label} is too large.")
    if _places(value) > places:
        raise InputError(f"{label} can have at most {places} decimal places.")
    unit = " %" if percent else ""
    if minimum is not None and value < minimum:
        if minimum == 0:
            raise InputError(f"{label} cannot be negative.")
        raise InputError(f"{label} must be at least {minimum}{unit}.")
    if maximum is not None and value > maximum:
        raise InputError(f"{label} must be at most {_plain(maximum)}{unit}.")
    if below is not None and value >= below:
        raise InputError(f"{label} must be below {below}{unit}.")
    if above is not None and value <= above:
        raise InputError(f"{label} must be above {above}{unit}.")
    return value + 0  # normalises -0 to 0


def _plain(value: Decimal) -> str:
    """A bound as a person reads it: 1000000 → "1,000,000", 24 → "24"."""
    return f"{value:,f}"


def _places(value: Decimal) -> int:
    """Decimal places that count (trailing zeros do not), without any context arithmetic."""
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing)) if any(digits) else 0


def _read_number(raw: str, label: str, percent: bool, style: NumberFormat) -> Decimal | None:
    """Typed text → a Decimal (None when there is nothing but a sign of currency or space)."""
    text = _SPACES.sub(" ", raw).strip()
    if percent and text.endswith("%"):
        text = text[:-1].rstrip()
    sign = ""
    for _ in range(2):  # "-$5", "$-5", "$ 5", "5 €"
        if text[:1] in "+-" and text[:1]:
            sign, text = ("-" if text[0] == "-" else ""), text[1:].lstrip()
        if text[:1] and text[0] in _CURRENCY:
            text = text[1:].lstrip()
    if text[-1:] and text[-1] in _CURRENCY:
        text = text[:-1].rstrip()
    if text == "" and not sign:
        return None
    pattern = _PATTERNS.get(style) or _PATTERNS.setdefault(style, style.pattern())
    match = pattern.fullmatch(text)
    if match is None or (match["int"] is None and not match["frac"]):
        raise InputError(_why_not(raw.strip(), text, label, style))
    whole = (match["int"] or "0").replace(style.group, "").replace(" ", "")
    frac = match["frac"] or ""
    if len(whole.lstrip("0")) + len(frac) > _MAX_DIGITS:
        raise InputError(
            f"{label} is too large."
            if len(whole.lstrip("0")) > 12
            else f"{label} has too many decimal places."
        )
    exponent = int(match["exp"]) if match["exp"] and len(match["exp"].lstrip("+-")) <= 6 else None
    if match["exp"] and (exponent is None or abs(exponent) > _MAX_DIGITS):
        big = not match["exp"].startswith("-")
        raise InputError(f"{label} is too large." if big else f"{label} has too many decimal places.")
    return Decimal(f"{sign}{whole}{'.' + frac if frac else ''}e{exponent or 0}")


def _why_not(raw: str, text: str, label: str, style: NumberFormat) -> str:
    """The message for text that is not a number: name the forms that are accepted."""
    d, g = style.decimal, style.group
    like = f"1250, 1{g}250{d}50 or $1{g}250"
    if any(c.isdigit() and not "0" <= c <= "9" for c in text) or any(
        c.isnumeric() and not c.isascii() for c in text
    ):
        return f"{label} must be typed with the digits 0–9, like {like}; “{raw}” is not."
    if "_" in text and re.fullmatch(r"[0-9_.,]+", text):
        return (
            f"{label} cannot use “_” between digits; write {text.replace('_', '')} or group with commas, "
            f"like {like}."
        )
    grouped = re.fullmatch(rf"([0-9]+)((?:{re.escape(g)}[0-9]+)+)(?:{re.escape(d)}[0-9]*)?", text)
    if grouped:
        parts = grouped[2].split(g)[1:]
        if len(parts) == 1 and d not in text:
            after = parts[0]
            thousands = (
                f"{grouped[1]}{g}{after.ljust(3, '0')}"
                if len(after) < 3
                else f"{int(grouped[1] + after):,}".replace(",", g)
            )
            return f"{label} “{raw}” is ambiguous: write {grouped[1]}{d}{after} or {thousands}."
        return (
            f"{label} “{raw}” is not a number: a {style.group_name} must separate groups of three "
            f"digits, like 1{g}234{g}567{d}5."
        )
    return f"{label} must be a number; “{raw}” is not."


# Control characters a paste brings along: Word's line break is a vertical tab (\x0b) and its
# page break a form feed (\x0c); the other C0 controls (\x01 …) and DEL mean nothing in a field,
# and an .xlsx cannot hold them at all (nor lone surrogates or U+FFFE/U+FFFF: XML forbids them).
_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_ONE_LINE = re.compile(r"[\t\n]")


def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` without control characters: a pasted line break (``\\x0b``, ``\\r\\n``) becomes a
    line break, where the field has lines (``multiline``), else a space like a tab; the rest go."""
    value = _CONTROL.sub("", _LINE_BREAK.sub("\n", text))
    return value if multiline else _ONE_LINE.sub(" ", value)


def parse_text(text: object, label: str, *, max_length: int, required: bool = False,
               multiline: bool = False) -> str:
    """Typed or imported text, cleaned (:func:`clean_text`) and stripped, within ``max_length``."""
    value = "" if text is None else clean_text(str(text), multiline=multiline).strip()
    if required and not value:
        raise InputError(f"{label} cannot be empty.")
    if len(value) > max_length:
        raise InputError(f"{label} can be at most {max_length} characters long.")
    return value


_DATE_FORMATS = ("%Y-%m-%d", "%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y")
_TIME = re.compile(r"^(\d{1,2})(?:[:.h]?(\d{2}))?\s*([ap])?\.?\s*(?:m\.?)?$")


def parse_date(text: object, label: str) -> date | None:
    """A date typed as ISO (2027-03-08) or with a month name (Mar 8 2027, 8 March 2027); empty → None."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    raw = "" if text is None else str(text).strip()
    if raw == "":
        return None
    cleaned = " ".join(raw.replace(",", " ").split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise InputError(f"{label} must be a date like 2027-03-08 or Mar 8 2027; “{raw}” is not.")


def parse_time(text: object, label: str) -> time | None:
    """A time of day: 07:00, 7am, 7:30 pm, 19:30; 24:00 is midnight (an end past midnight)."""
    if isinstance(text, time):
        return text
    raw = "" if text is None else str(text).strip()
    if raw == "":
        return None
    match = _TIME.match(raw.lower())
    if match is None:
        raise InputError(f"{label} must be a time like 07:00, 7am or 19:30; “{raw}” is not.")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = match.group(3)
    if half is not None:
        if not 1 <= hour <= 12:
            raise InputError(f"{label}: {hour} is not an hour on a 12-hour clock.")
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour == 24 and minute == 0:
        hour = 0
    if hour > 23 or minute > 59:
        raise InputError(f"{label} must be a time between 00:00 and 24:00; “{raw}” is not.")
    return time(hour, minute)


def parse_email(text: object, label: str = "Email") -> str:
    """An email address as typed (empty is allowed), or InputError saying it is not one."""
    value = parse_text(text, label, max_length=200)
    if value and ("@" not in value or " " in value or value.startswith("@") or value.endswith("@")):
        raise InputError(f"“{value}” is not an email address (name@example.com).")
    return value

