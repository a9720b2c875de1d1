"""Excel export: the client quote workbook and the internal cost sheet, with live totals.

Both workbooks are streamed with openpyxl's write-only mode (a 5,000-line estimate
is written row by row, never held as a grid of cell objects), into a temporary file
beside the target that is renamed into place only when the workbook is complete:
a failed or cancelled export leaves no half file and never replaces a good one.

Money cells hold the exact ``Decimal`` amounts; every total is an Excel formula
(SUM of the line prices, ROUND to the cent for contingency, discount and tax, the
same order as :mod:`app.services.estimate.pricing`), so a spreadsheet program that
recalculates the workbook arrives at the app's figures to the cent.

The client quote holds nothing internal: no cost, margin, markup, supplier, crew
rate or internal description — not in hidden cells, comments, defined names or
document properties. Every text a person typed is written as a string cell (with
Excel's quote prefix when it starts like a formula), so it can never run as one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.writer.excel import ExcelWriter
from sqlalchemy import select

from app.models import Company, CrewAssignment, CrewMember
from app.models.enums import LineKind
from app.services.estimate import revisions
from app.services.estimate.document import EstimateDocument, LineRow, SectionRow
from app.services.estimate.pricing import ADDON, EXCLUDED, INCLUDED, say_out_loud
from app.services.excel.importing import write_tandem_data
from app.services.money import ZERO, format_number
from app.services.paths import resources_dir
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.services.values import clean_text

# step, done, total → False (or a cancel) stops the export; the GUI's Task passes its own.
Progress = Callable[[str, int, int], Any]
Cancelled = Callable[[], bool]

DEMO_COMPANY = "Northlight Productions"
DEMO_LOGO = "northlight-logo.png"
COMPANY_LOGO = "logo.png"  # a company's own logo, in the data folder
_MAX_TEXT = 32767  # Excel's limit on one cell's text
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_SYMBOLS = {"USD": "$", "CAD": "$", "AUD": "$", "EUR": "€", "GBP": "£"}
_PROGRESS_EVERY = 250  # lines between progress reports (and cancel checks)


class ExportError(StorageError):
    """The workbook could not be written; the message is one line a user can act on."""


class ExportCancelled(ExportError):
    """The user cancelled; nothing was written and any earlier file is untouched."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    lines: int
    label: str  # "Quote Q2026-0001 · Revision 2"


def money_format(currency: str) -> str:
    """The currency number format: ``"$"#,##0.00`` for dollars, ``#,##0.00 "CHF"`` for others."""
    symbol = _SYMBOLS.get(currency)
    if symbol:
        return f'"{symbol}"#,##0.00;-"{symbol}"#,##0.00'
    code = "".join(ch for ch in currency if ch.isalnum())[:3] or "USD"
    return f'#,##0.00 "{code}";-#,##0.00 "{code}"'


def safe_text(value: str) -> str:
    """Text as a cell can hold it: no control characters (text stored before Tandem cleaned what
    is typed may hold a pasted ``\\x0b``), within Excel's length limit."""
    return clean_text(value, multiline=True)[:_MAX_TEXT]


def looks_like_formula(value: str) -> bool:
    return value.startswith(_FORMULA_STARTS)


# -- a write-only sheet with prepared styles -------------------------------------------------------


_THIN = Side(style="thin", color="9CA3AF")
_HEADER_FILL = PatternFill("solid", fgColor="E5E7EB")
_SECTION_FILL = PatternFill("solid", fgColor="EEF5EE")


