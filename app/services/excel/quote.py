"""The client quote workbook: prices and live totals, nothing internal.

Money cells hold the exact ``Decimal`` amounts; every total is an Excel formula (SUM of
the line prices, ROUND to the cent for contingency, discount and tax, the same order as
:mod:`app.services.estimate.pricing`), so a spreadsheet program that recalculates the
workbook arrives at the app's figures to the cent.

The client quote holds nothing internal: no cost, margin, markup, supplier, crew
rate or internal description — not in hidden cells, comments, defined names or
document properties.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from app.models.enums import LineKind
from app.services.estimate.document import EstimateDocument, LineRow, SectionRow
from app.services.estimate.pricing import ADDON, EXCLUDED, say_out_loud
from app.services.excel.quote_heading import QuoteHeading, quote_heading
from app.services.excel.workbook import (
    PROGRESS_EVERY,
    Cancelled,
    ExportResult,
    Progress,
    Sheet,
    build,
    check,
    common_styles,
    new_workbook,
    prepare,
    sum_formula,
)
from app.services.money import ZERO, format_number
from app.services.storage.database import Database


def _dates(start: date | None, end: date | None) -> str:
    def one(d: date) -> str:
        return f"{d.day} {d:%b %Y}"

    if start and end and start != end:
        return f"{one(start)} – {one(end)}"
    if start or end:
        return one(start or end)  # type: ignore[arg-type]
    return ""


LOGO_MAX_WIDTH = 210  # px: columns D and E
QUOTE_COLUMNS = ("Item", "Qty", "Unit", "Unit price", "Price")
_QUOTE_WIDTHS = (58, 9, 22, 14, 16)


def client_unit(line: LineRow) -> str:
    """The unit as a client reads it: ``panel × 4 days``, ``person × 10 h``."""
    text = line.unit or ""
    if line.kind is LineKind.LABOUR and line.hours is not None:
        text += f" × {format_number(line.hours)} h"
    if line.days != 1:
        text += f" × {format_number(line.days)} days"
    return text.strip()


def client_unit_price(line: LineRow) -> Decimal | None:
    """Price per quantity (per panel for the run, per person for the call), to 4 places."""
    if line.quantity == 0:
        return None
    return (line.price.price / line.quantity).quantize(Decimal("0.0001")).normalize()


def export_quote(doc: EstimateDocument, path: str | Path, *, db: Database | None = None,
                 progress: Progress | None = None, cancelled: Cancelled | None = None) -> ExportResult:
    """Write the client quote of ``doc`` to ``path`` (.xlsx); see the module docstring.

    Its heading comes from the company's settings (name, address, phone, email, logo, terms,
    tax label) and the client (billing address, contact): :func:`quote_heading`.
    """
    db = db or doc.db
    top = quote_heading(db, doc)
    total_lines = doc.line_count
    check(progress, cancelled, "Preparing the quote…", 0, total_lines)
    wb = new_workbook(f"{top.label} — {doc.header.project_name}", top.company)

    def write() -> None:
        _write_quote(wb, doc, top, progress, cancelled)
        check(progress, cancelled, "Saving the workbook…", total_lines, total_lines)

    build(wb, Path(path), write)
    return ExportResult(Path(path), total_lines, top.label)


def _heading_rows(doc: EstimateDocument, top: QuoteHeading) -> list[tuple[str | None, Any, str]]:
    """(label, value, style) of each row above the items: a label of None puts the value in column A
    (the letterhead), "" under the label above; (None, None, "") is a blank row."""
    h = doc.header
    blank: tuple[str | None, Any, str] = (None, None, "")
    rows: list[tuple[str | None, Any, str]] = [(None, top.company, "title")]
    rows += [(None, line, "plain") for line in top.address]
    reach = " · ".join(p for p in (top.phone, top.email) if p)
    if reach:
        rows.append((None, reach, "plain"))
    # Dates as text, like the project's: a date cell would not fit the narrow column B ("###").
    rows += [blank, (None, top.label, "subtitle"), ("Date", _dates(top.quote_date, None), "plain")]
    if top.valid_until is not None:
        rows.append(("Valid until", _dates(top.valid_until, None), "plain"))
    rows += [blank, ("Client", top.client, "plain")]
    if top.contact:
        rows.append(("Contact", top.contact, "plain"))
    if top.contact_reach:
        rows.append(("" if top.contact else "Contact", top.contact_reach, "plain"))
    rows += [("" if n else "Billing address", line, "plain") for n, line in enumerate(top.billing_address)]
    for key, value in (("Project", h.project_name), ("Venue", h.venue),
                       ("Dates", _dates(h.start_date, h.end_date)), ("Account manager", h.account_manager)):
        if value:
            rows.append((key, value, "plain"))
    rows.append(blank)
    return rows


def _add_logo(sheet: Sheet, logo: bytes | None) -> None:
    """The company's logo at the top right (a stored logo that cannot be read is left out)."""
    if logo is None:
        return
    from openpyxl.drawing.image import Image

    image = Image(io.BytesIO(logo))
    if not image.width or not image.height:
        return
    # At most 64 px high and as wide as columns D–E (a very wide logo is scaled to fit them).
    scale = min(64 / image.height, LOGO_MAX_WIDTH / image.width)
    image.width, image.height = max(1, round(image.width * scale)), max(1, round(image.height * scale))
    sheet.ws.add_image(image, "D1")


