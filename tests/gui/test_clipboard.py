"""Cut, copy, paste and duplicate of lines, and the right-click menus, driven like a user: real key
presses and clicks, the system clipboard (QApplication.clipboard()), undo."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QMenu

from app.services import directory
from app.services.estimate.document import LINE_COLUMNS, EstimateDocument
from app.services.excel.clipboard import MIME_TYPE
from app.services.storage.database import Database
from app.ui.main_window import MainWindow
from tests.crew_scene import build_crew_scene
from tests.gui.conftest import FakeDialogs, shown_window
from tests.gui.helpers import cell, click_row, line_id, workspace
from tests.gui.test_project_dialogs import navigator_index

# A popup menu on the offscreen platform: it cannot raise a window or grab the keyboard (harmless).
POPUP_WARNINGS = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)
pytestmark = [pytest.mark.gui, POPUP_WARNINGS]
D = Decimal
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
SHEET = (
    "Item\tQty\tDays\tRate\tVendor\n"
    "Wireless mic kit\t6\t3\t$85.00\tSkyPoint Rigging\n"
    "Lectern\tabc\t1\t40\t\n"
    "Confidence monitor\t2\t3\t1,250.50\t\n"
)


def columns(doc: EstimateDocument, row_id: uuid.UUID) -> dict[str, Any]:
    line = doc.line(row_id)
    return {name: getattr(line, name) for name in LINE_COLUMNS}


def stored(win: MainWindow) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every section and line as a fresh load from the database sees them."""
    doc = EstimateDocument(workspace(win).doc.db, workspace(win).doc.estimate_id)
    return [(s.name, [{k: getattr(line, k) for k in LINE_COLUMNS} for line in s.lines]) for s in doc.sections]


def descriptions(win: MainWindow, section: int) -> list[str]:
    return [line.description for line in workspace(win).doc.sections[section].lines]


def select_lines(qtbot: Any, win: MainWindow, *names: str) -> None:
    """Click the first line, Ctrl+click the others."""
    view = workspace(win).production_view
    view.setFocus()
    for n, name in enumerate(names):
        index = cell(win, line_id(win, name), "description")
        view.scrollTo(index)
        qtbot.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            CTRL if n else Qt.KeyboardModifier(0),
            view.visualRect(index).center(),
        )


def press(qtbot: Any, win: MainWindow, key: Qt.Key, modifiers: Any = CTRL) -> None:
    qtbot.keyClick(workspace(win).production_view, key, modifiers)


def test_copy_then_paste_round_trips_a_line_exactly_and_undo_takes_it_back(
    qtbot: Any, window: MainWindow
) -> None:
    ws = workspace(window)
    processors = line_id(window, "LED processors, sub-rented from Brightline")  # two formulas, a supplier
    assert ws.doc.line(processors).quantity_formula and ws.doc.line(processors).supplier_id
    select_lines(qtbot, window, "LED processors, sub-rented from Brightline")
    press(qtbot, window, Qt.Key.Key_C)
    mime = QApplication.clipboard().mimeData()
    assert mime.hasFormat(MIME_TYPE)
    text = mime.text().splitlines()
    assert text[0].startswith("Description\tSection\tKind\tQty")
    assert text[1].startswith("LED processors, sub-rented from Brightline\tLED screen\tSub-rental\t")
    before = stored(window)
    select_lines(qtbot, window, "500 mm LED panels, owned")
    press(qtbot, window, Qt.Key.Key_V)
    assert descriptions(window, 0) == [
        "500 mm LED panels, owned",
        "LED processors, sub-rented from Brightline",
        "LED processors, sub-rented from Brightline",
    ]
    pasted = ws.doc.sections[0].lines[1].id
    assert pasted != processors and ws.current_id() == pasted
    assert columns(ws.doc, pasted) == columns(ws.doc, processors)  # formulas, supplier, kind… exactly
    assert stored(window)[0][1][1] == columns(ws.doc, processors)
    assert window.undo_action.text() == "Undo Paste 1 line"
    qtbot.keyClick(ws.production_view, Qt.Key.Key_Z, CTRL)
    assert stored(window) == before
    window.redo_action.trigger()
    assert ws.doc.has_line(pasted) and columns(ws.doc, pasted) == columns(ws.doc, processors)


