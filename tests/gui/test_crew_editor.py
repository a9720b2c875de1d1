"""Edit → Crew members…: people, roles and own rates, days off — saved at once, each step undoable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt

from app.services.crew import people as crew
from tests.gui.helpers import finish_typing, start_typing, still_typing, tab_to_next_cell, type_into_cell

pytestmark = pytest.mark.gui


def open_editor(window):  # type: ignore[no-untyped-def]
    window.editor_actions.crew_editor_action.trigger()
    editor = window.editor_actions.crew_editor
    assert editor is not None and editor.isVisible()
    return editor


def row_of(editor, name: str) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, m in enumerate(editor.model.rows) if m.name == name)


def stored(editor, name: str):  # type: ignore[no-untyped-def]
    return next(m for m in crew.load_crew(editor.db).values() if m.name == name)


def undo(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)


def test_edit_a_member_and_undo(qtbot, window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(window)
    qtmodeltester.check(editor.model, force_py=False)
    first = editor.model.rows[0]
    row = row_of(editor, first.name)
    type_into_cell(qtbot, editor.table, editor.model.index(row, 2), "38")
    assert stored(editor, first.name).max_weekly_hours == Decimal(38)
    type_into_cell(qtbot, editor.table, editor.model.index(row_of(editor, first.name), 2), "lots")
    assert "Maximum weekly hours must be a number" in editor.message.text()
    assert stored(editor, first.name).max_weekly_hours == Decimal(38)
    undo(qtbot, editor)
    assert stored(editor, first.name).max_weekly_hours == first.max_weekly_hours


def test_add_give_a_role_and_a_day_off_then_delete_and_undo(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(window)
    count = len(editor.model.rows)
    dialogs.answers.append("Zoe Tran")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(editor.model.rows) == count + 1)
    assert editor.current().name == "Zoe Tran"
    rigger = next(r for r in range(editor.roles.rowCount()) if editor.roles.item(r, 1).text() == "Rigger")
    editor.roles.item(rigger, 0).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: "Rigger" in editor.model.index(row_of(editor, "Zoe Tran"), 3).data())
    zoe = stored(editor, "Zoe Tran")
    assert [editor.role_names[r] for r in zoe.role_ids] == ["Rigger"]
    editor.roles.item(rigger, 2).setText("70")  # saved at once
    zoe = stored(editor, "Zoe Tran")
    assert list(zoe.cost_rate_overrides.values()) == [Decimal("70.00")]
    editor.day_edit.setDate(QDate(2027, 3, 9))
    qtbot.mouseClick(editor.add_day_button, Qt.MouseButton.LeftButton)
    assert stored(editor, "Zoe Tran").unavailable == frozenset({date(2027, 3, 9)})
    qtbot.waitUntil(lambda: editor.days_off.count() == 1)
    undo(qtbot, editor)
    assert stored(editor, "Zoe Tran").unavailable == frozenset()
    qtbot.waitUntil(lambda: editor.days_off.count() == 0)
    dialogs.confirm_answer = True
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert "Zoe Tran" not in {m.name for m in crew.load_crew(editor.db).values()}
    undo(qtbot, editor)
    assert stored(editor, "Zoe Tran").role_ids  # back, with her role
    qtbot.waitUntil(lambda: "Zoe Tran" in {m.name for m in editor.model.rows})
    editor.close()


def test_a_cell_typed_while_the_first_save_rebuilds_the_table_is_kept(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Tab saves the kind and opens the hours; the table's rebuild after that save waits for them."""
    editor = open_editor(window)
    member = next(m for m in editor.model.rows if m.kind.value != "union")
    row = row_of(editor, member.name)
    with qtbot.waitSignal(editor.crewChanged):  # leaving the block lets the first save's follow-up run
        kind = start_typing(qtbot, editor.table, editor.model.index(row, 1), "union")
        hours = tab_to_next_cell(qtbot, editor.table, kind, "39")
    assert stored(editor, member.name).kind.value == "union"
    assert still_typing(editor.table, hours, "39")
    finish_typing(qtbot, editor.table, hours)
    assert stored(editor, member.name).max_weekly_hours == Decimal(39)
    qtbot.waitUntil(lambda: editor.model.index(row_of(editor, member.name), 2).data() == "39")
    assert editor.model.index(row_of(editor, member.name), 1).data() == "union"
    editor.close()


def test_an_own_rate_typed_while_the_roles_reload_after_a_tick_is_kept(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(window)
    member = editor.current()
    role_row = next(r for r in range(editor.roles.rowCount())
                    if editor.roles.item(r, 0).checkState() == Qt.CheckState.Unchecked)
    role_name = editor.roles.item(role_row, 1).text()
    with qtbot.waitSignal(editor.crewChanged):
        editor.roles.item(role_row, 0).setCheckState(Qt.CheckState.Checked)  # saved at once
        rate = start_typing(qtbot, editor.roles, editor.roles.model().index(role_row, 2), "72")
    assert still_typing(editor.roles, rate, "72")
    finish_typing(qtbot, editor.roles, rate)
    fresh = crew.load_crew(editor.db)[member.id]
    role_id = next(r for r, name in editor.role_names.items() if name == role_name)
    assert role_id in fresh.role_ids and fresh.cost_rate_overrides[role_id] == Decimal(72)
    undo(qtbot, editor)  # the rate only: the tick stays, as it was before the rate was typed
    fresh = crew.load_crew(editor.db)[member.id]
    assert role_id in fresh.role_ids and role_id not in fresh.cost_rate_overrides
    editor.close()
