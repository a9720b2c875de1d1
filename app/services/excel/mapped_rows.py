"""A foreign spreadsheet read through a column mapping: each row a line, a section heading or a problem."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.models.enums import LineKind, PriceBasis
from app.services.estimate.fields import LINE_NUMBERS
from app.services.excel.imported import (
    DEFAULT_SECTION,
    NAME_MAX,
    ImportCancelled,
    ImportedEstimate,
    ImportedSection,
    ImportFailed,
    RowProblem,
    checked_line,
)
from app.services.excel.mapping import FIELD_LABELS, ColumnMapping, is_number_text
from app.services.excel.reading import (
    CELL_CHARS_MAX,
    IMPORT_ROWS_MAX,
    Unevaluated,
    cell_text,
    check_rows,
    float_decimal,
    open_workbook,
    raw_value,
    with_saved_values,
)
from app.services.values import InputError, parse_decimal

PROGRESS_EVERY = 200
LINE, SECTION, PROBLEM, SKIPPED = "line", "section", "problem", "skipped"


_NUMERIC_FIELDS = ("quantity", "days", "hours", "unit_cost", "unit_price", "markup_pct")
_TOTAL = re.compile(r"^\s*(grand\s*|sub\s*-?\s*)?totals?\b", re.IGNORECASE)
_KIND_BY_TEXT: dict[str, str] = {}
for _k in LineKind:
    for _t in (_k.value, _k.label, _k.label.replace("-", " "), _k.label.replace("-", "")):
        _KIND_BY_TEXT[_t.lower()] = _k.value
_KIND_BY_TEXT.update({"labor": "labour", "crew": "labour", "rental": "equipment", "sub rental": "subrental",
                      "subrent": "subrental", "shipping": "freight", "trucking": "freight", "service": "fee",
                      "materials": "purchase", "material": "purchase"})


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
    without it the whole sheet, up to ``IMPORT_ROWS_MAX`` rows (see :func:`sheet_rows`).

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
    wb = open_workbook(path, formulas=True)  # a cell saved without its value is read as its formula
    saved: list[Any] = []

    def saved_values() -> Any:  # the sheet read again for the values saved with its formulas
        saved.append(open_workbook(path))
        return saved[-1][sheet]

    try:
        if sheet not in wb.sheetnames:
            raise ImportFailed(f"{name} has no sheet called “{sheet}”.")
        ws = wb[sheet]
        if max_rows is None:
            check_rows(ws, name)
        total = max(int(max_rows or ws.max_row or 0) - header_row, 0)
        ws.reset_dimensions()  # read what is there, not what the sheet claims (see sheet_rows)
        headers: list[str] = []
        parsed: list[ParsedRow] = []
        section = ""
        number = 0
        try:
            rows = with_saved_values(ws.iter_rows(max_row=max_rows), saved_values)
            for number, row in enumerate(rows, start=1):
                if max_rows is None and number > IMPORT_ROWS_MAX:
                    check_rows(ws, name, number)
                if cancelled is not None and number % 50 == 0 and cancelled():
                    raise ImportCancelled()
                if progress is not None and number % PROGRESS_EVERY == 0:
                    progress(number - header_row, total)
                if number < header_row:
                    continue
                if number == header_row:
                    headers = [cell_text(getattr(c, "value", None)) for c in row]
                    continue
                result = _read_row(number, row, mapping, headers, section)
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
class TextCell:
    """A cell of pasted text, read like a sheet's cell (``raw_value`` cleans and strips it)."""

    value: str
    data_type: str = "s"


def read_text_rows(rows: Sequence[Sequence[str]], header_row: int, mapping: ColumnMapping,
                   name: str) -> MappedImport:
    """Rows of text (a spreadsheet's rows pasted as tab-separated text) read like a sheet's rows:
    the same lines, section headings and problems, row numbers counted from the first row."""
    if "description" not in mapping.columns:
        raise ImportFailed("No column of the pasted rows holds a description.")
    headers = list(rows[header_row - 1]) if header_row else []
    parsed: list[ParsedRow] = []
    section = ""
    for number, texts in enumerate(rows[header_row:], start=header_row + 1):
        result = _read_row(number, [TextCell(t) for t in texts], mapping, headers, section)
        if result is None:
            continue
        if result.outcome == SECTION:
            section = result.section
        parsed.append(result)
    return MappedImport(parsed, _estimate_of(parsed, name))


def _read_row(number: int, row: Sequence[Any], mapping: ColumnMapping, headers: Sequence[str],
              section: str) -> ParsedRow | None:
    """One row: a cell too long is a problem, else :func:`_parse_row`."""
    longest = max((len(v) for c in row if isinstance(v := getattr(c, "value", None), str)), default=0)
    if longest > CELL_CHARS_MAX:
        return ParsedRow(number, PROBLEM, section, reason=f"a cell holds {longest:,} characters; "
                         f"a cell holds at most {CELL_CHARS_MAX:,}")
    return _parse_row(number, row, mapping, headers, section)


def _parse_row(number: int, row: Sequence[Any], mapping: ColumnMapping, headers: Sequence[str],
               section: str) -> ParsedRow | None:
    def cell(field_name: str) -> Any:
        column = mapping.column_of(field_name)
        if column is None or column >= len(row):
            return None
        return row[column]

    def raw(field_name: str) -> Any:
        return raw_value(cell(field_name))

    def label(field_name: str) -> str:
        column = mapping.column_of(field_name)
        text = headers[column] if column is not None and column < len(headers) else ""
        return text or FIELD_LABELS[field_name]

    values = [raw_value(c) for c in row]
    mapped = set(mapping.columns.values())  # an unmapped formula without a value is not read at all
    if all(v is None or (isinstance(v, Unevaluated) and i not in mapped) for i, v in enumerate(values)):
        return None
    description = cell_text(raw("description"))
    texts = [cell_text(v) for v in values if v is not None]
    if _TOTAL.match(description) or (not description and any(_TOTAL.match(t) for t in texts if
                                                               not is_number_text(t))):
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
    priced, problem = checked_line(line)
    if problem is not None:  # each number within its bound, their product not
        return ParsedRow(number, PROBLEM, section_text or section, reason=problem.message.rstrip("."))
    return ParsedRow(number, LINE, section_text or section or DEFAULT_SECTION, line,
                     price=priced.price, cost=priced.cost)


def _number(value: Any, cell: Any, field_name: str, label: str) -> Decimal:
    """An exact Decimal from a cell, with the production pane's limits and messages."""
    if isinstance(value, bool):
        raise InputError(f"{label} must be a number; “{cell_text(value)}” is not.")
    if isinstance(value, float):
        value = float_decimal(value)
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

