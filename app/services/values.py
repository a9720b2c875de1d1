"""Reading numbers that people type: clear messages for bad input, exact Decimals for good.

Numbers and dates are read by the company's locale (:class:`InputLocale`, en-US until
:func:`set_input_locale` says otherwise; :func:`app.services.company.settings.company_locale`
names it): the decimal separator is the locale's, and a thousands separator (the locale's, or
a space) must group exactly three digits, so ``1,5`` is refused as ambiguous rather than read
as 15. Only the digits 0–9 are taken (no full-width or Arabic-Indic digits, no ``1_000``), and
no text ever makes the parser raise anything but :class:`InputError`. Where an amount or a
quantity is expected (``shorthand=True``), ``1.5k`` is 1,500 and ``2m`` is 2,000,000. A date is
ISO (2027-05-10), has a month name (May 10 2027, 10 May 2027) or is in the locale's short
form: ``5/10/27`` in the US, ``10/05/27`` in the UK.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

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


@dataclass(frozen=True, slots=True)
class InputLocale:
    """How a company's people type numbers and dates.

    ``date_order`` is the order of a short date's parts (``"MDY"``: 5/10/27 is 10 May 2027;
    ``"DMY"``: 10/05/27 is); empty where both orders are in use, so a short date is refused
    rather than guessed. ``marks`` are the currency's own signs and code, read besides $, € and £.
    """

    name: str
    number: NumberFormat = US
    date_order: str = ""
    marks: tuple[str, ...] = ()


EN_US = InputLocale("en-US", US, "MDY", ("US$", "USD"))
EN_GB = InputLocale("en-GB", US, "DMY", ("GBP",))
# A company's locale, by its currency (the settings hold a currency, not a locale). Canada writes
# short dates both ways, so there only ISO and month names are read; so too for a currency not here.
LOCALES_BY_CURRENCY: dict[str, InputLocale] = {
    "USD": EN_US,
    "GBP": EN_GB,
    "EUR": InputLocale("en-IE", US, "DMY", ("EUR",)),
    "AUD": InputLocale("en-AU", US, "DMY", ("A$", "AU$", "AUD")),
    "NZD": InputLocale("en-NZ", US, "DMY", ("NZ$", "NZD")),
    "CAD": InputLocale("en-CA", US, "", ("C$", "CA$", "CAD")),
}


def locale_for_currency(currency: str) -> InputLocale:
    """The locale a company with ``currency`` types in (en-US for USD, en-GB for GBP…)."""
    code = currency.strip().upper()
    return LOCALES_BY_CURRENCY.get(code) or InputLocale(f"({code})", US, "", (code,) if code else ())


_active: list[InputLocale] = [EN_US]


def set_input_locale(locale: InputLocale) -> None:
    """Read what is typed from now on by ``locale``'s rules (the open database's company's)."""
    _active[0] = locale


def input_locale() -> InputLocale:
    """The locale typed numbers and dates are read by now."""
    return _active[0]


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
    shorthand: bool = False,
    style: NumberFormat | None = None,
) -> Decimal | None:
    """Parse ``text`` as an exact number or raise :class:`InputError` saying why not.

    Accepts thousands separators, a currency sign and (for percentages) a trailing ``%``:
    ``"$1,234.50"`` → ``Decimal("1234.50")``; with ``shorthand`` (an amount or a quantity) a
    trailing ``k`` or ``m``: ``"1.5k"`` → ``Decimal("1500")``. ``style`` is the current
    locale's unless given.
    """
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise InputError(f"{label} must be a number; “{text}” is not.")
        value = text
    elif isinstance(text, int) and not isinstance(text, bool):
        value = Decimal(text)
    elif isinstance(text, str):
        locale = input_locale()
        parsed = _read_number(text, label, percent, shorthand, style or locale.number, locale.marks)
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


_SCALE = {"k": 3, "m": 6}


def _strip_mark(text: str, marks: tuple[str, ...], front: bool) -> str:
    """``text`` without one currency sign or code at its front (or end), and the space beside it."""
    for mark in marks:
        if front and text[: len(mark)].upper() == mark.upper():
            return text[len(mark) :].lstrip()
        if not front and len(text) > len(mark) and text[-len(mark) :].upper() == mark.upper():
            return text[: -len(mark)].rstrip()
    return text


def _read_number(
    raw: str, label: str, percent: bool, shorthand: bool, style: NumberFormat, marks: tuple[str, ...]
) -> Decimal | None:
    """Typed text → a Decimal (None when there is nothing but a sign of currency or space)."""
    text = _SPACES.sub(" ", raw).strip()
    if percent and text.endswith("%"):
        text = text[:-1].rstrip()
    signs = tuple(sorted((*marks, *_CURRENCY), key=len, reverse=True))
    sign = ""
    for _ in range(2):  # "-$5", "$-5", "$ 5", "5 €", "USD 5"
        if text[:1] in "+-" and text[:1]:
            sign, text = ("-" if text[0] == "-" else ""), text[1:].lstrip()
        text = _strip_mark(text, signs, front=True)
    text = _strip_mark(text, signs, front=False)
    scale = _SCALE.get(text[-1:].lower(), 0) if shorthand and text[-1:].isalpha() else 0
    if scale:
        text = text[:-1].rstrip()
    if text == "" and not sign and not scale:
        return None
    pattern = _PATTERNS.get(style) or _PATTERNS.setdefault(style, style.pattern())
    match = pattern.fullmatch(text)
    if match is None or (match["int"] is None and not match["frac"]):
        suffix = raw.strip()[-1:] if scale else ""
        kind = "percent" if percent else "shorthand" if shorthand else ""
        raise InputError(_why_not(raw.strip(), text, label, style, kind, suffix))
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
    return Decimal(f"{sign}{whole}{'.' + frac if frac else ''}e{(exponent or 0) + scale}")


