"""View › Growth grid: clients × catalog categories, what each client bought on won work.

One row per client, one column per category in the company's order of sales (most sold first,
:func:`app.services.accounts.growth.growth_grid`); a cell is the value bought, or "never" where the
client has bought none of a category the company sells to others. The columns sort by value (a
click on a header), the filter keeps the clients whose name holds the text. It is sales value
only: no cost or margin, in the AM's view and the PM's alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.accounts.growth import GrowthGrid, growth_grid
from app.services.money import ZERO, format_money
from app.services.storage.database import Database
from app.ui.accounts.client_page_panel import NEVER
from app.ui.tasks import ViewRead
from app.ui.widgets import RIGHT

FIXED = ("Client", "Total bought")
NEVER_BRUSH = QBrush(QColor("#fff4e0"))
NEVER_TEXT = QBrush(QColor("#a0601a"))
CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class GrowthModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid = GrowthGrid((), {}, ())

    def set_grid(self, grid: GrowthGrid) -> None:
        self.beginResetModel()
        self.grid = grid
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.grid.clients)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(FIXED) + len(self.grid.categories)

    def category(self, column: int) -> str | None:
        n = column - len(FIXED)
        return self.grid.categories[n] if 0 <= n < len(self.grid.categories) else None

    def sort_key(self, row: int, column: int) -> Any:
        client = self.grid.clients[row]
        if column == 0:
            return (client.name.casefold(), client.name)
        if column == 1:
            return client.total
        category = self.category(column)
        return client.bought.get(category, ZERO - 1) if category is not None else ZERO  # never below 0

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        category = self.category(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return FIXED[section] if category is None else category
        if role == Qt.ItemDataRole.ToolTipRole and category is not None:
            rank = self.grid.categories.index(category) + 1
            total = format_money(self.grid.totals[category], self.grid.currency)
            return f"{category}: {total} sold on won work, the company's no. {rank}"
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.grid.clients):
            return None
        client, column = self.grid.clients[index.row()], index.column()
        category = self.category(column)
        bought = client.bought.get(category) if category is not None else None
        never = category is not None and bought is None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return client.name
            if column == 1:
                return format_money(client.total, self.grid.currency)
            return NEVER if never else format_money(bought, self.grid.currency)
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignCenter) if never else RIGHT
        if role == Qt.ItemDataRole.BackgroundRole and never:
            return NEVER_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and never:
            return NEVER_TEXT
        if role == Qt.ItemDataRole.ToolTipRole and never:
            return f"{client.name} has never bought {category}: one to suggest"
        if role == CLIENT_ID_ROLE:
            return str(client.client_id)
        return None


class GrowthFilter(QSortFilterProxyModel):
    """Sorts by value (never below nothing bought) and keeps the clients whose name holds the text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, GrowthModel)
        return not self.text or self.text in model.grid.clients[source_row].name.casefold()

    def lessThan(
        self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, GrowthModel)
        return bool(model.sort_key(left.row(), left.column()) < model.sort_key(right.row(), right.column()))


class GrowthPanel(QWidget):
    problem = Signal(str)
    loaded = Signal()
    clientActivated = Signal(object)  # the client double-clicked: its page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("growthPanel")
        self.db: Database | None = None
        self.read = ViewRead(self, lambda: (self.db,), self._work, self._shown, self._failed, self.refresh)
        self.model = GrowthModel(self)
        self.proxy = GrowthFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("growthFilter")
        self.filter.setPlaceholderText("Filter clients…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_text)
        self.summary = QLabel(self)
        self.summary.setObjectName("growthSummary")
        self.summary.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setObjectName("growthView")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setMinimumSectionSize(90)
        self.view.doubleClicked.connect(self._on_double_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.filter)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self.refresh()

    def refresh(self) -> None:
        db = self.db
        if db is None:
            self._show(GrowthGrid((), {}, ()))
            return
        self.read.request()

    def _work(self, target: tuple[Any, ...]) -> Callable[[], GrowthGrid]:
        (db,) = target
        return lambda: growth_grid(db)

    def is_loaded(self) -> bool:
        return not self.read.busy

    def _shown(self, grid: GrowthGrid) -> None:
        self._show(grid)
        self.loaded.emit()

    def _failed(self, message: str) -> None:
        self.problem.emit(message)
        self.loaded.emit()

    def _show(self, grid: GrowthGrid) -> None:
        self.model.set_grid(grid)
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(0, max(self.view.columnWidth(0), 200))
        if grid.categories:
            first = ", ".join(grid.categories[:3]) + ("…" if len(grid.categories) > 3 else "")
            self.summary.setText(
                f"What each client bought on won work, the company's most sold categories first "
                f"({first}); “never”: one to suggest."
            )
        else:
            self.summary.setText("No won work yet: nothing bought.")

    def _on_double_clicked(self, index: QModelIndex) -> None:
        self.clientActivated.emit(index.data(CLIENT_ID_ROLE))
