"""Driving the production and client panes the way a user does: keys into cells, clicks on rows."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget

from app.ui.estimate.production_columns import COLUMN_INDEX
from app.ui.estimate.workspace import EstimateWorkspace
from app.ui.main_window import MainWindow


def workspace(win: MainWindow) -> EstimateWorkspace:
    assert win.workspace is not None
    return win.workspace


def line_id(win: MainWindow, description: str) -> uuid.UUID:
    for line in workspace(win).doc.lines():
        if line.description == description:
            return line.id
    raise AssertionError(f"no line {description!r}")


def cell(win: MainWindow, row_id: uuid.UUID, column: str) -> QModelIndex:
    index = workspace(win).production_pane.model.index_for_id(row_id, COLUMN_INDEX[column])
    assert index.isValid()
    return index


def type_into_cell(qtbot: Any, view: QAbstractItemView, index: QModelIndex, text: str) -> None:
    """Select a cell, open its editor with F2, type over its text, press Enter."""
    finish_typing(qtbot, view, start_typing(qtbot, view, index, text))


def start_typing(qtbot: Any, view: QAbstractItemView, index: QModelIndex, text: str) -> QLineEdit:
    """Select a cell, open its editor with F2 and type over its text; the editor stays open."""
    view.setFocus()
    view.setCurrentIndex(index)
    view.scrollTo(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    return type_over(qtbot, open_editor(view), text)


def open_editor(view: QAbstractItemView) -> QLineEdit:
    """The one text editor open in a view's cells."""
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "the cell did not open one text editor"
    return editors[0]


def type_over(qtbot: Any, editor: QLineEdit, text: str) -> QLineEdit:
    editor.selectAll()
    if text:
        qtbot.keyClicks(editor, text)
    else:
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    return editor


def finish_typing(qtbot: Any, view: QAbstractItemView, editor: QLineEdit) -> None:
    """Enter in an open cell editor, and wait until it has closed."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    # A user's next key or click comes after the event loop has run (Qt's "a press closed the
    # editor" check, the reloads queued by the save); a test's comes at once unless let run.
    QApplication.processEvents()


def tab_to_next_cell(qtbot: Any, view: QAbstractItemView, editor: QLineEdit, text: str) -> QLineEdit:
    """Tab out of an open cell editor (which saves it) and type ``text`` into the next cell's."""
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    return type_over(qtbot, open_editor(view), text)


def still_typing(view: QAbstractItemView, editor: QLineEdit, text: str) -> bool:
    """The editor is still open in the view, holding what was typed (a model reset takes both)."""
    return (view.state() == QAbstractItemView.State.EditingState and editor.isVisible()
            and open_editor(view) is editor and editor.text() == text)


def click_row(qtbot: Any, view: QAbstractItemView, index: QModelIndex) -> None:
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def all_model_text(model: Any, roles: tuple[int, ...]) -> list[str]:
    """Every value a model gives for the roles, over every index, as text."""
    found: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                for role in roles:
                    value = index.data(role)
                    if value is not None:
                        found.append(str(value))
            walk(model.index(row, 0, parent))

    walk(QModelIndex())
    for column in range(model.columnCount()):
        header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if header is not None:
            found.append(str(header))
    return found


def send_drop(viewport: QWidget, mime: QMimeData, point: QPoint,
              actions: Qt.DropAction = Qt.DropAction.MoveAction) -> None:
    """A real drag's events, synthetic: enter and move (both must be accepted), then the drop."""
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(point, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted()
    drop = QDropEvent(QPointF(point), actions, mime, buttons, mods, QEvent.Type.Drop)
    QApplication.sendEvent(viewport, drop)
