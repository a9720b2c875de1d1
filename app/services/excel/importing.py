"""Estimates in from Excel: Tandem's own cost sheet (an exact round trip) and other spreadsheets.

Two ways in, both read-only until :func:`import_estimate`:

* **A Tandem workbook** — the internal cost sheet written by ``excel_export`` carries three
  hidden sheets written by :func:`write_tandem_data` (layout below). They hold every value
  exactly (Decimals as text), so export → import gives the same estimate to the cent.
* **Any other spreadsheet** — :func:`open_sheet_preview` shows the first rows and guesses the
  header row and a :class:`ColumnMapping`; :func:`read_mapped` turns every data row into a line,
  a section heading or a :class:`RowProblem` saying why it could not be read.

Layout of a Tandem workbook (format ``tandem-estimate`` version 1), one header row of machine
names, then data; booleans are Excel booleans, numbers are text with every digit, dates and
times ISO text, links to reference data by *name* so that a file moves between databases:

* ``Tandem data`` — :data:`DATA_COLUMNS`: ``record`` (``section`` or ``line``), the section's
  ``section``, ``section_client_description``, ``section_optional``, ``section_range_low_pct``,
  ``section_range_high_pct``, then the line columns of ``document.LINE_COLUMNS`` in order, with
  ``supplier_id``/``role_id``/``labour_rule_set_id``/``catalog_item_id`` replaced by
  ``supplier``/``role``/``labour_rule_set``/``catalog_item`` (names). Each section is one
  ``section`` row (line columns empty) followed by its ``line`` rows, so empty sections and
  sections sharing a name survive.
* ``Tandem parameters`` — ``name``, ``value``, ``formula``, ``unit``, ``description``.
* ``Tandem estimate`` — ``key``, ``value`` rows: ``format``, ``version``, ``name``, ``currency``,
  the settings of :data:`SETTINGS` and, for information only, ``total_price`` and ``total_cost``.

Unknown reference names: a supplier, role, labour rule set or catalog item that the target
database does not have leaves the line's link empty (the line is still imported and priced
from its own numbers) and is listed as a note. A foreign sheet's unknown vendor is also kept
as text at the end of the line's internal description ("… — supplier: Acme"), so nothing the
sheet said is lost; a known one is linked.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import itertools
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection

from app.models import (
    CatalogItem,
    Estimate,
    EstimateParameter,
    LabourRuleSet,
    LineItem,
    Role,
    Section,
    Supplier,
)
from app.models.enums import LineKind, PriceBasis
from app.models.types import utcnow
from app.services.bounds import LineProblem, check_line
from app.services.estimate.document import (
    LINE_COLUMNS,
    LINE_FIELDS,
    PARAMETER_FIELDS,
    SECTION_FIELDS,
    EstimateDocument,
)
from app.services.estimate.fields import LINE_NUMBERS
from app.services.estimate.formulas import FormulaError, evaluate, from_spreadsheet
from app.services.estimate.pricing import LinePrice, LineTerms, PriceRange
from app.services.storage.database import Database
from app.services.values import InputError, clean_text, parse_decimal, parse_text

ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]
PARAMETER_T = EstimateParameter.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
LINE_T = LineItem.__table__  # type: ignore[attr-defined]

FORMAT_NAME = "tandem-estimate"
FORMAT_VERSION = 1
DATA_SHEET = "Tandem data"
PARAMETERS_SHEET = "Tandem parameters"
ESTIMATE_SHEET = "Tandem estimate"
TANDEM_SHEETS = (DATA_SHEET, PARAMETERS_SHEET, ESTIMATE_SHEET)

# Links to reference data travel by name: (column in the sheet, LineItem column, table).
_LINKS: tuple[tuple[str, str, Any], ...] = (
    ("supplier", "supplier_id", Supplier.__table__),  # type: ignore[attr-defined]
    ("role", "role_id", Role.__table__),  # type: ignore[attr-defined]
    ("labour_rule_set", "labour_rule_set_id", LabourRuleSet.__table__),  # type: ignore[attr-defined]
    ("catalog_item", "catalog_item_id", CatalogItem.__table__),  # type: ignore[attr-defined]
)
_LINK_OF_ID = {id_column: name for name, id_column, _ in _LINKS}
LINE_DATA_COLUMNS = tuple(_LINK_OF_ID.get(c, c) for c in LINE_COLUMNS)
SECTION_DATA_COLUMNS = ("section", "section_client_description", "section_optional",
                        "section_range_low_pct", "section_range_high_pct")
DATA_COLUMNS = ("record", *SECTION_DATA_COLUMNS, *LINE_DATA_COLUMNS)
PARAMETER_COLUMNS = ("name", "value", "formula", "unit", "description")
SETTINGS = ("discount_pct", "contingency_pct", "tax_pct", "target_margin_pct", "margin_floor_pct")
_FORMULA_START = ("=", "+", "-", "@")
NAME_MAX = 200
PROGRESS_EVERY = 200

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
IMPORT_BATCH = 2_000  # lines written per short transaction
PREVIEW_ROWS = 60  # rows read for the mapping step; the whole sheet is read on Import


class ImportFailed(Exception):
    """The file cannot be imported; ``str(error)`` is the one-line reason for the user."""


class ImportCancelled(ImportFailed):
    """The user cancelled a long read; nothing was written."""

    def __init__(self) -> None:
        super().__init__("Import cancelled; nothing was imported.")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that could not be read (``skipped``) or was read with a caveat (a note)."""

    row_number: int
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"


@dataclass(slots=True)
class ImportedSection:
    name: str
    client_description: str = ""
    optional: bool = False
    range_low_pct: Decimal | None = None
    range_high_pct: Decimal | None = None
    # Each line is a dict of LineItem column values, links by name ("supplier": "SkyPoint Rigging"),
    # plus "row_number" (where it came from).
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class ImportedEstimate:
    """An estimate read from a workbook, not yet in any database."""

    name: str
    sections: list[ImportedSection] = field(default_factory=list)
    parameters: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Decimal] = field(default_factory=dict)
    notes_text: str = ""
    source: str = "tandem"  # or "mapped": a foreign sheet through a column mapping
    total_price: Decimal | None = None  # as written by the exporter, for the summary only
    total_cost: Decimal | None = None
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def line_count(self) -> int:
        return sum(len(s.lines) for s in self.sections)


