"""View › Capacity outlook's panel on the hand-built scene of tests/test_outlook.py: the grid's figures,
its red over-booked week and the tooltip naming the projects with their share, the weeks control, the
chart of the chosen row, a double click opening a project — and no cost or rate in any role."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.services.storage.database import Database
from app.ui.outlook.model import CELL_ROLE, OVER_BACKGROUND, OutlookModel
from app.ui.outlook.panel import OutlookPanel
from tests.gui.helpers import all_model_text
from tests.test_outlook import WEEK_A, WEEK_B, build_scene

pytestmark = pytest.mark.gui
ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.StatusTipRole,
    Qt.ItemDataRole.WhatsThisRole,
    Qt.ItemDataRole.AccessibleTextRole,
)


def _panel(qtbot: Any, db: Database) -> OutlookPanel:
    panel = OutlookPanel()
    qtbot.addWidget(panel)
    panel.resize(1300, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.db = db
    panel.set_range(date(2027, 3, 10), 2)
    qtbot.waitUntil(lambda: panel.is_loaded() and panel.model.table is not None)
    return panel


def _double_click(qtbot: Any, view: Any, index: Any) -> None:
    view.scrollTo(index)
    point = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)  # a double click's press
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_the_grid_shows_the_weighted_weeks_and_names_who_over_books_them(
    qtbot: Any, empty_db: Database, qtmodeltester: Any
) -> None:
    ids = build_scene(empty_db)
    panel = _panel(qtbot, empty_db)
    model = panel.model
    qtmodeltester.check(model, force_py=False)
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())] == [
        "Rigger (h)",
        "Stagehand (h)",
        "Moving head (units)",
    ]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Wk 10\n8 Mar"
    assert [[model.index(r, c).data() for c in range(2)] for r in range(3)] == [
        ["111 / 96", "48 / 112"],
        ["28 / 60", "0 / 76"],
        ["8.4 / 8", "7 / 8"],
    ]
    over = model.index_of(ids["rigger"], WEEK_A)
    assert over.data(Qt.ItemDataRole.BackgroundRole).color() == OVER_BACKGROUND
    assert model.index_of(ids["rigger"], WEEK_B).data(Qt.ItemDataRole.BackgroundRole) is None
    tip = over.data(Qt.ItemDataRole.ToolTipRole)
    assert "Wanted 111 h: won 96 h + open 15 h weighted by win probability" in tip
    assert "On hand 96 h — over by 15 h" in tip
    assert "Gala — won, 100 %: 96 h (86 %)" in tip and "Expo — quoted, 50 %: 15 h (14 %)" in tip
    assert "Moving head, week of 8 Mar 2027, worst on Sat 13 Mar" in model.index_of(
        ids["heads"], WEEK_A
    ).data(Qt.ItemDataRole.ToolTipRole)
    assert panel.summary.text().strip() == "1 week over-booked: Rigger, Moving head"

    # The first over-booked cell is chosen: its projects listed, its row charted.
    assert panel.grid.currentIndex() == over
    assert panel.projects_title.text() == "Wk of 8 Mar: Rigger 111 h wanted, 96 h on hand — over"
    assert [panel.projects_model.index(r, c).data() for r in range(2) for c in range(5)] == [
        "Gala", "won", "100", "96 h", "86 %",
        "Expo", "quoted", "50", "15 h", "14 %",
    ]  # fmt: skip
    assert panel.chart.row_id == ids["rigger"] and panel.chart.canvas is not None

    # A double click on a one-project cell opens it; on a cell of two, the list takes the focus
    # and Enter there opens the chosen one.
    opened: list[Any] = []
    panel.projectActivated.connect(opened.append)
    _double_click(qtbot, panel.grid, model.index_of(ids["hand"], WEEK_A))
    assert opened == [ids["launch"]]
    assert panel.chart.row_id == ids["hand"]
    _double_click(qtbot, panel.grid, over)
    qtbot.waitUntil(panel.projects.hasFocus)
    qtbot.keyClick(panel.projects, Qt.Key.Key_Down)
    qtbot.keyClick(panel.projects, Qt.Key.Key_Return)
    assert opened == [ids["launch"], ids["expo"]]

    # The weeks control: one week, and the chosen cell kept.
    panel.grid.setCurrentIndex(model.index_of(ids["rigger"], WEEK_A))
    panel.weeks_spin.setValue(1)
    qtbot.waitUntil(lambda: panel.is_loaded() and model.columnCount() == 1)
    assert panel.grid.currentIndex() == model.index_of(ids["rigger"], WEEK_A)
    panel.equipment_check.setChecked(False)
    qtbot.waitUntil(lambda: panel.is_loaded() and model.rowCount() == 2)
    assert model.index(0, 0).data(CELL_ROLE).demand == 111


def test_no_cost_rate_or_margin_in_any_role_of_the_outlook(qtbot: Any, empty_db: Database) -> None:
    build_scene(empty_db)  # roles cost 50.00 and bill 80.00 an hour; the stock's day cost is 5.00
    panel = _panel(qtbot, empty_db)
    texts = all_model_text(panel.model, ROLES) + all_model_text(panel.projects_model, ROLES)
    texts += [
        str(panel.model.headerData(n, o, role))
        for o, count in ((Qt.Orientation.Horizontal, 2), (Qt.Orientation.Vertical, 3))
        for n in range(count)
        for role in ROLES
    ]
    joined = "\n".join(texts).lower()
    assert "gala" in joined  # the roles were read
    for word in ("cost", "rate", "margin", "price", "$", "80.00", "50.00", "5.00", "bill"):
        assert word not in joined, word


def test_an_empty_outlook_says_so(qtbot: Any, empty_db: Database, qtmodeltester: Any) -> None:
    panel = _panel(qtbot, empty_db)
    assert panel.summary.text() == "No crew, labour calls or held equipment in these weeks"
    assert panel.model.rowCount() == 0 and panel.projects_model.rowCount() == 0
    qtmodeltester.check(OutlookModel(), force_py=False)
