"""The Edit menu's setup editors: labour rules, roles and crew members, each opened non-blocking.

A save in any of them reaches the window: the open estimate reprices (rules, roles),
the crew calendar follows (crew members).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from app.services.storage.database import Database
from app.ui.crew.editor import CrewEditorDialog
from app.ui.labour.roles_editor import RolesEditorDialog
from app.ui.labour.rules_dialog import LabourRulesDialog
from app.ui.widgets import window_action

if TYPE_CHECKING:
    from app.ui.shell import Shell


class EditorActions(QObject):
    def __init__(self, shell: Shell) -> None:
        window = shell.window()
        super().__init__(window)
        self.shell = shell
        self.window = window
        self.dialogs = shell.dialogs
        self.labour_rules_action = window_action(
            window, "Labour rules…", "actionLabourRules", self.show_labour_rules,
            tip="Minimum call, overtime, weekend and holiday rates, meal breaks of each rule set")
        self.labour_rules_dialog: LabourRulesDialog | None = None
        self.crew_editor_action = window_action(
            window, "Crew members…", "actionCrewMembers", self.show_crew_editor,
            tip="People, the roles they can fill and their own rates, days they cannot work")
        self.crew_editor: CrewEditorDialog | None = None
        self.roles_action = window_action(
            window, "Roles…", "actionRoles", self.show_roles_editor,
            tip="Crew roles with their hourly and day cost and bill rates")
        self.roles_editor: RolesEditorDialog | None = None

    @property
    def actions(self) -> list[QAction | None]:
        """In menu order."""
        return [self.labour_rules_action, self.crew_editor_action, self.roles_action]

    def update_enabled(self, db: Database | None) -> None:
        for action in (self.labour_rules_action, self.crew_editor_action, self.roles_action):
            action.setEnabled(db is not None)

    def show_crew_editor(self) -> None:
        """Edit → Crew members…: non-blocking; the crew calendar follows each change."""
        if self.shell.db is None:
            return
        if self.crew_editor is None or self.crew_editor.db is not self.shell.db:
            self.crew_editor = CrewEditorDialog(self.shell.db, self.window)
            self.crew_editor.ask_name = lambda: self.dialogs.ask_text(self.window, "Add crew member", "Name:")
            self.crew_editor.confirm = lambda text: self.dialogs.confirm(
                self.window, "Delete crew member", text)
            self.crew_editor.crewChanged.connect(self._on_crew_changed)
        self.crew_editor.open()

    def _on_crew_changed(self) -> None:
        self.shell.crew_panel.refresh()

    def show_labour_rules(self) -> None:
        """Edit → Labour rules…: non-blocking; the open estimate reprices after each save."""
        if self.shell.db is None:
            return
        if self.labour_rules_dialog is not None:
            self.labour_rules_dialog.deleteLater()
        self.labour_rules_dialog = LabourRulesDialog(self.shell.db, self.window)
        self.labour_rules_dialog.model.saved.connect(self._on_labour_rules_saved)
        self.labour_rules_dialog.open()

    def show_roles_editor(self) -> None:
        """Edit → Roles…: non-blocking; the open estimate reloads (and reprices) after each change."""
        if self.shell.db is None:
            return
        if self.roles_editor is None or self.roles_editor.db is not self.shell.db:
            self.roles_editor = RolesEditorDialog(self.shell.db, self.window)
            self.roles_editor.ask_name = lambda: self.dialogs.ask_text(self.window, "Add role", "Name:")
            self.roles_editor.confirm = lambda text: self.dialogs.confirm(self.window, "Delete role", text)
            self.roles_editor.rolesChanged.connect(self._on_labour_rules_saved)
        else:
            self.roles_editor.reload()
        self.roles_editor.open()

    def _on_labour_rules_saved(self) -> None:
        self.shell.reprice.request()