# -- writing the Tandem sheets -------------------------------------------------------------------


def write_tandem_data(workbook: Any, doc: EstimateDocument, db: Database | None = None) -> None:
    """Add the three hidden Tandem sheets of ``doc`` to an openpyxl ``workbook`` (write-only works).

    The exporter calls this once on the internal cost sheet only, after its own (visible)
    sheets: the client quote must never carry costs. Call it before ``workbook.save``.
    ``db`` (default ``doc.db``) is only read, for the catalog items' names.
    """
    from openpyxl.cell import WriteOnlyCell

    def sheet(title: str) -> Any:
        ws = workbook.create_sheet(title)
        ws.sheet_state = "hidden"
        return ws

    def cell(ws: Any, value: Any) -> Any:
        # Every text is a string cell, and marked as quoted: "=SUM(…)" typed as a
        # description must stay text in Excel, even after someone edits the cell.
        value = _sheet_value(value)
        if isinstance(value, str):
            # What Tandem cleans on input (text stored by an older version may hold a pasted
            # "\x0b", which no .xlsx can carry); reading it back cleans the same way.
            value = clean_text(value, multiline=True)
        out = WriteOnlyCell(ws, value=value)
        if isinstance(out.value, str):
            out.data_type = "s"
            if out.value.startswith(_FORMULA_START):
                out.quotePrefix = True
        return out

    lookups = doc.lookups
    names = {
        "supplier_id": {k: v.name for k, v in lookups.suppliers.items()},
        "role_id": {k: v.name for k, v in lookups.roles.items()},
        "labour_rule_set_id": {k: v.name for k, v in lookups.rule_sets.items()},
        "catalog_item_id": _catalog_names(db or doc.db),
    }
    data = sheet(DATA_SHEET)
    data.append([cell(data, c) for c in DATA_COLUMNS])
    for section in doc.sections:
        head = [section.name, section.client_description, section.optional,
                section.range_low_pct, section.range_high_pct]
        data.append([cell(data, v) for v in ["section", *head, *([None] * len(LINE_DATA_COLUMNS))]])
        for line in section.lines:
            values = []
            for column in LINE_COLUMNS:
                value = getattr(line, column)
                if column in names:
                    value = names[column].get(value, "") if value is not None else None
                values.append(value)
            data.append([cell(data, v) for v in ["line", *head, *values]])
    params = sheet(PARAMETERS_SHEET)
    params.append([cell(params, c) for c in PARAMETER_COLUMNS])
    for p in doc.parameters:
        params.append([cell(params, v) for v in (p.name, p.value, p.formula, p.unit, p.description)])
    estimate = sheet(ESTIMATE_SHEET)
    header = doc.header
    rows: list[tuple[str, Any]] = [("key", "value"), ("format", FORMAT_NAME),
                                   ("version", str(FORMAT_VERSION)), ("name", header.name),
                                   ("currency", header.currency), ("notes", header.notes)]
    rows += [(s, getattr(header, s)) for s in SETTINGS]
    rows += [("total_price", doc.totals.total), ("total_cost", doc.totals.cost)]
    for key, value in rows:
        estimate.append([cell(estimate, key), cell(estimate, value)])