def _write_quote(wb: Workbook, doc: EstimateDocument, top: QuoteHeading, progress: Progress | None,
                 cancelled: Cancelled | None) -> None:
    h, t = doc.header, doc.totals
    heading = _heading_rows(doc, top)
    header_row = len(heading) + 1
    sheet = Sheet(wb, "Quote", h.currency, _QUOTE_WIDTHS)
    prepare(sheet.ws, f"A{header_row + 1}")
    common_styles(sheet)
    _add_logo(sheet, top.logo)
    s = sheet
    for label, value, style in heading:
        if label is None:
            s.append([s.text(value, style)] if value else [])
        else:
            s.append([s.text(label, "label"), s.text(value, style)])
    assert s.row + 1 == header_row
    s.append([s.text(name, "header") for name in QUOTE_COLUMNS])

    included: list[SectionRow] = [sec for sec in doc.sections if not sec.optional]
    addons: list[LineRow] = []
    alternatives: list[LineRow] = []
    section_totals: list[str] = []
    done = 0
    for section in included:
        s.append([s.text(section.name, "section"), *(s.text(" ", "section") for _ in range(4))])
        if section.client_description:
            s.append([s.text(doc.fill(section.client_description), "note")])
        first = s.row + 1
        for line in section.lines:
            inclusion = doc.inclusion(line)
            if inclusion == EXCLUDED:
                alternatives.append(line)
            elif inclusion == ADDON:
                addons.append(line)
            else:
                _quote_line(s, doc, line)
            done += 1
            if done % PROGRESS_EVERY == 0:
                check(progress, cancelled, "Writing the quote…", done, doc.line_count)
        last = s.row
        price = f"=SUM(E{first}:E{last})" if last >= first else "=0"
        row = s.append([s.text(f"Total {section.name}", "label"), None, None, None,
                        s.formula(price, "money_bold")])
        section_totals.append(f"E{row}")
        s.append()

    # The totals, in the order of app.services.estimate.pricing.carry.
    sub = s.append([s.text("Subtotal", "total_label"), None, None, None,
                    s.formula(sum_formula(section_totals), "total")])
    net_parts = [f"E{sub}"]
    cont = None
    if h.contingency_pct:
        cont = s.append([s.text("Contingency", "label"), None, None, s.number(h.contingency_pct, "pct"),
                         s.formula(f"=ROUND(E{sub}*D{s.row + 1}/100,2)")])
        net_parts.append(f"E{cont}")
    if h.discount_pct:
        base = f"(E{sub}+E{cont})" if cont else f"E{sub}"
        disc = s.append([s.text("Discount", "label"), None, None, s.number(h.discount_pct, "pct"),
                         s.formula(f"=-ROUND({base}*D{s.row + 1}/100,2)")])
        net_parts.append(f"E{disc}")
    net = sub
    if len(net_parts) > 1:
        net = s.append([s.text("Net", "label"), None, None, None, s.formula("=" + "+".join(net_parts))])
    total_parts = [f"E{net}"]
    if h.tax_pct:
        tax = s.append([s.text(top.tax_label, "label"), None, None, s.number(h.tax_pct, "pct"),
                        s.formula(f"=ROUND(E{net}*D{s.row + 1}/100,2)")])
        total_parts.append(f"E{tax}")
    s.append([s.text(f"Total ({h.currency})", "total_label"), None, None, None,
              s.formula("=" + "+".join(total_parts), "total")])
    if t.has_range:
        low, high = say_out_loud(t.range_low, t.range_high)
        s.append()
        s.append([s.text("Budget range", "label"), None, s.text("from … to", "plain"),
                  s.number(low), s.number(high)])
        s.append([s.text("The budget range is an early guide; the quote above is the price.", "note")])

    options = [sec for sec in doc.sections if sec.optional]
    if addons or options:
        s.append()
        s.append([s.text("Optional items — not included in the total", "section"),
                  *(s.text(" ", "section") for _ in range(4))])
        if addons:
            first = s.row + 1
            for line in addons:
                _quote_line(s, doc, line)
            s.append([s.text("Total optional add-ons", "label"), None, None, None,
                      s.formula(f"=SUM(E{first}:E{s.row})", "money_bold")])
        for section in options:
            s.append([s.text(f"Option: {section.name}", "label")])
            if section.client_description:
                s.append([s.text(doc.fill(section.client_description), "note")])
            first = s.row + 1
            for line in section.lines:
                if doc.inclusion(line) == EXCLUDED:
                    alternatives.append(line)
                    continue
                _quote_line(s, doc, line)
                done += 1
            last = s.row
            s.append([s.text(f"Total option: {section.name}", "label"), None, None, None,
                      s.formula(f"=SUM(E{first}:E{last})" if last >= first else "=0", "money_bold")])
    if alternatives:
        s.append()
        s.append([s.text("Alternatives — instead of an item above; the price is the difference",
                         "section"), *(s.text(" ", "section") for _ in range(4))])
        for line in alternatives:
            chosen = doc.chosen_alternative(line.alternative_group)
            instead = f" (instead of {doc.client_text(chosen)})" if chosen is not None else ""
            delta = line.price.price - (chosen.price.price if chosen is not None else ZERO)
            s.append([s.text(doc.client_text(line) + instead), s.number(line.quantity, "qty"),
                      s.text(client_unit(line), "plain"), None, s.number(delta)])
    if top.terms.strip():
        s.append()
        s.append([s.text("Terms", "label")])
        for paragraph in top.terms.strip().splitlines():
            if paragraph.strip():
                s.append([s.text(paragraph.strip(), "note")])
    s.print_setup(header_row, f"{top.company} — {top.label}")


def _quote_line(s: Sheet, doc: EstimateDocument, line: LineRow) -> None:
    s.append([s.text(doc.client_text(line)), s.number(line.quantity, "qty"),
              s.text(client_unit(line), "plain"), s.number(client_unit_price(line)),
              s.number(line.price.price)])
