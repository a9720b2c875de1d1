"""Writing an .xlsx safely: styled write-only sheets, safe text, the temp-file save, the errors.

Both workbooks are streamed with openpyxl's write-only mode (a 5,000-line estimate
is written row by row, never held as a grid of cell objects), into a temporary file
beside the target that is renamed into place only when the workbook is complete:
a failed or cancelled export leaves no half file and never replaces a good one.
A full disk (or a full temporary folder) is one line a user can act on.

Every text a person typed is written as a string cell (with Excel's quote prefix
when it starts like a formula), so it can never run as one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
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
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.writer.excel import ExcelWriter
from sqlalchemy import select

from app.models import Company
from app.services.estimate import revisions
from app.services.estimate.document import EstimateDocument
from app.services.excel.fit import LINE_HEIGHT
from app.services.money import CURRENCY_SIGNS, format_number
from app.services.storage.database import Database, StorageError
from app.services.values import clean_text

# step, done, total → False (or a cancel) stops the export; the GUI's Task passes its own.
Progress = Callable[[str, int, int], Any]
Cancelled = Callable[[], bool]

_MAX_TEXT = 32767  # Excel's limit on one cell's text
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_SYMBOLS = CURRENCY_SIGNS
PROGRESS_EVERY = 250  # lines between progress reports (and cancel checks)


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


class Sheet:
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

    def append(self, cells: Iterable[Any] = (), *, lines: int = 1) -> int:
        """Write a row; returns its 1-based number (for formulas that refer to it).

        ``lines``: the row is that many lines of text tall (wrapped headings), set before it is
        streamed (a write-only sheet cannot change a row once written).
        """
        if lines > 1:
            self.ws.row_dimensions[self.row + 1].height = LINE_HEIGHT * lines + 2
        self.ws.append(list(cells))
        self.row += 1
        return self.row

    def print_setup(self, header_row: int, title: str, landscape: bool = False) -> None:
        """Fit to one page wide (as many pages down as it takes), repeat the header row, page numbers
        in the footer. A landscape sheet (the wide internal ones) gets narrow margins: every
        centimetre of paper is type a size larger."""
        ws = self.ws
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        if landscape:
            ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.75, bottom=0.6, header=0.3, footer=0.3)
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


def shown_number(value: Decimal | int | None, suffix: str = "") -> str:
    """A quantity (``#,##0.####``) or with ``suffix=" %"`` a percentage as the sheet shows it."""
    return "" if value is None else format_number(Decimal(value)) + suffix


def prepare(ws: Any, freeze: str) -> None:
    """What a write-only sheet must know before its first row: frozen panes, fit-to-page."""
    ws.freeze_panes = freeze
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def common_styles(sheet: Sheet) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    right = Alignment(horizontal="right", vertical="top")
    bold = Font(bold=True)
    sheet.style("text", alignment=wrap)
    sheet.style("plain", alignment=Alignment(vertical="top"))  # level with wrapped text beside it
    sheet.style("label", font=Font(bold=True, color="4B5563"))
    sheet.style("title", font=Font(bold=True, size=16))
    sheet.style("subtitle", font=Font(bold=True, size=12, color="0E7490"))
    sheet.style("note", font=Font(italic=True, color="4B5563"), alignment=wrap)
    sheet.style("header", font=bold, fill=_HEADER_FILL, border=Border(bottom=_THIN),
                alignment=Alignment(wrap_text=True, vertical="center"))
    sheet.style("header_right", font=bold, fill=_HEADER_FILL, border=Border(bottom=_THIN),
                alignment=Alignment(wrap_text=True, vertical="center", horizontal="right"))
    sheet.style("section", font=bold, fill=_SECTION_FILL)
    sheet.style("section_wrap", font=bold, fill=_SECTION_FILL, alignment=wrap)
    sheet.style("section_money", font=bold, fill=_SECTION_FILL, number_format=sheet.money)
    sheet.style("money", number_format=sheet.money, alignment=right)
    sheet.style("money_bold", number_format=sheet.money, font=bold)
    sheet.style("total", number_format=sheet.money, font=Font(bold=True, size=12),
                border=Border(top=_THIN, bottom=Side(style="double")))
    sheet.style("total_label", font=Font(bold=True, size=12))
    sheet.style("qty", number_format="#,##0.####", alignment=right)
    sheet.style("pct", number_format='0.####" %"', alignment=right)
    sheet.style("pct_bold", number_format='0.00" %"', font=bold)
    sheet.style("date", number_format="d mmm yyyy", alignment=Alignment(horizontal="left", vertical="top"))
    sheet.style("datetime", number_format="d mmm yyyy hh:mm",
                alignment=Alignment(horizontal="left", vertical="top"))


# -- shared by both workbooks: sums, progress, the company, the quote label ------------------------


def sum_formula(cells: Sequence[str]) -> str:
    """=SUM(E12,E20,…) in chunks Excel accepts (255 arguments at most per call)."""
    if not cells:
        return "=0"
    chunks = [",".join(cells[i:i + 200]) for i in range(0, len(cells), 200)]
    return "=" + "+".join(f"SUM({chunk})" for chunk in chunks)


def check(progress: Progress | None, cancelled: Cancelled | None, step: str, done: int, total: int) -> None:
    if progress is not None and progress(step, done, total) is False:
        raise ExportCancelled("Export cancelled; nothing was written.")
    if cancelled is not None and cancelled():
        raise ExportCancelled("Export cancelled; nothing was written.")


def company_of(db: Database) -> tuple[str, str]:
    """(name, quote terms) of the company."""
    co = Company.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        row = conn.execute(
            select(co.c.name, co.c.quote_terms).where(co.c.deleted_at.is_(None)).limit(1)).first()
    return (row.name, row.quote_terms) if row else ("", "")


def quote_label(db: Database, doc: EstimateDocument) -> str:
    """"Quote Q2026-0001 · Revision 2" when it is what was last sent, else the next revision as a draft."""
    return quote_label_and_date(db, doc)[0]


def quote_label_and_date(db: Database, doc: EstimateDocument) -> tuple[str, date]:
    """The quote's label and its date: the day it was sent when it is what was last sent, else today."""
    now = revisions.quote_standing(db, doc)
    if now.revision is None:
        number = now.quote_number
        return (f"Quote {number} · Draft" if number else "Quote · Draft"), date.today()
    if not now.draft and now.sent_at is not None:  # dated the calendar day where it was sent from
        sent_on = (now.sent_at if now.sent_at.tzinfo else now.sent_at.replace(tzinfo=UTC)).astimezone()
        return f"Quote {now.quote_number} · Revision {now.revision}", sent_on.date()
    return f"Quote {now.quote_number} · Revision {now.revision} (draft)", date.today()


# -- saving: a temporary file beside the target, renamed into place ----------------------------------


def _save(wb: Workbook, target: Path) -> None:
    """Save to a temporary file beside the target, then rename it into place."""
    save_through_temp(target, lambda temp: _write_workbook(wb, temp))


def save_through_temp(target: Path, write: Callable[[Path], None]) -> None:
    """``write`` a temporary file beside ``target``, then rename it into place: a failed or
    cancelled write leaves no half file and never replaces a good one (the workbook, the PDF)."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"Cannot write {target}: the folder {folder} does not exist.")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".~{target.stem}-", suffix=target.suffix or ".tmp",
                                             dir=folder)
    except OSError as error:
        raise ExportError(f"Cannot write to {folder}: {error.strerror or error}.") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
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


def new_workbook(title: str, creator: str) -> Workbook:
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


def build(wb: Workbook, path: Path, write: Callable[[], None]) -> None:
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
