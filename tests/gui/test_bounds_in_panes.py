"""Figures out of bounds in the GUI: typing one is refused with a message; one stored by someone
else shows its line in error in both panes (after a live refresh) and stops the quote going out."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.estimate.document import EstimateDocument
from app.ui.estimate.production_cells import LOSS_FG
from tests.gui.helpers import all_model_text, cell, line_id, type_into_cell, workspace
from tests.gui.test_what_if import _param_index
from tests.test_document import _sql

pytestmark = pytest.mark.gui

TRUCK = "Truck, round trip, RoadRunner Freight"  # 1 × 1 day × $2,400 + 20 % = $2,880


def _client_total(win) -> str:  # type: ignore[no-untyped-def]
    return workspace(win).client_pane.total.text()


@pytest.mark.parametrize(
    ("column", "typed", "message"),
    [
        ("quantity", "999999999999.9999", "Quantity must be at most 1,000,000."),
        ("days", "999999999999.99", "Days must be at most 3,660."),
        ("days", "=99999999999999", "Days 99,999,999,999,999 is out of range"),
        ("quantity", "1,5", "Quantity “1,5” is ambiguous: write 1.5 or 1,500."),
        ("unit_cost", "1_000", "Unit cost cannot use “_” between digits"),
    ],
)
def test_typing_a_figure_out_of_bounds_is_refused_and_changes_nothing(  # type: ignore[no-untyped-def]
    qtbot, window, column, typed, message
) -> None:
    ws = workspace(window)
    truck = line_id(window, TRUCK)
    before = cell(window, truck, column).data()
    type_into_cell(qtbot, ws.production_view, cell(window, truck, column), typed)
    note = ws.production_pane.cell_message
    assert note.isVisible() and message in note.text()
    assert cell(window, truck, column).data() == before
    assert _client_total(window) == "$95,580.00"
    assert ws.editor.undo_stack.count() == 0
    stored = EstimateDocument(ws.doc.db, ws.doc.estimate_id).line(truck)
    assert stored.version == ws.doc.line(truck).version == 1


def test_a_product_out_of_bounds_is_refused_after_figures_that_were_fine(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truck = line_id(window, TRUCK)
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "quantity"), "1,000")
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "days"), "3,660")
    assert ws.doc.line(truck).days == 3660 and ws.editor.undo_stack.count() == 2
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "unit_cost"), "100,000,000")
    note = ws.production_pane.cell_message
    assert note.isVisible() and "more than a line can come to (1,000,000,000,000)" in note.text()
    assert ws.doc.line(truck).unit_cost == 2400 and ws.editor.undo_stack.count() == 2


def test_a_stored_value_out_of_bounds_shows_in_error_in_both_panes(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truck = line_id(window, TRUCK)
    # A colleague's old Tandem (or a hand edit) stores the report's values; the live refresh reloads.
    _sql(
        ws.doc.db,
        "UPDATE lineitem SET quantity = ?, days = ?, version = version + 1 WHERE id = ?",
        "999999999999.9999",
        "999999999999.99",
        truck.hex,
    )
    _sql(ws.doc.db, "UPDATE changecounter SET counter = counter + 1")  # as every Tandem write does
    window.sharing.poll()
    qtbot.waitUntil(lambda: cell(window, truck, "price").data() == "in error", timeout=5000)
    price = cell(window, truck, "price")
    assert price.data(Qt.ItemDataRole.ForegroundRole) == LOSS_FG
    assert "Quantity 999,999,999,999.9999 is out of range" in price.data(Qt.ItemDataRole.ToolTipRole)
    assert ws.production_pane.formula_warning.isVisible()
    assert "1 line in error" in ws.production_pane.formula_warning.text()
    # The client view: the line in red, "in error", the reason without internals; out of the total.
    client = ws.client_pane.model
    shown = client.index_for_id(truck, 2)
    assert shown.data() == "in error" and shown.data(Qt.ItemDataRole.ForegroundRole) == LOSS_FG
    assert "Quantity 999,999,999,999.9999 is out of range" in shown.data(Qt.ItemDataRole.ToolTipRole)
    assert _client_total(window) == "$92,700.00"  # 95,580 − 2,880
    assert "1 line is in error and left out of the total" in ws.client_pane.formula_warning.text()
    assert not [t for t in all_model_text(client, (Qt.ItemDataRole.ToolTipRole,)) if "cost" in t.lower()]
    # The quote cannot go out, nor be exported, until the line is corrected.
    window.findChild(type(window.undo_action), "actionSendQuote").trigger()
    assert dialogs.shown[-1][0:2] == ("error", "Send quote")
    assert f"“{TRUCK}” is in error" in dialogs.shown[-1][2]
    # Correcting it is typing a quantity and days that fit.
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "quantity"), "1")
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "days"), "1")
    assert cell(window, truck, "price").data() == "$2,880.00"
    assert _client_total(window) == "$95,580.00" and not ws.production_pane.formula_warning.isVisible()


def test_a_parameter_that_would_put_lines_out_of_range_is_refused_on_its_cell(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    panel = ws.production_pane.parameters
    type_into_cell(qtbot, panel.view, _param_index(window, "screen_length_ft", "value"), "100000000")
    assert panel.cell_message.isVisible()
    assert (
        "That would put “500 mm LED panels, owned” (and 4 other lines) out of range"
        in panel.cell_message.text()
    )
    assert ws.doc.values["screen_length_ft"] == 160 and _client_total(window) == "$95,580.00"
    assert ws.editor.undo_stack.count() == 0


def test_every_kind_of_stored_value_shows_in_both_panes_without_an_exception(  # type: ignore[no-untyped-def]
    qtbot, window, qtmodeltester
) -> None:
    ws = workspace(window)
    stored = {
        "Riggers, load-in": ("range_low_pct = '1e40'", "unit_price = 'NaN'"),
        "Riggers, strike": ("price_basis = 'margin'", "margin_pct = '100'"),
        "Project management": ("kind = 'hologram'", "price_override = '1e100000'"),
        TRUCK: ("markup_pct = 'Infinity'", "unit_cost = 'abc'", "hours = '-3'"),
    }
    for description, assignments in stored.items():
        _sql(
            ws.doc.db,
            f"UPDATE lineitem SET {', '.join(assignments)} WHERE id = ?",
            line_id(window, description).hex,
        )
    _sql(ws.doc.db, "UPDATE changecounter SET counter = counter + 1")
    window.sharing.poll()
    qtbot.waitUntil(lambda: len(ws.doc.lines_in_error) == 4, timeout=5000)
    roles = (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
    )
    production = all_model_text(ws.production_pane.model, roles)
    assert production.count("in error") == 4
    client = all_model_text(ws.client_pane.model, roles)
    assert client.count("in error") == 4
    qtmodeltester.check(ws.production_pane.model)
    qtmodeltester.check(ws.client_pane.model)