class _Sheet:
    """A write-only worksheet, its row counter, and styles prepared once (a 5,000-line export
    would otherwise look every style up again for every cell)."""

    def __init__(self, wb: Workbook, title: str, currency: str, widths: Sequence[float]) -> None:
        self.ws = wb.create_sheet(title)
        # Every row this class appends is already made of cells: skip openpyxl's conversion of
        # plain values, which tries each cell as a value first and fails (a third of the time).
        self.ws._values_to_row = _cells_to_row
        self.row = 0
        self.money = money_format(currency)
        for i, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self._styles: dict[str, Any] = {}

    def style(self, name: str, *, font: Font | None = None, number_format: str | None = None,
              alignment: Alignment | None = None, fill: PatternFill | None = None,
              border: Border | None = None, quote: bool = False) -> None:
        proto = WriteOnlyCell(self.ws)
        if font is not None:
            proto.font = font
        if number_format is not None:
            proto.number_format = number_format
        if alignment is not None:
            proto.alignment = alignment
        if fill is not None:
            proto.fill = fill
        if border is not None:
            proto.border = border
        self._styles[name] = proto._style
        if not quote:
            # The same look with Excel's quote prefix, for typed text that starts like a formula.
            self.style(name + "!", font=font, number_format=number_format, alignment=alignment,
                       fill=fill, border=border, quote=True)
        else:
            proto.quotePrefix = True
            self._styles[name] = proto._style

    def _cell(self, value: Any, style: str | None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws)
        if style is not None:
            cell._style = self._styles[style]
        cell._value = value
        return cell

    def text(self, value: str | None, style: str | None = "text") -> WriteOnlyCell | None:
        """A string cell that stays a string: data type "s" whatever it starts with."""
        if not value:
            return None
        value = safe_text(value)
        risky = looks_like_formula(value)
        if risky:
            style = (style or "text") + "!"
        cell = self._cell(value, style)
        cell.data_type = "s"
        return cell

    def number(self, value: Decimal | int | None, style: str = "money") -> WriteOnlyCell | None:
        if value is None:
            return None
        cell = self._cell(value, style)
        cell.data_type = "n"
        return cell

    def formula(self, text: str, style: str = "money") -> WriteOnlyCell:
        cell = self._cell(text, style)
        cell.data_type = "f"
        return cell

    def date(self, value: date | datetime | None, style: str = "date") -> WriteOnlyCell | None:
        if value is None:
            return None
        cell = self._cell(value, style)
        cell.data_type = "d"
        return cell

    def append(self, cells: Iterable[Any] = ()) -> int:
        """Write a row; returns its 1-based number (for formulas that refer to it)."""
        self.ws.append(list(cells))
        self.row += 1
        return self.row

    def print_setup(self, header_row: int, title: str, landscape: bool = False) -> None:
        """Fit to one page wide, repeat the header row, page numbers in the footer."""
        ws = self.ws
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.oddHeader.left.text = _header_text(title)
        ws.oddFooter.center.text = "Page &P of &N"
        ws.oddFooter.right.text = "&D"
        ws.print_options.horizontalCentered = True


def _cells_to_row(cells: Sequence[WriteOnlyCell | None], row_idx: int) -> Iterable[WriteOnlyCell]:
    """What WriteOnlyWorksheet._values_to_row yields, for rows of ready-made cells."""
    for col_idx, cell in enumerate(cells, 1):
        if cell is None:
            continue
        cell.column = col_idx
        cell.row = row_idx
        yield cell


def _header_text(text: str) -> str:
    # "&" starts a header code in Excel: a company called "Smith & Co" must print as typed.
    return safe_text(text).replace("&", "&&")[:200]


def _prepare(ws: Any, freeze: str) -> None:
    """What a write-only sheet must know before its first row: frozen panes, fit-to-page."""
    ws.freeze_panes = freeze
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _common_styles(sheet: _Sheet) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    right = Alignment(horizontal="right", vertical="top")
    bold = Font(bold=True)
    sheet.style("text", alignment=wrap)
    sheet.style("plain")
    sheet.style("label", font=Font(bold=True, color="4B5563"))
    sheet.style("title", font=Font(bold=True, size=16))
    sheet.style("subtitle", font=Font(bold=True, size=12, color="0E7490"))
    sheet.style("note", font=Font(italic=True, color="4B5563"), alignment=wrap)
    sheet.style("header", font=bold, fill=_HEADER_FILL, border=Border(bottom=_THIN),
                alignment=Alignment(wrap_text=True, vertical="center"))
    sheet.style("section", font=bold, fill=_SECTION_FILL)
    sheet.style("section_money", font=bold, fill=_SECTION_FILL, number_format=sheet.money)
    sheet.style("money", number_format=sheet.money, alignment=right)
    sheet.style("money_bold", number_format=sheet.money, font=bold)
    sheet.style("total", number_format=sheet.money, font=Font(bold=True, size=12),
                border=Border(top=_THIN, bottom=Side(style="double")))
    sheet.style("total_label", font=Font(bold=True, size=12))
    sheet.style("qty", number_format="#,##0.####", alignment=right)
    sheet.style("pct", number_format='0.####" %"', alignment=right)
    sheet.style("pct_bold", number_format='0.00" %"', font=bold)
    sheet.style("date", number_format="d mmm yyyy", alignment=Alignment(horizontal="left"))
    sheet.style("datetime", number_format="d mmm yyyy hh:mm", alignment=Alignment(horizontal="left"))


