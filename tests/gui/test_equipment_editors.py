"""Edit › Equipment… and Edit › Sub-rental rates…: the one master-data editor over stock and rates,
driven as a user does, on the demo company."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox

from app.services import master_data
from app.services.catalog.items import CATALOG_ITEMS
from app.services.equipment.availability import estimate_availability, hold_index
from app.services.equipment.items import EQUIPMENT_ITEMS, SUBRENTAL_RATES
from app.services.storage.database import open_database
from tests.gui.helpers import type_into_cell

pytestmark = pytest.mark.gui


def open_editor(window, key: str):  # type: ignore[no-untyped-def]
    action = {"equipment": window.editor_actions.equipment_action,
              "subrental_rates": window.editor_actions.subrental_rates_action,
              "catalog": window.editor_actions.catalog_action}[key]
    assert action in window.menuBar().actions()[1].menu().actions()  # on the Edit menu
    action.trigger()
    editor = window.editor_actions.master_editors[key]
    assert editor.isVisible()
    return editor


def cell(editor, name: str, key: str):  # type: ignore[no-untyped-def]
    """The cell of ``key`` on the row whose name cell shows ``name``."""
    row = next(n for n, r in enumerate(editor.model.rows)
               if editor.model.cell_text(editor.kind.name_key, r.values[editor.kind.name_key]) == name)
    return editor.model.index(row, next(n for n, f in enumerate(editor.kind.fields) if f.key == key))


def stored(db, name: str):  # type: ignore[no-untyped-def]
    return next(r for r in master_data.load(db, EQUIPMENT_ITEMS) if r.values["name"] == name)


def pick(qtbot, editor, index, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open a cell's list with F2 and pick ``text``."""
    editor.table.setFocus()
    editor.table.setCurrentIndex(index)
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    combo = editor.table.viewport().findChild(QComboBox, "choiceEditor")
    assert combo is not None
    combo.setCurrentIndex(combo.findText(text))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.table.state() != QAbstractItemView.State.EditingState)


def panels_free(window) -> Decimal:  # type: ignore[no-untyped-def]
    found = estimate_availability(hold_index(window.db), window.workspace.doc)
    return next(a.free for a in found.lines.values() if a.stock.name == "500 mm LED panel")


def test_stock_cells_are_validated_saved_undone_and_availability_follows(  # type: ignore[no-untyped-def]
        qtbot, window, qtmodeltester) -> None:
    editor = open_editor(window, "equipment")
    qtmodeltester.check(editor.model, force_py=False)
    assert editor.windowTitle() == "Equipment"
    assert editor.count_label.text() == "5 stock items"
    assert cell(editor, "500 mm LED panel", "catalog_item_id").data() == "500 mm LED panel"
    assert cell(editor, "500 mm LED panel", "owned_quantity").data() == "400"
    assert panels_free(window) == 400 - 300  # the Orbital partner summit holds 300 that week
    # Fewer owned than are out of service: refused, saying why; nothing changed.
    type_into_cell(qtbot, editor.table, cell(editor, "500 mm LED panel", "owned_quantity"), "7")
    assert editor.message.text() == "Out of service (8) cannot be more than owned (7)."
    assert stored(window.db, "500 mm LED panel").values["owned_quantity"] == 400
    assert editor.undo_stack.count() == 0
    type_into_cell(qtbot, editor.table, cell(editor, "500 mm LED panel", "owned_quantity"), "500")
    assert editor.message.text() == ""
    assert stored(window.db, "500 mm LED panel").values["owned_quantity"] == 500
    assert panels_free(window) == 500 - 300
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(editor, "500 mm LED panel", "owned_quantity").data() == "400")
    assert panels_free(window) == 400 - 300
    editor.close()


