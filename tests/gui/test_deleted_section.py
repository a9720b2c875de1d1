"""A section another user deleted while this window still shows it (issue 9, item 1): a change,
a new line or a move into it asks "restore it with your line, or discard your line", and a
section delete that meets a line the user never saw asks before taking it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from app.services.estimate.document import EstimateDocument
from app.services.storage.database import open_database
from tests.gui.helpers import cell, click_row, line_id, type_into_cell, workspace

pytestmark = pytest.mark.gui

TRUCK = "Truck, round trip, RoadRunner Freight"


def as_another_user(win, work) -> None:  # type: ignore[no-untyped-def]
    """Another Tandem (its own connection and document) does ``work(doc, logistics_id or None)``."""
    ws = workspace(win)
    other_db = open_database(ws.doc.db.path)
    try:
        other = EstimateDocument(other_db, ws.doc.estimate_id)
        work(other, next((s.id for s in other.sections if s.name == "Logistics"), None))
    finally:
        other_db.close()


def stored(win) -> EstimateDocument:  # type: ignore[no-untyped-def]
    ws = workspace(win)
    return EstimateDocument(ws.doc.db, ws.doc.estimate_id)


def section_names(doc: EstimateDocument) -> list[str]:
    return [s.name for s in doc.sections]


@pytest.mark.parametrize("choice", ["restore", "discard"])
def test_a_change_into_a_section_deleted_elsewhere_asks_to_restore_it_or_discard(  # type: ignore[no-untyped-def]
    qtbot, window, dialogs, choice
) -> None:
    ws = workspace(window)
    truck = line_id(window, TRUCK)
    before = ws.doc.line(truck).quantity
    as_another_user(window, lambda doc, logistics: doc.delete_section(logistics))
    dialogs.conflict_answer = choice
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "quantity"), "3")

    assert len(dialogs.conflicts) == 1
    view = dialogs.conflicts[0]
    assert view.message == ("“Logistics” was deleted by another user; restore it with your change, "
                            "or discard your change.")
    assert [c for c, _text in view.choices] == ["restore", "discard"]
    if choice == "discard":
        assert "Logistics" not in section_names(ws.doc)
        assert "Logistics" not in section_names(stored(window))
        assert "discarded" in window.statusBar().currentMessage()
        assert ws.editor.undo_stack.count() == 0
        return
    # Restored, with the change: shown and stored, as one undo step.
    assert cell(window, truck, "quantity").data() == "3"
    assert stored(window).line(truck).quantity == 3
    assert ws.editor.undo_stack.count() == 1
    assert ws.editor.undo_stack.undoText() == "Restore “Logistics” with your change"
    ws.editor.undo_stack.undo()  # back to what the other user left: Logistics deleted
    assert "Logistics" not in section_names(ws.doc)
    assert "Logistics" not in section_names(stored(window))
    ws.editor.undo_stack.redo()
    assert stored(window).line(truck).quantity == 3
    assert ws.doc.line(truck).quantity == 3 != before


def test_a_section_restored_elsewhere_while_the_user_decides_is_not_restored_twice(  # type: ignore[no-untyped-def]
    qtbot, window, dialogs, monkeypatch
) -> None:
    ws = workspace(window)
    truck = line_id(window, TRUCK)
    logistics = next(s.id for s in ws.doc.sections if s.name == "Logistics")
    as_another_user(window, lambda doc, section: doc.delete_section(section))

    def meanwhile(_parent, view):  # type: ignore[no-untyped-def]
        # The other user undoes their delete, and the live refresh shows it, while the question is up.
        as_another_user(window, lambda doc, _gone: doc.restore_section(logistics, 3))
        ws.doc.reload()
        dialogs.conflicts.append(view)
        return "restore"

    monkeypatch.setattr(dialogs, "resolve_conflict", meanwhile)
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "quantity"), "3")

    assert len(dialogs.conflicts) == 1
    assert section_names(ws.doc) == section_names(stored(window))
    assert section_names(ws.doc).count("Logistics") == 1
    assert stored(window).line(truck).quantity == 3
    assert ws.editor.undo_stack.undoText() == "Edit quantity"  # only the change: the section was back


def test_a_new_line_into_a_section_deleted_elsewhere_comes_back_with_it(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truck = line_id(window, TRUCK)
    as_another_user(window, lambda doc, logistics: doc.delete_section(logistics))
    click_row(qtbot, ws.production_view, cell(window, truck, "description"))
    dialogs.conflict_answer = "restore"
    window.edit_actions.add_line_action.trigger()

    assert dialogs.conflicts[0].message.startswith("“Logistics” was deleted by another user; restore it "
                                                   "with your line")
    again = stored(window)
    logistics = again.sections[section_names(again).index("Logistics")]
    assert [line.description for line in logistics.lines] == [TRUCK, "New line"]
    new = logistics.lines[1].id
    assert ws.current_id() == new  # the new line is selected, as after any add
    ws.editor.undo_stack.undo()
    assert "Logistics" not in section_names(stored(window))


def test_a_line_moved_into_a_section_deleted_elsewhere_can_be_discarded(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    pm = line_id(window, "Project management")
    as_another_user(window, lambda doc, logistics: doc.delete_section(logistics))
    click_row(qtbot, ws.production_view, cell(window, pm, "description"))
    dialogs.conflict_answer = "discard"
    window.edit_actions.nudge(-1)  # up, across into Logistics (the section above)

    assert dialogs.conflicts[0].message.endswith("restore it with your move, or discard your move.")
    again = stored(window)
    assert section_names(again) == ["LED screen", "Rigging", "Labour", "Management"]
    assert [line.id for line in again.sections[-1].lines] == [pm]  # where it was


@pytest.mark.parametrize("choice", ["keep", "delete"])
def test_deleting_a_section_that_gained_a_line_elsewhere_asks_first(  # type: ignore[no-untyped-def]
    qtbot, window, dialogs, choice
) -> None:
    ws = workspace(window)
    logistics = next(s.id for s in ws.doc.sections if s.name == "Logistics")
    as_another_user(window, lambda doc, section: doc.add_line(section, 1, {"description": "Forklift",
                                                                           "quantity": Decimal(2)}))
    click_row(qtbot, ws.production_view, ws.production_pane.model.index_for_id(logistics))
    dialogs.conflict_answer = choice
    window.edit_actions.delete_action.trigger()  # "Delete Logistics and its 1 line?" — yes

    view = dialogs.conflicts[0]
    assert view.message == ("Another user added or changed 1 line in “Logistics” since you opened it; "
                            "nothing was deleted. Now shown: “Forklift”. Delete “Logistics” with it, "
                            "or keep it?")
    shown = [line.description for line in ws.doc.lines()]
    if choice == "keep":
        assert shown[-3:] == [TRUCK, "Forklift", "Project management"]
        assert "Logistics" in section_names(stored(window))
        assert ws.editor.undo_stack.count() == 0
        return
    assert "Forklift" not in shown and "Logistics" not in section_names(stored(window))
    ws.editor.undo_stack.undo()
    again = stored(window)
    logistics_lines = again.sections[section_names(again).index("Logistics")].lines
    assert [line.description for line in logistics_lines] == [TRUCK, "Forklift"]


@pytest.mark.parametrize(("press", "expected"), [("Discard your line", "discard"), ("Escape", "restore")])
def test_the_real_dialog_offers_the_view_s_own_choices(qtbot, press, expected) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.ui.dialogs import UserDialogs
    from app.ui.estimate.editor import ConflictView

    view = ConflictView("Section “Logistics”", [], True,
                        message="“Logistics” was deleted by another user; restore it with your line, "
                                "or discard your line.",
                        choices=(("restore", "Restore “Logistics” with your line"),
                                 ("discard", "Discard your line")),
                        default="restore")
    seen: list[Any] = []

    def answer() -> None:  # no assert in here: a failure would leave the dialog open
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # not up yet: look again once it is
            QTimer.singleShot(10, answer)
            return
        seen.extend([box.text(), sorted(b.text() for b in box.buttons()), box.defaultButton().text()])
        if press == "Escape":
            qtbot.keyClick(box, Qt.Key.Key_Escape)
        else:
            next(b for b in box.buttons() if b.text() == press).click()

    QTimer.singleShot(0, answer)
    assert UserDialogs().resolve_conflict(None, view) == expected
    assert seen == [view.message, ["Discard your line", "Restore “Logistics” with your line"],
                    "Restore “Logistics” with your line"]
