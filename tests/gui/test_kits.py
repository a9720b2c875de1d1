"""Kits through the window: a catalog item made a kit and given components in Edit › Catalog…
(Components… opens the same editor over the kit's rows), added from the catalog panel with its
components, its quantity typed in the production pane driving theirs, one Ctrl+Z each; the client
pane reads the kit as one line priced as the sum."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox

from app.services.catalog.kits import KIT_COMPONENTS
from app.services.lookups import load_catalog
from app.services.money import ZERO, format_money
from app.ui.catalog.editors import open_components
from app.ui.main_window import MainWindow
from app.ui.master_data import MasterDataDialog
from tests.gui.helpers import cell, click_row, line_id, type_into_cell, workspace
from tests.gui.test_master_data_editor import index_of, open_editor
from tests.test_kits import make_kit

pytestmark = pytest.mark.gui
D = Decimal


def pick(qtbot: Any, editor: MasterDataDialog, index: Any, text: str) -> None:
    """A choice picked in a cell's list, as a user does: F2, the item, Enter."""
    editor.table.setFocus()
    editor.table.setCurrentIndex(index)
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    combo = editor.table.viewport().findChild(QComboBox, "choiceEditor")
    assert combo is not None
    combo.setCurrentIndex(combo.findText(text))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.table.state() != QAbstractItemView.State.EditingState)


def add_component(qtbot: Any, editor: MasterDataDialog, dialogs: Any, label: str, per: str) -> None:
    options = [text for value, text in KIT_COMPONENTS.fields[0].choices(editor.db) if value]  # type: ignore[misc]
    count = len(editor.model.rows)
    dialogs.answers.append(options.index(label))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(editor.model.rows) == count + 1)
    row = next(
        n
        for n, r in enumerate(editor.model.rows)
        if editor.model.cell_text("component_id", r.values["component_id"]) == label
    )
    type_into_cell(qtbot, editor.table, editor.model.index(row, 1), per)
    qtbot.waitUntil(lambda: editor.model.rows[row].values["quantity_per_kit"] == D(per))


def test_a_kit_made_in_the_catalog_is_added_with_its_components(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, dialogs, qtmodeltester
) -> None:
    catalog = open_editor(window, "catalog")
    dialogs.answers.append("LED wall kit")
    qtbot.mouseClick(catalog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(r.values["name"] == "LED wall kit" for r in catalog.model.rows))
    catalog.table.setCurrentIndex(index_of(catalog, "LED wall kit", "name"))
    button = catalog.findChild(type(catalog.add_button), "catalogComponentsButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert catalog.message.text() == "“LED wall kit” is not a kit: set its Kit to Yes to give it components."
    pick(qtbot, catalog, index_of(catalog, "LED wall kit", "is_kit"), "Yes")
    qtbot.waitUntil(lambda: index_of(catalog, "LED wall kit", "is_kit").data() == "Yes")
    catalog.table.setCurrentIndex(index_of(catalog, "LED wall kit", "name"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    parts = catalog.components_editor
    assert parts.isVisible() and parts.windowTitle() == "Components of LED wall kit"
    qtmodeltester.check(parts.model, force_py=False)
    add_component(qtbot, parts, dialogs, "Video › 500 mm LED panel", "150")
    add_component(qtbot, parts, dialogs, "Video › LED processor (sub-rental)", "0.5")
    type_into_cell(qtbot, parts.table, parts.model.index(0, 1), "0")  # refused, saying why
    assert parts.message.text() == "Per kit must be more than 0 (0.5 is one per two kits)."
    parts.close()
    catalog.close()
    assert open_components(catalog, dialogs) is not None  # the selected kit's, again
    catalog.components_editor.close()

    ws = workspace(window)
    click_row(qtbot, ws.production_view, cell(window, line_id(window, "Stagehands, strike"), "description"))
    window.edit_actions.catalog_action.trigger()
    qtbot.waitUntil(lambda: window.focusWidget() is window.catalog.filter)
    qtbot.keyClicks(window.catalog.filter, "LED wall kit")
    qtbot.keyClick(window.catalog.filter, Qt.Key.Key_Return)
    section = ws.doc.sections[2]
    kit, panels, processors = section.lines[2:5]
    assert (kit.description, panels.description, processors.description) == (
        "LED wall kit",
        "500 mm LED panel",
        "LED processor (sub-rental)",
    )
    assert (panels.kit_line_id, processors.kit_line_id) == (kit.id, kit.id)
    assert (panels.quantity, processors.quantity) == (D(150), D(1))

    type_into_cell(qtbot, ws.production_view, cell(window, kit.id, "quantity"), "3")
    # 3 kits: 3 × 150 = 450 panels, ceil(3 × 0.5) = 2 processors, and the cells show it
    assert (kit.quantity, panels.quantity, processors.quantity) == (D(3), D(450), D(2))
    qtbot.waitUntil(lambda: cell(window, panels.id, "quantity").data() == "450")
    client = ws.client_pane.model
    kit_row = client.index_for_id(kit.id, 2)
    expected = format_money(
        kit.price.price + panels.price.price + processors.price.price, ws.doc.header.currency
    )
    assert kit_row.data() == expected and not client.index_for_id(panels.id).isValid()
    assert panels.price.price > ZERO

    ws.editor.undo_stack.undo()  # one step: the kit and its components back to one kit
    assert (kit.quantity, panels.quantity, processors.quantity) == (D(1), D(150), D(1))
    ws.editor.undo_stack.undo()  # one step: the kit added with its components, taken away
    assert [line.description for line in section.lines[2:3]] != ["LED wall kit"]
    assert not any(ws.doc.has_line(line.id) for line in (kit, panels, processors))
    ws.editor.undo_stack.redo()
    assert all(ws.doc.has_line(line.id) for line in (kit, panels, processors))
    ws.editor.delete_lines([kit.id])  # the kit goes with its components, in one step
    assert not any(ws.doc.has_line(line.id) for line in (kit, panels, processors))
    ws.editor.undo_stack.undo()
    assert [line.id for line in section.lines[2:5]] == [kit.id, panels.id, processors.id]


def test_the_estimate_menu_shows_a_kit_s_components_to_the_client(
    qtbot, window: MainWindow, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    kit_item = make_kit(ws.doc.db)
    with ws.doc.db.read() as conn:
        entry = next(e for e in load_catalog(conn) if e.id == kit_item)
    section = ws.doc.sections[0]
    kit_id = ws.editor.add_catalog_line(section.id, entry)
    assert kit_id is not None
    action = window.estimate_actions.components_action
    click_row(qtbot, ws.production_view, cell(window, line_id(window, "Stagehands, strike"), "description"))
    assert not action.isEnabled()  # not a kit's line
    click_row(qtbot, ws.production_view, cell(window, kit_id, "description"))
    assert action.isEnabled() and not action.isChecked()
    client = ws.client_pane.model
    parts = [line.id for line in ws.doc.lines() if line.kit_line_id == kit_id]
    assert len(parts) == 4 and not any(client.index_for_id(p).isValid() for p in parts)
    qtmodeltester.check(client, force_py=False)  # the folded pane is a sound model, and stays one
    action.trigger()
    assert ws.doc.line(kit_id).shows_components and action.isChecked()
    assert all(client.index_for_id(p).isValid() for p in parts)  # each component its own line now
    ws.editor.undo_stack.undo()
    assert not ws.doc.line(kit_id).shows_components
    assert not any(client.index_for_id(p).isValid() for p in parts)
