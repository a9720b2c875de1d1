"""Edit › Roles… and Labour rules…: the master-data editor over crew roles and labour rule sets.

A role's bill rate below its cost rate is saved (a loss leader is a choice) with a note
saying so; a rule set's holidays are one cell, a list of dates, and come along when the
rule set is duplicated.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from app.services.labour.roles import ROLES, rate_warning
from app.services.labour.rules import RULE_SETS
from app.services.master_data import RecordRow
from app.services.storage.database import Database
from app.ui.master_data import MasterDataDialog


def _rate_notes(rows: list[RecordRow]) -> str:
    return "\n".join(w for w in (rate_warning(r.values) for r in rows) if w)


def roles_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    return MasterDataDialog(db, ROLES, dialogs, "roles", "Roles", parent, note=_rate_notes, size=(760, 420))


def labour_rules_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    return MasterDataDialog(
        db, RULE_SETS, dialogs, "labourRules", "Labour rules", parent, stretch="holidays", size=(1560, 360)
    )