def _sheet_value(value: Any) -> Any:
    """Exact cell values: Decimals as text (every digit), dates and times as ISO text."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, time, datetime)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "value") and isinstance(value.value, str):  # a StrEnum
        return value.value
    if value == "":
        return None
    return value


def _catalog_names(db: Database) -> dict[uuid.UUID, str]:
    table = CatalogItem.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return {row.id: row.name for row in conn.execute(select(table.c.id, table.c.name))}


# -- opening files safely ------------------------------------------------------------------------


def _load(path: str | Path, formulas: bool = False) -> Any:
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
        _size_sheets_from_their_start()
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


def _size_sheets_from_their_start() -> None:
    """Make openpyxl's read-only sheets look for ``<dimension>`` before ``<sheetData>`` only.

    Its own ``ReadOnlyWorksheet._get_size`` waits for the *end* of ``<sheetData>`` to give up,
    so opening a workbook parsed every sheet written without a ``<dimension>`` (openpyxl's
    write-only mode writes none) to its last row: 165 s here for a 60-row preview of a
    1,000,000-row sheet. Same result, from the sheet's first elements; installed once.
    """
    from openpyxl.worksheet import _read_only

    if getattr(_read_only.ReadOnlyWorksheet._get_size, "tandem", False):
        return
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    def get_size(ws: Any) -> None:
        source = ws._get_source()
        try:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == DIMENSION_TAG:
                    ws._min_column, ws._min_row, ws._max_column, ws._max_row = (
                        SheetDimension.from_tree(element).boundaries)
                    return
                if element.tag == DATA_TAG:
                    return
        finally:
            source.close()

    get_size.tandem = True  # type: ignore[attr-defined]
    _read_only.ReadOnlyWorksheet._get_size = get_size


def _looks_like_text(start: bytes) -> bool:
    try:
        start.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch >= 32 or ch in (9, 10, 13) for ch in start)


def _rows(ws: Any, name: str, max_rows: int | None = None) -> Iterator[tuple[Any, ...]]:
    """Rows of values; a broken part found only while reading still comes out as ImportFailed.

    With ``max_rows`` (a preview) only that many are read; without, the whole sheet up to
    ``IMPORT_ROWS_MAX``, refused before reading when it claims more, and stopped there when it
    holds more than it claims; there a cell longer than ``CELL_CHARS_MAX`` refuses the file.
    """
    if max_rows is None:
        _check_rows(ws, name)
    ws.reset_dimensions()  # read what is there: a sheet that claims too few rows would lose the rest
    try:
        for number, row in enumerate(ws.iter_rows(values_only=True, max_row=max_rows), start=1):
            if max_rows is not None:
                yield row  # a preview shows the rows as they are; the read for Import checks
                continue
            if number > IMPORT_ROWS_MAX:
                _check_rows(ws, name, number)
            for value in row:
                if isinstance(value, str) and len(value) > CELL_CHARS_MAX:
                    raise ImportFailed(f"{name}: row {number} of “{ws.title}” holds a cell of {len(value):,} "
                                       f"characters; a cell holds at most {CELL_CHARS_MAX:,}.")
            yield row
    except ImportFailed:
        raise
    except Exception:  # a damaged sheet part: zlib, XML, KeyError…
        raise ImportFailed(f"{name} is damaged: a sheet cannot be read to the end.") from None


def _check_rows(ws: Any, name: str, read: int | None = None) -> None:
    """Refuse a sheet past ``IMPORT_ROWS_MAX`` rows: as it claims (before reading), or as read."""
    rows = int(ws.max_row or 0) if read is None else read
    if rows > IMPORT_ROWS_MAX:
        count = f"{rows:,}" if read is None else f"more than {IMPORT_ROWS_MAX:,}"
        raise ImportFailed(f"{name}: the sheet “{ws.title}” has {count} rows; Tandem imports at most "
                           f"{IMPORT_ROWS_MAX:,} — split it into smaller sheets.")


# -- Tandem workbooks ----------------------------------------------------------------------------


def is_tandem_workbook(path: str | Path) -> bool:
    """True when the file carries the Tandem data sheets (the internal cost sheet); never raises."""
    try:
        wb = _load(path)
    except ImportFailed:
        return False
    try:
        return all(s in wb.sheetnames for s in TANDEM_SHEETS)
    finally:
        wb.close()


def read_tandem_workbook(path: str | Path) -> ImportedEstimate:
    """The exact estimate of a Tandem cost sheet; ImportFailed when a value cannot be used."""
    wb = _load(path)
    name = Path(path).name
    try:
        missing = [s for s in TANDEM_SHEETS if s not in wb.sheetnames]
        if missing:
            raise ImportFailed(f"{name} is not a Tandem cost sheet (it has no “{missing[0]}” sheet); "
                               "import it with a column mapping instead.")
        settings_rows = _keyed(wb[ESTIMATE_SHEET], name)
        if settings_rows.get("format") != FORMAT_NAME:
            raise ImportFailed(f"{name}: the “{ESTIMATE_SHEET}” sheet is not a Tandem estimate.")
        try:
            version = int(str(settings_rows.get("version", "")))
        except ValueError:
            version = 0
        if not 1 <= version <= FORMAT_VERSION:
            raise ImportFailed(f"{name} was written by a newer Tandem (format "
                               f"{settings_rows.get('version')}); update Tandem to import it.")
        imported = ImportedEstimate(name=str(settings_rows.get("name") or Path(path).stem),
                                    notes_text=clean_text(str(settings_rows.get("notes") or ""),
                                                          multiline=True))
        for key in SETTINGS:
            value = _exact(settings_rows.get(key), key, f"{ESTIMATE_SHEET}: {key}")
            imported.settings[key] = Decimal(0) if value is None else value
        imported.total_price = _exact(settings_rows.get("total_price"), "total_price", "total price")
        imported.total_cost = _exact(settings_rows.get("total_cost"), "total_cost", "total cost")
        imported.parameters = _read_parameters(wb[PARAMETERS_SHEET], name)
        imported.sections = _read_data(wb[DATA_SHEET], name, imported.problems)
        return imported
    finally:
        wb.close()


def _keyed(ws: Any, name: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for row in _rows(ws, name):
        if row and row[0] not in (None, "key"):
            out[str(row[0])] = row[1] if len(row) > 1 else None
    return out


def _exact(value: Any, column: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise ImportFailed(f"{label} is not a number: “{value}”.") from None


def _header_index(header: Sequence[Any], required: Sequence[str], sheet: str) -> dict[str, int]:
    index = {str(v): i for i, v in enumerate(header) if v is not None}
    missing = [c for c in required if c not in index]
    if missing:
        raise ImportFailed(f"The “{sheet}” sheet has no “{missing[0]}” column; it is not a Tandem export.")
    return index


def _read_parameters(ws: Any, name: str) -> list[dict[str, Any]]:
    rows = _rows(ws, name)
    header = next(rows, None)
    if header is None:
        return []
    index = _header_index(header, PARAMETER_COLUMNS, PARAMETERS_SHEET)
    out = []
    for number, row in enumerate(rows, start=2):
        raw = {c: _cell(row, index[c]) for c in PARAMETER_COLUMNS}
        if all(v in (None, "") for v in raw.values()):
            continue
        try:
            out.append({c: PARAMETER_FIELDS[c].parse("" if raw[c] is None else raw[c])
                        for c in PARAMETER_COLUMNS})
        except InputError as error:
            raise ImportFailed(f"{PARAMETERS_SHEET}, row {number}: {error}") from None
    return out


def _cell(row: Sequence[Any], i: int) -> Any:
    return row[i] if i < len(row) else None


def _read_data(ws: Any, name: str, problems: list[RowProblem]) -> list[ImportedSection]:
    rows = _rows(ws, name)
    header = next(rows, None)
    if header is None:
        return []
    index = _header_index(header, DATA_COLUMNS, DATA_SHEET)
    sections: list[ImportedSection] = []
    for number, row in enumerate(rows, start=2):
        record = _cell(row, index["record"])
        if record in (None, ""):
            continue
        try:
            if record == "section":
                sections.append(_tandem_section(row, index))
            elif record == "line":
                if not sections:
                    sections.append(_tandem_section(row, index))
                line = _tandem_line(row, index)
                problem = _checked(line)[1]
                if problem is not None:
                    raise InputError(problem.message)
                sections[-1].lines.append({**line, "row_number": number})
            else:
                problems.append(RowProblem(number, f"unknown record “{record}”; row left out"))
        except InputError as error:
            raise ImportFailed(f"{DATA_SHEET}, row {number}: {error}") from None
    return sections


def _tandem_section(row: Sequence[Any], index: dict[str, int]) -> ImportedSection:
    def get(column: str, field_name: str) -> Any:
        value = _cell(row, index[column])
        return SECTION_FIELDS[field_name].parse("" if value is None else value)

    return ImportedSection(get("section", "name"), get("section_client_description", "client_description"),
                           get("section_optional", "optional"), get("section_range_low_pct", "range_low_pct"),
                           get("section_range_high_pct", "range_high_pct"))


_TIME_COLUMNS = {"start_time", "end_time"}
_DATE_COLUMNS = {"call_date"}
_DECIMALS = {"quantity", "days", "hours", "unit_cost", "markup_pct", "unit_price", "margin_pct",
             "price_override", "range_low_pct", "range_high_pct", "range_low", "range_high"}
_REQUIRED_DECIMALS = {"quantity", "days", "unit_cost"}
_TEXTS = {"description": 500, "client_description": 500, "unit": 20, "quantity_formula": 500,
          "days_formula": 500, "alternative_group": 100}


def _tandem_line(row: Sequence[Any], index: dict[str, int]) -> dict[str, Any]:
    """One line's values exactly as written: numbers digit for digit, texts untouched."""
    values: dict[str, Any] = {}
    for column, data_column in zip(LINE_COLUMNS, LINE_DATA_COLUMNS, strict=True):
        raw = _cell(row, index[data_column])
        label = LINE_FIELDS[column].label if column in LINE_FIELDS else column
        if data_column in _LINK_OF_ID.values():
            values[data_column] = "" if raw is None else str(raw).strip()
        elif column in _TIME_COLUMNS or column in _DATE_COLUMNS:
            values[column] = _iso(raw, column)
        elif column in _DECIMALS:
            number = _exact(raw, column, label)
            if column in _REQUIRED_DECIMALS:
                if number is None:
                    raise InputError(f"{label} cannot be empty.")
                if number < 0:
                    raise InputError(f"{label} cannot be negative.")
            values[column] = number
        elif column in _TEXTS:
            text = "" if raw is None else clean_text(str(raw))
            if len(text) > _TEXTS[column]:
                raise InputError(f"{label} can be at most {_TEXTS[column]} characters long.")
            values[column] = text
        elif column == "price_basis":
            try:
                values[column] = PriceBasis(str(raw)).value
            except ValueError:
                raise InputError(f"price basis “{raw}” is not one of markup, unit_price, margin.") from None
        else:  # kind, optional, phase, alternative_chosen: the edit rules
            parsed = LINE_FIELDS[column].parse("" if raw is None else raw)
            values[column] = parsed.value if isinstance(parsed, LineKind) else parsed
    return values


