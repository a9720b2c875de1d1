"""A new supplier typed into a line's supplier cell; a line from the catalog takes the item's values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox

from app.models.enums import LineKind, PriceBasis
from app.services import master_data
from app.services.catalog.suppliers import SUPPLIERS
from tests.gui.helpers import cell, line_id, type_into_cell, workspace

pytestmark = pytest.mark.gui
TRUCK = "Truck, round trip, RoadRunner Freight"


def suppliers(window) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {r.values["name"]: r.id for r in master_data.load(workspace(window).doc.db, SUPPLIERS)}


def type_supplier(qtbot, window, line, text: str) -> None:  # type: ignore[no-untyped-def]
    view = workspace(window).production_view
    view.setFocus()
    view.setCurrentIndex(cell(window, line, "supplier_id"))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    (combo,) = [c for c in view.viewport().findChildren(QComboBox, "choiceEditor") if c.isVisible()]
    assert combo.isEditable()
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), text)
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def test_a_new_supplier_typed_into_a_line_is_offered_and_added_in_one_undo_step(  # type: ignore[no-untyped-def]
        qtbot, window, dialogs) -> None:
    ws = workspace(window)
    truck = line_id(window, TRUCK)
    roadrunner = ws.doc.line(truck).supplier_id
    dialogs.confirm_answer = True
    type_supplier(qtbot, window, truck, "Mojave Haulage")
    assert [s[:2] for s in dialogs.shown] == [("confirm", "New supplier")]  # asked once
    assert "“Mojave Haulage” is not a supplier yet" in dialogs.shown[-1][2]
    mojave = suppliers(window)["Mojave Haulage"]
    assert ws.doc.line(truck).supplier_id == mojave
    qtbot.waitUntil(lambda: cell(window, truck, "supplier_id").data() == "Mojave Haulage")
    ws.production_view.setFocus()
    qtbot.keyClick(ws.production_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one step
    assert ws.doc.line(truck).supplier_id == roadrunner
    assert "Mojave Haulage" not in suppliers(window)
    qtbot.waitUntil(lambda: cell(window, truck, "supplier_id").data() == "RoadRunner Freight")
    window.redo_action.trigger()
    assert ws.doc.line(truck).supplier_id == mojave and "Mojave Haulage" in suppliers(window)


def test_answering_no_leaves_the_line_and_the_suppliers_alone(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truck = line_id(window, TRUCK)
    before, known = ws.doc.line(truck).supplier_id, suppliers(window)
    dialogs.confirm_answer = False
    type_supplier(qtbot, window, truck, "Mojave Haulage")
    assert dialogs.shown[-1][:2] == ("confirm", "New supplier")
    assert ws.doc.line(truck).supplier_id == before and suppliers(window) == known
    assert ws.editor.undo_stack.count() == 0
    asked = len(dialogs.shown)
    type_supplier(qtbot, window, truck, "skypoint rigging")  # a known one, in any case: no question
    assert len(dialogs.shown) == asked
    assert ws.doc.line(truck).supplier_id == known["SkyPoint Rigging"]


def test_a_line_picked_from_the_catalog_takes_the_items_values(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.editor_actions.catalog_action.trigger()
    editor = window.editor_actions.master_editors["catalog"]
    row = next(n for n, r in enumerate(editor.model.rows)
               if r.values["name"] == "Motor point (1 t chain hoist)")
    description = next(n for n, f in enumerate(editor.kind.fields) if f.key == "description")
    type_into_cell(qtbot, editor.table, editor.model.index(row, description), "CM Lodestar 1 t, SkyPoint")
    editor.close()
    panel = window.catalog
    qtbot.waitUntil(lambda: any(e.description == "CM Lodestar 1 t, SkyPoint" for e in panel.model._entries))
    window.catalog_dock.show()
    panel.filter.setText("Motor point")
    assert panel.proxy.rowCount() == 1
    panel.view.selectRow(0)
    ws = workspace(window)
    before = {line.id for line in ws.doc.lines()}
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    (new,) = [line for line in ws.doc.lines() if line.id not in before]
    skypoint = suppliers(window)["SkyPoint Rigging"]
    assert (new.description, new.client_description, new.kind) == (
        "CM Lodestar 1 t, SkyPoint", "Rigging points with motors", LineKind.SUPPLIER)
    assert (new.unit, new.unit_cost, new.price_basis, new.markup_pct) == (
        "point", Decimal(450), PriceBasis.MARKUP, Decimal(25))
    assert new.supplier_id == skypoint
    panel.filter.setText("Stagehand")
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    (crew,) = [line for line in ws.doc.lines() if line.id not in before and line.id != new.id]
    stagehand = next(r.id for r in ws.doc.lookups.roles.values() if r.name == "Stagehand")
    assert (crew.description, crew.role_id, crew.kind) == ("Stagehand", stagehand, LineKind.LABOUR)
    assert crew.client_description == "Installation crew"
