"""The catalog: services the company sells, A→Z and filterable; pick one to add it as a line.

Typing a search picks its first match (Up and Down pick another), and Enter adds the row
picked; Enter on a row or a double-click adds that row; each time the panel is opened the
search starts empty.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import PriceBasis
from app.services.lookups import CatalogEntry
from app.services.money import format_money, format_percent

_HEADERS = ("Item", "Category", "Kind", "Unit", "Unit cost", "Sells at")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 20


def _sells_at(entry: CatalogEntry) -> str:
    if entry.price_basis is PriceBasis.UNIT_PRICE:
        return f"{format_money(entry.unit_price)} /{entry.unit}"
    if entry.price_basis is PriceBasis.MARGIN:
        return f"margin {format_percent(entry.margin_pct)}"
    return f"markup {format_percent(entry.markup_pct)}"


class CatalogTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[CatalogEntry] = []

    def set_entries(self, entries: list[CatalogEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _HEADERS[section] if 0 <= section < len(_HEADERS) else None
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.client_description or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            entry.name,
            entry.category,
            entry.kind.label,
            entry.unit,
            format_money(entry.unit_cost),
            _sells_at(entry),
        )[index.column()]


class CatalogPanel(QWidget):
    entryChosen = Signal(object)  # CatalogEntry

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogPanel")
        self.model = CatalogTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortLocaleAware(True)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("catalogFilter")
        self.filter.setPlaceholderText("Search the catalog…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter_textChanged)
        self.filter.returnPressed.connect(self._on_filter_returnPressed)
        self.filter.installEventFilter(self)
        self.view = QTableView(self)
        self.view.setObjectName("catalogView")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # A→Z by name (a header click re-sorts)
        self.view.doubleClicked.connect(self._on_view_doubleClicked)
        self.view.installEventFilter(self)
        self.add_button = QPushButton("Add to estimate", self)
        self.add_button.setObjectName("catalogAddButton")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.add_button)

    def set_entries(self, entries: list[CatalogEntry]) -> None:
        self.model.set_entries(entries)
        self.view.resizeColumnsToContents()

    def start_search(self) -> None:
        """Opened again: an empty search, nothing picked, typed into at once."""
        self._clear_search()
        self.filter.setFocus()

    def _clear_search(self) -> None:
        self.filter.clear()
        self.view.selectionModel().clear()

    def showEvent(self, event: QShowEvent) -> None:
        if not event.spontaneous():  # opened (not a window restored): the last search is over
            self._clear_search()
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if watched is self.view and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose(self.view.currentIndex())
            return True
        if watched is self.filter and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = min(max(self.view.currentIndex().row() + step, 0), self.proxy.rowCount() - 1)
            self._pick(row)
            return True
        return super().eventFilter(watched, event)

    def _pick(self, row: int) -> None:
        """Make ``row`` (of what the search shows) the current one, selected."""
        if 0 <= row < self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(row, 0))
            self.view.scrollTo(self.view.currentIndex())

    def _on_filter_textChanged(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if text:
            self._pick(0)

    def _choose(self, index: QModelIndex) -> None:
        if index.isValid():
            self.entryChosen.emit(index.data(ENTRY_ROLE))

    def _on_filter_returnPressed(self) -> None:
        self._choose(self.view.currentIndex())

    def _on_view_doubleClicked(self, index: QModelIndex) -> None:
        self._choose(index)

    def _on_add_button_clicked(self) -> None:
        self._choose(self.view.currentIndex())