def _iso(raw: Any, column: str) -> Any:
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime):
        return raw.time() if column in _TIME_COLUMNS else raw.date()
    if isinstance(raw, (date, time)):
        return raw
    try:
        return time.fromisoformat(str(raw)) if column in _TIME_COLUMNS else date.fromisoformat(str(raw))
    except ValueError:
        raise InputError(f"{LINE_FIELDS[column].label} “{raw}” is not an ISO date or time.") from None


# -- foreign spreadsheets: preview and mapping ---------------------------------------------------

# The Tandem fields a column can map to, in the order the dialog shows them.
MAPPABLE_FIELDS: tuple[tuple[str, str], ...] = (
    ("description", "Description"),
    ("section", "Section"),
    ("kind", "Kind"),
    ("quantity", "Qty"),
    ("unit", "Unit"),
    ("days", "Days"),
    ("hours", "Hours"),
    ("unit_cost", "Unit cost"),
    ("unit_price", "Unit price"),
    ("markup_pct", "Markup %"),
    ("supplier", "Supplier"),
    ("client_description", "Client description"),
)
FIELD_LABELS = dict(MAPPABLE_FIELDS)
_NUMERIC_FIELDS = ("quantity", "days", "hours", "unit_cost", "unit_price", "markup_pct")
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "description": ("description", "item", "items", "desc", "line item", "item description", "name",
                    "service", "product", "equipment", "article"),
    "section": ("section", "category", "group", "department", "area", "chapter"),
    "kind": ("kind", "type", "line type", "item type"),
    "quantity": ("qty", "quantity", "count", "pcs", "no", "number", "amount of", "units", "#"),
    "unit": ("unit", "uom", "unit of measure", "per", "measure"),
    "days": ("days", "day", "rental days", "duration", "no of days", "nb days"),
    "hours": ("hours", "hrs", "hour", "hours per day", "hrs day"),
    "unit_cost": ("unit cost", "cost", "cost each", "our cost", "net cost", "cost per unit", "buy",
                  "buy price", "cost rate"),
    "unit_price": ("unit price", "rate", "price each", "price", "sell", "sell price", "day rate",
                   "list price", "each", "price per unit", "bill rate", "unit rate"),
    "markup_pct": ("markup", "markup %", "mark up", "markup pct", "markup percent", "mu"),
    "supplier": ("supplier", "vendor", "subcontractor", "sub", "source", "provider"),
    "client_description": ("client description", "customer description", "client text", "client",
                           "public description", "quote description"),
}
_NORMALISE = re.compile(r"[^a-z0-9%#]+")
_TOTAL = re.compile(r"^\s*(grand\s*|sub\s*-?\s*)?totals?\b", re.IGNORECASE)
_KIND_BY_TEXT: dict[str, str] = {}
for _k in LineKind:
    for _t in (_k.value, _k.label, _k.label.replace("-", " "), _k.label.replace("-", "")):
        _KIND_BY_TEXT[_t.lower()] = _k.value
_KIND_BY_TEXT.update({"labor": "labour", "crew": "labour", "rental": "equipment", "sub rental": "subrental",
                      "subrent": "subrental", "shipping": "freight", "trucking": "freight", "service": "fee",
                      "materials": "purchase", "material": "purchase"})


