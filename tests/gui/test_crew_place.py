"""The crew calendar as a place of its own (issue 12, item 5): a tab or a window beside the estimate,
remembered; opening on the open project's days; Go to date (Ctrl+G) and Go to project; Edit › Undo
follows what the user works in while the calendar's toolbar names its own steps; Staffing and
Capacity follow a calendar edit at once. Driven with real clicks and keys."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar, QWidget

from app.models.enums import ProjectStatus
from app.services import master_data
from app.services.crew.board import CrewBoard
from app.services.projects import lifecycle
from app.services.projects.dates import project_days
from app.services.projects.details import PROJECTS
from app.services.storage.errors import StorageError
from app.ui.crew.calendar import CrewCalendarView
from app.ui.crew.calendar_style import NAME_WIDTH
from app.ui.crew.panel import CrewCalendarPanel
from app.ui.main_window import MainWindow
from tests.crew_scene import LOAD_IN, CrewScene, build_crew_scene
from tests.gui.helpers import send_drop

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def scene(demo_db: Any) -> CrewScene:
    return build_crew_scene(demo_db)


def shows_day(view: CrewCalendarView, day: date) -> bool:
    """The whole of ``day``'s column is in the calendar's viewport."""
    x = view.x_of_day(day)
    return x >= NAME_WIDTH and x + view.day_width <= view.viewport().width()


def open_calendar(qtbot: Any, window: MainWindow) -> CrewCalendarPanel:
    """Ctrl+Shift+C from the estimate, as the user presses it."""
    activate(qtbot, window)
    window.workspace.production_view.setFocus()
    qtbot.keyClick(window.workspace.production_view, Qt.Key.Key_C, CTRL | SHIFT)
    panel = window.crew_panel
    qtbot.waitUntil(lambda: panel.board is not None and panel.view.isVisible())
    qtbot.waitExposed(panel.view)
    return panel


def click_tool(qtbot: Any, panel: CrewCalendarPanel, name: str) -> None:
    toolbar = panel.findChild(QToolBar, "crewToolbar")
    action = next(a for a in toolbar.actions() if a.objectName() == name)
    button = toolbar.widgetForAction(action)
    assert button is not None and button.isVisible() and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def drop_on(panel: CrewCalendarPanel, crew_id: uuid.UUID, day: date) -> None:
    """A roster row dragged onto a person's day (send_drop: the drag's real events)."""
    view, roster = panel.view, panel.roster
    row = next(
        r for r in range(roster.count()) if roster.item(r).data(Qt.ItemDataRole.UserRole) == str(crew_id)
    )
    point = QPoint(int(view.x_of_day(day) + view.day_width / 2), view.y_of_row(view.row_of[crew_id]) + 10)
    send_drop(
        view.viewport(), roster.mime_for_row(row), point, Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    )


def activate(qtbot: Any, window: QWidget) -> None:
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def click(qtbot: Any, widget: QWidget) -> None:
    """A click on another window activates it first, as a window manager does."""
    activate(qtbot, widget.window())
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def test_the_calendar_opens_in_a_tab_on_the_estimates_project_days(qtbot, scene, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    estimate_height = window.workspace.height()
    panel = open_calendar(qtbot, window)
    # A tab beside the estimate, not a dock squeezing it: the central area is the calendar's now.
    assert window.findChild(QDockWidget, "crewCalendarDock") is None
    assert window.places.currentWidget() is panel
    assert [window.places.tabText(i) for i in range(window.places.count())] == ["Full booth", "Crew calendar"]
    assert panel.height() >= estimate_height - window.places.tabBar().height() - 2
    days = project_days(window.db, window.workspace.doc.header.project_id)
    assert days is not None and days.name == "Vantage @ MedTech Expo"
    assert panel.view.grid.project_days == (days.first, days.last)
    assert shows_day(panel.view, days.first) and not shows_day(panel.view, days.first - timedelta(days=3))
    assert panel.view.hasFocus()
    panel.grab().save(str(tmp_path / "calendar-tab.png"))
    # Someone moves the strike a day later: the shaded days follow on the next refresh.
    project = master_data.load_one(window.db, PROJECTS, days.project_id)
    assert master_data.save_edit(
        window.db, PROJECTS, project, "end_date", (days.last + timedelta(days=1)).isoformat()
    )
    window.refresh_from_database()
    qtbot.waitUntil(lambda: panel.view.grid.project_days == (days.first, days.last + timedelta(days=1)))
    # The estimate is one key or one click away, whole.
    qtbot.keyClick(panel.view, Qt.Key.Key_Tab, CTRL)
    assert window.places.currentWidget() is window.stack and window.workspace.isVisible()
    bar = window.places.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert window.places.currentWidget() is panel
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    assert window.places.currentWidget() is window.stack and window.workspace.isVisible()
    # Closing the calendar's tab leaves the estimate alone; the estimate's tab has no close button.
    assert bar.tabButton(0, bar.ButtonPosition.RightSide) is None
    qtbot.mouseClick(bar.tabButton(1, bar.ButtonPosition.RightSide), Qt.MouseButton.LeftButton)
    assert window.places.count() == 1 and not panel.isVisible()


def test_ctrl_g_goes_to_a_typed_date_even_outside_the_year_read(qtbot, scene, window) -> None:  # type: ignore[no-untyped-def]
    panel = open_calendar(qtbot, window)
    view = panel.view
    raj = scene.assignments["raj rig"]
    view.select(raj)
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # one calendar step to keep across the move
    assert panel.undo_stack.count() == 1

    qtbot.keyClick(view, Qt.Key.Key_G, CTRL)
    assert panel.date_edit.hasFocus()
    qtbot.keyClicks(panel.date_edit, "2027-09-15")
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Return)
    assert shows_day(view, date(2027, 9, 15)) and not shows_day(view, LOAD_IN)
    assert view.hasFocus()  # back in the calendar, keys work there again

    qtbot.keyClick(view, Qt.Key.Key_G, CTRL)
    qtbot.keyClicks(panel.date_edit, "2028-11-20")  # beyond the year read: the range moves there
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Return)
    assert shows_day(view, date(2028, 11, 20))
    assert panel.board is not None and panel.board.start <= date(2028, 11, 20) <= panel.board.end
    assert panel.undo_stack.count() == 1 and panel.undo_stack.undoText() == "Delete assignment"

    qtbot.keyClick(view, Qt.Key.Key_G, CTRL)
    qtbot.keyClicks(panel.date_edit, "March 32")  # refused, said in one line, the view stays put
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Return)
    assert panel.date_error.text() == (
        "The date must be a date like 2027-03-08 or Mar 8 2027, or 3/8/27 (month/day/year); "
        "“March 32” is not."
    )
    assert shows_day(view, date(2028, 11, 20)) and panel.date_edit.hasFocus()
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(panel.date_edit, "Mar 6 2027")
    assert panel.date_error.text() == ""
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Return)
    assert shows_day(view, LOAD_IN)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # the step made before the moves still undoes
    assert raj in CrewBoard(window.db, LOAD_IN, LOAD_IN).assignments


def test_go_to_project_shows_the_chosen_projects_days(qtbot, scene, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    panel = open_calendar(qtbot, window)
    gala = project_days(window.db, scene.projects["Spring Gala 2027"])
    assert gala is not None
    click_tool(qtbot, panel, "crewZoomWeek")
    qtbot.keyClick(panel.view, Qt.Key.Key_G, CTRL)  # somewhere else first
    qtbot.keyClicks(panel.date_edit, "2027-07-01")
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Return)
    assert not shows_day(panel.view, gala.first)

    offered = ["Spring Gala 2027"]
    dialogs.answers.append(None)  # cancelled: nothing moves
    click_tool(qtbot, panel, "actionCrewGoToProject")
    kind, title, labels = dialogs.shown[-1]
    assert (kind, title) == ("choose_item", "Go to project")
    names = [label.split(" — ")[0] for label in labels.splitlines()]
    assert set(offered) <= set(names) and "Vantage @ MedTech Expo" in names
    assert not shows_day(panel.view, gala.first)

    dialogs.answers.append(names.index("Spring Gala 2027"))
    qtbot.keyClick(panel.view, Qt.Key.Key_G, CTRL | SHIFT)  # its key, in the calendar
    assert panel.view.grid.project_days == (gala.first, gala.last)
    assert shows_day(panel.view, gala.first)


def test_undo_follows_what_the_user_works_in_the_toolbar_names_its_own(qtbot, scene, window) -> None:  # type: ignore[no-untyped-def]
    window.crew_layout_actions[window.crew_place.choice.WINDOW].trigger()  # the calendar in its own window
    production = window.workspace.production_view
    production.setFocus()
    production.setCurrentIndex(production.model().index(1, 0, production.model().index(0, 0)))
    qtbot.keyClick(production, Qt.Key.Key_N, CTRL)  # an estimate step
    estimate_step = window.workspace.editor.undo_stack.undoText()
    assert estimate_step and window.undo_action.text() == f"Undo {estimate_step}"

    panel = open_calendar(qtbot, window)
    calendar_window = window.crew_place.window
    assert calendar_window.isVisible() and panel.window() is calendar_window
    view = panel.view
    click(qtbot, view.viewport())
    view.select(scene.assignments["raj rig"])
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert window.undo_action.text() == "Undo Delete assignment"
    assert panel.undo_action.text() == "Undo Delete assignment"

    # Back in the main window's navigator (the estimate's window): its steps, not the calendar's.
    click(qtbot, window.navigator.view.viewport())
    assert window.undo_group.activeStack() is window.workspace.editor.undo_stack
    assert window.undo_action.text() == f"Undo {estimate_step}"
    assert panel.undo_action.text() == "Undo Delete assignment"  # the calendar's own, always

    click(qtbot, view.viewport())
    assert window.undo_action.text() == "Undo Delete assignment"
    # In its own window the calendar's keys are its own: Ctrl+Z there undoes the calendar's step only.
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert scene.assignments["raj rig"] in CrewBoard(window.db, LOAD_IN, LOAD_IN).assignments
    assert window.workspace.editor.undo_stack.undoText() == estimate_step
    assert panel.redo_action.text() == "Redo Delete assignment"
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert scene.assignments["raj rig"] not in CrewBoard(window.db, LOAD_IN, LOAD_IN).assignments

    # A tab: the tab shown decides, and the window's one Ctrl+Z (no second, ambiguous one).
    window.crew_layout_actions[window.crew_place.choice.TAB].trigger()
    assert not calendar_window.isVisible() and window.places.currentWidget() is panel
    assert panel.undo_action.shortcuts() == []
    view.setFocus()
    assert window.undo_action.text() == "Undo Delete assignment"
    bar = window.places.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    assert window.undo_action.text() == f"Undo {estimate_step}"
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert window.undo_action.text() == "Undo Delete assignment"


def test_a_drop_updates_open_staffing_and_capacity_at_once(qtbot, scene, window, dialogs, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window.staffing_dock.toggleViewAction().trigger()
    window.capacity_dock.toggleViewAction().trigger()
    staffing, capacity = window.staffing, window.capacity_view
    qtbot.waitUntil(lambda: capacity.canvas is not None)
    capacity.set_range(LOAD_IN, LOAD_IN + timedelta(days=6))
    window.crew_layout_actions[window.crew_place.choice.WINDOW].trigger()  # room for all three
    panel = open_calendar(qtbot, window)
    stagehand = scene.roles["Stagehand"]

    def filled_on_load_in() -> list[int]:
        rows = [staffing.model.row(r) for r in range(staffing.model.rowCount())]
        return [d.filled for c, d in rows if d.day == LOAD_IN and c.call.role_id == stagehand]

    def assigned_on_load_in() -> int:
        assert capacity.table is not None
        return capacity.table.cell(LOAD_IN, stagehand).assigned

    filled, assigned, status = filled_on_load_in(), assigned_on_load_in(), capacity.status.text()
    assert len(filled) == 1 and assigned >= 2, (filled, assigned)  # Aisha and Tom are on it already
    qtbot.keyClicks(panel.name_filter, "Marco")  # his row in view
    qtbot.keyClick(panel.view, Qt.Key.Key_G, CTRL)  # the scene's calls start a day before the project
    qtbot.keyClicks(panel.date_edit, "2027-03-06")
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Return)
    dialogs.answers = [1]  # the Stagehands' load-in call
    drop_on(panel, scene.crew["Marco Diaz"], LOAD_IN)
    assert dialogs.shown[-1][1] == "Assign Marco Diaz"
    # No Refresh clicked, nothing reopened.
    assert filled_on_load_in() == [filled[0] + 1]
    assert assigned_on_load_in() == assigned + 1 and capacity.status.text() != status
    assert "crew-days assigned" in capacity.status.text()
    calendar_window = window.crew_place.window
    calendar_window.grab().save(str(tmp_path / "calendar-window.png"))

    qtbot.keyClick(panel.view, Qt.Key.Key_Z, CTRL)  # its undo too
    assert filled_on_load_in() == filled and assigned_on_load_in() == assigned
    assert capacity.status.text() == status


def test_the_place_chosen_survives_a_restart(qtbot, demo_db, dialogs, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "settings" / "tandem.ini")

    def start() -> MainWindow:
        win = MainWindow(
            dialogs=dialogs,
            settings=QSettings(path, QSettings.Format.IniFormat),
            watch_sharing=False,
            backup_on_open=False,
        )
        qtbot.addWidget(win)
        win.resize(1500, 900)
        win.set_database(demo_db)
        win.show()
        qtbot.waitExposed(win)
        return win

    first = start()
    assert first.crew_layout_actions[first.crew_place.choice.TAB].isChecked()  # the default
    view_menu = next(a.menu() for a in first.menuBar().actions() if a.text() == "&View")
    opens = next(a.menu() for a in view_menu.actions() if a.text() == "Crew calendar opens")
    window_choice = next(a for a in opens.actions() if a.text() == "In a window of its own")
    window_choice.trigger()
    open_calendar(qtbot, first)
    assert first.crew_place.window.isVisible() and first.places.count() == 1
    first.close()
    assert not first.crew_place.window.isVisible()
    QApplication.processEvents()

    second = start()
    assert second.crew_layout_actions[second.crew_place.choice.WINDOW].isChecked()
    panel = open_calendar(qtbot, second)
    assert panel.window() is second.crew_place.window and second.places.count() == 1
    days = project_days(demo_db, second.workspace.doc.header.project_id)
    assert days is not None and shows_day(panel.view, days.first)  # its window opens on them too
    second.crew_layout_actions[second.crew_place.choice.TAB].trigger()  # moves at once, and is kept
    assert panel.window() is second and second.places.currentWidget() is panel
    second.close()
    assert QSettings(path, QSettings.Format.IniFormat).value("crew_calendar/layout") == "tab"


def test_a_project_menu_step_is_what_edit_undo_names_until_work_elsewhere(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    production = window.workspace.production_view
    production.setFocus()
    production.setCurrentIndex(production.model().index(1, 0, production.model().index(0, 0)))
    qtbot.keyClick(production, Qt.Key.Key_N, CTRL)
    estimate_step = window.workspace.editor.undo_stack.undoText()
    dialogs.answers = ["Went with their usual vendor"]
    window.project_actions.status_actions[ProjectStatus.LOST].trigger()  # Project › Mark lost…
    assert window.undo_action.text() == f"Undo {window.project_actions.undo_stack.undoText()}"
    assert window.undo_action.text() != f"Undo {estimate_step}"
    window.undo_action.trigger()  # Edit › Undo: the project's move, not the estimate's line
    assert (
        lifecycle.load_state(window.db, window.workspace.doc.header.project_id).status is ProjectStatus.QUOTED
    )
    assert window.workspace.editor.undo_stack.undoText() == estimate_step
    click(qtbot, window.navigator.view.viewport())  # back to work in the window: the estimate's again
    assert window.undo_action.text() == f"Undo {estimate_step}"


def test_a_failed_read_going_far_is_said_and_nothing_moves(
    qtbot, scene, window, dialogs, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    panel = open_calendar(qtbot, window)
    start, span = panel.start, (panel.board.start, panel.board.end)

    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise StorageError("The database could not be read (disk I/O error).")

    monkeypatch.setattr(CrewBoard, "reload", fail)
    qtbot.keyClick(panel.view, Qt.Key.Key_G, CTRL)
    qtbot.keyClicks(panel.date_edit, "2029-01-15")
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Return)
    assert dialogs.shown[-1] == (
        "error",
        "Cannot read the calendar",
        "The database could not be read (disk I/O error).",
    )
    assert (panel.start, panel.board.start, panel.board.end) == (start, *span)
    assert panel.view.grid.start == start and shows_day(panel.view, panel.view.grid.project_days[0])
