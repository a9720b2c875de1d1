"""Edit › Find (Ctrl+F) in the estimate, F3 / Shift+F3: descriptions, client wording, suppliers, roles;
the match selected in both panes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.ui.estimate.production_columns import ROW_ID_ROLE
from app.ui.main_window import MainWindow
from tests.gui.helpers import cell, click_row, line_id, workspace

pytestmark = pytest.mark.gui
SHIFT = Qt.KeyboardModifier.ShiftModifier


def press(qtbot: Any, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, key, modifiers)


def selected(window: MainWindow) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The current row of the production pane and of the client pane."""
    ws = workspace(window)
    client = ws.client_pane.model.id_at(ws.client_view.currentIndex())
    production = ws.production_view.currentIndex().siblingAtColumn(0).data(ROW_ID_ROLE)
    return (uuid.UUID(production) if production else None), client


def test_find_selects_each_match_in_both_panes(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    bar = ws.find_bar
    processors = line_id(window, "LED processors, sub-rented from Brightline")
    click_row(
        qtbot, ws.production_view, cell(window, line_id(window, "500 mm LED panels, owned"), "description")
    )
    assert not bar.isVisible()
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.isVisible() and QApplication.focusWidget() is bar.edit
    qtbot.keyClicks(bar.edit, "video rentals")  # the processors' supplier, Brightline Video Rentals
    assert selected(window) == (processors, processors)
    assert bar.count.text() == "1 of 1"

    bar.edit.selectAll()
    qtbot.keyClicks(bar.edit, "dismantle")  # client wording: a section's and two lines'
    labour = ws.doc.sections[2].id
    strike = [line_id(window, "Stagehands, strike"), line_id(window, "Riggers, strike")]
    assert selected(window) == (labour, labour) and bar.count.text() == "1 of 3"
    press(qtbot, Qt.Key.Key_F3)
    assert selected(window) == (strike[0], strike[0]) and bar.count.text() == "2 of 3"
    press(qtbot, Qt.Key.Key_Return)  # Enter in the box: the next as well
    assert selected(window) == (strike[1], strike[1])
    press(qtbot, Qt.Key.Key_F3)  # round to the first
    assert selected(window) == (labour, labour)
    press(qtbot, Qt.Key.Key_F3, SHIFT)
    assert selected(window) == (strike[1], strike[1]) and bar.count.text() == "3 of 3"

    press(qtbot, Qt.Key.Key_Escape)  # the bar closes, the breakdown has the keys again
    assert not bar.isVisible() and QApplication.focusWidget() is ws.production_view
    press(qtbot, Qt.Key.Key_F3)  # F3 still finds the last words, from the breakdown
    assert selected(window) == (labour, labour)

    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.edit.selectedText() == "dismantle"  # to type over
    qtbot.keyClicks(bar.edit, "no such words")
    assert bar.count.text() == "No match" and selected(window) == (labour, labour)


def test_find_is_in_the_edit_menu_and_waits_for_an_estimate(qtbot: Any, window: MainWindow) -> None:
    actions = window.find_actions
    assert [a.shortcut().toString() for a in actions.actions if a is not None] == ["Ctrl+F", "F3", "Shift+F3"]
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert actions.find_action in edit_menu.actions()
    window.close_estimate()
    window.update_actions()
    assert not actions.find_action.isEnabled() and not actions.next_action.isEnabled()