@dataclass(slots=True)
class ColumnMapping:
    """Which sheet column (0-based) feeds each Tandem field; a field left out is not read."""

    columns: dict[str, int] = field(default_factory=dict)

    def column_of(self, field_name: str) -> int | None:
        return self.columns.get(field_name)

    def with_column(self, field_name: str, column: int | None) -> ColumnMapping:
        """A copy with ``field_name`` fed by ``column`` (None: unmapped); a column feeds one field."""
        columns = {f: c for f, c in self.columns.items() if f != field_name and c != column}
        if column is not None:
            columns[field_name] = column
        return ColumnMapping(columns)


@dataclass(slots=True)
class SheetPreview:
    """What the mapping step shows: the sheets, the first rows as text, and the guesses."""

    path: str
    sheet_names: list[str]
    sheet: str
    rows: list[list[str]]  # the first rows as text, row 1 first
    header_row: int  # 1-based; 0 when no header row was found
    headers: list[str]  # the texts of the header row, one per column
    mapping: ColumnMapping
    is_tandem: bool


@functools.lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    return " ".join(_NORMALISE.sub(" ", text.lower()).split())


def _score(header: str, field_name: str) -> float:
    """How well a header text names a field: 1 exact synonym, else fuzzy similarity (0 … 1)."""
    text = _norm(header)
    if not text:
        return 0.0
    best = 0.0
    for synonym in _SYNONYMS[field_name]:
        s = _norm(synonym) or synonym
        if text == s:
            return 1.0
        if len(s) > 3 and (text.startswith(s + " ") or text.endswith(" " + s)):
            best = max(best, 0.85)
        matcher = difflib.SequenceMatcher(None, text, s)
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:  # upper bounds, cheap
            best = max(best, matcher.ratio())
    return best


def guess_mapping(headers: Sequence[str], threshold: float = 0.8) -> ColumnMapping:
    """Each field to its best-named column, best matches first; a column feeds one field."""
    candidates = sorted(
        ((_score(h, f), f, i) for i, h in enumerate(headers) for f, _ in MAPPABLE_FIELDS if h),
        key=lambda t: (-t[0], t[2]),
    )
    columns: dict[str, int] = {}
    for score, field_name, i in candidates:
        if score < threshold:
            break
        if field_name not in columns and i not in columns.values():
            columns[field_name] = i
    return ColumnMapping(columns)


def _header_score(texts: Sequence[str]) -> int:
    mapping = guess_mapping(texts)
    return len(mapping.columns)


def guess_header_row(rows: Sequence[Sequence[str]], look: int = 30) -> int:
    """The 1-based row (among the first ``look``) naming most fields; 0 when none names two."""
    best, best_row = 1, 0
    for number, texts in enumerate(rows[:look], start=1):
        score = _header_score([t if not _is_number_text(t) else "" for t in texts])  # numbers name nothing
        if score > best:
            best, best_row = score, number
    return best_row


