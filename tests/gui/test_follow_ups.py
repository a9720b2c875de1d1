"""Issue 15 item 2 through the window: from an empty data folder a new company's AM logs activities
on a project (Project › Activities…, the master-data editor), works View › My follow-ups (overdue
first, a Done tick that Edit › Undo takes back, the status bar's count, a double click opening the
project), writes the project's brief (Project › Brief…, undoable) and the PM reads it in View ›
Brief beside the estimate; the start page opens with the database when the user keeps it so."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton

from app.services import master_data
from app.services.activities.brief import BUDGET, load_brief, save_brief
from app.services.activities.records import CLIENT_ACTIVITIES, PROJECT_ACTIVITIES
from app.services.storage.database import Database
from app.ui.activities.follow_ups_model import ACTIVITY_ROLE, DONE, DUE, SUBJECT
from app.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs
from tests.gui.helpers import all_model_text, type_into_cell
from tests.gui.test_acceptance_company import (
    add_record,
    choose,
    choose_in_cell,
    click_in_navigator,
    editor_cell,
    open_company_setup,
    type_form,
)
from tests.gui.test_acceptance_supply import new_client, new_project
from tests.gui.test_deadlines_list import check_centre
from tests.gui.test_models import assert_nothing_internal
from tests.gui.test_project_dialogs import navigator_index

pytestmark = pytest.mark.gui
PROJECT, CLIENT, AM = "Arts Awards", "Civic Arts", "Dana Ortiz"
ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.EditRole,
    Qt.ItemDataRole.StatusTipRole,
    Qt.ItemDataRole.WhatsThisRole,
)


def shown_subjects(win: MainWindow) -> list[str]:
    model = win.desk.activities.follow_ups.model
    return [model.index(r, SUBJECT).data() for r in range(model.rowCount())]


def _set_up(qtbot: Any, win: MainWindow) -> Database:
    setup = open_company_setup(qtbot, win)
    type_form(qtbot, setup.form.editors["name"], "Lumen Works")
    qtbot.mouseClick(setup.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.isVisible)
    assert win.db is not None
    new_client(qtbot, win, CLIENT)
    project_dialog = new_project(qtbot, win, CLIENT, {"name": PROJECT, "account_manager": AM})
    qtbot.mouseClick(project_dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: PROJECT in all_model_text(win.navigator.view.model(), (Qt.ItemDataRole.DisplayRole,))
    )
    return win.db


def test_an_am_logs_follow_ups_ticks_one_done_and_writes_the_brief_the_pm_reads(
    qtbot: Any, fresh_window: MainWindow, dialogs: FakeDialogs, tandem_home: Path, qtmodeltester: Any
) -> None:
    win = fresh_window
    db = _set_up(qtbot, win)
    today = date.today()
    click_in_navigator(qtbot, win, PROJECT)

    # -- Project › Activities…: two follow-ups and a call; a refused due date says why -----------------
    action = win.findChild(QAction, "actionActivities")
    assert action in win.menuBar().findChild(QMenu, "projectMenu").actions()
    action.trigger()
    (editor,) = win.desk.activities.editors.editors.values()
    qtbot.waitExposed(editor)
    assert editor.windowTitle() == f"Activities — {PROJECT}"
    qtmodeltester.check(editor.model, force_py=False)
    for subject in ("Send the floor plan", "Chase the decision", "Intro call"):
        add_record(qtbot, editor, dialogs, subject)
    assert {r.values["owner"] for r in editor.model.rows} == {AM}  # a new row is the project's AM's
    type_into_cell(
        qtbot, editor.table, editor_cell(editor, "Send the floor plan", "due_date"), "next tuesday"
    )
    assert editor.message.text().startswith("Due date must be a date like 2027-03-08")
    late, soon = today - timedelta(days=3), today + timedelta(days=4)
    type_into_cell(
        qtbot, editor.table, editor_cell(editor, "Send the floor plan", "due_date"), soon.isoformat()
    )
    type_into_cell(
        qtbot, editor.table, editor_cell(editor, "Chase the decision", "due_date"), late.isoformat()
    )
    choose_in_cell(qtbot, editor.table, editor_cell(editor, "Intro call", "kind"), "Call")
    choose_in_cell(qtbot, editor.table, editor_cell(editor, "Intro call", "done"), "Yes")
    assert editor.message.text() == "", editor.message.text()
    stored = {r.values["subject"]: r.values for r in master_data.load(db, PROJECT_ACTIVITIES)}
    assert stored["Chase the decision"]["due_date"] == late and stored["Intro call"]["kind"] == "call"
    assert stored["Intro call"]["done"] is True
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)

    # -- View › My follow-ups: Dana's, overdue first; the count in the status bar -----------------------
    win.findChild(QAction, "actionMyFollowUps").trigger()
    panel = win.desk.activities.follow_ups
    qtmodeltester.check(panel.model, force_py=False)
    choose(qtbot, panel.owner, AM)
    qtbot.waitUntil(lambda: shown_subjects(win) == ["Chase the decision", "Send the floor plan"])
    assert "3 d late" in panel.model.index(0, DUE).data()
    label = win.desk.activities.due_label
    qtbot.waitUntil(lambda: label.text() == "1 follow-up due")

    # -- Tick the overdue one done with a click; Edit › Undo takes it back ------------------------------
    view = panel.view
    first = panel.model.index(0, DONE)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=check_centre(view, first))
    qtbot.waitUntil(lambda: label.text() == "")
    row = first.data(ACTIVITY_ROLE)
    assert row.done and master_data.load_one(db, PROJECT_ACTIVITIES, row.id).values["done"] is True
    assert win.undo_action.text() == "Undo Done: Chase the decision (Arts Awards)"
    win.undo_action.trigger()
    qtbot.waitUntil(lambda: label.text() == "1 follow-up due")
    assert master_data.load_one(db, PROJECT_ACTIVITIES, row.id).values["done"] is False

    # -- A double click opens the project -------------------------------------------------------------
    point = view.visualRect(panel.model.index(1, SUBJECT)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)  # a double click's press
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in win.project_actions.project_dialogs.values()))
    for dialog in win.project_actions.project_dialogs.values():
        dialog.close()

    # -- Project › Brief…: typed, a refused budget, saved, undone, redone -------------------------------
    click_in_navigator(qtbot, win, PROJECT)
    win.findChild(QAction, "actionBrief").trigger()
    brief = win.desk.activities.briefs[row.project_id]
    qtbot.waitExposed(brief)
    type_form(qtbot, brief.boxes["brief_goals"], "400 scanned leads\nA quiet meeting room")
    type_form(qtbot, brief.budget, "about 40")
    qtbot.mouseClick(brief.save_button, Qt.MouseButton.LeftButton)
    assert brief.message.text().startswith("Budget the client mentioned must be a number")
    assert load_brief(db, row.project_id).is_empty()  # nothing written
    type_form(qtbot, brief.budget, "45k")
    qtbot.mouseClick(brief.save_button, Qt.MouseButton.LeftButton)
    assert brief.message.text() == ""
    saved = load_brief(db, row.project_id).values
    assert saved["brief_goals"] == "400 scanned leads\nA quiet meeting room"
    assert saved[BUDGET] == Decimal("45000")
    qtbot.mouseClick(brief.findChild(QToolButton, "briefUndoButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: load_brief(db, row.project_id).is_empty())
    assert brief.boxes["brief_goals"].toPlainText() == ""
    brief.undo_stack.redo()
    qtbot.waitUntil(lambda: load_brief(db, row.project_id).values[BUDGET] == Decimal("45000"))

    # -- An estimate opened; View › Brief shows its project's brief, and follows the next save ---------
    dialogs.answers.append("Main show")
    win.findChild(QAction, "actionNewEstimate").trigger()
    qtbot.waitUntil(lambda: win.workspace is not None)
    win.findChild(QAction, "actionBriefDock").trigger()
    shown = win.desk.activities.brief_view
    qtbot.waitUntil(lambda: "400 scanned leads" in shown.toPlainText())
    assert "$45,000.00" in shown.toPlainText()
    type_form(qtbot, brief.boxes["brief_competitors"], "Meridian Events")
    qtbot.mouseClick(brief.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Meridian Events" in shown.toPlainText())
    brief.close()
    # Someone else edits the brief: the dock shows it once the window shows others' changes.
    other = load_brief(db, row.project_id)
    save_brief(db, row.project_id, other.version, {**other.values, "brief_audience": "Civic leaders"})
    win.refresh_from_database()  # what the next poll does when it sees others' commits
    qtbot.waitUntil(lambda: "Civic leaders" in shown.toPlainText())


def test_a_clients_own_activities_and_the_start_page_on_opening(
    qtbot: Any, demo_db: Database, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = MainWindow(dialogs=dialogs, settings=settings)  # type: ignore[arg-type]
    qtbot.addWidget(first)
    assert not first.desk.activities.on_opening_action.isChecked()  # a new user opens on the estimate
    first.desk.activities.on_opening_action.trigger()  # an AM's choice, kept for the next start
    first.close()
    win = MainWindow(dialogs=dialogs, settings=settings)  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.resize(1500, 900)
    desk = win.desk.activities
    assert desk.on_opening_action.isChecked()
    win.set_database(demo_db)
    win.show()
    page = desk.start_page
    qtbot.waitUntil(lambda: win.places.currentWidget() is page)
    listed = page.follow_ups
    qtbot.waitUntil(lambda: listed.model.rowCount() > 0)
    assert listed.owner.currentText() == "Everyone"  # the login is nobody's name here
    choose(qtbot, listed.owner, "Dana Ortiz")
    qtbot.waitUntil(lambda: listed.is_loaded() and listed.model.rowCount() == 2)
    first = listed.model.index(0, DONE).data(ACTIVITY_ROLE)
    assert first.overdue(date.today()) and first.project_name == "Vantage @ MedTech Expo"
    # The AM's list: no cost, margin, supplier name or crew rate in any role of any cell.
    assert_nothing_internal(all_model_text(listed.model, ROLES))
    win.findChild(QAction, "actionBriefDock").trigger()
    qtbot.waitUntil(lambda: "Budget the client mentioned: $120,000.00" in desk.brief_view.toPlainText())
    assert_nothing_internal([desk.brief_view.toPlainText()])
    # Another estimate opened from the navigator: the dock shows its project's (empty) brief.
    view, gala = win.navigator.view, navigator_index(win, "Gala AV")
    view.scrollTo(gala)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(gala).center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(gala).center())
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.doc.header.name == "Gala AV")
    qtbot.waitUntil(lambda: "No brief yet" in desk.brief_view.toPlainText())
    assert "Spring Gala" in desk.brief_view.toPlainText()
    assert settings.value("follow_ups/owner") == "Dana Ortiz"
    # The client's own activities from the navigator's client.
    click_in_navigator(qtbot, win, "Harbor City Symphony")
    win.findChild(QAction, "actionActivities").trigger()
    (editor,) = desk.editors.editors.values()
    qtbot.waitExposed(editor)
    assert [r.values["subject"] for r in editor.model.rows] == ["Season planning lunch"]
    add_record(qtbot, editor, dialogs, "Send the season brochure")
    assert len(master_data.load(demo_db, CLIENT_ACTIVITIES, editor.owner)) == 2
    editor.close()
    # Unticked: the next opening starts on the estimate, and the choice is kept.
    desk.on_opening_action.trigger()
    assert settings.value("start_page/on_opening") in (False, "false")
    win.close()
