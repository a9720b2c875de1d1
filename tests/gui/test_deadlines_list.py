"""View › Deadlines through the real window (tests/deadlines_scene.py, seen on 3 March 2027): the
groups, the filters typed and chosen, a Done tick clicked and taken back with Edit › Undo, the status
bar's overdue count following others' changes, a double click opening the project, and the
project's timeline chart."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem, QTableView
from sqlalchemy import select, update

from app.services.schedule.deadlines import MILESTONE_T
from app.services.storage.database import Database
from app.ui.main_window import MainWindow
from app.ui.schedule.deadlines_model import DEADLINE_ROLE, DONE
from app.ui.schedule.deadlines_panel import DeadlinesPanel
from tests.deadlines_scene import TODAY, DeadlinesScene, build_deadlines_scene
from tests.gui.conftest import FakeDialogs, shown_window

pytestmark = pytest.mark.gui
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


@pytest.fixture
def scene(empty_db: Database) -> DeadlinesScene:
    return build_deadlines_scene(empty_db)


@pytest.fixture
def win(qtbot: Any, empty_db: Database, scene: DeadlinesScene, dialogs: FakeDialogs) -> MainWindow:
    window = shown_window(qtbot, empty_db, dialogs)
    window.deadlines.panel.today = lambda: TODAY
    return window


def open_deadlines(qtbot: Any, win: MainWindow) -> DeadlinesPanel:
    """Ctrl+Alt+D, as the user presses it."""
    if QApplication.activeWindow() is not win:
        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.navigator.view.setFocus()
    qtbot.keyClick(win.navigator.view, Qt.Key.Key_D, CTRL_ALT)
    panel = win.deadlines.panel
    qtbot.waitUntil(lambda: panel.is_loaded() and panel.view.isVisible())  # read off the GUI thread
    qtbot.waitExposed(panel.view)
    return panel


def shown(panel: DeadlinesPanel) -> list[str]:
    """Each row as the user reads it: a group header, or "project/deadline"."""
    model = panel.model
    out = []
    for row in range(model.rowCount()):
        entry = model.index(row, 0).data(DEADLINE_ROLE)
        out.append(model.index(row, 0).data() if entry is None else f"{entry.project_name}/{entry.name}")
    return out


def row_of(panel: DeadlinesPanel, name: str) -> int:
    return next(i for i, text in enumerate(shown(panel)) if text == name)


def check_centre(view: QTableView, index: QModelIndex) -> QPoint:
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    return view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view).center()


def stored_done(db: Database, scene: DeadlinesScene, key: str) -> bool:
    with db.read() as conn:
        return bool(
            conn.execute(
                select(MILESTONE_T.c.done).where(MILESTONE_T.c.id == scene.milestones[key])
            ).scalar_one()
        )


def test_tick_a_deadline_done_with_a_click_and_undo_it(
    qtbot: Any, win: MainWindow, empty_db: Database, scene: DeadlinesScene, qtmodeltester: Any
) -> None:
    panel = open_deadlines(qtbot, win)
    assert win.places.currentWidget() is panel  # in its tab beside the estimate
    qtmodeltester.check(panel.model, force_py=False)
    rows = shown(panel)
    assert rows[:3] == ["Overdue (2)", "Vantage booth/Design approval", "Spring gala/Deposit invoice"]
    assert [r for r in rows if "/" not in r] == [
        "Overdue (2)",
        "This week (3)",
        "Next week (3)",
        "Later (1)",
        "No date (3)",
    ]
    assert win.deadlines.overdue_label.text() == "2 overdue"
    assert panel.view.columnSpan(0, 0) == panel.model.columnCount()  # a header spans the row

    row = row_of(panel, "Spring gala/Deposit invoice")
    index = panel.model.index(row, DONE)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=check_centre(panel.view, index))
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert index.data(Qt.ItemDataRole.FontRole).strikeOut()  # kept in the list, struck through
    assert stored_done(empty_db, scene, "Spring gala/Deposit invoice")
    assert win.deadlines.overdue_label.text() == "1 overdue"
    assert win.undo_action.isEnabled() and "Deposit invoice" in win.undo_action.text()

    win.undo_action.trigger()  # Edit › Undo
    assert not stored_done(empty_db, scene, "Spring gala/Deposit invoice")
    assert panel.model.index(row, DONE).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert win.deadlines.overdue_label.text() == "2 overdue"
    win.redo_action.trigger()
    assert stored_done(empty_db, scene, "Spring gala/Deposit invoice")
    assert win.deadlines.overdue_label.text() == "1 overdue"
    # Someone else edits the booth's design approval meanwhile: the tick says so and writes nothing.
    with empty_db.write() as conn:
        conn.execute(
            update(MILESTONE_T)
            .where(MILESTONE_T.c.id == scene.milestones["Vantage booth/Design approval"])
            .values(notes="moved by Sam", version=MILESTONE_T.c.version + 1)
        )
    index = panel.model.index(row_of(panel, "Vantage booth/Design approval"), DONE)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=check_centre(panel.view, index))
    assert "nothing was saved" in win.statusBar().currentMessage()
    assert not stored_done(empty_db, scene, "Vantage booth/Design approval")
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert "Deposit invoice" in win.undo_action.text()  # nothing pushed
    # An order's order-by has no tick: sending the order meets it.
    order_row = row_of(panel, "Vantage booth/Order PO-2027-0001 · Skyline Rigging (sub-rental)")
    assert not panel.model.flags(panel.model.index(order_row, DONE)) & Qt.ItemFlag.ItemIsUserCheckable


def test_filters_typed_and_chosen(qtbot: Any, win: MainWindow, scene: DeadlinesScene) -> None:
    panel = open_deadlines(qtbot, win)
    qtbot.keyClicks(panel.text_filter, "invoice")
    assert shown(panel) == [
        "Overdue (1)",
        "Spring gala/Deposit invoice",
        "Later (1)",
        "Vantage booth/Invoice",
    ]
    assert panel.summary.text() == "2 of 12 deadlines"
    panel.text_filter.clear()
    panel.owner_filter.setCurrentIndex(panel.owner_filter.findText("Kit Moss"))
    assert shown(panel) == ["Overdue (1)", "Spring gala/Deposit invoice"]
    panel.owner_filter.setCurrentIndex(panel.owner_filter.findText("AM"))
    panel.project_filter.setCurrentIndex(panel.project_filter.findText("Vantage booth"))
    assert shown(panel) == [
        "Overdue (1)",
        "Vantage booth/Design approval",
        "Later (1)",
        "Vantage booth/Invoice",
    ]
    panel.kind_filter.setCurrentIndex(panel.kind_filter.findText("Invoice"))
    assert shown(panel) == ["Later (1)", "Vantage booth/Invoice"]
    assert win.deadlines.overdue_label.text() == "2 overdue"  # the count is every project's, unfiltered


def test_the_count_follows_others_changes_and_a_double_click_opens_the_project(
    qtbot: Any, win: MainWindow, empty_db: Database, scene: DeadlinesScene
) -> None:
    panel = open_deadlines(qtbot, win)
    with empty_db.write() as conn:  # someone else ticks the booth's design approval done
        conn.execute(
            update(MILESTONE_T)
            .where(MILESTONE_T.c.id == scene.milestones["Vantage booth/Design approval"])
            .values(done=True, version=MILESTONE_T.c.version + 1)
        )
    win.refresh_from_database()  # what the next poll does when it sees others' commits
    qtbot.waitUntil(lambda: win.deadlines.overdue_label.text() == "1 overdue")
    assert "Vantage booth/Design approval" not in shown(panel)

    index = panel.model.index(row_of(panel, "Spring gala/Deposit invoice"), 2)
    point = panel.view.visualRect(index).center()
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=point)  # a double click's press
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    dialog = win.project_actions.project_dialogs.get(scene.projects["Spring gala"])
    assert dialog is not None and dialog.isVisible()
    dialog.close()

    win.findChild(QAction, "actionProjectTimeline").trigger()  # the gala is the navigator's project now
    chart = win.deadlines.timelines[scene.projects["Spring gala"]]
    assert chart.isVisible() and [i.label for i in chart.schedule.items] == [
        "Deposit invoice",
        "Design approval",
    ]
    labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]  # drawn bottom up
    assert labels == ["Design approval", "Deposit invoice"]  # undated, then fixed 2 March: by day
    chart.close()
