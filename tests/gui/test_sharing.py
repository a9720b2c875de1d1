"""Two users on one file: a conflicting save shows both values and lets the user choose; a busy
file keeps what the user typed."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QAbstractItemView

from app.models.meta import Presence
from app.services.estimate.document import EstimateDocument
from app.services.storage import database as storage
from app.services.storage import presence
from app.services.storage.database import open_database
from tests.gui.helpers import cell, line_id, open_editor, type_into_cell, workspace

pytestmark = pytest.mark.gui

PANELS = "500 mm LED panels, owned"


def someone_else_sets_quantity(win, description: str, quantity: str) -> None:  # type: ignore[no-untyped-def]
    """Another Tandem (its own connection and document) saves a change to the same line."""
    ws = workspace(win)
    other_db = open_database(ws.doc.db.path)
    try:
        other = EstimateDocument(other_db, ws.doc.estimate_id)
        target = next(line for line in other.lines() if line.description == description)
        other.set_line_fields(target.id, other.parse_line_edit(target.id, "quantity", quantity))
    finally:
        other_db.close()


def stored_quantity(win, line) -> Decimal:  # type: ignore[no-untyped-def]
    ws = workspace(win)
    return EstimateDocument(ws.doc.db, ws.doc.estimate_id).line(line).quantity


@pytest.mark.parametrize(("choice", "shown", "stored"), [("theirs", "300", 300), ("mine", "400", 400)])
def test_a_conflicting_save_shows_both_values_and_the_choice_is_kept(  # type: ignore[no-untyped-def]
    qtbot, window, dialogs, choice, shown, stored
) -> None:
    ws = workspace(window)
    panels = line_id(window, PANELS)
    someone_else_sets_quantity(window, PANELS, "300")
    dialogs.conflict_answer = choice
    type_into_cell(qtbot, ws.production_view, cell(window, panels, "quantity"), "400")
    assert len(dialogs.conflicts) == 1
    view = dialogs.conflicts[0]
    assert view.title == f"Line “{PANELS}”"
    assert view.fields == [("Quantity", "400", "300")]
    assert cell(window, panels, "quantity").data() == shown
    assert stored_quantity(window, panels) == stored
    # The client pane follows whatever was kept: 300 or 400 panels × 4 days × $35.
    assert ws.client_pane.model.index_for_id(panels, 2).data() == f"${stored * 4 * 35:,.2f}"
    assert ws.editor.undo_stack.count() == (1 if choice == "mine" else 0)


def test_edit_again_reopens_the_cell_with_what_the_user_typed(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    panels = line_id(window, PANELS)
    someone_else_sets_quantity(window, PANELS, "300")
    dialogs.conflict_answer = "edit"
    type_into_cell(qtbot, ws.production_view, cell(window, panels, "quantity"), "400")
    qtbot.waitUntil(lambda: ws.production_view.state() == QAbstractItemView.State.EditingState)
    editor = open_editor(ws.production_view)  # the open one (a closed one may await deletion)
    assert editor is not None and editor.text() == "400"
    assert cell(window, panels, "quantity").data() == "300"  # theirs is what is saved now
    assert stored_quantity(window, panels) == 300


def test_a_deleted_line_is_not_brought_back_silently(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truck = line_id(window, "Truck, round trip, RoadRunner Freight")
    other_db = open_database(ws.doc.db.path)
    try:
        other = EstimateDocument(other_db, ws.doc.estimate_id)
        other.delete_line(truck)
    finally:
        other_db.close()
    dialogs.conflict_answer = "mine"
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "quantity"), "2")
    assert dialogs.conflicts[0].deleted
    assert not ws.doc.has_line(truck)
    assert "deleted" in window.statusBar().currentMessage()


def test_a_busy_file_keeps_the_typed_value_for_a_retry(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 200)
    ws.doc.db.engine.dispose()  # new connections take the short timeout
    panels = line_id(window, PANELS)
    holder = sqlite3.connect(ws.doc.db.path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        type_into_cell(qtbot, ws.production_view, cell(window, panels, "quantity"), "400")
        assert "locked" in ws.production_pane.cell_message.text()
        assert "Your input was kept" in ws.production_pane.cell_message.text()
        qtbot.waitUntil(lambda: ws.production_view.state() == QAbstractItemView.State.EditingState)
        editor = open_editor(ws.production_view)  # the open one (a closed one may await deletion)
        assert editor is not None and editor.text() == "400"
        assert ws.doc.line(panels).quantity == 392
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    from PySide6.QtCore import Qt

    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.production_view.state() != QAbstractItemView.State.EditingState)
    assert ws.doc.line(panels).quantity == 400
    assert stored_quantity(window, panels) == 400


def test_a_busy_file_keeps_a_typed_discount(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    ws = workspace(window)
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 200)
    ws.doc.db.engine.dispose()
    discount = ws.client_pane.discount_edit
    holder = sqlite3.connect(ws.doc.db.path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        discount.setFocus()
        discount.selectAll()
        qtbot.keyClicks(discount, "5")
        qtbot.keyClick(discount, Qt.Key.Key_Return)
        assert discount.text() == "5"
        assert "Your input was kept" in ws.client_pane.field_message.text()
        assert ws.client_pane.total.text() == "$95,580.00"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    qtbot.keyClick(discount, Qt.Key.Key_Return)
    assert ws.client_pane.total.text() == "$90,801.00"


def test_on_a_share_without_locks_with_another_computer_nothing_is_written_and_nothing_typed_lost(  # type: ignore[no-untyped-def]
    qtbot, window, sshfs_share
) -> None:
    first = workspace(window).doc.db
    alone = open_database(first.path)
    window.set_database(alone)  # alone on the share: writable, and warned
    assert window.share_label.text() == "Unsafe share" and window.share_label.toolTip() == alone.share_warning
    qtbot.waitUntil(lambda: window.sharing.presence_id is not None)  # registered; removed on the switch
    with first.write(track=False) as conn:  # Sam, on another computer, has the file open
        conn.execute(presence.PRESENCE_T.insert().values(
            **Presence(user_name="Sam", host="LAPTOP-3", pid=4242).model_dump()))
    db = open_database(first.path)
    try:
        window.set_database(db)
        assert db.read_only is not None
        assert window.share_label.text() == "Read-only" and window.share_label.toolTip() == db.read_only
        assert window.statusBar().currentMessage() == db.read_only
        ws = workspace(window)
        panels = line_id(window, PANELS)
        type_into_cell(qtbot, ws.production_view, cell(window, panels, "quantity"), "400")
        message = ws.production_pane.cell_message.text()
        assert "Sam on LAPTOP-3 has it open, so Tandem opened it read-only" in message
        assert "Your input was kept" in message
        qtbot.waitUntil(lambda: ws.production_view.state() == QAbstractItemView.State.EditingState)
        editor = open_editor(ws.production_view)  # the open one (a closed one may await deletion)
        assert editor is not None and editor.text() == "400"
        assert ws.doc.line(panels).quantity == 392 and stored_quantity(window, panels) == 392
        window.stop_sharing()
        assert [p.user_name for p in presence.others(db, None)] == ["Sam"]  # not even a presence record
    finally:
        window.close()
        db.close()
        alone.close()
