"""The crew calendar, driven like a user: drops from the roster, bar drags and resizes, keys, undo."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from app.models.enums import AssignmentStatus
from app.services.crew.board import CrewBoard
from app.ui.crew.calendar import CrewCalendarView
from app.ui.crew.calendar_style import CONFLICT, HEADER_HEIGHT, NAME_WIDTH
from app.ui.crew.panel import CrewCalendarPanel
from app.ui.main_window import MainWindow
from tests.crew_scene import LOAD_IN, CrewScene, build_crew_scene
from tests.gui.helpers import send_drop

pytestmark = pytest.mark.gui

START = date(2027, 2, 1)


@pytest.fixture
def scene(demo_db: Any) -> CrewScene:
    return build_crew_scene(demo_db)


@pytest.fixture
def panel(qtbot: Any, scene: CrewScene, window: MainWindow) -> CrewCalendarPanel:
    """The window's crew calendar, open on the Vantage load-in week, in week zoom."""
    window.show_crew_calendar()
    panel = window.crew_panel
    panel.load(START)
    panel.set_zoom("week")
    panel.view.scroll_to_day(LOAD_IN + timedelta(days=2))
    qtbot.waitExposed(panel.view)
    return panel


def fresh(panel: CrewCalendarPanel) -> CrewBoard:
    """The assignments as a new load from the database sees them."""
    assert panel.db is not None
    return CrewBoard(panel.db, START, START + timedelta(days=120))


def centre_of(view: CrewCalendarView, assignment_id: uuid.UUID) -> QPoint:
    view.scroll_to_assignment(assignment_id)
    rect = view.assignment_rect(assignment_id)
    assert rect.width() > 0 and view.viewport().rect().contains(rect.center().toPoint())
    return rect.center().toPoint()


def day_point(view: CrewCalendarView, crew_id: uuid.UUID, day: date) -> QPoint:
    row = view.row_of[crew_id]
    return QPoint(int(view.x_of_day(day) + view.day_width / 2), view.y_of_row(row) + 10)


def mouse(view: CrewCalendarView, kind: QEvent.Type, pos: QPoint) -> None:
    held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)),
                        button, held, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def drag_mouse(view: CrewCalendarView, start: QPoint, end: QPoint) -> None:
    """Press, move in steps, release: one drag as a user makes it."""
    mouse(view, QEvent.Type.MouseButtonPress, start)
    for step in range(1, 6):
        mouse(view, QEvent.Type.MouseMove, start + (end - start) * step / 5)
    mouse(view, QEvent.Type.MouseButtonRelease, end)


def drop(view: CrewCalendarView, mime: Any, point: QPoint) -> None:
    send_drop(view.viewport(), mime, point, Qt.DropAction.CopyAction | Qt.DropAction.MoveAction)
    assert view.drop_target is None


def roster_mime(panel: CrewCalendarPanel, crew_id: uuid.UUID) -> Any:
    roster = panel.roster
    for row in range(roster.count()):
        if roster.item(row).data(Qt.ItemDataRole.UserRole) == str(crew_id):
            return roster.mime_for_row(row)
    raise AssertionError("not on the roster")


def test_rows_are_people_grouped_by_role_and_bars_show_conflicts(panel, scene) -> None:  # type: ignore[no-untyped-def]
    view = panel.view
    groups = [r.label for r in view.rows if r.kind == "group"]
    assert groups == sorted(groups) and "Stagehand" in groups and "Rigger" in groups
    people = [r.label for r in view.rows if r.kind == "crew"]
    assert len(people) == 14
    ellie = scene.assignments["ellie audio"]
    board = panel.board
    assert board is not None
    assert view.bar_colour(board.assignments[ellie]) == CONFLICT
    kim = board.assignments[scene.assignments["kim show 1"]]
    assert view.bar_colour(kim) == view.project_colour(kim.project_id) != CONFLICT
    colours = {view.project_colour(p).name() for p in board.projects}
    assert len(colours) == len(board.projects)  # no two projects share a colour
    panel.view.scroll_to_assignment(ellie)
    tip = view.tooltip_at(centre_of(view, ellie))
    assert "Orbital Summit keynote" in tip and "is unavailable on Tue" in tip
    assert panel.conflicts.count() == 1
    assert "unavailable" in panel.conflicts.item(0).text()
    # Painting works over the whole year in both zooms (and draws only what is in view).
    for zoom in ("month", "week"):
        panel.set_zoom(zoom)
        assert not view.viewport().grab().isNull()


