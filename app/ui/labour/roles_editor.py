"""Edit → Roles…: crew roles with hourly and day rates, each cell validated and saved at once.

A non-blocking dialog over app.services.labour.roles; every change is an undoable command on the
dialog's own stack (Undo/Redo buttons, Ctrl+Z / Ctrl+Shift+Z while it has focus).
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from app.services.labour import roles
from app.services.labour.roles import ROLE_FIELDS, RoleRow
from app.services.storage.database import Database
from app.services.values import InputError
from app.ui.field_table import CallCommand, FieldTableModel, RecordEditorDialog

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


class RolesEditorDialog(RecordEditorDialog):
    """Non-modal: open() it. rolesChanged after every saved change (the estimate reprices)."""

    rolesChanged = Signal()
    noun = "role"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, "roles", parent)
        self.setWindowTitle("Roles")
        self.resize(720, 380)
        self.place_table(RolesModel(self), 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)
        layout.addWidget(self.message)
        self.start(self.table)

    # -- the records ---------------------------------------------------------------------

    def load_rows(self) -> list[RoleRow]:
        return roles.load_roles(self.db)

    def add_record(self, name: str) -> uuid.UUID:
        return roles.add_role(self.db, name)

    def delete_record(self, record_id: uuid.UUID, version: int | None = None) -> None:
        roles.delete_role(self.db, record_id, version)

    def restore_record(self, record_id: uuid.UUID) -> None:
        roles.restore_role(self.db, record_id)

    def delete_question(self, row: RoleRow) -> str:
        return f"Delete the role {row.values['name']}? Lines that use it keep their rates; you can undo this."

    def fresh(self, role_id: uuid.UUID) -> RoleRow:
        row = next((r for r in roles.load_roles(self.db) if r.id == role_id), None)
        if row is None:
            raise InputError("That role no longer exists.")
        return row

    def save(self, role_id: uuid.UUID, key: str, value: Any) -> None:
        """Write one field against the role as stored now (the version check is against that)."""
        row = next((r for r in self.model.rows if r.id == role_id), None) or self.fresh(role_id)
        roles.save_role_edit(self.db, row, key, value)

    # -- after a save ----------------------------------------------------------------------

    def after_save(self) -> None:
        # Said at once: later, it could come after (and over) the message of the next, refused, edit.
        warnings = [w for w in (roles.rate_warning(r.values) for r in roles.load_roles(self.db)) if w]
        self.message.setText("\n".join(warnings))

    def announce(self) -> None:
        self.rolesChanged.emit()
