"""The staffing panel: calendar against estimate for the open project, and the one-step update with undo."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import update

from app.models import CrewAssignment
from app.models.types import utcnow
from app.services.crew.capacity import call_hours
from app.services.crew.staffing import project_staffing
from app.services.estimate.document import EstimateDocument
from app.ui.crew.staffing_model import StaffingTableModel
from tests.gui.helpers import line_id, workspace
from tests.staffing_data import add_crew, assign

pytestmark = pytest.mark.gui

DAY = datetime(2027, 3, 8)


def hours_a_day(line) -> object:  # type: ignore[no-untyped-def]
    return call_hours(getattr(line, "start_time", None), getattr(line, "end_time", None), line.hours)


def staff_load_in(win) -> object:  # type: ignore[no-untyped-def]
    """Two stagehands on the Full booth's load-in day, 07:00–16:00: the estimate says 8 × 10 h.

    Whatever assignments the demo has on that call are removed first: only these count."""
    doc = workspace(win).doc
    load_in = line_id(win, "Stagehands, load-in")
    role = doc.line(load_in).role_id
    with doc.db.write() as conn:  # only the people this test puts there
        conn.execute(update(CrewAssignment.__table__)  # type: ignore[attr-defined]
                     .where(CrewAssignment.__table__.c.line_item_id == load_in)  # type: ignore[attr-defined]
                     .values(deleted_at=utcnow()))
    line = doc.line(load_in)
    start = datetime.combine(getattr(line, "call_date", None) or DAY.date(), time(7))
    for name in ("Test hand A", "Test hand B"):
        crew = add_crew(doc.db, name, [role])
        assign(doc.db, crew, doc.header.project_id, load_in, start, start + timedelta(hours=9), role_id=role)
    return load_in


def test_update_from_calendar_is_one_undo_step(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    load_in = staff_load_in(window)
    ws = workspace(window)
    doc = ws.doc
    before = {line.id: (line.quantity, line.hours, getattr(line, "end_time", None)) for line in doc.lines()}
    total_before = doc.totals
    window.staffing_dock.show()
    panel = window.staffing
    panel.refresh_button.click()
    assert "Vantage @ MedTech Expo" in panel.summary.text()
    rows = [panel.model.row(r) for r in range(panel.model.rowCount())]
    staffed = [(c, d) for c, d in rows if c.call.line_id == load_in]
    assert [(d.needed, d.filled, d.planned_hours) for _, d in staffed] == [(8, 2, 18)]
    filled = panel.model.index(rows.index(staffed[0]), 5)
    assert filled.data(Qt.ItemDataRole.BackgroundRole) is not None  # the difference stands out
    assert panel.update_button.isEnabled()

    undo_count = ws.editor.undo_stack.count()
    qtbot.mouseClick(panel.update_button, Qt.MouseButton.LeftButton)
    line = doc.line(load_in)
    assert line.quantity == 2 and hours_a_day(line) == 9
    assert ws.editor.undo_stack.count() == undo_count + 1
    assert ws.editor.undo_stack.undoText() == "Update labour from calendar"
    stored = EstimateDocument(doc.db, doc.estimate_id).line(load_in)
    assert stored.quantity == 2 and hours_a_day(stored) == 9
    assert doc.totals != total_before
    after = project_staffing(doc.db, doc.header.project_id, doc.estimate_id)
    call = next(c for c in after.calls if c.call.line_id == load_in)
    assert call.estimated_hours == call.planned_hours == 18
    assert not panel.update_button.isEnabled() or any(
        c.shifts and c.differs for c in panel.staffing.calls if c.call.line_id != load_in)

    ws.production_view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {line.id: (line.quantity, line.hours, getattr(line, "end_time", None))
            for line in doc.lines()} == before
    assert doc.totals == total_before
    assert EstimateDocument(doc.db, doc.estimate_id).line(load_in).quantity == 8
    assert panel.update_button.isEnabled()


def test_staffing_model_is_a_proper_model(qtbot, qtmodeltester, window) -> None:  # type: ignore[no-untyped-def]
    staff_load_in(window)
    doc = workspace(window).doc
    model = StaffingTableModel()
    model.set_staffing(project_staffing(doc.db, doc.header.project_id, doc.estimate_id))
    assert model.rowCount() >= 5
    qtmodeltester.check(model)
    model.set_staffing(None)
    assert model.rowCount() == 0


def test_a_refused_line_leaves_the_whole_update_undone(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """All or nothing: when one line was changed by someone else meanwhile, none is changed."""
    from app.models import LineItem
    from app.ui.crew.staffing_panel import UpdateLabourFromCalendar

    load_in = staff_load_in(window)
    ws = workspace(window)
    doc = ws.doc
    strike = line_id(window, "Stagehands, strike")
    before = (doc.line(load_in).quantity, doc.line(load_in).version)
    with doc.db.write() as conn:  # someone else edits the strike line
        line_t = LineItem.__table__  # type: ignore[attr-defined]
        conn.execute(update(line_t).where(line_t.c.id == strike).values(version=line_t.c.version + 1))
    updates = [(load_in, {"quantity": 2}), (strike, {"quantity": 3})]
    undo_count = ws.editor.undo_stack.count()
    with qtbot.waitSignal(ws.editor.errorRaised):
        message = ws.editor.run(UpdateLabourFromCalendar(doc, updates))
    assert message  # refused, and said why
    assert ws.editor.undo_stack.count() == undo_count
    fresh = EstimateDocument(doc.db, doc.estimate_id)
    assert fresh.line(load_in).quantity == before[0] == 8
    assert fresh.line(strike).quantity == 8