def cell_text(value: Any) -> str:
    """A cell as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(_float_decimal(value), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def _float_decimal(value: float | Decimal) -> Decimal:
    """An Excel number as the 15 significant digits Excel keeps (0.1 + 0.2 → 0.3)."""
    return Decimal(format(value, ".15g")).normalize() + 0


def open_sheet_preview(path: str | Path, sheet: str | None = None,
                       max_rows: int = PREVIEW_ROWS) -> SheetPreview:
    """The first ``max_rows`` rows of a sheet (the first one by default) with guessed header and mapping."""
    wb = _load(path)
    try:
        names = list(wb.sheetnames)
        is_tandem = all(s in names for s in TANDEM_SHEETS)
        visible = [n for n in names if n not in TANDEM_SHEETS] or names
        if sheet is None:
            sheet = visible[0]
        if sheet not in names:
            raise ImportFailed(f"{Path(path).name} has no sheet called “{sheet}”.")
        rows = [[cell_text(v) for v in row] for row in _rows(wb[sheet], Path(path).name, max_rows)]
    finally:
        wb.close()
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header_row = guess_header_row(rows)
    headers = rows[header_row - 1] if header_row else [""] * width
    return SheetPreview(str(path), visible, sheet, rows, header_row, list(headers),
                        guess_mapping(headers), is_tandem)


# -- foreign spreadsheets: reading through a mapping ---------------------------------------------

LINE, SECTION, PROBLEM, SKIPPED = "line", "section", "problem", "skipped"


@dataclass(slots=True)
class ParsedRow:
    """One data row as read: a line (values, priced), a section heading, a problem or a skipped row."""

    row_number: int
    outcome: str
    section: str
    values: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    price: Decimal | None = None
    cost: Decimal | None = None


@dataclass(slots=True)
class MappedImport:
    rows: list[ParsedRow]
    estimate: ImportedEstimate
    complete: bool = True  # False: a preview of the sheet's first rows only

    @property
    def problems(self) -> list[RowProblem]:
        """The rows that could not be read, and why (rows skipped on purpose are not problems)."""
        return [p for p in self.estimate.problems if p.skipped]

    @property
    def lines(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.outcome == LINE]

    @property
    def total_price(self) -> Decimal:
        return sum((r.price or Decimal(0) for r in self.lines), Decimal(0))

    @property
    def total_cost(self) -> Decimal:
        return sum((r.cost or Decimal(0) for r in self.lines), Decimal(0))


DEFAULT_SECTION = "General"


def read_mapped(
    path: str | Path,
    sheet: str,
    header_row: int,
    mapping: ColumnMapping,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    max_rows: int | None = None,
) -> MappedImport:
    """Every row below ``header_row`` → a line, a section heading, or a problem saying why not.

    ``max_rows``: read only the sheet's first rows (the preview), however long the sheet is;
    without it the whole sheet, up to ``IMPORT_ROWS_MAX`` rows (see :func:`_rows`).

    Read-only. Empty rows are skipped silently and total rows ("Total", "Subtotal") with a note;
    a row with text in the description column and no number in any mapped number column is a
    section heading (unless a Section column is mapped and filled). Numbers go through
    :func:`parse_decimal`, so "$1,234.50" and "35%" are read; a cell formatted as a percentage
    (0.35 shown as 35 %) is read as 35. A formula is read as the value a spreadsheet program
    saved with it; one saved without (by a program that does not calculate) is evaluated when it
    is simple arithmetic (:func:`app.services.estimate.formulas.from_spreadsheet`), else its row is a
    problem naming the cell.
    """
    if "description" not in mapping.columns:
        raise ImportFailed("Choose the column that holds each line's description first.")
    name = Path(path).name
    wb = _load(path, formulas=True)  # a cell saved without its value is read as its formula
    saved: list[Any] = []

    def saved_values() -> Any:  # the sheet read again for the values saved with its formulas
        saved.append(_load(path))
        return saved[-1][sheet]

    try:
        if sheet not in wb.sheetnames:
            raise ImportFailed(f"{name} has no sheet called “{sheet}”.")
        ws = wb[sheet]
        if max_rows is None:
            _check_rows(ws, name)
        total = max(int(max_rows or ws.max_row or 0) - header_row, 0)
        ws.reset_dimensions()  # read what is there, not what the sheet claims (see _rows)
        headers: list[str] = []
        parsed: list[ParsedRow] = []
        section = ""
        number = 0
        try:
            rows = _with_saved_values(ws.iter_rows(max_row=max_rows), saved_values)
            for number, row in enumerate(rows, start=1):
                if max_rows is None and number > IMPORT_ROWS_MAX:
                    _check_rows(ws, name, number)
                if cancelled is not None and number % 50 == 0 and cancelled():
                    raise ImportCancelled()
                if progress is not None and number % PROGRESS_EVERY == 0:
                    progress(number - header_row, total)
                if number < header_row:
                    continue
                if number == header_row:
                    headers = [cell_text(getattr(c, "value", None)) for c in row]
                    continue
                longest = max((len(v) for c in row if isinstance(v := getattr(c, "value", None), str)),
                              default=0)
                if longest > CELL_CHARS_MAX:
                    result: ParsedRow | None = ParsedRow(
                        number, PROBLEM, section, reason=f"a cell holds {longest:,} characters; "
                        f"a cell holds at most {CELL_CHARS_MAX:,}")
                else:
                    result = _parse_row(number, row, mapping, headers, section)
                if result is None:
                    continue
                if result.outcome == SECTION:
                    section = result.section
                parsed.append(result)
        except ImportFailed:
            raise
        except Exception:  # a damaged sheet part found mid-read
            raise ImportFailed(f"{name} is damaged: the sheet cannot be read past row {number}.") from None
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if progress is not None:
            done = max(number - header_row, 0)
            progress(done, max(total, done))  # a sheet without its size written: the count read
    finally:
        wb.close()
        for values in saved:
            values.close()
    complete = max_rows is None or number < max_rows  # a short sheet's preview is all of it
    return MappedImport(parsed, _estimate_of(parsed, Path(path).stem), complete)


@dataclass(frozen=True, slots=True)
class Unevaluated:
    """A formula saved without its value that is more than simple arithmetic (``=A1*B2``)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def _with_saved_values(rows: Iterable[Sequence[Any]],
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
        return _float_decimal(evaluate(from_spreadsheet(formula)))
    except FormulaError:
        return Unevaluated(formula if formula.startswith("=") else f"={formula}")


def _raw_value(cell: Any) -> Any:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        return _formula_value(value)
    if isinstance(value, str):
        value = clean_text(value).strip()
        return value or None
    return value


def _parse_row(number: int, row: Sequence[Any], mapping: ColumnMapping, headers: Sequence[str],
               section: str) -> ParsedRow | None:
    def cell(field_name: str) -> Any:
        column = mapping.column_of(field_name)
        if column is None or column >= len(row):
            return None
        return row[column]

    def raw(field_name: str) -> Any:
        return _raw_value(cell(field_name))

    def label(field_name: str) -> str:
        column = mapping.column_of(field_name)
        text = headers[column] if column is not None and column < len(headers) else ""
        return text or FIELD_LABELS[field_name]

    values = [_raw_value(c) for c in row]
    mapped = set(mapping.columns.values())  # an unmapped formula without a value is not read at all
    if all(v is None or (isinstance(v, Unevaluated) and i not in mapped) for i, v in enumerate(values)):
        return None
    description = cell_text(raw("description"))
    texts = [cell_text(v) for v in values if v is not None]
    if _TOTAL.match(description) or (not description and any(_TOTAL.match(t) for t in texts if
                                                               not _is_number_text(t))):
        return ParsedRow(number, SKIPPED, section, reason="a total row, not a line")
    section_text = cell_text(raw("section"))
    unevaluated = [f"{label(f)} {value} could not be evaluated (no cached value)"
                   for f in sorted(mapping.columns, key=mapping.columns.__getitem__)
                   if isinstance(value := raw(f), Unevaluated)]
    if unevaluated:
        return ParsedRow(number, PROBLEM, section_text or section, reason="; ".join(unevaluated))
    numbers_given = [f for f in _NUMERIC_FIELDS if raw(f) is not None]
    if description and not numbers_given and not section_text:
        return ParsedRow(number, SECTION, description[:200])
    if not description:
        return ParsedRow(number, PROBLEM, section_text or section, reason="no description")
    errors: list[str] = []
    line: dict[str, Any] = {"description": description[:500]}
    for field_name in _NUMERIC_FIELDS:
        value = raw(field_name)
        if value is None:
            continue
        try:
            line[field_name] = _number(value, cell(field_name), field_name, label(field_name))
        except InputError as error:
            errors.append(str(error).rstrip("."))
    kind_text = cell_text(raw("kind"))
    if kind_text:
        kind = _KIND_BY_TEXT.get(" ".join(kind_text.lower().replace("-", " ").split()))
        if kind is None:
            kind = _KIND_BY_TEXT.get(kind_text.lower())
        if kind is None:
            choices = ", ".join(k.label for k in LineKind)
            errors.append(f"{label('kind')} “{kind_text}” is not one of: {choices}")
        else:
            line["kind"] = kind
    for text_field, limit in (("unit", 20), ("client_description", 500), ("supplier", 200)):
        text = cell_text(raw(text_field))
        if len(text) > limit:
            errors.append(f"{label(text_field)} can be at most {limit} characters long")
        elif text:
            line[text_field] = text
    if errors:
        return ParsedRow(number, PROBLEM, section_text or section, reason="; ".join(errors))
    line.setdefault("kind", LineKind.EQUIPMENT.value)
    line.setdefault("quantity", Decimal(1))
    line.setdefault("days", Decimal(1))
    line.setdefault("unit", "ea")
    line.setdefault("unit_cost", Decimal(0))
    if "unit_price" in line:
        line["price_basis"] = PriceBasis.UNIT_PRICE.value
    else:
        line["price_basis"] = PriceBasis.MARKUP.value
    priced, problem = _checked(line)
    if problem is not None:  # each number within its bound, their product not
        return ParsedRow(number, PROBLEM, section_text or section, reason=problem.message.rstrip("."))
    return ParsedRow(number, LINE, section_text or section or DEFAULT_SECTION, line,
                     price=priced.price, cost=priced.cost)


_TERMS = tuple(f.name for f in fields(LineTerms) if f.name not in {"kind", "price_basis"})


def _checked(line: dict[str, Any]) -> tuple[LinePrice, LineProblem | None]:
    """A line's values priced, or why its figures are out of bounds (as the document would refuse them)."""
    terms = LineTerms(kind=LineKind(line.get("kind") or LineKind.EQUIPMENT.value),
                      price_basis=PriceBasis(line.get("price_basis") or PriceBasis.MARKUP.value),
                      **{name: line[name] for name in _TERMS if name in line})
    span = PriceRange(line.get("range_low_pct"), line.get("range_high_pct"), line.get("range_low"),
                      line.get("range_high"))
    return check_line(terms, price_range=span)


def _is_number_text(text: str) -> bool:
    try:
        parse_decimal(text, "x", minimum=None)
    except InputError:
        return False
    return True




def _number(value: Any, cell: Any, field_name: str, label: str) -> Decimal:
    """An exact Decimal from a cell, with the production pane's limits and messages."""
    if isinstance(value, bool):
        raise InputError(f"{label} must be a number; “{cell_text(value)}” is not.")
    if isinstance(value, float):
        value = _float_decimal(value)
    if isinstance(value, (date, time, datetime)):
        raise InputError(f"{label} must be a number; “{cell_text(value)}” is a date.")
    percent_cell = "%" in str(getattr(cell, "number_format", "") or "")
    if field_name == "markup_pct" and isinstance(value, (int, Decimal)) and percent_cell:
        value = Decimal(value) * 100  # 0.35 shown as 35 %
    if isinstance(value, str) and not re.search(r"\d", value):
        raise InputError(f"{label} “{value}” is not a number")
    result = parse_decimal(value, label, **LINE_NUMBERS[field_name])  # the production pane's rules
    assert result is not None
    return result


def _estimate_of(rows: Iterable[ParsedRow], name: str) -> ImportedEstimate:
    imported = ImportedEstimate(name=name[:NAME_MAX] or "Imported estimate", source="mapped")
    by_name: dict[str, ImportedSection] = {}
    for row in rows:
        if row.outcome == PROBLEM:
            imported.problems.append(RowProblem(row.row_number, row.reason))
        elif row.outcome == SKIPPED:
            imported.problems.append(RowProblem(row.row_number, row.reason, skipped=False))
        elif row.outcome == LINE:
            section = by_name.get(row.section)
            if section is None:
                section = by_name[row.section] = ImportedSection(row.section)
                imported.sections.append(section)
            section.lines.append({**row.values, "row_number": row.row_number})
    return imported


# -- writing the estimate ------------------------------------------------------------------------


def unknown_names(db: Database, imported: ImportedEstimate) -> list[RowProblem]:
    """Notes for links (supplier, role, rule set, catalog item) this database does not know."""
    with db.read() as conn:
        known = _known_names(conn)
    notes = []
    for section in imported.sections:
        for line in section.lines:
            for link, _, _ in _LINKS:
                text = line.get(link) or ""
                if text and text.casefold() not in known[link]:
                    what = link.replace("_", " ")
                    kept = " (kept in the description)" if imported.source == "mapped" else ""
                    notes.append(RowProblem(int(line.get("row_number", 0)),
                                            f"{what} “{text}” is not in this database; the line is "
                                            f"imported without one{kept}", skipped=False))
    return notes


def _known_names(conn: Connection) -> dict[str, dict[str, uuid.UUID]]:
    out: dict[str, dict[str, uuid.UUID]] = {}
    for link, _, table in _LINKS:
        names: dict[str, uuid.UUID] = {}
        for row in conn.execute(select(table.c.id, table.c.name).where(table.c.deleted_at.is_(None))
                                .order_by(table.c.created_at)):
            names.setdefault(str(row.name).casefold(), row.id)
        out[link] = names
    return out


STAGING_NOTES = "Tandem import in progress; left over if it was interrupted."
STAGING_STALE = timedelta(hours=1)  # an import this old was interrupted: its staging rows go


def import_estimate(db: Database, project_id: uuid.UUID, name: str, imported: ImportedEstimate,
                    progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> uuid.UUID:
    """Create the estimate with its parameters, sections and lines; others see none of it or all.

    Every row is prepared before any lock is taken. The estimate is first written as a
    tombstoned *staging* estimate (invisible: every view skips ``deleted_at``), its lines
    follow in short transactions of ``IMPORT_BATCH`` (others' saves wait a moment, never past
    their busy timeout), and a last short transaction checks the name and makes it live. A
    failure or ``cancelled()`` removes the staging rows; a killed process leaves them, and
    the next import removes those older than ``STAGING_STALE``. ``progress(lines written,
    lines)`` after each batch. This is the only function of the module that writes.
    """
    name = check_estimate_name(db, project_id, name)  # early: a taken name writes nothing at all
    now = utcnow()
    with db.read() as conn:
        known = _known_names(conn)
    estimate = Estimate(project_id=project_id, name=name, notes=STAGING_NOTES)
    for key in SETTINGS:
        setattr(estimate, key, imported.settings.get(key, Decimal(0)))
    estimate.created_at = estimate.updated_at = estimate.deleted_at = now
    params = [EstimateParameter(estimate_id=estimate.id, position=i, **p).model_dump()
              for i, p in enumerate(imported.parameters)]
    sections, lines = _section_and_line_records(estimate.id, imported, known)
    with db.write(track=False) as conn:
        _drop_stale_staging(conn, now - STAGING_STALE)
        conn.execute(ESTIMATE_T.insert().values(**estimate.model_dump()))
        if params:
            conn.execute(PARAMETER_T.insert(), params)
        conn.execute(SECTION_T.insert(), sections)
    try:
        for start in range(0, len(lines), IMPORT_BATCH):
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            with db.write(track=False) as conn:
                conn.execute(LINE_T.insert(), lines[start:start + IMPORT_BATCH])
            if progress is not None:
                progress(min(start + IMPORT_BATCH, len(lines)), len(lines))
        with db.write() as conn:
            _check_name_free(conn, project_id, name)
            last = conn.execute(select(func.max(ESTIMATE_T.c.position)).where(
                ESTIMATE_T.c.project_id == project_id, ESTIMATE_T.c.deleted_at.is_(None))).scalar()
            conn.execute(update(ESTIMATE_T).where(ESTIMATE_T.c.id == estimate.id).values(
                deleted_at=None, notes=imported.notes_text, position=(last or 0) + 1, updated_at=utcnow()))
    except BaseException:
        with contextlib.suppress(Exception), db.write(track=False) as conn:  # the first error is reported
            _drop_staging(conn, [estimate.id])
        raise
    return estimate.id


def check_estimate_name(db: Database, project_id: uuid.UUID, name: str) -> str:
    """The name, cleaned, if the project has no estimate by it; else InputError with one line."""
    name = parse_text(name, "Estimate name", max_length=NAME_MAX, required=True)
    with db.read() as conn:
        _check_name_free(conn, project_id, name)
    return name


def _check_name_free(conn: Connection, project_id: uuid.UUID, name: str) -> None:
    taken = {str(n).casefold() for n in conn.execute(
        select(ESTIMATE_T.c.name).where(ESTIMATE_T.c.project_id == project_id,
                                        ESTIMATE_T.c.deleted_at.is_(None))).scalars()}
    if name.casefold() in taken:
        raise InputError(f"This project already has an estimate called “{name}”; choose another name.")


def _drop_stale_staging(conn: Connection, before: datetime) -> None:
    """Remove what interrupted imports left: staging estimates created before ``before``."""
    stale = list(conn.execute(select(ESTIMATE_T.c.id).where(
        ESTIMATE_T.c.notes == STAGING_NOTES, ESTIMATE_T.c.deleted_at.is_not(None),
        ESTIMATE_T.c.created_at < before)).scalars())
    if stale:
        _drop_staging(conn, stale)


def _drop_staging(conn: Connection, estimate_ids: list[uuid.UUID]) -> None:
    """Delete staging estimates for good (never seen by anyone): lines, sections, parameters, estimate."""
    section_ids = select(SECTION_T.c.id).where(SECTION_T.c.estimate_id.in_(estimate_ids))
    conn.execute(delete(LINE_T).where(LINE_T.c.section_id.in_(section_ids)))
    conn.execute(delete(SECTION_T).where(SECTION_T.c.estimate_id.in_(estimate_ids)))
    conn.execute(delete(PARAMETER_T).where(PARAMETER_T.c.estimate_id.in_(estimate_ids)))
    conn.execute(delete(ESTIMATE_T).where(ESTIMATE_T.c.id.in_(estimate_ids),
                                          ESTIMATE_T.c.notes == STAGING_NOTES))


def _section_and_line_records(estimate_id: uuid.UUID, imported: ImportedEstimate,
                              known: dict[str, dict[str, uuid.UUID]]) -> tuple[list[dict[str, Any]],
                                                                               list[dict[str, Any]]]:
    """The rows to insert. Lines start from one record's defaults (a model per line costs ~1 ms)."""
    sections: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    template = LineItem(section_id=estimate_id, position=0).model_dump()
    for s_index, s in enumerate(imported.sections):
        section = Section(estimate_id=estimate_id, position=s_index, name=s.name,
                          client_description=s.client_description, optional=s.optional,
                          range_low_pct=s.range_low_pct, range_high_pct=s.range_high_pct)
        sections.append(section.model_dump())
        for l_index, values in enumerate(s.lines):
            lines.append({**template, **_line_record(values, known, imported.source),
                          "id": uuid.uuid4(), "section_id": section.id, "position": l_index})
    if not sections:
        sections.append(Section(estimate_id=estimate_id, name=DEFAULT_SECTION, position=0).model_dump())
    return sections, lines


def _line_record(values: dict[str, Any], known: dict[str, dict[str, uuid.UUID]],
                 source: str) -> dict[str, Any]:
    data = {k: v for k, v in values.items() if k in LINE_COLUMNS}
    for link, id_column, _ in _LINKS:
        text = values.get(link) or ""
        data[id_column] = known[link].get(text.casefold()) if text else None
        if text and data[id_column] is None and source == "mapped":
            data["description"] = f"{data.get('description', '')} — {link.replace('_', ' ')}: {text}"[:500]
    return {k: (v.value if isinstance(v, (LineKind, PriceBasis)) else v) for k, v in data.items()}