def test_a_copied_section_pastes_as_a_new_section_after_the_current_one(
    qtbot: Any, window: MainWindow
) -> None:
    ws = workspace(window)
    labour = next(s for s in ws.doc.sections if s.name == "Labour")
    click_row(qtbot, ws.production_view, ws.production_pane.model.index_for_id(labour.id))
    press(qtbot, window, Qt.Key.Key_C)
    press(qtbot, window, Qt.Key.Key_V)
    names = [s.name for s in ws.doc.sections]
    assert names == ["LED screen", "Rigging", "Labour", "Labour", "Logistics", "Management"]
    copy = ws.doc.sections[3]
    assert [columns(ws.doc, line.id) for line in copy.lines] == [
        columns(ws.doc, line.id) for line in labour.lines
    ]
    assert window.undo_action.text() == "Undo Paste 1 section (5 lines)"
    window.undo_action.trigger()
    assert [s.name for s in ws.doc.sections] == ["LED screen", "Rigging", "Labour", "Logistics", "Management"]


def test_spreadsheet_rows_paste_as_lines_and_the_bad_row_is_refused_and_shown(
    qtbot: Any, window: MainWindow, dialogs: FakeDialogs
) -> None:
    ws = workspace(window)
    before = stored(window)
    QApplication.clipboard().setText(SHEET)
    select_lines(qtbot, window, "500 mm LED panels, owned")
    dialogs.confirm_answer = False  # first: told of the bad row, the user says No — nothing is written
    press(qtbot, window, Qt.Key.Key_V)
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("confirm", "Paste")
    assert "row 3: Qty “abc”" in text and "Paste the other 2 lines?" in text
    assert stored(window) == before
    dialogs.confirm_answer = True
    press(qtbot, window, Qt.Key.Key_V)
    assert descriptions(window, 0)[:3] == [
        "500 mm LED panels, owned",
        "Wireless mic kit",
        "Confidence monitor",
    ]
    mic = ws.doc.sections[0].lines[1]
    assert (mic.quantity, mic.days, mic.unit_price) == (D(6), D(3), D(85))
    assert (
        mic.supplier_id is not None and ws.doc.lookups.suppliers[mic.supplier_id].name == "SkyPoint Rigging"
    )
    assert ws.doc.sections[0].lines[2].unit_price == D("1250.50")
    assert "Lectern" not in str(stored(window))
    window.undo_action.trigger()  # both lines in one step
    assert stored(window) == before


def test_rows_a_spreadsheet_cannot_give_are_refused_with_a_message(
    qtbot: Any, window: MainWindow, dialogs: FakeDialogs
) -> None:
    before = stored(window)
    select_lines(qtbot, window, "500 mm LED panels, owned")
    for text, said in (
        ("Wireless mic kit\t6\t3\n", "no header row"),
        ("Item\tQty\nLectern\tabc\n", "None of the pasted rows can be used:\n• row 2: Qty"),
    ):
        QApplication.clipboard().setText(text)
        press(qtbot, window, Qt.Key.Key_V)
        assert dialogs.shown[-1][0] == "error" and said in dialogs.shown[-1][2]
    assert stored(window) == before


