"""The internal cost sheet workbook: costs, margins and live totals, the crew and the supplier orders.

It also carries the estimate exactly, in hidden sheets (:func:`write_tandem_data`), so that
importing the workbook gives back the same estimate.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from app.models import CrewAssignment, CrewMember
from app.services.estimate.document import EstimateDocument, LineRow, SectionRow
from app.services.estimate.pricing import ADDON, EXCLUDED, INCLUDED
from app.services.excel.fit import fitted_width, wrapped_lines
from app.services.excel.tandem_sheets import write_tandem_data
from app.services.excel.workbook import (
    PROGRESS_EVERY,
    Cancelled,
    ExportResult,
    Progress,
    Sheet,
    build,
    check,
    common_styles,
    company_of,
    new_workbook,
    prepare,
    quote_label,
    shown_number,
    sum_formula,
)
from app.services.money import shown_money
from app.services.storage.database import Database
from app.services.supply.quote_items import QuoteItemInfo, load_quote_items
from app.services.supply.validity import supplied_lines

COST_COLUMNS = ("Section", "Line (internal)", "Client description", "Kind", "Supplier", "Role", "Qty",
                "Unit", "Days", "Hours a day", "ST h", "OT h", "DT h", "Units", "Unit cost", "Cost",
                "Markup %", "Price", "Margin", "Margin %", "In total")
# How each column shows (the cell style), and how wide a text column may grow before it wraps:
# the 21 columns must fit a landscape page at a type size that can still be read (see _widths).
_STYLES = ("text", "text", "text", "plain", "text", "text", "qty", "text", "qty", "qty", "qty", "qty",
           "qty", "qty", "money", "money", "pct", "money", "money", "pct", "plain")
_CAPS = {"Section": 10, "Line (internal)": 20, "Client description": 16, "Supplier": 12, "Role": 10,
         "Unit": 7}
_COL = {name: get_column_letter(i) for i, name in enumerate(COST_COLUMNS, 1)}
_INCLUSION_TEXT = {INCLUDED: "yes", ADDON: "add-on", EXCLUDED: "alternative"}


def export_cost_sheet(doc: EstimateDocument, path: str | Path, *, db: Database | None = None,
                      progress: Progress | None = None, cancelled: Cancelled | None = None) -> ExportResult:
    """Write the internal cost sheet: every line's cost basis, labour split, markup, price and margin,
    section and total margins, the crew assignments and the supplier orders."""
    db = db or doc.db
    company, _terms = company_of(db)
    company = company or doc.header.company_name
    label = quote_label(db, doc)
    check(progress, cancelled, "Preparing the cost sheet…", 0, doc.line_count)
    wb = new_workbook(f"Cost sheet — {doc.header.project_name} — {doc.header.name}", company)

    def write() -> None:
        _write_costs(wb, doc, company, label, progress, cancelled)
        _write_crew(wb, doc, db)
        with db.read() as conn:
            items = load_quote_items(conn)
        _write_orders(wb, doc, items)
        # The estimate again, exactly and machine-readably (hidden sheets), so that importing
        # this workbook gives back the same estimate. Never in the client quote.
        write_tandem_data(wb, doc, db=db)
        check(progress, cancelled, "Saving the workbook…", doc.line_count, doc.line_count)

    build(wb, Path(path), write)
    return ExportResult(Path(path), doc.line_count, label)


def _write_costs(wb: Workbook, doc: EstimateDocument, company: str, label: str,
                 progress: Progress | None, cancelled: Cancelled | None) -> None:
    h = doc.header
    header_row = 5
    widths = _widths(doc)
    s = Sheet(wb, "Cost sheet", h.currency, widths)
    prepare(s.ws, f"C{header_row + 1}")
    common_styles(s)
    s.append([s.text(f"INTERNAL cost sheet — {company}", "title")])
    s.append([s.text(f"{h.client_name} · {h.project_name} · {h.name}", "subtitle")])
    s.append([s.text(label, "plain"), None, s.date(date.today())])
    s.append()
    _header(s, COST_COLUMNS, _STYLES, widths)
    c = _COL
    sections_rows: list[int] = []
    done = 0
    for section in doc.sections:
        s.append([s.text(section.name + (" (optional)" if section.optional else ""), "section")])
        first = s.row + 1
        for line in section.lines:
            _cost_line(s, doc, section, line, widths)
            done += 1
            if done % PROGRESS_EVERY == 0:
                check(progress, cancelled, "Writing the cost sheet…", done, doc.line_count)
        last = s.row

        def sumif(col: str, first: int = first, last: int = last) -> str:
            # Only lines "in total" count (add-ons and unchosen alternatives are priced apart).
            if last < first:
                return "=0"
            return (f'=SUMIF({c["In total"]}{first}:{c["In total"]}{last},"yes",'
                    f"{col}{first}:{col}{last})")

        r = s.row + 1
        s.append([s.text(f"Total {section.name}", "label"), *([None] * 14),
                  s.formula(sumif(c["Cost"]), "money_bold"), None,
                  s.formula(sumif(c["Price"]), "money_bold"),
                  s.formula(f"={c['Price']}{r}-{c['Cost']}{r}", "money_bold"),
                  s.formula(f'=IF({c["Price"]}{r}=0,"",{c["Margin"]}{r}/{c["Price"]}{r}*100)', "pct_bold")])
        sections_rows.append(r)
        s.append()
    p, k = c["Price"], c["Cost"]
    sub = s.append([s.text("Subtotal (price)", "total_label"), *([None] * 16),
                    s.formula(sum_formula([f"{p}{r}" for r in sections_rows]), "total")])
    net_parts = [f"{p}{sub}"]
    pct_col = c["Markup %"]
    cont = None
    if h.contingency_pct:
        cont = s.append([s.text("Contingency", "label"), *([None] * 15), s.number(h.contingency_pct, "pct"),
                         s.formula(f"=ROUND({p}{sub}*{pct_col}{s.row + 1}/100,2)")])
        net_parts.append(f"{p}{cont}")
    if h.discount_pct:
        base = f"({p}{sub}+{p}{cont})" if cont else f"{p}{sub}"
        disc = s.append([s.text("Discount", "label"), *([None] * 15), s.number(h.discount_pct, "pct"),
                         s.formula(f"=-ROUND({base}*{pct_col}{s.row + 1}/100,2)")])
        net_parts.append(f"{p}{disc}")
    net = s.append([s.text("Net (before tax)", "label"), *([None] * 16),
                    s.formula("=" + "+".join(net_parts), "money_bold")])
    tax_cell = None
    if h.tax_pct:
        tax = s.append([s.text("Tax", "label"), *([None] * 15), s.number(h.tax_pct, "pct"),
                        s.formula(f"=ROUND({p}{net}*{pct_col}{s.row + 1}/100,2)")])
        tax_cell = f"{p}{tax}"
    s.append([s.text("Total to the client", "total_label"), *([None] * 16),
              s.formula(f"={p}{net}" + (f"+{tax_cell}" if tax_cell else ""), "total")])
    cost = s.append([s.text("Total cost", "total_label"), *([None] * 14),
                     s.formula(sum_formula([f"{k}{r}" for r in sections_rows]), "total")])
    margin = s.append([s.text("Margin (net − cost)", "total_label"), *([None] * 17),
                       s.formula(f"={p}{net}-{k}{cost}", "total")])
    s.append([s.text("Margin %", "label"), *([None] * 18),
              s.formula(f'=IF({p}{net}=0,"",{c["Margin"]}{margin}/{p}{net}*100)', "pct_bold")])
    if h.target_margin_pct:
        s.append([s.text("Target margin %", "label"), *([None] * 18), s.number(h.target_margin_pct, "pct")])
    s.print_setup(header_row, f"INTERNAL — {company} — {h.project_name} — {h.name}", landscape=True)


def _line_values(doc: EstimateDocument, section: SectionRow, line: LineRow) -> list[Any]:
    """A line's value in each column (the Margin column is a formula in the sheet: price − cost)."""
    priced = line.price
    supplier = doc.lookups.suppliers.get(line.supplier_id) if line.supplier_id else None
    role = doc.lookups.roles.get(line.role_id) if line.role_id else None
    call = priced.call
    markup, margin_pct = priced.markup_pct, priced.margin_pct
    return [
        section.name, line.description, doc.client_text(line), line.kind.value,
        supplier.name if supplier else "", role.name if role else "", line.quantity, line.unit,
        line.days, line.hours, call.straight if call else None, call.overtime if call else None,
        call.double_time if call else None, priced.units, line.unit_cost, priced.cost,
        markup.quantize(Decimal("0.01")) if markup is not None else None, priced.price,
        priced.price - priced.cost,
        margin_pct.quantize(Decimal("0.01")) if margin_pct is not None else None,
        _INCLUSION_TEXT[doc.inclusion(line)],
    ]


