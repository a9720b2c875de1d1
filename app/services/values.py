"""Reading numbers that people type: clear messages for bad input, exact Decimals for good."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

_LIMIT = Decimal("1e12")
_STRIP = re.compile(r"[\s$€£,]")


class InputError(ValueError):
    """A value a user typed cannot be used; ``str(error)`` is the message to show."""


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
) -> Decimal | None:
    """Parse ``text`` as an exact number or raise :class:`InputError` saying why not.

    Accepts thousands separators, a currency sign and (for percentages) a
    trailing ``%``: ``"$1,234.50"`` → ``Decimal("1234.50")``.
    """
    if isinstance(text, Decimal):
        raw = format(text, "f")
    elif isinstance(text, int) and not isinstance(text, bool):
        raw = str(text)
    elif isinstance(text, str):
        raw = text
    else:
        raise InputError(f"{label} must be a number.")
    cleaned = _STRIP.sub("", raw)
    if percent and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if cleaned == "":
        if allow_empty:
            return None
        raise InputError(f"{label} cannot be empty.")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InputError(f"{label} must be a number; “{raw.strip()}” is not.") from None
    if not value.is_finite():
        raise InputError(f"{label} must be a number; “{raw.strip()}” is not.")
    if abs(value) >= _LIMIT:
        raise InputError(f"{label} is too large.")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise InputError(f"{label} can have at most {places} decimal places.")
    unit = " %" if percent else ""
    if minimum is not None and value < minimum:
        if minimum == 0:
            raise InputError(f"{label} cannot be negative.")
        raise InputError(f"{label} must be at least {minimum}{unit}.")
    if maximum is not None and value > maximum:
        raise InputError(f"{label} must be at most {maximum}{unit}.")
    if below is not None and value >= below:
        raise InputError(f"{label} must be below {below}{unit}.")
    if above is not None and value <= above:
        raise InputError(f"{label} must be above {above}{unit}.")
    return value + 0  # normalises -0 to 0


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
