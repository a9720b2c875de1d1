"""Small pieces several windows build the same way: a refusal message, a table of records, actions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    Qt,
)
from PySide6.QtGui import QAction, QBrush, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QStatusBar,
    QTableView,
    QToolBar,
    QWidget,
)

ERROR_STYLE = "QLabel { color: #b91c1c; }"
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def error_label(object_name: str, parent: QWidget | None = None) -> QLabel:
    """A red, word-wrapped line that says why a value was refused (empty until then)."""
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def record_table(model: QAbstractItemModel, object_name: str, stretch_column: int,
                 parent: QWidget | None = None) -> QTableView:
    """A table of records edited one at a time: whole rows selected, one column takes the spare width,
    spreadsheet keys (app.ui.grid_keys)."""
    from app.ui.grid_keys import GridTable

    table = GridTable(parent)
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().hide()
    return table


class TitledModel(QAbstractTableModel):
    """A table model whose columns are ``titles``: its column count and horizontal headers."""

    titles: Sequence[str] = ()

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.titles[section] if 0 <= section < len(self.titles) else None
        return None


class RowsModel(TitledModel):
    """Read-only rows under ``headers``, each shown as ``cells(row)``; ``right`` columns are figures;
    ``flag(row)`` is the row's tooltip, and a row with one has its ``flag_column`` in ``flag_brush``."""

    def __init__(
        self,
        headers: Sequence[str],
        cells: Callable[[Any], Sequence[str]],
        right: set[int],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.titles, self.cells, self.right = tuple(headers), cells, right
        self.flag: Callable[[Any], str] = lambda _row: ""
        self.flag_column = -1
        self.flag_brush: QBrush | None = None
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(row)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.right:
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.flag(row) or None
        if role == Qt.ItemDataRole.BackgroundRole and column == self.flag_column and self.flag(row):
            return self.flag_brush
        return None


def redo_shortcuts(platform: Sequence[QKeySequence] | None = None) -> list[QKeySequence]:
    """Ctrl+Shift+Z and Ctrl+Y on every platform, and the platform's own Redo keys, each once.

    QKeySequence.StandardKey.Redo is already Ctrl+Shift+Z on GNOME and KDE (and Ctrl+Y on Windows):
    given beside it, one key is the action's twice and Qt refuses it ("Ambiguous shortcut overload").
    ``platform``: the platform's Redo keys (tests give another platform's).
    """
    if platform is None:
        platform = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    keys: list[QKeySequence] = []
    for key in (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"), *platform):
        if not key.isEmpty() and key not in keys:
            keys.append(key)
    return keys


def window_action(window: QWidget, text: str, name: str, slot: Callable[[], Any],
                  shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                  tip: str = "") -> QAction:
    """An action of the main window: named (tests find it), with its shortcut and tip, added to it."""
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def add_actions(menu: QMenu | QToolBar, actions: Iterable[QAction | None]) -> None:
    """Fill a menu (or a toolbar) in order; None is a separator."""
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)


def status_label(bar: QStatusBar, object_name: str) -> QLabel:
    """A label kept at the right of a window's status bar (presence, share, database)."""
    label = QLabel(bar)
    label.setObjectName(object_name)
    bar.addPermanentWidget(label)
    return label


def context_menu(widget: QWidget, actions: Callable[[QPoint], Iterable[QAction | None]]) -> None:
    """A right-click on ``widget`` pops up a menu of the window's own actions (the same QActions as
    the menu bar's: their shortcuts, enabled states and slots), ``actions(pos)`` choosing which for
    the place clicked (a scroll area's ``pos`` is in its viewport's coordinates). None: a separator."""
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        chosen = list(actions(pos))
        while chosen and chosen[-1] is None:
            chosen.pop()
        if not any(chosen):
            return
        menu = QMenu(widget)
        menu.setObjectName("contextMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        add_actions(menu, chosen)
        area = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
        menu.popup(area.mapToGlobal(pos))

    widget.customContextMenuRequested.connect(show)


# -- the user's settings ---------------------------------------------------------------------------


def stored_text(settings: QSettings | None, key: str) -> str | None:
    """A text the user's settings hold, or None (none kept, or no settings in a test)."""
    value = settings.value(key) if settings is not None else None
    return str(value) if value else None


def store_text(settings: QSettings | None, key: str, value: str) -> None:
    if settings is not None:
        settings.setValue(key, value)


def restore_window(window: QMainWindow, settings: QSettings | None) -> None:
    """The window's size, place, docks and toolbars as the user left them."""
    if settings is None:
        return
    geometry = settings.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = settings.value("window/state")
    if state is not None:
        window.restoreState(state)


def save_window(window: QMainWindow, settings: QSettings | None) -> None:
    if settings is not None:
        settings.setValue("window/geometry", window.saveGeometry())
        settings.setValue("window/state", window.saveState())
        settings.sync()
