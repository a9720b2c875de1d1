"""The Project menu and File › New client / New project: the client and project dialogs, status moves.

Every change made here — a field of a client or project, a contact, a status — is a command
on one stack (``undo_stack``, in the window's undo group), so Ctrl+Z undoes it from the
menu as well as from the dialogs' own Undo buttons.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QUndoStack

from app.models.enums import ProjectStatus
from app.services.projects import clone, lifecycle
from app.services.storage.database import Database
from app.ui.field_table import EDIT_ERRORS, CallCommand
from app.ui.projects.client_dialog import ClientDialog
from app.ui.projects.clone_dialog import CloneProjectDialog
from app.ui.projects.project_dialog import ProjectDialog
from app.ui.projects.status import VERBS, move_project
from app.ui.schedule.milestones import MilestoneEditors
from app.ui.shell import Shell, ShellActions
from app.ui.supply.orders_actions import OrdersActions
from app.ui.widgets import window_action

S = ProjectStatus
# The menu's status moves (the dialog's status box offers every allowed one).
MENU_MOVES = (S.WON, S.LOST, S.CANCELLED, S.POSTPONED, S.IN_PRODUCTION, S.DELIVERED)


class ProjectActions(ShellActions):
    clientPageRequested = Signal(object)  # a client dialog's Client page button: the client's id

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.undo_stack = QUndoStack(self)
        self.project_dialogs: dict[uuid.UUID | None, ProjectDialog] = {}
        self.client_dialogs: dict[uuid.UUID | None, ClientDialog] = {}
        self.new_client_action = window_action(
            window,
            "New client…",
            "actionNewClient",
            self.new_client,
            tip="A client with its billing address and contacts",
        )
        self.new_project_action = window_action(
            window,
            "New project…",
            "actionNewProject",
            self.new_project,
            tip="A project with its client, venue, days, AM and PM",
        )
        self.details_action = window_action(
            window,
            "Project details…",
            "actionProjectDetails",
            self.show_details,
            "Ctrl+Shift+P",
            "Client and contact, venue, days, AM/PM, labour rules, status",
        )
        self.milestones = MilestoneEditors(self.dialogs, window)
        self.milestones_action = window_action(
            window,
            "Milestones…",
            "actionMilestones",
            self.show_milestones,
            tip="Design approval, ship, freight window, load-in, show, strike, invoice: when each is due, "
            "who keeps it, done",
        )
        self.clone_action = window_action(
            window,
            "Clone for next year…",
            "actionCloneProject",
            self.clone_project,
            tip="A copy of the project and the estimate that counts, every date moved",
        )
        self.clone_dialog: CloneProjectDialog | None = None
        self.status_actions: dict[ProjectStatus, QAction] = {}
        for target in MENU_MOVES:
            name = "actionProject" + "".join(w.capitalize() for w in target.value.split("_"))
            self.status_actions[target] = window_action(
                window, VERBS[target], name, lambda _checked=False, t=target: self.move(t)
            )
        # Project › Orders… and Prepare orders: their steps on this stack too.
        self.orders = OrdersActions(shell, self.undo_stack, self.current_project)
        shell.navigator.projectActivated.connect(self.show_details)
        shell.navigator.clientActivated.connect(self.show_client)
        shell.navigator.view.selectionModel().currentChanged.connect(lambda *_: self.update_enabled())

    @property
    def new_actions(self) -> list[QAction | None]:
        """File menu, in order."""
        return [self.new_client_action, self.new_project_action]

    @property
    def actions(self) -> list[QAction | None]:
        """The Project menu, in order."""
        return [self.details_action, self.milestones_action, self.clone_action, None,
                *self.status_actions.values(), None,
                *self.orders.actions]

    # -- which project ---------------------------------------------------------------------------

    def current_project(self) -> uuid.UUID | None:
        """The project selected in the navigator, else the open estimate's."""
        chosen = self.shell.navigator.current_of("project")
        if chosen is None and self.shell.workspace is not None:
            chosen = self.shell.workspace.doc.header.project_id
        return chosen  # type: ignore[no-any-return]

    def update_enabled(self, db: Database | None = None) -> None:
        db = db or self.shell.db
        for action in (self.new_client_action, self.new_project_action):
            action.setEnabled(db is not None)
        project = self.current_project() if db is not None else None
        self.details_action.setEnabled(project is not None)
        self.milestones_action.setEnabled(project is not None)
        self.clone_action.setEnabled(project is not None)
        allowed: tuple[ProjectStatus, ...] = ()
        if project is not None:
            try:
                allowed = lifecycle.allowed(lifecycle.load_state(db, project).status)  # type: ignore[arg-type]
            except EDIT_ERRORS:
                allowed = ()
        for target, action in self.status_actions.items():
            action.setEnabled(target in allowed)
        self.orders.update_enabled(project is not None)

    # -- dialogs ---------------------------------------------------------------------------------

    def new_client(self) -> None:
        self.show_client(None)

    def show_client(self, client_id: uuid.UUID | None) -> None:
        db = self.shell.db
        if db is None:
            return
        dialog = self.client_dialogs.get(client_id) if client_id is not None else None
        if dialog is None or dialog.db is not db:
            dialog = ClientDialog(db, client_id, self.undo_stack, self.window)
            made = dialog
            dialog.ask_name = lambda: self.dialogs.ask_text(made, "Add contact", "Name:")
            dialog.confirm = lambda text: self.dialogs.confirm(made, "Delete contact", text)
            dialog.saved.connect(self._on_saved)
            dialog.pageRequested.connect(self.clientPageRequested)
            self.client_dialogs[client_id] = dialog
        dialog.reload()
        dialog.open()

    def new_project(self) -> None:
        if self.shell.db is None:
            return
        self._open_project(None, self.shell.navigator.current_of("client"))

    def show_details(self, project_id: uuid.UUID | None = None) -> None:
        project_id = project_id or self.current_project()
        if self.shell.db is None or project_id is None:
            return
        self._open_project(project_id, None)

    def show_milestones(self) -> None:
        """Project › Milestones…: the current project's, non-blocking."""
        project_id = self.current_project()
        if self.shell.db is not None and project_id is not None:
            self.milestones.show(self.shell.db, project_id)

    def _open_project(self, project_id: uuid.UUID | None, client_id: uuid.UUID | None) -> ProjectDialog:
        db = self.shell.db
        dialog = self.project_dialogs.get(project_id) if project_id is not None else None
        if dialog is None or dialog.db is not db:
            dialog = ProjectDialog(db, project_id, self.undo_stack, self.dialogs, self.window, client_id)
            dialog.saved.connect(self._on_saved)
            self.project_dialogs[project_id] = dialog
        dialog.reload()
        dialog.open()
        return dialog

    def open_dialogs(self) -> list[ProjectDialog | ClientDialog]:
        found = [*self.project_dialogs.values(), *self.client_dialogs.values()]
        return [d for d in dict.fromkeys(found) if d is not None and d.isVisible()]

    def refresh(self) -> None:
        """Another user's change: every open dialog shows what is stored now."""
        for dialog in self.open_dialogs():
            dialog.reload()
        self.orders.reload()
        self.milestones.refresh()
        self.update_enabled()

    def close_dialogs(self) -> None:
        for dialog in [*self.project_dialogs.values(), *self.client_dialogs.values()]:
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
        self.project_dialogs.clear()
        self.client_dialogs.clear()
        self.orders.close_dialog()
        if self.clone_dialog is not None:
            self.clone_dialog.close()
            self.clone_dialog.deleteLater()
            self.clone_dialog = None
        self.milestones.close()
        self.undo_stack.clear()

    # -- clone for next year ----------------------------------------------------------------------

    def clone_project(self) -> None:
        """Project › Clone for next year…: ask the name and offset (non-blocking), then copy."""
        db, project_id = self.shell.db, self.current_project()
        if db is None or project_id is None:
            return
        try:
            source, load_in = clone.source_of(db, project_id)
        except EDIT_ERRORS as error:
            self.dialogs.error(self.window, "Clone for next year", str(error))
            return
        if self.clone_dialog is not None:
            self.clone_dialog.deleteLater()
        dialog = self.clone_dialog = CloneProjectDialog(source, load_in, self.window)
        dialog.accepted.connect(lambda: self._clone(db, project_id, dialog.offset_days, dialog.new_name))
        dialog.open()

    def _clone(self, db: Database, project_id: uuid.UUID, offset_days: int, name: str) -> None:
        title = "Clone for next year"
        made: list[uuid.UUID] = []
        removed: list[clone.ClonedRows] = []

        def do() -> None:
            if made:
                clone.bring_back_clone(db, removed.pop())
            else:
                made.append(clone.clone_project(db, project_id, offset_days, name))

        command = CallCommand(title, do, lambda: removed.append(clone.take_back_clone(db, made[0])))
        command.report = lambda text: self.dialogs.error(self.window, title, text)
        command.after = self._on_saved
        try:
            do()
        except EDIT_ERRORS as error:
            self.dialogs.error(self.window, title, str(error))
            return
        self.undo_stack.push(command)
        self._on_saved()
        self.shell.navigator.select(made[0])
        self.shell.statusBar().showMessage(f"“{name.strip()}” is a copy with every date moved. Edit › Undo "
                                           "takes it back.", 8000)

    # -- status ----------------------------------------------------------------------------------

    def move(self, target: ProjectStatus) -> None:
        db, project_id = self.shell.db, self.current_project()
        if db is None or project_id is None:
            return
        title = VERBS[target].rstrip("…")
        if not move_project(db, project_id, target, self.dialogs, self.window, self.undo_stack,
                            lambda: self._on_saved(project_id)):
            return
        self._on_saved(project_id)
        self.shell.statusBar().showMessage(f"{title}: done. Edit › Undo takes it back.", 5000)

    def _on_saved(self, _row_id: Any = None) -> None:
        """A change saved here: the navigator, the open dialogs, the crew views and menus follow."""
        db = self.shell.db
        if db is None:
            return
        self.shell.navigator.load(db)
        for dialog in self.open_dialogs():
            dialog.reload()
        self.milestones.refresh()  # a project's days moved: its milestones' due days with them
        self.shell.crew_panel.refresh()  # the chosen scenario's calls, a project's new days
        self.shell.reprice.request()  # the open estimate's header (name, days) and its staffing
        self.update_enabled()
