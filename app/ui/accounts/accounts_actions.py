"""View › Client page and View › Growth grid, each in its place (a tab beside the estimate or a
window of its own), and the ways in: the navigator's right-click on a client, the client dialog's
*Client page* button, a double click on a client in the growth grid.

Both read again when the navigator reads the directory again (a database opened, others' changes
shown at the next poll) and after every step taken in the window, while they are shown; the
client page follows *View › Show costs and margins* (the PM's view adds margins).
"""

from __future__ import annotations

import uuid
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.ui.accounts.client_page_panel import ClientPagePanel
from app.ui.accounts.growth_panel import GrowthPanel
from app.ui.crew.place import PlaceSpec, ViewPlace
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import window_action


class Desk(Protocol):
    """What this takes from :class:`app.ui.desk_actions.DeskActions` (which makes it)."""

    view_menu: QMenu
    pmViewChanged: SignalInstance

    @property
    def pm_view(self) -> bool: ...


CLIENT_PAGE = PlaceSpec(
    "client_page",
    "Client page",
    "ClientPage",
    "The selected client's projects, quotes, activities and figures; View › Client page opens in… "
    "puts it in a window of its own",
)
GROWTH_GRID = PlaceSpec(
    "growth_grid",
    "Growth grid",
    "GrowthGrid",
    "What each client bought per catalog category, and never bought; View › Growth grid opens in… "
    "puts it in a window of its own",
)


class AccountsActions(ShellActions):
    def __init__(self, shell: Shell, desk: Desk) -> None:
        super().__init__(shell)
        self.desk = desk
        window = self.window
        self.page = ClientPagePanel(window)
        self.page.set_pm_view(desk.pm_view)
        self.page_place = ViewPlace(self.page, shell.places, shell.settings, window, CLIENT_PAGE)
        self.growth = GrowthPanel(window)
        self.growth_place = ViewPlace(self.growth, shell.places, shell.settings, window, GROWTH_GRID)
        for panel in (self.page, self.growth):
            panel.problem.connect(lambda message: shell.statusBar().showMessage(message, 8000))
        self.page.loaded.connect(self._name_tab)
        self.page.estimateActivated.connect(self._open_estimate)
        self.page.projectActivated.connect(self._open_project)
        self.growth.clientActivated.connect(lambda client: self.show_page(uuid.UUID(client)))
        self.page_action = window_action(
            window,
            "Client page",
            "actionClientPage",
            self.show_page,
            tip="The selected client's contacts, projects and estimates, quotes sent, activities and figures",
        )
        self.growth_action = window_action(
            window,
            "Growth grid",
            "actionGrowthGrid",
            self.show_growth,
            tip="What each client bought per catalog category on won work, and what it never bought",
        )
        view_menu = desk.view_menu
        for action, place, title in (
            (self.page_action, self.page_place, CLIENT_PAGE.title),
            (self.growth_action, self.growth_place, GROWTH_GRID.title),
        ):
            view_menu.addAction(action)
            opens = view_menu.addMenu(f"{title} opens")
            for made in place.choice_actions.values():
                opens.addAction(made)
        desk.pmViewChanged.connect(self.page.set_pm_view)
        projects = getattr(shell, "project_actions", None)  # the client dialog's Client page button
        if projects is not None:
            projects.clientPageRequested.connect(self.show_page)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        shell.undo_group.indexChanged.connect(lambda _index: self._pending.start())
        shell.navigator.loaded.connect(self.refresh)
        window.installEventFilter(self)

    # -- showing ------------------------------------------------------------------------------------

    def current_client(self) -> uuid.UUID | None:
        return self.shell.navigator.current_of("client")  # type: ignore[no-any-return]

    def show_page(self, client_id: uuid.UUID | None = None) -> None:
        """The client's page (the one given, else the navigator's client) in its place."""
        client_id = client_id if isinstance(client_id, uuid.UUID) else self.current_client()
        if self.shell.db is None or client_id is None:
            self.shell.statusBar().showMessage("Choose a client in the navigator first.", 8000)
            return
        self.page_place.show()
        self.page.show_client(self.shell.db, client_id)

    def show_growth(self) -> None:
        if self.shell.db is None:
            return
        self.growth_place.show()
        self.growth.set_database(self.shell.db)
        self.growth.filter.setFocus()

    def refresh(self) -> None:
        """Read again what is shown (another database: the page closes, the grid is its)."""
        db = self.shell.db
        if _open(self.page_place):
            self.page.show_client(db, self.page.client_id if db is self.page.db else None)
        if _open(self.growth_place):
            self.growth.set_database(db)

    def _name_tab(self) -> None:
        tabs, page = self.shell.places, self.page.page
        index = tabs.indexOf(self.page)
        if index >= 0:
            tabs.setTabText(index, f"Client — {page.name}" if page else CLIENT_PAGE.title)
        self.page_place.window.setWindowTitle(f"{page.name if page else CLIENT_PAGE.title} — Tandem")

    def _open_estimate(self, estimate_id: uuid.UUID) -> None:
        """The navigator opens the estimate selected in it; the estimate's tab comes to the front."""
        if not self.shell.navigator.select(estimate_id):
            return
        if self.page_place.in_tab():
            self.shell.places.setCurrentIndex(0)
        else:  # from the page's own window: the main window, with the estimate, to the front
            self.window.raise_()
            self.window.activateWindow()

    def _open_project(self, project_id: uuid.UUID) -> None:
        self.shell.navigator.select(project_id)
        details = self.window.findChild(QAction, "actionProjectDetails")
        if details is not None:
            details.trigger()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.page_place.close()
            self.growth_place.close()
        return False


def _open(place: ViewPlace) -> bool:
    """A tab (current or not) or a window shown: what is there must be up to date."""
    return place.in_tab() or place.window.isVisible()