_FIGURES = ("money", "qty", "pct")


def _shown(value: Any, style: str, currency: str) -> str:
    if style == "money":
        return shown_money(value, currency)
    if style in ("qty", "pct"):
        return shown_number(value, " %" if style == "pct" else "")
    if style in ("date", "datetime") and value is not None:
        return f"{value.day} {value:%b %Y}" + (f" {value:%H:%M}" if style == "datetime" else "")
    return str(value or "")


def _header(s: Sheet, columns: Sequence[str], styles: Sequence[str], widths: Sequence[float]) -> None:
    """The heading row: every heading wrapped in its column, the row tall enough for the longest;
    figures' headings stand right, over the figures."""
    s.append([s.text(name, "header_right" if style in _FIGURES else "header")
              for name, style in zip(columns, styles, strict=True)],
             lines=max(wrapped_lines(name, width, bold=True)
                       for name, width in zip(columns, widths, strict=True)))


def _list_sheet(wb: Workbook, doc: EstimateDocument, name: str, title: str, columns: Sequence[str],
                styles: Sequence[str], rows: list[list[Any]], empty: str,
                sized: list[list[Any]] | None = None) -> Sheet:
    """A plain list (the crew, the supplier orders) under a title: widths fitted to its values (text
    wraps past 40; ``sized`` also counts a total the caller adds below), the heading row wrapped;
    the caller adds the total and the print setup."""
    currency = doc.header.currency
    widths = [fitted_width([_shown(row[n], style, currency) for row in (sized or rows)], column, cap=40)
              for n, (column, style) in enumerate(zip(columns, styles, strict=True))]
    s = Sheet(wb, name, currency, widths)
    prepare(s.ws, "A3")
    common_styles(s)
    s.append([s.text(title, "subtitle")])
    _header(s, columns, styles, widths)
    for row in rows:
        _append_row(s, row, styles, widths)
    if not rows:
        s.append([s.text(empty, "note")])
    return s


