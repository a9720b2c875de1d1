"""Compare supplier quotes on a line from the window: three rigging companies side by side, pick one
(the cost follows, Edit › Undo restores, one step each), add and remove a candidate; the Quote
column and the footer say an expired quote; the client pane, the Excel quote and the PDF carry no
supplier and no quote number.

The scene (tests/supply_scene.py): Motors, 8 × 3 days at $100.00; SkyPoint SP-2041 $95.00 (expired),
Apex AH-77 $88.00, Summit SR-9 $102.00; load-in Monday 8 March 2027.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from app.services.excel.quote import export_quote
from app.services.quote.content import quote_content
from app.services.storage.database import Database, open_database
from app.services.supply.line_quotes import short_date
from app.ui.estimate.production_cells import LOSS_FG
from app.ui.main_window import MainWindow
from app.ui.quote.pdf import write_pdf
from app.ui.supply.compare_dialog import SupplierQuoteCompareDialog
from tests.gui.conftest import FakeDialogs, shown_window
from tests.gui.helpers import all_model_text, cell, workspace
from tests.gui.test_acceptance_company import choose as choose_combo
from tests.gui.test_clipboard import POPUP_WARNINGS, choose, right_click
from tests.gui.test_quote_pdf import pdf_text
from tests.supply_scene import SupplyScene, make_supply_scene, set_item_cost
from tests.test_excel_export import _xml_texts

pytestmark = pytest.mark.gui
D = Decimal
NAMES = ("SP-2041", "AH-77", "SR-9", "SkyPoint", "Apex", "Summit")


@pytest.fixture
def scene(demo_db: Database) -> SupplyScene:
    return make_supply_scene(demo_db)


def _open(qtbot: Any, db: Database, scene: SupplyScene, dialogs: FakeDialogs) -> MainWindow:
    win = shown_window(qtbot, db, dialogs)
    win.open_estimate(scene.estimate_id)
    return win


def _compare(qtbot: Any, win: MainWindow, scene: SupplyScene) -> SupplierQuoteCompareDialog:
    ws = workspace(win)
    menu = right_click(
        qtbot,
        ws.production_view,
        ws.production_view.visualRect(cell(win, scene.line_id, "description")).center(),
    )
    assert ws.current_id() == scene.line_id
    choose(qtbot, menu, "actionCompareSupplierQuotes")
    dialog = win.estimate_actions.supply.compare_dialog
    assert isinstance(dialog, SupplierQuoteCompareDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _pick(qtbot: Any, dialog: SupplierQuoteCompareDialog, number: str) -> None:
    table = dialog.findChild(QTableView, "supplierQuoteTable")
    row = next(i for i, r in enumerate(dialog.model.rows) if r.item.quote.number == number)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(dialog.model.index(row, 1)).center()
    )
    assert dialog.table.currentIndex().row() == row


def _rows(dialog: SupplierQuoteCompareDialog) -> list[list[str]]:
    model = dialog.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


@POPUP_WARNINGS
def test_pick_one_of_three_the_cost_follows_and_undo_restores_it(
    qtbot: Any, qtmodeltester: Any, demo_db: Database, scene: SupplyScene, dialogs: FakeDialogs
) -> None:
    win = _open(qtbot, demo_db, scene, dialogs)
    ws = workspace(win)
    line = ws.doc.line(scene.line_id)
    in_menus = [
        a.objectName() for menu in win.menuBar().actions() if menu.menu() for a in menu.menu().actions()
    ]
    assert "actionCompareSupplierQuotes" in in_menus  # the Estimate menu's too
    dialog = _compare(qtbot, win, scene)
    qtmodeltester.check(dialog.model)
    expired = short_date(date.today() - timedelta(days=5))
    valid = short_date(date.today() + timedelta(days=20))
    # 8 × 3 days = 24 units; order-by counted back from Monday 8 March 2027 (see test_line_quotes).
    assert _rows(dialog)[:2] == [
        [
            "SkyPoint Rigging",
            "SP-2041",
            "$95.00",
            "$2,280.00",
            "10 d",
            "2 d",
            "24 Feb 2027",
            f"expired {expired}",
        ],
        ["Apex Hoist", "AH-77", "$88.00", "$2,112.00", "6 wd", "1 wd", "25 Feb 2027", valid],
    ]
    _pick(qtbot, dialog, "AH-77")
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert (line.unit_cost, line.supplier_quote_item_id) == (D(88), scene.items["AH-77"])
    assert ws.production_pane.model.data(cell(win, line.id, "quote")) == "AH-77"
    assert ws.production_pane.model.data(cell(win, line.id, "supplier_id")) == "Apex Hoist"
    assert cell(win, line.id, "unit_cost").data(Qt.ItemDataRole.ToolTipRole) == (
        "Follows supplier quote AH-77 (Apex Hoist) at 8 ea; type a cost to stop following it."
    )
    assert _rows(dialog)[1][0] == "✓ Apex Hoist" and not dialog.use_button.isEnabled()
    assert win.undo_action.text() == "Undo Use supplier quote AH-77"
    _pick(qtbot, dialog, "SR-9")
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert (line.unit_cost, line.price.cost) == (D(102), D("2448.00"))
    win.undo_action.trigger()  # Edit › Undo: back to Apex, one step
    assert (line.unit_cost, line.supplier_quote_item_id) == (D(88), scene.items["AH-77"])
    assert _rows(dialog)[1][0] == "✓ Apex Hoist"  # the open comparison follows the undo
    win.undo_action.trigger()
    assert (line.unit_cost, line.supplier_quote_item_id, line.supplier_id) == (D(100), None, None)
    assert ws.production_pane.model.data(cell(win, line.id, "quote")) == ""
    # The others stay for the record; one removed, and added again from the list.
    _pick(qtbot, dialog, "SR-9")
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert [r[1] for r in _rows(dialog)] == ["SP-2041", "AH-77"]
    offered = [dialog.add_choice.itemText(i) for i in range(dialog.add_choice.count())]
    sr9 = "SR-9 (Summit Rigging): 1 t chain motor, $102.00"
    assert sr9 in offered  # beside the demo's own rigging quotes for the same catalog item
    choose_combo(qtbot, dialog.add_choice, sr9)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert [r[1] for r in _rows(dialog)] == ["SP-2041", "AH-77", "SR-9"]
    assert sr9 not in [dialog.add_choice.itemText(i) for i in range(dialog.add_choice.count())]
    # Apex re-quotes (the quote editor, or another user): the line follows at the next poll.
    _pick(qtbot, dialog, "AH-77")
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    other = open_database(demo_db.path)  # another user's session
    try:
        set_item_cost(other, scene.items["AH-77"], "84")
    finally:
        other.close()
    win.sharing.poll()
    qtbot.waitUntil(lambda: ws.doc.line(scene.line_id).unit_cost == D(84), timeout=5000)
    assert cell(win, scene.line_id, "cost").data() == "$2,016.00"  # 24 × 84
    assert _rows(dialog)[1][2:4] == ["$84.00", "$2,016.00"]
    dialog.close()


@POPUP_WARNINGS
def test_an_expired_quote_is_red_on_the_line_and_said_in_the_footer_and_the_client_sees_nothing(
    qtbot: Any, demo_db: Database, scene: SupplyScene, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    win = _open(qtbot, demo_db, scene, dialogs)
    ws = workspace(win)
    warning = ws.production_pane.quote_warning
    assert warning.isHidden()
    dialog = _compare(qtbot, win, scene)
    _pick(qtbot, dialog, "SP-2041")
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    dialog.close()
    quote = cell(win, scene.line_id, "quote")
    assert quote.data() == "SP-2041" and quote.data(Qt.ItemDataRole.ForegroundRole) == LOSS_FG
    assert "SkyPoint Rigging, quote SP-2041" in quote.data(Qt.ItemDataRole.ToolTipRole)
    expired = short_date(date.today() - timedelta(days=5))
    assert not warning.isHidden()
    assert warning.text() == f"⚠ Supplier quote SP-2041 expired {expired}: Motors"
    # The client reads the line's own wording and price: no supplier, no quote number.
    client = " ".join(
        all_model_text(ws.client_pane.model, (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole))
    )
    assert "Rigging motors" in client
    path = tmp_path / "quote.xlsx"
    export_quote(ws.doc, path)
    workbook = " ".join(t for texts in _xml_texts(path).values() for t in texts)
    pdf = tmp_path / "quote.pdf"
    write_pdf(quote_content(ws.doc), pdf)
    printed = re.sub(r"\s+", " ", pdf_text(pdf)[1])
    assert "Rigging motors" in workbook and "Rigging motors" in printed
    for shown in (client, workbook, printed):
        for name in NAMES:
            assert name not in shown, name
    ws.editor.undo_stack.undo()  # back to no quote: the footer says nothing
    assert warning.isHidden()
