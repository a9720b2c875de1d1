"""The company's settings: the one Company row, edited a field at a time like any master data.

The fields are a :class:`~app.services.master_data.RecordKind`, so each is parsed with a
clear message, and :func:`save_field` writes one with the version check of every master-data
edit (someone else's change in between raises ``EditConflict``; nothing is lost). The undo
of an edit is the save of the old value.

A database without a Company row has not been set up: :func:`load_company` says None.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import Company
from app.services import master_data
from app.services.master_data import FieldSpec, RecordKind, RecordRow, text
from app.services.money import HUNDRED
from app.services.storage.database import Database
from app.services.values import (
    EN_US,
    InputError,
    InputLocale,
    locale_for_currency,
    parse_decimal,
    parse_email,
    parse_text,
)

COMPANY_T = Company.__table__  # type: ignore[attr-defined]
DEFAULT_PATTERN = "Q{year}-{seq:04}"
QUOTE_NUMBER_MAX = 40  # Estimate.quote_number
LOGO_MAX_BYTES = 1024 * 1024
DEFAULT_VALIDITY_DAYS = 30


# -- the quote number pattern ----------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SEQ = re.compile(r"seq(?::0([1-9]))?")


def format_quote_number(pattern: str, year: int, seq: int) -> str:
    """``Q{year}-{seq:04}`` → ``Q2027-0001``: ``{year}``, and ``{seq}`` padded to ``{seq:0N}``'s N digits."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "year":
            return str(year)
        seq_match = _SEQ.fullmatch(name)
        assert seq_match is not None, pattern
        return str(seq).zfill(int(seq_match.group(1) or 0))

    return _PLACEHOLDER.sub(one, pattern)


def parse_pattern(value: Any) -> str:
    """A quote number pattern: text with ``{seq}`` (or ``{seq:04}``) once, and perhaps ``{year}``."""
    label = "Quote number pattern"
    text = parse_text(value, label, max_length=60, required=True)
    if " " in text:
        raise InputError(f"{label} cannot hold spaces: a quote number is one word, "
                         "like Q{year}-{seq:04}.")
    seqs = 0
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        if _SEQ.fullmatch(name):
            seqs += 1
        elif name != "year":
            raise InputError(f"{label} can use {{year}}, {{seq}} and {{seq:04}}; “{match.group(0)}” is "
                             "not one of them.")
    if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
        raise InputError(f"{label} has a brace without its pair; write {{year}} or {{seq:04}}.")
    if seqs != 1:
        raise InputError(f"{label} must contain {{seq}} (or {{seq:04}}) exactly once: it is what keeps "
                         "each quote number different.")
    if len(format_quote_number(text, 2099, 99999)) > QUOTE_NUMBER_MAX:
        raise InputError(f"{label} makes numbers longer than {QUOTE_NUMBER_MAX} characters.")
    return text


def example_quote_number(pattern: str, today: date | None = None) -> str:
    """The first quote number a pattern gives this year, or why the pattern cannot be used."""
    return format_quote_number(parse_pattern(pattern), (today or date.today()).year, 1)


def stored_pattern(conn: Connection) -> str:
    """The company's pattern as stored; the default when there is none or it cannot be used."""
    stored = conn.execute(select(COMPANY_T.c.quote_number_pattern)
                          .where(COMPANY_T.c.deleted_at.is_(None)).limit(1)).scalar()
    try:
        return parse_pattern(stored) if stored else DEFAULT_PATTERN
    except InputError:  # written by hand or another program: numbering must still work
        return DEFAULT_PATTERN


# -- the logo --------------------------------------------------------------------------------------


def _image_problem(data: bytes, name: str = "The logo") -> str | None:
    """Why ``data`` is not a usable PNG or JPEG image (``name`` says what it is), or None."""
    if len(data) > LOGO_MAX_BYTES:
        return f"{name} is {len(data) / 1024 / 1024:.1f} MB; a logo can be at most 1 MB."
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        return f"{name} is not a PNG or JPEG image."
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return f"{name} is damaged: it is not a readable PNG or JPEG image."
    if kind not in ("PNG", "JPEG"):
        return f"{name} is not a PNG or JPEG image."
    return None


