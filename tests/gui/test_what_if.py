"""The "what if we did it on half the booth?" moment, driven through the real widgets.

Parameters typed in the parameters table, formulas typed in quantity cells, ranges,
alternatives and optional sections in the production pane; the client pane follows at
once and never shows an internal value; the Estimate menu duplicates, compares, sends
and shows the history.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QLabel

from app.services.estimate import revisions
from app.ui.estimate.client_model import ALTERNATIVES_TITLE
from app.ui.estimate.parameters_panel import COLUMN_INDEX as PARAM_COLUMN
from app.ui.estimate.production_columns import COLUMN_INDEX
from app.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs
from tests.gui.helpers import (
    all_model_text,
    cell,
    finish_typing,
    line_id,
    open_editor,
    type_into_cell,
    type_over,
    workspace,
)

D = Decimal
PANELS = "500 mm LED panels, owned"
MOTORS = "Motor points, SkyPoint quote #SP-2291"
TRUSS = "10 ft box truss, owned"
CLIENT_SECRETS = ("SkyPoint", "Brightline", "RoadRunner", "$18.00", "$55.00", "55,044")


def _param_index(win: MainWindow, name: str, column: str) -> QModelIndex:
    panel = workspace(win).production_pane.parameters
    for row, parameter in enumerate(workspace(win).doc.parameters):
        if parameter.name == name:
            return panel.model.index(row, PARAM_COLUMN[column])
    raise AssertionError(f"no parameter {name}")


def _client_texts(win: MainWindow) -> list[str]:
    pane = workspace(win).client_pane
    texts = all_model_text(pane.model, (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole))
    texts += [label.text() for label in pane.findChildren(QLabel) if label.isVisible()]
    return texts


def _client_row(win: MainWindow, text: str) -> tuple[str, str, str]:
    model = workspace(win).client_pane.model
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        rows = [group] + [model.index(i, 0, group) for i in range(model.rowCount(group))]
        for index in rows:
            if str(index.data()).startswith(text):
                return tuple(str(index.siblingAtColumn(c).data() or "") for c in range(3))  # type: ignore[return-value]
    raise AssertionError(f"no client row starting {text!r}")


def test_half_the_booth_typed_in_the_parameters_table(qtbot: Any, window: MainWindow,
                                                     qtmodeltester: Any) -> None:
    ws = workspace(window)
    panel = ws.production_pane.parameters
    qtmodeltester.check(panel.model)
    assert panel.toggle.text() == "Parameters (5)"
    assert _param_index(window, "panels", "value").data() == "392"
    assert _param_index(window, "panels", "used_by").data() == "4 lines"

    type_into_cell(qtbot, panel.view, _param_index(window, "screen_length_ft", "value"), "80")

    # Both panes at once: EXAMPLE.md's half booth.
    assert _param_index(window, "panels", "value").data() == "196"
    assert cell(window, line_id(window, PANELS), "quantity").data() == "196"
    assert cell(window, line_id(window, MOTORS), "quantity").data() == "8"
    assert ws.production_pane.total_price.text() == "$56,220.00"
    assert ws.client_pane.total.text() == "$56,220.00"
    assert _client_row(window, "LED video panels, 500 mm (196 panels)")[1:] == (
        "196 panel × 4 days", "$27,440.00")
    assert _client_row(window, "LED screen")[0].startswith("LED screen — Curved LED video ribbon around the "
                                                          "booth, 80 ft × 6 ft")
    # One undo step puts it all back.
    window.undo_action.trigger()
    assert ws.client_pane.total.text() == "$95,580.00"
    assert _param_index(window, "screen_length_ft", "value").data() == "160"
    qtmodeltester.check(panel.model)


def test_a_bad_parameter_value_or_name_is_refused_on_the_cell(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    panel = ws.production_pane.parameters
    type_into_cell(qtbot, panel.view, _param_index(window, "rental_days", "value"), "four")
    assert panel.cell_message.isVisible() and "Value must be a number" in panel.cell_message.text()
    type_into_cell(qtbot, panel.view, _param_index(window, "rental_days", "name"), "rental days")
    assert "cannot be a parameter name" in panel.cell_message.text()
    type_into_cell(qtbot, panel.view, _param_index(window, "screen_height_ft", "value"), "=panels / 98")
    assert "Circular formula" in panel.cell_message.text()
    assert ws.doc.values["rental_days"] == 4 and ws.client_pane.total.text() == "$95,580.00"
    assert ws.editor.undo_stack.count() == 0


def test_add_rename_and_delete_a_parameter(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    panel = ws.production_pane.parameters
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    # The new parameter's name cell opens for typing.
    editor = open_editor(panel.view)
    assert editor.text() == "new_parameter"
    finish_typing(qtbot, panel.view, type_over(qtbot, editor, "show_days"))
    type_into_cell(qtbot, panel.view, _param_index(window, "show_days", "value"), "3")
    assert panel.toggle.text() == "Parameters (6)"

    # Rename rental_days: the formulas that use it follow.
    type_into_cell(qtbot, panel.view, _param_index(window, "rental_days", "name"), "hire_days")
    assert ws.doc.line(line_id(window, PANELS)).days_formula == "hire_days"
    assert cell(window, line_id(window, PANELS), "days").data(Qt.ItemDataRole.EditRole) == "=hire_days"

    # Delete panels: its four lines show the error, keep their quantities, and the total stands.
    panel.view.setCurrentIndex(_param_index(window, "panels", "name"))
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert "4 formula(s)" in window.statusBar().currentMessage() or len(ws.doc.formula_errors) == 4
    assert ws.production_pane.formula_warning.isVisible()
    assert "4 lines with a formula error" in ws.production_pane.formula_warning.text()
    qty = cell(window, line_id(window, PANELS), "quantity")
    assert qty.data() == "392" and "Unknown parameter 'panels'" in qty.data(Qt.ItemDataRole.ToolTipRole)
    assert ws.client_pane.formula_warning.isVisible() and ws.client_pane.total.text() == "$95,580.00"
    window.undo_action.trigger()
    assert not ws.production_pane.formula_warning.isVisible() and not ws.doc.formula_errors


def test_a_formula_typed_in_a_quantity_cell(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    view = ws.production_view
    truss = line_id(window, TRUSS)
    type_into_cell(qtbot, view, cell(window, truss, "quantity"), "=ceil(screen_length_ft / 8)")
    qty = cell(window, truss, "quantity")
    assert qty.data() == "20" and qty.data(Qt.ItemDataRole.EditRole) == "=ceil(screen_length_ft / 8)"
    assert "= 20 with the estimate's parameters" in qty.data(Qt.ItemDataRole.ToolTipRole)
    assert ws.client_pane.total.text() == "$95,980.00"  # 4 more sticks × 4 days × 25.00 = 400.00

    # A misspelt name: a clear message under the cell, nothing changed.
    type_into_cell(qtbot, view, cell(window, truss, "quantity"), "=ceil(screen_lenght_ft / 8)")
    message = ws.production_pane.cell_message
    assert message.isVisible() and "did you mean 'screen_length_ft'?" in message.text()
    assert cell(window, truss, "quantity").data(Qt.ItemDataRole.EditRole) == "=ceil(screen_length_ft / 8)"
    # A number over the formula replaces it; undo brings the formula back.
    type_into_cell(qtbot, view, cell(window, truss, "quantity"), "12")
    assert cell(window, truss, "quantity").data(Qt.ItemDataRole.EditRole) == "12"
    window.undo_action.trigger()
    assert cell(window, truss, "quantity").data(Qt.ItemDataRole.EditRole) == "=ceil(screen_length_ft / 8)"


def test_the_budget_range_the_am_can_say(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    client = ws.client_pane
    assert client.range.isVisible()
    assert client.range.text() == "$94,500 – $99,600  (likely $95,580.00)"
    assert "$94,510.00 – $99,520.00" in ws.production_pane.range_label.text()
    sources = ws.production_pane.range_label.tip()
    assert "Labour (section): $20,330.00 – $23,540.00" in sources and MOTORS in sources

    # A range typed on a line, as amounts.
    truss = line_id(window, TRUSS)
    type_into_cell(qtbot, ws.production_view, cell(window, truss, "range"), "1,500 - 2,000")
    assert cell(window, truss, "range").data() == "$1,500.00 – $2,000.00"
    assert ws.doc.totals.range_low == D("94410.00") and ws.doc.totals.range_high == D("99920.00")
    assert client.range.text() == "$94,400 – $100,000  (likely $95,580.00)"
    type_into_cell(qtbot, ws.production_view, cell(window, truss, "range"), "plenty")
    assert "is not a range" in ws.production_pane.cell_message.text()
    for text in _client_texts(window):
        for secret in CLIENT_SECRETS:
            assert secret not in text, f"{secret!r} shown to the client in {text!r}"


def test_alternatives_and_options_in_both_panes(qtbot: Any, window: MainWindow, qtmodeltester: Any) -> None:
    ws = workspace(window)
    doc = ws.doc
    screen = doc.sections[0]
    ws.editor.add_line(screen.id, None, {
        "description": "390 mm LED panels, sub-rented", "client_description": "LED video panels, 390 mm",
        "quantity": D(392), "unit": "panel", "days": D(4), "unit_cost": D(20), "price_basis": "unit_price",
        "unit_price": D(38)})
    alt = line_id(window, "390 mm LED panels, sub-rented")
    panels = line_id(window, PANELS)
    type_into_cell(qtbot, ws.production_view, cell(window, panels, "alternative"), "Panels")
    type_into_cell(qtbot, ws.production_view, cell(window, alt, "alternative"), "Panels")
    assert cell(window, panels, "alternative").data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert cell(window, alt, "alternative").data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert ws.client_pane.total.text() == "$95,580.00"
    # The client sees the other choice and what it would change: 392 × 4 × 38 − 54,880 = +4,704.
    assert _client_row(window, ALTERNATIVES_TITLE)[0] == ALTERNATIVES_TITLE
    assert _client_row(window, "LED video panels, 390 mm") == (
        "LED video panels, 390 mm (instead of LED video panels, 500 mm (392 panels))",
        "392 panel × 4 days", "+$4,704.00")
    qtmodeltester.check(ws.client_pane.model)

    # Tick the alternative's box: it becomes the chosen one (one undo step).
    box = cell(window, alt, "alternative")
    ws.production_view.scrollTo(box)
    rect = ws.production_view.visualRect(box)
    qtbot.mouseClick(ws.production_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.topLeft() + QPoint(10, rect.height() // 2))  # on the check box
    assert doc.chosen_alternative("Panels").id == alt
    assert ws.client_pane.total.text() == "$100,284.00"
    window.undo_action.trigger()
    assert doc.chosen_alternative("Panels").id == panels and ws.client_pane.total.text() == "$95,580.00"

    # An optional section: the Management section as an option the client can add.
    management = next(s for s in doc.sections if s.name == "Management")
    index = ws.production_pane.model.index_for_id(management.id, COLUMN_INDEX["optional"])
    ws.production_pane.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert ws.client_pane.total.text() == "$92,280.00"
    assert _client_row(window, "Option: Management")[2] == "$3,300.00"
    assert ws.client_pane.with_addons.text() == "$95,580.00"
    qtmodeltester.check(ws.client_pane.model)
    qtmodeltester.check(ws.production_pane.model)


def test_the_margin_floor_warns_the_am_without_the_cost(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    client = ws.client_pane
    assert not client.floor_warning.isVisible()
    client.discount_edit.setFocus()
    client.discount_edit.selectAll()
    qtbot.keyClicks(client.discount_edit, "25")
    qtbot.keyClick(client.discount_edit, Qt.Key.Key_Return)
    assert client.total.text() == "$71,685.00"
    assert client.floor_warning.isVisible()
    assert "Below the floor" in client.floor_warning.text()
    assert "margin" not in client.floor_warning.text().lower() and "$" not in client.floor_warning.text()
    assert "below the floor 25.00 %" in ws.production_pane.margin_warning.text()
    window.undo_action.trigger()
    assert not client.floor_warning.isVisible()


def test_duplicate_as_scenario_then_compare(qtbot: Any, window: MainWindow, dialogs: FakeDialogs) -> None:
    dialogs.answers.append("Three sides")
    window.estimate_actions.duplicate_action.trigger()
    ws = workspace(window)
    assert ws.doc.header.name == "Three sides" and window.windowTitle().startswith("Three sides")
    panel = ws.production_pane.parameters
    type_into_cell(qtbot, panel.view, _param_index(window, "screen_length_ft", "value"), "120")
    assert ws.doc.values["panels"] == 74 * 4  # ceil(120 / 1.6404) = 74
    # The original is untouched.
    window.open_estimate(next(e for e in _estimates(window) if e[1] == "Full booth")[0])
    assert workspace(window).client_pane.total.text() == "$95,580.00"

    window.estimate_actions.compare_action.trigger()
    dialog = window.estimate_actions.compare_dialog
    assert dialog is not None and dialog.isVisible()
    names = [s.name for s in dialog.comparison.scenarios]
    assert names[:2] == ["Full booth", "Half booth"] and "Three sides" in names
    dialog.close()


def _estimates(window: MainWindow) -> list[tuple[Any, str]]:
    from sqlalchemy import select

    from app.models import Estimate
    assert window.db is not None
    with window.db.read() as conn:
        return [(r.id, r.name) for r in conn.execute(select(Estimate.id, Estimate.name))]


def test_send_quote_and_see_the_history(qtbot: Any, window: MainWindow, dialogs: FakeDialogs) -> None:
    ws = workspace(window)
    dialogs.answers.extend(["Dana Ortiz", "First issue"])
    window.estimate_actions.send_action.trigger()
    assert window.db is not None
    sent = revisions.list_revisions(window.db, ws.doc.estimate_id)
    assert [(r.number, r.sent_by, r.note, r.total) for r in sent] == [(1, "Dana Ortiz", "First issue",
                                                                        D("95580.00"))]
    assert "rev 1" in window.statusBar().currentMessage()
    # Later edits make the next revision; rev 1 stays as sent.
    type_into_cell(qtbot, ws.production_pane.parameters.view,
                   _param_index(window, "screen_length_ft", "value"), "80")
    dialogs.answers.extend(["Dana Ortiz", "Half the booth"])
    window.estimate_actions.send_action.trigger()
    sent = revisions.list_revisions(window.db, ws.doc.estimate_id)
    assert [(r.number, r.total) for r in sent] == [(1, D("95580.00")), (2, D("56220.00"))]
    window.estimate_actions.history_action.trigger()
    history = window.estimate_actions.history_dialog
    assert history is not None and history.isVisible()
    history.close()


def test_sending_below_the_floor_asks_first(window: MainWindow, dialogs: FakeDialogs) -> None:
    ws = workspace(window)
    ws.editor.edit_estimate("discount_pct", "30")
    dialogs.confirm_answer = False
    window.estimate_actions.send_action.trigger()
    assert dialogs.shown[-1][0] == "confirm" and "below the floor" in dialogs.shown[-1][2]
    assert window.db is not None and revisions.list_revisions(window.db, ws.doc.estimate_id) == []


def test_delete_a_scenario(window: MainWindow, dialogs: FakeDialogs) -> None:
    dialogs.answers.append("Throwaway")
    window.estimate_actions.duplicate_action.trigger()
    assert workspace(window).doc.header.name == "Throwaway"
    dialogs.confirm_answer = False
    window.estimate_actions.delete_action.trigger()
    assert workspace(window).doc.header.name == "Throwaway"  # asked, and the answer was no
    dialogs.confirm_answer = True
    window.estimate_actions.delete_action.trigger()
    assert workspace(window).doc.header.name == "Full booth"  # the project's first estimate opens
    from app.services.projects.counting import project_estimates
    assert window.db is not None
    names = [e.name for e in project_estimates(window.db, workspace(window).doc.header.project_id)]
    assert names == ["Full booth", "Half booth"]


def _someone_else_sets(window: MainWindow, name: str, value: str) -> None:
    """Another Tandem, with its own connection and document, changes the same parameter."""
    from app.services.estimate.document import EstimateDocument
    from app.services.storage.database import open_database

    ws = workspace(window)
    assert ws.doc.db.path is not None
    other_db = open_database(ws.doc.db.path)
    try:
        other = EstimateDocument(other_db, ws.doc.estimate_id)
        parameter = next(p for p in other.parameters if p.name == name)
        other.set_parameter_fields(parameter.id, other.parse_parameter_edit(parameter.id, "value", value))
    finally:
        other_db.close()


def test_two_people_change_the_same_parameter(qtbot: Any, window: MainWindow, dialogs: FakeDialogs) -> None:
    """Sam set the length to 120 meanwhile; Dana types 80: she sees both and her choice is kept."""
    ws = workspace(window)
    panel = ws.production_pane.parameters
    _someone_else_sets(window, "screen_length_ft", "120")
    dialogs.conflict_answer = "mine"
    type_into_cell(qtbot, panel.view, _param_index(window, "screen_length_ft", "value"), "80")
    assert len(dialogs.conflicts) == 1
    view = dialogs.conflicts[0]
    assert view.title == "Parameter" and ("Value", "80", "120") in view.fields
    assert ws.doc.values["screen_length_ft"] == 80 and ws.doc.values["panels"] == 196
    assert ws.client_pane.total.text() == "$56,220.00"

    _someone_else_sets(window, "screen_length_ft", "160")
    dialogs.conflict_answer = "theirs"
    type_into_cell(qtbot, panel.view, _param_index(window, "screen_length_ft", "value"), "40")
    assert len(dialogs.conflicts) == 2
    assert ws.doc.values["screen_length_ft"] == 160 and ws.client_pane.total.text() == "$95,580.00"


def test_an_open_comparison_follows_the_edits(qtbot: Any, window: MainWindow) -> None:
    window.estimate_actions.compare_action.trigger()
    dialog = window.estimate_actions.compare_dialog
    assert dialog is not None and dialog.comparison is not None
    assert dialog.comparison.total.figures[0].price == D("95580.00")
    ws = workspace(window)
    type_into_cell(qtbot, ws.production_pane.parameters.view,
                   _param_index(window, "screen_length_ft", "value"), "80")
    qtbot.waitUntil(lambda: dialog.comparison is not None
                    and dialog.comparison.total.figures[0].price == D("56220.00"), timeout=10000)
    dialog.close()


def test_a_comparison_closed_while_it_recompares_is_left_alone(qtbot: Any, window: MainWindow) -> None:
    window.estimate_actions.compare_action.trigger()
    dialog = window.estimate_actions.compare_dialog
    assert dialog is not None
    dialog.refresh_in_background()
    window.estimate_actions.close_dialogs()  # closed and deleted while the worker runs
    from PySide6.QtCore import QCoreApplication, QThreadPool
    assert QThreadPool.globalInstance().waitForDone(10000)
    # The worker posted its result before it finished: delivered now, to a dialog that is gone.
    QCoreApplication.processEvents()
    assert window.estimate_actions.compare_dialog is None
