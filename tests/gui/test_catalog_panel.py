"""The catalog panel from the keyboard: Enter adds, focus returns to the estimate, A→Z, a fresh search.

Issue 12: Enter in the search box or on a row did nothing (only double-click and Add), focus stayed
in the list after an add, reopening kept the old search text and the list sorted Z→A.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.ui.estimate.catalog_panel import ENTRY_ROLE
from app.ui.main_window import MainWindow
from tests.gui.helpers import cell, click_row, line_id, workspace

pytestmark = pytest.mark.gui


def shown_names(window: MainWindow) -> list[str]:
    proxy = window.catalog.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def open_catalog(qtbot: Any, window: MainWindow) -> None:
    """Edit › Add from catalog…, from a line of the estimate: the search box takes the typing."""
    ws = workspace(window)
    click_row(qtbot, ws.production_view, cell(window, line_id(window, "Stagehands, strike"), "description"))
    window.edit_actions.catalog_action.trigger()
    qtbot.waitUntil(lambda: window.focusWidget() is window.catalog.filter)


def descriptions(window: MainWindow) -> list[str]:
    return [line.description for line in workspace(window).doc.sections[2].lines]


def test_the_catalog_lists_its_items_a_to_z(qtbot: Any, window: MainWindow, qtmodeltester: Any) -> None:
    open_catalog(qtbot, window)
    names = shown_names(window)
    assert len(names) > 3 and names == sorted(names, key=str.casefold)
    qtmodeltester.check(window.catalog.model)


def test_enter_in_the_search_adds_its_match_and_the_estimate_has_the_focus_again(
    qtbot: Any, window: MainWindow
) -> None:
    ws = workspace(window)
    open_catalog(qtbot, window)
    qtbot.keyClicks(window.catalog.filter, "rigger")
    assert shown_names(window) == ["Rigger"]
    qtbot.keyClick(window.catalog.filter, Qt.Key.Key_Return)
    assert descriptions(window)[:3] == ["Stagehands, load-in", "Stagehands, strike", "Rigger"]
    added = ws.doc.sections[2].lines[2]
    assert ws.current_id() == added.id
    qtbot.waitUntil(lambda: window.focusWidget() is ws.production_view)


def test_down_in_the_search_and_enter_on_a_row_add_that_row(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    panel = window.catalog
    open_catalog(qtbot, window)
    qtbot.keyClicks(panel.filter, "a")
    matches = shown_names(window)
    assert len(matches) >= 3
    assert panel.view.currentIndex().row() == 0  # typing picks the first match
    qtbot.keyClick(panel.filter, Qt.Key.Key_Down)
    qtbot.keyClick(panel.filter, Qt.Key.Key_Return)  # the second match
    count = len(list(ws.doc.lines()))
    assert ws.doc.line(ws.current_id()).catalog_item_id == panel.proxy.index(1, 0).data(ENTRY_ROLE).id

    window.edit_actions.catalog_action.trigger()
    qtbot.keyClicks(panel.filter, "a")
    panel.view.setFocus()  # Tab or a click into the list; then the keys of the list
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    assert panel.view.currentIndex().row() == 2
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert len(list(ws.doc.lines())) == count + 1
    assert ws.doc.line(ws.current_id()).catalog_item_id == panel.proxy.index(2, 0).data(ENTRY_ROLE).id
    qtbot.waitUntil(lambda: window.focusWidget() is ws.production_view)


def test_a_double_click_adds_one_line(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    panel = window.catalog
    open_catalog(qtbot, window)
    qtbot.keyClicks(panel.filter, "rigger")
    count = len(list(ws.doc.lines()))
    index = panel.proxy.index(0, 0)
    point = panel.view.visualRect(index).center()
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert len(list(ws.doc.lines())) == count + 1 and descriptions(window)[2] == "Rigger"


def test_enter_with_nothing_found_adds_nothing(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    open_catalog(qtbot, window)
    count = len(list(ws.doc.lines()))
    qtbot.keyClicks(window.catalog.filter, "no such thing")
    assert shown_names(window) == []
    qtbot.keyClick(window.catalog.filter, Qt.Key.Key_Return)
    assert len(list(ws.doc.lines())) == count


@pytest.mark.parametrize("reopen", ["edit menu", "view menu"])
def test_reopening_the_catalog_starts_a_new_search(qtbot: Any, window: MainWindow, reopen: str) -> None:
    panel = window.catalog
    open_catalog(qtbot, window)
    everything = shown_names(window)
    qtbot.keyClicks(panel.filter, "rigger")
    assert shown_names(window) == ["Rigger"]
    window.catalog_dock.close()
    qtbot.waitUntil(lambda: not panel.isVisible())
    if reopen == "edit menu":
        window.edit_actions.catalog_action.trigger()
    else:
        window.catalog_dock.toggleViewAction().trigger()
    qtbot.waitUntil(panel.isVisible)
    assert panel.filter.text() == "" and shown_names(window) == everything
    assert not panel.view.currentIndex().isValid()
    qtbot.keyClick(panel.filter, Qt.Key.Key_Return)  # nothing picked yet: Enter adds nothing
    assert "Rigger" not in descriptions(window)
