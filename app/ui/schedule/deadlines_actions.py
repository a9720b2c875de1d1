"""View › Deadlines (Ctrl+Alt+D) in its place, the status bar's overdue count, and Project › Timeline….

The list is a place like the equipment timeline (a tab beside the estimate or a window of its
own). It is read again whenever the navigator reads the directory again (the database opened,
others' changes shown at the next poll) and after every step taken elsewhere in the window
(a project's days moved) and when the window is activated again (back from the milestones
editor); the status bar's "3 overdue" follows it, shown or not. Its Done ticks are steps on its
own stack in the window's undo group: Edit › Undo takes them back while the user works in the
list. A double click opens the deadline's project: an order's in Project › Orders… when the window
has it, otherwise the project's details.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from app.services.schedule.deadlines import ORDER, Deadline
from app.services.storage.errors import StorageError
from app.services.values import InputError
from app.ui.crew.place import PlaceSpec, ViewPlace
from app.ui.schedule.deadlines_panel import DeadlinesPanel
from app.ui.schedule.project_timeline import ProjectTimelineDialog
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import status_label, window_action

TITLE = "Deadlines"
DEADLINES = PlaceSpec(
    "deadlines",
    TITLE,
    "Deadlines",
    "Every open milestone and order-by date across the projects (Ctrl+Alt+D); View › Deadlines "
    "opens in… puts it in a window of its own",
)


def _menu(shell: Shell, text: str) -> QMenu:
    menu = next(a.menu() for a in shell.menuBar().actions() if a.text() == text)
    assert isinstance(menu, QMenu)
    return menu


class DeadlinesActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.panel = DeadlinesPanel(window)
        self.place = ViewPlace(self.panel, shell.places, shell.settings, window, DEADLINES)
        shell.undo_group.addStack(self.panel.undo_stack)
        self.panel.activated.connect(self._take_undo)
        self.panel.problem.connect(lambda message: shell.statusBar().showMessage(message, 8000))
        self.panel.overdueChanged.connect(self._show_overdue)
        self.panel.deadlineActivated.connect(self._open_project)
        self.overdue_label = status_label(shell.statusBar(), "overdueLabel")
        self.overdue_label.setToolTip("Deadlines overdue across the projects (View › Deadlines)")
        self.action = window_action(
            window,
            TITLE,
            "actionDeadlines",
            self.show,
            "Ctrl+Alt+D",
            "Every open milestone and order-by date across the projects, overdue first",
        )
        self.timeline_action = window_action(
            window,
            "Timeline…",
            "actionProjectTimeline",
            self.show_timeline,
            tip="The project's milestones and orders against its load-in, show and strike",
        )
        self.timelines: dict[uuid.UUID, ProjectTimelineDialog] = {}
        view_menu = _menu(shell, "&View")
        view_menu.addAction(self.action)
        opens = view_menu.addMenu(f"{TITLE} opens")
        for made in self.place.choice_actions.values():
            opens.addAction(made)
        project_menu = _menu(shell, "&Project")
        project_menu.addSeparator()
        project_menu.addAction(self.timeline_action)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        shell.undo_group.indexChanged.connect(self._after_step)
        shell.navigator.loaded.connect(self.refresh)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # after the window's own handler: in the list, its steps
            app.focusChanged.connect(self._on_focus_changed)
        window.installEventFilter(self)

    def show(self) -> None:
        self.place.show()
        self.refresh()
        self.panel.view.setFocus()
        self._take_undo()

    def refresh(self) -> None:
        """Read the deadlines again (the count in the status bar too), off the GUI thread."""
        if self.panel.db is not self.shell.db:
            self.panel.set_database(self.shell.db)  # another database: its list, no old steps
        else:
            self.panel.refresh()

    def _after_step(self, _index: int) -> None:
        # Its own ticks are shown as made; any other step may move a deadline.
        if self.shell.undo_group.activeStack() is not self.panel.undo_stack:
            self._pending.start()

    def _show_overdue(self, count: int) -> None:
        self.overdue_label.setText(f"{count} overdue" if count else "")

    def _in_panel(self, widget: QWidget | None) -> bool:
        return widget is not None and (widget is self.panel or self.panel.isAncestorOf(widget))

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._in_panel(new):
            self._take_undo()

    def _take_undo(self) -> None:
        if self.shell.undo_group.activeStack() is not self.panel.undo_stack:
            self.shell.undo_group.setActiveStack(self.panel.undo_stack)

    def _open_project(self, row: Deadline) -> None:
        """The project's orders (an order-by row, once the window has Project › Orders…) or its details."""
        self.shell.navigator.select(row.project_id)  # the project the Project menu's actions work on
        orders = self.window.findChild(QAction, "actionOrders")
        details = self.window.findChild(QAction, "actionProjectDetails")
        chosen = orders if row.source == ORDER and orders is not None else details
        if chosen is not None:
            chosen.trigger()

    def current_project(self) -> uuid.UUID | None:
        chosen = self.shell.navigator.current_of("project")
        if chosen is None and self.shell.workspace is not None:
            chosen = self.shell.workspace.doc.header.project_id
        return chosen  # type: ignore[no-any-return]

    def show_timeline(self) -> None:
        db, project_id = self.shell.db, self.current_project()
        if db is None or project_id is None:
            self.shell.statusBar().showMessage("Choose a project in the navigator first.", 8000)
            return
        dialog = self.timelines.get(project_id)
        try:
            if dialog is None or dialog.db is not db:
                dialog = ProjectTimelineDialog(db, project_id, self.window)
                self.timelines[project_id] = dialog
            else:
                dialog.refresh()
        except (InputError, StorageError) as error:
            self.shell.statusBar().showMessage(str(error), 8000)
            return
        if dialog.isVisible():  # behind others: to the front (a new one is shown on top)
            dialog.raise_()
        dialog.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.window
            and event.type() == QEvent.Type.WindowActivate
            and self.shell.db is not None
        ):
            self.refresh()  # back from an editor window (Project › Milestones…): what it ticked or moved
        elif watched is self.window and event.type() == QEvent.Type.Close:
            self.place.close()
            for dialog in self.timelines.values():
                dialog.close()
        return False
