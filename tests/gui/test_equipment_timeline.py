"""View › Equipment timeline (issue 13, item 7), through the real window: items down the side, days
across, each project's hold as a bar (tentative hatched), the days an item is short red, following
an estimate's quantity as it is typed and others' changes on the window's refresh; and the capacity
view's equipment mode from the same service."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QComboBox

from app.models.enums import ProjectStatus
from app.services.projects import lifecycle
from app.services.storage.database import Database
from app.ui.crew.calendar_style import CONFLICT, HEADER_HEIGHT, NAME_WIDTH, ROW_HEIGHT
from app.ui.equipment.timeline_panel import EquipmentTimelinePanel
from app.ui.equipment.timeline_view import EquipmentTimelineView
from app.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs, shown_window
from tests.gui.helpers import cell, type_into_cell
from tests.timeline_scene import MARCH, EquipmentScene, build_equipment_scene

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def scene(empty_db: Database) -> EquipmentScene:
    return build_equipment_scene(empty_db)


@pytest.fixture
def eq_window(qtbot: Any, empty_db: Database, scene: EquipmentScene, dialogs: FakeDialogs) -> MainWindow:
    """The window on the scene, showing the Vantage booth's estimate (the next project to come)."""
    win = shown_window(qtbot, empty_db, dialogs)
    assert (
        win.workspace is not None and win.workspace.doc.header.project_id == scene.projects["Vantage booth"]
    )
    return win


def open_timeline(qtbot: Any, window: MainWindow) -> EquipmentTimelinePanel:
    """Ctrl+Shift+E from the estimate, as the user presses it."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.workspace.production_view.setFocus()
    qtbot.keyClick(window.workspace.production_view, Qt.Key.Key_E, CTRL | SHIFT)
    panel = window.equipment_timeline.panel
    qtbot.waitUntil(lambda: panel.is_loaded() and panel.view.isVisible())
    qtbot.waitExposed(panel.view)
    return panel


def point(view: EquipmentTimelineView, row: int, day: date, dy: int = ROW_HEIGHT // 2) -> QPoint:
    return QPoint(int(view.x_of_day(day) + view.day_width / 2), view.y_of_row(row) + dy)


def item_row(view: EquipmentTimelineView, name: str) -> int:
    return next(i for i, r in enumerate(view.grid.rows) if r.kind == "item" and r.label == name)


def lane_of(view: EquipmentTimelineView, project: str) -> int:
    """The grid row of the lane where ``project``'s panel bar is."""
    row = item_row(view, "500 mm LED panel")
    bar = next(b for b in view.row_data[row].item.bars if b.hold.project_name == project)  # type: ignore[union-attr]
    return row + 1 + bar.lane


def is_red(colour: QColor) -> bool:
    return (colour.red(), colour.green(), colour.blue()) == (
        CONFLICT.red(),
        CONFLICT.green(),
        CONFLICT.blue(),
    )


def test_the_timeline_opens_in_a_tab_on_the_projects_days_with_bars_levels_and_shortages(
    qtbot: Any, eq_window: MainWindow
) -> None:
    panel = open_timeline(qtbot, eq_window)
    view = panel.view
    assert eq_window.places.currentWidget() is panel
    assert [eq_window.places.tabText(i) for i in range(eq_window.places.count())] == [
        "Vantage booth estimate",
        "Equipment timeline",
    ]
    assert view.grid.project_days == (MARCH(6), MARCH(11))  # the open estimate's project, shaded
    assert [(r.kind, r.label) for r in view.grid.rows] == [
        ("group", "LED"),
        ("item", "500 mm LED panel"),
        ("lane", ""),  # Vantage booth, 6–11 March
        ("lane", ""),  # Orbital keynote, 8–10: over the Vantage booth's days
        ("group", "Rigging"),
        ("item", "Box truss 3 m"),
        ("lane", ""),
    ]
    panels = item_row(view, "500 mm LED panel")
    view.scroll_to_day(MARCH(9))
    # 9 March: Orbital (won) 300 + Vantage (quoted) 392 = 692 held of 400.
    assert view.tooltip_at(point(view, panels, MARCH(9))) == (
        "<b>500 mm LED panel</b> · Tue 09 Mar 2027<br>692 held of 400 (300 confirmed, 392 tentative)"
        " · short 292 (0 if the tentative holds are lost)"
    )
    orbital = view.tooltip_at(point(view, lane_of(view, "Orbital keynote"), MARCH(9)))
    assert orbital.startswith("<b>Orbital keynote</b> (won, confirmed)<br>300 × 500 mm LED panel")
    assert "short on some of these days" in orbital
    assert view.tooltip_at(point(view, lane_of(view, "Spring Gala"), MARCH(16))).startswith(
        "<b>Spring Gala</b> (quoted, tentative)"
    )
    assert panel.status.text() == "1 item short on 3 days: 500 mm LED panel"
    # Painted: the panel's levels red above the owned line on a short day, none on a free one.
    image = view.viewport().grab().toImage()
    top = view.y_of_row(panels) + 4
    assert is_red(image.pixelColor(point(view, panels, MARCH(9), 4)))
    assert not any(is_red(image.pixelColor(point(view, panels, MARCH(12), dy))) for dy in range(ROW_HEIGHT))
    assert top > HEADER_HEIGHT and point(view, panels, MARCH(9)).x() > NAME_WIDTH

    # Week zoom: wide days also say their figures ("692 of 400"); the day kept at the left edge stays.
    view.scroll_to_day(MARCH(8), centre=False)
    panel.set_zoom("week")
    assert view.grid.day_at_x(NAME_WIDTH + 1) == MARCH(8) and view.day_width >= 90
    assert not view.viewport().grab().isNull()

    # Filters: the short items only; then by category.
    panel.short_only.setChecked(True)
    assert view.visible_items() == [view.row_data[panels].item.stock.id]  # type: ignore[union-attr]
    panel.short_only.setChecked(False)
    combo = panel.findChild(QComboBox, "equipmentCategoryFilter")
    combo.setCurrentIndex(combo.findData("Rigging"))
    assert [r.label for r in view.grid.rows if r.kind == "item"] == ["Box truss 3 m"]


