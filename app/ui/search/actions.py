"""Edit › Search everything… (Ctrl+Shift+F): the search box atop the navigator, and opening what it finds.

An estimate or a quote sent opens its estimate; a line opens its estimate with the line
selected; a project opens its details, a client or a contact its client.
"""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QDockWidget

from app.services.search.query import Hit, Results, search
from app.services.storage.errors import StorageError
from app.ui.projects.actions import ProjectActions
from app.ui.search.box import SearchBox
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import window_action


class SearchActions(ShellActions):
    def __init__(self, shell: Shell, projects: ProjectActions) -> None:
        super().__init__(shell)
        self.projects = projects
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
        if hit.kind in ("client", "contact"):
            self.projects.show_client(hit.client_id)
        elif hit.kind == "project":
            self.projects.show_details(hit.project_id)
        elif hit.estimate_id is not None:
            self.shell.open_estimate(hit.estimate_id)
            workspace = self.shell.workspace
            if hit.kind == "line" and workspace is not None and workspace.doc.header.id == hit.estimate_id:
                workspace.focus_row(hit.id)
                workspace.production_view.setFocus()
