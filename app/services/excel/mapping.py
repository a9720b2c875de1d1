"""A foreign spreadsheet's preview: its first rows, the guessed header row and column mapping."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.services.excel.imported import ImportFailed
from app.services.excel.reading import cell_text, open_workbook, sheet_rows
from app.services.excel.tandem_sheets import TANDEM_SHEETS
from app.services.values import InputError, parse_decimal

PREVIEW_ROWS = 60  # rows read for the mapping step; the whole sheet is read on Import


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
        score = _header_score([t if not is_number_text(t) else "" for t in texts])  # numbers name nothing
        if score > best:
            best, best_row = score, number
    return best_row


def open_sheet_preview(path: str | Path, sheet: str | None = None,
                       max_rows: int = PREVIEW_ROWS) -> SheetPreview:
    """The first ``max_rows`` rows of a sheet (the first one by default) with guessed header and mapping."""
    wb = open_workbook(path)
    try:
        names = list(wb.sheetnames)
        is_tandem = all(s in names for s in TANDEM_SHEETS)
        visible = [n for n in names if n not in TANDEM_SHEETS] or names
        if sheet is None:
            sheet = visible[0]
        if sheet not in names:
            raise ImportFailed(f"{Path(path).name} has no sheet called “{sheet}”.")
        rows = [[cell_text(v) for v in row] for row in sheet_rows(wb[sheet], Path(path).name, max_rows)]
    finally:
        wb.close()
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header_row = guess_header_row(rows)
    headers = rows[header_row - 1] if header_row else [""] * width
    return SheetPreview(str(path), visible, sheet, rows, header_row, list(headers),
                        guess_mapping(headers), is_tandem)


def is_number_text(text: str) -> bool:
    try:
        parse_decimal(text, "x", minimum=None)
    except InputError:
        return False
    return True