def test_ctrl_g_goes_to_a_typed_date_even_outside_the_year_read(qtbot: Any, eq_window: MainWindow) -> None:
    panel = open_timeline(qtbot, eq_window)
    view = panel.view
    qtbot.keyClick(view, Qt.Key.Key_G, CTRL)
    assert panel.date_edit.hasFocus()
    qtbot.keyClicks(panel.date_edit, "2028-11-20")
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Return)
    assert panel.timeline is not None and panel.timeline.start <= date(2028, 11, 20) <= panel.timeline.end
    x = view.x_of_day(date(2028, 11, 20))
    assert NAME_WIDTH <= x <= view.viewport().width() - view.day_width and view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_G, CTRL)
    qtbot.keyClicks(panel.date_edit, "March 32")  # refused in one line; the view stays put
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Return)
    assert panel.date_edit.error.text() != "" and view.x_of_day(date(2028, 11, 20)) == x


def test_the_timeline_follows_a_quantity_typed_in_the_estimate_and_its_undo(
    qtbot: Any, eq_window: MainWindow, scene: EquipmentScene
) -> None:
    place = eq_window.equipment_timeline.place
    place.choice_actions[place.choice.WINDOW].trigger()  # beside the estimate, both in view
    panel = open_timeline(qtbot, eq_window)
    assert panel.window() is place.window and eq_window.workspace.isVisible()
    timeline = lambda: panel.timeline  # noqa: E731 - read afresh after each refresh
    assert timeline().level(scene.panel_id, MARCH(9)).held == 300 + 392

    production = eq_window.workspace.production_view
    eq_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is eq_window)
    type_into_cell(qtbot, production, cell(eq_window, scene.lines["Vantage booth"], "quantity"), "100")
    qtbot.waitUntil(lambda: timeline().level(scene.panel_id, MARCH(9)).held == 300 + 100)
    assert timeline().level(scene.panel_id, MARCH(9)).short == 0
    assert panel.status.text() == "No shortages in this year"

    production.setFocus()
    qtbot.keyClick(production, Qt.Key.Key_Z, CTRL)  # the estimate's undo: the timeline follows it too
    qtbot.waitUntil(lambda: timeline().level(scene.panel_id, MARCH(9)).held == 300 + 392)


def test_others_changes_reach_the_timeline_on_the_windows_refresh(
    qtbot: Any, eq_window: MainWindow, scene: EquipmentScene
) -> None:
    panel = open_timeline(qtbot, eq_window)
    db = eq_window.db
    assert db is not None
    orbital = scene.projects["Orbital keynote"]
    state = lifecycle.load_state(db, orbital)
    # Someone else: the won keynote is cancelled, its panels go back on the shelf.
    lifecycle.change_status(db, orbital, state.version, ProjectStatus.CANCELLED)
    eq_window.refresh_from_database()  # the poll saw the change
    qtbot.waitUntil(lambda: panel.timeline.level(scene.panel_id, MARCH(9)).held == 392)  # type: ignore[union-attr]
    assert "Orbital keynote" not in {b.hold.project_name for b in panel.timeline.row(scene.panel_id).bars}  # type: ignore[union-attr]
    assert panel.status.text() == "No shortages in this year"


def test_a_double_click_on_a_bar_opens_that_projects_estimate(
    qtbot: Any, eq_window: MainWindow, scene: EquipmentScene
) -> None:
    panel = open_timeline(qtbot, eq_window)
    view = panel.view
    view.scroll_to_day(MARCH(9))
    qtbot.mouseDClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=point(view, lane_of(view, "Orbital keynote"), MARCH(9)),
    )
    assert eq_window.workspace is not None
    assert eq_window.workspace.doc.estimate_id == scene.estimates["Orbital keynote"]
    assert eq_window.places.currentWidget() is eq_window.stack


