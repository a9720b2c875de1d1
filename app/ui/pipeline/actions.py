"""View › Pipeline (Ctrl+Alt+P) in its place, the moves a card's drag asks for, and Edit › Pipeline stages….

The board is a place like the deadlines list (a tab beside the estimate or a window of its own).
It is read again whenever the navigator reads the directory again (the database opened, others'
changes shown at the next poll), after every step taken elsewhere in the window, and when the
window is activated again. A card dragged to another stage runs the one status command there is
(:func:`app.ui.projects.status.status_command`: won asks the scenario, lost the reason, a move
not allowed says why) on the board's own undo stack in the window's undo group; a card whose
project changed since the board was read is refused with a message and the board read again.
A double click opens the project's details. *View › Show costs and margins* (the desk's PM view)
adds the margin; unticked, the board and table show prices only.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer, SignalInstance
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMenu

from app.models.enums import ProjectStatus
from app.services.pipeline.board import Card
from app.services.pipeline.stages import STAGES
from app.services.projects import lifecycle
from app.services.values import InputError
from app.ui.crew.place import PlaceSpec, ViewPlace
from app.ui.master_data import MasterDataDialog
from app.ui.pipeline.panel import PipelinePanel
from app.ui.projects.status import VERBS, move_project
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import window_action


class Desk(Protocol):
    """What the board needs of the desk (app/ui/desk_actions.py, which makes it): its View menu and
    the AM/PM switch."""

    view_menu: QMenu
    pmViewChanged: SignalInstance

    @property
    def pm_view(self) -> bool: ...


TITLE = "Pipeline"
PIPELINE = PlaceSpec(
    "pipeline",
    TITLE,
    "Pipeline",
    "The open projects by stage (Ctrl+Alt+P); View › Pipeline opens in… puts it in a window of its own",
)


class PipelineActions(ShellActions):
    def __init__(self, shell: Shell, desk: Desk, edit_menu: QMenu) -> None:
        super().__init__(shell)
        self.desk = desk
        window = self.window
        self.panel = PipelinePanel(window)
        self.panel.pm_view = desk.pm_view
        self.place = ViewPlace(self.panel, shell.places, shell.settings, window, PIPELINE)
        self.undo_stack = QUndoStack(self.panel)
        shell.undo_group.addStack(self.undo_stack)
        self.panel.problem.connect(lambda message: shell.statusBar().showMessage(message, 8000))
        self.panel.moveRequested.connect(self.move)
        self.panel.cardActivated.connect(self.open_card)
        desk.pmViewChanged.connect(self.panel.set_pm_view)
        self.action = window_action(
            window,
            TITLE,
            "actionPipeline",
            self.show,
            "Ctrl+Alt+P",
            "The open projects by stage: a board to drag between stages, or a sortable table",
        )
        self.stages_action = window_action(
            window,
            "Pipeline stages…",
            "actionPipelineStages",
            self.edit_stages,
            tip="Each stage's default win probability and the days after which a quiet card is stale",
        )
        self.stages_dialog: MasterDataDialog | None = None
        view_menu = desk.view_menu
        view_menu.addAction(self.action)
        opens = view_menu.addMenu(f"{TITLE} opens")
        for made in self.place.choice_actions.values():
            opens.addAction(made)
        edit_menu.addSeparator()
        edit_menu.addAction(self.stages_action)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        shell.undo_group.indexChanged.connect(lambda _index: self._pending.start())
        shell.navigator.loaded.connect(self.refresh)
        window.installEventFilter(self)

    def show(self) -> None:
        self.place.show()
        self.refresh()
        self.shell.undo_group.setActiveStack(self.undo_stack)

    def refresh(self) -> None:
        """Read the board again (only while it is shown: a hidden board costs nothing)."""
        if not self.place.is_shown() and self.panel.db is self.shell.db:
            return
        if self.panel.db is not self.shell.db:
            self.undo_stack.clear()
            self.panel.set_database(self.shell.db)
        else:
            self.panel.refresh()

    # -- a card moved -----------------------------------------------------------------------------

    def move(self, card: Card, target: ProjectStatus) -> None:
        db = self.shell.db
        if db is None:
            return
        title = VERBS[target].rstrip("…")

        def unchanged() -> None:  # the card as the user saw it, else refused and read again
            if lifecycle.load_state(db, card.project_id).version != card.version:
                self.panel.refresh()
                raise InputError(
                    f"“{card.project}” was changed by someone else since the board was read; it is read "
                    "again now: look, then move it again."
                )

        if not move_project(
            db,
            card.project_id,
            target,
            self.dialogs,
            self.window,
            self.undo_stack,
            self._after_move,
            unchanged,
        ):
            return
        self.shell.undo_group.setActiveStack(self.undo_stack)
        self._after_move()
        self.shell.statusBar().showMessage(
            f"{card.project}: {title.lower()}. Edit › Undo takes it back.", 5000
        )

    def _after_move(self) -> None:
        db = self.shell.db
        if db is not None:
            self.shell.navigator.load(db)  # the navigator, and this board with it (loaded)
        self.panel.refresh()

    def open_card(self, card: Card) -> None:
        """The project's details, over the window (the navigator selects it for the Project menu)."""
        self.shell.navigator.select(card.project_id)
        details = self.window.findChild(QAction, "actionProjectDetails")
        if details is not None:
            details.trigger()

    # -- Edit › Pipeline stages… ------------------------------------------------------------------

    def edit_stages(self) -> None:
        db = self.shell.db
        if db is None:
            self.shell.statusBar().showMessage("Open a database first.", 8000)
            return
        dialog = self.stages_dialog
        if dialog is not None and dialog.db is db:
            dialog.reload()
        else:
            if dialog is not None:
                dialog.deleteLater()
            dialog = MasterDataDialog(
                db,
                STAGES,
                self.dialogs,
                "pipelineStages",
                "Pipeline stages",
                self.window,
                stretch="stage",
                size=(560, 300),
            )
            for button in (dialog.add_button, dialog.duplicate_button, dialog.delete_button):
                button.hide()  # the five stages are fixed
            dialog.changed.connect(self.panel.refresh)
            self.stages_dialog = dialog
        dialog.open()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.window
            and event.type() == QEvent.Type.WindowActivate
            and self.shell.db is not None
        ):
            self.refresh()
        elif watched is self.window and event.type() == QEvent.Type.Close:
            self.place.close()
        return False
