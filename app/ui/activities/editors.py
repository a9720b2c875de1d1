"""Project › Activities… (or, with a client chosen in the navigator, the client's own): the one
master-data editor over the activities, sorted by due date, a new row its owner's (the project's AM,
else the person at the keyboard). One non-blocking editor per project or client, reloaded on others'
changes; ``changed`` after each saved change (My follow-ups reads again)."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import QWidget

from app.services.activities.follow_ups import owner_title
from app.services.activities.records import CLIENT_ACTIVITIES, PROJECT_ACTIVITIES, for_owner
from app.services.storage.database import Database
from app.ui.master_data import MasterDataDialog, OwnedEditors


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


class ActivityEditors(OwnedEditors):
    def show(
        self, db: Database, project_id: uuid.UUID | None, client_id: uuid.UUID | None
    ) -> MasterDataDialog | None:
        owner = project_id or client_id
        assert owner is not None
        return self.open_for(
            db,
            owner,
            lambda: activities_editor(db, self.dialogs, project_id, client_id, self.parent_widget),
            "Activities",
        )
