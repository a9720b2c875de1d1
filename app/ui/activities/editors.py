"""Project › Activities… (or, with a client chosen in the navigator, the client's own): the one
master-data editor over the activities, sorted by due date, a new row its owner's (the project's AM,
else the person at the keyboard). One non-blocking editor per project or client, reloaded on others'
changes; ``changed`` after each saved change (My follow-ups reads again)."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.services.activities.follow_ups import owner_title
from app.services.activities.records import CLIENT_ACTIVITIES, PROJECT_ACTIVITIES, for_owner
from app.services.storage.database import Database
from app.ui.field_table import EDIT_ERRORS
from app.ui.master_data import MasterDataDialog


def activities_editor(
    db: Database,
    dialogs: Any,
    project_id: uuid.UUID | None,
    client_id: uuid.UUID | None,
    parent: QWidget | None = None,
) -> MasterDataDialog:
    name, owner = owner_title(db, project_id, client_id)
    kind = PROJECT_ACTIVITIES if project_id is not None else CLIENT_ACTIVITIES
    editor = MasterDataDialog(
        db,
        for_owner(kind, owner),
        dialogs,
        "activities",
        f"Activities — {name}",
        parent,
        stretch="notes",
        size=(1100, 440),
        owner=project_id if project_id is not None else client_id,
    )
    editor.ask_name = lambda: dialogs.ask_text(editor, "Add activity", "Subject:")
    return editor


class ActivityEditors(QObject):
    changed = Signal()

    def __init__(self, dialogs: Any, parent: QWidget) -> None:
        super().__init__(parent)
        self.dialogs, self.parent_widget = dialogs, parent
        self.editors: dict[uuid.UUID, MasterDataDialog] = {}

    def show(
        self, db: Database, project_id: uuid.UUID | None, client_id: uuid.UUID | None
    ) -> MasterDataDialog | None:
        key = project_id or client_id
        assert key is not None
        editor = self.editors.get(key)
        if editor is None or editor.db is not db:
            try:
                editor = activities_editor(db, self.dialogs, project_id, client_id, self.parent_widget)
            except EDIT_ERRORS as error:
                self.dialogs.error(self.parent_widget, "Activities", str(error))
                return None
            editor.changed.connect(self.changed)
            self.editors[key] = editor
        else:
            editor.reload()
        editor.open()
        return editor

    def refresh(self) -> None:
        for editor in self.editors.values():
            if editor.isVisible():
                editor.reload()

    def close(self) -> None:
        for editor in self.editors.values():
            editor.close()
            editor.deleteLater()
        self.editors.clear()
