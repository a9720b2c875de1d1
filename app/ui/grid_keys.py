"""Spreadsheet keys in every grid: the one way a cell editor commits and the cursor moves on.

Tab / Shift+Tab commit and open the next / previous *editable* cell, wrapping to the next /
previous row (on the last one a grid may add a row: :attr:`GridKeys.append_row`); Enter commits and
moves down, Shift+Enter up (also when no cell is open); a refused value (:meth:`GridKeys.refused`)
keeps the cursor on its cell; Esc leaves the cell as it was; F2 or typing
starts editing; the arrow keys move, Left and Right from cell to cell. The production and client
panes, the parameters table and every master-data editor's table are a :class:`GridTree` or a
:class:`GridTable`.

Qt's own Tab in a tree view goes down a row, not across, and its Enter commits in place, through
a queued call (the next key may come first). Here the keys are taken from the open
editor (before its delegate sees them) and the commit and the move are done at once, in order:
the delegate's own ``commitData`` and ``closeEditor`` signals (what IdleReload waits for), then
the move.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QPlainTextEdit,
    QTableView,
    QTextEdit,
    QTreeView,
    QWidget,
)

Hint = QAbstractItemDelegate.EndEditHint
EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


class Move(enum.Enum):
    NEXT = "next"  # Tab: the next editable cell, its editor open
    PREVIOUS = "previous"  # Shift+Tab
    DOWN = "down"  # Enter: the cell below, selected
    UP = "up"  # Shift+Enter


def move_for(event: QKeyEvent, multiline: bool = False) -> Move | None:
    """The move a key asks for in an open cell (None: the editor's own key). In notes on several
    lines Enter is a new line (Ctrl+Enter saves there, see NotesEditor)."""
    key, modifiers = event.key(), event.modifiers()
    if modifiers & _COMMAND_MODIFIERS:
        return None
    shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
    if key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and shift):
        return Move.PREVIOUS
    if key == Qt.Key.Key_Tab:
        return Move.NEXT
    if key in _ENTER and not multiline:
        return Move.UP if shift else Move.DOWN
    return None


_HINTS = {Move.NEXT: Hint.EditNextItem, Move.PREVIOUS: Hint.EditPreviousItem}


class _EditorKeys(QObject):
    """On an open cell editor (and the line edit inside a combo box): its Tab and Enter go to the view."""

    def __init__(self, view: GridKeys, editor: QWidget, index: QModelIndex) -> None:
        super().__init__(editor)
        self._view = view
        self._editor = editor
        self._index = QPersistentModelIndex(index)
        self._multiline = isinstance(editor, (QPlainTextEdit, QTextEdit))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            popup = isinstance(self._editor, QComboBox) and self._editor.view().isVisible()
            move = None if popup else move_for(event, self._multiline)
            if move is not None:
                self._view.commit_and_move(self._editor, self._index, move)
                return True
        return False


class GridKeys:
    """What a grid view adds to QTreeView / QTableView (mixed in before it; see the module's doc).

    ``append_row(index)`` (optional): called by Tab past the last editable cell of the last row
    with that cell; it adds a row and returns the cell to edit next (or an invalid index).
    """

    append_row: Callable[[QModelIndex], QModelIndex] | None = None
    _pending: tuple[Move, QPersistentModelIndex] | None = None
    _stay = False

    def setup_grid_keys(self) -> None:
        view = self.as_view()
        view.setEditTriggers(EDIT_TRIGGERS)

    def as_view(self) -> QAbstractItemView:
        assert isinstance(self, QAbstractItemView)
        return self

    # -- the open editor -------------------------------------------------------------------

    def edit(
        self,
        index: QModelIndex | QPersistentModelIndex,
        trigger: QAbstractItemView.EditTrigger = QAbstractItemView.EditTrigger.AllEditTriggers,
        event: QEvent | None = None,
    ) -> bool:
        view = self.as_view()
        opened = QAbstractItemView.edit(view, index, trigger, event)  # type: ignore[call-overload]
        if opened:
            editor = view.indexWidget(QModelIndex(index))
            if editor is not None and editor.property("gridKeys") is None:
                editor.setProperty("gridKeys", True)
                keys = _EditorKeys(self, editor, QModelIndex(index))
                # Installed after the delegate's filter, so it sees the keys first.
                editor.installEventFilter(keys)
                line = editor.lineEdit() if isinstance(editor, QComboBox) else None
                if line is not None:
                    line.installEventFilter(keys)
        return bool(opened)

    def refused(self, *_args: object) -> None:
        """The value being saved was refused (its reason shown at the cell): the cursor stays on it."""
        self._stay = True

    def commit_and_move(self, editor: QWidget, index: QPersistentModelIndex, move: Move) -> None:
        """Save the editor's value, close it, then move (Tab also opens the next cell's editor)."""
        view = self.as_view()
        delegate = view.itemDelegateForIndex(QModelIndex(index)) or view.itemDelegate()
        self._pending, self._stay = (move, index), False
        delegate.commitData.emit(editor)
        delegate.closeEditor.emit(editor, _HINTS.get(move, Hint.SubmitModelCache))

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        view = self.as_view()
        pending, self._pending = self._pending, None
        stay, self._stay = self._stay, False
        if pending is None and hint in (Hint.EditNextItem, Hint.EditPreviousItem):
            pending = (
                Move.NEXT if hint == Hint.EditNextItem else Move.PREVIOUS,
                QPersistentModelIndex(view.currentIndex()),
            )
        if pending is None:
            QAbstractItemView.closeEditor(view, editor, hint)
            return
        QAbstractItemView.closeEditor(
            view, editor, Hint.SubmitModelCache if hint == Hint.SubmitModelCache else Hint.NoHint
        )
        if stay:
            view.setCurrentIndex(QModelIndex(pending[1]))
        else:
            self.move_from(QModelIndex(pending[1]), pending[0])

    # -- moving ----------------------------------------------------------------------------------

    def move_from(self, origin: QModelIndex, move: Move) -> None:
        if not origin.isValid():
            return
        view = self.as_view()
        if move in (Move.DOWN, Move.UP):
            target = self.row_step(origin, 1 if move is Move.DOWN else -1)
            if target.isValid():
                view.setCurrentIndex(target)
                view.scrollTo(target)
            return
        target = self.editable_cell(origin, 1 if move is Move.NEXT else -1)
        if not target.isValid() and move is Move.NEXT and self.append_row is not None:
            target = self.append_row(origin)
        if target.isValid():
            view.setCurrentIndex(target)
            view.scrollTo(target)
            self.edit(target)

    def columns(self) -> list[int]:
        """The shown columns, in the order they are shown."""
        header = self.header_view()
        return [
            header.logicalIndex(v)
            for v in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(v))
        ]

    def header_view(self) -> QHeaderView:
        raise NotImplementedError

    def row_step(self, index: QModelIndex, step: int) -> QModelIndex:
        """The same column, one shown row down (step 1) or up (-1); invalid past the end."""
        raise NotImplementedError

    def editable_cell(self, origin: QModelIndex, step: int) -> QModelIndex:
        """The next (step 1) or previous (-1) editable cell after ``origin``, row by row."""
        columns = self.columns()
        if origin.column() not in columns:
            return QModelIndex()
        position, row = columns.index(origin.column()), origin
        while True:
            position += step
            if not 0 <= position < len(columns):
                row = self.row_step(row, step)
                if not row.isValid():
                    return QModelIndex()
                position = 0 if step > 0 else len(columns) - 1
            cell = row.siblingAtColumn(columns[position])
            if cell.isValid() and cell.flags() & Qt.ItemFlag.ItemIsEditable:
                return cell

    # -- keys on the view itself (no cell open) -------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        view = self.as_view()
        if event.key() in _ENTER and view.state() != QAbstractItemView.State.EditingState:
            move = move_for(event)
            if move is not None and view.currentIndex().isValid():
                self.move_from(view.currentIndex(), move)
                event.accept()
                return
        super().keyPressEvent(event)  # type: ignore[misc]


class GridTree(GridKeys, QTreeView):
    """A tree (sections and their lines) with spreadsheet keys; Left and Right go from cell to cell."""

    def __init__(self, parent: QWidget | None = None) -> None:
        QTreeView.__init__(self, parent)
        self.setup_grid_keys()

    def header_view(self) -> QHeaderView:
        return self.header()

    def row_step(self, index: QModelIndex, step: int) -> QModelIndex:
        row = self.indexBelow(index) if step > 0 else self.indexAbove(index)
        return row.siblingAtColumn(index.column()) if row.isValid() else QModelIndex()

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        current = self.currentIndex()
        left, right = QAbstractItemView.CursorAction.MoveLeft, QAbstractItemView.CursorAction.MoveRight
        if current.isValid() and action in (left, right):
            columns = self.columns()
            if current.column() in columns:
                position = columns.index(current.column()) + (1 if action == right else -1)
                if 0 <= position < len(columns):
                    return current.siblingAtColumn(columns[position])
                if action == right:
                    return current
        return super().moveCursor(action, modifiers)


class GridTable(GridKeys, QTableView):
    """A table with spreadsheet keys."""

    def __init__(self, parent: QWidget | None = None) -> None:
        QTableView.__init__(self, parent)
        self.setup_grid_keys()

    def header_view(self) -> QHeaderView:
        return self.horizontalHeader()

    def row_step(self, index: QModelIndex, step: int) -> QModelIndex:
        row, count = index.row() + step, self.model().rowCount(index.parent())
        while 0 <= row < count and self.isRowHidden(row):
            row += step
        return index.sibling(row, index.column()) if 0 <= row < count else QModelIndex()
