"""The client and project dialogs, the Project menu's status moves and the navigator's status, driven
through real widgets; screenshots of both dialogs go to docs."""

from __future__ import annotations

import os
import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QWidget
from sqlalchemy import select

from app.models import LineItem, Section
from app.models.enums import ProjectStatus
from app.services import master_data
from app.services.projects import lifecycle
from app.services.projects.clients import CLIENTS, CONTACTS
from app.services.projects.counting import counting_estimate
from app.services.projects.details import PROJECTS
from app.services.storage.database import open_database
from app.ui.navigator import ID_ROLE, KIND_ROLE
from app.ui.projects.client_dialog import MAIN
from tests.gui.helpers import type_into_cell

pytestmark = pytest.mark.gui
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]

IMAGES = Path(__file__).resolve().parents[2] / "docs"
MEDTECH = "Vantage @ MedTech Expo"


def save_picture(widget: QWidget, name: str) -> Path:
    """The widget as the user sees it, to the temporary folder; with TANDEM_RENDER_DOCS=1 to docs/
    (the README shows it), so a test run never changes the checkout."""
    picture = widget.grab()
    folder = IMAGES if os.environ.get("TANDEM_RENDER_DOCS") == "1" else Path(tempfile.gettempdir())
    assert picture.save(str(folder / name))
    return folder / name


