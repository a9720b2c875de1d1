"""Opening a workbook for import safely (its size limits first) and reading its rows and cells."""

from __future__ import annotations

import functools
import itertools
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.services.estimate.formulas import FormulaError, evaluate
from app.services.excel.imported import ImportFailed
from app.services.excel.sheet_formulas import from_spreadsheet
from app.services.values import clean_text

# What Tandem reads at most — the one place these are set (the README's "Importing from Excel"
# quotes them). The sizes come from the zip's directory and are checked before any part is
# parsed; zipfile itself never inflates a part past its declared size (a part that holds more
# fails its checksum), so a lying directory cannot make a read bigger than what was checked.
MiB = 1024 * 1024
PART_MAX_BYTES = 512 * MiB  # a sheet unpacked: streamed, but one cell is read whole (1 M rows: ~260 MB)
SHARED_STRINGS_MAX_BYTES = 64 * MiB  # any other part, the text table above all: read whole
TOTAL_MAX_BYTES = 1024 * MiB  # every part unpacked together
PARTS_MAX = 10_000  # files inside the workbook
RATIO_MAX = 200  # unpacked ÷ packed of a part over RATIO_FROM_BYTES: a zip bomb, not a sheet
RATIO_FROM_BYTES = 16 * MiB
SHEET_ROWS_MAX = 1_048_576  # Excel's own limits: a sheet claiming more was not written by a spreadsheet
SHEET_COLUMNS_MAX = 16_384
IMPORT_ROWS_MAX = 100_000  # rows read into one estimate (the preview reads only its first rows)
CELL_CHARS_MAX = 32_767  # Excel's own limit on one cell's text


def open_workbook(path: str | Path, formulas: bool = False) -> Any:
    """Open a workbook read-only (for its values, or its formulas), or raise ImportFailed."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    p = Path(path)
    name = p.name
    if not p.exists():
        raise ImportFailed(f"{name} does not exist.")
    if p.is_dir():
        raise ImportFailed(f"{name} is a folder, not an Excel workbook.")
    try:
        size = p.stat().st_size
        with p.open("rb") as f:
            start = f.read(8)
    except OSError as error:
        raise ImportFailed(f"{name} cannot be read: {error.strerror or error}.") from None
    if size == 0:
        raise ImportFailed(f"{name} is empty (0 bytes): it is not an Excel workbook.")
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE2 container: an encrypted .xlsx, or an old .xls.
        raise ImportFailed(f"{name} is password-protected or an old .xls workbook; save it as an "
                           "unprotected .xlsx and import that.")
    if not start.startswith(b"PK"):
        raise ImportFailed(f"{name} is not an Excel workbook (.xlsx); it looks like "
                           f"{'text' if _looks_like_text(start) else 'another kind of file'}.")
    try:
        check_limits(p)
        with _sheets_sized_from_their_start():
            return load_workbook(p, read_only=True, data_only=not formulas)
    except ImportFailed:
        raise
    except zipfile.BadZipFile:
        raise ImportFailed(f"{name} is damaged or incomplete (a truncated download?); "
                           "it cannot be opened as an Excel workbook.") from None
    except (KeyError, InvalidFileException, ValueError, TypeError, EOFError, zipfile.LargeZipFile):
        raise ImportFailed(f"{name} is not a valid Excel workbook; open it in Excel and save it "
                           "again as .xlsx.") from None
    except OSError as error:
        raise ImportFailed(f"{name} cannot be read: {error.strerror or error}.") from None
    except Exception as error:  # openpyxl raises many kinds; the user needs one line
        raise ImportFailed(f"{name} cannot be read as an Excel workbook ({type(error).__name__}).") from None


_CONTENT_TYPES = "[Content_Types].xml"
_CONTENT_TYPES_MAX_BYTES = MiB
_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'(PartName|ContentType)\s*=\s*["\']([^"\']*)["\']')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref\s*=\s*["\']'
                        rb'([A-Za-z]*)(\d*)(?::([A-Za-z]*)(\d*))?["\']')
_DIMENSION_LOOK_BYTES = 64 * 1024


def check_limits(path: str | Path) -> None:
    """Refuse a workbook past the limits above from its zip directory alone, before any part is parsed.

    Worksheets are streamed, so each may unpack to ``PART_MAX_BYTES``; every other part
    (the text table above all) is read whole and gets ``SHARED_STRINGS_MAX_BYTES``. The size a
    sheet claims (``<dimension ref="A1:F20000000"/>``, read from its first bytes) must fit in
    Excel's own grid. Raises ImportFailed with one line; zipfile.BadZipFile for a broken zip.
    """
    name = Path(path).name
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > PARTS_MAX:
            raise ImportFailed(f"{name} is refused: it holds {len(infos):,} files; an Excel workbook holds "
                               f"far fewer (Tandem reads at most {PARTS_MAX:,}).")
        sheets = _worksheet_parts(archive, name)
        total = 0
        for info in infos:
            size = info.file_size
            total += size
            limit = PART_MAX_BYTES if info.filename in sheets else SHARED_STRINGS_MAX_BYTES
            what = "a sheet" if info.filename in sheets else "a part read whole"
            if size > limit:
                raise ImportFailed(f"{name} is too large to import: {what} ({info.filename}) unpacks to "
                                   f"{_mib(size)}; Tandem reads at most {_mib(limit)}.")
            if size > RATIO_FROM_BYTES and size > RATIO_MAX * max(info.compress_size, 1):
                raise ImportFailed(f"{name} is refused: {info.filename} unpacks to "
                                   f"{size // max(info.compress_size, 1):,} times its packed size, "
                                   "which is how a zip bomb looks, not a spreadsheet.")
        if total > TOTAL_MAX_BYTES:
            raise ImportFailed(f"{name} is too large to import: it unpacks to {_mib(total)}; "
                               f"Tandem reads at most {_mib(TOTAL_MAX_BYTES)}.")
        for part in sorted(sheets):
            rows, columns = _claimed_size(archive, part)
            if rows > SHEET_ROWS_MAX or columns > SHEET_COLUMNS_MAX:
                raise ImportFailed(f"{name} is refused: a sheet claims {rows:,} rows × {columns:,} columns, "
                                   f"beyond Excel's own {SHEET_ROWS_MAX:,} × {SHEET_COLUMNS_MAX:,}.")


def _worksheet_parts(archive: zipfile.ZipFile, name: str) -> set[str]:
    """The parts the workbook's content types declare as worksheets (names without the leading /)."""
    try:
        info = archive.getinfo(_CONTENT_TYPES)
    except KeyError:
        return set()  # openpyxl refuses the file itself
    if info.file_size > _CONTENT_TYPES_MAX_BYTES:
        raise ImportFailed(f"{name} is refused: its list of contents unpacks to {_mib(info.file_size)}.")
    text = archive.read(info)
    parts = set()
    for override in _OVERRIDE.finditer(text):
        attributes = dict(_ATTRIBUTE.findall(override.group(1)))
        if attributes.get(b"ContentType", b"").endswith(b".worksheet+xml"):
            parts.add(attributes.get(b"PartName", b"").decode("utf-8", "replace").lstrip("/"))
    return parts


