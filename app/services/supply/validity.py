"""The validity guard: what Send quote checks before a client quote goes out.

The client quote holds until its valid-until day (the day it is sent + the company's validity
days). The suppliers it is built on may not hold as long:

(a) a supplier quote a line follows expires before the client quote does;
(b) accept-by — the earliest order-by day over the lines with a supplier — falls before the client
    quote's valid-until: a client accepting later cannot have everything by load-in;
(c) an order-by day has passed already.

Lines in the total count, and add-ons (the client may still take them; the warning names them
"add-on"); an alternative not chosen does not. A quote valid until the client quote's own last
day is fine: it is "before" only when it ends a day or more earlier. Order-by and need-by are
:mod:`app.services.supply.timing`'s sums, the same the orders and the cost sheet use.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.services.company.settings import DEFAULT_VALIDITY_DAYS, load_company, valid_until
from app.services.estimate.document import EstimateDocument, LineRow
from app.services.estimate.line_links import line_links
from app.services.estimate.pricing import ADDON, EXCLUDED
from app.services.storage.database import Database
from app.services.supply.quote_items import QuoteInfo, QuoteItemInfo, line_timing, load_quote_items
from app.services.supply.timing import Timing

NAMES_SHOWN = 5  # a warning names this many lines, then "and N more"
WARNINGS_SHOWN = 6  # Send quote's question shows this many warnings, then how many more


@dataclass(frozen=True, slots=True)
class SuppliedLine:
    """A line the suppliers deliver: in the total or an add-on, with a supplier or a quote item."""

    line: LineRow
    addon: bool
    supplier_name: str  # the followed quote's supplier, else the line's
    quote: QuoteInfo | None  # the supplier quote the line follows
    timing: Timing | None  # None: its supplier is gone

    @property
    def name(self) -> str:
        return self.line.description + (" (add-on)" if self.addon else "")


def followed_items(doc: EstimateDocument) -> dict[uuid.UUID, uuid.UUID]:
    """Line id → the supplier quote item the line's cost follows."""
    return line_links(doc, "supplier_quote_item_id")


def supplied_lines(doc: EstimateDocument, items: dict[uuid.UUID, QuoteItemInfo]) -> list[SuppliedLine]:
    """The lines in the total and the add-ons that have a supplier or follow a quote item, in
    estimate order. ``items``: :func:`load_quote_items`."""
    follows = followed_items(doc)
    suppliers = doc.lookups.suppliers
    out = []
    for line in doc.lines():
        inclusion = doc.inclusion(line)
        item = items.get(follows[line.id]) if line.id in follows else None
        if inclusion == EXCLUDED or (line.supplier_id is None and item is None):
            continue
        quote = item.quote if item is not None else None
        supplier = suppliers.get(line.supplier_id) if line.supplier_id is not None else None
        name = quote.supplier_name if quote is not None else supplier.name if supplier is not None else ""
        out.append(
            SuppliedLine(
                line,
                inclusion == ADDON,
                name,
                quote,
                line_timing(line.supplier_id, item.id if item else None, items, suppliers),
            )
        )
    return out


class WarningKind(StrEnum):
    EXPIRES = "expires"  # (a) a followed supplier quote ends before the client quote
    ACCEPT_BY = "accept_by"  # (b) the client must accept before the quote's valid-until
    ORDER_BY_PASSED = "order_by_passed"  # (c) too late already at the suppliers' times
    NO_LOAD_IN = "no_load_in"  # the order-by days cannot be worked out


@dataclass(frozen=True, slots=True)
class ValidityWarning:
    kind: WarningKind
    day: date | None  # the supplier quote's valid-until, the accept-by or the earliest order-by day
    line_ids: tuple[uuid.UUID, ...]
    message: str


