"""Edit › Search everything… (Ctrl+Shift+F): the search box atop the navigator, and opening what it finds.

Made by the desk (app/ui/desk_actions.py). An estimate or a quote sent opens its estimate; a line
opens its estimate with the line selected; a project or a client opens as a double click in the
navigator opens it (the navigator's signals), a contact its client.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QBoxLayout, QDockWidget, QMenu

from app.services.search.query import Hit, Results, search
from app.services.storage.errors import StorageError
from app.ui.search.box import SearchBox
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import window_action


class SearchActions(ShellActions):
    def __init__(self, shell: Shell, desk: QObject) -> None:
        """``desk``: the DeskActions making this (not used yet: search shows no cost)."""
        super().__init__(shell)
        self.box = SearchBox(shell.navigator, self.window)
        self.box.search = self.search
        self.box.opened.connect(self.open_hit)
        layout = shell.navigator.layout()
        if isinstance(layout, QBoxLayout):  # atop the navigator's tree
            layout.insertWidget(0, self.box)
        self.search_action = window_action(
            self.window,
            "Search everything…",
            "actionSearchEverything",
            self.focus_box,
            "Ctrl+Shift+F",
            "Clients, contacts, projects (lost and cancelled too), estimates, quote numbers, lines",
        )
        self._add_to_edit_menu()

    def _add_to_edit_menu(self) -> None:
        """After Edit › Find previous, the last of the find actions."""
        after = self.window.findChild(QAction, "actionFindPrevious")
        for entry in self.shell.menuBar().actions():
            menu = entry.menu()
            if isinstance(menu, QMenu) and after in menu.actions():
                entries = menu.actions()
                if after is entries[-1]:
                    menu.addAction(self.search_action)
                else:
                    menu.insertAction(entries[entries.index(after) + 1], self.search_action)
                return

    def focus_box(self) -> None:
        """The box takes the typing; the navigator it is in comes back first if it was closed."""
        dock = self.shell.navigator.parentWidget()
        if isinstance(dock, QDockWidget) and not dock.isVisible():
            dock.show()
        self.box.setFocus()
        self.box.selectAll()

    def search(self, text: str) -> Results:
        db = self.shell.db
        if db is None:
            return Results(note="Open a database to search it.")
        try:
            return search(db, text)
        except StorageError as error:
            return Results(note=str(error))

    def open_hit(self, hit: Hit) -> None:
        navigator = self.shell.navigator
        if hit.kind in ("client", "contact"):
            navigator.clientActivated.emit(hit.client_id)
        elif hit.kind == "project":
            navigator.projectActivated.emit(hit.project_id)
        elif hit.estimate_id is not None:
            self.shell.open_estimate(hit.estimate_id)
            workspace = self.shell.workspace
            if hit.kind == "line" and workspace is not None and workspace.doc.header.id == hit.estimate_id:
                workspace.focus_row(hit.id)
                workspace.production_view.setFocus()
