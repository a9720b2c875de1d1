"""Edit › Find (Ctrl+F): a small bar under the estimate's two panes; F3 / Shift+F3 go to the next /
previous match, which is selected in both panes. What is searched: app.services.estimate.find."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from app.services.estimate.document import Change, EstimateDocument
from app.services.estimate.find import Searchable, find_rows, next_match, searchable


class FindEdit(QLineEdit):
    """Enter finds the next match, Shift+Enter the previous; Escape closes the bar."""

    step = Signal(int)
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step.emit(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """Typing finds from the current row on; ``select(row_id)`` shows a match (the workspace's focus_row)."""

    def __init__(
        self,
        doc: EstimateDocument,
        current: Callable[[], uuid.UUID | None],
        select: Callable[[uuid.UUID], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.doc = doc
        self._current, self._select = current, select
        self.edit = FindEdit(self)
        self.edit.setObjectName("findEdit")
        self.edit.setPlaceholderText("Find descriptions, client wording, suppliers, roles…")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("findCount")
        self.previous_button = self._button(
            "▲", "findPreviousButton", "Previous match (Shift+F3)", lambda: self.find(-1)
        )
        self.next_button = self._button("▼", "findNextButton", "Next match (F3)", lambda: self.find(1))
        self.close_button = self._button("✕", "findCloseButton", "Close (Escape)", self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel("Find", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        for button in (self.previous_button, self.next_button, self.close_button):
            layout.addWidget(button)
        self.edit.textEdited.connect(lambda _text: self.find(0))
        self.edit.step.connect(self.find)
        self.edit.escaped.connect(self.close_bar)
        self.closed: Callable[[], None] = lambda: None
        self._rows: Searchable | None = None  # made at the first search after a change
        doc.subscribe(self._on_document_changed)
        self.hide()

    def detach(self) -> None:
        self.doc.unsubscribe(self._on_document_changed)

    def _on_document_changed(self, _change: Change) -> None:
        self._rows = None

    def _button(self, text: str, name: str, tip: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def open_bar(self) -> None:
        """Show the bar with its text selected, to type over or to press Enter on."""
        self.show()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed()

    def find(self, step: int) -> uuid.UUID | None:
        """Select the next (1) or previous (-1) match from the current row, or (0, while typing) the
        current row if it matches, else the next. Says which of how many; None when nothing matches."""
        if self._rows is None:
            self._rows = searchable(self.doc)
        matches = find_rows(self.doc, self.edit.text(), self._rows)
        current = self._current()
        if step == 0 and current in matches:
            found: uuid.UUID | None = current
        else:
            found = next_match(matches, [row_id for row_id, _words in self._rows], current, step or 1)
        if found is None:
            self.count.setText("No match" if self.edit.text().strip() else "")
            return None
        self._select(found)
        self.count.setText(f"{matches.index(found) + 1} of {len(matches)}")
        return found