def logo_from_file(path: str | Path) -> str:
    """The logo in ``path`` as the base64 text the Company row keeps; InputError if it cannot be one."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > LOGO_MAX_BYTES:
            raise InputError(f"{file.name} is {size / 1024 / 1024:.1f} MB; a logo can be at most 1 MB.")
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"Cannot read {file.name}: {error.strerror or error}.") from None
    problem = _image_problem(data, file.name)
    if problem:
        raise InputError(problem)
    return base64.b64encode(data).decode("ascii")


def logo_bytes(text: str | None) -> bytes | None:
    """The image bytes of a stored logo, or None (none, or not a usable image)."""
    if not text:
        return None
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return None if _image_problem(data) else data


def _parse_logo(value: Any) -> str:
    if value in (None, ""):
        return ""
    text = "".join(str(value).split())
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InputError("The logo is not a PNG or JPEG image.") from None
    problem = _image_problem(data)
    if problem:
        raise InputError(problem)
    return text


# -- the fields ------------------------------------------------------------------------------------


def _currency(value: Any) -> str:
    text = parse_text(value, "Currency", max_length=10, required=True).upper()
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise InputError(f"Currency must be a 3-letter ISO code like USD, EUR or GBP; “{text}” is not.")
    return text


def _percent(label: str, *, below: Decimal | None = None, maximum: Decimal | None = HUNDRED) -> Any:
    def parse(value: Any) -> Decimal:
        parsed = parse_decimal("0" if value in (None, "") else value, label, percent=True, places=4,
                               maximum=None if below is not None else maximum, below=below)
        assert parsed is not None
        return parsed

    return parse


def _validity_days(value: Any) -> int:
    days = parse_decimal("" if value is None else value, "Quote validity", places=0, minimum=Decimal(1),
                         maximum=Decimal(365))
    assert days is not None
    return int(days)


def _format_percent(value: Any) -> str:
    return "" if value is None else master_data.format_value(value)


COMPANY = RecordKind(
    model=Company,
    noun="company",
    unique_names=False,
    fields=(
        FieldSpec("name", "Company name", text("Company name", 200, required=True)),
        FieldSpec("address", "Address", text("Address", 500, multiline=True),
                  tip="As the quote's letterhead shows it; one line per line."),
        FieldSpec("phone", "Phone", text("Phone", 50)),
        FieldSpec("email", "Email", parse_email),
        FieldSpec("logo", "Logo", _parse_logo, format=lambda v: "(logo)" if v else "",
                  tip="A PNG or JPEG of at most 1 MB, shown at the top of every quote."),
        FieldSpec("currency", "Currency", _currency,
                  tip="The 3-letter ISO code: USD, EUR, GBP, CAD… It also says how dates are typed: "
                      "5/10/27 is 10 May 2027 with USD, 5 October 2027 with GBP, EUR, AUD or NZD."),
        FieldSpec("tax_label", "Tax label", text("Tax label", 40, required=True),
                  tip="What the quote calls the tax line: Tax, Sales tax, VAT, GST…"),
        FieldSpec("default_tax_pct", "Tax rate %", _percent("Tax rate", below=HUNDRED), _format_percent,
                  numeric=True, tip="A new estimate starts with this tax rate."),
        FieldSpec("default_markup_pct", "Default markup %",
                  _percent("Default markup", maximum=Decimal(1000)), _format_percent, numeric=True,
                  tip="A new catalog item is priced at this markup on its cost."),
        FieldSpec("target_margin_pct", "Target margin %", _percent("Target margin", below=HUNDRED),
                  _format_percent, numeric=True,
                  tip="A new estimate aims at this margin; below it, its footer warns."),
        FieldSpec("margin_floor_pct", "Margin floor %", _percent("Margin floor", below=HUNDRED),
                  _format_percent, numeric=True,
                  tip="Below this margin the account manager is warned before a quote goes out."),
        FieldSpec("contingency_pct", "Contingency %", _percent("Contingency"), _format_percent,
                  numeric=True, tip="A new estimate adds this contingency to its subtotal."),
        FieldSpec("quote_number_pattern", "Quote number pattern", parse_pattern,
                  tip="{year} is the year the quote is first sent, {seq} its number; {seq:04} pads "
                      "it to 4 digits (Q{year}-{seq:04} → Q2027-0001)."),
        FieldSpec("quote_validity_days", "Quote valid for (days)", _validity_days, numeric=True,
                  tip="The quote says it is valid until its date plus this many days."),
        FieldSpec("quote_terms", "Terms", text("Terms", 5000, multiline=True),
                  tip="Printed at the foot of every quote: payment, deposit, cancellation…"),
    ),
)
FIELD_KEYS = tuple(f.key for f in COMPANY.fields)


def load_company(db: Database) -> RecordRow | None:
    """The company's settings as stored, or None for a database that has not been set up."""
    rows = master_data.load(db, COMPANY)
    return rows[0] if rows else None


