"""The File menu's directory commands: a new client, project or estimate, named by the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from app.services import directory
from app.services.storage.database import Database, StorageError
from app.services.values import InputError
from app.ui.widgets import window_action

if TYPE_CHECKING:
    from app.ui.shell import Shell


class DirectoryActions(QObject):
    def __init__(self, shell: Shell) -> None:
        window = shell.window()
        super().__init__(window)
        self.shell = shell
        self.window = window
        self.dialogs = shell.dialogs
        self.new_client_action = window_action(window, "New client…", "actionNewClient", self.new_client)
        self.new_project_action = window_action(window, "New project…", "actionNewProject", self.new_project)
        self.new_estimate_action = window_action(window, "New estimate…", "actionNewEstimate",
                                                 self.new_estimate)

    @property
    def actions(self) -> list[QAction | None]:
        """In menu order."""
        return [self.new_client_action, self.new_project_action, self.new_estimate_action]

    def update_enabled(self, db: Database | None) -> None:
        for action in (self.new_client_action, self.new_project_action, self.new_estimate_action):
            action.setEnabled(db is not None)

    def new_client(self) -> None:
        if self.shell.db is None:
            return
        name = self.dialogs.ask_text(self.window, "New client", "Client name:")
        if name is None:
            return
        try:
            client_id = directory.create_client(self.shell.db, name)
        except (InputError, StorageError) as error:
            self.dialogs.error(self.window, "New client", str(error))
            return
        self.shell.navigator.load(self.shell.db)
        self.shell.navigator.select(client_id)

    def new_project(self) -> None:
        if self.shell.db is None:
            return
        client_id = self.shell.navigator.current_of("client")
        if client_id is None:
            self.dialogs.info(self.window, "New project", "Select the client the project is for first.")
            return
        name = self.dialogs.ask_text(self.window, "New project", "Project name:")
        if name is None:
            return
        try:
            project_id = directory.create_project(self.shell.db, client_id, name)
        except (InputError, StorageError) as error:
            self.dialogs.error(self.window, "New project", str(error))
            return
        self.shell.navigator.load(self.shell.db)
        self.shell.navigator.select(project_id)

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

