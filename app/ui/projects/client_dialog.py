"""A client's details and contacts: one dialog for File › New client… and for a client's details.

Each field is saved when left, each contact cell when typed (validated: a bad email is
refused on the cell), Add / Delete / Set as main, all undoable on the dialog's stack.
A new client is created with *Create client*; its contacts can be added from then on.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import master_data
from app.services.projects.clients import CLIENTS, CONTACTS, ONE_MAIN
from app.services.storage.database import Database
from app.services.values import InputError
from app.ui.field_table import CallCommand, FieldTableModel, RecordEditorDialog
from app.ui.projects.form import RecordForm

MAIN = CONTACTS.fields.index(CONTACTS.field_by_key["is_main"])


class ContactsModel(FieldTableModel):
    """A client's contacts, one column per field; Main is a check box (checking one makes it the main)."""

    def __init__(self, dialog: ClientDialog) -> None:
        super().__init__(CONTACTS.fields, {f.key: f.tip for f in CONTACTS.fields if f.tip}, [], dialog)
        self.dialog = dialog

    def cell_text(self, key: str, value: Any) -> str:
        return "" if key == "is_main" else CONTACTS.field_by_key[key].format(value)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == MAIN:
            return (flags & ~Qt.ItemFlag.ItemIsEditable) | Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if index.isValid() and index.column() == MAIN and 0 <= index.row() < len(self.rows):
            if role == Qt.ItemDataRole.CheckStateRole:
                main = self.rows[index.row()].values.get("is_main")
                return Qt.CheckState.Checked if main else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        return super().data(index, role)

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return False
        row = self.rows[index.row()]
        if index.column() == MAIN and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            return self.dialog.set_main(row.id, checked)
        if role != Qt.ItemDataRole.EditRole:
            return False
        key = self.key_at(index)
        return self.dialog.edit_contact(row.id, key, value, row.values.get(key))


def _copies(rows: list[master_data.RecordRow], row_id: uuid.UUID) -> list[master_data.RecordRow]:
    """The row as shown, copied: a save moves the copy's version, the model's rows change on reload."""
    return [master_data.RecordRow(r.id, r.version, dict(r.values)) for r in rows if r.id == row_id]


