"""Labour lines as calls in the production pane: phase, date, times and the paid split, by keys."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from app.services.estimate.document import EstimateDocument
from tests.gui.helpers import cell, line_id, type_into_cell, workspace

pytestmark = pytest.mark.gui


def test_the_paid_split_is_shown_with_its_arithmetic(window) -> None:  # type: ignore[no-untyped-def]
    load_in = line_id(window, "Stagehands, load-in")
    paid = cell(window, load_in, "paid")
    assert paid.data() == "8 ST + 2 OT"
    tip = paid.data(Qt.ItemDataRole.ToolTipRole)
    assert "a day of 10 h (07:00–17:00) = 8 ST + 2 OT" in tip
    assert "8 h straight + 2 h overtime ×1.5 = 10 paid hours" in tip
    assert "weighted: 11 h × 8 people = 88 paid-rate hours" in tip
    assert (cell(window, load_in, "phase").data(), cell(window, load_in, "call_date").data(),
            cell(window, load_in, "start_time").data(), cell(window, load_in, "end_time").data()) == (
        "Load-in", "Mon Mar 8", "07:00", "17:00")
    show = line_id(window, "LED technicians (staff), show")
    assert cell(window, show, "paid").data() == "24 ST + 6 OT"  # 3 days × (8 + 2)
    panels = line_id(window, "500 mm LED panels, owned")
    assert cell(window, panels, "paid").data() == "" and cell(window, panels, "phase").data() == ""


def test_typing_a_sunday_date_prices_the_weekend(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    load_in = line_id(window, "Stagehands, load-in")
    type_into_cell(qtbot, ws.production_view, cell(window, load_in, "call_date"), "Mar 7 2027")
    line = ws.doc.line(load_in)
    assert line.call_date == date(2027, 3, 7)
    # LVCC's weekend multiplier is 1: a Sunday costs what a Monday does
    assert line.price.cost == 8 * (8 + 2 * Decimal("1.5")) * 55
    assert EstimateDocument(ws.doc.db, ws.doc.estimate_id).line(load_in).call_date == date(2027, 3, 7)
    qtbot.keyClick(ws.production_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ws.doc.line(load_in).call_date == date(2027, 3, 8)


def test_typing_times_reprices_the_call(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    strike = line_id(window, "Stagehands, strike")
    # 18:00 → 4am is 10 h past midnight: 8 straight + 2 overtime
    type_into_cell(qtbot, ws.production_view, cell(window, strike, "end_time"), "4am")
    line = ws.doc.line(strike)
    assert line.end_time == time(4)
    assert cell(window, strike, "paid").data() == "8 ST + 2 OT"
    assert line.price.cost == 8 * (8 + 2 * Decimal("1.5")) * 55  # 4,840.00
    type_into_cell(qtbot, ws.production_view, cell(window, strike, "start_time"), "19:30")
    assert ws.doc.line(strike).start_time == time(19, 30)
    assert cell(window, strike, "paid").data() == "8 ST + 0.5 OT"


@pytest.mark.parametrize(
    ("column", "typed", "message"),
    [
        ("call_date", "Mar 32 2027", "Date must be a date like 2027-03-08 or Mar 8 2027"),
        ("start_time", "25:00", "Start must be a time between 00:00 and 24:00"),
        ("end_time", "late", "End must be a time like 07:00, 7am or 19:30"),
    ],
)
def test_bad_call_input_shows_a_message_and_changes_nothing(  # type: ignore[no-untyped-def]
    qtbot, window, column, typed, message
) -> None:
    ws = workspace(window)
    load_in = line_id(window, "Stagehands, load-in")
    before = cell(window, load_in, column).data()
    type_into_cell(qtbot, ws.production_view, cell(window, load_in, column), typed)
    note = ws.production_pane.cell_message
    assert note.isVisible()
    assert message in note.text()
    assert cell(window, load_in, column).data() == before
    assert ws.editor.undo_stack.count() == 0
    assert EstimateDocument(ws.doc.db, ws.doc.estimate_id).line(load_in).version == 1


def test_the_phase_is_chosen_from_a_list(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    view = ws.production_view
    strike = line_id(window, "Riggers, strike")
    view.setCurrentIndex(cell(window, strike, "phase"))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = view.viewport().findChild(QComboBox, "choiceEditor")
    assert combo is not None and combo.currentText() == "Strike"
    assert [combo.itemText(i) for i in range(combo.count())] == ["—", "Load-in", "Show", "Strike"]
    combo.setCurrentIndex(combo.findText("Show"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    assert ws.doc.line(strike).phase == "show"
    assert EstimateDocument(ws.doc.db, ws.doc.estimate_id).line(strike).phase == "show"
