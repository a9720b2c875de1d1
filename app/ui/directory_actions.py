"""The File menu's directory commands: a new estimate, named by the user (a new client or project:
app/ui/projects/actions.py, whose dialogs ask for their details)."""

from __future__ import annotations

from PySide6.QtGui import QAction

from app.services import directory
from app.services.storage.database import Database, StorageError
from app.services.values import InputError
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import window_action


class DirectoryActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.new_estimate_action = window_action(window, "New estimate…", "actionNewEstimate",
                                                 self.new_estimate)

    @property
    def actions(self) -> list[QAction | None]:
        """In menu order."""
        return [self.new_estimate_action]

    def update_enabled(self, db: Database | None) -> None:
        self.new_estimate_action.setEnabled(db is not None)

    def new_estimate(self) -> None:
        if self.shell.db is None:
            return
        project_id = self.shell.navigator.current_of("project")
        if project_id is None:
            self.dialogs.info(self.window, "New estimate", "Select the project the estimate is for first.")
            return
        name = self.dialogs.ask_text(self.window, "New estimate", "Estimate name:", "New estimate")
        if name is None:
            return
        try:
            estimate_id = directory.create_estimate(self.shell.db, project_id, name)
        except (InputError, StorageError) as error:
            self.dialogs.error(self.window, "New estimate", str(error))
            return
        self.shell.navigator.load(self.shell.db)
        self.shell.open_estimate(estimate_id)

