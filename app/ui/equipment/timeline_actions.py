"""View › Equipment timeline (Ctrl+Shift+E): the timeline in its place (a tab beside the estimate or
a window of its own, as the crew calendar), on the open project's days.

It follows what is held: every step taken in the window (an estimate's quantity typed, a line
added, a project won; their undo and redo) reads the holds again once the event loop is idle, and
the window's refresh on others' changes calls :meth:`refresh`. The capacity view in its equipment
mode follows the steps too (the window refreshes it on others' changes). A hidden timeline reads nothing
until it is shown. A double click on a bar opens that project's estimate.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QMenu

from app.services.equipment.availability import Hold
from app.services.projects.dates import project_days
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.ui.crew.capacity_view import EQUIPMENT
from app.ui.crew.place import PlaceSpec, ViewPlace
from app.ui.equipment.timeline_panel import EquipmentTimelinePanel
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import window_action

TITLE = "Equipment timeline"
EQUIPMENT_TIMELINE = PlaceSpec(
    "equipment_timeline",
    TITLE,
    "EquipmentTimeline",
    "What each project holds of the equipment, day by day (Ctrl+Shift+E); View › Equipment timeline "
    "opens in… puts it in a window of its own",
)


class EquipmentTimelineActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.panel = EquipmentTimelinePanel(window)
        self.place = ViewPlace(self.panel, shell.places, shell.settings, window, EQUIPMENT_TIMELINE)
        self.panel.view.barActivated.connect(self._open_estimate)
        self.action = window_action(
            window,
            TITLE,
            "actionEquipmentTimeline",
            self.show,
            "Ctrl+Shift+E",
            "Show what each project holds of the equipment, on the open project's days",
        )
        view_menu = next(a.menu() for a in shell.menuBar().actions() if a.text() == "&View")
        assert isinstance(view_menu, QMenu)
        view_menu.addAction(self.action)
        opens = view_menu.addMenu(f"{TITLE} opens")
        for action in self.place.choice_actions.values():
            opens.addAction(action)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self._after_step)
        shell.undo_group.indexChanged.connect(lambda _index: self._pending.start())
        window.installEventFilter(self)

    def set_database(self, db: Database | None) -> None:
        self.panel.set_database(db)

    def show(self) -> None:
        """The timeline in its place, on the open estimate's project's days (when it has them)."""
        self.place.show()
        shell = self.shell
        if shell.workspace is not None and shell.db is not None:
            try:
                days = project_days(shell.db, shell.workspace.doc.header.project_id)
            except StorageError as error:
                shell.statusBar().showMessage(str(error), 8000)
                days = None
            self.panel.show_project((days.first, days.last) if days is not None else None)
        self.panel.view.setFocus()

    def refresh(self) -> None:
        """Read the holds again, if the timeline is shown (a hidden one reads when shown)."""
        if self.panel.isVisible():
            self.panel.refresh()

    def _after_step(self) -> None:
        """A step taken in the window: the timeline, and the capacity view showing equipment, follow."""
        self.refresh()
        capacity = self.shell.capacity_view
        if capacity.isVisible() and capacity.mode is EQUIPMENT:
            capacity.refresh()

    def _open_estimate(self, hold: Hold) -> None:
        self.shell.open_estimate(hold.estimate_id)
        self.window.activateWindow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.place.close()  # where its window was, kept for the next start
        return False