# -- shared pieces ------------------------------------------------------------------------------


def _sum(cells: Sequence[str]) -> str:
    """=SUM(E12,E20,…) in chunks Excel accepts (255 arguments at most per call)."""
    if not cells:
        return "=0"
    chunks = [",".join(cells[i:i + 200]) for i in range(0, len(cells), 200)]
    return "=" + "+".join(f"SUM({chunk})" for chunk in chunks)


def _check(progress: Progress | None, cancelled: Cancelled | None, step: str, done: int, total: int) -> None:
    if progress is not None and progress(step, done, total) is False:
        raise ExportCancelled("Export cancelled; nothing was written.")
    if cancelled is not None and cancelled():
        raise ExportCancelled("Export cancelled; nothing was written.")


def _dates(start: date | None, end: date | None) -> str:
    def one(d: date) -> str:
        return f"{d.day} {d:%b %Y}"

    if start and end and start != end:
        return f"{one(start)} – {one(end)}"
    if start or end:
        return one(start or end)  # type: ignore[arg-type]
    return ""


def _company(db: Database) -> tuple[str, str]:
    """(name, quote terms) of the company."""
    co = Company.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        row = conn.execute(
            select(co.c.name, co.c.quote_terms).where(co.c.deleted_at.is_(None)).limit(1)).first()
    return (row.name, row.quote_terms) if row else ("", "")


def quote_label(db: Database, doc: EstimateDocument) -> str:
    """"Quote Q2026-0001 · Revision 2" when it is what was last sent, else the next revision as a draft."""
    sent = revisions.list_revisions(db, doc.estimate_id)
    if not sent:
        number = doc.header.quote_number
        return f"Quote {number} · Draft" if number else "Quote · Draft"
    last = sent[-1]
    unchanged = revisions.diff_snapshots(revisions.load_revision(db, last.id),
                                         revisions.snapshot_of(doc)).is_empty
    if unchanged:
        return f"Quote {last.quote_number} · Revision {last.number}"
    return f"Quote {last.quote_number} · Revision {last.number + 1} (draft)"


def default_logo(company_name: str) -> Path | None:
    """The company's logo: ``logo.png`` in the data folder, else the demo company's bundled one."""
    from app.services.paths import data_dir

    own = data_dir() / COMPANY_LOGO
    if own.is_file():
        return own
    bundled = resources_dir() / DEMO_LOGO
    if company_name == DEMO_COMPANY and bundled.is_file():
        return bundled
    return None


