"""Shortages: a list of the equipment jobs are short of (item, job, days, short by, how firmly the
job holds), for the open estimate (Estimate › Shortages) or every job (View › Shortages), with
*Sub-rent the shortage…* on the row chosen (internal: never client-facing)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.equipment.shortages import Shortage
from app.services.projects.dates import format_day
from app.ui.crew.staffing_model import SHORT
from app.ui.widgets import record_table

HEADERS = ("Item", "Project", "Days", "Short by", "Held")
_SHORT_BY = 3
_NOTHING_SHORT = "Nothing is short: the stock covers every job's equipment over its days."


class ShortagesModel(QAbstractTableModel):
    """One row per item a job is short of; the explanation as the row's tooltip."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Shortage] = []

    def set_shortages(self, shortages: list[Shortage]) -> None:
        self.beginResetModel()
        self._rows = list(shortages)
        self.endResetModel()

    def shortage(self, row: int) -> Shortage:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        shortage, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            days = format_day(shortage.first)
            if shortage.last != shortage.first:
                days += f" – {format_day(shortage.last)}"
            return (shortage.item_name, shortage.project_name, days, shortage.short, shortage.hold)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return shortage.availability.explain()
        if role == Qt.ItemDataRole.BackgroundRole and column == _SHORT_BY:
            return QBrush(SHORT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == _SHORT_BY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ShortagesDialog(QDialog):
    """The list and its one action; ``subRentRequested`` carries the row's Shortage."""

    subRentRequested = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortagesDialog")
        self.setWindowTitle(title)
        self.model = ShortagesModel(self)
        self.view = record_table(self.model, "shortagesTable", 0, self)
        self.empty = QLabel(_NOTHING_SHORT, self)
        self.empty.setObjectName("shortagesEmpty")
        self.subrent_button = QPushButton("Sub-rent the shortage…", self)
        self.subrent_button.setObjectName("shortagesSubRent")
        self.subrent_button.clicked.connect(self._request)
        self.view.doubleClicked.connect(lambda _index: self._request())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.subrent_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update())
        self.resize(900, 360)

    def reading(self) -> None:
        """Said while the list is being read (every job's, on the thread pool)."""
        self.empty.setText("Reading every job's equipment…")
        self.empty.show()

    def set_shortages(self, shortages: list[Shortage]) -> None:
        self.empty.setText(_NOTHING_SHORT)
        self.model.set_shortages(shortages)
        if shortages:
            self.view.selectRow(0)
        self.view.resizeColumnsToContents()
        self._update()

    def current(self) -> Shortage | None:
        index = self.view.currentIndex()
        return self.model.shortage(index.row()) if index.isValid() else None

    def _update(self) -> None:
        self.empty.setVisible(self.model.rowCount() == 0)
        self.subrent_button.setEnabled(self.current() is not None)

    def _request(self) -> None:
        shortage = self.current()
        if shortage is not None:
            self.subRentRequested.emit(shortage)
