"""Changes committed by others appear in the open panes; who else is here shows in the status bar."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from app.services.estimate.document import EstimateDocument
from app.services.storage import presence
from app.services.storage.database import open_database
from tests.damage import failing_reads
from tests.gui.helpers import cell, line_id, workspace

pytestmark = pytest.mark.gui


def other_session_edits(win, description: str, column: str, value: str) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(win)
    other_db = open_database(ws.doc.db.path)
    try:
        other = EstimateDocument(other_db, ws.doc.estimate_id)
        target = next(line for line in other.lines() if line.description == description)
        other.set_line_fields(target.id, other.parse_line_edit(target.id, column, value))
    finally:
        other_db.close()


def test_others_changes_appear_within_a_poll(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    riggers = line_id(window, "Riggers, strike")
    ws.focus_row(riggers)
    other_session_edits(window, "500 mm LED panels, owned", "quantity", "400")
    window.sharing.poll()
    # 8 more panels × 4 days × $35 = $1,120.00 more, in both panes, without any action here.
    qtbot.waitUntil(lambda: ws.client_pane.total.text() == "$96,700.00", timeout=5000)
    assert ws.production_pane.total_cost.text() == "$55,620.00"
    assert ws.current_id() == riggers  # the user's place is kept
    assert "changes saved by others" in window.statusBar().currentMessage()


def test_own_edits_do_not_trigger_a_reload(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    reloads = []
    ws.doc.subscribe(lambda change: reloads.append(change) if change.kind.value == "reset" else None)
    ws.editor.edit_line(line_id(window, "Stagehands, strike"), "quantity", "9")
    with qtbot.waitSignal(window.sharing.peersChanged, timeout=5000):
        window.sharing.poll()
    assert reloads == []


def test_refresh_waits_while_a_cell_is_being_edited(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    view = ws.production_view
    truck = line_id(window, "Truck, round trip, RoadRunner Freight")
    view.setCurrentIndex(cell(window, truck, "quantity"))
    view.edit(cell(window, truck, "quantity"))
    editor = view.viewport().findChild(QLineEdit)
    editor.setText("3")
    other_session_edits(window, "Project management", "quantity", "40")
    window.sharing.poll()
    qtbot.waitUntil(lambda: window.live_refresh.pending, timeout=5000)
    assert view.state() == QAbstractItemView.State.EditingState
    assert editor.text() == "3"  # nothing the user typed was thrown away
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.live_refresh.pending, timeout=5000)
    # Both survive: the user's truck edit and the other session's 40 h of management.
    assert ws.doc.line(truck).quantity == 3
    assert ws.doc.line(line_id(window, "Project management")).quantity == 40


def test_status_bar_says_who_else_has_the_file_open(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    other_db = open_database(workspace(window).doc.db.path)
    try:
        sam = presence.register(other_db, "Sam")
        window.sharing.poll()
        qtbot.waitUntil(lambda: window.presence_label.text().startswith("Also open by Sam"), timeout=5000)
        assert f"on {socket.gethostname()} since " in window.presence_label.text()
        presence.unregister(other_db, sam)
        window.sharing.poll()
        qtbot.waitUntil(lambda: window.presence_label.text() == "", timeout=5000)
    finally:
        other_db.close()


def test_refresh_waits_while_a_parameter_is_being_edited(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    view = ws.production_pane.parameters.view
    index = view.model().index(3, 1)  # rental_days' value
    assert index.siblingAtColumn(0).data() == "rental_days"
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.viewport().findChild(QLineEdit)
    editor.setText("5")
    other_session_edits(window, "Project management", "quantity", "40")
    window.sharing.poll()
    qtbot.waitUntil(lambda: window.live_refresh.pending, timeout=5000)
    assert view.state() == QAbstractItemView.State.EditingState and editor.text() == "5"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.live_refresh.pending, timeout=5000)
    assert ws.doc.values["rental_days"] == 5  # the user's edit
    assert ws.doc.line(line_id(window, "Project management")).quantity == 40  # and theirs


def test_a_reload_that_hits_a_disk_io_error_says_so_and_tries_again(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    # Before: the StorageError escaped refresh_from_database (a traceback in the Qt event loop).
    ws = workspace(window)
    shown_estimates = window.navigator.first_estimate_ids()
    assert shown_estimates
    other_session_edits(window, "500 mm LED panels, owned", "quantity", "400")
    # The poll reads the change counter and the presence records; every other read fails.
    def reload_query(sql: str) -> bool:
        return sql.startswith("SELECT") and "changecounter" not in sql and "presence" not in sql

    with failing_reads(ws.doc.db, when=reload_query) as failed:
        window.sharing.poll()
        status = window.statusBar()
        qtbot.waitUntil(lambda: "Could not show others'" in status.currentMessage(), timeout=5000)
    assert failed
    assert "disk I/O error" in window.statusBar().currentMessage()
    assert ws.client_pane.total.text() == "$95,580.00"  # what was shown stays shown
    assert window.navigator.first_estimate_ids() == shown_estimates
    # The share is back: the next poll reloads, though the counter has not moved since.
    window.sharing.poll()
    qtbot.waitUntil(lambda: ws.client_pane.total.text() == "$96,700.00", timeout=5000)
    assert "changes saved by others" in window.statusBar().currentMessage()


def test_a_poll_that_hits_a_disk_io_error_says_so_and_polls_on(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    with failing_reads(ws.doc.db), qtbot.waitSignal(window.sharing.problem, timeout=5000) as problem:
        window.sharing.poll()
    assert "disk I/O error" in problem.args[0]
    other_session_edits(window, "500 mm LED panels, owned", "quantity", "400")
    window.sharing.poll()
    qtbot.waitUntil(lambda: ws.client_pane.total.text() == "$96,700.00", timeout=5000)