def _save(wb: Workbook, target: Path) -> None:
    """Save to a temporary file beside the target, then rename it into place."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"Cannot write {target}: the folder {folder} does not exist.")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".~{target.stem}-", suffix=".xlsx", dir=folder)
    except OSError as error:
        raise ExportError(f"Cannot write to {folder}: {error.strerror or error}.") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        _write_workbook(wb, temp)
        # mkstemp makes the file private (0600); a workbook is for sharing: the permissions a
        # new file gets here (the umask), or those of the file it replaces.
        with contextlib.suppress(OSError):
            os.chmod(temp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
        try:
            os.replace(temp, target)
        except PermissionError:
            raise ExportError(f"Cannot replace {target}: it is read-only or open in another program "
                              "(close it and try again).") from None
    except ExportError:
        temp.unlink(missing_ok=True)
        raise
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise _write_error(target, error) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _write_workbook(wb: Workbook, path: Path) -> None:
    """``wb.save(path)``, closing the archive when a write fails, and on disk before it returns.

    openpyxl leaves its ZipFile open when a write fails (a full disk): the ZipFile's ``__del__``
    then tries to finish the archive, fails again and prints a second traceback after the
    export's one-line error. The data is synced before the rename replaces an older file, so a
    disk that fills up while the data is being written back cannot cost the good file.
    """
    wb.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(wb, archive).save()  # writes every part, then closes the archive
    except BaseException:
        with contextlib.suppress(Exception):
            archive.close()  # the same full disk fails it again: the first error is the one to report
        raise
    with path.open("r+b") as written:  # opened for writing: Windows cannot sync a read-only handle
        os.fsync(written.fileno())


def _write_error(target: Path, error: OSError, temporary: bool = False) -> ExportError:
    """The one line for a write that failed: what, why, and that nothing good was lost."""
    kept = "the existing file is unchanged" if target.exists() else "nothing was written"
    why = "the disk is full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else str(error.strerror or error)
    if temporary:
        why += f" in the temporary folder {tempfile.gettempdir()}"
    return ExportError(f"Cannot write {target}: {why}; {kept}.")


def _default_mode() -> int:
    """The mode a new file gets from open(): 0666 less the process's umask.

    Read from /proc where there is one: setting the umask to read it would, for an instant,
    change it for every thread of the process (exports run beside backups).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _new_workbook(title: str, creator: str) -> Workbook:
    wb = Workbook(write_only=True)
    props = wb.properties
    props.title = safe_text(title)[:250]
    props.creator = safe_text(creator)[:250] or "Tandem"
    props.lastModifiedBy = props.creator
    return wb


def _abandon(wb: Workbook) -> None:
    """Delete the temporary files openpyxl streamed rows into, when a workbook is not saved."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            if not ws.closed:
                ws.close()  # ends the row stream properly, so nothing writes to a closed file later
        except Exception:
            pass  # clean-up is best effort: the export has already failed
        with contextlib.suppress(OSError):
            writer.cleanup()


def _build(wb: Workbook, path: Path, write: Callable[[], None]) -> None:
    """Run ``write`` (the sheets' rows), then save; on any failure the streamed rows are deleted."""
    try:
        write()
    except OSError as error:  # the temporary files openpyxl streams the rows into: a full /tmp
        _abandon(wb)
        raise _write_error(path, error, temporary=True) from None
    except BaseException:
        _abandon(wb)
        raise
    try:
        _save(wb, path)
    except BaseException:
        _abandon(wb)
        raise


# -- the client quote -------------------------------------------------------------------------------


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
                 logo: str | Path | None = None, progress: Progress | None = None,
                 cancelled: Cancelled | None = None) -> ExportResult:
    """Write the client quote of ``doc`` to ``path`` (.xlsx); see the module docstring.

    ``logo`` is an image file (None: :func:`default_logo`; a missing file is left out).
    """
    db = db or doc.db
    h = doc.header
    company, terms = _company(db)
    company = company or h.company_name
    label = quote_label(db, doc)
    total_lines = doc.line_count
    _check(progress, cancelled, "Preparing the quote…", 0, total_lines)
    wb = _new_workbook(f"{label} — {h.project_name}", company)

    def write() -> None:
        _write_quote(wb, doc, company, terms, label, logo, progress, cancelled)
        _check(progress, cancelled, "Saving the workbook…", total_lines, total_lines)

    _build(wb, Path(path), write)
    return ExportResult(Path(path), total_lines, label)