def _widths(doc: EstimateDocument) -> list[float]:
    """Every column as wide as its widest value (text columns up to their cap, then they wrap) and
    its heading's longest word; the money columns also hold the totals below the lines."""
    currency = doc.header.currency
    shown: list[list[str]] = [[] for _ in COST_COLUMNS]
    for section in doc.sections:
        for line in section.lines:
            for n, (value, style) in enumerate(zip(_line_values(doc, section, line), _STYLES, strict=True)):
                shown[n].append(_shown(value, style, currency))
    t = doc.totals
    figures = [shown_money(v, currency) for v in (t.cost, t.subtotal, t.net, t.total, t.net - t.cost,
                                                  t.contingency, t.discount, t.tax)]
    for name in ("Cost", "Price", "Margin"):
        n = COST_COLUMNS.index(name)
        shown[n] += [*figures, *(shown_money(g.price, currency) for g in t.groups.values()),
                     *(shown_money(g.cost, currency) for g in t.groups.values())]
    shown[COST_COLUMNS.index("Markup %")] += [shown_number(v, " %") for v in (
        doc.header.contingency_pct, doc.header.discount_pct, doc.header.tax_pct)]
    shown[COST_COLUMNS.index("Margin %")] += ["100.00 %", shown_number(doc.header.target_margin_pct, " %")]
    return [fitted_width(texts, name, cap=_CAPS.get(name, 60.0))
            for name, texts in zip(COST_COLUMNS, shown, strict=True)]


def _append_row(s: Sheet, values: Sequence[Any], styles: Sequence[str], widths: Sequence[float],
                formulas: dict[int, str] | None = None) -> None:
    """One row of values, each in its style (``formulas`` by column index instead), as tall as its
    most wrapped text."""
    cells = []
    lines = 1
    for n, (value, style) in enumerate(zip(values, styles, strict=True)):
        if formulas and n in formulas:
            cells.append(s.formula(formulas[n], style))
        elif style in _FIGURES:
            cells.append(s.number(value, style))
        elif style in ("date", "datetime"):
            cells.append(s.date(value, style))
        else:
            cells.append(s.text(value, style))
            if style == "text" and value:
                lines = max(lines, wrapped_lines(value, widths[n]))
    s.append(cells, lines=lines)