def shown_day(day: date, today: date) -> str:
    """``12 Feb``, with the year when it is not this year's."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if day.year != today.year else "")


def _names(
    lines: Sequence[SuppliedLine], order_by: dict[uuid.UUID, date] | None = None, today: date | None = None
) -> str:
    def one(s: SuppliedLine) -> str:
        if order_by is None or today is None:
            return s.name
        return f"{s.name} (order by {shown_day(order_by[s.line.id], today)})"

    shown = ", ".join(one(s) for s in lines[:NAMES_SHOWN])
    more = len(lines) - NAMES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _ids(lines: Sequence[SuppliedLine]) -> tuple[uuid.UUID, ...]:
    return tuple(s.line.id for s in lines)


def validity_warnings(
    doc: EstimateDocument, items: dict[uuid.UUID, QuoteItemInfo], validity_days: int | None, today: date
) -> list[ValidityWarning]:
    """What to tell before sending ``doc`` today, a client quote valid for ``validity_days``
    (None or 0: it states no end, so every supplier end comes first); empty when all is well.

    The timing first (an order-by past, accept-by, no load-in: one warning each at most), then one
    warning per supplier quote that ends first, the earliest end first.
    """
    client_until = valid_until(today, validity_days)
    until = (
        f"this quote is valid until {shown_day(client_until, today)}"
        if client_until
        else "this quote states no valid-until day"
    )
    supplied = supplied_lines(doc, items)
    return [
        *_timing_warnings(supplied, doc.header.start_date, today, client_until or date.max, until),
        *_expiry_warnings(supplied, today, client_until or date.max, until),
    ]


def _expiry_warnings(
    supplied: list[SuppliedLine], today: date, holds_until: date, until: str
) -> list[ValidityWarning]:
    by_quote: dict[uuid.UUID, list[SuppliedLine]] = {}
    for s in supplied:
        if s.quote is not None and s.quote.valid_until is not None and s.quote.valid_until < holds_until:
            by_quote.setdefault(s.quote.id, []).append(s)
    warnings = []
    for group in by_quote.values():
        quote = group[0].quote
        assert quote is not None and quote.valid_until is not None
        verb = "expired" if quote.expired(today) else "expires"
        warnings.append(
            ValidityWarning(
                WarningKind.EXPIRES,
                quote.valid_until,
                _ids(group),
                f"Supplier quote {quote.label} {verb} {shown_day(quote.valid_until, today)}, and {until}: "
                f"{_names(group)}.",
            )
        )
    return sorted(warnings, key=lambda w: w.day or date.min)


def _timing_warnings(
    supplied: list[SuppliedLine], load_in: date | None, today: date, holds_until: date, until: str
) -> list[ValidityWarning]:
    timed = [s for s in supplied if s.timing is not None]
    if not timed:
        return []
    if load_in is None:
        return [
            ValidityWarning(
                WarningKind.NO_LOAD_IN,
                None,
                _ids(timed),
                f"The project has no load-in day, so when to order cannot be checked: {_names(timed)}.",
            )
        ]
    order_by = {s.line.id: s.timing.order_by(load_in) for s in timed if s.timing is not None}
    arrive = f"by load-in ({shown_day(load_in, today)})"
    warnings = []
    passed = sorted((s for s in timed if order_by[s.line.id] < today), key=lambda s: order_by[s.line.id])
    if passed:
        warnings.append(
            ValidityWarning(
                WarningKind.ORDER_BY_PASSED,
                order_by[passed[0].line.id],
                _ids(passed),
                f"Too late to order already: these cannot arrive {arrive} at their suppliers' lead and "
                f"transit times: {_names(passed, order_by, today)}.",
            )
        )
    rest = [s for s in timed if order_by[s.line.id] >= today]
    accept_by = min((order_by[s.line.id] for s in rest), default=None)
    if accept_by is not None and accept_by < holds_until:
        first = [s for s in rest if order_by[s.line.id] == accept_by]
        warnings.append(
            ValidityWarning(
                WarningKind.ACCEPT_BY,
                accept_by,
                _ids(first),
                f"Accept by {shown_day(accept_by, today)} or {_names(first)} cannot arrive {arrive}; "
                f"{until}.",
            )
        )
    return warnings


def confirm_lines(warnings: list[ValidityWarning], shown: int = WARNINGS_SHOWN) -> list[str]:
    """The warnings as a question can hold them: the first ``shown``, then how many more."""
    lines = [w.message for w in warnings[:shown]]
    more = len(warnings) - shown
    if more > 0:
        lines.append(
            f"And {more} more supplier quote{'s' if more > 1 else ''} ending before this quote does."
        )
    return lines


def company_validity_days(db: Database) -> int | None:
    """How many days the company's quotes hold (the default without a company or a usable value;
    None when it states none), as the printed quote's valid-until reads it."""
    company = load_company(db)
    value = company.values.get("quote_validity_days") if company is not None else None
    try:
        days = int(value) if value is not None else DEFAULT_VALIDITY_DAYS
    except (TypeError, ValueError):  # written by another program: the default, as a new company's
        days = DEFAULT_VALIDITY_DAYS
    return days if days >= 1 else None


def send_warnings(db: Database, doc: EstimateDocument, today: date) -> list[ValidityWarning]:
    """:func:`validity_warnings` for sending ``doc`` today, with the company's validity and the
    supplier quotes as stored now."""
    validity = company_validity_days(db)
    with db.read() as conn:
        items = load_quote_items(conn)
    return validity_warnings(doc, items, validity, today)
