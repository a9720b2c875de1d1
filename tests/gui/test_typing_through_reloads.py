"""A cell being typed into survives every reload that follows a save: its own view's, a reprice, others'.

Each test opens an editor and types, then makes the save whose follow-up rebuilds the
view happen, and only then presses Enter: the typed value must be saved, and no Qt
warning ("commitData called with an editor that does not belong to this view") given.
The dialogs' own tables are covered in test_crew_editor.py and test_roles_editor.py.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QAbstractItemView

from app.services import directory, master_data
from app.services.labour.rules import RULE_FIELDS, RULE_SETS
from app.services.storage import database as storage
from tests.gui.helpers import (
    cell,
    finish_typing,
    line_id,
    open_editor,
    start_typing,
    still_typing,
    tab_to_next_cell,
    workspace,
)
from tests.gui.test_live_refresh import other_session_edits

pytestmark = pytest.mark.gui
COLUMN = {f.key: i for i, f in enumerate(RULE_FIELDS)}
TRUCK = "Truck, round trip, RoadRunner Freight"
PROCESSORS = "LED processors, sub-rented from Brightline"


def _labour_rules(qtbot, window):  # type: ignore[no-untyped-def]
    window.editor_actions.labour_rules_action.trigger()
    dialog = window.editor_actions.master_editors["labour_rules"]
    qtbot.waitUntil(dialog.isVisible)
    row = next(i for i, r in enumerate(dialog.model.rows) if r.values["name"] == "LVCC stagehands")
    return dialog, row


def _overtime_after(window) -> Decimal:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    rules = ws.doc.rules_for(ws.doc.line(line_id(window, TRUCK)))
    assert rules is not None
    return rules.overtime_after_hours


def _production(window):  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truck = line_id(window, TRUCK)
    return ws.production_view, cell(window, truck, "quantity"), "3", lambda: ws.doc.line(truck).quantity == 3


def _parameters(window):  # type: ignore[no-untyped-def]
    ws = workspace(window)
    view = ws.production_pane.parameters.view
    index = view.model().index(3, 1)
    assert index.siblingAtColumn(0).data() == "rental_days"
    return view, index, "5", lambda: ws.doc.values["rental_days"] == 5


def _client(window):  # type: ignore[no-untyped-def]
    ws = workspace(window)
    processors = line_id(window, PROCESSORS)
    return (
        ws.client_view,
        ws.client_pane.model.index_for_id(processors),
        "Media servers",
        lambda: ws.doc.line(processors).client_description == "Media servers",
    )


@pytest.mark.parametrize(
    "pane", [_production, _parameters, _client], ids=["production", "parameters", "client"]
)
def test_a_cell_typed_while_a_labour_rule_save_reprices_the_estimate_is_kept(  # type: ignore[no-untyped-def]
    qtbot, window, pane
) -> None:
    dialog, row = _labour_rules(qtbot, window)
    view, index, text, saved = pane(window)
    editor = start_typing(qtbot, view, index, text)
    # The rule saved (as its own cell editor would) while this cell is open: the estimate
    # reprices, which reloads it — not under the open editor.
    assert dialog.model.setData(dialog.model.index(row, COLUMN["overtime_after_hours"]), "10")
    assert still_typing(view, editor, text)
    finish_typing(qtbot, view, editor)
    assert saved()
    qtbot.waitUntil(lambda: _overtime_after(window) == 10)  # and the reprice came after
    assert not window.reprice.pending
    dialog.close()


def test_a_labour_rule_typed_after_tab_is_saved_too(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The labour rules table changes rows in place after a save: the next cell's editor stays."""
    dialog, row = _labour_rules(qtbot, window)
    model = dialog.model
    first = start_typing(qtbot, dialog.table, model.index(row, COLUMN["overtime_after_hours"]), "10")
    second = tab_to_next_cell(qtbot, dialog.table, first, "1.75")
    qtbot.waitUntil(lambda: _overtime_after(window) == 10)  # the estimate reprices after the save
    assert still_typing(dialog.table, second, "1.75")
    finish_typing(qtbot, dialog.table, second)
    stored = master_data.load_one(workspace(window).doc.db, RULE_SETS, model.rows[row].id)
    assert (stored.values["overtime_after_hours"], stored.values["overtime_multiplier"]) == (
        10,
        Decimal("1.75"),
    )
    dialog.close()


def test_a_name_typed_in_the_navigator_survives_others_changes(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    navigator = window.navigator
    project = navigator.current_of("project")
    assert project is not None
    assert navigator.select(project)
    editor = start_typing(qtbot, navigator.view, navigator.view.currentIndex(), "Booth, CES 2028")
    other_session_edits(window, "500 mm LED panels, owned", "quantity", "400")
    window.sharing.poll()
    qtbot.waitUntil(lambda: ws.client_pane.total.text() == "$96,700.00", timeout=5000)  # theirs, shown
    assert still_typing(navigator.view, editor, "Booth, CES 2028")
    finish_typing(qtbot, navigator.view, editor)
    names = {p.name for c in directory.load_directory(window.db) for p in c.projects}
    assert "Booth, CES 2028" in names
    qtbot.waitUntil(lambda: not navigator.reloader.pending)
    assert navigator.select(project) and navigator.view.currentIndex().data() == "Booth, CES 2028"


def test_input_a_busy_file_kept_reopens_on_its_line_after_a_reload(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The save is refused as busy and the text kept for a retry; a reload before the editor
    reopens (others' changes arriving) leaves no row number valid: the line is found by id."""
    ws = workspace(window)
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 200)
    ws.doc.db.engine.dispose()  # new connections take the short timeout
    panels = line_id(window, "500 mm LED panels, owned")
    holder = sqlite3.connect(ws.doc.db.path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        assert not ws.production_pane.model.setData(
            cell(window, panels, "quantity"), "400"
        )  # what Enter does
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    window.refresh_from_database()  # no cell is being edited: the estimate reloads now
    qtbot.waitUntil(lambda: ws.production_view.state() == QAbstractItemView.State.EditingState)
    editor = open_editor(ws.production_view)
    assert editor.text() == "400"
    assert ws.production_view.currentIndex() == cell(window, panels, "quantity")
    finish_typing(qtbot, ws.production_view, editor)
    assert ws.doc.line(panels).quantity == 400
