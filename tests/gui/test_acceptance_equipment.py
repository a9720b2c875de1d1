"""Issue 13's acceptance test for the stock: from an empty data folder, a new company sets up its
equipment (Edit › Equipment…, linked to the catalog item that sells it; Edit › Sub-rental rates…)
and an estimate line of that item shows its availability as the quantity is typed — through the
real widgets only (the services are called only to check what was stored and computed).

The availability column is the production pane's (helper "pane"); until it is merged the figures
are read from ``estimate_availability``, the service the column shows.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox

from app.services import master_data
from app.services.equipment.availability import estimate_availability, hold_index
from app.services.equipment.items import EQUIPMENT_ITEMS, SUBRENTAL_RATES
from app.services.equipment.rates import load_rates
from app.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs
from tests.gui.helpers import cell, type_into_cell, workspace
from tests.gui.test_acceptance_company import (
    add_record,
    choose_in_cell,
    click_in_navigator,
    editor_cell,
    monday_weeks_ahead,
    open_company_setup,
    type_form,
)
from tests.gui.test_acceptance_supply import new_client_and_project
from tests.gui.test_models import assert_nothing_internal, client_pane_text

pytestmark = pytest.mark.gui
D = Decimal
SPOT = "Moving head spot"
STOCK = "Moving head spots, owned"
SUPPLIER = "Northstar Rentals"


def test_a_new_company_stocks_an_item_and_its_estimate_line_shows_availability(
    qtbot: Any, fresh_window: MainWindow, dialogs: FakeDialogs, tandem_home: Path
) -> None:
    win = fresh_window
    assert list(tandem_home.iterdir()) == []
    load_in = monday_weeks_ahead(6)
    strike = load_in + timedelta(days=2)

    # -- 1. Set up my company ------------------------------------------------------------------------
    setup = open_company_setup(qtbot, win)
    type_form(qtbot, setup.form.editors["name"], "Lumen Works")
    qtbot.mouseClick(setup.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.isVisible)
    db = win.db
    assert db is not None and db.path == tandem_home / "tandem.db"
    assert win.editor_actions.equipment_action.isEnabled()

    # -- 2. A supplier and the catalog item that sells the stock ---------------------------------------
    win.editor_actions.suppliers_action.trigger()
    suppliers = win.editor_actions.master_editors["suppliers"]
    add_record(qtbot, suppliers, dialogs, SUPPLIER)
    qtbot.mouseClick(suppliers.close_button, Qt.MouseButton.LeftButton)
    win.editor_actions.catalog_action.trigger()
    catalog = win.editor_actions.master_editors["catalog"]
    add_record(qtbot, catalog, dialogs, SPOT)
    choose_in_cell(qtbot, catalog.table, editor_cell(catalog, SPOT, "kind"), "Equipment")
    choose_in_cell(qtbot, catalog.table, editor_cell(catalog, SPOT, "category"), "Lighting")
    type_into_cell(qtbot, catalog.table, editor_cell(catalog, SPOT, "unit_cost"), "20")
    assert catalog.message.text() == "", catalog.message.text()
    qtbot.mouseClick(catalog.close_button, Qt.MouseButton.LeftButton)

    # -- 3. Edit › Equipment…: the stock, linked to the catalog item ----------------------------------
    win.findChild(QAction, "actionEquipment").trigger()
    equipment = win.editor_actions.master_editors["equipment"]
    qtbot.waitUntil(equipment.isVisible)
    add_record(qtbot, equipment, dialogs, STOCK)
    choose_in_cell(qtbot, equipment.table, editor_cell(equipment, STOCK, "category"), "Lighting")
    choose_in_cell(qtbot, equipment.table, editor_cell(equipment, STOCK, "catalog_item_id"), SPOT)
    for key, text in (
        ("owned_quantity", "12"),
        ("out_of_service_quantity", "2"),
        ("out_of_service_from", (load_in - timedelta(days=7)).isoformat()),
        ("out_of_service_until", load_in.isoformat()),  # back on load-in day: out for the job
        ("day_cost", "20"),
        ("prep_days", "1"),
    ):
        type_into_cell(qtbot, equipment.table, editor_cell(equipment, STOCK, key), text)
        assert equipment.message.text() == "", equipment.message.text()
    type_into_cell(qtbot, equipment.table, editor_cell(equipment, STOCK, "out_of_service_quantity"), "13")
    assert equipment.message.text() == "Out of service (13) cannot be more than owned (12)."
    stock = next(r for r in master_data.load(db, EQUIPMENT_ITEMS) if r.values["name"] == STOCK)
    assert (stock.values["owned_quantity"], stock.values["out_of_service_quantity"]) == (12, 2)
    qtbot.mouseClick(equipment.close_button, Qt.MouseButton.LeftButton)

    # -- 4. Edit › Sub-rental rates…: what the supplier charges for one more --------------------------
    win.findChild(QAction, "actionSubrentalRates").trigger()
    rates = win.editor_actions.master_editors["subrental_rates"]
    qtbot.waitUntil(rates.isVisible)
    dialogs.answers.append(0)  # the one stock item
    with qtbot.waitSignal(rates.changed):
        qtbot.mouseClick(rates.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(rates.model.rows) == 1)
    type_into_cell(qtbot, rates.table, rates.model.index(0, 2), "28.50")  # Day cost
    assert rates.message.text() == "", rates.message.text()
    (rate,) = master_data.load(db, SUBRENTAL_RATES)
    assert rates.model.cell_text("supplier_id", rate.values["supplier_id"]) == SUPPLIER
    with db.read() as conn:
        assert [(r.supplier_name, r.day_cost) for r in load_rates(conn)[stock.id]] == [(SUPPLIER, D("28.50"))]
    qtbot.mouseClick(rates.close_button, Qt.MouseButton.LeftButton)

    # -- 5. A client, a project on its days, an estimate with a line of the item ----------------------
    project_dialog = new_client_and_project(qtbot, win, "Civic Arts", "Arts Awards", load_in, strike)
    qtbot.mouseClick(project_dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            win.navigator.view.model().match(
                win.navigator.view.model().index(0, 0),
                Qt.ItemDataRole.DisplayRole,
                "Arts Awards",
                1,
                Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly,
            )
            != []
        )
    )
    click_in_navigator(qtbot, win, "Arts Awards")
    dialogs.answers.append("Main show")
    win.findChild(QAction, "actionNewEstimate").trigger()
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.doc.header.name == "Main show")
    ws = workspace(win)
    win.findChild(QAction, "actionCatalog").trigger()  # the catalog panel
    qtbot.keyClicks(win.catalog.filter, "spot")
    qtbot.waitUntil(lambda: win.catalog.proxy.rowCount() == 1)
    qtbot.keyClick(win.catalog.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(list(ws.doc.lines())) == 1)
    (line,) = ws.doc.lines()

    def spots() -> Any:
        found = estimate_availability(hold_index(db), ws.doc)
        return found.lines[line.id]

    # -- 6. The line's availability follows the quantity typed ----------------------------------------
    # 12 owned, 2 out of service until load-in day (the hold starts a prep day before): 10 free.
    type_into_cell(qtbot, ws.production_view, cell(win, line.id, "quantity"), "16")
    assert ws.doc.line(line.id).quantity == 16
    found = spots()
    assert (found.stock.name, found.needed, found.owned, found.free) == (STOCK, 16, 12, 12 - 2)
    assert found.short == 16 - 10
    assert found.cell() == "10 / 12"
    assert found.explain() == "16 needed: 12 owned, 2 out of service → 10 free, short 6"
    # The production pane says the same, red, and its footer names the shortage.
    shown = cell(win, line.id, "availability")
    assert shown.data() == "10 / 12" and shown.data(Qt.ItemDataRole.ToolTipRole) == found.explain()
    assert shown.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert ws.production_pane.equipment_warning.text().startswith(f"⚠ Short: 6 × {STOCK}")
    type_into_cell(qtbot, ws.production_view, cell(win, line.id, "quantity"), "8")
    assert (spots().needed, spots().short) == (8, 0)
    assert cell(win, line.id, "availability").data() == "10 / 12"
    assert cell(win, line.id, "availability").data(Qt.ItemDataRole.BackgroundRole) is None

    # -- 7. Short again: sub-rent the shortage from the supplier with a rate ----------------------
    type_into_cell(qtbot, ws.production_view, cell(win, line.id, "quantity"), "16")
    price, total = ws.doc.line(line.id).price.price, ws.doc.totals.total
    client_total = ws.client_pane.total.text()
    subrent = win.estimate_actions.subrent
    qtbot.waitUntil(subrent.subrent_action.isEnabled)
    subrent.subrent_action.trigger()
    dialog = subrent.subrent_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.quantity_edit.text() == "6" and dialog.supplier_box.currentText().startswith(SUPPLIER)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: subrent.subrent_dialog is None)
    owned, rented = ws.doc.sections[0].lines
    assert (owned.quantity, rented.quantity, rented.supplier_id is not None) == (10, 6, True)
    assert owned.price.price + rented.price.price == price and ws.doc.totals.total == total
    assert ws.client_pane.total.text() == client_total
    # The client reads one item; nothing of the supplier or the stock.
    client = workspace(win).client_pane.model
    assert client.rowCount(client.index(0, 0)) == 1
    texts = client_pane_text(win)
    assert_nothing_internal(texts)
    assert not [t for t in texts if t and (SUPPLIER in t or STOCK in t or "sub-rental" in t.lower())]
    assert win.undo_action.text() == "Undo Sub-rent the shortage"
    win.undo_action.trigger()  # Edit › Undo: one step
    assert [ln.quantity for ln in ws.doc.lines()] == [16]
