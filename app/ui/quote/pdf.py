"""The client quote as a PDF or on a printer: :class:`QuoteContent` laid out by Qt's rich text.

The same content as the Excel quote (:mod:`app.services.quote.content`), so the two cannot
disagree: the letterhead and logo, the client and project, every section with its lines and
total, the totals, options and alternatives, the budget range when the estimate prints it, the
terms; each page headed with the company and the quote, and numbered *Page n of N*. The items
table's header row repeats on every page. Runs on any thread (Qt 6 renders text on any thread);
the GUI runs it through :mod:`app.ui.tasks`, the CLI directly.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter

from app.services.estimate.document import EstimateDocument
from app.services.estimate.file_names import estimate_file_name
from app.services.excel.workbook import ExportCancelled, ExportError, save_through_temp
from app.services.money import format_number, shown_money
from app.services.quote.content import (
    ALTERNATIVES_HEADING,
    ALTERNATIVES_NOTE,
    COLUMNS,
    OPTIONAL_HEADING,
    RANGE_NOTE,
    QuoteContent,
    QuoteLine,
    QuoteSection,
    quote_content,
)
from app.services.storage.database import Database

# step, done, total → False stops the rendering (the Task's progress).
Progress = Callable[[str, int, int], bool]
_LOGO = QUrl("tandem:logo")
_MARGINS_MM = QMarginsF(15, 14, 15, 14)
_LETTER = {"USD", "CAD"}  # companies quoting in these print on Letter, the others on A4
STYLE = """
body { font-family: 'DejaVu Sans', 'Helvetica', 'Arial', sans-serif; font-size: 9pt; color: #111827; }
.title { font-size: 16pt; font-weight: bold; }
.subtitle { font-size: 12pt; font-weight: bold; color: #0e7490; }
.label { font-weight: bold; color: #4b5563; }
.note { font-style: italic; color: #4b5563; }
th { background-color: #e5e7eb; text-align: left; }
.section td { background-color: #eef5ee; font-weight: bold; }
.num { text-align: right; white-space: nowrap; }
.unit { white-space: nowrap; }
.total td { font-weight: bold; font-size: 11pt; border-top: 1px solid #9ca3af; }
"""


def _e(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")


class _Html:
    def __init__(self, c: QuoteContent) -> None:
        self.c = c
        self.parts: list[str] = []

    def money(self, value: object) -> str:
        return _e(shown_money(value, self.c.currency)) if value is not None else ""  # type: ignore[arg-type]

    def row(self, cells: list[str], css: str = "") -> None:
        self.parts.append(f"<tr{f' class={css!r}' if css else ''}>{''.join(cells)}</tr>")

    def wide(self, text: str, css: str) -> None:
        self.row([f"<td colspan='5' class='{css}'>{_e(text)}</td>"], "section" if css == "section" else "")

    def line(self, line: QuoteLine, unit_price: bool = True) -> None:
        self.row(
            [
                f"<td>{_e(line.text)}</td>",
                f"<td class='num'>{_e(format_number(line.quantity))}</td>",
                f"<td class='unit'>{_e(line.unit)}</td>",
                f"<td class='num'>{self.money(line.unit_price) if unit_price else ''}</td>",
                f"<td class='num'>{self.money(line.price)}</td>",
            ]
        )

    def total(self, label: str, amount: object, pct: str = "", css: str = "") -> None:
        self.row(
            [
                f"<td colspan='3' class='label'>{_e(label)}</td>",
                f"<td class='num'>{_e(pct)}</td>",
                f"<td class='num'><b>{self.money(amount)}</b></td>",
            ],
            css,
        )

    def blank(self) -> None:
        self.row(["<td colspan='5'>&nbsp;</td>"])

    def section(self, section: QuoteSection, heading: str, total_label: str) -> None:
        self.wide(heading, "section")
        if section.description:
            self.wide(section.description, "note")
        for line in section.lines:
            self.line(line)
        self.total(total_label, section.total)

    def build(self, logo: QImage | None) -> str:
        c, p = self.c, self.parts
        top = c.heading
        letterhead = [f"<div class='title'>{_e(top.company)}</div>"]
        letterhead += [
            f"<div>{_e(r.value)}</div>"
            for r in c.rows[1:]
            if r.label is None and r.value and r.style == "plain"
        ]
        picture = ""
        if logo is not None:
            scale = min(64 / logo.height(), 210 / logo.width())
            picture = (
                f"<img src='{_LOGO.toString()}' width='{round(logo.width() * scale)}' "
                f"height='{round(logo.height() * scale)}'/>"
            )
        p.append(
            f"<table width='100%'><tr><td>{''.join(letterhead)}</td>"
            f"<td align='right' valign='top'>{picture}</td></tr></table>"
        )
        p.append(f"<p class='subtitle'>{_e(top.label)}</p><table cellpadding='1'>")
        for r in c.rows:
            if r.label is not None:
                p.append(f"<tr><td class='label' width='150'>{_e(r.label)}</td><td>{_e(r.value)}</td></tr>")
        p.append("</table><p></p>")
        p.append(
            "<table width='100%' cellspacing='0' cellpadding='3'><thead><tr>"
            + "".join(
                f"<th{' class=num' if i in (1, 3, 4) else ''} width='{w}'>{_e(n)}</th>"
                for i, (n, w) in enumerate(zip(COLUMNS, ("45%", "8%", "18%", "13%", "16%"), strict=True))
            )
            + "</tr></thead>"
        )
        for section in c.sections:
            self.section(section, section.name, f"Total {section.name}")
            self.blank()
        for t in c.totals:
            pct = f"{format_number(t.pct)} %" if t.pct is not None else ""
            self.total(t.label, t.amount, pct, "total" if t.key in {"subtotal", "total"} else "")
        if c.budget_range is not None:
            self.blank()
            self.row(
                [
                    "<td colspan='2' class='label'>Budget range</td><td>from … to</td>",
                    f"<td class='num'>{self.money(c.budget_range[0])}</td>",
                    f"<td class='num'>{self.money(c.budget_range[1])}</td>",
                ]
            )
            self.wide(RANGE_NOTE, "note")
        if c.addons or c.options:
            self.blank()
            self.wide(OPTIONAL_HEADING, "section")
            for line in c.addons:
                self.line(line)
            if c.addons:
                self.total("Total optional add-ons", c.addons_total)
            for option in c.options:
                self.section(option, f"Option: {option.name}", f"Total option: {option.name}")
        if c.alternatives:
            self.blank()
            self.wide(ALTERNATIVES_HEADING, "section")
            self.wide(ALTERNATIVES_NOTE, "note")
            for line in c.alternatives:
                self.line(line, unit_price=False)
        p.append("</table>")
        if c.terms:
            p.append("<p class='label'>Terms</p>")
            p += [f"<p class='note'>{_e(paragraph)}</p>" for paragraph in c.terms]
        return f"<html><head><style>{STYLE}</style></head><body>{''.join(p)}</body></html>"


def page_layout(content: QuoteContent) -> QPageLayout:
    return currency_page(content.currency)


def currency_page(currency: str) -> QPageLayout:
    """Portrait Letter for a company quoting in USD or CAD, else A4, the quote's margins."""
    size = QPageSize.PageSizeId.Letter if currency in _LETTER else QPageSize.PageSizeId.A4
    return QPageLayout(
        QPageSize(size), QPageLayout.Orientation.Portrait, _MARGINS_MM, QPageLayout.Unit.Millimeter
    )


def render_quote(content: QuoteContent, device: QPagedPaintDevice, progress: Progress | None = None) -> int:
    """Paint the quote onto ``device`` (a QPdfWriter or a QPrinter, its page layout set); the page count."""
    logo = QImage.fromData(content.heading.logo) if content.heading.logo else None
    if logo is not None and (logo.isNull() or not logo.width() or not logo.height()):
        logo = None  # a stored logo that cannot be read is left out, as in the workbook
    top = content.heading
    return render_html(
        _Html(content).build(logo),
        f"{top.company} — {top.label}",
        device,
        logo,
        progress,
        "Rendering the quote…",
    )


def render_html(
    text: str,
    heading: str,
    device: QPagedPaintDevice,
    logo: QImage | None = None,
    progress: Progress | None = None,
    step: str = "Rendering…",
) -> int:
    """Paint a rich-text document onto ``device`` page by page, each page headed with ``heading``
    and numbered *Page n of N* (the quote's layout; an order to a supplier uses it too); the page
    count. ``logo`` is the image ``tandem:logo`` names in the text."""
    painter = QPainter()
    if not painter.begin(device):
        raise ExportError("Cannot start the PDF or the printer (is the file or the printer available?).")
    try:
        return _paint(text, heading, device, painter, logo, progress, step)
    finally:
        painter.end()


def _paint(
    text: str,
    heading: str,
    device: QPagedPaintDevice,
    painter: QPainter,
    logo: QImage | None,
    progress: Progress | None,
    step: str,
) -> int:
    dpi = device.resolution() if isinstance(device, QPdfWriter) else device.logicalDpiY()
    page = device.pageLayout().paintRectPixels(dpi)
    width, height = float(page.width()), float(page.height())
    small = QFont("DejaVu Sans")
    small.setPointSizeF(7.5)
    painter.setFont(small)
    band = painter.fontMetrics().height() * 2.0  # the page's heading and its footer
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    if logo is not None:
        doc.addResource(QTextDocument.ResourceType.ImageResource, _LOGO, logo)
    doc.setHtml(text)
    doc.setDocumentMargin(0)
    body = height - 2 * band
    doc.setPageSize(QSizeF(width, body))
    pages = doc.pageCount()
    for number in range(pages):
        if progress is not None and progress(step, number, pages) is False:
            raise ExportCancelled("Export cancelled; nothing was written.")
        if number:
            device.newPage()
        painter.save()
        painter.translate(0, band - number * body)
        clip = QRectF(0, number * body, width, body)
        painter.setClipRect(clip)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.clip = clip
        doc.documentLayout().draw(painter, context)
        painter.restore()
        painter.setFont(small)
        painter.setPen(Qt.GlobalColor.darkGray)
        painter.drawText(
            QRectF(0, 0, width, band * 0.7),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            heading,
        )
        painter.drawText(
            QRectF(0, height - band * 0.7, width, band * 0.7),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            f"Page {number + 1} of {pages}",
        )
    return pages


def write_pdf(content: QuoteContent, path: Path, progress: Progress | None = None) -> int:
    """The quote as a PDF file at ``path``, through a temporary file (a failed or cancelled write
    leaves no half file and keeps an older one); the page count."""
    return write_paged_pdf(
        path,
        page_layout(content),
        f"{content.heading.label} — {content.project}",
        content.heading.company or "Tandem",
        lambda writer: render_quote(content, writer, progress),
    )


def write_paged_pdf(
    path: Path, layout: QPageLayout, title: str, creator: str, render: Callable[[QPdfWriter], int]
) -> int:
    """A PDF at ``path`` that ``render`` paints (the page count it returns), through a temporary file."""
    pages = 0

    def write(temp: Path) -> None:
        nonlocal pages
        writer = QPdfWriter(str(temp))
        writer.setPageLayout(layout)
        writer.setResolution(300)
        writer.setTitle(title)
        writer.setCreator(creator)
        pages = render(writer)
        del writer  # the file is complete once the writer is gone

    save_through_temp(path, write)
    return pages


@dataclass(frozen=True, slots=True)
class ReadQuote:
    """The quote read off the GUI thread, and the file name a save dialog proposes for it."""

    content: QuoteContent
    file_name: str


def read_quote(db: Database, estimate_id: uuid.UUID) -> ReadQuote:
    """The estimate's quote content (refused while a line is in error, as every export is)."""
    doc = EstimateDocument(db, estimate_id)  # this thread's own document: the database is the truth
    why = doc.in_error_message("exported")
    if why:
        raise ExportError(why)
    return ReadQuote(quote_content(doc, db), estimate_file_name(db, doc, suffix=".pdf"))


def print_work(content: QuoteContent, printer: QPrinter) -> Callable[[Progress], int]:
    """Printing as a task's work, onto the printer chosen (its paper; the quote's margins)."""
    printer.setPageMargins(_MARGINS_MM, QPageLayout.Unit.Millimeter)
    printer.setDocName(f"{content.heading.label} — {content.project}")
    return lambda progress: render_quote(content, printer, progress)
