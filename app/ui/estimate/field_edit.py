"""A line edit bound to one estimate field: commits through the editor, shows why a value is refused."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from app.ui.estimate.editor import BusyMessage, EstimateEditor


class FieldEdit(QLineEdit):
    """Edits ``column`` of the open estimate; a refused value is put back and reported."""

    refused = Signal(str)

    def __init__(self, editor: EstimateEditor, column: str, show: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.column = column
        self._show = show
        self.setMaximumWidth(90)
        self.editingFinished.connect(self._on_editingFinished)
        self.refresh()

    def refresh(self) -> None:
        if not self.hasFocus() or not self.isModified():
            self.setText(self._show())
            self.setModified(False)

    def _on_editingFinished(self) -> None:
        if not self.isModified():
            return
        message = self.editor.edit_estimate(self.column, self.text())
        if isinstance(message, BusyMessage):
            # Busy, not wrong: keep what was typed so Enter tries again.
            self.setStyleSheet("QLineEdit { border: 1px solid #d97706; }")
            self.setToolTip(message)
            self.refused.emit(message)
            return
        self.setModified(False)
        if message:
            self.setStyleSheet("QLineEdit { border: 1px solid #dc2626; }")
            self.setToolTip(message)
            self.refused.emit(message)
        else:
            self.setStyleSheet("")
            self.setToolTip("")
        self.setText(self._show())