def save_field(db: Database, row: RecordRow, key: str, value: Any) -> bool:
    """Validate and save one setting of ``row`` (as the form saw it); False when nothing changed.

    InputError: refused, nothing written. EditConflict: someone else changed the settings
    since ``row`` was read; nothing written, and both values are in the error.
    """
    return master_data.save_edit(db, COMPANY, row, key, value)


def parse_all(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Each field of ``values`` parsed; (the good values, a message for each refused field)."""
    good: dict[str, Any] = {}
    refused: dict[str, str] = {}
    for key, value in values.items():
        try:
            good[key] = master_data.parse_edit(COMPANY, key, value)
        except InputError as error:
            refused[key] = str(error)
    return good, refused


# -- what the quote and new estimates take from the settings ----------------------------------------


@dataclass(frozen=True, slots=True)
class EstimateDefaults:
    target_margin_pct: Decimal = Decimal(0)
    margin_floor_pct: Decimal = Decimal(0)
    contingency_pct: Decimal = Decimal(0)
    tax_pct: Decimal = Decimal(0)


def estimate_defaults(conn: Connection) -> EstimateDefaults:
    """What a new estimate starts with: the company's margin, floor, contingency and tax."""
    row = conn.execute(select(COMPANY_T.c.target_margin_pct, COMPANY_T.c.margin_floor_pct,
                              COMPANY_T.c.contingency_pct, COMPANY_T.c.default_tax_pct)
                       .where(COMPANY_T.c.deleted_at.is_(None)).limit(1)).first()
    if row is None:
        return EstimateDefaults()
    values = []
    for key in ("target_margin_pct", "margin_floor_pct", "contingency_pct", "default_tax_pct"):
        try:
            values.append(COMPANY.field_by_key[key].parse(getattr(row, key)))
        except InputError:  # a value written by another program: a new estimate starts at 0
            values.append(Decimal(0))
    return EstimateDefaults(*values)


def company_locale(conn: Connection) -> InputLocale:
    """The locale the company's people type numbers and dates in: its currency's (en-US without one)."""
    currency = conn.execute(select(COMPANY_T.c.currency).where(COMPANY_T.c.deleted_at.is_(None)).limit(1)
                            ).scalar()
    return locale_for_currency(currency) if isinstance(currency, str) and currency.strip() else EN_US


def valid_until(quote_date: date, validity_days: int | None) -> date | None:
    """The last day a quote dated ``quote_date`` holds (None without a validity)."""
    if not validity_days or validity_days < 1:
        return None
    return quote_date + timedelta(days=validity_days)
