"""Search everything (Ctrl+Shift+F) in the real window: type, the grouped list, Enter opens."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.ui.estimate.production_columns import ROW_ID_ROLE
from app.ui.main_window import MainWindow
from app.ui.search.box import HIT_ROLE
from tests.gui.helpers import line_id, workspace

pytestmark = pytest.mark.gui
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _shown(window: MainWindow) -> list[tuple[str, list[str]]]:
    """The popup as read: each group's heading and its rows (title · detail)."""
    tree = window.desk.search.box.popup.tree
    groups = [tree.topLevelItem(g) for g in range(tree.topLevelItemCount())]
    return [
        (
            group.text(0),
            [
                " · ".join(filter(None, (row.text(0), row.text(1))))
                for row in (group.child(i) for i in range(group.childCount()))
            ],
        )
        for group in groups
    ]


def _typed(qtbot: Any, box: Any, text: str) -> None:
    """Type ``text`` and wait for the search once the typing pauses."""
    box.clear()
    qtbot.keyClicks(box, text)
    qtbot.waitUntil(lambda: box.popup.isVisible() and not box.pause.isActive())


def test_type_in_the_box_and_enter_opens_what_is_found(qtbot: Any, window: MainWindow) -> None:
    box = window.desk.search.box
    (edit,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Edit"]
    entries = [a.objectName() for a in edit.actions()]
    assert entries[entries.index("actionFindPrevious") + 1] == "actionSearchEverything"
    searched: list[str] = []
    search = box.search
    box.search = lambda text: searched.append(text) or search(text)
    window.navigator_dock.hide()  # closed: Ctrl+Shift+F brings it back with the box in it
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL_SHIFT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box)
    assert window.navigator_dock.isVisible()

    qtbot.keyClicks(box, "moving wa")  # a line of another estimate: Enter opens it there, selected
    assert not box.popup.isVisible() and box.pause.isActive()  # searched once the typing pauses
    qtbot.waitUntil(box.popup.isVisible)
    assert searched == ["moving wa"]  # one search for the word typed, not one a letter
    (lines,) = _shown(window)
    assert lines[0] == "Lines" and sorted(lines[1]) == [
        "Moving head wash · Gala AV · Spring Gala 2027",
        "Moving head wash · Keynote package · Orbital Summit keynote",
    ]
    if "Gala AV" not in box.popup.current_hit().detail:  # as good a match as the other: either first
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.popup.current_hit().detail.startswith("Gala AV")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    ws = workspace(window)
    assert ws.doc.header.name == "Gala AV"
    current = ws.production_view.currentIndex().siblingAtColumn(0).data(ROW_ID_ROLE)
    assert uuid.UUID(current) == line_id(window, "Moving head wash")
    assert not box.popup.isVisible()

    _typed(qtbot, box, "orbital")  # by kind: the client, its contact (by email), its projects
    assert _shown(window) == [
        ("Clients", ["Orbital Software"]),
        ("Contacts", ["Marco Ruiz · Orbital Software · mruiz@orbital.example"]),
        (
            "Projects",
            [
                "Orbital partner summit · Orbital Software · Wynn Las Vegas",
                "Orbital Summit keynote · Orbital Software · Moscone West, San Francisco",
            ],
        ),
    ]
    qtbot.keyClick(box, Qt.Key.Key_Down)  # ↓ from the first hit, past the group's heading
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.popup.current_hit().title == "Orbital partner summit"
    qtbot.keyClick(box, Qt.Key.Key_Return)  # a project: its dialog
    qtbot.waitUntil(lambda: len(window.project_actions.open_dialogs()) == 1)
    (project,) = window.project_actions.open_dialogs()
    assert type(project).__name__ == "ProjectDialog" and project.project_id == box.popup.current_hit().id
    project.close()

    box.clear()
    qtbot.keyClicks(box, "keynote pack")  # an estimate: Enter at once searches what was typed and opens
    qtbot.keyClick(box, Qt.Key.Key_Enter)
    assert searched[-1] == "keynote pack"
    assert _shown(window) == [("Estimates", ["Keynote package · Orbital Summit keynote"])]
    assert workspace(window).doc.header.name == "Keynote package"

    _typed(qtbot, box, "harbor")  # a client: its dialog, by double click
    tree = box.popup.tree
    item = tree.topLevelItem(0).child(0)
    assert item.data(0, HIT_ROLE).kind == "client"
    tree.itemDoubleClicked.emit(item, 0)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.project_actions.open_dialogs()))
    assert [type(d).__name__ for d in window.project_actions.open_dialogs()] == ["ClientDialog"]

    _typed(qtbot, box, "zzqx")
    assert _shown(window) == [] and box.popup.note.text() == "Nothing matches “zzqx”."