def test_duplicate_copies_the_selected_lines_after_the_last_one(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    before = stored(window)
    select_lines(qtbot, window, "Stagehands, load-in", "Riggers, load-in")
    press(qtbot, window, Qt.Key.Key_D, CTRL | SHIFT)
    labour = next(s for s in ws.doc.sections if s.name == "Labour")
    names = [line.description for line in labour.lines]
    assert names == [
        "Stagehands, load-in",
        "Stagehands, strike",
        "Riggers, load-in",
        "Stagehands, load-in",
        "Riggers, load-in",
        "Riggers, strike",
        "LED technicians (staff), show",
    ]
    assert columns(ws.doc, labour.lines[3].id) == columns(ws.doc, labour.lines[0].id)
    assert window.undo_action.text() == "Undo Duplicate 2 lines"
    window.undo_action.trigger()
    assert stored(window) == before


def test_cut_removes_the_lines_undo_brings_them_back_and_paste_puts_them_elsewhere(
    qtbot: Any, window: MainWindow
) -> None:
    ws = workspace(window)
    before = stored(window)
    truck = line_id(window, "Truck, round trip, RoadRunner Freight")
    kept = columns(ws.doc, truck)
    select_lines(qtbot, window, "Truck, round trip, RoadRunner Freight")
    press(qtbot, window, Qt.Key.Key_X)
    assert not ws.doc.has_line(truck)
    assert QApplication.clipboard().mimeData().hasFormat(MIME_TYPE)
    assert window.undo_action.text() == "Undo Cut 1 line"
    qtbot.keyClick(ws.production_view, Qt.Key.Key_Z, CTRL)
    assert stored(window) == before
    press(qtbot, window, Qt.Key.Key_X)
    select_lines(qtbot, window, "500 mm LED panels, owned")
    press(qtbot, window, Qt.Key.Key_V)
    moved = ws.doc.sections[0].lines[1]
    assert moved.description == "Truck, round trip, RoadRunner Freight"
    assert columns(ws.doc, moved.id) == kept


def test_a_paste_that_fails_part_way_writes_nothing(qtbot: Any, window: MainWindow) -> None:
    """Tandem rows whose second line is out of bounds: the first is taken back, the reason shown."""
    before = stored(window)
    select_lines(qtbot, window, "500 mm LED panels, owned")
    press(qtbot, window, Qt.Key.Key_C)
    payload = json.loads(bytes(QApplication.clipboard().mimeData().data(MIME_TYPE).data()))
    good = payload["blocks"][0]["lines"][0]
    payload["blocks"][0]["lines"] = [good, {**good, "quantity": "1000000000000", "quantity_formula": ""}]
    mime = QMimeData()
    mime.setData(MIME_TYPE, json.dumps(payload).encode("utf-8"))
    QApplication.clipboard().setMimeData(mime)
    press(qtbot, window, Qt.Key.Key_V)
    assert "out of range" in window.statusBar().currentMessage()
    assert stored(window) == before
    assert not workspace(window).editor.undo_stack.canUndo()  # nothing to undo: nothing was done


def test_cut_of_a_section_asks_then_undo_brings_it_back(
    qtbot: Any, window: MainWindow, dialogs: FakeDialogs
) -> None:
    ws = workspace(window)
    before = stored(window)
    rigging = next(s for s in ws.doc.sections if s.name == "Rigging")
    click_row(qtbot, ws.production_view, ws.production_pane.model.index_for_id(rigging.id))
    press(qtbot, window, Qt.Key.Key_X)
    assert dialogs.shown[-1][:2] == ("confirm", "Cut section")
    assert "Rigging" not in [s.name for s in ws.doc.sections]
    assert window.undo_action.text() == "Undo Cut section"
    window.undo_action.trigger()
    assert stored(window) == before
    press(qtbot, window, Qt.Key.Key_V)  # the cut section, pasted: a copy after Rigging
    assert [s.name for s in ws.doc.sections][1:3] == ["Rigging", "Rigging"]


def test_the_keys_leave_a_cell_editor_its_own_copy_and_paste(qtbot: Any, window: MainWindow) -> None:
    """Ctrl+C / Ctrl+V inside an open cell are the text's, not the rows'."""
    ws = workspace(window)
    before = stored(window)
    index = cell(window, line_id(window, "500 mm LED panels, owned"), "description")
    ws.production_view.setCurrentIndex(index)
    qtbot.keyClick(ws.production_view, Qt.Key.Key_F2)
    editor = ws.production_view.viewport().findChildren(type(window.navigator.filter))[0]
    QApplication.clipboard().setText("Item\tQty\nMic\t2\n")
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_V, CTRL)
    assert editor.text().startswith("Item")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert stored(window) == before


