"""Tandem's own hidden data sheets: written on the internal cost sheet, read back exactly.

The exporter writes them with :func:`write_tandem_data` on the internal cost sheet only; they
hold every value exactly (Decimals as text), so export → import gives the same estimate to the
cent. :func:`read_tandem_workbook` reads them back.

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
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.models import CatalogItem, LabourRuleSet, Role, Supplier
from app.models.enums import LineKind, PriceBasis
from app.services.estimate.document import (
    ESTIMATE_FIELDS,
    LINE_COLUMNS,
    LINE_FIELDS,
    PARAMETER_FIELDS,
    SECTION_FIELDS,
    EstimateDocument,
)
from app.services.estimate.rows import COPIED_ID
from app.services.excel.imported import (
    ImportedEstimate,
    ImportedSection,
    ImportFailed,
    RowProblem,
    checked_line,
)
from app.services.excel.reading import open_workbook, sheet_rows
from app.services.storage.database import Database
from app.services.values import InputError, clean_text, flag

FORMAT_NAME = "tandem-estimate"
FORMAT_VERSION = 1
DATA_SHEET = "Tandem data"
PARAMETERS_SHEET = "Tandem parameters"
ESTIMATE_SHEET = "Tandem estimate"
TANDEM_SHEETS = (DATA_SHEET, PARAMETERS_SHEET, ESTIMATE_SHEET)

# Links to reference data travel by name: (column in the sheet, LineItem column, table).
LINKS: tuple[tuple[str, str, Any], ...] = (
    ("supplier", "supplier_id", Supplier.__table__),  # type: ignore[attr-defined]
    ("role", "role_id", Role.__table__),  # type: ignore[attr-defined]
    ("labour_rule_set", "labour_rule_set_id", LabourRuleSet.__table__),  # type: ignore[attr-defined]
    ("catalog_item", "catalog_item_id", CatalogItem.__table__),  # type: ignore[attr-defined]
)
_LINK_OF_ID = {id_column: name for name, id_column, _ in LINKS}
LINE_DATA_COLUMNS = tuple(_LINK_OF_ID.get(c, c) for c in LINE_COLUMNS)
SECTION_DATA_COLUMNS = ("section", "section_client_description", "section_optional",
                        "section_range_low_pct", "section_range_high_pct")
# How a line goes with others (a kit's components, a sub-rental): each line's own reference (its
# id as text) and the references its links name. Last, and optional: a workbook written before
# them reads as lines without links. ``supplier_quote_item_ref``: the supplier quote item the line's
# cost follows (its id; imported into a database without that item, the line follows none).
LINK_DATA_COLUMNS = ("line_ref", "kit_line_ref", "subrental_of_ref", "shows_components",
                     "supplier_quote_item_ref")
DATA_COLUMNS = ("record", *SECTION_DATA_COLUMNS, *LINE_DATA_COLUMNS, *LINK_DATA_COLUMNS)
_REQUIRED_DATA_COLUMNS = DATA_COLUMNS[: -len(LINK_DATA_COLUMNS)]
PARAMETER_COLUMNS = ("name", "value", "formula", "unit", "description")
SETTINGS = ("discount_pct", "contingency_pct", "tax_pct", "target_margin_pct", "margin_floor_pct")
# What the client quote shows, "yes" or "no"; a workbook written before them imports a new estimate's.
QUOTE_CHOICES = ("show_contingency_line", "show_budget_range")
_FORMULA_START = ("=", "+", "-", "@")


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
        data.append([cell(data, v) for v in ["section", *head,
                                             *([None] * (len(LINE_DATA_COLUMNS) + len(LINK_DATA_COLUMNS)))]])
        for line in section.lines:
            values = []
            for column in LINE_COLUMNS:
                value = getattr(line, column)
                if column in names:
                    value = names[column].get(value, "") if value is not None else None
                values.append(value)
            links = [str(line.id), _ref(line.kit_line_id), _ref(line.subrental_of_id), line.shows_components,
                     _ref(line.supplier_quote_item_id)]
            data.append([cell(data, v) for v in ["line", *head, *values, *links]])
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
    rows += [(s, "yes" if getattr(header, s) else "no") for s in QUOTE_CHOICES]
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


# -- reading them back ---------------------------------------------------------------------------


def is_tandem_workbook(path: str | Path) -> bool:
    """True when the file carries the Tandem data sheets (the internal cost sheet); never raises."""
    try:
        wb = open_workbook(path)
    except ImportFailed:
        return False
    try:
        return all(s in wb.sheetnames for s in TANDEM_SHEETS)
    finally:
        wb.close()


def read_tandem_workbook(path: str | Path) -> ImportedEstimate:
    """The exact estimate of a Tandem cost sheet; ImportFailed when a value cannot be used."""
    wb = open_workbook(path)
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
        for key in QUOTE_CHOICES:
            if settings_rows.get(key) is not None:
                try:
                    imported.choices[key] = ESTIMATE_FIELDS[key].parse(settings_rows[key])
                except InputError as error:
                    raise ImportFailed(f"{name}, “{ESTIMATE_SHEET}”: {error}") from None
        imported.total_price = _exact(settings_rows.get("total_price"), "total_price", "total price")
        imported.total_cost = _exact(settings_rows.get("total_cost"), "total_cost", "total cost")
        imported.parameters = _read_parameters(wb[PARAMETERS_SHEET], name)
        imported.sections = _read_data(wb[DATA_SHEET], name, imported.problems)
        return imported
    finally:
        wb.close()


def _keyed(ws: Any, name: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for row in sheet_rows(ws, name):
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
    rows = sheet_rows(ws, name)
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
    rows = sheet_rows(ws, name)
    header = next(rows, None)
    if header is None:
        return []
    index = _header_index(header, _REQUIRED_DATA_COLUMNS, DATA_SHEET)
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
                problem = checked_line(line)[1]
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
    values.update(_links(row, index))
    return values


def _ref(line_id: uuid.UUID | None) -> str | None:
    return None if line_id is None else str(line_id)


def _links(row: Sequence[Any], index: dict[str, int]) -> dict[str, Any]:
    """A line's references (see LINK_DATA_COLUMNS) as the import relinks them: its own as
    ``copied_id``; a reference that is not one is no link."""
    def ref(column: str) -> uuid.UUID | None:
        raw = _cell(row, index[column]) if column in index else None
        try:
            return uuid.UUID(str(raw).strip()) if raw not in (None, "") else None
        except ValueError:
            return None

    values: dict[str, Any] = {COPIED_ID: ref("line_ref"), "kit_line_id": ref("kit_line_ref"),
                              "subrental_of_id": ref("subrental_of_ref"),
                              "supplier_quote_item_id": ref("supplier_quote_item_ref")}
    if "shows_components" in index:
        raw = _cell(row, index["shows_components"])
        values["shows_components"] = flag("Client sees components")("" if raw is None else raw)
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