def _cost_line(s: Sheet, doc: EstimateDocument, section: SectionRow, line: LineRow,
               widths: list[float]) -> None:
    r, c = s.row + 1, _COL
    _append_row(s, _line_values(doc, section, line), _STYLES, widths,
                {COST_COLUMNS.index("Margin"): f"={c['Price']}{r}-{c['Cost']}{r}"})


CREW_COLUMNS = ("Crew member", "Role", "Call (line)", "Starts", "Ends", "Hours", "Status")


def _write_crew(wb: Workbook, doc: EstimateDocument, db: Database) -> None:
    """The project's crew assignments, by start time (the calendar's bars, as a list)."""
    a, m = CrewAssignment.__table__, CrewMember.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        rows = conn.execute(
            select(m.c.name, a.c.role_id, a.c.line_item_id, a.c.starts_at, a.c.ends_at, a.c.status)
            .join(m, a.c.crew_member_id == m.c.id)
            .where(a.c.project_id == doc.header.project_id, a.c.deleted_at.is_(None))
            .order_by(a.c.starts_at, m.c.name)
        ).all()
    values: list[list[Any]] = []
    for row in rows:
        role = doc.lookups.roles.get(row.role_id) if row.role_id else None
        line = doc.line(row.line_item_id) if row.line_item_id and doc.has_line(row.line_item_id) else None
        hours = Decimal(int((row.ends_at - row.starts_at).total_seconds())) / Decimal(3600)
        values.append([row.name, role.name if role else "", line.description if line else "", row.starts_at,
                       row.ends_at, hours.quantize(Decimal("0.01")), str(row.status)])
    s = _list_sheet(wb, doc, "Crew", f"Crew assignments — {doc.header.project_name}", CREW_COLUMNS,
                    ("text", "text", "text", "datetime", "datetime", "qty", "plain"), values,
                    "No crew assigned to this project yet.")
    s.print_setup(2, f"INTERNAL — crew — {doc.header.project_name}", landscape=True)


ORDER_COLUMNS = ("Supplier", "Line (internal)", "Qty", "Unit", "Days", "Cost", "Lead time (days)",
                 "Transit (days)", "Need by", "Order by")


def _write_orders(wb: Workbook, doc: EstimateDocument, items: dict[uuid.UUID, QuoteItemInfo]) -> None:
    """What to order from whom and by when: the lines with a supplier (the total's and the add-ons'),
    need-by = load-in − transit, order-by = need-by − lead time, as the orders and the validity guard
    work them out (a quote's times over the supplier's; working days for a weekdays-only supplier)."""
    supplied = sorted(supplied_lines(doc, items), key=lambda supply: supply.supplier_name)
    load_in = doc.header.start_date
    values: list[list[Any]] = []
    for supply in supplied:
        line, timing = supply.line, supply.timing
        need_by = order_by = None
        if timing is not None and load_in is not None:
            need_by, order_by = timing.need_by(load_in), timing.order_by(load_in)
        values.append([supply.supplier_name, line.description, line.quantity, line.unit, line.days,
                       line.price.cost, timing.lead_days if timing else None,
                       timing.transit_days if timing else None, need_by, order_by])
    lines = [supply.line for supply in supplied]
    total = sum((line.price.cost for line in lines), Decimal(0))
    values_for_width: list[list[Any]] = [*values, ["", "", None, "", None, total, None, None, None, None]]
    s = _list_sheet(wb, doc, "Supplier orders", f"Supplier orders — {doc.header.project_name}", ORDER_COLUMNS,
                    ("text", "text", "qty", "text", "qty", "money", "qty", "qty", "date", "date"), values,
                    "No supplier lines in this estimate.", values_for_width)
    if lines:
        s.append([s.text("Total ordered", "label"), None, None, None, None,
                  s.formula(f"=SUM(F3:F{s.row})", "money_bold")])
    s.print_setup(2, f"INTERNAL — supplier orders — {doc.header.project_name}", landscape=True)
