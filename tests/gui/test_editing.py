"""Adding, deleting and reordering sections and lines: keys, actions, drops, undo, and the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from app.services.estimate.document import EstimateDocument
from app.ui.estimate.production_columns import COLUMN_INDEX
from tests.gui.helpers import cell, click_row, line_id, send_drop, type_into_cell, workspace

pytestmark = pytest.mark.gui


def stored_order(win) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """Sections and line descriptions as a fresh load from the database sees them."""
    doc = EstimateDocument(workspace(win).doc.db, workspace(win).doc.estimate_id)
    return [(s.name, [line.description for line in s.lines]) for s in doc.sections]


def shown_order(win) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    model = workspace(win).production_pane.model
    out = []
    for r in range(model.rowCount()):
        section = model.index(r, 0)
        lines = [model.index(i, 0, section).data() for i in range(model.rowCount(section))]
        out.append((section.data(), lines))
    return out


def test_add_line_types_into_it_and_undo_removes_it(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truss = line_id(window, "10 ft box truss, owned")
    click_row(qtbot, ws.production_view, cell(window, truss, "description"))
    qtbot.keyClick(ws.production_view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    new_id = ws.current_id()
    assert new_id is not None and ws.doc.has_line(new_id)
    assert [line.description for line in ws.doc.sections[1].lines] == [
        "Motor points, SkyPoint quote #SP-2291", "10 ft box truss, owned", "New line"]
    # A hand-added line starts at the company's default markup (Northlight's is 40 %).
    assert ws.doc.line(new_id).markup_pct == 40
    type_into_cell(qtbot, ws.production_view, cell(window, new_id, "unit_cost"), "100")
    assert cell(window, new_id, "price").data() == "$140.00"
    type_into_cell(qtbot, ws.production_view, cell(window, new_id, "markup_pct"), "30")
    assert cell(window, new_id, "price").data() == "$130.00"
    assert window.findChild(type(ws.client_pane.total), "clientTotal").text() == "$95,710.00"
    assert stored_order(window) == shown_order(window)
    for _ in range(3):
        window.undo_action.trigger()
    assert not ws.doc.has_line(new_id)
    assert ws.doc.totals.total == 95580
    assert "New line" not in str(stored_order(window))
    for _ in range(3):
        window.redo_action.trigger()
    assert ws.doc.line(new_id).price.price == 130
    assert stored_order(window) == shown_order(window)


def test_delete_key_deletes_selected_lines_and_undo_restores_them(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    before = shown_order(window)
    first = cell(window, line_id(window, "Stagehands, load-in"), "description")
    last = cell(window, line_id(window, "Riggers, load-in"), "description")
    click_row(qtbot, ws.production_view, first)
    rect = ws.production_view.visualRect(last)
    qtbot.mouseClick(ws.production_view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ShiftModifier, rect.center())
    qtbot.keyClick(ws.production_view, Qt.Key.Key_Delete)
    assert [line.description for line in ws.doc.sections[2].lines] == [
        "Riggers, strike", "LED technicians (staff), show"]
    # 95,580 − (7,480 + 4,080 + 2,310)
    assert ws.doc.totals.total == 81710
    assert stored_order(window) == shown_order(window)
    window.undo_action.trigger()
    assert shown_order(window) == before == stored_order(window)


def test_delete_section_asks_and_undo_brings_it_back_with_its_lines(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    before = shown_order(window)
    rigging = ws.production_pane.model.index(1, 0)
    click_row(qtbot, ws.production_view, rigging)
    dialogs.confirm_answer = False
    window.edit_actions.delete_action.trigger()
    assert shown_order(window) == before
    assert dialogs.shown[-1][0] == "confirm" and "Rigging" in dialogs.shown[-1][2]
    dialogs.confirm_answer = True
    window.edit_actions.delete_action.trigger()
    assert [s.name for s in ws.doc.sections] == ["LED screen", "Labour", "Logistics", "Management"]
    assert ws.doc.totals.total == 95580 - 10600
    assert ws.client_pane.model.rowCount() == 4
    window.undo_action.trigger()
    assert shown_order(window) == before == stored_order(window)
    assert ws.doc.totals.total == 95580


def test_add_section_names_it_and_places_it_after_the_current_one(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    click_row(qtbot, ws.production_view, ws.production_pane.model.index(0, 0))
    dialogs.answers.append("Audio")
    window.edit_actions.add_section_action.trigger()
    assert [s.name for s in ws.doc.sections][:3] == ["LED screen", "Audio", "Rigging"]
    assert ws.doc.section(ws.current_id()).name == "Audio"
    dialogs.answers.append("   ")
    window.edit_actions.add_section_action.trigger()
    assert "Section name cannot be empty" in window.statusBar().currentMessage()
    assert len(ws.doc.sections) == 6
    window.undo_action.trigger()
    assert len(ws.doc.sections) == 5 and stored_order(window) == shown_order(window)


def test_ctrl_up_and_down_move_lines_and_sections(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truck = line_id(window, "Truck, round trip, RoadRunner Freight")
    click_row(qtbot, ws.production_view, cell(window, truck, "description"))
    qtbot.keyClick(ws.production_view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    # The only line of Logistics moves up into the end of Labour.
    assert ws.doc.line(truck).section_id == ws.doc.sections[2].id
    assert ws.doc.sections[2].lines[-1].id == truck
    assert ws.current_id() == truck
    qtbot.keyClick(ws.production_view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert ws.doc.line(truck).section_id == ws.doc.sections[3].id
    management = ws.production_pane.model.index(4, 0)
    click_row(qtbot, ws.production_view, management)
    qtbot.keyClick(ws.production_view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [s.name for s in ws.doc.sections][3:] == ["Management", "Logistics"]
    assert stored_order(window) == shown_order(window)
    window.undo_action.trigger()
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert [s.name for s in ws.doc.sections][3:] == ["Logistics", "Management"]
    assert ws.doc.sections[3].lines[0].id == truck


def _drop(view, mime, point: QPoint) -> None:  # type: ignore[no-untyped-def]
    send_drop(view.viewport(), mime, point)


def test_dragging_a_line_onto_another_section_moves_it(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    view, model = ws.production_view, ws.production_pane.model
    pm = line_id(window, "Project management")
    mime = model.mimeData([cell(window, pm, "description")])
    target = cell(window, line_id(window, "Riggers, load-in"), "description")
    rect = view.visualRect(target)
    _drop(view, mime, QPoint(rect.center().x(), rect.top() + 2))  # just above "Riggers, load-in"
    labour = [line.description for line in ws.doc.sections[2].lines]
    assert labour == ["Stagehands, load-in", "Stagehands, strike", "Project management",
                      "Riggers, load-in", "Riggers, strike", "LED technicians (staff), show"]
    assert ws.doc.sections[4].lines == []
    assert stored_order(window) == shown_order(window)
    # Section totals follow: Labour gains the $3,300.00 of management.
    assert model.index(2, COLUMN_INDEX["price"]).data() == "$24,700.00"
    window.undo_action.trigger()
    assert [line.description for line in ws.doc.sections[4].lines] == ["Project management"]
    assert stored_order(window) == shown_order(window)


def test_dragging_a_section_reorders_sections(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    view, model = ws.production_view, ws.production_pane.model
    mime = model.mimeData([model.index(4, 0)])  # Management
    view.collapseAll()
    rect = view.visualRect(model.index(0, 0))
    _drop(view, mime, QPoint(rect.center().x(), rect.top() + 1))  # above LED screen
    assert [s.name for s in ws.doc.sections] == ["Management", "LED screen", "Rigging", "Labour", "Logistics"]
    assert stored_order(window) == shown_order(window)
    client = ws.client_pane.model
    assert client.index(0, 0).data().startswith("Management — ")


def test_foreign_drops_are_refused(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QMimeData

    ws = workspace(window)
    mime = QMimeData()
    mime.setText("=HYPERLINK(\"http://x\")")
    model = ws.production_pane.model
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, model.index(0, 0))
    assert not model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, model.index(0, 0))


def test_catalog_item_is_added_after_the_current_line(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    click_row(qtbot, ws.production_view, cell(window, line_id(window, "Stagehands, strike"), "description"))
    window.edit_actions.catalog_action.trigger()
    panel = window.catalog
    qtbot.keyClicks(panel.filter, "rigger")
    assert panel.proxy.rowCount() == 1
    click_row(qtbot, panel.view, panel.proxy.index(0, 0))
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    labour = ws.doc.sections[2].lines
    assert [line.description for line in labour][:3] == [
        "Stagehands, load-in", "Stagehands, strike", "Rigger"]
    added = labour[2]
    # A rigger call: 1 person × 8 h at $65/$105 → $520.00 cost, $840.00 price.
    assert (added.price.cost, added.price.price) == (520, 840)
    assert ws.current_id() == added.id
    assert cell(window, added.id, "role_id").data() == "Rigger"


def test_choosing_a_role_from_the_list_takes_its_rates(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QComboBox

    ws = workspace(window)
    view = ws.production_view
    strike = line_id(window, "Stagehands, strike")
    index = cell(window, strike, "role_id")
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = view.viewport().findChild(QComboBox, "choiceEditor")
    assert combo is not None and combo.currentText() == "Stagehand"
    combo.setCurrentIndex(combo.findText("Rigger"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    line = ws.doc.line(strike)
    # 8 people × 6 h at the rigger's $65 cost and $105 bill rate.
    assert (line.price.cost, line.price.price) == (3120, 5040)
