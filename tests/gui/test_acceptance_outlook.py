"""Issue 15 item 6 from an empty data folder, through the real widgets: a new company, one stagehand on
the crew, a lead with a labour call; View › Capacity outlook shows the week within supply while a lead
counts 10 %, and over-booked (red, the project named) once the quote is sent (50 %); another user adds
a second stagehand and the outlook follows at the next poll; a double click opens the project.

The call: 6 stagehands × 12 h (07:00–19:00) × 2 days = 144 person-hours, on a Tuesday and Wednesday.
Supply: one stagehand, 7 days × 8 h = 56 h a week; two: 112 h.
  lead (10 %)   14.4 h wanted / 56 h on hand
  quoted (50 %) 72 h / 56 h: over — "Wk of …: Stagehand 72 h wanted, 56 h on hand"
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from app.models.enums import ProjectStatus
from app.services.crew import people as crew
from app.services.lookups import load_lookups
from app.services.outlook.flags import overbooked_projects
from app.services.projects import lifecycle
from app.ui.main_window import MainWindow
from app.ui.outlook.model import OVER_BACKGROUND
from tests.gui.conftest import FakeDialogs
from tests.gui.helpers import cell, type_into_cell, workspace
from tests.gui.test_acceptance_company import (
    choose_in_cell,
    click_in_navigator,
    monday_weeks_ahead,
    open_company_setup,
    status_shown,
    type_form,
)
from tests.gui.test_acceptance_supply import _in_navigator, new_client_and_project

pytestmark = pytest.mark.gui
PROJECT = "Arts Awards"


def test_a_new_company_sees_a_quote_over_book_its_crew_in_the_capacity_outlook(
    qtbot: Any, fresh_window: MainWindow, dialogs: FakeDialogs, tandem_home: Path
) -> None:
    win = fresh_window
    assert list(tandem_home.iterdir()) == []
    monday = monday_weeks_ahead(3)
    load_in, strike = monday + timedelta(days=1), monday + timedelta(days=3)

    # -- 1. My company, with the starter roles ----------------------------------------------------------
    setup = open_company_setup(qtbot, win)
    type_form(qtbot, setup.form.editors["name"], "Lumen Works")
    qtbot.mouseClick(setup.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.isVisible)
    db = win.db
    assert db is not None
    with db.read() as conn:
        stagehand = next(r for r in load_lookups(conn).roles.values() if r.name == "Stagehand")

    # -- 2. One stagehand on the crew: Edit › Crew…, Add, the role ticked -------------------------------
    win.editor_actions.crew_editor_action.trigger()
    crew_editor = win.editor_actions.crew_editor
    assert crew_editor is not None
    qtbot.waitUntil(crew_editor.isVisible)
    dialogs.answers.append("Jordan Lee")
    qtbot.mouseClick(crew_editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [m.name for m in crew_editor.model.rows] == ["Jordan Lee"])
    role_row = next(
        r for r in range(crew_editor.roles.rowCount()) if crew_editor.roles.item(r, 1).text() == "Stagehand"
    )
    crew_editor.roles.setFocus()
    crew_editor.roles.setCurrentCell(role_row, 0)
    qtbot.keyClick(crew_editor.roles, Qt.Key.Key_Space)  # ticks the role
    qtbot.waitUntil(lambda: [m.role_ids for m in crew.load_crew(db).values()] == [frozenset({stagehand.id})])
    crew_editor.close()

    # -- 3. A client and a project on its days (a lead) ------------------------------------------------
    project_dialog = new_client_and_project(qtbot, win, "Civic Arts", PROJECT, load_in, strike)
    project_id = project_dialog.project_id
    assert project_id is not None and lifecycle.load_state(db, project_id).status is ProjectStatus.LEAD
    qtbot.mouseClick(project_dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _in_navigator(win, PROJECT))
    click_in_navigator(qtbot, win, PROJECT)

    # -- 4. An estimate with the labour call: 6 stagehands, 2 days from the load-in, 07:00–19:00 -------
    dialogs.answers.append("Main show")
    win.findChild(QAction, "actionNewEstimate").trigger()
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.doc.header.name == "Main show")
    ws = workspace(win)
    view = ws.production_view
    view.setFocus()
    win.findChild(QAction, "actionAddLine").trigger()
    (call,) = [line.id for line in ws.doc.lines()]
    type_into_cell(qtbot, view, cell(win, call, "description"), "Stagehands, load-in")
    choose_in_cell(qtbot, view, cell(win, call, "kind"), "Labour")
    choose_in_cell(qtbot, view, cell(win, call, "role_id"), "Stagehand")
    choose_in_cell(qtbot, view, cell(win, call, "phase"), "Load-in")
    for key, text in (("quantity", "6"), ("days", "2"), ("start_time", "07:00"), ("end_time", "19:00")):
        type_into_cell(qtbot, view, cell(win, call, key), text)
    line = ws.doc.line(call)
    assert (line.role_id, line.call_date, line.quantity, line.days) == (stagehand.id, load_in, 6, 2)

    # -- 5. View › Capacity outlook: a lead's 10 % is within the one stagehand's week ------------------
    win.findChild(QAction, "actionCapacityOutlook").trigger()
    panel = win.desk.outlook.panel
    assert win.places.currentWidget() is panel  # a tab beside the estimate
    qtbot.waitUntil(lambda: panel.is_loaded() and panel.model.rowCount() == 1)
    grid = panel.model

    def week_cell() -> Any:
        return grid.index_of(stagehand.id, monday)

    assert grid.headerData(0, Qt.Orientation.Vertical) == "Stagehand (h)"
    assert week_cell().data() == "14.4 / 56"
    assert panel.summary.text().strip() == "Every week is within what we have"
    assert overbooked_projects(db) == {}

    # -- 6. Send quote: quoted counts 50 %, 72 h against 56: the week turns red, the project named -----
    dialogs.answers.extend(["Dana Ortiz", "First issue"])  # sent by, note
    win.findChild(QAction, "actionSendQuote").trigger()
    assert lifecycle.load_state(db, project_id).status is ProjectStatus.QUOTED
    qtbot.waitUntil(lambda: status_shown(win, PROJECT) == "Quoted")
    qtbot.waitUntil(lambda: panel.is_loaded() and week_cell().data() == "72 / 56")
    assert week_cell().data(Qt.ItemDataRole.BackgroundRole).color() == OVER_BACKGROUND
    assert f"{PROJECT} — quoted, 50 %: 72 h (100 %)" in week_cell().data(Qt.ItemDataRole.ToolTipRole)
    assert panel.summary.text().strip() == "1 week over-booked: Stagehand"
    reason = f"Wk of {monday.day} {monday:%b}: Stagehand 72 h wanted, 56 h on hand"
    assert overbooked_projects(db) == {project_id: reason}
    # View › Pipeline: the quoted card is flagged with the same reason (its tooltip says it).
    win.findChild(QAction, "actionPipeline").trigger()
    board = win.desk.pipeline.panel
    qtbot.waitUntil(lambda: board.is_loaded() and any(c.warning for c in board.pipeline.cards))
    (card,) = board.pipeline.cards
    assert card.warning == reason
    win.desk.outlook.show()  # back to the outlook

    # -- 7. Another user adds a second stagehand: the next poll shows 112 h on hand, no flag ------------
    other = crew.add_crew_member(db, "Sam Reyes")
    crew.set_crew_role(db, other, stagehand.id)
    win.refresh_from_database()  # what the next poll does when it sees others' commits
    qtbot.waitUntil(lambda: panel.is_loaded() and week_cell().data() == "72 / 112")
    assert week_cell().data(Qt.ItemDataRole.BackgroundRole) is None
    assert overbooked_projects(db) == {}

    # -- 8. A double click on the week opens its one project -------------------------------------------
    panel.grid.scrollTo(week_cell())
    point = panel.grid.visualRect(week_cell()).center()
    qtbot.mouseClick(panel.grid.viewport(), Qt.MouseButton.LeftButton, pos=point)  # a double click's press
    qtbot.mouseDClick(panel.grid.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(
        lambda: (d := win.project_actions.project_dialogs.get(project_id)) is not None and d.isVisible()
    )
    win.project_actions.project_dialogs[project_id].close()