def test_dropping_a_person_on_a_day_offers_the_open_positions_and_assigns(panel, scene, dialogs) -> None:  # type: ignore[no-untyped-def]
    view = panel.view
    marco = scene.crew["Marco Diaz"]
    dialogs.answers = [1]  # second offer: Stagehands, load-in (riggers start earlier)
    drop(view, roster_mime(panel, marco), day_point(view, marco, LOAD_IN))
    kind, title, offered = dialogs.shown[-1]
    assert kind == "choose_item" and title == "Assign Marco Diaz"
    assert offered.splitlines()[1].startswith(
        "Vantage @ MedTech Expo — Stagehand, load-in 07:00–17:00 (0 of 8")
    assert "not one of their roles" in offered.splitlines()[0]  # Marco is no rigger
    stored = [a for a in fresh(panel).assignments.values()
              if a.crew_member_id == marco and a.starts_at.date() == LOAD_IN and a.line_item_id is not None]
    assert len(stored) == 1
    new = stored[0]
    assert (new.starts_at, new.ends_at, new.status) == (
        datetime(2027, 3, 6, 7), datetime(2027, 3, 6, 17), AssignmentStatus.TENTATIVE)
    # He is already on the Spring Gala that morning: the new bar is red and says why.
    board = panel.board
    assert board is not None
    assert view.bar_colour(board.assignments[new.id]) == CONFLICT
    assert "Spring Gala 2027" in view.tooltip_at(centre_of(view, new.id))
    assert any("Spring Gala 2027" in panel.conflicts.item(i).text() for i in range(panel.conflicts.count()))
    assert view.selected == new.id
    # The two bars of the double booking stack one above the other instead of covering each other.
    gala = view.assignment_rect(scene.assignments["gala rehearsal"])
    assert not gala.intersects(view.assignment_rect(new.id))
    assert view.bar_at(gala.center().toPoint())[0].id == scene.assignments["gala rehearsal"]

    panel.undo_stack.undo()
    assert new.id not in fresh(panel).assignments
    assert new.id not in board.assignments
    assert panel.conflicts.count() == 1
    panel.undo_stack.redo()
    assert fresh(panel).assignments[new.id].starts_at == datetime(2027, 3, 6, 7)


def test_dropping_where_nothing_is_needed_says_so(panel, scene, dialogs) -> None:  # type: ignore[no-untyped-def]
    view = panel.view
    beth = scene.crew["Beth Cole"]
    before = len(fresh(panel).assignments)
    drop(view, roster_mime(panel, beth), day_point(view, beth, LOAD_IN + timedelta(days=1)))
    assert dialogs.shown[-1][:2] == ("info", "No open positions")
    assert len(fresh(panel).assignments) == before
    assert panel.undo_stack.count() == 0


def test_foreign_drops_are_refused(panel) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QMimeData

    mime = QMimeData()
    mime.setText("Marco Diaz")
    enter = QDragEnterEvent(QPoint(NAME_WIDTH + 50, HEADER_HEIGHT + 50), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel.view.viewport(), enter)
    assert not enter.isAccepted()


def test_dragging_a_bar_moves_it_to_another_day_and_person_in_one_undo_step(panel, scene) -> None:  # type: ignore[no-untyped-def]
    view = panel.view
    tom = scene.assignments["tom load-in"]
    lena = scene.crew["Lena Vogel"]
    start = centre_of(view, tom)
    target = QPoint(start.x() + int(view.day_width), day_point(view, lena, LOAD_IN).y())
    drag_mouse(view, start, target)
    moved = fresh(panel).assignments[tom]
    assert moved.crew_member_id == lena
    assert (moved.starts_at, moved.ends_at) == (datetime(2027, 3, 7, 7), datetime(2027, 3, 7, 17))
    assert panel.undo_stack.count() == 1 and panel.undo_stack.undoText() == "Move assignment"
    panel.undo_stack.undo()
    back = fresh(panel).assignments[tom]
    assert back.crew_member_id == scene.crew["Tom Becker"] and back.starts_at == datetime(2027, 3, 6, 7)


def test_a_click_without_moving_only_selects(panel, scene) -> None:  # type: ignore[no-untyped-def]
    view = panel.view
    tom = scene.assignments["tom load-in"]
    point = centre_of(view, tom)
    drag_mouse(view, point, point + QPoint(2, 1))
    assert view.selected == tom
    assert panel.undo_stack.count() == 0


def test_dragging_a_bar_edge_changes_its_hours(panel, scene) -> None:  # type: ignore[no-untyped-def]
    view = panel.view
    aisha = scene.assignments["aisha load-in"]
    rect = view.assignment_rect(aisha)
    edge = QPoint(int(rect.right()) - 2, int(rect.center().y()))
    drag_mouse(view, edge, edge + QPoint(int(2 * view.hour_width), 0))
    changed = fresh(panel).assignments[aisha]
    assert (changed.starts_at, changed.ends_at) == (datetime(2027, 3, 6, 7), datetime(2027, 3, 6, 19))
    assert changed.hours == 12
    assert panel.undo_stack.undoText() == "Change hours"
    panel.undo_stack.undo()
    assert fresh(panel).assignments[aisha].ends_at == datetime(2027, 3, 6, 17)
    panel.undo_stack.redo()
    assert fresh(panel).assignments[aisha].ends_at == datetime(2027, 3, 6, 19)


