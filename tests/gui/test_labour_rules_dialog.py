"""Edit → Labour rules…: cells typed, validated, saved, undone; the open estimate reprices."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from app.services import master_data
from app.services.labour.rules import RULE_FIELDS, RULE_SETS
from tests.gui.helpers import type_into_cell, workspace

pytestmark = pytest.mark.gui
COLUMN = {f.key: i for i, f in enumerate(RULE_FIELDS)}


def _open(qtbot, window):  # type: ignore[no-untyped-def]
    window.editor_actions.labour_rules_action.trigger()
    dialog = window.editor_actions.master_editors["labour_rules"]
    assert dialog.objectName() == "labourRulesEditor"
    qtbot.waitUntil(dialog.isVisible)
    model = dialog.model
    row = next(i for i, r in enumerate(model.rows) if r.values["name"] == "LVCC stagehands")
    return dialog, model, row


def test_raising_the_overtime_threshold_reprices_the_open_estimate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog, model, row = _open(qtbot, window)
    ws = workspace(window)
    assert (ws.doc.totals.cost, ws.doc.totals.total) == (Decimal("55044.00"), Decimal("95580.00"))
    type_into_cell(qtbot, dialog.table, model.index(row, COLUMN["overtime_after_hours"]), "10")
    # every 10 h day is now all straight: load-in 8 × 10 × 55 + 2 × 10 × 65, show 2 × 3 × 10 × 45
    # cost falls by 8 × 2 × 0.5 × 55 + 2 × 2 × 0.5 × 65 + 2 × 3 × 2 × 0.5 × 45 = 440 + 130 + 270 = 840
    qtbot.waitUntil(lambda: ws.doc.totals.cost == Decimal("55044.00") - 840)  # the reprice follows the save
    # price falls by 8 × 85 + 2 × 105 + 6 × 95 = 680 + 210 + 570 = 1,460
    assert ws.doc.totals.total == Decimal("95580.00") - 1460
    stored = next(r for r in master_data.load(ws.doc.db, RULE_SETS) if r.id == model.rows[row].id)
    assert stored.values["overtime_after_hours"] == 10
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.index(row, COLUMN["overtime_after_hours"]).data() == "8")
    qtbot.waitUntil(lambda: ws.doc.totals.total == Decimal("95580.00"))


@pytest.mark.parametrize(("key", "typed", "message"), [
    ("overtime_multiplier", "0.5", "Overtime multiplier must be at least 1"),
    ("meal_break_minutes", "thirty", "Meal break minutes must be a number"),
    ("holidays", "2027-13-01", "Holiday must be a date like 2027-03-08"),
    ("name", "", "Name cannot be empty"),
])
def test_bad_rule_input_says_why_and_changes_nothing(  # type: ignore[no-untyped-def]
    qtbot, window, key, typed, message
) -> None:
    dialog, model, row = _open(qtbot, window)
    index = model.index(row, COLUMN[key])
    before, version = index.data(), model.rows[row].version
    type_into_cell(qtbot, dialog.table, index, typed)
    assert dialog.message.isVisible() and message in dialog.message.text()
    assert model.index(row, COLUMN[key]).data() == before
    stored = master_data.load_one(workspace(window).doc.db, RULE_SETS, model.rows[row].id)
    assert stored.version == version and dialog.undo_stack.count() == 0


def test_holidays_are_typed_as_a_list(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog, model, row = _open(qtbot, window)
    type_into_cell(qtbot, dialog.table, model.index(row, COLUMN["holidays"]), "Mar 8, 2027; 2027-03-09")
    assert model.index(row, COLUMN["holidays"]).data() == "2027-03-08, 2027-03-09"
    ws = workspace(window)

    def holidays() -> int:
        rules = ws.doc.rules_for(next(iter(ws.doc.lines())))
        return len(rules.holidays) if rules else 0

    qtbot.waitUntil(lambda: holidays() == 2)
    # LVCC's holiday multiplier is still 1: the total is unchanged until it is raised
    assert ws.doc.totals.total == Decimal("95580.00")
    type_into_cell(qtbot, dialog.table, model.index(row, COLUMN["holiday_multiplier"]), "2")
    # load-in on Mar 8 at ×2: stagehands 8 × (8 × 2 + 2 × 2) × 85 = 13,600 (was 7,480);
    # riggers 2 × 20 × 105 = 4,200 (was 2,310); LED techs' first show day Mar 9 at ×2:
    # 2 × 20 × 95 = 3,800 (was 2 × 11 × 95 = 2,090)
    qtbot.waitUntil(lambda: ws.doc.totals.total == Decimal("95580.00") + (13600 - 7480) + (4200 - 2310)
                    + (3800 - 2090))


def test_model_tester_labour_rules_model(qtbot, window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    _, model, _ = _open(qtbot, window)
    qtmodeltester.check(model)


def test_add_duplicate_with_holidays_and_delete_only_when_unused(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    dialog, model, _ = _open(qtbot, window)

    def row_of(name: str) -> int:
        return next(i for i, r in enumerate(model.rows) if r.values["name"] == name)

    dialogs.answers.append("IATSE Local 720")
    with qtbot.waitSignal(dialog.changed):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "IATSE Local 720" in {r.values["name"] for r in model.rows})
    type_into_cell(qtbot, dialog.table, model.index(row_of("IATSE Local 720"), COLUMN["min_call_hours"]), "4")
    dialog.table.selectRow(row_of("Local 16 stagehands"))
    with qtbot.waitSignal(dialog.changed):
        qtbot.mouseClick(dialog.duplicate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Local 16 stagehands (copy)" in {r.values["name"] for r in model.rows})
    copy = row_of("Local 16 stagehands (copy)")
    assert model.index(copy, COLUMN["holidays"]).data() == "2027-05-31, 2027-07-05, 2027-09-06"
    type_into_cell(qtbot, dialog.table, model.index(copy, COLUMN["holidays"]), "2027-05-31")  # in place
    qtbot.waitUntil(lambda: model.index(row_of("Local 16 stagehands (copy)"), COLUMN["holidays"]).data()
                    == "2027-05-31")
    assert model.index(row_of("Local 16 stagehands"), COLUMN["holidays"]).data().count(",") == 2
    # In use by the open project: refused, saying where; unused: deleted (after the question).
    dialog.table.selectRow(row_of("LVCC stagehands"))
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert "is in use, so it was not deleted: 1 project (Vantage @ MedTech Expo)" in dialog.message.text()
    assert "LVCC stagehands" in {r.values["name"] for r in model.rows}
    dialog.table.selectRow(row_of("Local 16 stagehands (copy)"))
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Local 16 stagehands (copy)" not in {r.values["name"] for r in model.rows})
    assert dialogs.shown[-1][:2] == ("confirm", "Delete labour rule set")
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Local 16 stagehands (copy)" in {r.values["name"] for r in model.rows})
    assert model.index(row_of("Local 16 stagehands (copy)"), COLUMN["holidays"]).data() == "2027-05-31"
    dialog.close()