def _write_quote(wb: Workbook, doc: EstimateDocument, company: str, terms: str, label: str,
                 logo: str | Path | None, progress: Progress | None, cancelled: Cancelled | None) -> None:
    h, t = doc.header, doc.totals
    info = [("Client", h.client_name), ("Project", h.project_name), ("Venue", h.venue),
            ("Dates", _dates(h.start_date, h.end_date)), ("Account manager", h.account_manager)]
    info = [(k, v) for k, v in info if v]
    header_row = 3 + len(info) + 2  # company, quote label, date, info…, blank, header
    sheet = _Sheet(wb, "Quote", h.currency, _QUOTE_WIDTHS)
    _prepare(sheet.ws, f"A{header_row + 1}")
    _common_styles(sheet)
    logo_path = Path(logo) if logo is not None else default_logo(company)
    if logo_path is not None and logo_path.is_file():
        from openpyxl.drawing.image import Image

        image = Image(str(logo_path))
        scale = 48 / image.height if image.height else 1
        image.width, image.height = int(image.width * scale), 48
        sheet.ws.add_image(image, "C1")
    s = sheet
    s.append([s.text(company, "title")])
    s.append([s.text(label, "subtitle")])
    s.append([s.text("Date", "label"), s.date(date.today())])
    for key, value in info:
        s.append([s.text(key, "label"), s.text(value, "plain")])
    s.append()
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
            if done % _PROGRESS_EVERY == 0:
                _check(progress, cancelled, "Writing the quote…", done, doc.line_count)
        last = s.row
        price = f"=SUM(E{first}:E{last})" if last >= first else "=0"
        row = s.append([s.text(f"Total {section.name}", "label"), None, None, None,
                        s.formula(price, "money_bold")])
        section_totals.append(f"E{row}")
        s.append()

    # The totals, in the order of app.services.estimate.pricing.carry.
    sub = s.append([s.text("Subtotal", "total_label"), None, None, None,
                    s.formula(_sum(section_totals), "total")])
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
        tax = s.append([s.text("Tax", "label"), None, None, s.number(h.tax_pct, "pct"),
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
    if terms.strip():
        s.append()
        s.append([s.text("Terms", "label")])
        for paragraph in terms.strip().splitlines():
            if paragraph.strip():
                s.append([s.text(paragraph.strip(), "note")])
    s.print_setup(header_row, f"{company} — {label}")


def _quote_line(s: _Sheet, doc: EstimateDocument, line: LineRow) -> None:
    s.append([s.text(doc.client_text(line)), s.number(line.quantity, "qty"),
              s.text(client_unit(line), "plain"), s.number(client_unit_price(line)),
              s.number(line.price.price)])


# -- the internal cost sheet -------------------------------------------------------------------------


COST_COLUMNS = ("Section", "Line (internal)", "Client description", "Kind", "Supplier", "Role", "Qty",
                "Unit", "Days", "Hours/day", "ST h", "OT h", "DT h", "Units", "Unit cost", "Cost",
                "Markup %", "Price", "Margin", "Margin %", "In total")
_COST_WIDTHS = (16, 36, 30, 11, 22, 16, 7, 9, 6, 8, 7, 7, 7, 9, 11, 13, 9, 13, 13, 9, 10)
_COL = {name: get_column_letter(i) for i, name in enumerate(COST_COLUMNS, 1)}
_INCLUSION_TEXT = {INCLUDED: "yes", ADDON: "add-on", EXCLUDED: "alternative"}


def export_cost_sheet(doc: EstimateDocument, path: str | Path, *, db: Database | None = None,
                      progress: Progress | None = None, cancelled: Cancelled | None = None) -> ExportResult:
    """Write the internal cost sheet: every line's cost basis, labour split, markup, price and margin,
    section and total margins, the crew assignments and the supplier orders."""
    db = db or doc.db
    company, _terms = _company(db)
    company = company or doc.header.company_name
    label = quote_label(db, doc)
    _check(progress, cancelled, "Preparing the cost sheet…", 0, doc.line_count)
    wb = _new_workbook(f"Cost sheet — {doc.header.project_name} — {doc.header.name}", company)

    def write() -> None:
        _write_costs(wb, doc, company, label, progress, cancelled)
        _write_crew(wb, doc, db)
        _write_orders(wb, doc)
        # The estimate again, exactly and machine-readably (hidden sheets), so that importing
        # this workbook gives back the same estimate. Never in the client quote.
        write_tandem_data(wb, doc, db=db)
        _check(progress, cancelled, "Saving the workbook…", doc.line_count, doc.line_count)

    _build(wb, Path(path), write)
    return ExportResult(Path(path), doc.line_count, label)


def _write_costs(wb: Workbook, doc: EstimateDocument, company: str, label: str,
                 progress: Progress | None, cancelled: Cancelled | None) -> None:
    h = doc.header
    header_row = 5
    s = _Sheet(wb, "Cost sheet", h.currency, _COST_WIDTHS)
    _prepare(s.ws, f"C{header_row + 1}")
    _common_styles(s)
    s.append([s.text(f"INTERNAL cost sheet — {company}", "title")])
    s.append([s.text(f"{h.client_name} · {h.project_name} · {h.name}", "subtitle")])
    s.append([s.text(label, "plain"), None, s.date(date.today())])
    s.append()
    s.append([s.text(name, "header") for name in COST_COLUMNS])
    c = _COL
    sections_rows: list[int] = []
    done = 0
    for section in doc.sections:
        s.append([s.text(section.name + (" (optional)" if section.optional else ""), "section")])
        first = s.row + 1
        for line in section.lines:
            _cost_line(s, doc, section, line)
            done += 1
            if done % _PROGRESS_EVERY == 0:
                _check(progress, cancelled, "Writing the cost sheet…", done, doc.line_count)
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
                    s.formula(_sum([f"{p}{r}" for r in sections_rows]), "total")])
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
                     s.formula(_sum([f"{k}{r}" for r in sections_rows]), "total")])
    margin = s.append([s.text("Margin (net − cost)", "total_label"), *([None] * 17),
                       s.formula(f"={p}{net}-{k}{cost}", "total")])
    s.append([s.text("Margin %", "label"), *([None] * 18),
              s.formula(f'=IF({p}{net}=0,"",{c["Margin"]}{margin}/{p}{net}*100)', "pct_bold")])
    if h.target_margin_pct:
        s.append([s.text("Target margin %", "label"), *([None] * 18), s.number(h.target_margin_pct, "pct")])
    s.print_setup(header_row, f"INTERNAL — {company} — {h.project_name} — {h.name}", landscape=True)