def _why_not(raw: str, text: str, label: str, style: NumberFormat, kind: str = "", suffix: str = "") -> str:
    """The message for text that is not a number: name the forms that are accepted.

    ``kind`` is "percent", "shorthand" (an amount: 1.5k is read) or "" (a plain number)."""
    d, g = style.decimal, style.group
    like = {
        "percent": f"35, 12{d}5 or 12{d}5%",
        "shorthand": f"1250, 1{g}250{d}50, $1{g}250 or 1{d}5k",
    }.get(kind, f"1250, 1{g}250{d}50 or $1{g}250")
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
            return (
                f"{label} “{raw}” is ambiguous: write {grouped[1]}{d}{after}{suffix} or {thousands}{suffix}."
            )
        return (
            f"{label} “{raw}” is not a number: a {style.group_name} must separate groups of three "
            f"digits, like 1{g}234{g}567{d}5."
        )
    return f"{label} must be a number like {like}; “{raw}” is not."


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


def parse_flag(value: object, label: str) -> bool:
    """Yes or no as typed: yes, y, true, 1, x or no, n, false, 0, empty (any case); InputError else."""
    if isinstance(value, bool):
        return value
    typed = "" if value is None else str(value).strip().lower()
    if typed in {"yes", "y", "true", "1", "x"}:
        return True
    if typed in {"no", "n", "false", "0", ""}:
        return False
    raise InputError(f"{label} must be yes or no.")


def parse_text(
    text: object, label: str, *, max_length: int, required: bool = False, multiline: bool = False
) -> str:
    """Typed or imported text, cleaned (:func:`clean_text`) and stripped, within ``max_length``."""
    value = "" if text is None else clean_text(str(text), multiline=multiline).strip()
    if required and not value:
        raise InputError(f"{label} cannot be empty.")
    if len(value) > max_length:
        raise InputError(f"{label} can be at most {max_length} characters long.")
    return value


_DATE_FORMATS = ("%Y-%m-%d", "%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y")
_SHORT_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")
_ORDER_WORDS = {"MDY": ("3/8/27", "month/day/year"), "DMY": ("8/3/27", "day/month/year")}
_TIME = re.compile(r"^(\d{1,2})(?:[:.h]?(\d{2}))?\s*([ap])?\.?\s*(?:m\.?)?$")


def _full_year(year: str, today: date) -> int:
    """A two-digit year within 50 years of today: in 2026, 27 → 2027, 75 → 2075, 76 → 1976."""
    if len(year) == 4:
        return int(year)
    low = today.year - 50
    full = low - low % 100 + int(year)
    return full if full >= low else full + 100


def parse_date(text: object, label: str, *, today: date | None = None) -> date | None:
    """A date typed as ISO (2027-03-08), with a month name (Mar 8 2027, 8 March 2027) or in the
    locale's short form (3/8/27 in the US, 8/3/27 in the UK); empty → None."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    raw = "" if text is None else str(text).strip()
    if raw == "":
        return None
    order = input_locale().date_order
    short = _SHORT_DATE.fullmatch(raw)
    if short is not None and order in _ORDER_WORDS:
        parts = dict(zip(order, short.groups(), strict=True))
        try:
            return date(_full_year(parts["Y"], today or date.today()), int(parts["M"]), int(parts["D"]))
        except ValueError:
            raise InputError(_not_a_date(label, raw, order)) from None
    cleaned = " ".join(raw.replace(",", " ").split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise InputError(_not_a_date(label, raw, order))


def _not_a_date(label: str, raw: str, order: str) -> str:
    """The message for text that is not a date: the forms this locale reads."""
    if order in _ORDER_WORDS:
        example, words = _ORDER_WORDS[order]
        return (
            f"{label} must be a date like 2027-03-08 or Mar 8 2027, or {example} ({words}); “{raw}” is not."
        )
    return f"{label} must be a date like 2027-03-08 or Mar 8 2027; “{raw}” is not."


def format_day(value: date | None) -> str:
    """A day as a cell shows it, and :func:`parse_date` reads back unchanged: 8 Mar 2027."""
    return f"{value.day} {value:%b %Y}" if value is not None else ""


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


# -- parsers of a field, for the master-data editors and the line fields ---------------------------


def flag(label: str) -> Callable[[Any], bool]:
    """The parser of a yes/no field (see values.parse_flag)."""
    return lambda v: parse_flag(v, label)


def choice_of(label: str, enum: type[StrEnum]) -> Callable[[Any], Any]:
    """The parser of a field holding one of ``enum``: its value or its label, any case."""
    def parse(value: Any) -> Any:
        typed = str(getattr(value, "value", value) or "").strip().lower()
        for member in enum:
            if typed in (member.value, str(getattr(member, "label", member.value)).lower()):
                return member.value
        names = ", ".join(str(getattr(m, "label", m.value)) for m in enum)
        raise InputError(f"{label} must be one of: {names}.")
    return parse


def optional_id(label: str) -> Callable[[Any], uuid.UUID | None]:
    """The parser of a reference picked from a list (empty: none)."""
    def parse(value: Any) -> uuid.UUID | None:
        if value in (None, ""):
            return None
        try:
            return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        except ValueError:
            raise InputError(f"{label} is not a known choice.") from None
    return parse