def _claimed_size(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(rows, columns) a sheet's ``<dimension>`` claims, from its first bytes; (0, 0) without one."""
    try:
        with archive.open(part) as stream:
            start = stream.read(_DIMENSION_LOOK_BYTES)
    except KeyError:
        return 0, 0
    found = _DIMENSION.search(start)
    if found is None:
        return 0, 0
    from openpyxl.utils import column_index_from_string

    first_column, first_row, last_column, last_row = found.groups()
    letters = (last_column or first_column or b"A").decode("ascii").upper()
    digits = (last_row or first_row or b"0")
    try:
        columns = column_index_from_string(letters) if len(letters) <= 3 else SHEET_COLUMNS_MAX + 1
    except ValueError:
        columns = SHEET_COLUMNS_MAX + 1
    return (int(digits) if len(digits) <= 12 else SHEET_ROWS_MAX + 1), columns


def _mib(size: int) -> str:
    return f"{size / MiB:,.0f} MB" if size >= MiB else f"{size:,} bytes"


# One workbook opens at a time while openpyxl's reader makes its sheets of the class below.
_OPENING = threading.Lock()


@contextmanager
def _sheets_sized_from_their_start() -> Iterator[None]:
    """While a workbook opens, its read-only sheets look for ``<dimension>`` before ``<sheetData>`` only.

    openpyxl's own ``ReadOnlyWorksheet._get_size`` waits for the *end* of ``<sheetData>`` to give
    up, so opening a workbook parsed every sheet written without a ``<dimension>`` (openpyxl's
    write-only mode writes none) to its last row: 165 s here for a 60-row preview of a
    1,000,000-row sheet. Same result, from the sheet's first elements. Scoped to the opening:
    openpyxl's class is left as it is; its reader makes the sheets of a subclass until the
    reader's name for the class is put back, on the way out.
    """
    from openpyxl.reader import excel

    with _OPENING:
        original = excel.ReadOnlyWorksheet
        excel.ReadOnlyWorksheet = _start_sized_sheet()
        try:
            yield
        finally:
            excel.ReadOnlyWorksheet = original


@functools.cache
def _start_sized_sheet() -> type:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    class StartSizedWorksheet(ReadOnlyWorksheet):
        """A read-only sheet sized from its first elements (see _sheets_sized_from_their_start)."""

        def _get_size(self) -> None:
            source = self._get_source()
            try:
                for _event, element in iterparse(source, events=("start",)):
                    if element.tag == DIMENSION_TAG:
                        self._min_column, self._min_row, self._max_column, self._max_row = (
                            SheetDimension.from_tree(element).boundaries)
                        return
                    if element.tag == DATA_TAG:
                        return
            finally:
                source.close()

    return StartSizedWorksheet


def _looks_like_text(start: bytes) -> bool:
    try:
        start.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch >= 32 or ch in (9, 10, 13) for ch in start)


