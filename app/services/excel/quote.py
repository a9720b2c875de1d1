"""The client quote workbook: prices and live totals, nothing internal.

What it says is :func:`app.services.quote.content.quote_content` (the PDF says the same); this
module lays it out. Money cells hold the exact ``Decimal`` amounts; every total is an Excel
formula (SUM of the line prices, ROUND to the cent for contingency, discount and tax, the same
order as :mod:`app.services.estimate.pricing`), so a spreadsheet program that recalculates the
workbook arrives at the app's figures to the cent. Column widths fit the widest value written
in them and rows of wrapped text are as tall as their lines (:mod:`.fit`): no ``###``, no text
over the rows below.

The client quote holds nothing internal: no cost, margin, markup, supplier, crew
rate or internal description — not in hidden cells, comments, defined names or
document properties.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.services.estimate.document import EstimateDocument
from app.services.excel.fit import SCALE, height_for, width_for
from app.services.excel.workbook import (
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
from app.services.money import format_number, shown_money
from app.services.quote.content import (
    ALTERNATIVES_HEADING,
    ALTERNATIVES_NOTE,
    COLUMNS,
    OPTIONAL_HEADING,
    RANGE_NOTE,
    QuoteContent,
    QuoteLine,
    quote_content,
)
from app.services.storage.database import Database

LOGO_MAX_WIDTH = 210  # px: columns D and E
ITEM_WIDTH = 58  # column A: the item texts wrap in it
_MINIMUM = (ITEM_WIDTH, 9, 12, 13, 14)


def export_quote(
    doc: EstimateDocument,
    path: str | Path,
    *,
    db: Database | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Write the client quote of ``doc`` to ``path`` (.xlsx); see the module docstring."""
    total_lines = doc.line_count
    check(progress, cancelled, "Preparing the quote…", 0, total_lines)
    content = quote_content(doc, db)
    top = content.heading
    wb = new_workbook(f"{top.label} — {content.project}", top.company)

    def write() -> None:
        check(progress, cancelled, "Writing the quote…", total_lines // 2, total_lines)
        _write_quote(wb, content)
        check(progress, cancelled, "Saving the workbook…", total_lines, total_lines)

    build(wb, Path(path), write)
    return ExportResult(Path(path), total_lines, top.label)


def _every_line(c: QuoteContent) -> list[QuoteLine]:
    return [
        *(ln for s in c.sections for ln in s.lines),
        *c.addons,
        *(ln for s in c.options for ln in s.lines),
        *c.alternatives,
    ]


def column_widths(c: QuoteContent) -> tuple[float, ...]:
    """Each column's width: the widest value it shows, as it shows it, and its heading in bold."""
    lines = _every_line(c)
    money = lambda v: shown_money(v, c.currency)  # noqa: E731

    def widest(values: list[Decimal]) -> list[str]:  # an amount's text grows with its size: the ends
        return [money(min(values)), money(max(values))] if values else []

    qty = [format_number(ln.quantity) for ln in lines]
    units = [ln.unit for ln in lines]
    unit_prices = widest([ln.unit_price for ln in lines if ln.unit_price is not None])
    unit_prices += [f"{format_number(r.pct)} %" for r in c.totals if r.pct is not None]
    prices = widest([ln.price for ln in lines])
    bold = [money(s.total) for s in (*c.sections, *c.options)] + [money(c.addons_total)]
    large = [money(r.amount) for r in c.totals]
    if c.budget_range is not None:
        unit_prices.append(money(c.budget_range[0]))
        prices.append(money(c.budget_range[1]))
    header = [width_for([name], 0, SCALE["bold"]) for name in COLUMNS]
    return (
        float(ITEM_WIDTH),
        max(header[1], width_for(qty, _MINIMUM[1])),
        max(header[2], width_for(units, _MINIMUM[2]), width_for(["from … to"], 0)),
        max(header[3], width_for(unit_prices, _MINIMUM[3])),
        max(
            header[4],
            width_for(prices, _MINIMUM[4]),
            width_for(bold, 0, SCALE["bold"]),
            width_for(large, 0, SCALE["large"]),
        ),
    )


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


class _QuoteSheet:
    """The Quote sheet: rows whose wrapped text sets their height, full-width rows merged A:E."""

    def __init__(self, wb: Workbook, c: QuoteContent) -> None:
        self.widths = column_widths(c)
        self.s = Sheet(wb, "Quote", c.currency, self.widths)
        self.full = sum(self.widths)
        common_styles(self.s)
        wrap_bold = Font(bold=True, color="4B5563")
        self.s.style("label_wrap", font=wrap_bold, alignment=Alignment(wrap_text=True, vertical="top"))
        self.s.style("unit", alignment=Alignment(vertical="top"))  # beside an item of several lines

    def row(
        self,
        cells: list[object],
        text: str = "",
        width: float | None = None,
        scale: float = 1.0,
        merge: bool = False,
    ) -> int:
        """Append ``cells``; ``text`` wrapped in ``width`` (column A's unless merged across A:E) sets the
        row's height."""
        number = self.s.row + 1
        if text:
            height = height_for(text, width or (self.full if merge else self.widths[0]), scale)
            if height is not None:
                self.s.ws.row_dimensions[number].height = height
        if merge:
            self.s.ws.merged_cells.add(f"A{number}:{get_column_letter(len(COLUMNS))}{number}")
        return self.s.append(cells)

    def heading(self, text: str) -> int:
        s = self.s
        return self.row(
            [s.text(text, "section_wrap"), *(s.text(" ", "section") for _ in range(4))],
            text,
            scale=SCALE["bold"],
            merge=True,
        )

    def note(self, text: str) -> int:
        return self.row([self.s.text(text, "note")], text, merge=True)

    def labelled(self, label: str, amount: str, style: str = "money_bold") -> int:
        s = self.s
        # The label wraps in A to B–D (left empty), so a long section name never runs into the price.
        width = sum(self.widths[:4])
        number = s.row + 1
        if (height := height_for(label, width, SCALE["bold"])) is not None:
            s.ws.row_dimensions[number].height = height
        s.ws.merged_cells.add(f"A{number}:D{number}")
        return s.append([s.text(label, "label_wrap"), None, None, None, s.formula(amount, style)])

    def line(self, line: QuoteLine, with_unit_price: bool = True) -> int:
        s = self.s
        return self.row(
            [
                s.text(line.text),
                s.number(line.quantity, "qty"),
                s.text(line.unit, "unit"),
                s.number(line.unit_price) if with_unit_price else None,
                s.number(line.price),
            ],
            line.text,
        )


def _write_quote(wb: Workbook, c: QuoteContent) -> None:
    q = _QuoteSheet(wb, c)
    s = q.s
    header_row = len(c.rows) + 1
    prepare(s.ws, f"A{header_row + 1}")
    _add_logo(s, c.heading.logo)
    for r in c.rows:
        if r.label is None:
            s.append([s.text(r.value, r.style)] if r.value else [])
        else:
            s.append([s.text(r.label, "label"), s.text(r.value, r.style)])
    assert s.row + 1 == header_row
    s.append([s.text(name, "header") for name in COLUMNS])

    section_totals: list[str] = []
    for section in c.sections:
        q.heading(section.name)
        if section.description:
            q.note(section.description)
        first = s.row + 1
        for line in section.lines:
            q.line(line)
        last = s.row
        row = q.labelled(f"Total {section.name}", f"=SUM(E{first}:E{last})" if last >= first else "=0")
        section_totals.append(f"E{row}")
        s.append()

    # The totals, in the order of app.services.estimate.pricing.carry.
    at: dict[str, int] = {}
    for total in c.totals:
        at[total.key] = number = s.row + 1
        pct = s.number(total.pct, "pct") if total.pct is not None else None
        label_style = "total_label" if total.key in {"subtotal", "total"} else "label"
        style = "total" if total.key in {"subtotal", "total"} else "money"
        if total.key == "subtotal":
            formula = sum_formula(section_totals)
        elif total.key == "contingency":
            formula = f"=ROUND(E{at['subtotal']}*D{number}/100,2)"
        elif total.key == "discount":
            base = (
                f"(E{at['subtotal']}+E{at['contingency']})" if "contingency" in at else f"E{at['subtotal']}"
            )
            formula = f"=-ROUND({base}*D{number}/100,2)"
        elif total.key == "net":
            formula = "=" + "+".join(f"E{at[k]}" for k in ("subtotal", "contingency", "discount") if k in at)
        elif total.key == "tax":
            formula = f"=ROUND(E{at.get('net', at['subtotal'])}*D{number}/100,2)"
        else:  # the total: net (or the subtotal) and tax
            formula = "=" + "+".join(
                f"E{at[k]}" for k in (("net" if "net" in at else "subtotal"), "tax") if k in at
            )
        s.append([s.text(total.label, label_style), None, None, pct, s.formula(formula, style)])
    if c.budget_range is not None:
        low, high = c.budget_range
        s.append()
        s.append(
            [
                s.text("Budget range", "label"),
                None,
                s.text("from … to", "plain"),
                s.number(low),
                s.number(high),
            ]
        )
        q.note(RANGE_NOTE)

    if c.addons or c.options:
        s.append()
        q.heading(OPTIONAL_HEADING)
        if c.addons:
            first = s.row + 1
            for line in c.addons:
                q.line(line)
            q.labelled("Total optional add-ons", f"=SUM(E{first}:E{s.row})")
        for section in c.options:
            q.row(
                [s.text(f"Option: {section.name}", "label_wrap")],
                f"Option: {section.name}",
                scale=SCALE["bold"],
            )
            if section.description:
                q.note(section.description)
            first = s.row + 1
            for line in section.lines:
                q.line(line)
            last = s.row
            q.labelled(f"Total option: {section.name}", f"=SUM(E{first}:E{last})" if last >= first else "=0")
    if c.alternatives:
        s.append()
        q.heading(ALTERNATIVES_HEADING)
        q.note(ALTERNATIVES_NOTE)
        for line in c.alternatives:
            q.line(line, with_unit_price=False)
    if c.terms:
        s.append()
        s.append([s.text("Terms", "label")])
        for paragraph in c.terms:
            q.note(paragraph)
    s.print_setup(header_row, f"{c.heading.company} — {c.heading.label}")
