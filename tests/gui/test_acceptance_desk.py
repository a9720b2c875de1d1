"""Issue 15's acceptance test: from an empty data folder, an account manager sets up the company, two
clients and five projects with their estimates, sends a quote, works the pipeline board (drags cards
between stages: to won, choosing the scenario, and to lost, giving the reason), logs a follow-up and
ticks it done, clones the won show for next year, and reads the dashboard, whose stage totals,
weighted value and win rate are the ones worked out by hand below — through the real widgets only
(the services are called only to check what was stored).

Each job is one line sold at a 25 % markup, with no tax, so its price is 1.25 × its cost:

| project            | client      | cost      | price     | ends as       | probability | weighted  |
|--------------------|-------------|-----------|-----------|---------------|-------------|-----------|
| Spring Expo 2027   | Civic Arts  |  8,000.00 | 10,000.00 | won (Main)    | 100 %       | 10,000.00 |
|  (its "Lite" scenario, not chosen: 4,000.00 → 5,000.00)                                               |
| Winter Gala        | Civic Arts  | 16,000.00 | 20,000.00 | lost (Price)  | —           | —         |
| Harbour Summit     | Bayline Co  |  6,400.00 |  8,000.00 | quoted        | 50 %        |  4,000.00 |
| Product Launch     | Bayline Co  |  3,200.00 |  4,000.00 | lead          | 10 %        |    400.00 |
| City Tour          | Bayline Co  |  4,800.00 |  6,000.00 | estimating    | 40 % (own)  |  2,400.00 |
| Spring Expo 2028   | Civic Arts  |  8,000.00 | 10,000.00 | estimating    | 25 %        |  2,500.00 |

Open stages: lead 1 / 4,000.00; estimating 2 / 16,000.00; quoted 1 / 8,000.00; won 1 / 10,000.00;
pipeline 5 / 38,000.00, weighted 400 + 2,400 + 2,500 + 4,000 + 10,000 = 19,300.00. Win rate: one won
of two decided (the gala lost) = 50 %; the lost reason "Price" holds 1 / 20,000.00.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from app.models import Activity, Project, QuoteRevision
from app.models.enums import ProjectStatus
from app.services import master_data
from app.services.activities.records import PROJECT_ACTIVITIES
from app.services.money import format_money
from app.services.pipeline.values import project_values
from app.services.projects.counting import counting_estimate, project_estimates
from app.services.projects.details import PROJECTS
from app.ui.activities.follow_ups_model import DONE
from app.ui.main_window import MainWindow
from app.ui.projects.clone_dialog import CloneProjectDialog
from tests.gui.conftest import FakeDialogs
from tests.gui.helpers import cell, finish_typing, start_typing, tab_to_next_cell, type_into_cell, workspace
from tests.gui.test_acceptance_company import (
    add_record,
    choose,
    choose_in_cell,
    click_in_navigator,
    editor_cell,
    monday_weeks_ahead,
    open_company_setup,
    status_shown,
    type_form,
)
from tests.gui.test_acceptance_supply import new_client, new_project
from tests.gui.test_dashboard_view import _figures, _open_dashboard
from tests.gui.test_deadlines_list import check_centre
from tests.gui.test_follow_ups import shown_subjects
from tests.gui.test_pipeline_board import column_cards, drag
from tests.gui.test_project_dialogs import type_field

pytestmark = pytest.mark.gui
D = Decimal
P = Project.__table__  # type: ignore[attr-defined]
A = Activity.__table__  # type: ignore[attr-defined]
R = QuoteRevision.__table__  # type: ignore[attr-defined]
AM = "Dana Reyes"
CIVIC, BAYLINE = "Civic Arts", "Bayline Co"
EXPO, GALA, SUMMIT = "Spring Expo 2027", "Winter Gala", "Harbour Summit"
LAUNCH, TOUR = "Product Launch", "City Tour"
JOBS = (  # project, client, weeks ahead of its load-in, cost
    (EXPO, CIVIC, 8, "8000"),
    (GALA, CIVIC, 9, "16000"),
    (SUMMIT, BAYLINE, 10, "6400"),
    (LAUNCH, BAYLINE, 11, "3200"),
    (TOUR, BAYLINE, 12, "4800"),
)


def _usd(amount: str) -> str:
    return format_money(D(amount), "USD")


def _trigger(win: MainWindow, name: str) -> None:
    action = win.findChild(QAction, name)
    assert action is not None, name
    action.trigger()


def _new_project(qtbot: Any, win: MainWindow, name: str, client: str, load_in: date) -> Any:
    dialog = new_project(qtbot, win, client, {
        "name": name,
        "start_date": load_in.isoformat(),
        "show_start_date": (load_in + timedelta(days=1)).isoformat(),
        "show_end_date": (load_in + timedelta(days=2)).isoformat(),
        "end_date": (load_in + timedelta(days=3)).isoformat(),
        "account_manager": AM,
    })
    project_id = dialog.project_id
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status_shown(win, name) == "Lead")
    return project_id


def _new_estimate(
    qtbot: Any, win: MainWindow, dialogs: FakeDialogs, project: str, name: str, cost: str
) -> None:
    """A scenario of one line: 1 × 1 day at ``cost``, with a 25 % markup typed after it."""
    click_in_navigator(qtbot, win, project)
    dialogs.answers.append(name)
    _trigger(win, "actionNewEstimate")
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.doc.header.name == name)
    ws = workspace(win)
    view = ws.production_view
    view.setFocus()
    _trigger(win, "actionAddLine")
    (line,) = ws.doc.lines()
    unit_cost = start_typing(qtbot, view, cell(win, line.id, "unit_cost"), cost)
    finish_typing(qtbot, view, tab_to_next_cell(qtbot, view, unit_cost, "25"))
    assert (ws.doc.totals.cost, ws.doc.totals.total) == (D(cost), D(cost) * D("1.25"))


def _status(win: MainWindow, project: str) -> str:
    assert win.db is not None
    with win.db.read() as conn:
        return str(conn.execute(select(P.c.status).where(P.c.name == project)).scalar_one())


def test_an_account_manager_works_the_pipeline_follows_up_clones_and_reads_the_dashboard(
    qtbot: Any, fresh_window: MainWindow, dialogs: FakeDialogs, tandem_home: Path
) -> None:
    win = fresh_window
    assert list(tandem_home.iterdir()) == []

    # -- 1. Set up my company: no tax, so a price is its line's cost × 1.25 ------------------------------
    setup = open_company_setup(qtbot, win)
    type_form(qtbot, setup.form.editors["name"], "Lumen Works")
    type_form(qtbot, setup.form.editors["default_tax_pct"], "0")
    qtbot.mouseClick(setup.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.isVisible)
    db = win.db
    assert db is not None

    # -- 2. Two clients, five projects on their days, each with its estimate ------------------------------
    for client in (CIVIC, BAYLINE):
        new_client(qtbot, win, client)
    ids = {}
    for name, client, weeks, cost in JOBS:
        ids[name] = _new_project(qtbot, win, name, client, monday_weeks_ahead(weeks))
        _new_estimate(qtbot, win, dialogs, name, "Main", cost)
    _new_estimate(qtbot, win, dialogs, EXPO, "Lite", "4000")  # a second scenario for the expo
    assert [e.name for e in project_estimates(db, ids[EXPO])] == ["Main", "Lite"]

    # The tour's own probability, typed in its details (blank would be its stage's).
    click_in_navigator(qtbot, win, TOUR)
    _trigger(win, "actionProjectDetails")
    details = win.project_actions.project_dialogs[ids[TOUR]]
    qtbot.waitExposed(details)
    type_field(qtbot, details.field("win_probability_pct"), "40")
    assert details.message.text() == "", details.message.text()
    qtbot.waitUntil(lambda: master_data.load_one(db, PROJECTS, ids[TOUR]).values["win_probability_pct"] == 40)
    qtbot.mouseClick(details.close_button, Qt.MouseButton.LeftButton)

    # -- 3. The expo's quote goes out (Estimate › Send quote): quoted, and logged as an activity --------
    click_in_navigator(qtbot, win, EXPO)
    win.navigator.estimateActivated.emit(project_estimates(db, ids[EXPO])[0].id)
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.doc.header.project_id == ids[EXPO])
    dialogs.answers.extend([AM, "First issue"])
    _trigger(win, "actionSendQuote")
    qtbot.waitUntil(lambda: _status(win, EXPO) == ProjectStatus.QUOTED.value)
    with db.read() as conn:
        logged = conn.execute(select(A).where(A.c.project_id == ids[EXPO])).all()
    assert [(a.kind, a.done, a.owner) for a in logged] == [("quote_sent", True, AM)]

    # -- 4. View › Pipeline: every card in its stage; drag them through the stages ------------------------
    _trigger(win, "actionPipeline")
    panel = win.desk.pipeline.panel
    qtbot.waitUntil(lambda: panel.is_loaded() and panel.isVisible() and bool(panel.pipeline.cards),
                    timeout=20000)
    qtbot.waitExposed(panel.board)
    assert sorted(column_cards(panel, ProjectStatus.LEAD)) == sorted([GALA, SUMMIT, LAUNCH, TOUR])
    assert column_cards(panel, ProjectStatus.QUOTED) == [EXPO]
    columns = panel.board.columns
    for project, target in ((GALA, ProjectStatus.QUOTED), (SUMMIT, ProjectStatus.QUOTED),
                            (TOUR, ProjectStatus.ESTIMATING)):
        drag(qtbot, panel, project, columns[target])
        qtbot.waitUntil(lambda p=project, t=target: p in column_cards(panel, t))
    # To won: it asks which scenario the client chose (Main, the first).
    dialogs.answers.append(0)
    drag(qtbot, panel, EXPO, columns[ProjectStatus.WON])
    assert dialogs.shown[-1][:2] == ("choose_item", "Mark won")
    qtbot.waitUntil(lambda: EXPO in column_cards(panel, ProjectStatus.WON))
    with db.read() as conn:
        chosen = conn.execute(select(P.c.chosen_estimate_id).where(P.c.id == ids[EXPO])).scalar_one()
    assert chosen == project_estimates(db, ids[EXPO])[0].id
    # To lost (the folded strip under the board): it asks why.
    lost = panel.folded_buttons[ProjectStatus.LOST]
    dialogs.answers.append(0)  # "Price", the first of the company's starter reasons
    drag(qtbot, panel, GALA, lost)
    assert dialogs.shown[-1][:2] == ("choose_item", "Mark lost")
    qtbot.waitUntil(lambda: "Lost 1" in lost.text())
    assert _status(win, GALA) == ProjectStatus.LOST.value
    with db.read() as conn:
        assert conn.execute(select(P.c.lost_reason).where(P.c.id == ids[GALA])).scalar_one() == "Price"
    # A move the lifecycle does not allow (won → lead) says why and changes nothing.
    errors = len([s for s in dialogs.shown if s[0] == "error"])
    drag(qtbot, panel, EXPO, columns[ProjectStatus.LEAD])
    assert len([s for s in dialogs.shown if s[0] == "error"]) == errors + 1
    assert _status(win, EXPO) == ProjectStatus.WON.value

    # -- 5. A follow-up on the summit: logged, on My follow-ups (overdue), ticked done ---------------------
    click_in_navigator(qtbot, win, SUMMIT)
    _trigger(win, "actionActivities")
    (editor,) = [e for e in win.desk.activities.editors.editors.values() if e.isVisible()]
    qtbot.waitExposed(editor)
    add_record(qtbot, editor, dialogs, "Chase the decision")
    late = date.today() - timedelta(days=2)
    chase = "Chase the decision"
    type_into_cell(qtbot, editor.table, editor_cell(editor, chase, "due_date"), late.isoformat())
    choose_in_cell(qtbot, editor.table, editor_cell(editor, "Chase the decision", "kind"), "Follow up")
    assert editor.message.text() == "", editor.message.text()
    qtbot.mouseClick(editor.close_button, Qt.MouseButton.LeftButton)
    _trigger(win, "actionMyFollowUps")
    follow_ups = win.desk.activities.follow_ups
    choose(qtbot, follow_ups.owner, AM)
    qtbot.waitUntil(lambda: shown_subjects(win) == ["Chase the decision"])
    label = win.desk.activities.due_label
    qtbot.waitUntil(lambda: label.text() == "1 follow-up due")
    view = follow_ups.view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=check_centre(view, follow_ups.model.index(0, DONE)))
    qtbot.waitUntil(lambda: label.text() == "")
    (chased,) = [r for r in master_data.load(db, PROJECT_ACTIVITIES, ids[SUMMIT])]
    assert chased.values["done"] is True and chased.values["owner"] == AM

    # -- 6. Clone the expo for next year: every date a year on, no revision, estimating ----------------
    click_in_navigator(qtbot, win, EXPO)
    _trigger(win, "actionCloneProject")
    clone = win.findChild(CloneProjectDialog, "cloneProjectDialog")
    qtbot.waitExposed(clone)
    assert (clone.name_edit.text(), clone.offset_box.value()) == ("Spring Expo 2028", 364)
    source = master_data.load_one(db, PROJECTS, ids[EXPO]).values
    assert clone.load_in_edit.date() == QDate(source["start_date"] + timedelta(days=364))
    qtbot.mouseClick(clone.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.navigator.current_of("project") not in (None, ids[EXPO]))
    copy_id = win.navigator.current_of("project")
    copied = master_data.load_one(db, PROJECTS, copy_id).values
    assert copied["name"] == "Spring Expo 2028" and _status(win, "Spring Expo 2028") == "estimating"
    for key in ("start_date", "show_start_date", "show_end_date", "end_date"):
        assert copied[key] == source[key] + timedelta(days=364), key
    with db.read() as conn:
        copy_estimate = counting_estimate(conn, copy_id)
        revisions = conn.execute(select(R.c.id).where(R.c.estimate_id == copy_estimate)).all()
    assert [e.name for e in project_estimates(db, copy_id)] == ["Main"] and revisions == []  # the chosen one
    assert project_values(db, [copy_id])[copy_id].price == D("10000.00")

    # -- 7. View › Dashboard: the figures worked out by hand above -------------------------------------
    dashboard = _open_dashboard(qtbot, win)
    dashboard.end_edit.setDate(QDate(date.today().year + 3, 12, 31))  # next year's expo in range
    qtbot.waitUntil(lambda: _figures(dashboard).get("Estimating") == ("2", _usd("16000")), timeout=20000)
    figures = _figures(dashboard)
    assert figures["Lead"] == ("1", _usd("4000"))
    assert figures["Quoted"] == ("1", _usd("8000"))
    assert figures["Won"] == ("1", _usd("10000"))
    assert figures["Pipeline value (tax incl.)"] == ("5", _usd("38000"))
    assert figures["Weighted pipeline"] == ("", _usd("19300"))
    assert figures["Win rate"] == ("1 of 2", "50.00 %")
    assert figures["Lost: Price"] == ("1", _usd("20000"))
    assert "Margin" not in figures and "Cost" not in figures  # the AM's view
