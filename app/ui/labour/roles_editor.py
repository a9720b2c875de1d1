"""Edit → Roles…: crew roles with hourly and day rates, each cell validated and saved at once.

A non-blocking dialog over app.services.labour.roles; every change is an undoable command on the
dialog's own stack (Undo/Redo buttons, Ctrl+Z / Ctrl+Shift+Z while it has focus).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.labour import roles
from app.services.labour.roles import ROLE_FIELDS, RoleRow
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.services.storage.versioned import ConcurrentEditError
from app.services.values import InputError
from app.ui.crew.editor import CallCommand, add_undo_buttons
from app.ui.field_table import FieldTableModel
from app.ui.idle_reload import IdleReload
from app.ui.widgets import error_label, record_table

_ERRORS = (InputError, StorageError, ConcurrentEditError)
_TIPS = {
    "cost_rate": "What we pay per person-hour.",
    "bill_rate": "What we charge per person-hour.",
    "day_cost_rate": "Flat pay per person per day for a labour line in unit \"day\" (empty: hourly only).",
    "day_bill_rate": "Flat charge per person per day for a labour line in unit \"day\" (empty: hourly only).",
}


class RolesModel(FieldTableModel):
    """Rows are roles, columns their fields; setData saves at once (through the dialog) or says why not."""

    def __init__(self, dialog: RolesEditorDialog) -> None:
        super().__init__(ROLE_FIELDS, _TIPS, [], dialog)
        self.dialog = dialog

    def cell_text(self, key: str, value: Any) -> str:
        return roles.format_role_value(value)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.isValid() and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self.rows[index.row()]
        key = ROLE_FIELDS[index.column()].key
        old = row.values.get(key)
        role_id = row.id
        return self.dialog.run(CallCommand(
            f"Edit {ROLE_FIELDS[index.column()].title.lower()}",
            lambda: self.dialog.save(role_id, key, value),
            lambda: self.dialog.save(role_id, key, "" if old is None else old),
        ))


class RolesEditorDialog(QDialog):
    """Non-modal: open() it. rolesChanged after every saved change (the estimate reprices)."""

    rolesChanged = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rolesEditor")
        self.setWindowTitle("Roles")
        self.resize(720, 380)
        self.db = db
        self.undo_stack = QUndoStack(self)
        self.model = RolesModel(self)
        self.table = record_table(self.model, "rolesTable", 0, self)
        self.message = error_label("rolesEditorMessage", self)
        self.add_button = QPushButton("Add role", self)
        self.add_button.setObjectName("rolesAddButton")
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("rolesDeleteButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        self.undo_button, self.redo_button = add_undo_buttons(self, self.undo_stack, "roles", buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.ask_name: Callable[[], str | None] = lambda: None
        self.confirm: Callable[[str], bool] = lambda _text: True
        self._keep: uuid.UUID | None = None
        self.rebuild = IdleReload(self._rebuild, lambda: (self.table,), self)
        self.reload()

    # -- state -----------------------------------------------------------------------------

    def reload(self, keep: uuid.UUID | None = None) -> None:
        """Show the roles as stored, ``keep`` (else the current role) selected; waits for an open cell."""
        self._keep = keep or self._keep
        self.rebuild.request()

    def _rebuild(self) -> None:
        keep, self._keep = self._keep or self.current_id(), None
        rows = roles.load_roles(self.db)
        self.model.set_rows(rows)
        for number, row in enumerate(rows):
            if row.id == keep:
                self.table.selectRow(number)
                break
        else:
            if rows:
                self.table.selectRow(0)
        self.delete_button.setEnabled(bool(rows))

    def current(self) -> RoleRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def current_id(self) -> uuid.UUID | None:
        row = self.current() if hasattr(self, "table") else None
        return row.id if row else None

    def fresh(self, role_id: uuid.UUID) -> RoleRow:
        row = next((r for r in roles.load_roles(self.db) if r.id == role_id), None)
        if row is None:
            raise InputError("That role no longer exists.")
        return row

    def save(self, role_id: uuid.UUID, key: str, value: Any) -> None:
        """Write one field against the role as stored now (the version check is against that)."""
        row = next((r for r in self.model.rows if r.id == role_id), None) or self.fresh(role_id)
        roles.save_role_edit(self.db, row, key, value)

    # -- running undoable changes ---------------------------------------------------------

    def run(self, command: CallCommand) -> bool:
        """Do the command's first step now; push it only if that worked."""
        command.report = self._report
        command.after = self._saved
        try:
            command._do()
        except _ERRORS as error:
            self._report(str(error))
            return False
        self.undo_stack.push(command)
        self._saved()
        return True

    def _saved(self) -> None:
        # Said at once: later, it could come after (and over) the message of the next, refused, edit.
        warnings = [w for w in (roles.rate_warning(r.values) for r in roles.load_roles(self.db)) if w]
        self.message.setText("\n".join(warnings))
        # The rebuild not from inside the save: a cell editor may still be committing into the table.
        QTimer.singleShot(0, self, self._changed)

    def _changed(self) -> None:
        self.reload()
        self.rolesChanged.emit()

    def _report(self, message: str) -> None:
        self.message.setText(message)
        QTimer.singleShot(0, self, self.reload)

    # -- slots ---------------------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        name = self.ask_name()
        if name is None:
            return
        created: dict[str, uuid.UUID] = {}

        def do() -> None:
            if "id" in created:
                roles.restore_role(self.db, created["id"])
            else:
                created["id"] = roles.add_role(self.db, name)
            self.reload(created["id"])

        def undo() -> None:
            roles.delete_role(self.db, created["id"])
            self.reload()

        self.run(CallCommand("Add role", do, undo))

    def _on_delete_button_clicked(self) -> None:
        row = self.current()
        if row is None or not self.confirm(f"Delete the role {row.values['name']}? Lines that use it keep "
                                           "their rates; you can undo this."):
            return
        role_id, seen = row.id, [row.version]

        def do() -> None:  # first time against the version shown; on redo, as stored now
            roles.delete_role(self.db, role_id, seen.pop() if seen else None)

        self.run(CallCommand("Delete role", do, lambda: roles.restore_role(self.db, role_id)))
