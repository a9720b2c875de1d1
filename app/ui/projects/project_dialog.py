"""Project details…: client and contact, name, venue, the four days, AM and PM, labour rules, status,
win probability and decision date, notes.

One dialog for File › New project… (fields held until *Create project*) and for a project's
details (double-click it in the navigator, or Estimate › Project details…): each field is
saved when left, through the version check, and undoable. The client can be created right
here (*New client…*); the status moves along the lifecycle (Mark won asks which scenario).
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ProjectStatus
from app.services import master_data
from app.services.projects import lifecycle
from app.services.projects.clients import client_choices, contact_choices
from app.services.projects.details import PROJECTS, parse_id
from app.services.storage.database import Database
from app.services.values import InputError
from app.ui.dialogs import UserDialogs
from app.ui.field_table import EDIT_ERRORS, RecordEditorDialog, add_undo_buttons
from app.ui.projects.client_dialog import ClientDialog
from app.ui.projects.form import RecordForm
from app.ui.projects.status import VERBS, status_command
from app.ui.widgets import error_label

DAY_HINT = "e.g. 2027-03-08 or 8 Mar 2027"


class ProjectDialog(RecordEditorDialog):
    """Non-modal: open() it. ``project_id`` None is a new project (for ``client_id``, if given).

    A record editor without a table: its commands run (and undo) the same way, its fields are a form.
    """

    noun = "project"
    saved = Signal(object)  # the project's id, after any saved change

    def __init__(
        self,
        db: Database,
        project_id: uuid.UUID | None,
        stack: QUndoStack,
        dialogs: UserDialogs,
        parent: QWidget | None = None,
        client_id: uuid.UUID | None = None,
    ) -> None:
        super().__init__(db, "project", parent)
        self.setObjectName("projectDialog")
        self.project_id = project_id
        self.undo_stack = stack  # the Project menu's: Edit › Undo reaches these edits too
        self.message = error_label("projectDialogMessage", self)
        self.dialogs = dialogs
        self.client_dialog: ClientDialog | None = None
        self._client_for_new = client_id
        self.resize(660, 450)
        form = self.form = RecordForm(PROJECTS, db, self.run, self._report, self)

        self.client = form.choice("client_id")
        self.client.activated.connect(self._on_client_activated)
        self.new_client_button = QPushButton("New client…", self)
        self.new_client_button.setObjectName("projectNewClientButton")
        self.new_client_button.clicked.connect(self._on_new_client_clicked)
        client_row = QHBoxLayout()
        client_row.addWidget(self.client, 1)
        client_row.addWidget(self.new_client_button)
        self.contact = form.choice("contact_id")

        days = QGridLayout()
        self.load_in = form.line("start_date", DAY_HINT)
        self.show_start = form.line("show_start_date", DAY_HINT)
        self.show_end = form.line("show_end_date", DAY_HINT)
        self.strike = form.line("end_date", DAY_HINT)
        for column, (label, edit) in enumerate(
            (
                ("Load-in", self.load_in),
                ("Show starts", self.show_start),
                ("Show ends", self.show_end),
                ("Strike", self.strike),
            )
        ):
            caption = QLabel(label, self)
            caption.setBuddy(edit)
            days.addWidget(caption, 0, column)
            days.addWidget(edit, 1, column)

        people = QHBoxLayout()
        people.addWidget(form.line("account_manager", "Account manager"), 1)
        pm = QLabel("&PM:", self)
        pm.setBuddy(form.line("project_manager", "Project manager"))
        people.addWidget(pm)
        people.addWidget(form.widgets["project_manager"], 1)

        self.status = QComboBox(self)
        self.status.setObjectName("projectStatus")
        self.status.setToolTip(
            "Where the project is: lead → estimating → quoted → won → in production "
            "→ delivered, or lost / cancelled"
        )
        self.status.activated.connect(self._on_status_activated)
        self.status_note = QLabel(self)
        self.status_note.setObjectName("projectStatusNote")
        status_row = QHBoxLayout()
        status_row.addWidget(self.status)
        status_row.addWidget(self.status_note, 1)

        fields = QFormLayout()
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def row(label: str, field: Any, buddy: QWidget) -> None:
            caption = QLabel(label, self)
            caption.setBuddy(buddy)
            fields.addRow(caption, field)

        row("&Client:", client_row, self.client)
        row("C&ontact:", self.contact, self.contact)
        row("&Name:", form.line("name", "e.g. Vantage @ MedTech Expo"), form.widgets["name"])
        row("&Venue:", form.line("venue", "Hall, hotel or site"), form.widgets["venue"])
        row("&Days:", days, self.load_in)
        row("&AM:", people, form.widgets["account_manager"])
        row("&Labour rules:", form.choice("labour_rule_set_id"), form.widgets["labour_rule_set_id"])
        row("T&ype:", form.choice("project_type_id"), form.widgets["project_type_id"])
        row("&Status:", status_row, self.status)
        pipeline = QHBoxLayout()  # the pipeline's: blank probability = the stage's
        pipeline.addWidget(form.line("win_probability_pct", "blank: the stage's"), 1)
        decision = QLabel("%    Decision e&xpected:", self)
        decision.setBuddy(form.line("decision_date", DAY_HINT))
        pipeline.addWidget(decision)
        pipeline.addWidget(form.widgets["decision_date"], 1)
        row("&Win probability:", pipeline, form.widgets["win_probability_pct"])
        row("No&tes:", form.notes("notes", 5), form.widgets["notes"])

        self.create_button = QPushButton("Create project", self)
        self.create_button.setObjectName("projectCreateButton")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._on_create_clicked)
        self.close_button = QPushButton("Close", self)
        self.close_button.setObjectName("projectCloseButton")
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        self.undo_button, self.redo_button = add_undo_buttons(self, stack, "project", bottom)
        bottom.addStretch(1)
        bottom.addWidget(self.create_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(fields)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self.new_client_button.setAutoDefault(False)  # Return in a field saves it, it does not click
        self.close_button.setAutoDefault(False)
        self.reload()

    # -- state -----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the project as stored (after a save, an undo, or another user's change)."""
        row = None
        if self.project_id is not None:
            try:
                row = master_data.load_one(self.db, PROJECTS, self.project_id)
            except InputError as gone:
                self._report(str(gone))
        values: dict[str, Any] = row.values if row is not None else {}
        client_id = values.get("client_id") or parse_id(
            self.client.currentData() or self._client_for_new, "Client"
        )
        with self.db.read() as conn:
            clients = client_choices(conn)
            contacts = contact_choices(conn, client_id)
        self.form.set_choices("client_id", clients, client_id)
        self.form.set_choices(
            "contact_id",
            [(None, "(none)"), *contacts],
            values.get("contact_id", contacts[0][0] if contacts else None),
        )
        for key in ("labour_rule_set_id", "project_type_id"):
            choices = PROJECTS.field_by_key[key].choices
            assert choices is not None
            self.form.set_choices(key, choices(self.db), values.get(key))
        self.form.show_row(row)
        self._show_status(row)
        created = row is not None
        self.setWindowTitle(f"Project — {values['name']}" if created else "New project")
        self.create_button.setVisible(not created)
        self.create_button.setDefault(not created)
        self.create_button.setAutoDefault(not created)

    def _show_status(self, row: master_data.RecordRow | None) -> None:
        self.status.clear()
        if row is None:
            self.status.addItem(ProjectStatus.LEAD.label, None)
            self.status.setEnabled(False)
            self.status_note.setText("A new project starts as a lead.")
            return
        state = lifecycle.load_state(self.db, row.id)
        self.status.setEnabled(True)
        self.status.addItem(state.status.label, None)
        for target in lifecycle.allowed(state.status):
            self.status.addItem(f"→ {VERBS[target]}", target.value)
        note = ""
        if state.status is ProjectStatus.LOST and state.lost_reason:
            note = f"Reason: {state.lost_reason}"
        elif state.chosen_estimate_id is not None:
            names = dict(lifecycle.estimate_choices(self.db, row.id))
            if state.chosen_estimate_id in names:
                note = f"The client chose “{names[state.chosen_estimate_id]}”."
        self.status_note.setText(note)

    def announce(self) -> None:
        if self.project_id is not None:
            self.saved.emit(self.project_id)

    # -- slots -----------------------------------------------------------------------------------

    def _on_client_activated(self, _index: int) -> None:
        if self.project_id is None:  # a new project: offer the chosen client's contacts
            self.reload()

    def _on_status_activated(self, index: int) -> None:
        target = self.status.itemData(index)
        self.status.setCurrentIndex(0)
        if target is None or self.project_id is None:
            return
        try:
            command = status_command(self.db, self.project_id, ProjectStatus(target), self.dialogs, self)
        except EDIT_ERRORS as error:
            self._report(str(error))
            return
        if command is not None:
            self.run(command)

    def _on_new_client_clicked(self) -> None:
        dialog = ClientDialog(self.db, None, self.undo_stack, self)
        dialog.ask_name = lambda: self.dialogs.ask_text(dialog, "Add contact", "Name:")
        dialog.saved.connect(self._on_client_created)
        self.client_dialog = dialog
        dialog.open()

    def _on_client_created(self, client_id: uuid.UUID) -> None:
        if self.client.currentData() == str(client_id):
            return
        self._client_for_new = client_id
        self.reload()
        self.client.setCurrentIndex(self.client.findData(str(client_id)))
        if self.project_id is not None:
            self.form.commit("client_id")

    def _on_create_clicked(self) -> None:
        made = self.form.create()
        if made is not None:
            self.project_id = made
            self.reload()  # the stored project at once: a field changed next saves to it

    def field(self, key: str) -> QWidget:
        """The widget of a field (tests type into it)."""
        return self.form.widgets[key]