# -- right-click menus --------------------------------------------------------------------------------


def right_click(qtbot: Any, view: QAbstractScrollArea, pos: QPoint) -> QMenu:
    """A right-click where a user would: the press and release, and the context-menu event the
    system sends with them (QTest's clicks do not make one); the menu it pops up."""
    area = view.viewport()
    qtbot.mouseClick(area, Qt.MouseButton.RightButton, pos=pos)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, area.mapToGlobal(pos))
    QApplication.sendEvent(area, event)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def entries(menu: QMenu) -> list[str]:
    return [a.objectName() for a in menu.actions() if not a.isSeparator()]


def choose(qtbot: Any, menu: QMenu, name: str) -> None:
    action = next(a for a in menu.actions() if a.objectName() == name)
    assert action.isEnabled()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible())


def test_the_panes_menus_offer_the_edit_commands_and_run_them(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    truss = cell(window, line_id(window, "10 ft box truss, owned"), "description")
    ws.production_view.scrollTo(truss)
    menu = right_click(qtbot, ws.production_view, ws.production_view.visualRect(truss).center())
    assert ws.current_id() == line_id(window, "10 ft box truss, owned")  # the right-click selected it
    assert entries(menu) == [
        "actionUndo",
        "actionRedo",
        "actionCut",
        "actionCopy",
        "actionPaste",
        "actionDuplicateLines",
        "actionAddLine",
        "actionAddSection",
        "actionCatalog",
        "actionDeleteRows",
        "actionMoveUp",
        "actionMoveDown",
        "actionChooseAlternative",
        "actionSubRent",
        "actionCompareSupplierQuotes",
        "actionShowKitComponents",
    ]
    shown = [a for a in menu.actions() if not a.isSeparator()]
    assert shown[2] is window.findChild(QAction, "actionCut")  # the window's own actions
    choose(qtbot, menu, "actionDuplicateLines")
    assert descriptions(window, 1) == [
        "Motor points, SkyPoint quote #SP-2291",
        "10 ft box truss, owned",
        "10 ft box truss, owned",
    ]
    client = ws.client_view
    index = ws.client_pane.model.index_for_id(line_id(window, "Truck, round trip, RoadRunner Freight"))
    client.scrollTo(index)
    menu = right_click(qtbot, client, client.visualRect(index).center())
    assert ws.current_id() == line_id(window, "Truck, round trip, RoadRunner Freight")
    assert "actionDeleteRows" in entries(menu)
    choose(qtbot, menu, "actionDeleteRows")
    assert "Truck, round trip, RoadRunner Freight" not in str(stored(window))


def test_the_parameters_menu_adds_and_deletes_parameters(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    view = ws.production_pane.parameters.view
    count = len(ws.doc.parameters)
    menu = right_click(qtbot, view, view.visualRect(view.model().index(0, 0)).center())
    assert entries(menu) == ["actionAddParameter", "actionDeleteParameter", "actionUndo", "actionRedo"]
    choose(qtbot, menu, "actionAddParameter")
    qtbot.waitUntil(lambda: len(ws.doc.parameters) == count + 1)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # the new name's editor
    assert "new_parameter" in [p.name for p in ws.doc.parameters]


def test_the_navigator_menu_offers_what_the_menus_offer_for_the_row(
    qtbot: Any, window: MainWindow, dialogs: FakeDialogs
) -> None:
    view = window.navigator.view
    view.expandAll()
    half = navigator_index(window, "Half booth")
    menu = right_click(qtbot, view, view.visualRect(half).center())
    qtbot.waitUntil(lambda: workspace(window).doc.header.name == "Half booth")  # the click opened it
    assert entries(menu)[:2] == ["actionDuplicateScenario", "actionCompareScenarios"]
    assert "actionDeleteEstimate" in entries(menu) and "actionNewEstimate" in entries(menu)
    dialogs.answers.append("Half booth, smaller screen")
    choose(qtbot, menu, "actionDuplicateScenario")
    qtbot.waitUntil(lambda: workspace(window).doc.header.name == "Half booth, smaller screen")
    view.expandAll()
    project = navigator_index(window, "Half booth").parent()  # the navigator was reloaded: found again
    menu = right_click(qtbot, view, view.visualRect(project).center())
    assert entries(menu)[0] == "actionProjectDetails" and "actionNewProject" in entries(menu)
    assert "actionProjectWon" in entries(menu) or any(
        e.startswith("actionProject") for e in entries(menu)[1:]
    )
    menu.close()


def test_a_calendar_bar_menu_confirms_and_deletes_the_bar(
    qtbot: Any, window: MainWindow, demo_db: Database
) -> None:
    scene = build_crew_scene(demo_db)
    window.show_crew_calendar()
    panel = window.crew_panel
    from tests.crew_scene import LOAD_IN
    from tests.gui.test_crew_calendar import START, centre_of

    panel.load(START)
    panel.set_zoom("week")
    qtbot.waitExposed(panel.view)
    assignment = next(iter(scene.assignments.values()))
    panel.view.scroll_to_day(LOAD_IN)
    point = centre_of(panel.view, assignment)
    menu = right_click(qtbot, panel.view, point)
    assert panel.view.selected == assignment
    assert entries(menu) == ["actionConfirmAssignment", "actionDeleteAssignment"]
    choose(qtbot, menu, "actionDeleteAssignment")
    qtbot.waitUntil(lambda: assignment not in panel.board.assignments)  # type: ignore[union-attr]
    empty = QPoint(panel.view.viewport().width() - 5, panel.view.viewport().height() - 5)
    menu = right_click(qtbot, panel.view, empty)
    assert entries(menu) == ["crewZoomWeek", "crewZoomMonth", "crewToday"]
    menu.close()


# -- from an empty database ------------------------------------------------------------------------------


def test_paste_and_duplicate_from_an_empty_database(
    qtbot: Any, empty_db: Database, dialogs: FakeDialogs, tandem_home: Path
) -> None:
    """A new company's first estimate (one empty section, no parameters, no suppliers): spreadsheet
    rows paste into it; then copy, paste and duplicate work there as on the demo."""
    client = directory.create_client(empty_db, "Maple Health")
    project = directory.create_project(empty_db, client, "Maple Health Summit")
    directory.create_estimate(empty_db, project, "Main room")
    win = shown_window(qtbot, empty_db, dialogs)
    win.activateWindow()  # the window the user works in (its shortcuts act only when it is active)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    ws = workspace(win)
    assert [(s.name, s.lines) for s in ws.doc.sections] == [("General", [])]
    QApplication.clipboard().setText(
        "Description\tQty\tUnit cost\tMarkup %\nPodium\t1\t120\t40\nRiser\t4\t75\t35\n"
    )
    click_row(qtbot, ws.production_view, ws.production_pane.model.index(0, 0))  # the General section
    qtbot.keyClick(ws.production_view, Qt.Key.Key_V, CTRL)
    assert [s.name for s in ws.doc.sections] == ["General"]
    assert descriptions(win, 0) == ["Podium", "Riser"]
    assert ws.doc.sections[0].lines[0].price.price == D(168)
    select_lines(qtbot, win, "Riser")
    qtbot.keyClick(ws.production_view, Qt.Key.Key_C, CTRL)
    select_lines(qtbot, win, "Podium")
    qtbot.keyClick(ws.production_view, Qt.Key.Key_V, CTRL)
    assert descriptions(win, 0) == ["Podium", "Riser", "Riser"]
    qtbot.keyClick(ws.production_view, Qt.Key.Key_D, CTRL | SHIFT)
    assert descriptions(win, 0) == ["Podium", "Riser", "Riser", "Riser"]
    for _ in range(3):
        win.undo_action.trigger()
    assert [(s.name, s.lines) for s in EstimateDocument(empty_db, ws.doc.estimate_id).sections] == [
        ("General", [])
    ]
