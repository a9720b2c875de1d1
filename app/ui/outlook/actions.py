"""View › Capacity outlook (Ctrl+Alt+O) in its place: a tab beside the estimate or a window of its own.

It is read again when the navigator reads the directory again (the database opened, others' changes
shown at the next poll), after every step taken elsewhere in the window (a call's people or days
changed, a project won) and when the window is activated again — each only while the outlook is
shown; hidden, it reads when shown next. A double click on a project opens its details.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.ui.crew.place import PlaceSpec, ViewPlace
from app.ui.outlook.panel import OutlookPanel
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import window_action

TITLE = "Capacity outlook"
OUTLOOK = PlaceSpec(
    "capacity_outlook",
    TITLE,
    "CapacityOutlook",
    "Won and weighted open work against the crew and the equipment, week by week (Ctrl+Alt+O); "
    "View › Capacity outlook opens in… puts it in a window of its own",
)


class Desk(Protocol):
    """What of the desk (:class:`app.ui.desk_actions.DeskActions`) the outlook uses."""

    view_menu: QMenu


class OutlookActions(ShellActions):
    def __init__(self, shell: Shell, desk: Desk) -> None:
        super().__init__(shell)
        window = self.window
        self.desk = desk
        self.panel = OutlookPanel(window)
        self.place = ViewPlace(self.panel, shell.places, shell.settings, window, OUTLOOK)
        self.panel.problem.connect(lambda message: shell.statusBar().showMessage(message, 8000))
        self.panel.projectActivated.connect(self._open_project)
        self.action = window_action(
            window,
            f"{TITLE}",
            "actionCapacityOutlook",
            self.show,
            "Ctrl+Alt+O",
            "Can we deliver what we are selling? Won and weighted open work against the crew and the "
            "equipment, week by week",
        )
        view_menu = desk.view_menu
        view_menu.addAction(self.action)
        opens = view_menu.addMenu(f"{TITLE} opens")
        for made in self.place.choice_actions.values():
            opens.addAction(made)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh_if_shown)
        shell.undo_group.indexChanged.connect(lambda _index: self._pending.start())
        shell.navigator.loaded.connect(self.refresh_if_shown)
        window.installEventFilter(self)

    def show(self) -> None:
        self.place.show()
        self.refresh()
        self.panel.grid.setFocus()

    def refresh(self) -> None:
        if self.panel.db is not self.shell.db:
            self.panel.set_database(self.shell.db)
        else:
            self.panel.refresh()

    def refresh_if_shown(self) -> None:
        if self.place.is_shown():
            self.refresh()

    def _open_project(self, project_id: uuid.UUID) -> None:
        """The project's details, the project chosen in the navigator (what the Project menu works on)."""
        self.shell.navigator.select(project_id)
        details = self.window.findChild(QAction, "actionProjectDetails")
        if details is not None:
            details.trigger()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.WindowActivate:
            self.refresh_if_shown()
        elif watched is self.window and event.type() == QEvent.Type.Close:
            self.place.close()
        return False
