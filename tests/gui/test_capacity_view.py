"""The capacity view: matplotlib in the app, drawn from capacity() for the chosen range and role."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from PySide6.QtGui import QColor, QImage

from app.ui.crew.capacity_view import CapacityView, cell_label
from tests.staffing_data import add_call, add_crew, add_estimate, add_project, add_role

pytestmark = pytest.mark.gui

MON, TUE = date(2027, 3, 8), date(2027, 3, 9)


def colours(image: QImage) -> set[int]:
    return {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)}


def has_red(image: QImage) -> bool:
    for x in range(0, image.width(), 3):
        for y in range(0, image.height(), 3):
            c = QColor(image.pixel(x, y))
            if c.red() > 170 and c.red() - c.green() > 90 and c.red() - c.blue() > 90:
                return True
    return False


@pytest.fixture
def crewed_db(empty_db):  # type: ignore[no-untyped-def]
    hand = add_role(empty_db, "Stagehand")
    for name in ("Ana", "Ben"):
        add_crew(empty_db, name, [hand])
    _, section = add_estimate(empty_db, add_project(empty_db, "Gala", "won", MON, TUE))
    add_call(empty_db, section, hand, 2, MON)
    _, section = add_estimate(empty_db, add_project(empty_db, "Expo", "quoted", TUE, TUE))
    add_call(empty_db, section, hand, 3, TUE)
    return empty_db, hand


def test_matplotlib_waits_for_the_first_show(qtbot, crewed_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = crewed_db
    view = CapacityView()
    qtbot.addWidget(view)
    view.set_database(db)
    assert view.canvas is None  # nothing drawn, nothing imported for a hidden view
    if "matplotlib.backends.backend_qtagg" not in sys.modules:
        view.show()
        assert "matplotlib.backends.backend_qtagg" in sys.modules
    view.close()


def test_renders_the_heatmap_and_bars_with_the_known_day(qtbot, crewed_db) -> None:  # type: ignore[no-untyped-def]
    db, hand = crewed_db
    view = CapacityView()
    qtbot.addWidget(view)
    view.resize(1000, 420)
    view.set_database(db)
    view.show()
    qtbot.waitExposed(view)
    view.set_range(date(2027, 3, 1), date(2027, 3, 14))
    assert view.canvas is not None
    table = view.table
    assert table is not None and len(table.periods) == 14
    tue = table.cell(TUE, hand)
    assert (tue.demand_confirmed, tue.demand_tentative, tue.supply) == (0, 3, 2)
    assert tue.over_committed and cell_label(tue) == "3/2"
    assert cell_label(table.cell(MON, hand)) == "2/2"
    assert view.status.text() == "1 over-committed day · 0 of 5 crew-days assigned"
    assert [view.role_combo.itemText(i) for i in range(view.role_combo.count())] == ["All roles", "Stagehand"]
    view.canvas.draw()
    image = view.grab().toImage()
    assert len(colours(image)) > 20 and has_red(image)  # drawn, and the over-committed day is red

    view.set_role(hand)
    assert view.selected_role() == hand
    view.canvas.draw()
    assert len(colours(view.grab().toImage())) > 10
    view.by_combo.setCurrentIndex(view.by_combo.findData("week"))
    assert view.table.by == "week" and view.table.cell(MON, hand).day == TUE
    view.set_range(date(2027, 3, 10), date(2027, 3, 1))
    assert view.table is None and "ends after" in view.status.text()
    view.canvas.draw()
    view.close()


def test_start_up_does_not_import_matplotlib() -> None:
    import subprocess

    code = "import sys, app.ui.main_window; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            timeout=120, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.stdout.strip() == "False"


def test_view_menu_shows_capacity_of_the_demo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    action = window.capacity_dock.toggleViewAction()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert action in view_menu.actions()
    action.trigger()
    view = window.capacity_view
    qtbot.waitUntil(lambda: view.canvas is not None and view.isVisible())
    view.set_range(date(2027, 3, 1), date(2027, 3, 31))
    assert view.table is not None
    demand = sum(c.demand for c in view.table.rows())
    assert demand > 0  # the quoted Vantage show needs crew in March 2027
    window.capacity_dock.hide()
