"""Edit › Project types… (with Milestones…, each type's template) and Project › Milestones…: the one
master-data editor over each, the project's with a Due column and a From template button.

The milestones' editor opens sorted by Due (a click on a header sorts by another column, a third
click goes back to the stored order). From template adds the type's milestones the project does not
have yet as one step of the editor's undo stack: Undo takes back exactly those.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from app.services import master_data
from app.services.projects.details import PROJECTS
from app.services.schedule.milestones import MILESTONES, apply_template, bring_back, take_back, template_of
from app.services.schedule.templates import MILESTONE_TEMPLATES, PROJECT_TYPES
from app.services.storage.database import Database
from app.services.values import InputError
from app.ui.field_table import CallCommand
from app.ui.master_data import MasterDataDialog, OwnedEditors


def _button(dialog: MasterDataDialog, text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text, dialog)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.setToolTip(tip)
    dialog.buttons.insertWidget(2, button)
    return button


def project_types_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    dialog = MasterDataDialog(
        db, PROJECT_TYPES, dialogs, "projectTypes", "Project types", parent, size=(520, 380)
    )
    button = _button(
        dialog,
        "Milestones…",
        "projectTypesMilestonesButton",
        "The selected type's template: the milestones its projects start from.",
    )
    button.clicked.connect(lambda: open_templates(dialog, dialogs))
    return dialog


def open_templates(types: MasterDataDialog, dialogs: Any) -> MasterDataDialog | None:
    """The template of the types editor's current type, in the same editor (None: no type selected)."""
    row = types.current()
    if row is None:
        types.message.setText(
            "Add a project type first: its template is the milestones its projects start from."
        )
        return None
    name = row.name(PROJECT_TYPES)
    editor = MasterDataDialog(
        types.db,
        MILESTONE_TEMPLATES,
        dialogs,
        "milestoneTemplates",
        f"Milestones of {name}",
        types,
        stretch="owner",
        size=(900, 400),
        owner=row.id,
    )
    types.templates_editor = editor  # type: ignore[attr-defined]  # kept while open
    editor.open()
    return editor


def milestones_editor(
    db: Database, dialogs: Any, project_id: uuid.UUID, parent: QWidget | None = None
) -> MasterDataDialog:
    """Project › Milestones…: the project's milestones, sorted by when they are due."""
    name = master_data.load_one(db, PROJECTS, project_id).values["name"]
    dialog = MasterDataDialog(
        db,
        MILESTONES,
        dialogs,
        "milestones",
        f"Milestones — {name}",
        parent,
        stretch="notes",
        size=(1240, 460),
        owner=project_id,
    )
    button = _button(
        dialog,
        "From template",
        "milestonesFromTemplateButton",
        "Add the milestones of the project's type (Project details › Type) it does not have yet.",
    )
    button.clicked.connect(lambda: from_template(dialog, project_id))
    due = next(n for n, f in enumerate(MILESTONES.fields) if f.key == "due")
    dialog.table.sortByColumn(due, Qt.SortOrder.AscendingOrder)
    return dialog


def from_template(dialog: MasterDataDialog, project_id: uuid.UUID) -> bool:
    """Add the type's milestones the project lacks: one undo step, or a line saying why nothing was added."""
    db = dialog.db
    added: list[uuid.UUID] = []

    def do() -> None:
        if added:  # the redo
            bring_back(db, added)
        else:
            added.extend(apply_template(db, project_id))
            if not added:
                raise InputError(
                    f"The project already has every milestone of the {template_of(db, project_id)} template."
                )
        dialog.reload()

    def undo() -> None:
        take_back(db, added)
        dialog.reload()

    return dialog.run(CallCommand("Milestones from template", do, undo))


class MilestoneEditors(OwnedEditors):
    """Project › Milestones…: one non-blocking editor per project, reloaded on others' changes (a
    moved show moves the due days)."""

    def show(self, db: Database, project_id: uuid.UUID) -> MasterDataDialog | None:
        return self.open_for(
            db,
            project_id,
            lambda: milestones_editor(db, self.dialogs, project_id, self.parent_widget),
            "Milestones",
        )