def test_the_capacity_view_has_an_equipment_mode(
    qtbot: Any, eq_window: MainWindow, scene: EquipmentScene
) -> None:
    eq_window.capacity_dock.toggleViewAction().trigger()
    view = eq_window.capacity_view
    qtbot.waitUntil(lambda: view.canvas is not None)
    view.set_range(MARCH(6), MARCH(17))
    mode = view.findChild(QComboBox, "capacityMode")
    mode.setCurrentIndex(mode.findData("equipment"))
    table = view.table
    assert table is not None
    assert [name for _, name in table.roles] == ["500 mm LED panel", "Box truss 3 m"]
    nine = table.cell(MARCH(9), scene.panel_id)
    assert (nine.demand_confirmed, nine.demand_tentative, nine.supply) == (300, 392, 400)
    assert view.status.text() == "3 days short"
    roles = view.role_combo
    assert roles.itemText(0) == "All items"
    roles.setCurrentIndex(roles.findData(str(scene.panel_id)))  # one item: bars against what can go out
    assert view.figure.axes[0].get_title(loc="left") == "500 mm LED panel: held against what can go out"
    mode.setCurrentIndex(mode.findData("crew"))
    assert view.role_combo.itemText(0) == "All roles"


def test_from_an_empty_database_the_timeline_says_how_to_add_stock(
    qtbot: Any, empty_db: Database, dialogs: FakeDialogs
) -> None:
    window = shown_window(qtbot, empty_db, dialogs)
    assert window.workspace is None
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL | SHIFT)
    panel = window.equipment_timeline.panel
    qtbot.waitUntil(lambda: panel.is_loaded() and panel.view.isVisible())
    assert panel.view.grid.rows == [] and panel.view.grid.project_days is None
    assert panel.status.text() == "No equipment yet: Edit › Equipment… adds the stock the company owns."
    assert panel.view.tooltip_at(QPoint(NAME_WIDTH + 5, HEADER_HEIGHT + 5)) == ""


def test_the_capacity_views_equipment_mode_follows_a_quantity_typed(
    qtbot: Any, eq_window: MainWindow, scene: EquipmentScene
) -> None:
    eq_window.capacity_dock.toggleViewAction().trigger()
    view = eq_window.capacity_view
    qtbot.waitUntil(lambda: view.canvas is not None)
    view.set_range(MARCH(6), MARCH(17))
    mode = view.findChild(QComboBox, "capacityMode")
    mode.setCurrentIndex(mode.findData("equipment"))
    assert view.status.text() == "3 days short"
    production = eq_window.workspace.production_view
    type_into_cell(qtbot, production, cell(eq_window, scene.lines["Vantage booth"], "quantity"), "100")
    qtbot.waitUntil(lambda: view.status.text() == "No shortages")
    assert view.table is not None and view.table.cell(MARCH(9), scene.panel_id).demand_tentative == 100


def test_where_the_timeline_opens_survives_a_restart(
    qtbot: Any, empty_db: Database, scene: EquipmentScene, dialogs: FakeDialogs, tmp_path: Any
) -> None:
    path = str(tmp_path / "settings" / "tandem.ini")

    def start() -> MainWindow:
        win = MainWindow(
            dialogs=dialogs,
            settings=QSettings(path, QSettings.Format.IniFormat),  # type: ignore[arg-type]
            watch_sharing=False,
            backup_on_open=False,
        )
        qtbot.addWidget(win)
        win.resize(1500, 900)
        win.set_database(empty_db)
        win.show()
        qtbot.waitExposed(win)
        return win

    first = start()
    view_menu = next(a.menu() for a in first.menuBar().actions() if a.text() == "&View")
    assert "Equipment timeline" in [a.text() for a in view_menu.actions()]
    opens = next(a.menu() for a in view_menu.actions() if a.text() == "Equipment timeline opens")
    next(a for a in opens.actions() if a.text() == "In a window of its own").trigger()
    place = first.equipment_timeline.place
    open_timeline(qtbot, first)
    assert place.window.isVisible() and place.window.objectName() == "equipmentTimelineWindow"
    assert first.places.count() == 1  # no tab: the estimate alone
    first.close()
    assert not place.window.isVisible()
    QApplication.processEvents()
    assert QSettings(path, QSettings.Format.IniFormat).value("equipment_timeline/layout") == "window"
    assert QSettings(path, QSettings.Format.IniFormat).value("crew_calendar/layout") is None  # its own key

    second = start()
    panel = open_timeline(qtbot, second)
    assert panel.window() is second.equipment_timeline.place.window
    second.close()
