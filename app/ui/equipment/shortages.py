"""Shortages: a list of the equipment jobs are short of (item, job, days, short by, how firmly the
job holds), for the open estimate (Estimate › Shortages) or every job (View › Shortages), with
*Sub-rent the shortage…* on the row chosen (internal: never client-facing)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.equipment.shortages import Shortage
from app.services.projects.dates import format_day
from app.ui.crew.staffing_model import SHORT
from app.ui.widgets import RowsModel, record_table

HEADERS = ("Item", "Project", "Days", "Short by", "Held")
_SHORT_BY = 3
_NOTHING_SHORT = "Nothing is short: the stock covers every job's equipment over its days."


def _cells(shortage: Shortage) -> tuple[Any, ...]:
    days = format_day(shortage.first)
    if shortage.last != shortage.first:
        days += f" – {format_day(shortage.last)}"
    return (shortage.item_name, shortage.project_name, days, shortage.short, shortage.hold)


class ShortagesModel(RowsModel):
    """One row per item a job is short of; the explanation as the row's tooltip."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(HEADERS, _cells, {_SHORT_BY}, parent)
        self.flag = lambda shortage: shortage.availability.explain()
        self.flag_column, self.flag_brush = _SHORT_BY, QBrush(SHORT)

    def set_shortages(self, shortages: list[Shortage]) -> None:
        self.set_rows(shortages)

    def shortage(self, row: int) -> Shortage:
        return self.row_at(row)  # type: ignore[no-any-return]


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
