"""Project › Brief… (the AM writes it) and View › Brief (the PM reads it beside the estimate).

The editor is a form of plain text boxes and the budget the client mentioned (exact money, read
by the app's number parser). Save writes every field at once with the project's version check: a
refused field says why on the message line and nothing is written; someone else's change of the
project meanwhile is named and the form keeps what was typed. Each save is one step on the
editor's undo stack (its Undo/Redo buttons, Ctrl+Z inside it): the undo writes the brief as it
was, through the same check. ``saved`` tells the dock to read it again.

The dock shows the brief of the open estimate's project, read again when another estimate opens,
when a brief is saved here and when others' changes are shown.
"""

from __future__ import annotations

import html
import uuid
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.activities.brief import (
    BUDGET,
    BUDGET_LABEL,
    TEXT_FIELDS,
    Brief,
    budget_text,
    load_brief,
    save_brief,
)
from app.services.storage.database import Database
from app.services.storage.versioned import EditConflict
from app.services.values import InputError
from app.ui.field_table import EDIT_ERRORS, CallCommand, add_undo_buttons
from app.ui.widgets import error_label


def _camel(key: str) -> str:
    head, *rest = key.removeprefix("brief_").split("_")
    return head + "".join(part.capitalize() for part in rest)


class BriefDialog(QDialog):
    """The brief of one project; non-blocking (open() it)."""

    saved = Signal(object)  # the project's id

    def __init__(self, db: Database, project_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("briefDialog")
        self.db, self.project_id = db, project_id
        self.undo_stack = QUndoStack(self)
        self.resize(720, 640)
        self.boxes: dict[str, QPlainTextEdit] = {}
        form = QFormLayout()
        for key, label in TEXT_FIELDS:
            box = QPlainTextEdit(self)
            box.setObjectName(f"brief{_camel(key)[:1].upper()}{_camel(key)[1:]}")
            box.setTabChangesFocus(True)
            box.setMinimumHeight(56)
            form.addRow(f"{label}:", box)
            self.boxes[key] = box
        self.budget = QLineEdit(self)
        self.budget.setObjectName("briefBudget")
        self.budget.setPlaceholderText("e.g. 45,000 or 45k")
        form.addRow(f"{BUDGET_LABEL}:", self.budget)
        self.message = error_label("briefMessage", self)
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("briefSaveButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Close", self)
        close.setObjectName("briefCloseButton")
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        add_undo_buttons(self, self.undo_stack, "brief", buttons)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.brief = self.reload()

    def reload(self) -> Brief:
        """The brief as stored, in the form."""
        self.brief = load_brief(self.db, self.project_id)
        self.setWindowTitle(f"Brief — {self.brief.project_name}")
        self._fill(self.brief.values)
        return self.brief

    def _fill(self, values: dict[str, Any]) -> None:
        for key, box in self.boxes.items():
            box.setPlainText(str(values.get(key) or ""))
        self.budget.setText(budget_text(values.get(BUDGET)))

    def typed(self) -> dict[str, Any]:
        values: dict[str, Any] = {key: box.toPlainText() for key, box in self.boxes.items()}
        values[BUDGET] = self.budget.text()
        return values

    def save(self) -> bool:
        """Save what the form says: one undo step, or the reason on the message line."""
        before, after = dict(self.brief.values), self.typed()
        self.message.clear()
        try:
            self._write(after)
        except EditConflict:
            self.message.setText(
                "Someone else changed this project meanwhile; your brief was not saved. It is still in "
                "the form: Save again to keep it (Close and reopen shows theirs)."
            )
            self.brief = load_brief(self.db, self.project_id)  # the next Save checks against theirs
            return False
        except EDIT_ERRORS as error:
            self.message.setText(str(error))
            return False
        command = CallCommand(
            f"Edit brief of {self.brief.project_name}", lambda: self._step(after), lambda: self._step(before)
        )
        command.report = self.message.setText
        command.after = lambda: self._fill(self.brief.values)
        self.undo_stack.push(command)
        return True

    def _step(self, values: dict[str, Any]) -> None:
        """An undo or redo: the brief written back, unless someone changed the project since."""
        try:
            self._write(values)
        except EditConflict:
            self.reload()
            raise InputError("Someone else changed this project meanwhile; the form shows theirs.") from None

    def _write(self, values: dict[str, Any]) -> None:
        save_brief(self.db, self.project_id, self.brief.version, values)
        self.brief = load_brief(self.db, self.project_id)
        self.saved.emit(self.project_id)


def brief_html(brief: Brief | None, currency: str = "") -> str:
    """The brief as the dock shows it: each filled field under its heading; an empty brief says so."""
    if brief is None:
        return "<p style='color:#666'>Open an estimate: its project's brief shows here.</p>"
    parts = [f"<h3 style='margin:0'>{html.escape(brief.project_name)}</h3>"]
    if brief.is_empty():
        parts.append("<p style='color:#666'>No brief yet: the AM writes it in Project › Brief….</p>")
    budget = brief.values.get(BUDGET)
    if budget is not None:
        parts.append(f"<p><b>{BUDGET_LABEL}:</b> {html.escape(budget_text(budget, currency))}</p>")
    for key, label in TEXT_FIELDS:
        text = str(brief.values.get(key) or "")
        if text:
            body = html.escape(text).replace("\n", "<br>")
            parts.append(f"<p style='margin-bottom:2px'><b>{label}</b></p><p style='margin-top:0'>{body}</p>")
    return "".join(parts)


class BriefView(QTextBrowser):
    """The dock's contents: the open estimate's project's brief, read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("briefView")
        self.brief: Brief | None = None
        self.setOpenLinks(False)
        self.show_brief(None)

    def show_brief(self, brief: Brief | None, currency: str = "") -> None:
        self.brief = brief
        self.setHtml(brief_html(brief, currency))

    def read(self, db: Database | None, project_id: uuid.UUID | None, currency: str = "") -> None:
        """The brief of ``project_id`` as stored (none: the hint)."""
        if db is None or project_id is None:
            self.show_brief(None)
            return
        try:
            self.show_brief(load_brief(db, project_id), currency)
        except EDIT_ERRORS as error:
            self.setPlainText(str(error))
