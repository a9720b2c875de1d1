"""Cell editors: choice lists (kind, supplier, role; a supplier may be typed new), notes on several
lines, and a message on bad input. The production pane and the master-data editors share them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.ui.estimate.production_columns import CHOICES_ROLE, MULTILINE_ROLE, NEW_NAME_ROLE


class NewName(str):
    """A name typed into a choice list that is none of its choices (the model may offer to create it)."""


class NotesEditor(QPlainTextEdit):
    """Several lines in a cell: Enter is a new line, Ctrl+Enter (or Tab, or clicking away) saves."""

    def __init__(self, delegate: QStyledItemDelegate, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("notesEditor")
        self.setTabChangesFocus(True)
        self.setToolTip("Ctrl+Enter saves; Escape leaves the notes as they were.")
        self._delegate = delegate

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self._delegate.commitData.emit(self)
            self._delegate.closeEditor.emit(self, QStyledItemDelegate.EndEditHint.NoHint)
            return
        super().keyPressEvent(event)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box where the model offers choices (CHOICES_ROLE), typed into where a new name may
    be given (NEW_NAME_ROLE); several lines where the cell says so (MULTILINE_ROLE); a line edit
    elsewhere."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        if index.data(MULTILINE_ROLE):
            return NotesEditor(self, parent)
        choices = index.data(CHOICES_ROLE)
        if not choices:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setObjectName("choiceEditor")
        for label, value in choices:
            combo.addItem(label or "—", value)
        if index.data(NEW_NAME_ROLE):
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.setCompleter(None)
            # What was typed, read at the commit (Enter may first reset the box's own text).
            combo.lineEdit().textEdited.connect(lambda text: combo.setProperty("typed", text))
            combo.activated.connect(lambda _position: combo.setProperty("typed", None))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()
            return
        if isinstance(editor, QComboBox):
            position = editor.findData(index.data(Qt.ItemDataRole.EditRole))
            editor.setCurrentIndex(max(position, 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, QComboBox):
            model.setData(index, _combo_value(editor), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


def _combo_value(combo: QComboBox) -> Any:
    """The picked choice's value; in a list typed into, a typed name: its choice, or a NewName."""
    typed_property = combo.property("typed") if combo.isEditable() else None
    if typed_property is None:
        return combo.currentData()
    typed = str(typed_property).strip()
    if typed in ("", "—"):
        return ""
    for position in range(combo.count()):
        if combo.itemText(position).casefold() == typed.casefold():
            return combo.itemData(position)
    return NewName(typed)


class CellMessage(QLabel):
    """A small red note pinned under a cell, saying why a value was refused."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view.viewport())
        self.setObjectName("cellMessage")
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel { background: #fef2f2; color: #991b1b; border: 1px solid #f87171;"
            " border-radius: 3px; padding: 3px 6px; }"
        )
        self._view = view
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_for(self, index: QModelIndex, message: str, timeout_ms: int = 6000) -> None:
        rect = self._view.visualRect(index)
        self.setText(message)
        self.setMaximumWidth(max(240, min(420, self._view.viewport().width() - 8)))
        self.adjustSize()
        x = min(max(rect.left(), 0), max(self._view.viewport().width() - self.width(), 0))
        y = rect.bottom() + 2
        if y + self.height() > self._view.viewport().height():
            y = max(rect.top() - self.height() - 2, 0)
        self.move(x, y)
        self.show()
        self.raise_()
        self._timer.start(timeout_ms)
