"""The import dialog's preview table: the first parsed rows of a sheet, as Tandem reads them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.excel.mapped_rows import PROBLEM, SECTION, SKIPPED, ParsedRow
from app.services.money import format_money, format_number

PREVIEW_ROWS = 50
_PROBLEM_BRUSH = QBrush(QColor("#f8d7da"))
_SECTION_BRUSH = QBrush(QColor("#e8eef7"))
_SKIPPED_BRUSH = QBrush(QColor("#888888"))


class ImportPreviewModel(QAbstractTableModel):
    """The first parsed rows of a sheet: lines as Tandem reads them, section headings, problems."""

    COLUMNS = ("Row", "Section", "Description", "Kind", "Qty", "Unit", "Days", "Hours", "Unit cost",
               "Unit price", "Markup %", "Supplier", "Price", "Problem")
    _VALUE_OF = {"Description": "description", "Kind": "kind", "Qty": "quantity", "Unit": "unit",
                 "Days": "days", "Hours": "hours", "Unit cost": "unit_cost", "Unit price": "unit_price",
                 "Markup %": "markup_pct", "Supplier": "supplier"}

    _NUMBERS = frozenset({"Row", "Qty", "Days", "Hours", "Unit cost", "Unit price", "Markup %", "Price"})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ParsedRow] = []

    def set_rows(self, rows: list[ParsedRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows[:PREVIEW_ROWS])
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.outcome == PROBLEM:
                return _PROBLEM_BRUSH
            if row.outcome == SECTION:
                return _SECTION_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and row.outcome == SKIPPED:
            return _SKIPPED_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole and row.reason:
            return f"Row {row.row_number}: {row.reason}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self._NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: ParsedRow, column: str) -> str:
        if column == "Row":
            return str(row.row_number)
        if column == "Section":
            return row.section
        if column == "Problem":
            return row.reason
        if column == "Price":
            return format_money(row.price) if row.price is not None else ""
        if row.outcome == SECTION:
            return "Section heading" if column == "Description" else ""
        value = row.values.get(self._VALUE_OF[column])
        if isinstance(value, Decimal):
            return format_number(value)
        return "" if value is None else str(value)