def test_delete_key_deletes_the_selected_bar_not_estimate_lines(qtbot, panel, scene, window) -> None:  # type: ignore[no-untyped-def]
    view = panel.view
    chris = scene.assignments["chris rig"]
    lines_before = len(list(window.workspace.doc.lines()))
    mouse(view, QEvent.Type.MouseButtonPress, centre_of(view, chris))
    mouse(view, QEvent.Type.MouseButtonRelease, centre_of(view, chris))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert chris not in fresh(panel).assignments
    assert len(list(window.workspace.doc.lines())) == lines_before
    # Ctrl+Z in the window undoes the calendar's edit while the calendar is where the user works.
    view.setFocus()
    window.undo_action.trigger()
    assert chris in fresh(panel).assignments
    assert len(list(window.workspace.doc.lines())) == lines_before


def test_a_conflicting_assignment_can_still_be_confirmed(panel, scene) -> None:  # type: ignore[no-untyped-def]
    ellie = scene.assignments["ellie audio"]
    panel.view.scroll_to_assignment(ellie)
    panel.view.select(ellie)
    panel.confirm_action.trigger()
    stored = fresh(panel)
    assert stored.assignments[ellie].status == AssignmentStatus.CONFIRMED
    assert stored.conflicts[ellie][0].kind == "unavailable"
    assert panel.board is not None and panel.view.bar_colour(panel.board.assignments[ellie]) == CONFLICT
    panel.undo_stack.undo()
    assert fresh(panel).assignments[ellie].status == AssignmentStatus.TENTATIVE


def test_choosing_a_conflict_scrolls_to_its_bar(panel, scene) -> None:  # type: ignore[no-untyped-def]
    view = panel.view
    view.scroll_to_day(date(2027, 8, 1))
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    panel.conflicts.setCurrentRow(0)
    ellie = scene.assignments["ellie audio"]
    assert view.selected == ellie
    assert view.viewport().rect().contains(view.assignment_rect(ellie).toRect())


def test_zoom_and_filters(panel, scene) -> None:  # type: ignore[no-untyped-def]
    view = panel.view
    week = view.day_width
    panel.month_action.trigger()
    assert view.zoom == "month" and view.day_width < week
    month_range = view.horizontalScrollBar().maximum()
    panel.week_action.trigger()
    assert view.zoom == "week" and view.horizontalScrollBar().maximum() > month_range
    rigger = panel.role_filter.findText("Rigger")
    panel.role_filter.setCurrentIndex(rigger)
    assert [r.label for r in view.rows] == ["Rigger", "Chris Ortega", "Jana Novak", "Raj Patel"]
    hidden = {panel.roster.item(i).text().split("  ·  ")[0] for i in range(panel.roster.count())
              if panel.roster.item(i).isHidden()}
    assert "Marco Diaz" in hidden and "Raj Patel" not in hidden
    panel.role_filter.setCurrentIndex(0)
    panel.name_filter.setText("kim")
    assert [r.label for r in view.rows if r.kind == "crew"] == ["Kim Nguyen", "Noah Kim"]


def test_a_lost_race_reloads_the_board_and_says_so(panel, scene, dialogs) -> None:  # type: ignore[no-untyped-def]
    view = panel.view
    tom = scene.assignments["tom load-in"]
    other = fresh(panel)  # someone else moves Tom's call an hour later first
    other.move(tom, scene.crew["Tom Becker"], datetime(2027, 3, 6, 8), datetime(2027, 3, 6, 18))
    start = centre_of(view, tom)
    drag_mouse(view, start, start + QPoint(int(view.day_width), 0))
    assert dialogs.shown[-1][:2] == ("info", "Changed by someone else")
    assert panel.board is not None and panel.board.assignments[tom].starts_at == datetime(2027, 3, 6, 8)
    assert fresh(panel).assignments[tom].starts_at == datetime(2027, 3, 6, 8)
    assert panel.undo_stack.count() == 0


def test_the_view_action_opens_the_calendar_and_ctrl_z_follows_focus(qtbot, scene, window) -> None:  # type: ignore[no-untyped-def]
    action = window.findChild(type(window.undo_action), "actionCrewCalendar")
    assert action is not None and window.crew_panel.board is None  # nothing loaded until opened
    action.trigger()
    panel = window.crew_panel
    assert window.findChild(type(panel.view), "crewCalendar").isVisible()
    assert panel.board is not None and len(panel.board.crew) == 14
    panel.load(START)
    raj = scene.assignments["raj rig"]
    panel.view.select(raj)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert raj not in fresh(panel).assignments
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert raj in fresh(panel).assignments
    qtbot.keyClick(panel.view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert raj not in fresh(panel).assignments
    # Back in the estimate (its tab, beside the calendar's), Ctrl+Z is the estimate's again.
    bar = window.places.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    assert window.places.currentIndex() == 0
    assert window.undo_group.activeStack() is window.workspace.editor.undo_stack
    window.workspace.production_view.setFocus()
    assert window.undo_group.activeStack() is window.workspace.editor.undo_stack
