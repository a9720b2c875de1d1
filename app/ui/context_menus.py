"""Right-click menus: on the navigator, both panes of the estimate, its parameters and the crew
calendar's bars, each offering what the window's menus offer for the place clicked — the very same
QActions (their shortcuts, enabled states and slots), never copies of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction

from app.ui.navigator import KIND_ROLE
from app.ui.widgets import context_menu

if TYPE_CHECKING:
    from app.ui.crew.panel import CrewCalendarPanel
    from app.ui.directory_actions import DirectoryActions
    from app.ui.estimate.actions import EstimateActions
    from app.ui.estimate.edit_actions import EditActions
    from app.ui.estimate.workspace import EstimateWorkspace
    from app.ui.navigator import NavigatorPanel
    from app.ui.projects.actions import ProjectActions

Entries = list[QAction | None]


class MenuHost(Protocol):
    """What the menus take from the main window (which builds them, so they do not import it)."""

    navigator: NavigatorPanel
    crew_panel: CrewCalendarPanel
    undo_action: QAction
    redo_action: QAction
    edit_actions: EditActions
    estimate_actions: EstimateActions
    project_actions: ProjectActions
    directory_actions: DirectoryActions

    def update_actions(self) -> None: ...


def install_window_menus(window: MenuHost) -> None:
    """The navigator's and the crew calendar's menus (they live as long as the window)."""
    context_menu(window.navigator.view, lambda pos: _navigator_entries(window, pos))
    context_menu(window.crew_panel.view, lambda pos: _calendar_entries(window, pos))


def install_workspace_menus(window: MenuHost, workspace: EstimateWorkspace) -> None:
    """The menus of an open estimate's two panes and its parameters table."""
    for view in (workspace.production_view, workspace.client_view):
        context_menu(view, lambda _pos: _row_entries(window))
    parameters = workspace.production_pane.parameters
    context_menu(
        parameters.view,
        lambda _pos: [
            parameters.add_action,
            parameters.delete_action,
            None,
            window.undo_action,
            window.redo_action,
        ],
    )


def _row_entries(window: MenuHost) -> Entries:
    """The Edit menu's row commands, then the Estimate menu's alternative choice and sub-rental."""
    window.update_actions()  # the right-click has just changed the current row
    edit = window.edit_actions
    return [
        window.undo_action,
        window.redo_action,
        None,
        *edit.clipboard_actions,
        None,
        edit.add_line_action,
        edit.add_section_action,
        edit.catalog_action,
        None,
        edit.delete_action,
        edit.move_up_action,
        edit.move_down_action,
        None,
        window.estimate_actions.choose_action,
        window.estimate_actions.subrent.subrent_action,
        window.estimate_actions.supply.compare_action,
        window.estimate_actions.components_action,
    ]


def _navigator_entries(window: MenuHost, pos: QPoint) -> Entries:
    """What the File, Estimate and Project menus offer for the client, project or estimate clicked."""
    window.update_actions()
    index = window.navigator.view.indexAt(pos).siblingAtColumn(0)
    kind = index.data(KIND_ROLE) if index.isValid() else None
    projects, estimate = window.project_actions, window.estimate_actions
    new_estimate = window.directory_actions.new_estimate_action
    if kind == "estimate":
        return [
            *(a for a in estimate.actions if a is not estimate.choose_action),
            None,
            new_estimate,
            projects.details_action,
        ]
    host = window.navigator.window()
    desk = [host.findChild(QAction, name) for name in ("actionActivities", "actionBrief")]
    if kind == "project":
        return [
            projects.details_action,
            projects.clone_action,
            *(a for a in desk if a is not None),  # the desk's Activities…, Brief… (app/ui/activities)
            None,
            *projects.status_actions.values(),
            None,
            new_estimate,
            projects.new_project_action,
        ]
    page = host.findChild(QAction, "actionClientPage") if kind == "client" else None
    # A client: its page (app/ui/accounts) and its own activities.
    first: Entries = [page, desk[0], None] if page is not None else []
    return [*first, projects.new_project_action, projects.new_client_action]


def _calendar_entries(window: MenuHost, pos: QPoint) -> Entries:
    """On a bar: select it, then its commands; elsewhere: the calendar's zoom and Today."""
    panel = window.crew_panel
    hit = panel.view.bar_at(pos)
    if hit is not None:
        panel.view.select(hit[0].id)
        return [panel.confirm_action, panel.delete_bar_action]
    return [panel.week_action, panel.month_action, panel.today_action]