def type_field(qtbot: Any, edit: QLineEdit, text: str, leave: Qt.Key = Qt.Key.Key_Return) -> None:
    """Click into a field, type over it, press Return or Tab (a field is saved when left or on Return;
    in a new record's dialog Return also presses Create)."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, leave)


def navigator_index(window: Any, name: str) -> Any:
    view = window.navigator.view
    model = view.model()
    found = model.match(
        model.index(0, 0),
        Qt.ItemDataRole.DisplayRole,
        name,
        1,
        Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly,
    )
    assert found, f"{name} is not in the navigator"
    return found[0]


def double_click(qtbot: Any, window: Any, name: str) -> None:
    view = window.navigator.view
    index = navigator_index(window, name)
    view.scrollTo(index)
    point: QPoint = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def project_id(window: Any, name: str) -> uuid.UUID:
    return uuid.UUID(navigator_index(window, name).data(ID_ROLE))


def stored_project(window: Any, name: str) -> master_data.RecordRow:
    return master_data.load_one(window.db, PROJECTS, project_id(window, name))


def open_details(qtbot: Any, window: Any, name: str) -> Any:
    double_click(qtbot, window, name)
    dialog = window.project_actions.project_dialogs.get(project_id(window, name))
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_project_details_saved_field_by_field_checked_and_undoable(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = open_details(qtbot, window, MEDTECH)
    assert dialog.windowTitle() == f"Project — {MEDTECH}"
    assert dialog.field("start_date").text() == "8 Mar 2027"
    assert dialog.client.currentText() == "Vantage Medical"
    type_field(qtbot, dialog.field("venue"), "LVCC North Hall")
    assert stored_project(window, MEDTECH).values["venue"] == "LVCC North Hall"
    type_field(qtbot, dialog.field("show_start_date"), "2027-03-09")
    type_field(qtbot, dialog.field("show_end_date"), "Mar 11 2027")
    assert stored_project(window, MEDTECH).values["show_end_date"] == date(2027, 3, 11)
    before = stored_project(window, MEDTECH)
    type_field(qtbot, dialog.field("end_date"), "2027-03-10")  # strike before the show ends
    assert dialog.message.text() == "Strike (Wed 10 Mar 2027) cannot be before show end (Thu 11 Mar 2027)."
    assert stored_project(window, MEDTECH) == before  # nothing changed
    type_field(qtbot, dialog.field("project_manager"), "Lee Brandt")
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert stored_project(window, MEDTECH).values["project_manager"] == "Sam Reyes"
    qtbot.waitUntil(lambda: dialog.field("project_manager").text() == "Sam Reyes")
    qtbot.mouseClick(dialog.redo_button, Qt.MouseButton.LeftButton)
    assert stored_project(window, MEDTECH).values["project_manager"] == "Lee Brandt"
    qtbot.waitUntil(lambda: dialog.field("project_manager").text() == "Lee Brandt")
    dialog.message.clear()
    save_picture(dialog, "project-dialog.png")
    dialog.close()


def test_mark_won_asks_the_scenario_and_the_calendar_follows_it(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    menu = window.menuBar().findChild(type(window.menuBar().actions()[0].menu()), "projectMenu")
    assert menu is not None
    window.show_crew_calendar()
    window.crew_panel.load(date(2027, 3, 1))
    window.navigator.select(project_id(window, MEDTECH))
    actions = window.project_actions.status_actions
    assert actions[ProjectStatus.WON].isEnabled() and not actions[ProjectStatus.DELIVERED].isEnabled()
    dialogs.answers = [1]  # the second scenario listed: Half booth
    actions[ProjectStatus.WON].trigger()
    assert dialogs.shown[-1] == ("choose_item", "Mark won", "Full booth\nHalf booth")
    state = lifecycle.load_state(window.db, project_id(window, MEDTECH))
    assert state.status is ProjectStatus.WON
    with window.db.read() as conn:
        half = counting_estimate(conn, project_id(window, MEDTECH))
    assert state.chosen_estimate_id == half
    board = window.crew_panel.board
    assert board is not None
    calls = {
        p.line_item_id for p in board.open_positions(date(2027, 3, 8), True) if p.project_name == MEDTECH
    }
    with window.db.read() as conn:
        half_lines = {
            r.id
            for r in conn.execute(select(LINE_T.c.id).join(SECTION_T).where(SECTION_T.c.estimate_id == half))
        }
    assert calls and calls <= half_lines  # the calendar asks for the chosen scenario's crew only
    qtbot.waitUntil(lambda: navigator_index(window, MEDTECH).siblingAtColumn(1).data() == "Won")
    window.navigator.select(project_id(window, MEDTECH))
    assert actions[ProjectStatus.IN_PRODUCTION].isEnabled() and not actions[ProjectStatus.WON].isEnabled()
    window.undo_group.setActiveStack(window.project_actions.undo_stack)
    window.undo_action.trigger()  # Edit › Undo
    assert lifecycle.load_state(window.db, project_id(window, MEDTECH)).status is ProjectStatus.QUOTED
    dialogs.answers = ["Went with their usual vendor"]
    window.project_actions.status_actions[ProjectStatus.LOST].trigger()  # no reasons listed: asks the text
    assert dialogs.shown[-1] == ("ask_text", "Mark lost", "Why was the project lost?")
    state = lifecycle.load_state(window.db, project_id(window, MEDTECH))
    assert (state.status, state.lost_reason) == (ProjectStatus.LOST, "Went with their usual vendor")


def test_the_dialogs_status_box_offers_only_allowed_moves(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    dialog = open_details(qtbot, window, "Orbital Summit keynote")
    items = [dialog.status.itemText(i) for i in range(dialog.status.count())]
    assert items == ["Lead", "→ Back to estimating", "→ Mark quoted", "→ Mark lost…", "→ Cancel project",
                     "→ Postpone project"]
    dialog.status.setFocus()
    dialog.status.setCurrentIndex(4)
    dialog.status.activated.emit(4)
    assert lifecycle.load_state(window.db, dialog.project_id).status is ProjectStatus.CANCELLED
    qtbot.waitUntil(lambda: dialog.status.itemText(0) == "Cancelled")
    assert [dialog.status.itemText(i) for i in range(dialog.status.count())] == [
        "Cancelled",
        "→ Reopen as lead",
    ]
    dialog.close()


def test_new_project_with_a_new_client_created_inline(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    window.navigator.view.setCurrentIndex(window.navigator.view.model().index(0, 0))
    window.findChild(type(window.project_actions.new_project_action), "actionNewProject").trigger()
    dialog = window.project_actions.project_dialogs[None]
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "New project" and dialog.create_button.isVisible()
    qtbot.mouseClick(dialog.new_client_button, Qt.MouseButton.LeftButton)
    client_dialog = dialog.client_dialog
    qtbot.waitExposed(client_dialog)
    type_field(qtbot, client_dialog.form.widgets["name"], "Harbor Labs")  # Return: Create client
    qtbot.waitUntil(lambda: dialog.client.currentText() == "Harbor Labs")
    client_dialog.close()
    tab = Qt.Key.Key_Tab
    type_field(qtbot, dialog.field("name"), "Harbor Labs @ BIO", tab)
    type_field(qtbot, dialog.field("start_date"), "2027-06-14", tab)
    type_field(qtbot, dialog.field("end_date"), "2027-06-10", tab)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Strike (Thu 10 Jun 2027) cannot be before load-in (Mon 14 Jun 2027)."
    assert dialog.project_id is None
    type_field(qtbot, dialog.field("end_date"), "2027-06-17", tab)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.project_id is not None
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Project — Harbor Labs @ BIO")
    row = master_data.load_one(window.db, PROJECTS, dialog.project_id)
    assert (row.values["start_date"], row.values["end_date"]) == (date(2027, 6, 14), date(2027, 6, 17))
    client = master_data.load_one(window.db, CLIENTS, row.values["client_id"])
    assert client.values["name"] == "Harbor Labs"
    qtbot.waitUntil(lambda: navigator_index(window, "Harbor Labs @ BIO").siblingAtColumn(1).data() == "Lead")
    dialog.close()


def test_client_dialog_contacts_validated_main_and_undo(qtbot, window, dialogs, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    double_click(qtbot, window, "Vantage Medical")
    client_id = uuid.UUID(navigator_index(window, "Vantage Medical").data(ID_ROLE))
    dialog = window.project_actions.client_dialogs[client_id]
    qtbot.waitExposed(dialog)
    qtmodeltester.check(dialog.contacts, force_py=False)
    type_field(qtbot, dialog.form.widgets["industry"], "Medical devices")
    assert master_data.load_one(window.db, CLIENTS, client_id).values["industry"] == "Medical devices"
    dialogs.answers = ["Raj Patel"]
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.contacts.rows) == 2)
    names = [r.values["name"] for r in dialog.contacts.rows]
    assert names == ["Helen Cho", "Raj Patel"]
    # The demo's contacts have no main one: the first change makes the first contact main.
    assert [r.values["is_main"] for r in master_data.load(window.db, CONTACTS, client_id)] == [True, False]
    email = CONTACTS.fields.index(CONTACTS.field_by_key["email"])
    type_into_cell(qtbot, dialog.table, dialog.contacts.index(1, email), "raj at vantage")
    assert dialog.message.text() == "“raj at vantage” is not an email address (name@example.com)."
    assert master_data.load(window.db, CONTACTS, client_id)[1].values["email"] == ""
    type_into_cell(qtbot, dialog.table, dialog.contacts.index(1, email), "raj@vantagemed.example")
    qtbot.waitUntil(lambda: dialog.contacts.index(1, email).data() == "raj@vantagemed.example")
    dialog.table.selectRow(1)
    qtbot.mouseClick(dialog.main_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            [dialog.contacts.index(r, MAIN).data(Qt.ItemDataRole.CheckStateRole) for r in (0, 1)]
            == [Qt.CheckState.Unchecked, Qt.CheckState.Checked]
        )
    )
    assert [r.values["is_main"] for r in master_data.load(window.db, CONTACTS, client_id)] == [False, True]
    qtmodeltester.check(dialog.contacts, force_py=False)
    save_picture(dialog, "client-dialog.png")
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)  # the main contact back to Helen
    assert [r.values["is_main"] for r in master_data.load(window.db, CONTACTS, client_id)] == [True, False]
    qtbot.waitUntil(
        lambda: dialog.contacts.index(0, MAIN).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    )
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)  # the main one: Raj takes over
    assert dialogs.shown[-1] == (
        "confirm",
        "Delete contact",
        "Delete the contact Helen Cho? You can undo this.",
    )
    qtbot.waitUntil(lambda: [r.values["name"] for r in dialog.contacts.rows] == ["Raj Patel"])
    assert [r.values["is_main"] for r in master_data.load(window.db, CONTACTS, client_id)] == [True]
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z: Helen is back
    qtbot.waitUntil(lambda: len(dialog.contacts.rows) == 2)
    assert [
        (r.values["name"], r.values["is_main"]) for r in master_data.load(window.db, CONTACTS, client_id)
    ] == [("Helen Cho", True), ("Raj Patel", False)]
    dialog.close()


def test_navigator_filters_by_status(qtbot, window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    navigator = window.navigator
    qtmodeltester.check(navigator.proxy, force_py=False)
    combo = navigator.status_filter
    combo.setCurrentIndex(combo.findText("Won"))
    qtbot.waitUntil(lambda: navigator.proxy.rowCount() == 1)
    client = navigator.proxy.index(0, 0)
    projects = [navigator.proxy.index(r, 0, client).data() for r in range(navigator.proxy.rowCount(client))]
    assert (client.data(), projects) == ("Harbor City Symphony", ["Spring Gala 2027"])
    assert navigator.proxy.index(0, 1, client).data() == "Won"
    combo.setCurrentIndex(combo.findText("Open projects"))
    shown = {navigator.proxy.index(r, 0).data() for r in range(navigator.proxy.rowCount())}
    assert "Vantage Medical" in shown and "Harbor City Symphony" in shown
    combo.setCurrentIndex(combo.findText("All projects"))
    assert navigator.proxy.rowCount() == navigator.model.rowCount()
    kinds = {navigator.model.item(0).data(KIND_ROLE)}
    assert kinds == {"client"}


def test_another_users_change_shows_in_the_open_dialog(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = open_details(qtbot, window, MEDTECH)
    other = open_database(window.db.path)
    try:
        row = master_data.load_one(other, PROJECTS, dialog.project_id)
        master_data.save_edit(other, PROJECTS, row, "venue", "LVCC West Hall")
    finally:
        other.close()
    window.refresh_from_database()
    qtbot.waitUntil(lambda: dialog.field("venue").text() == "LVCC West Hall")
    type_field(qtbot, dialog.field("account_manager"), "Priya Shah")  # saved against their version
    assert stored_project(window, MEDTECH).values["account_manager"] == "Priya Shah"
    dialog.close()


def test_sending_the_quote_of_a_lead_shows_it_quoted(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    keynote = navigator_index(window, "Keynote package")
    window.open_estimate(uuid.UUID(keynote.data(ID_ROLE)))
    assert navigator_index(window, "Orbital Summit keynote").siblingAtColumn(1).data() == "Lead"
    dialogs.answers = ["Dana Ortiz", ""]  # sent by, note
    window.findChild(QAction, "actionSendQuote").trigger()
    assert (
        lifecycle.load_state(window.db, project_id(window, "Orbital Summit keynote")).status
        is ProjectStatus.QUOTED
    )
    qtbot.waitUntil(
        lambda: navigator_index(window, "Orbital Summit keynote").siblingAtColumn(1).data() == "Quoted"
    )


def test_two_people_editing_one_project_conflict_and_nothing_is_lost(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = open_details(qtbot, window, MEDTECH)
    other = open_database(window.db.path)
    try:  # someone else saves the venue while this dialog shows the old one (no refresh yet)
        master_data.save_edit(
            other,
            PROJECTS,
            master_data.load_one(other, PROJECTS, dialog.project_id),
            "venue",
            "LVCC West Hall",
        )
    finally:
        other.close()
    type_field(qtbot, dialog.field("venue"), "LVCC North Hall")
    assert dialog.message.text() == (
        "Someone else changed this project since you opened it, so your venue “LVCC North Hall” was not "
        "saved; theirs is “LVCC West Hall”. Type it again to keep yours."
    )
    assert stored_project(window, MEDTECH).values["venue"] == "LVCC West Hall"
    qtbot.waitUntil(lambda: dialog.field("venue").text() == "LVCC West Hall")  # theirs, shown
    type_field(qtbot, dialog.field("venue"), "LVCC North Hall")  # typed again: saved over theirs
    assert stored_project(window, MEDTECH).values["venue"] == "LVCC North Hall"
    dialog.close()
