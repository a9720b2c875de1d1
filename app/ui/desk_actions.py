"""The account manager's desk: the pipeline, follow-ups, client pages, capacity outlook and dashboard.

The main window makes one :class:`DeskActions`; it makes each part's actions (each part lives in
its own package and adds its own menu entries) and holds what they share: *View › Show costs and
margins* (the PM's view). Unticked, the board, the client page and the dashboard are the AM's: they
show prices, never a cost or a margin. The choice is this user's, kept in the window's settings;
``pmViewChanged`` tells every part to draw again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu

from app.services.outlook.flags import overbooked_projects
from app.ui.accounts.accounts_actions import AccountsActions
from app.ui.activities.actions import ActivitiesActions
from app.ui.dashboard.actions import DashboardActions
from app.ui.outlook.actions import OutlookActions
from app.ui.pipeline.actions import PipelineActions
from app.ui.search.actions import SearchActions
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import window_action

PM_VIEW_KEY = "desk/pm_view"


def menu_named(shell: Shell, text: str) -> QMenu:
    """The menu bar's menu of that text ("&View")."""
    menu = next(a.menu() for a in shell.menuBar().actions() if a.text() == text)
    assert isinstance(menu, QMenu)
    return menu


class DeskActions(ShellActions):
    pmViewChanged = Signal(bool)

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.view_menu = menu_named(shell, "&View")
        self.view_menu.addSeparator()
        self.pm_view_action = window_action(
            self.window, "Show costs and margins", "actionPmView", lambda: None,
            tip="The PM's view of the pipeline, client pages and dashboard; unticked, the AM's: prices only",
        )
        self.pm_view_action.setCheckable(True)
        settings = shell.settings
        self.pm_view_action.setChecked(
            bool(settings is not None and settings.value(PM_VIEW_KEY, False, bool)))
        self.pm_view_action.toggled.connect(self._on_pm_view)
        self.view_menu.addAction(self.pm_view_action)
        self.pipeline = PipelineActions(shell, self, menu_named(shell, "&Edit"))  # View › Pipeline
        self.activities = ActivitiesActions(shell, self)  # follow-ups, the start page, the brief
        self.accounts = AccountsActions(shell, self)  # View › Client page, View › Growth grid
        self.dashboard = DashboardActions(shell, self)
        self.search = SearchActions(shell, self)  # Edit › Search everything… (Ctrl+Shift+F)
        self.outlook = OutlookActions(shell, self)
        # The pipeline's cards flagged by the weeks the capacity outlook finds over-booked.
        board = self.pipeline.panel
        board.warnings = lambda db: overbooked_projects(db, board.today())

    @property
    def pm_view(self) -> bool:
        return self.pm_view_action.isChecked()

    def _on_pm_view(self, on: bool) -> None:
        if self.shell.settings is not None:
            self.shell.settings.setValue(PM_VIEW_KEY, on)
        self.pmViewChanged.emit(on)
