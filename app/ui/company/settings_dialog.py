"""*File › Company settings…*: the company's settings, each field saved as its editing finishes.

Every save is an undoable command on the dialog's own stack (Undo/Redo buttons, Ctrl+Z /
Ctrl+Shift+Z while it has focus); the undo saves the old value. A field someone else changed
since the dialog read it is not overwritten: the conflict is shown (theirs against mine), and
the user keeps theirs, keeps theirs' place for another edit, or writes theirs over.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.company.settings import COMPANY, load_company, save_field
from app.services.master_data import RecordRow
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.services.storage.versioned import ConcurrentEditError, EditConflict
from app.services.values import InputError
from app.ui.company.form import CompanyForm
from app.ui.estimate.editor import EDIT, KEEP_MINE, ConflictView
from app.ui.field_table import CallCommand, add_undo_buttons
from app.ui.widgets import error_label

_ERRORS = (InputError, StorageError, ConcurrentEditError)


class CompanySettingsDialog(QDialog):
    """Non-modal: open() it. ``saved`` after every change written (the open estimate may show it)."""

    saved = Signal()

    def __init__(self, dialogs: Any, db: Database, row: RecordRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companySettingsDialog")
        self.setWindowTitle("Company settings")
        self.dialogs = dialogs
        self.db = db
        self.row = row
        self.undo_stack = QUndoStack(self)
        self.form = CompanyForm(dialogs, self)
        self.form.set_values(row.values)
        self.message = error_label("companySettingsMessage", self)
        buttons = QHBoxLayout()
        self.undo_button, self.redo_button = add_undo_buttons(self, self.undo_stack, "companySettings",
                                                              buttons)
        hint = QLabel("Each change is saved when you leave its field.", self)
        hint.setStyleSheet("QLabel { color: #6b7280; }")
        buttons.addWidget(hint)
        buttons.addWidget(self.message, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addLayout(buttons)
        self.form.changed.connect(self._on_form_changed)
        self.form.edited.connect(self._on_form_edited)
        self.resize(980, 500)

    # -- showing what is stored ------------------------------------------------------------------

    def reload(self) -> None:
        """Show the settings as stored now; the field being typed into keeps what was typed."""
        row = load_company(self.db)
        if row is None:
            return
        self.row = row
        focused = self.focusWidget()
        for key in COMPANY.field_by_key:
            editor = self.form.editors.get(key)
            if editor is not None and editor is focused and self.form.text_of(key) != self._shown(key):
                continue
            self.form.set_value(key, row.values.get(key))

    def _shown(self, key: str) -> str:
        value = self.row.values.get(key)
        return value if isinstance(value, str) else COMPANY.field_by_key[key].format(value)

    # -- saving ----------------------------------------------------------------------------------

    def _on_form_changed(self, key: str) -> None:
        self.form.check(key)

    def _on_form_edited(self, key: str) -> None:
        if not self.form.check(key):
            return  # said beside the field; nothing is saved
        new = self.form.parsed(key)
        old = self.row.values.get(key)
        if new == old:
            self.form.set_value(key, old)  # "35%" shown as stored, "35"
            return
        self.run(key, self._command(key, new, old))

    def _command(self, key: str, new: Any, old: Any) -> CallCommand:
        title = COMPANY.field_by_key[key].title.replace(" %", "").lower()
        return CallCommand(f"Change {title}", lambda: self.write(key, new), lambda: self.write(key, old))

    def write(self, key: str, value: Any) -> None:
        """Save one setting against the settings as this dialog last read them (the version check)."""
        save_field(self.db, self.row, key, value)
        self.form.set_value(key, self.row.values.get(key))
        self.message.clear()

    def run(self, key: str, command: CallCommand) -> bool:
        """Do the command's first step now; push it only if that worked (a conflict is settled first)."""
        command.report = self._report
        command.after = self.saved.emit
        try:
            command._do()
        except EditConflict as conflict:
            return self._settle(key, conflict)
        except _ERRORS as error:
            self._report(str(error))
            return False
        self.undo_stack.push(command)
        self.saved.emit()
        return True

    def _settle(self, key: str, conflict: EditConflict) -> bool:
        """Someone else changed the settings since they were read: show theirs against mine, then
        keep mine (written over theirs, undoable), edit again, or take theirs."""
        spec = COMPANY.field_by_key[key]
        new = conflict.mine.get(key)
        typed = self.form.text_of(key)
        self.reload()  # everything as stored now
        theirs = self.row.values.get(key)
        shown = spec.format(theirs) or "—"
        view = ConflictView("The company settings", [(spec.title, spec.format(new) or "—", shown)],
                            conflict.deleted)
        choice = self.dialogs.resolve_conflict(self, view)
        if choice == KEEP_MINE:  # undone, theirs comes back
            return self.run(key, self._command(key, new, theirs))
        if choice == EDIT:
            self.form.set_value(key, typed)
            self.form.show_message(key, f"Someone else saved “{shown}” meanwhile; yours is still here to "
                                        "edit — press Enter to save it over theirs.")
            return False
        self.form.set_value(key, theirs)
        self.message.setText(f"{spec.title}: kept the value someone else saved.")
        self.saved.emit()
        return False

    def _report(self, message: str) -> None:
        self.message.setText(message)
        self.reload()