class ClientDialog(RecordEditorDialog):
    """Non-modal: open() it. ``client_id`` None is a new client, created by *Create client*.

    The contacts table is a record editor's (Add and Delete as undoable commands, the selected
    contact kept through reloads); the client's own fields sit above it as a form.
    """

    noun = "contact"
    saved = Signal(object)  # the client's id, after any saved change (the navigator follows)
    pageRequested = Signal(object)  # Client page clicked: the client's id (View › Client page shows it)

    def __init__(
        self, db: Database, client_id: uuid.UUID | None, stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(db, "contact", parent)
        self.setObjectName("clientDialog")
        self.client_id = client_id
        self.undo_stack = stack  # the Project menu's: Edit › Undo reaches these edits too
        self.resize(780, 560)
        self.contacts = ContactsModel(self)
        self.place_table(self.contacts, 0)
        self.form = RecordForm(CLIENTS, db, self.run, self._report, self)
        details = QFormLayout()
        details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        details.addRow("&Name:", self.form.line("name", "Company or organisation"))
        details.addRow("&Industry:", self.form.line("industry", "e.g. Medical devices"))
        details.addRow("&Billing address:", self.form.notes("billing_address", 3))
        details.addRow("N&otes:", self.form.notes("notes", 3))

        header = self.table.horizontalHeader()
        for column in range(1, len(CONTACTS.fields)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MAIN, QHeaderView.ResizeMode.ResizeToContents)
        self.main_button = QPushButton("Set as main", self)
        self.main_button.setObjectName("contactMainButton")
        self.main_button.setToolTip("Make the selected contact the one the quote is addressed to")
        self.hint = QLabel("Create the client to add its contacts.", self)
        self.hint.setObjectName("contactsHint")
        self.buttons.insertWidget(2, self.main_button)
        self.buttons.insertWidget(3, self.hint)
        group = QGroupBox("Contacts", self)
        group_layout = QVBoxLayout(group)
        group_layout.addWidget(self.table)
        group_layout.addLayout(self.buttons)

        self.create_button = QPushButton("Create client", self)
        self.create_button.setObjectName("clientCreateButton")
        self.close_button = QPushButton("Close", self)
        self.close_button.setObjectName("clientCloseButton")
        self.page_button = QPushButton("Client page", self)
        self.page_button.setObjectName("clientPageButton")
        self.page_button.setToolTip("The client's projects, quotes sent and figures (View › Client page)")
        bottom = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(details)
        layout.addWidget(group, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)

        self.main_button.clicked.connect(self._on_main_clicked)
        self.create_button.clicked.connect(self._on_create_clicked)
        self.close_button.clicked.connect(self.close)
        self.page_button.clicked.connect(lambda: self.pageRequested.emit(self.client_id))
        buttons = (self.add_button, self.delete_button, self.main_button, self.close_button, self.page_button)
        for pushed in buttons:
            pushed.setAutoDefault(False)  # Return in a field saves it; it clicks nothing (but Create)
        self.start(self.table)
        # Undo and Redo of the whole dialog at the bottom left, Create and Close at the right.
        for button in (self.undo_button, self.redo_button):
            self.buttons.removeWidget(button)
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(self.page_button)
        bottom.addWidget(self.create_button)
        bottom.addWidget(self.close_button)

    # -- the record editor's hooks ---------------------------------------------------------------

    def load_rows(self) -> list[master_data.RecordRow]:
        row = None
        if self.client_id is not None:
            try:
                row = master_data.load_one(self.db, CLIENTS, self.client_id)
            except InputError as gone:
                self.message.setText(str(gone))
        self.form.show_row(row)
        created = row is not None
        self.setWindowTitle(f"Client — {row.values['name']}" if row else "New client")
        self.create_button.setVisible(not created)
        self.page_button.setEnabled(created)
        self.create_button.setDefault(not created)
        self.create_button.setAutoDefault(not created)
        self.hint.setVisible(not created)
        self.add_button.setEnabled(created)
        self.table.setEnabled(created)
        return master_data.load(self.db, CONTACTS, self.client_id) if created else []

    def add_record(self, name: str) -> uuid.UUID:
        assert self.client_id is not None
        return master_data.add(self.db, CONTACTS, name, owner=self.client_id)

    def delete_record(self, record_id: uuid.UUID, version: int | None = None) -> None:
        master_data.delete(self.db, CONTACTS, record_id, version)

    def restore_record(self, record_id: uuid.UUID) -> None:
        master_data.restore(self.db, CONTACTS, record_id)

    def delete_question(self, row: master_data.RecordRow) -> str:
        return f"Delete the contact {row.values['name']}? You can undo this."

    def shown(self) -> None:
        super().shown()
        self.main_button.setEnabled(self.current() is not None)

    def announce(self) -> None:
        if self.client_id is not None:
            self.saved.emit(self.client_id)

    # -- contacts --------------------------------------------------------------------------------

    def _contact(self, contact_id: uuid.UUID, first: list[master_data.RecordRow]) -> master_data.RecordRow:
        return first.pop() if first else master_data.load_one(self.db, CONTACTS, contact_id)

    def edit_contact(self, contact_id: uuid.UUID, key: str, value: Any, old: Any) -> bool:
        seen = _copies(self.contacts.rows, contact_id)
        title = CONTACTS.field_by_key[key].title.lower()
        return self.run(
            CallCommand(
                f"Edit contact {title}",
                lambda: master_data.save_edit(self.db, CONTACTS, self._contact(contact_id, seen), key, value),
                lambda: master_data.save_edit(
                    self.db, CONTACTS, self._contact(contact_id, []), key, "" if old is None else old
                ),
            )
        )

    def set_main(self, contact_id: uuid.UUID, checked: bool = True) -> bool:
        """Make a contact the main one (undo makes the one before main again)."""
        if not checked:
            self._report(ONE_MAIN)
            return False
        before = next((r.id for r in self.contacts.rows if r.values.get("is_main")), None)
        if before == contact_id:
            return False
        seen = _copies(self.contacts.rows, contact_id)

        def make_main(which: uuid.UUID | None, first: list[master_data.RecordRow]) -> None:
            if which is not None:
                master_data.save_edit(self.db, CONTACTS, self._contact(which, first), "is_main", True)

        return self.run(
            CallCommand(
                "Set main contact", lambda: make_main(contact_id, seen), lambda: make_main(before, [])
            )
        )

    def _on_main_clicked(self) -> None:
        row = self.current()
        if row is not None:
            self.set_main(row.id)

    def _on_create_clicked(self) -> None:
        made = self.form.create()
        if made is not None:
            self.client_id = made
