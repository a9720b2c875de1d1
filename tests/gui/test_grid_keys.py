"""Spreadsheet keys in every grid (app.ui.grid_keys), driven from the keyboard alone: every key goes
to the widget that has the focus, as a user's would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLineEdit, QWidget

from app.services import master_data
from app.services.crew import people
from app.services.estimate.document import EstimateDocument
from app.ui.estimate.parameters_panel import COLUMN_INDEX as PARAMETER_COLUMN
from app.ui.estimate.production_columns import COLUMN_INDEX
from app.ui.main_window import MainWindow
from tests.gui.helpers import cell, click_row, line_id, workspace

pytestmark = pytest.mark.gui
SHIFT = Qt.KeyboardModifier.ShiftModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot: Any, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifiers)


def type_keys(qtbot: Any, text: str) -> None:
    """One key at a time to whatever has the focus (the first opens the cell's editor)."""
    for char in text:
        qtbot.keyClick(focused(), char)


def editing(view: QAbstractItemView) -> bool:
    return view.state() == QAbstractItemView.State.EditingState


def at(view: QAbstractItemView) -> tuple[str, int]:
    """The current cell: its row's first column's text and its column."""
    index = view.currentIndex()
    return index.siblingAtColumn(0).data(), index.column()


def focus_cell(qtbot: Any, view: QAbstractItemView, index: QModelIndex) -> None:
    click_row(qtbot, view, index)
    view.setCurrentIndex(index)
    view.setFocus()
    QApplication.processEvents()


def fresh(window: MainWindow) -> EstimateDocument:
    ws = workspace(window)
    return EstimateDocument(ws.doc.db, ws.doc.estimate_id)


def test_a_whole_line_is_typed_with_tab_and_enter(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    view = ws.production_view
    truck = line_id(window, "Truck, round trip, RoadRunner Freight")
    focus_cell(qtbot, view, cell(window, truck, "description"))
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Add line, after the current one
    new_id = ws.current_id()
    assert new_id is not None and ws.doc.line(new_id).description == "New line"
    type_keys(qtbot, "Spare panels")  # typing starts editing, over the cell's text
    press(qtbot, Qt.Key.Key_Tab)
    assert isinstance(focused(), QComboBox) and at(view) == ("Spare panels", COLUMN_INDEX["kind"])
    press(qtbot, Qt.Key.Key_Tab)  # the kind as it was
    assert at(view)[1] == COLUMN_INDEX["quantity"] and isinstance(focused(), QLineEdit)
    type_keys(qtbot, "=panels")
    press(qtbot, Qt.Key.Key_Tab)
    assert at(view)[1] == COLUMN_INDEX["unit"]  # the next column, not over Qty
    type_keys(qtbot, "pcs")
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "=rental_days")
    press(qtbot, Qt.Key.Key_Return)  # saved, and down a row (the next section's row), same column
    assert not editing(view)
    assert at(view) == ("Management", COLUMN_INDEX["days"])
    for doc in (ws.doc, fresh(window)):
        line = doc.line(new_id)
        assert (
            line.description,
            line.quantity_formula,
            line.quantity,
            line.unit,
            line.days_formula,
            line.days,
        ) == ("Spare panels", "panels", 392, "pcs", "rental_days", 4)


def test_shift_tab_back_escape_leaves_the_cell_shift_enter_up(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    view = ws.production_view
    truss = line_id(window, "10 ft box truss, owned")
    focus_cell(qtbot, view, cell(window, truss, "unit"))
    press(qtbot, Qt.Key.Key_F2)
    assert editing(view)
    type_keys(qtbot, "x")
    press(qtbot, Qt.Key.Key_Backtab)  # what Shift+Tab sends
    assert at(view) == ("10 ft box truss, owned", COLUMN_INDEX["quantity"]) and editing(view)
    assert ws.doc.line(truss).unit == "x"
    type_keys(qtbot, "99")
    press(qtbot, Qt.Key.Key_Escape)
    assert not editing(view) and ws.doc.line(truss).quantity == 16
    press(qtbot, Qt.Key.Key_Return, SHIFT)
    assert at(view) == ("Motor points, SkyPoint quote #SP-2291", COLUMN_INDEX["quantity"])
    press(qtbot, Qt.Key.Key_Return)
    assert at(view) == ("10 ft box truss, owned", COLUMN_INDEX["quantity"])
    # Tab past a line's last cell goes on to the next row (here the next section's name).
    focus_cell(qtbot, view, cell(window, truss, "alternative"))
    press(qtbot, Qt.Key.Key_F2)
    press(qtbot, Qt.Key.Key_Tab)
    assert at(view) == ("Labour", COLUMN_INDEX["description"]) and editing(view)
    press(qtbot, Qt.Key.Key_Backtab)  # and back
    assert at(view) == ("10 ft box truss, owned", COLUMN_INDEX["alternative"]) and editing(view)
    press(qtbot, Qt.Key.Key_Escape)


def test_tab_past_the_last_cell_adds_a_line(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    view = ws.production_view
    last = ws.doc.sections[-1]
    before = len(last.lines)
    focus_cell(qtbot, view, cell(window, last.lines[-1].id, "alternative"))
    press(qtbot, Qt.Key.Key_F2)
    press(qtbot, Qt.Key.Key_Tab)
    assert len(last.lines) == before + 1
    assert at(view) == ("New line", COLUMN_INDEX["description"]) and editing(view)
    type_keys(qtbot, "Site survey")
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    type_keys(qtbot, "2")
    press(qtbot, Qt.Key.Key_Return)
    stored = fresh(window).sections[-1].lines[-1]
    assert (stored.description, stored.quantity) == ("Site survey", 2)


def test_arrow_keys_move_from_cell_to_cell(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    view = ws.production_view
    truss = line_id(window, "10 ft box truss, owned")
    focus_cell(qtbot, view, cell(window, truss, "description"))
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Right)
    assert at(view) == ("10 ft box truss, owned", COLUMN_INDEX["quantity"])
    press(qtbot, Qt.Key.Key_Left)
    assert at(view) == ("10 ft box truss, owned", COLUMN_INDEX["kind"])
    press(qtbot, Qt.Key.Key_Up)
    assert at(view) == ("Motor points, SkyPoint quote #SP-2291", COLUMN_INDEX["kind"])
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Right)
    type_keys(qtbot, "12")  # typing starts editing the current cell
    press(qtbot, Qt.Key.Key_Return)
    assert ws.doc.line(truss).quantity == 12


def test_parameters_table_keys(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    view = ws.production_pane.parameters.view
    model = ws.production_pane.parameters.model
    names = [p.name for p in ws.doc.parameters]
    row = names.index("rental_days")
    focus_cell(qtbot, view, model.index(row, PARAMETER_COLUMN["value"]))
    type_keys(qtbot, "5")
    press(qtbot, Qt.Key.Key_Tab)
    assert at(view) == ("rental_days", PARAMETER_COLUMN["unit"]) and editing(view)
    type_keys(qtbot, "d")
    press(qtbot, Qt.Key.Key_Return)
    assert at(view) == (names[row + 1], PARAMETER_COLUMN["unit"]) and not editing(view)
    press(qtbot, Qt.Key.Key_Return, SHIFT)
    assert at(view) == ("rental_days", PARAMETER_COLUMN["unit"])
    parameter = next(p for p in fresh(window).parameters if p.name == "rental_days")
    assert (parameter.value, parameter.unit) == (5, "d")
    assert ws.doc.line(line_id(window, "10 ft box truss, owned")).days == 5  # its lines follow


def test_client_pane_keys(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    view = ws.client_view
    model = ws.client_pane.model
    panels = line_id(window, "500 mm LED panels, owned")
    processors = line_id(window, "LED processors, sub-rented from Brightline")
    focus_cell(qtbot, view, model.index_for_id(panels))
    type_keys(qtbot, "LED wall")  # typing starts editing the wording
    press(qtbot, Qt.Key.Key_Return)
    assert not editing(view) and view.currentIndex() == model.index_for_id(processors)
    press(qtbot, Qt.Key.Key_F2)
    type_keys(qtbot, "Processing")
    press(qtbot, Qt.Key.Key_Tab)  # only the wording is editable: the next row's
    assert editing(view) and view.currentIndex() == view.indexBelow(model.index_for_id(processors))
    press(qtbot, Qt.Key.Key_Escape)
    stored = fresh(window)
    assert stored.line(panels).client_description == "LED wall"
    assert stored.line(processors).client_description == "Processing"


def test_master_data_editor_keys_keep_the_column_through_the_reload(qtbot: Any, window: MainWindow) -> None:
    window.editor_actions.catalog_action.trigger()
    editor = window.editor_actions.master_editors["catalog"]
    qtbot.waitUntil(editor.isActiveWindow)
    table = editor.table
    cost = next(n for n, f in enumerate(editor.kind.fields) if f.key == "unit_cost")
    first, second = editor.model.rows[0].id, editor.model.rows[1].id
    focus_cell(qtbot, table, editor.model.index(0, cost))
    type_keys(qtbot, "90")
    press(qtbot, Qt.Key.Key_Return)
    assert table.currentIndex().row() == 1 and table.currentIndex().column() == cost
    # The table reloads after the save; the cursor stays in the column it went down.
    qtbot.waitUntil(lambda: not editor.rebuild.pending and editor.model.rows[0].values["unit_cost"] == 90)
    QApplication.processEvents()
    assert (table.currentIndex().row(), table.currentIndex().column()) == (1, cost)
    type_keys(qtbot, "91")
    press(qtbot, Qt.Key.Key_Tab)  # saved, and the next column's editor open
    assert editing(table) and table.currentIndex().column() > cost
    press(qtbot, Qt.Key.Key_Escape)
    stored = {r.id: r for r in master_data.load(editor.db, editor.kind)}
    assert (stored[first].values["unit_cost"], stored[second].values["unit_cost"]) == (90, 91)
    # Tab past the last column wraps to the next row's first cell.
    last = len(editor.kind.fields) - 1
    focus_cell(qtbot, table, editor.model.index(0, last))
    press(qtbot, Qt.Key.Key_F2)
    press(qtbot, Qt.Key.Key_Tab)
    assert editing(table) and (table.currentIndex().row(), table.currentIndex().column()) == (1, 0)
    press(qtbot, Qt.Key.Key_Escape)
    editor.close()


# -- two quick edits in a row, no wait between: both saved ---------------------------------------------


def _two_quick_edits(qtbot: Any, view: QAbstractItemView, first: QModelIndex, texts: tuple[str, str]) -> None:
    """Type into ``first``, Enter, type into the cell below, Enter: the keys one after the other, the
    event loop never let run between them (a user's are at least as fast as the saves)."""
    focus_cell(qtbot, view, first)
    for text in texts:
        type_keys(qtbot, text)
        press(qtbot, Qt.Key.Key_Return)


MASTER_EDITORS = ("catalog", "suppliers", "categories", "labour_rules", "roles", "lost_reasons")


@pytest.mark.parametrize("key", MASTER_EDITORS)
def test_two_quick_edits_in_a_master_data_editor_are_both_saved(
    qtbot: Any, window: MainWindow, key: str
) -> None:
    editor = window.editor_actions.show_editor(key)
    assert editor is not None
    qtbot.waitUntil(editor.isActiveWindow)
    for number in range(len(editor.model.rows), 2):  # the demo has no lost reasons
        master_data.add(editor.db, editor.kind, f"Reason {number}")
        editor.reload()
    qtbot.waitUntil(lambda: len(editor.model.rows) >= 2)
    name = next(n for n, f in enumerate(editor.kind.fields) if f.key == editor.kind.name_key)
    ids = [editor.model.rows[0].id, editor.model.rows[1].id]
    _two_quick_edits(qtbot, editor.table, editor.model.index(0, name), ("Zz quick one", "Zz quick two"))

    def saved() -> bool:
        stored = {r.id: r.values[editor.kind.name_key] for r in master_data.load(editor.db, editor.kind)}
        return [stored[i] for i in ids] == ["Zz quick one", "Zz quick two"]

    qtbot.waitUntil(saved)
    qtbot.waitUntil(lambda: not editor.rebuild.pending)
    assert editor.message.text() == ""
    editor.close()


def test_two_quick_edits_in_the_crew_editor_are_both_saved(qtbot: Any, window: MainWindow) -> None:
    window.editor_actions.crew_editor_action.trigger()
    editor = window.editor_actions.crew_editor
    assert editor is not None
    qtbot.waitUntil(editor.isActiveWindow)
    ids = [editor.model.rows[0].id, editor.model.rows[1].id]
    _two_quick_edits(qtbot, editor.table, editor.model.index(0, 0), ("Aa quick one", "Aa quick two"))
    names = ["Aa quick one", "Aa quick two"]
    qtbot.waitUntil(lambda: [people.load_crew(editor.db)[i].name for i in ids] == names)
    qtbot.waitUntil(lambda: not editor.rebuild.pending)
    editor.close()


def test_two_quick_edits_in_each_pane_are_both_saved(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    panels = line_id(window, "500 mm LED panels, owned")
    processors = line_id(window, "LED processors, sub-rented from Brightline")
    _two_quick_edits(qtbot, ws.production_view, cell(window, panels, "unit"), ("tile", "box"))
    _two_quick_edits(qtbot, ws.client_view, ws.client_pane.model.index_for_id(panels), ("Wall", "Brains"))
    parameters = ws.production_pane.parameters
    _two_quick_edits(
        qtbot,
        parameters.view,
        parameters.model.index(0, PARAMETER_COLUMN["description"]),
        ("Ribbon length", "Ribbon height"),
    )
    stored = fresh(window)
    assert (stored.line(panels).unit, stored.line(processors).unit) == ("tile", "box")
    assert (stored.line(panels).client_description, stored.line(processors).client_description) == (
        "Wall",
        "Brains",
    )
    assert [p.description for p in stored.parameters[:2]] == ["Ribbon length", "Ribbon height"]
    assert stored.line(panels).quantity == Decimal(392)  # nothing typed went into another cell


def test_a_refused_value_keeps_the_cursor_on_its_cell(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    view = ws.production_view
    truss = line_id(window, "10 ft box truss, owned")
    focus_cell(qtbot, view, cell(window, truss, "quantity"))
    type_keys(qtbot, "lots")
    press(qtbot, Qt.Key.Key_Tab)
    assert at(view) == ("10 ft box truss, owned", COLUMN_INDEX["quantity"]) and not editing(view)
    assert ws.production_pane.cell_message.isVisible() and ws.doc.line(truss).quantity == 16
    type_keys(qtbot, "20")  # typed again where it was refused
    press(qtbot, Qt.Key.Key_Tab)
    assert at(view) == ("10 ft box truss, owned", COLUMN_INDEX["unit"]) and editing(view)
    press(qtbot, Qt.Key.Key_Escape)
    assert ws.doc.line(truss).quantity == 20
    # In a record editor too: the line under the table says why, the cursor stays.
    editor = window.editor_actions.show_editor("catalog")
    assert editor is not None
    qtbot.waitUntil(editor.isActiveWindow)
    cost = next(n for n, f in enumerate(editor.kind.fields) if f.key == "unit_cost")
    focus_cell(qtbot, editor.table, editor.model.index(0, cost))
    type_keys(qtbot, "lots")
    press(qtbot, Qt.Key.Key_Return)
    assert editor.message.text().startswith("Unit cost must be a number")
    assert (editor.table.currentIndex().row(), editor.table.currentIndex().column()) == (0, cost)
    editor.close()