def test_a_new_item_is_linked_to_a_catalog_item_only_one_stock_item_each(  # type: ignore[no-untyped-def]
        qtbot, window, dialogs) -> None:
    editor = open_editor(window, "equipment")
    dialogs.answers.append("Spare LED panels")
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(r.values["name"] == "Spare LED panels" for r in editor.model.rows))
    pick(qtbot, editor, cell(editor, "Spare LED panels", "catalog_item_id"), "500 mm LED panel")
    assert editor.message.text() == (
        "The catalog item “500 mm LED panel” already sells the stock item “500 mm LED panel”: "
        "a catalog item is linked to one stock item.")
    assert stored(window.db, "Spare LED panels").values["catalog_item_id"] is None
    # The catalog offers equipment only; an item it sells is not deleted from the catalog.
    combo_labels = [label for _value, label in editor.model.choices["catalog_item_id"]]
    assert "Stagehand" not in combo_labels and "10 ft box truss" in combo_labels
    catalog = open_editor(window, "catalog")
    catalog.table.setCurrentIndex(cell(catalog, "10 ft box truss", "name"))
    qtbot.mouseClick(catalog.delete_button, Qt.MouseButton.LeftButton)
    assert "1 stock item (10 ft box truss)" in catalog.message.text()
    # A rename in the catalog editor shows at once in the open equipment editor.
    type_into_cell(qtbot, catalog.table, cell(catalog, "10 ft box truss", "name"), "3 m box truss")
    qtbot.waitUntil(lambda: cell(editor, "10 ft box truss", "catalog_item_id").data() == "3 m box truss")
    catalog.close()
    editor.close()


def test_sub_rental_rates_add_pick_a_supplier_delete_and_undo(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(window, "subrental_rates")
    assert editor.count_label.text() == "3 sub-rental rates"
    assert cell(editor, "500 mm LED panel", "supplier_id").data() == "Brightline Video Rentals"
    items = [label for _value, label in editor.model.choices["equipment_item_id"]]
    dialogs.answers.append(items.index("Wireless handheld microphone"))
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert dialogs.shown[-1][:2] == ("choose_item", "Add sub-rental rate")
    qtbot.waitUntil(lambda: editor.count_label.text() == "4 sub-rental rates")
    assert cell(editor, "Wireless handheld microphone", "supplier_id").data() == "Apex Audio Rental"  # A→Z
    pick(qtbot, editor, cell(editor, "Wireless handheld microphone", "supplier_id"), "Desert Staging Co.")
    type_into_cell(qtbot, editor.table, cell(editor, "Wireless handheld microphone", "day_cost"), "9.5")
    (rate,) = [r for r in master_data.load(window.db, SUBRENTAL_RATES)
               if r.values["day_cost"] == Decimal("9.5")]
    assert editor.model.cell_text("supplier_id", rate.values["supplier_id"]) == "Desert Staging Co."
    editor.table.setCurrentIndex(cell(editor, "Wireless handheld microphone", "notes"))
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert dialogs.shown[-1] == (
        "confirm", "Delete sub-rental rate",
        "Delete the sub-rental rate “Wireless handheld microphone”? You can undo this.")
    qtbot.waitUntil(lambda: editor.count_label.text() == "3 sub-rental rates")
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.count_label.text() == "4 sub-rental rates")
    editor.close()


def test_others_changes_reload_the_open_stock_and_rate_editors(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    equipment = open_editor(window, "equipment")
    rates = open_editor(window, "subrental_rates")
    other = open_database(window.db.path)  # another user
    try:
        mics = next(r for r in master_data.load(other, EQUIPMENT_ITEMS)
                    if r.values["name"] == "Wireless handheld microphone")
        master_data.save_edit(other, EQUIPMENT_ITEMS, mics, "owned_quantity", "32")
        master_data.save_edit(other, EQUIPMENT_ITEMS, mics, "name", "Handheld radio mic")
        wash = next(r for r in master_data.load(other, CATALOG_ITEMS)
                    if r.values["name"] == "Moving head wash")
        master_data.save_edit(other, CATALOG_ITEMS, wash, "name", "LED wash fixture")
    finally:
        other.close()
    window.sharing.poll()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Updated with changes"))
    qtbot.waitUntil(lambda: any(r.values["name"] == "Handheld radio mic" for r in equipment.model.rows))
    assert cell(equipment, "Handheld radio mic", "owned_quantity").data() == "32"
    assert cell(equipment, "Moving head wash", "catalog_item_id").data() == "LED wash fixture"
    qtbot.mouseClick(rates.add_button, Qt.MouseButton.LeftButton)  # cancelled: no answer queued
    assert "Handheld radio mic" in [label for _v, label in rates.model.choices["equipment_item_id"]]
    rates.close()
    equipment.close()
