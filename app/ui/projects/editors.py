"""Edit › Lost reasons…: the master-data editor over the reasons *Mark lost…* offers."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from app.services.projects.lifecycle import LOST_REASONS
from app.services.storage.database import Database
from app.ui.master_data import MasterDataDialog


def lost_reasons_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    return MasterDataDialog(db, LOST_REASONS, dialogs, "lostReasons", "Lost reasons", parent, size=(460, 380))
