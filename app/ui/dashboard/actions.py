"""View › Dashboard in its place (a tab beside the estimate or a window of its own), and its exports.

The panel reads its figures again whenever the navigator reads the directory again (the database
opened, others' changes shown at the next poll), after every step taken elsewhere in the window
(a project marked won) and when it is shown. *View › Show costs and margins* (the desk's PM view)
switches it between the PM's figures and the AM's, which have no cost or margin. Export PNG saves
the charts as drawn (``Figure.savefig``); Export Excel writes the figures shown through the one
export path (:func:`app.ui.excel.export_actions.start_export`), so the AM's workbook has no cost
or margin column either.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QMenu

from app.ui.crew.place import PlaceSpec, ViewPlace
from app.ui.dashboard.panel import DashboardPanel
from app.ui.excel.export_actions import ExportPaths, start_export
from app.ui.shell import Shell, ShellActions
from app.ui.tasks import Progress, ProgressRun
from app.ui.widgets import window_action

TITLE = "Dashboard"
DASHBOARD = PlaceSpec(
    "dashboard",
    TITLE,
    "Dashboard",
    "Pipeline, forecast, win rate and revenue across the clients; View › Dashboard opens in… puts it "
    "in a window of its own",
)
PNG_FILTER = "PNG images (*.png)"


class Desk(Protocol):
    """What the dashboard needs of the desk (app.ui.desk_actions.DeskActions, which makes it)."""

    view_menu: QMenu
    pmViewChanged: SignalInstance

    @property
    def pm_view(self) -> bool: ...


class DashboardActions(ShellActions):
    def __init__(self, shell: Shell, desk: Desk) -> None:
        super().__init__(shell)
        window = self.window
        self.desk = desk
        self.panel = DashboardPanel(window)
        self.panel.pm_view = desk.pm_view
        self.place = ViewPlace(self.panel, shell.places, shell.settings, window, DASHBOARD)
        self.paths = ExportPaths(self.dialogs, shell.settings)
        self.running: ProgressRun | None = None
        self.action = window_action(
            window,
            TITLE,
            "actionDashboard",
            self.show,
            tip="Pipeline by stage, weighted forecast, win rate and revenue by month and client",
        )
        desk.view_menu.addAction(self.action)
        opens = desk.view_menu.addMenu(f"{TITLE} opens")
        for made in self.place.choice_actions.values():
            opens.addAction(made)
        self.panel.problem.connect(lambda message: shell.statusBar().showMessage(message, 8000))
        self.panel.png_button.clicked.connect(self.export_png)
        self.panel.excel_button.clicked.connect(self.export_excel)
        desk.pmViewChanged.connect(self.panel.set_pm_view)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        shell.undo_group.indexChanged.connect(lambda _index: self._pending.start())
        shell.navigator.loaded.connect(self.refresh)
        self.stopped = False  # the window is closing: no message box opens any more
        window.installEventFilter(self)

    def show(self) -> None:
        self.place.show()
        self.refresh()

    def refresh(self) -> None:
        if self.panel.db is not self.shell.db:
            self.panel.set_database(self.shell.db)
        else:
            self.panel.refresh()

    def _file_name(self, suffix: str) -> str:
        start, end = self.panel.range()
        who = self.panel.am_combo.currentData()
        return f"Dashboard {start:%Y-%m} to {end:%Y-%m}{f' {who}' if who else ''}{suffix}"

    def export_png(self) -> None:
        """The charts as drawn, at print resolution."""
        if self.panel.figure is None or self.panel.shown is None:
            return
        path = self.paths.ask(
            self.window, "Save the dashboard as", self._file_name(".png"), ".png", PNG_FILTER
        )
        if path is None:
            return
        try:
            self.panel.figure.savefig(path, dpi=150)
        except OSError as error:
            self.dialogs.error(
                self.window, "Export PNG", f"Could not save {path.name}: {error.strerror or error}"
            )
            return
        self.shell.statusBar().showMessage(f"Saved the dashboard's charts to {path}.", 10000)

    def export_excel(self) -> None:
        """The figures shown (the AM's without costs) to a workbook, off the GUI thread."""
        board, db = self.panel.shown, self.shell.db
        if board is None or db is None or self.running is not None:
            return
        path = self.paths.ask(self.window, "Export the dashboard as", self._file_name(".xlsx"))
        if path is None:
            return
        from app.services.excel.dashboard_sheet import export_dashboard  # openpyxl: when first used

        def work(progress: Progress) -> Any:
            return export_dashboard(db, board, path, progress=progress)

        def over() -> None:
            self.running = None

        def done(_result: Any) -> None:
            self.shell.statusBar().showMessage(f"Exported the dashboard to {path}.", 10000)

        self.stopped = False
        self.running = start_export(
            self.window,
            self.dialogs,
            "Exporting the dashboard…",
            work,
            done,
            over,
            lambda message: self.shell.statusBar().showMessage(message, 8000),
            stopped=lambda: self.stopped,
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.place.close()  # where its own window was, kept
            self.stopped = True
            if self.running is not None:
                self.running.cancel()
        return False
