"""Cell editors for the production pane: choice lists for kind, supplier and role; a message on bad input."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.ui.estimate.production_columns import CHOICES_ROLE


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box where the model offers choices (CHOICES_ROLE), a line edit elsewhere."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        choices = index.data(CHOICES_ROLE)
        if not choices:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setObjectName("choiceEditor")
        for label, value in choices:
            combo.addItem(label or "—", value)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            position = editor.findData(index.data(Qt.ItemDataRole.EditRole))
            editor.setCurrentIndex(max(position, 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


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
