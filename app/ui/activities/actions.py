"""The desk's follow-ups: Project › Activities… and Brief…, View › My follow-ups, Start page, Brief.

*My follow-ups* and the *Start page* are places (a tab beside the estimate, or a window of their
own: :class:`~app.ui.crew.place.ViewPlace`); each list's Done ticks are steps on its own stack in
the window's undo group. Both are read again when the navigator reads the directory (the database
opened, others' changes shown), after any step taken elsewhere, when an activities editor saves and
when the window is activated again; the status bar's “N follow-ups due” follows the lists. A double
click opens the row's project (its details) or, for a client's own activity, the client's editor.

The *Brief* dock (View › Brief, beside the estimate panes, hidden until asked) shows the open
estimate's project's brief, read again when another estimate opens, when Project › Brief… saves
and when others' changes are shown.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QMenu, QStackedWidget, QWidget

from app.services.activities.follow_ups import ActivityRow
from app.services.storage.database import Database
from app.ui.activities.brief import BriefDialog, BriefView
from app.ui.activities.editors import ActivityEditors
from app.ui.activities.follow_ups_panel import FollowUpsPanel
from app.ui.activities.start_page import ON_OPENING_KEY, StartPage, shows_on_opening
from app.ui.crew.place import PlaceSpec, ViewPlace
from app.ui.field_table import EDIT_ERRORS
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import status_label, window_action

FOLLOW_UPS = PlaceSpec(
    "follow_ups",
    "My follow-ups",
    "FollowUps",
    "Your open follow-ups across projects and clients, overdue first (Ctrl+Alt+F)",
)
START_PAGE = PlaceSpec(
    "start_page", "Start page", "StartPage", "The account manager's desk: My follow-ups first"
)


class ActivitiesActions(ShellActions):
    def __init__(self, shell: Shell, desk: QObject) -> None:
        super().__init__(shell)
        window, settings = self.window, shell.settings
        self.db: Database | None = None
        self.follow_ups = FollowUpsPanel(settings, window)
        self.start_page = StartPage(settings, window)
        self.place = ViewPlace(self.follow_ups, shell.places, settings, window, FOLLOW_UPS)
        self.start_place = ViewPlace(self.start_page, shell.places, settings, window, START_PAGE)
        self.due_label = status_label(shell.statusBar(), "followUpsDueLabel")
        self.due_label.setToolTip("Your follow-ups due today or overdue (View › My follow-ups)")
        for panel in self.panels():
            shell.undo_group.addStack(panel.undo_stack)
            panel.activated.connect(lambda p=panel: self._take_undo(p))
            panel.problem.connect(lambda message: shell.statusBar().showMessage(message, 8000))
            panel.dueChanged.connect(self._show_due)
            panel.rowActivated.connect(self._open_row)
            panel.ownerChanged.connect(lambda _owner, p=panel: self._owner_chosen(p))
        self.editors = ActivityEditors(self.dialogs, window)
        self.editors.changed.connect(self.refresh)
        self.briefs: dict[uuid.UUID, BriefDialog] = {}
        self.brief_view = BriefView(window)
        self.brief_dock = QDockWidget("Brief", window)
        self.brief_dock.setObjectName("briefDock")
        self.brief_dock.setWidget(self.brief_view)
        if isinstance(window, QMainWindow):
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.brief_dock)
        self.brief_dock.hide()
        self.brief_dock.visibilityChanged.connect(self._on_dock_shown)
        dock_action = self.brief_dock.toggleViewAction()
        dock_action.setObjectName("actionBriefDock")
        dock_action.setToolTip("The open estimate's project brief, beside the estimate (the AM writes it)")
        self.follow_ups_action = window_action(
            window,
            FOLLOW_UPS.title,
            "actionMyFollowUps",
            self.show_follow_ups,
            "Ctrl+Alt+F",
            "Your open follow-ups across projects and clients, overdue first",
        )
        self.start_action = window_action(
            window, "Start page", "actionStartPage", self.show_start_page, tip=START_PAGE.tip
        )
        self.on_opening_action = window_action(
            window,
            "Show the start page on opening",
            "actionStartPageOnOpening",
            lambda: None,
            tip="Open the start page whenever a database is opened (kept for you)",
        )
        self.on_opening_action.setCheckable(True)
        self.on_opening_action.setChecked(shows_on_opening(settings))
        self.on_opening_action.toggled.connect(self._on_opening_toggled)
        self.activities_action = window_action(
            window,
            "Activities…",
            "actionActivities",
            self.show_activities,
            tip="Calls, meetings, emails, quotes sent and follow-ups of the project (or of the client "
            "chosen in the navigator)",
        )
        self.brief_action = window_action(
            window,
            "Brief…",
            "actionBrief",
            self.show_brief,
            tip="Goals, audience, venue, dates, the budget the client mentioned, must-haves, competitors",
        )
        view_menu = desk.view_menu  # type: ignore[attr-defined]  # DeskActions (imports this module)
        for action in (self.start_action, self.follow_ups_action, dock_action, self.on_opening_action):
            view_menu.addAction(action)
        opens = view_menu.addMenu(f"{FOLLOW_UPS.title} opens")
        for made in self.place.choice_actions.values():
            opens.addAction(made)
        project_menu = next(a.menu() for a in shell.menuBar().actions() if a.text() == "&Project")
        assert isinstance(project_menu, QMenu)
        project_menu.addSeparator()
        project_menu.addAction(self.activities_action)
        project_menu.addAction(self.brief_action)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        shell.undo_group.indexChanged.connect(self._after_step)
        shell.navigator.loaded.connect(self._on_loaded)
        estimate_stack = shell.places.widget(0)
        if isinstance(estimate_stack, QStackedWidget):  # another estimate opened (or closed)
            estimate_stack.currentChanged.connect(lambda _index: self.show_open_brief())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        window.installEventFilter(self)

    def panels(self) -> tuple[FollowUpsPanel, FollowUpsPanel]:
        return self.follow_ups, self.start_page.follow_ups

    # -- the lists ---------------------------------------------------------------------------------

    def _on_loaded(self) -> None:
        if self.shell.db is not self.db:  # a database opened: its lists, no old steps
            self.db = self.shell.db
            for panel in self.panels():
                panel.set_database(self.db)
            self.editors.close()
            for dialog in self.briefs.values():
                dialog.close()
            self.briefs.clear()
            if self.on_opening_action.isChecked():
                QTimer.singleShot(0, self.show_start_page)  # after the estimate it starts with opens
        else:
            self.refresh()
            self.editors.refresh()
        self.show_open_brief()

    def refresh(self) -> None:
        for panel in self.panels():
            panel.refresh()

    def show_follow_ups(self) -> None:
        self.place.show()
        self.follow_ups.refresh()
        self.follow_ups.view.setFocus()
        self._take_undo(self.follow_ups)

    def show_start_page(self) -> None:
        self.start_place.show()
        self.start_page.follow_ups.refresh()
        self._take_undo(self.start_page.follow_ups)

    def _on_opening_toggled(self, on: bool) -> None:
        if self.shell.settings is not None:
            self.shell.settings.setValue(ON_OPENING_KEY, on)

    def _owner_chosen(self, chosen: FollowUpsPanel) -> None:
        for panel in self.panels():
            if panel is not chosen:
                panel.set_owner(chosen.chosen_owner())

    def _after_step(self, _index: int) -> None:
        active = self.shell.undo_group.activeStack()
        for panel in self.panels():
            if active is not panel.undo_stack:  # its own ticks are shown as made
                panel.refresh()

    def _show_due(self, count: int) -> None:
        self.due_label.setText(f"{count} follow-up{'s' if count != 1 else ''} due" if count else "")

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        for panel in self.panels():
            if new is not None and (new is panel or panel.isAncestorOf(new)):
                self._take_undo(panel)

    def _take_undo(self, panel: FollowUpsPanel) -> None:
        if self.shell.undo_group.activeStack() is not panel.undo_stack:
            self.shell.undo_group.setActiveStack(panel.undo_stack)

    def _open_row(self, row: ActivityRow) -> None:
        """A project's row: its details; a client's own: the client's activities."""
        if row.project_id is None:
            if self.shell.db is not None and row.client_id is not None:
                self.shell.navigator.select(row.client_id)
                self.editors.show(self.shell.db, None, row.client_id)
            return
        self.shell.navigator.select(row.project_id)
        self.shell.update_actions()  # the Project menu's actions follow the project just chosen
        details = self.window.findChild(QAction, "actionProjectDetails")
        if details is not None:
            details.trigger()

    # -- Project › Activities…, Brief… ----------------------------------------------------------------

    def current_project(self) -> uuid.UUID | None:
        chosen = self.shell.navigator.current_of("project")
        if chosen is None and self.shell.workspace is not None:
            chosen = self.shell.workspace.doc.header.project_id
        return chosen  # type: ignore[no-any-return]

    def show_activities(self) -> None:
        db, navigator = self.shell.db, self.shell.navigator
        current = navigator.current()
        if db is None:
            return
        if current is not None and current[0] == "client":
            self.editors.show(db, None, current[1])
            return
        project_id = self.current_project()
        if project_id is None:
            self.shell.statusBar().showMessage("Choose a project or a client in the navigator first.", 8000)
            return
        self.editors.show(db, project_id, None)

    def show_brief(self) -> BriefDialog | None:
        db, project_id = self.shell.db, self.current_project()
        if db is None or project_id is None:
            self.shell.statusBar().showMessage("Choose a project in the navigator first.", 8000)
            return None
        dialog = self.briefs.get(project_id)
        try:
            if dialog is None:
                dialog = BriefDialog(db, project_id, self.window)
                dialog.saved.connect(lambda _id: self.show_open_brief())
                self.briefs[project_id] = dialog
            elif not dialog.isVisible():
                dialog.reload()
        except EDIT_ERRORS as error:
            self.dialogs.error(self.window, "Brief", str(error))
            return None
        dialog.open()
        return dialog

    def _on_dock_shown(self, shown: bool) -> None:
        if shown:
            self.show_open_brief()

    def show_open_brief(self) -> None:
        """The dock: the open estimate's project's brief (only read while the dock is shown)."""
        if not self.brief_dock.isVisible():
            return
        workspace = self.shell.workspace
        header = workspace.doc.header if workspace is not None else None
        self.brief_view.read(
            self.shell.db, header.project_id if header else None, header.currency if header else ""
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.window
            and event.type() == QEvent.Type.WindowActivate
            and self.shell.db is not None
        ):
            self.refresh()
        elif watched is self.window and event.type() == QEvent.Type.Close:
            self.place.close()
            self.start_place.close()
        return False
