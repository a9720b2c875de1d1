"""The client quote's content, Qt-free: heading, sections with their lines, totals, options,
alternatives, the budget range and the terms, every amount a ``Decimal`` to the cent.

The Excel quote (:mod:`app.services.excel.quote`) and the PDF and printout (:mod:`app.ui.quote`)
both render a :class:`QuoteContent`, so they cannot disagree.

Contingency is folded into the client's line prices unless the estimate says *show contingency as
a line*: each included line takes its share of the contingency, in proportion to its price and
rounded to the cent, and the rounding remainder goes on the largest line, so the lines still add
up to the app's subtotal plus contingency and every total after it is unchanged. A price the
client may add (an add-on, an optional section, an alternative's difference) carries the same
contingency rate, rounded to the cent, so taking it costs what the quote says. The budget range is
printed only when the estimate says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.models.enums import LineKind
from app.services.estimate.client_items import ClientItem, client_items, client_price
from app.services.estimate.document import EstimateDocument, LineRow
from app.services.estimate.pricing import ADDON, EXCLUDED, say_out_loud
from app.services.excel.quote_heading import QuoteHeading, quote_heading
from app.services.money import HUNDRED, ZERO, format_number, round_money
from app.services.storage.database import Database

COLUMNS = ("Item", "Qty", "Unit", "Unit price", "Price")
OPTIONAL_HEADING = "Optional items — not included in the total"
ALTERNATIVES_HEADING = "Alternatives"
ALTERNATIVES_NOTE = "Each instead of an item above; the price is the difference it makes."
RANGE_NOTE = "The budget range is an early guide; the quote above is the price."


@dataclass(frozen=True, slots=True)
class QuoteLine:
    text: str
    quantity: Decimal
    unit: str  # "panel × 4 days"
    unit_price: Decimal | None  # per quantity, to 4 places; None for a quantity of 0
    price: Decimal


@dataclass(frozen=True, slots=True)
class QuoteSection:
    name: str
    description: str
    lines: tuple[QuoteLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.price for line in self.lines), ZERO)


@dataclass(frozen=True, slots=True)
class TotalRow:
    """One row under the sections: ``key`` is subtotal, contingency, discount, net, tax or total."""

    key: str
    label: str
    pct: Decimal | None
    amount: Decimal


@dataclass(frozen=True, slots=True)
class HeadingRow:
    """A row above the items: a label of None is the letterhead (``style`` title, subtitle or
    plain), "" continues the label above; a row with neither label nor value is a blank row."""

    label: str | None
    value: str
    style: str = "plain"


@dataclass(frozen=True, slots=True)
class QuoteContent:
    heading: QuoteHeading
    rows: tuple[HeadingRow, ...]
    currency: str
    project: str
    sections: tuple[QuoteSection, ...]
    totals: tuple[TotalRow, ...]
    addons: tuple[QuoteLine, ...]
    options: tuple[QuoteSection, ...]
    alternatives: tuple[QuoteLine, ...]
    budget_range: tuple[Decimal, Decimal] | None  # as said out loud: low down, high up
    terms: tuple[str, ...]  # paragraphs
    line_count: int

    @property
    def total(self) -> Decimal:
        return self.totals[-1].amount

    @property
    def addons_total(self) -> Decimal:
        return sum((line.price for line in self.addons), ZERO)


def quote_dates(start: date | None, end: date | None) -> str:
    """``8 Mar 2027 – 11 Mar 2027``, one date, or ""."""

    def one(d: date) -> str:
        return f"{d.day} {d:%b %Y}"

    if start and end and start != end:
        return f"{one(start)} – {one(end)}"
    if start or end:
        return one(start or end)  # type: ignore[arg-type]
    return ""


def client_unit(line: LineRow) -> str:
    """The unit as a client reads it: ``panel × 4 days``, ``person × 10 h``."""
    text = line.unit or ""
    if line.kind is LineKind.LABOUR and line.hours is not None:
        text += f" × {format_number(line.hours)} h"
    if line.days != 1:
        text += f" × {format_number(line.days)} days"
    return text.strip()


def unit_price(price: Decimal, quantity: Decimal) -> Decimal | None:
    """Price per quantity (per panel for the run, per person for the call), to 4 places."""
    if quantity == 0:
        return None
    return (price / quantity).quantize(Decimal("0.0001")).normalize()


def fold(prices: Sequence[Decimal], amount: Decimal) -> list[Decimal]:
    """``prices`` with ``amount`` shared out in proportion, each share rounded to the cent and the
    remainder on the largest price (the first of equals): the result adds up to exactly
    ``sum(prices) + amount``. With nothing to share in proportion to, the largest takes it all."""
    if not prices or amount == 0:
        return list(prices)
    whole = sum(prices, ZERO)
    shares = [round_money(p * amount / whole) for p in prices] if whole else [ZERO] * len(prices)
    largest = max(range(len(prices)), key=lambda i: (prices[i], -i))
    shares[largest] += amount - sum(shares, ZERO)
    return [p + s for p, s in zip(prices, shares, strict=True)]


def _heading_rows(doc: EstimateDocument, top: QuoteHeading) -> list[HeadingRow]:
    h = doc.header
    blank = HeadingRow(None, "")
    rows = [HeadingRow(None, top.company, "title"), *(HeadingRow(None, line) for line in top.address)]
    reach = " · ".join(p for p in (top.phone, top.email) if p)
    if reach:
        rows.append(HeadingRow(None, reach))
    rows += [
        blank,
        HeadingRow(None, top.label, "subtitle"),
        HeadingRow("Date", quote_dates(top.quote_date, None)),
    ]
    if top.valid_until is not None:
        rows.append(HeadingRow("Valid until", quote_dates(top.valid_until, None)))
    rows += [blank, HeadingRow("Client", top.client)]
    if top.contact:
        rows.append(HeadingRow("Contact", top.contact))
    if top.contact_reach:
        rows.append(HeadingRow("" if top.contact else "Contact", top.contact_reach))
    rows += [HeadingRow("" if n else "Billing address", line) for n, line in enumerate(top.billing_address)]
    for key, value in (
        ("Project", h.project_name),
        ("Venue", h.venue),
        ("Dates", quote_dates(h.start_date, h.end_date)),
        ("Account manager", h.account_manager),
    ):
        if value:
            rows.append(HeadingRow(key, value))
    rows.append(blank)
    return rows


def _line(doc: EstimateDocument, item: ClientItem, price: Decimal) -> QuoteLine:
    return QuoteLine(
        doc.client_text(item.line),
        item.quantity,
        client_unit(item.line),
        unit_price(price, item.quantity),
        price,
    )


def quote_content(doc: EstimateDocument, db: Database | None = None) -> QuoteContent:
    """What the client quote of ``doc`` says; see the module docstring."""
    db = db or doc.db
    top = quote_heading(db, doc)
    h, t = doc.header, doc.totals
    folded = not h.show_contingency_line and t.contingency != 0

    def with_rate(price: Decimal) -> Decimal:  # a price the client may add, its contingency in it
        return price + round_money(price * h.contingency_pct / HUNDRED) if folded else price

    included: list[tuple[str, str, list[ClientItem]]] = []
    addons: list[ClientItem] = []
    alternatives: list[ClientItem] = []
    options: list[QuoteSection] = []
    for section in doc.sections:
        kept: list[LineRow] = []
        section_addons: list[LineRow] = []
        section_alternatives: list[LineRow] = []
        for line in section.lines:
            inclusion = doc.inclusion(line)
            if inclusion == EXCLUDED:
                section_alternatives.append(line)
            elif inclusion == ADDON and not section.optional:
                section_addons.append(line)
            else:
                kept.append(line)
        # A kit's components and a sub-rental fold into their line (client_items: same section).
        addons += client_items(doc, section_addons)
        alternatives += client_items(doc, section_alternatives)
        items = client_items(doc, kept)
        description = doc.fill(section.client_description)
        if section.optional:
            options.append(
                QuoteSection(
                    section.name, description, tuple(_line(doc, i, with_rate(i.price)) for i in items)
                )
            )
        else:
            included.append((section.name, description, items))

    every = [item for _name, _text, items in included for item in items]
    prices = iter(fold([item.price for item in every], t.contingency if folded else ZERO))
    sections = tuple(
        QuoteSection(name, text, tuple(_line(doc, item, next(prices)) for item in items))
        for name, text, items in included
    )

    subtotal = sum((s.total for s in sections), ZERO)
    totals = [TotalRow("subtotal", "Subtotal", None, subtotal)]
    if t.contingency and not folded:
        totals.append(TotalRow("contingency", "Contingency", h.contingency_pct, t.contingency))
    if t.discount:
        totals.append(TotalRow("discount", "Discount", h.discount_pct, -t.discount))
    if len(totals) > 1:
        totals.append(TotalRow("net", "Net", None, t.net))
    if t.tax:
        totals.append(TotalRow("tax", top.tax_label, h.tax_pct, t.tax))
    totals.append(TotalRow("total", f"Total ({h.currency})", None, t.total))

    alternative_lines = []
    for item in alternatives:
        line = item.line
        chosen = doc.chosen_alternative(line.alternative_group)
        instead = f" (instead of {doc.client_text(chosen)})" if chosen is not None else ""
        delta = item.price - (client_price(doc, chosen) if chosen is not None else ZERO)
        alternative_lines.append(
            QuoteLine(
                doc.client_text(line) + instead, item.quantity, client_unit(line), None, with_rate(delta)
            )
        )
    budget = say_out_loud(t.range_low, t.range_high) if h.show_budget_range and t.has_range else None
    return QuoteContent(
        heading=top,
        rows=tuple(_heading_rows(doc, top)),
        currency=h.currency,
        project=h.project_name,
        sections=sections,
        totals=tuple(totals),
        addons=tuple(_line(doc, item, with_rate(item.price)) for item in addons),
        options=tuple(options),
        alternatives=tuple(alternative_lines),
        budget_range=budget,
        terms=tuple(p.strip() for p in top.terms.strip().splitlines() if p.strip()),
        line_count=doc.line_count,
    )