def sheet_rows(ws: Any, name: str, max_rows: int | None = None) -> Iterator[tuple[Any, ...]]:
    """Rows of values; a broken part found only while reading still comes out as ImportFailed.

    With ``max_rows`` (a preview) only that many are read; without, the whole sheet up to
    ``IMPORT_ROWS_MAX``, refused before reading when it claims more, and stopped there when it
    holds more than it claims; there a cell longer than ``CELL_CHARS_MAX`` refuses the file.
    """
    if max_rows is None:
        check_rows(ws, name)
    ws.reset_dimensions()  # read what is there: a sheet that claims too few rows would lose the rest
    try:
        for number, row in enumerate(ws.iter_rows(values_only=True, max_row=max_rows), start=1):
            if max_rows is not None:
                yield row  # a preview shows the rows as they are; the read for Import checks
                continue
            if number > IMPORT_ROWS_MAX:
                check_rows(ws, name, number)
            for value in row:
                if isinstance(value, str) and len(value) > CELL_CHARS_MAX:
                    raise ImportFailed(f"{name}: row {number} of “{ws.title}” holds a cell of {len(value):,} "
                                       f"characters; a cell holds at most {CELL_CHARS_MAX:,}.")
            yield row
    except ImportFailed:
        raise
    except Exception:  # a damaged sheet part: zlib, XML, KeyError…
        raise ImportFailed(f"{name} is damaged: a sheet cannot be read to the end.") from None


def check_rows(ws: Any, name: str, read: int | None = None) -> None:
    """Refuse a sheet past ``IMPORT_ROWS_MAX`` rows: as it claims (before reading), or as read."""
    rows = int(ws.max_row or 0) if read is None else read
    if rows > IMPORT_ROWS_MAX:
        count = f"{rows:,}" if read is None else f"more than {IMPORT_ROWS_MAX:,}"
        raise ImportFailed(f"{name}: the sheet “{ws.title}” has {count} rows; Tandem imports at most "
                           f"{IMPORT_ROWS_MAX:,} — split it into smaller sheets.")



def cell_text(value: Any) -> str:
    """A cell as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(float_decimal(value), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def float_decimal(value: float | Decimal) -> Decimal:
    """An Excel number as the 15 significant digits Excel keeps (0.1 + 0.2 → 0.3)."""
    return Decimal(format(value, ".15g")).normalize() + 0


@dataclass(frozen=True, slots=True)
class Unevaluated:
    """A formula saved without its value that is more than simple arithmetic (``=A1*B2``)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def with_saved_values(rows: Iterable[Sequence[Any]],
                       saved_sheet: Callable[[], Any]) -> Iterator[Sequence[Any]]:
    """The rows read for their formulas, each formula cell replaced by the value a spreadsheet
    program saved with it, where there is one (a program that does not calculate, like openpyxl,
    saves none). The sheet is read again for its values from its first formula on (only then)."""
    values: Iterator[Sequence[Any]] | None = None
    for index, row in enumerate(rows):
        has_formula = any(getattr(c, "data_type", None) == "f" for c in row)
        if has_formula and values is None:
            values = saved_sheet().iter_rows()
            for _ in range(index):  # in step with the rows read so far
                next(values)
        if values is None:
            yield row
            continue
        saved = next(values)
        if has_formula:
            # Rows are not padded to a width the sheet does not state: the two reads may end a
            # row at different cells. Only cells of the row read for its formulas count.
            saved = tuple(saved)[:len(row)]
            row = tuple(v if getattr(c, "data_type", None) == "f" and _has_saved_value(v) else c
                        for c, v in itertools.zip_longest(row, saved) if c is not None)
        yield row


def _has_saved_value(cell: Any) -> bool:
    # A formula's empty text result is saved as an empty value of type "str" (Excel, LibreOffice);
    # a formula saved without a value has none and no type ("n" when read).
    return getattr(cell, "value", None) is not None or getattr(cell, "data_type", "n") != "n"


def _formula_value(value: Any) -> Decimal | Unevaluated:
    """A formula without its saved value: simple arithmetic evaluated (to the 15 digits a
    spreadsheet keeps), anything else Unevaluated."""
    formula = str(getattr(value, "text", None) or value)  # an array formula carries its text
    try:
        return float_decimal(evaluate(from_spreadsheet(formula)))
    except FormulaError:
        return Unevaluated(formula if formula.startswith("=") else f"={formula}")


def raw_value(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        return _formula_value(value)
    if isinstance(value, str):
        value = clean_text(value).strip()
        return value or None
    return value
