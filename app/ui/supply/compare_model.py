"""The comparison's table: a line's candidate supplier quote items side by side, one row each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.money import format_money
from app.services.supply.line_quotes import Compared, short_date
from app.ui.widgets import TitledModel

HEADERS = ("Supplier", "Quote", "Unit cost", "Line cost", "Lead", "Transit", "Order by", "Valid until")
_NUMERIC = {2, 3, 4, 5}
_EXPIRED_FG = QBrush(QColor("#b91c1c"))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class SupplierQuoteComparisonModel(TitledModel):
    """Rows of :func:`app.services.supply.line_quotes.comparison`; the followed one in bold with a ✓."""

    titles = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Compared] = []
        self.currency = ""
        self._bold = _bold()

    def set_rows(self, rows: Sequence[Compared], currency: str) -> None:
        self.beginResetModel()
        self.rows, self.currency = list(rows), currency
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)


    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in _NUMERIC else _LEFT
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if row.followed else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return _EXPIRED_FG if row.expired and column == 7 else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return (
                    "The line's cost follows this quote."
                    if row.followed
                    else "Use this one to make the line's cost follow it."
                )
            if column == 6 and row.order_by is None:
                return "The project has no load-in date to count back from."
        return None

    def _text(self, row: Compared, column: int) -> str:
        quote, timing = row.item.quote, row.item.quote.timing
        days = " wd" if timing.weekdays_only else " d"
        if column == 0:
            return ("✓ " if row.followed else "") + quote.supplier_name
        if column == 1:
            return quote.number
        if column == 2:
            return format_money(row.unit_cost, self.currency)
        if column == 3:
            return format_money(row.cost, self.currency)
        if column == 4:
            return f"{timing.lead_days}{days}"
        if column == 5:
            return f"{timing.transit_days}{days}"
        if column == 6:
            return short_date(row.order_by) if row.order_by else "—"
        if quote.valid_until is None:
            return "—"
        return f"expired {short_date(quote.valid_until)}" if row.expired else short_date(quote.valid_until)