def _cost_line(s: _Sheet, doc: EstimateDocument, section: SectionRow, line: LineRow) -> None:
    priced = line.price
    supplier = doc.lookups.suppliers.get(line.supplier_id) if line.supplier_id else None
    role = doc.lookups.roles.get(line.role_id) if line.role_id else None
    call = priced.call
    markup = priced.markup_pct
    margin_pct = priced.margin_pct
    r = s.row + 1
    c = _COL
    s.append([
        s.text(section.name, "plain"), s.text(line.description), s.text(doc.client_text(line)),
        s.text(line.kind.value, "plain"), s.text(supplier.name if supplier else "", "plain"),
        s.text(role.name if role else "", "plain"), s.number(line.quantity, "qty"),
        s.text(line.unit, "plain"),
        s.number(line.days, "qty"), s.number(line.hours, "qty"),
        s.number(call.straight if call else None, "qty"), s.number(call.overtime if call else None, "qty"),
        s.number(call.double_time if call else None, "qty"), s.number(priced.units, "qty"),
        s.number(line.unit_cost), s.number(priced.cost),
        s.number(markup.quantize(Decimal("0.01")) if markup is not None else None, "pct"),
        s.number(priced.price), s.formula(f"={c['Price']}{r}-{c['Cost']}{r}"),
        s.number(margin_pct.quantize(Decimal("0.01")) if margin_pct is not None else None, "pct"),
        s.text(_INCLUSION_TEXT[doc.inclusion(line)], "plain"),
    ])


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
    s = _Sheet(wb, "Crew", doc.header.currency, (24, 16, 36, 18, 18, 8, 11))
    _prepare(s.ws, "A3")
    _common_styles(s)
    s.append([s.text(f"Crew assignments — {doc.header.project_name}", "subtitle")])
    s.append([s.text(name, "header") for name in CREW_COLUMNS])
    for row in rows:
        role = doc.lookups.roles.get(row.role_id) if row.role_id else None
        line = doc.line(row.line_item_id) if row.line_item_id and doc.has_line(row.line_item_id) else None
        hours = Decimal(int((row.ends_at - row.starts_at).total_seconds())) / Decimal(3600)
        s.append([s.text(row.name, "plain"), s.text(role.name if role else "", "plain"),
                  s.text(line.description if line else "", "plain"), s.date(row.starts_at, "datetime"),
                  s.date(row.ends_at, "datetime"), s.number(hours.quantize(Decimal("0.01")), "qty"),
                  s.text(str(row.status), "plain")])
    if not rows:
        s.append([s.text("No crew assigned to this project yet.", "note")])
    s.print_setup(2, f"INTERNAL — crew — {doc.header.project_name}", landscape=True)


ORDER_COLUMNS = ("Supplier", "Line (internal)", "Qty", "Unit", "Days", "Cost", "Lead time (days)",
                 "Needed by", "Order by")


