"""Sub-rent the shortage from the window: the right-click menu on a short line opens the dialog,
OK splits the line in two with the client total unchanged, one Ctrl+Z brings the one line back;
the shortage lists of the estimate and of every job, with the same action.

The scene (tests/equipment_scene.py) on the demo company: 400 panels owned, Orbital keynote (won)
holds 300 over 10–14 March 2027, our Vantage booth needs 392 on 12–13 March: 100 free, short 292.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu
from sqlalchemy import update

from app.services.estimate.document import EstimateDocument
from app.services.storage.database import Database
from app.ui.equipment.subrent_dialog import SubRentDialog
from app.ui.main_window import MainWindow
from tests import equipment_scene
from tests.equipment_scene import Scene, panel_line, set_project
from tests.factories import PROJECT_T
from tests.gui.conftest import FakeDialogs, shown_window
from tests.gui.helpers import cell, type_into_cell, workspace
from tests.gui.test_clipboard import POPUP_WARNINGS, choose, entries, right_click

CTRL = Qt.KeyboardModifier.ControlModifier
D = Decimal


@pytest.fixture
def scene(demo_db: Database) -> Scene:
    built = equipment_scene.build(demo_db)
    equipment_scene.suppliers(demo_db, built.stock)
    doc = EstimateDocument(demo_db, built.ours)
    doc.add_line(doc.sections[0].id, None, panel_line(built.panel, "392"))
    doc.add_line(
        doc.sections[0].id,
        None,
        panel_line(built.panel, "8", description="Spare panels", catalog_item_id=None),
    )
    return built


def _open(qtbot: Any, scene: Scene, dialogs: FakeDialogs) -> tuple[MainWindow, uuid.UUID]:
    win = shown_window(qtbot, scene.db, dialogs)
    win.open_estimate(scene.ours)
    ws = workspace(win)
    return win, ws.doc.sections[0].lines[0].id


def _ok(qtbot: Any, dialog: SubRentDialog) -> None:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@POPUP_WARNINGS  # the right-click menu, offscreen
def test_sub_rent_the_shortage_splits_the_line_and_one_undo_restores_it(
    qtbot: Any, scene: Scene, dialogs: FakeDialogs
) -> None:
    win, panels = _open(qtbot, scene, dialogs)
    ws = workspace(win)
    spare = ws.doc.sections[0].lines[1].id
    total_text = ws.client_pane.total.text()
    total = ws.doc.totals.total
    # The spare line has no stock: nothing to sub-rent on it.
    menu = right_click(
        qtbot, ws.production_view, ws.production_view.visualRect(cell(win, spare, "description")).center()
    )
    assert (
        "actionSubRent" in entries(menu) and not win.estimate_actions.subrent.subrent_action.isEnabled()
    )
    menu.close()
    menu = right_click(
        qtbot, ws.production_view, ws.production_view.visualRect(cell(win, panels, "description")).center()
    )
    assert ws.current_id() == panels
    choose(qtbot, menu, "actionSubRent")
    dialog = win.estimate_actions.subrent.subrent_dialog
    assert isinstance(dialog, SubRentDialog)
    qtbot.waitExposed(dialog)
    assert dialog.quantity_edit.text() == "292"  # the shortage: 392 needed, 400 − 300 free
    assert (
        "300 held by Orbital keynote (won)" in dialog.findChild(type(dialog.preview), "subRentExplain").text()
    )
    assert [dialog.supplier_box.itemText(i) for i in range(3)] == [
        "Zeta Rentals — $9.85 a day",
        "Alpha AV — $11.00 a day",
        "Beta Video (supplies it)",
    ]
    assert dialog.day_cost_edit.text() == "9.85"
    # 292 × 3 days × $9.85 = $8,628.60; the line's $19,347.67 stays, $14,412.04 of it sub-rented.
    assert dialog.preview.text() == (
        "Cost of the sub-rental: $8,628.60. The client price stays $19,347.67, "
        "$14,412.04 of it on the sub-rental line."
    )
    dialog.supplier_box.setCurrentIndex(2)  # Beta has no rate: its day cost is to be typed
    assert dialog.day_cost_edit.text() == ""
    _ok(qtbot, dialog)
    assert "Type the supplier's day cost" in dialog.error.text() and ws.doc.line_count == 2
    dialog.supplier_box.setCurrentIndex(0)
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: win.estimate_actions.subrent.subrent_dialog is None)

    lines = ws.doc.sections[0].lines
    assert [(line.description, line.quantity) for line in lines] == [
        ("LED panel 500 mm", 100),
        ("LED panel 500 mm (sub-rental from Zeta Rentals)", 292),
        ("Spare panels", 8),
    ]
    assert lines[0].price.price + lines[1].price.price == D("19347.67")
    assert ws.doc.totals.total == total and ws.client_pane.total.text() == total_text
    assert ws.current_id() == lines[1].id  # the new sub-rental line
    assert "Sub-rented 292 from Zeta Rentals at $8,628.60" in win.statusBar().currentMessage()
    assert not win.estimate_actions.subrent.subrent_action.isEnabled()  # nothing short any more
    assert win.undo_action.text() == "Undo Sub-rent the shortage"

    qtbot.waitUntil(lambda: QApplication.focusWidget() is ws.production_view)  # the grid has the keys again
    qtbot.keyClick(ws.production_view, Qt.Key.Key_Z, CTRL)  # one step
    assert [(line.description, line.quantity) for line in ws.doc.sections[0].lines] == [
        ("LED panel 500 mm", 392),
        ("Spare panels", 8),
    ]
    assert ws.doc.totals.total == total and ws.client_pane.total.text() == total_text
    win.redo_action.trigger()
    assert ws.doc.line_count == 3 and ws.doc.sections[0].lines[1].quantity == 292


def test_the_shortage_lists_offer_the_same_action_on_the_jobs_estimate(
    qtbot: Any, scene: Scene, dialogs: FakeDialogs
) -> None:
    set_project(scene.db, scene.ours_project, status="quoted")
    with scene.db.write() as conn:  # the demo's own jobs hold nothing here: only the scene's are listed
        scene_jobs = [scene.ours_project, scene.theirs_project]
        conn.execute(update(PROJECT_T).where(PROJECT_T.c.id.not_in(scene_jobs)).values(status="lead"))
    win, panels = _open(qtbot, scene, dialogs)
    win.open_estimate(scene.theirs)  # another estimate open: the list opens Vantage's
    win.estimate_actions.subrent.company_shortages_action.trigger()
    listing = win.estimate_actions.subrent.shortages_dialog
    assert listing is not None and listing.isVisible()
    qtbot.waitUntil(lambda: listing.model.rowCount() == 2)  # read on the thread pool
    rows = [[listing.model.index(r, c).data() for c in range(5)] for r in range(listing.model.rowCount())]
    assert rows == [
        [
            "500 mm LED panel",
            "Orbital keynote",
            "Wed 10 Mar 2027 – Sun 14 Mar 2027",
            "292 (none if tentative holds are lost)",
            "confirmed",
        ],
        ["500 mm LED panel", "Vantage booth", "Fri 12 Mar 2027 – Sat 13 Mar 2027", "292", "tentative"],
    ]
    listing.view.selectRow(1)
    qtbot.mouseClick(listing.subrent_button, Qt.MouseButton.LeftButton)
    ws = workspace(win)
    assert ws.doc.estimate_id == scene.ours and ws.current_id() == panels
    dialog = win.estimate_actions.subrent.subrent_dialog
    assert dialog is not None
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: win.estimate_actions.subrent.subrent_dialog is None)
    assert [line.quantity for line in ws.doc.sections[0].lines] == [100, 292, 8]
    # Vantage now holds 100 of its own and sub-rents 292: Orbital's 300 fit beside it.
    qtbot.waitUntil(lambda: listing.model.rowCount() == 0)
    assert listing.empty.isVisibleTo(listing)
    listing.close()


def test_the_estimates_list_and_its_model(
    qtbot: Any, qtmodeltester: Any, scene: Scene, dialogs: FakeDialogs
) -> None:
    win, _ = _open(qtbot, scene, dialogs)
    estimate_menu = win.findChild(QMenu, "estimateMenu")
    assert {"actionSubRent", "actionEstimateShortages"} <= {a.objectName() for a in estimate_menu.actions()}
    view_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&View")
    assert "actionCompanyShortages" in [a.objectName() for a in view_menu.actions()]
    win.estimate_actions.subrent.estimate_shortages_action.trigger()
    listing = win.estimate_actions.subrent.shortages_dialog
    assert listing is not None
    qtmodeltester.check(listing.model)
    assert listing.windowTitle() == "Shortages — Vantage booth, Full booth"
    assert [listing.model.index(0, c).data() for c in (0, 3, 4)] == [
        "500 mm LED panel",
        "292",
        "not held yet",
    ]
    assert "300 held by Orbital keynote (won)" in listing.model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)
    ws = workspace(win)
    panels = ws.doc.sections[0].lines[0].id
    assert ws.editor.edit_line(panels, "quantity", "350") is None  # the list follows the typing
    qtbot.waitUntil(lambda: listing.model.rowCount() == 1 and listing.model.index(0, 3).data() == "250")
    assert ws.editor.edit_line(panels, "quantity", "100") is None  # 100 free: nothing short
    qtbot.waitUntil(lambda: listing.model.rowCount() == 0)
    assert listing.empty.isVisibleTo(listing) and not listing.subrent_button.isEnabled()
    listing.close()


def test_the_action_follows_the_quantity_typed(qtbot: Any, scene: Scene, dialogs: FakeDialogs) -> None:
    win, panels = _open(qtbot, scene, dialogs)
    ws = workspace(win)
    action = win.estimate_actions.subrent.subrent_action
    ws.focus_row(panels)
    assert action.isEnabled()  # 392 needed, 100 free
    type_into_cell(qtbot, ws.production_view, cell(win, panels, "quantity"), "100")
    qtbot.keyClick(ws.production_view, Qt.Key.Key_Up)  # Enter went down a row: back up to it
    assert ws.current_id() == panels
    qtbot.waitUntil(lambda: not action.isEnabled())  # 100 of 100 free: not short
    assert ws.editor.edit_line(panels, "quantity", "101") is None  # changed while it stays current
    qtbot.waitUntil(action.isEnabled)
    action.trigger()
    dialog = win.estimate_actions.subrent.subrent_dialog
    assert dialog is not None and dialog.quantity_edit.text() == "1"
    dialog.reject()
    qtbot.waitUntil(lambda: win.estimate_actions.subrent.subrent_dialog is None)
    assert ws.doc.line_count == 2
