"""The main window: assembles the navigator, the two-pane workspace, the catalog, menus and actions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QWidget,
)

from app import __version__
from app.services import directory
from app.services.estimate.document import ConcurrentEditError, EstimateDocument
from app.services.lookups import load_catalog
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.ui.company.actions import CompanyActions
from app.ui.context_menus import install_window_menus, install_workspace_menus
from app.ui.crew.capacity_view import CapacityView
from app.ui.crew.panel import CrewCalendarPanel
from app.ui.crew.place import CrewCalendarPlace, fixed_first_tab
from app.ui.crew.staffing_panel import StaffingPanel
from app.ui.desk_actions import DeskActions
from app.ui.dialogs import UserDialogs
from app.ui.directory_actions import DirectoryActions
from app.ui.editor_actions import EditorActions
from app.ui.equipment.timeline_actions import EquipmentTimelineActions
from app.ui.estimate.actions import EstimateActions
from app.ui.estimate.catalog_panel import CatalogPanel
from app.ui.estimate.edit_actions import EditActions
from app.ui.estimate.find_actions import FindActions
from app.ui.estimate.workspace import EstimateWorkspace
from app.ui.excel.export_actions import ExportActions
from app.ui.excel.import_actions import ImportActions
from app.ui.idle_reload import IdleReload
from app.ui.navigator import NavigatorPanel
from app.ui.projects.actions import ProjectActions
from app.ui.quote.actions import QuoteActions
from app.ui.schedule.deadlines_actions import DeadlinesActions
from app.ui.storage.file_actions import DatabaseActions
from app.ui.storage.sharing import SharingMonitor
from app.ui.widgets import (
    add_actions,
    redo_shortcuts,
    restore_window,
    save_window,
    status_label,
    store_text,
    stored_text,
    window_action,
)


class MainWindow(QMainWindow):
    def __init__(self, dialogs: UserDialogs | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None, watch_sharing: bool = True,
                 backup_on_open: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Tandem")
        self.resize(1500, 860)
        self.dialogs = dialogs or UserDialogs()
        self.settings = settings
        self.db: Database | None = None
        self.workspace: EstimateWorkspace | None = None
        self.undo_group = QUndoGroup(self)
        self.watch_sharing = watch_sharing
        self.backup_on_open = backup_on_open
        self.sharing: SharingMonitor | None = None
        # Others' changes, and a reprice after rules or roles are saved, wait for an open cell editor.
        self.live_refresh = IdleReload(self._show_others_changes, self._estimate_views, self)
        self.reprice = IdleReload(self._reprice, self._estimate_views, self)

        self.stack = QStackedWidget(self)
        self.placeholder = QLabel("Open an estimate from the navigator on the left.", self)
        self.placeholder.setObjectName("workspacePlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        # The central area: the estimate, and the crew calendar's tab beside it once opened.
        self.places = QTabWidget(self)
        self.places.setObjectName("centralTabs")
        self.places.setDocumentMode(True)
        self.places.setTabBarAutoHide(True)
        self.places.setTabsClosable(True)
        self.places.addTab(self.stack, "Estimate")
        fixed_first_tab(self.places)
        self.setCentralWidget(self.places)

        self.navigator = NavigatorPanel(self)
        self.navigator.estimateActivated.connect(self.open_estimate)
        self.navigator.renameFailed.connect(self._show_status_error)
        self.navigator_dock = self._dock("Navigator", "navigatorDock", self.navigator,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        self.catalog = CatalogPanel(self)
        self.catalog_dock = self._dock("Catalog", "catalogDock", self.catalog,
                                       Qt.DockWidgetArea.BottomDockWidgetArea)
        self.catalog_dock.hide()
        # Crew planning: the open project's staffing, and capacity across projects (issue 4).
        self.staffing = StaffingPanel(self)
        self.staffing_dock = self._dock("Staffing", "staffingDock", self.staffing,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.staffing_dock.hide()
        self.capacity_view = CapacityView(self)
        self.capacity_dock = self._dock("Capacity", "capacityDock", self.capacity_view,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.capacity_dock.hide()
        self.resizeDocks([self.navigator_dock], [220], Qt.Orientation.Horizontal)
        self.crew_panel = CrewCalendarPanel(self.dialogs, self)
        self.crew_place = CrewCalendarPlace(self.crew_panel, self.places, settings, self)
        self.undo_group.addStack(self.crew_panel.undo_stack)
        self.crew_panel.activated.connect(lambda: self.undo_group.setActiveStack(self.crew_panel.undo_stack))
        self.crew_panel.assignmentsChanged.connect(self._on_crew_changed)
        self.places.currentChanged.connect(lambda _index: self._follow_focus())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

        self.file_actions = DatabaseActions(self)
        self.company_actions = CompanyActions(self)
        self.directory_actions = DirectoryActions(self)
        self.project_actions = ProjectActions(self)
        self.undo_group.addStack(self.project_actions.undo_stack)
        # A step just taken from the Project menu is what Edit › Undo names (until the user works elsewhere).
        self.project_actions.undo_stack.indexChanged.connect(self._on_project_step)
        self.editor_actions = EditorActions(self)
        self.edit_actions = EditActions(self)
        self.find_actions = FindActions(self)
        self.catalog.entryChosen.connect(self.edit_actions.add_catalog_entry)
        self.estimate_actions = EstimateActions(self)
        self.import_actions = ImportActions(self)
        self.export_actions = ExportActions(self)
        self.quote_actions = QuoteActions(self)  # the quote as a PDF and printed
        self._build_actions()
        self._build_menus()
        self.equipment_timeline = EquipmentTimelineActions(self)  # View › Equipment timeline (its place)
        self.deadlines = DeadlinesActions(self)  # View › Deadlines, the overdue count, Project › Timeline…
        self.desk = DeskActions(self)  # the pipeline, follow-ups, client pages, outlook and dashboard
        install_window_menus(self)
        self.presence_label = status_label(self.statusBar(), "presenceLabel")
        # A share whose locks cannot be trusted: "Read-only" or a warning, the reason in its tooltip.
        self.share_label = status_label(self.statusBar(), "shareLabel")
        self.db_label = status_label(self.statusBar(), "databaseLabel")
        self.update_actions()
        restore_window(self, self.settings)

    # -- building ------------------------------------------------------------------

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, name: str, slot: Callable[[], Any],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
        return window_action(self, text, name, slot, shortcut, tip)

    def _build_actions(self) -> None:
        self.undo_action = self.undo_group.createUndoAction(self, "Undo")
        self.undo_action.setObjectName("actionUndo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "Redo")
        self.redo_action.setObjectName("actionRedo")
        self.redo_action.setShortcuts(redo_shortcuts())
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
        self.quit_action = self._action("Quit", "actionQuit", self.close, QKeySequence.StandardKey.Quit)
        self.about_action = self._action("About Tandem", "actionAbout", self._on_about)
        self.crew_action = self._action("Crew calendar", "actionCrewCalendar", self.show_crew_calendar,
                                        "Ctrl+Shift+C", "Show the crew calendar, on the open project's days")
        self.crew_layout_actions = self.crew_place.choice_actions  # View › Crew calendar opens

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        add_actions(file_menu, [
            *self.file_actions.actions, None, *self.company_actions.actions, None,
            *self.project_actions.new_actions,
            *self.directory_actions.actions, None,
            *self.export_actions.actions, *self.quote_actions.actions, None,
            *self.import_actions.actions, None,
            self.quit_action,
        ])
        edit_menu = bar.addMenu("&Edit")
        add_actions(edit_menu, [
            self.undo_action, self.redo_action, None,
            *self.edit_actions.actions, None,
            *self.find_actions.actions, None,
            *self.editor_actions.actions,
        ])
        estimate_menu = bar.addMenu("E&stimate")
        estimate_menu.setObjectName("estimateMenu")
        add_actions(estimate_menu, [*self.estimate_actions.menu_actions, None,
                                    self.project_actions.details_action])
        project_menu = bar.addMenu("&Project")
        project_menu.setObjectName("projectMenu")
        add_actions(project_menu, self.project_actions.actions)
        view_menu = bar.addMenu("&View")
        for dock in (self.staffing_dock, self.capacity_dock):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(self.navigator_dock.toggleViewAction())
        view_menu.addAction(self.catalog_dock.toggleViewAction())
        view_menu.addAction(self.crew_action)
        view_menu.addAction(self.estimate_actions.subrent.company_shortages_action)
        crew_in = view_menu.addMenu("Crew calendar opens")
        for action in self.crew_layout_actions.values():
            crew_in.addAction(action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

        toolbar = QToolBar("Estimate", self)
        toolbar.setObjectName("estimateToolbar")
        toolbar.setMovable(False)
        add_actions(toolbar, [self.undo_action, self.redo_action, None, *self.edit_actions.toolbar_actions])
        self.addToolBar(toolbar)

    # -- database and estimates -------------------------------------------------------

    def set_database(self, db: Database) -> None:
        """Show a database: its directory, its catalog, and the estimate to start from."""
        self.close_estimate()
        self.project_actions.close_dialogs()
        self.stop_sharing()
        self.db = db
        if db.path is not None:  # the file the next start opens (never a server URL: it may hold a password)
            store_text(self.settings, "database/last", str(db.path))
        self.capacity_view.set_database(db)
        if self.backup_on_open:
            self.file_actions.snapshot_quietly(db)
        if self.watch_sharing:
            self.sharing = SharingMonitor(db, self)
            self.sharing.changedElsewhere.connect(self.refresh_from_database)
            self.sharing.peersChanged.connect(self.presence_label.setText)
            self.sharing.problem.connect(self._show_status_error)
            self.sharing.start()
        self.db_label.setText(f"{db.display_name} · schema {db.revision}")
        self._show_share_state(db)
        self.navigator.load(db)
        self.crew_panel.set_database(db)
        self.equipment_timeline.set_database(db)
        self.company_actions.use_locale(db)
        with db.read() as conn:
            self.catalog.set_entries(load_catalog(conn))
        start = self._estimate_to_start_with()
        if start is not None:
            self.open_estimate(start)
        self.update_actions()

    def _estimate_to_start_with(self) -> uuid.UUID | None:
        ids = self.navigator.first_estimate_ids()
        last = stored_text(self.settings, f"last_estimate/{self._db_key()}")
        if last and any(str(i) == last for i in ids):
            return uuid.UUID(last)
        # Otherwise the next upcoming project's first estimate: what the team works on now.
        assert self.db is not None
        upcoming: list[tuple[date, uuid.UUID]] = []
        for client in directory.load_directory(self.db):
            for project in client.projects:
                if project.estimates:
                    upcoming.append((project.start_date or date.max, project.estimates[0].id))
        today = date.today()
        future = sorted(u for u in upcoming if u[0] >= today) or sorted(upcoming)
        return future[0][1] if future else None

    def open_estimate(self, estimate_id: uuid.UUID) -> None:
        if self.db is None:
            return
        if self.workspace is not None and self.workspace.doc.estimate_id == estimate_id:
            return
        try:
            doc = EstimateDocument(self.db, estimate_id)
        except (StorageError, ConcurrentEditError) as error:
            self.dialogs.error(self, "Cannot open the estimate", str(error))
            return
        self.close_estimate()
        self.workspace = EstimateWorkspace(doc, self)
        self.workspace.editor.errorRaised.connect(self._show_status_error)
        self.workspace.editor.resolve_conflict = lambda view: self.dialogs.resolve_conflict(self, view)
        self.workspace.editor.confirm = lambda title, text: self.dialogs.confirm(self, title, text)
        self.workspace.editor.masterDataChanged.connect(self.editor_actions.refresh)
        self.workspace.production_view.selectionModel().selectionChanged.connect(
            lambda *_: self.update_actions()
        )
        install_workspace_menus(self, self.workspace)
        self.undo_group.addStack(self.workspace.editor.undo_stack)
        self.staffing.set_editor(self.workspace.editor)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        self.places.setCurrentWidget(self.stack)  # an estimate opened is an estimate shown
        self.places.setTabText(0, doc.header.name)
        if not self._in_calendar(QApplication.focusWidget()):
            self.undo_group.setActiveStack(self.workspace.editor.undo_stack)
        self.navigator.open_estimate_id = estimate_id
        self.navigator.select(estimate_id)
        header = doc.header
        self.setWindowTitle(f"{header.name} · {header.project_name} — Tandem")
        store_text(self.settings, f"last_estimate/{self._db_key()}", str(estimate_id))
        self.estimate_actions.estimate_opened(doc)
        self.update_actions()

    def close_estimate(self) -> None:
        if self.workspace is None:
            return
        workspace, self.workspace = self.workspace, None
        self.estimate_actions.close_history()
        self.staffing.set_editor(None)
        self.undo_group.removeStack(workspace.editor.undo_stack)
        workspace.detach()
        self.stack.removeWidget(workspace)
        # Out of the window at once, so that nothing (findChild included) sees two workspaces.
        workspace.hide()
        workspace.setParent(None)  # type: ignore[call-overload]
        workspace.deleteLater()
        self.stack.setCurrentWidget(self.placeholder)
        self.places.setTabText(0, "Estimate")
        self.setWindowTitle("Tandem")

    def refresh_from_database(self) -> None:
        """Show what others committed: the directory and the open estimate, reloaded.

        Never while a cell is being edited (the user's typing would be lost): it runs
        once the editor has closed.
        """
        if self.db is not None:
            self.live_refresh.request()

    def _estimate_views(self) -> tuple[QAbstractItemView, ...]:
        return self.workspace.edited_views() if self.workspace is not None else ()

    def _show_others_changes(self) -> None:
        if self.db is None:
            return
        try:
            self.navigator.load(self.db)
            self.crew_panel.refresh()
            self.equipment_timeline.refresh()
            self.project_actions.refresh()
            self.company_actions.refresh()
            self.editor_actions.refresh()
            if not self._reload_estimate():
                return
            self.staffing.refresh()
            if self.capacity_view.isVisible():
                self.capacity_view.refresh()
        except StorageError as error:
            # A disk I/O error, a damaged read: nothing shown was changed; the next poll tries again.
            if self.sharing is not None:
                self.sharing.reload_failed()
            self._show_status_error(f"Could not show others' latest changes: {error} Trying again shortly.")
            return
        self.statusBar().showMessage("Updated with changes saved by others.", 5000)

    def _show_share_state(self, db: Database) -> None:
        """Say, as long as the file is open, that its share does not lock: read-only, or a warning."""
        warning = db.read_only or db.share_warning
        self.share_label.setText("" if warning is None else "Read-only" if db.read_only else "Unsafe share")
        self.share_label.setToolTip(warning or "")
        if warning is not None:
            self.statusBar().showMessage(warning, 30000)

    def stop_sharing(self) -> None:
        if self.sharing is not None:
            self.sharing.stop()
            self.sharing.deleteLater()
            self.sharing = None

    def show_crew_calendar(self) -> None:
        """The calendar in its place (tab or window), on the open estimate's project's days."""
        self.crew_place.show()
        if self.workspace is not None:
            self.crew_panel.go_to_project(self.workspace.doc.header.project_id)
        self.crew_panel.view.setFocus()
        self.undo_group.setActiveStack(self.crew_panel.undo_stack)

    def _on_crew_changed(self) -> None:
        """A calendar edit (or its undo): an open Staffing panel and Capacity view show it at once."""
        try:
            if self.staffing.isVisible():
                self.staffing.refresh()
            if self.capacity_view.isVisible():
                self.capacity_view.refresh()
        except StorageError as error:
            self._show_status_error(str(error))

    def _on_project_step(self, _index: int) -> None:
        stack = self.project_actions.undo_stack
        if stack.count():  # not a clear (another database opened)
            self.undo_group.setActiveStack(stack)

    def _in_calendar(self, widget: QWidget | None) -> bool:
        return widget is not None and (widget is self.crew_panel or self.crew_panel.isAncestorOf(widget))

    def _follow_focus(self) -> None:
        """The current tab changed: Edit › Undo follows (the calendar's steps, or the estimate's)."""
        self._activate_stack_for(QApplication.focusWidget())

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None:  # None: the application lost focus; what was active stays
            self._activate_stack_for(new)

    def _activate_stack_for(self, widget: QWidget | None) -> None:
        """Edit › Undo is the step of what the user works in: the calendar, a project dialog, or the
        estimate (the navigator, catalog and staffing work on the estimate). Elsewhere in the window
        the current tab decides; another window (an editor with its own undo) changes nothing."""
        stack: QUndoStack | None
        if self._in_calendar(widget):
            stack = self.crew_panel.undo_stack
        elif widget is not None and any(d.isAncestorOf(widget) or d is widget
                                        for d in self.project_actions.open_dialogs()):
            stack = self.project_actions.undo_stack
        elif widget is None or widget.window() is self:
            if self.places.currentWidget() is self.crew_panel:
                stack = self.crew_panel.undo_stack
            else:
                stack = self.workspace.editor.undo_stack if self.workspace is not None else None
        else:
            return
        if stack is not self.undo_group.activeStack():
            self.undo_group.setActiveStack(stack)  # type: ignore[arg-type]

    # -- state ---------------------------------------------------------------------------------

    def update_actions(self) -> None:
        self.edit_actions.update_enabled()
        self.find_actions.update_enabled()
        self.file_actions.update_enabled(self.db)
        self.company_actions.update_enabled(self.db)
        self.directory_actions.update_enabled(self.db)
        self.project_actions.update_enabled(self.db)
        self.editor_actions.update_enabled(self.db)
        self.estimate_actions.update_enabled()
        self.import_actions.update_enabled()
        self.export_actions.update_enabled()
        self.quote_actions.update_enabled()

    def _reprice(self) -> None:
        """The open estimate reloaded after rules or roles were saved; a failed read is said, not raised."""
        try:
            self._reload_estimate()
        except StorageError as error:
            self._show_status_error(str(error))

    def _reload_estimate(self) -> bool:
        """Reload the open estimate (False when it was deleted meanwhile: it is closed)."""
        if self.workspace is None:
            return True
        try:
            self.workspace.refresh()
        except ConcurrentEditError as gone:
            self.close_estimate()
            self._show_status_error(str(gone))
            return False
        return True

    def _show_status_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def _on_about(self) -> None:
        self.dialogs.info(self, "About Tandem",
                          f"Tandem {__version__}\nEstimating and capacity planning for live events, "
                          "AV and exhibit booths.")

    def _db_key(self) -> str:
        if self.db is None:
            return ""
        return Path(self.db.display_name).name.replace("/", "_")

    def closeEvent(self, event: QCloseEvent) -> None:
        save_window(self, self.settings)
        self.export_actions.cancel()
        self.quote_actions.cancel()
        self.crew_place.close()
        self.close_estimate()
        self.estimate_actions.close_dialogs()
        self.project_actions.close_dialogs()
        self.stop_sharing()
        super().closeEvent(event)