def _write_orders(wb: Workbook, doc: EstimateDocument) -> None:
    """What to order from whom and by when: the lines with a supplier, order-by = needed − lead time."""
    from datetime import timedelta

    s = _Sheet(wb, "Supplier orders", doc.header.currency, (26, 40, 8, 10, 6, 14, 10, 14, 14))
    _prepare(s.ws, "A3")
    _common_styles(s)
    s.append([s.text(f"Supplier orders — {doc.header.project_name}", "subtitle")])
    s.append([s.text(name, "header") for name in ORDER_COLUMNS])
    lines = [line for line in doc.lines() if line.supplier_id and doc.inclusion(line) != EXCLUDED]
    lines.sort(key=lambda ln: doc.lookups.suppliers[ln.supplier_id].name  # type: ignore[index]
               if ln.supplier_id in doc.lookups.suppliers else "")
    first = s.row + 1
    for line in lines:
        supplier = doc.lookups.suppliers.get(line.supplier_id)  # type: ignore[arg-type]
        needed = line.call_date or doc.header.start_date
        lead = supplier.lead_time_days if supplier else 0
        order_by = needed - timedelta(days=lead) if needed else None
        s.append([s.text(supplier.name if supplier else "", "plain"), s.text(line.description),
                  s.number(line.quantity, "qty"), s.text(line.unit, "plain"), s.number(line.days, "qty"),
                  s.number(line.price.cost), s.number(lead, "qty"), s.date(needed), s.date(order_by)])
    if lines:
        s.append([s.text("Total ordered", "label"), None, None, None, None,
                  s.formula(f"=SUM(F{first}:F{s.row})", "money_bold")])
    else:
        s.append([s.text("No supplier lines in this estimate.", "note")])
    s.print_setup(2, f"INTERNAL — supplier orders — {doc.header.project_name}", landscape=True)


def export_estimate(doc: EstimateDocument, path: str | Path, *, internal: bool = False,
                    db: Database | None = None, progress: Progress | None = None,
                    cancelled: Cancelled | None = None) -> ExportResult:
    """One entry point for the CLI and the GUI: the quote, or with ``internal`` the cost sheet.

    Refused while any line is in error (as Send quote is): its figures would be wrong.
    """
    why = doc.in_error_message("exported")
    if why:
        raise ExportError(why)
    if internal:
        return export_cost_sheet(doc, path, db=db, progress=progress, cancelled=cancelled)
    return export_quote(doc, path, db=db, progress=progress, cancelled=cancelled)


def find_estimates(db: Database, name_or_id: str) -> list[tuple[uuid.UUID, str]]:
    """Estimates matching an id or a name (exactly, else ignoring case): (id, "Client › Project › name")."""
    from app.models import Client, Estimate, Project

    e, p, cl = (Estimate.__table__, Project.__table__,  # type: ignore[attr-defined]
                Client.__table__)  # type: ignore[attr-defined]
    with db.read() as conn:
        rows = conn.execute(
            select(e.c.id, e.c.name, p.c.name.label("project"), cl.c.name.label("client"))
            .join(p, e.c.project_id == p.c.id).join(cl, p.c.client_id == cl.c.id)
            .where(e.c.deleted_at.is_(None)).order_by(cl.c.name, p.c.name, e.c.name)
        ).all()
    wanted = name_or_id.strip()
    try:
        as_id = uuid.UUID(wanted)
    except ValueError:
        as_id = None
    by_id = [r for r in rows if as_id is not None and r.id == as_id]
    exact = by_id or [r for r in rows if r.name == wanted]
    matches = exact or [r for r in rows if r.name.casefold() == wanted.casefold()]
    return [(r.id, f"{r.client} › {r.project} › {r.name}") for r in matches] if matches else []


def all_estimates(db: Database) -> list[str]:
    """Every estimate's name, for an error that lists the choices."""
    from app.models import Estimate

    e = Estimate.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return [r.name for r in conn.execute(select(e.c.name).where(e.c.deleted_at.is_(None))
                                             .order_by(e.c.name))]


__all__ = ["ExportCancelled", "ExportError", "ExportResult", "export_cost_sheet",
           "export_estimate", "export_quote", "find_estimates", "quote_label"]
