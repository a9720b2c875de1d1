"""The pipeline as a sortable table: one row per card the filters keep, every column sortable.

Sorting is the service's (:func:`app.services.pipeline.board.sorted_cards`: cards without a value
last either way). In the AM's view the margin column is not there at all; no role of any cell
carries a cost or a margin (the project id role is an id).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.pipeline.board import Card, sorted_cards
from app.ui.pipeline.cells import cell, columns_for, tooltip

PROJECT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STALE_BRUSH = QBrush(QColor("#b45309"))
WARNING_BRUSH = QBrush(QColor("#fde68a"))
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class PipelineTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.pm_view = False
        self.columns = columns_for(False)
        self.currency = "USD"
        self.today = date.today()
        self._cards: list[Card] = []
        self._sort: tuple[str, bool] | None = None

    def set_cards(self, cards: Sequence[Card], currency: str, today: date, pm_view: bool) -> None:
        self.beginResetModel()
        self.currency, self.today, self.pm_view = currency, today, pm_view
        self.columns = columns_for(pm_view)
        self._cards = list(cards)
        if self._sort is not None and any(c.key == self._sort[0] for c in self.columns):
            self._cards = sorted_cards(self._cards, *self._sort)
        self.endResetModel()

    def card_at(self, row: int) -> Card:
        return self._cards[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._cards)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[section].right:
                return RIGHT
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            not index.isValid()
            or not 0 <= index.row() < len(self._cards)
            or index.column() >= len(self.columns)
        ):
            return None
        card, column = self._cards[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(card, column.key, self.currency, self.today)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(card, self.currency, self.today, self.pm_view)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "last_activity" and card.stale:
            return STALE_BRUSH
        if role == Qt.ItemDataRole.BackgroundRole and column.key == "project" and card.warning:
            return WARNING_BRUSH
        if role == PROJECT_ID_ROLE:
            return str(card.project_id)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (self.columns[column].key, order == Qt.SortOrder.DescendingOrder)
        old_ids = [c.project_id for c in self._cards]
        self._cards = sorted_cards(self._cards, *self._sort)
        after = {c.project_id: i for i, c in enumerate(self._cards)}
        for old in self.persistentIndexList():
            if old.isValid():
                self.changePersistentIndex(old, self.index(after[old_ids[old.row()]], old.column()))
        self.layoutChanged.emit()
