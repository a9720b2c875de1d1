"""Edit → Roles…: hourly and day rates typed into cells, saved at once, each step undoable."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.services import master_data
from app.services.labour.roles import ROLES
from tests.gui.helpers import (
    cell,
    finish_typing,
    line_id,
    start_typing,
    still_typing,
    tab_to_next_cell,
    type_into_cell,
    workspace,
)

pytestmark = pytest.mark.gui

NAME, COST, BILL, DAY_COST, DAY_BILL = range(5)


def open_editor(window):  # type: ignore[no-untyped-def]
    window.editor_actions.roles_action.trigger()
    editor = window.editor_actions.master_editors["roles"]
    assert editor is not None and editor.isVisible() and editor.objectName() == "rolesEditor"
    return editor


def row_of(editor, name: str) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, r in enumerate(editor.model.rows) if r.values["name"] == name)


def stored(editor, name: str):  # type: ignore[no-untyped-def]
    return next(r for r in master_data.load(editor.db, ROLES) if r.values["name"] == name)


def names(editor) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.values["name"] for r in editor.model.rows}


def type_rate(qtbot, editor, name: str, column: int, text: str) -> None:  # type: ignore[no-untyped-def]
    type_into_cell(qtbot, editor.table, editor.model.index(row_of(editor, name), column), text)


def test_edit_rates_bad_input_warning_and_undo(qtbot, window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(window)
    qtmodeltester.check(editor.model, force_py=False)
    assert editor.model.headerData(DAY_BILL, Qt.Orientation.Horizontal) == "Bill /day"
    assert editor.model.index(row_of(editor, "LED technician"), DAY_COST).data() == "400.00"
    type_rate(qtbot, editor, "Rigger", COST, "70")
    assert stored(editor, "Rigger").values["cost_rate"] == Decimal(70)
    qtbot.waitUntil(lambda: editor.model.index(row_of(editor, "Rigger"), COST).data() == "70.00")
    type_rate(qtbot, editor, "Rigger", BILL, "plenty")
    assert "Hourly bill rate must be a number" in editor.message.text()
    assert stored(editor, "Rigger").values["bill_rate"] == Decimal(105)
    type_rate(qtbot, editor, "Rigger", BILL, "60")  # below cost: saved, with a warning
    assert stored(editor, "Rigger").values["bill_rate"] == Decimal(60)
    qtbot.waitUntil(lambda: "below the hourly cost rate" in editor.note_label.text())
    type_rate(qtbot, editor, "Rigger", DAY_COST, "520")
    assert stored(editor, "Rigger").values["day_cost_rate"] == Decimal(520)
    qtbot.waitUntil(lambda: editor.model.index(row_of(editor, "Rigger"), DAY_COST).data() == "520.00")
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(editor, "Rigger").values["day_cost_rate"] is None
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    assert stored(editor, "Rigger").values["bill_rate"] == Decimal(105)
    qtbot.mouseClick(editor.redo_button, Qt.MouseButton.LeftButton)
    assert stored(editor, "Rigger").values["bill_rate"] == Decimal(60)
    qtbot.waitUntil(lambda: editor.model.index(row_of(editor, "Rigger"), BILL).data() == "60.00")
    editor.close()


def test_add_and_delete_undoable(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(window)
    count = len(editor.model.rows)
    dialogs.answers.append("Follow spot operator")
    with qtbot.waitSignal(editor.changed):  # saved, then the table reloads
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert len(editor.model.rows) == count + 1
    assert editor.current().values["name"] == "Follow spot operator"
    type_rate(qtbot, editor, "Follow spot operator", BILL, "88")
    assert stored(editor, "Follow spot operator").values["bill_rate"] == Decimal(88)
    qtbot.waitUntil(lambda: "Follow spot operator" in {
        r.name for r in workspace(window).doc.lookups.roles.values()})
    dialogs.confirm_answer = True
    editor.table.selectRow(row_of(editor, "Follow spot operator"))
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Follow spot operator" not in names(editor))
    assert "Follow spot operator" not in {r.values["name"] for r in master_data.load(editor.db, ROLES)}
    qtbot.waitUntil(lambda: "Follow spot operator" not in {
        r.name for r in workspace(window).doc.lookups.roles.values()})
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)  # delete undone
    qtbot.waitUntil(lambda: "Follow spot operator" in names(editor))
    assert stored(editor, "Follow spot operator").values["bill_rate"] == Decimal(88)
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)  # bill rate
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)  # the add
    qtbot.waitUntil(lambda: len(editor.model.rows) == count)
    qtbot.mouseClick(editor.redo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Follow spot operator" in names(editor))
    editor.close()


def test_a_day_rate_prices_a_day_line_in_the_production_pane(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    led = line_id(window, "LED technicians (staff), show")  # 2 people × 3 days
    editor = open_editor(window)
    type_rate(qtbot, editor, "LED technician", DAY_BILL, "900")
    qtbot.waitUntil(lambda: any(r.name == "LED technician" and r.day_bill_rate == Decimal(900)
                                for r in workspace(window).doc.lookups.roles.values()))
    editor.close()
    type_into_cell(qtbot, workspace(window).production_view, cell(window, led, "unit"), "day")
    line = workspace(window).doc.line(led)
    assert line.hours is None and (line.unit_cost, line.unit_price) == (Decimal(400), Decimal(900))
    assert (line.price.cost, line.price.price) == (Decimal(6 * 400), Decimal(6 * 900))
    assert "2,400.00" in cell(window, led, "cost").data()
    assert cell(window, led, "hours").data() in ("", None)


def test_a_rate_typed_while_the_table_rebuilds_after_the_last_save_is_kept(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Tab saves the cost rate and opens the bill rate; the rebuild after that save waits for it."""
    editor = open_editor(window)
    with qtbot.waitSignal(editor.changed):  # leaving the block lets the first save's follow-up run
        cost = start_typing(qtbot, editor.table, editor.model.index(row_of(editor, "Rigger"), COST), "71")
        bill = tab_to_next_cell(qtbot, editor.table, cost, "111")
    assert stored(editor, "Rigger").values["cost_rate"] == Decimal(71)
    assert still_typing(editor.table, bill, "111")
    finish_typing(qtbot, editor.table, bill)
    assert stored(editor, "Rigger").values["bill_rate"] == Decimal(111)
    qtbot.waitUntil(lambda: editor.model.index(row_of(editor, "Rigger"), BILL).data() == "111.00")
    editor.close()
