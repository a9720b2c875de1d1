"""View › Dashboard: from an empty folder set up through the GUI to the figures, the PM's switch,
the AM filter and both exports; and the AM's view read in every role of every cell."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from app.models.enums import ProjectStatus
from app.services.dashboard.figures import dashboard
from app.services.money import format_money
from app.services.projects import lifecycle
from app.services.storage.database import Database, open_database
from app.ui.dashboard.panel import DashboardPanel
from app.ui.main_window import MainWindow
from tests.dashboard_scene import END, START, Job, add_job, build_scene
from tests.gui.conftest import FakeDialogs, shown_window
from tests.gui.helpers import all_model_text, cell, finish_typing, start_typing, tab_to_next_cell, workspace
from tests.gui.test_acceptance_company import (
    choose,
    click_in_navigator,
    monday_weeks_ahead,
    open_company_setup,
    status_shown,
    type_form,
)
from tests.gui.test_models import ROLES
from tests.gui.test_project_dialogs import type_field

pytestmark = pytest.mark.gui
D = Decimal
PROJECT = "Arts Awards"
SECRET_WORDS = re.compile(r"cost|margin|markup", re.IGNORECASE)


def _trigger(win: MainWindow, name: str) -> None:
    action = win.findChild(QAction, name)
    assert action is not None, name
    action.trigger()


def _panel(win: MainWindow) -> DashboardPanel:
    return win.desk.dashboard.panel  # type: ignore[attr-defined, no-any-return]


def _figures(panel: DashboardPanel) -> dict[str, tuple[str, str]]:
    return {row[0]: (row[1], row[2]) for row in panel.model.rows()}


def _open_dashboard(qtbot: Any, win: MainWindow) -> DashboardPanel:
    panel = _panel(win)
    with qtbot.waitSignal(panel.drawn, timeout=20000):
        _trigger(win, "actionDashboard")
    assert panel.isVisible() and panel.canvas is not None
    return panel


def _chart_texts(panel: DashboardPanel) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in panel.figure.findobj(Text) if t.get_text()]


def _workbook_texts(path: Path) -> list[str]:
    ws = load_workbook(path)["Dashboard"]
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_a_new_company_reads_its_pipeline_and_revenue_on_the_dashboard(
    qtbot: Any, fresh_window: MainWindow, dialogs: FakeDialogs, tandem_home: Path, tmp_path: Path
) -> None:
    win = fresh_window
    load_in = monday_weeks_ahead(6)
    # -- a company, a client and a project with its days and its account manager ----------------------
    setup = open_company_setup(qtbot, win)
    type_form(qtbot, setup.form.editors["name"], "Lumen Works")
    qtbot.mouseClick(setup.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.isVisible)
    db = win.db
    assert db is not None
    _trigger(win, "actionNewClient")
    client_dialog = win.project_actions.client_dialogs[None]
    qtbot.waitExposed(client_dialog)
    type_field(qtbot, client_dialog.form.widgets["name"], "Civic Arts")
    qtbot.waitUntil(lambda: client_dialog.client_id is not None)
    qtbot.mouseClick(client_dialog.close_button, Qt.MouseButton.LeftButton)
    _trigger(win, "actionNewProject")
    project_dialog = win.project_actions.project_dialogs[None]
    qtbot.waitExposed(project_dialog)
    choose(qtbot, project_dialog.client, "Civic Arts")
    for key, text in (
        ("name", PROJECT),
        ("start_date", load_in.isoformat()),
        ("show_start_date", (load_in + timedelta(days=1)).isoformat()),
        ("account_manager", "Dana"),
    ):
        type_field(qtbot, project_dialog.field(key), text, Qt.Key.Key_Tab)
    qtbot.mouseClick(project_dialog.create_button, Qt.MouseButton.LeftButton)
    assert project_dialog.message.text() == "", project_dialog.message.text()
    project_id = project_dialog.project_id
    assert project_id is not None
    qtbot.mouseClick(project_dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status_shown(win, PROJECT) == "Lead")

    # -- an estimate of one line: 1 × 1 day at 600.00 cost, 25 % markup: 750.00 before tax -----------
    click_in_navigator(qtbot, win, PROJECT)
    dialogs.answers.append("Main show")
    _trigger(win, "actionNewEstimate")
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.doc.header.name == "Main show")
    ws = workspace(win)
    view = ws.production_view
    view.setFocus()
    _trigger(win, "actionAddLine")
    (line,) = ws.doc.lines()
    unit_cost = start_typing(qtbot, view, cell(win, line.id, "unit_cost"), "600")
    finish_typing(qtbot, view, tab_to_next_cell(qtbot, view, unit_cost, "25"))
    totals = ws.doc.totals
    assert (totals.net, totals.cost) == (D("750.00"), D("600.00"))
    price = totals.total  # with the company's tax

    # -- View › Dashboard: a lead at 10 % ------------------------------------------------------------
    panel = _open_dashboard(qtbot, win)
    assert not panel.pm_view  # the AM's view until Show costs and margins is ticked
    assert _figures(panel)["Lead"] == ("1", format_money(price, "USD"))
    assert _figures(panel)["Weighted pipeline"] == ("", format_money(price * D("0.1"), "USD"))
    assert _figures(panel)["Win rate"] == ("0 of 0", "—")

    # -- sent: quoted at 50 %; marked won: won, revenue, a win rate of 100 % -------------------------
    dialogs.answers.extend(["Dana", "First issue"])
    _trigger(win, "actionSendQuote")
    qtbot.waitUntil(lambda: _figures(panel).get("Quoted") == ("1", format_money(price, "USD")), timeout=20000)
    assert _figures(panel)["Weighted pipeline"] == ("", format_money(price / 2, "USD"))
    click_in_navigator(qtbot, win, PROJECT)
    dialogs.answers.append(0)
    win.project_actions.status_actions[ProjectStatus.WON].trigger()
    assert lifecycle.load_state(db, project_id).status is ProjectStatus.WON
    qtbot.waitUntil(lambda: _figures(panel).get("Won") == ("1", format_money(price, "USD")), timeout=20000)
    figures = _figures(panel)
    assert figures["Win rate"] == ("1 of 1", "100.00 %")
    assert figures["Revenue (before tax)"] == ("1", "$750.00")
    assert figures["Revenue: Civic Arts"] == ("1", "$750.00")
    assert "Margin" not in figures and "Cost" not in figures
    assert not [t for t in _chart_texts(panel) if SECRET_WORDS.search(t)]

    # -- the PM's view: cost, margin and its share, on the charts too ---------------------------------
    with qtbot.waitSignal(win.desk.pmViewChanged):
        _trigger(win, "actionPmView")
    figures = _figures(panel)
    assert (figures["Cost"], figures["Margin"], figures["Margin %"]) == (
        ("", "$600.00"),
        ("", "$150.00"),
        ("", "20.00 %"),
    )
    assert "Revenue and margin by month" in _chart_texts(panel)

    # -- the AM filter: another AM has nothing ------------------------------------------------------
    combo = panel.am_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Every account manager", "Dana"]
    with qtbot.waitSignal(panel.drawn, timeout=20000):
        choose(qtbot, combo, "Dana")
    assert _figures(panel)["Won"] == ("1", format_money(price, "USD"))

    # -- the exports: PNG of the charts, and the AM's workbook without cost or margin --------------------
    png = tmp_path / "dashboard.png"
    dialogs.answers.append(str(png))
    qtbot.mouseClick(panel.png_button, Qt.MouseButton.LeftButton)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    _trigger(win, "actionPmView")  # back to the AM's view
    book = tmp_path / "dashboard.xlsx"
    dialogs.answers.append(str(book))
    qtbot.mouseClick(panel.excel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.desk.dashboard.running is None and book.exists(), timeout=20000)
    texts = _workbook_texts(book)
    assert "Civic Arts" in texts and "750" in texts
    assert not [t for t in texts if SECRET_WORDS.search(t) or t in {"600", "150"}]


def test_the_account_managers_dashboard_shows_no_cost_or_margin_anywhere(
    qtbot: Any, qtmodeltester: Any, empty_db: Database, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    build_scene(empty_db)
    full = dashboard(empty_db, start=START, end=END)
    rows = (*full.revenue_by_month, *full.revenue_by_client, full.revenue_total)
    secrets = {format_money(v, full.currency) for r in rows for v in (r.cost, r.margin)}
    secrets |= {format_money(v) for r in rows for v in (r.cost, r.margin)}
    win = shown_window(qtbot, empty_db, dialogs)
    panel = _panel(win)
    panel.set_range(START, END)
    panel = _open_dashboard(qtbot, win)
    qtbot.waitUntil(lambda: panel.shown is not None and panel.shown.start == START, timeout=20000)
    qtmodeltester.check(panel.model)
    texts = all_model_text(panel.model, ROLES)
    assert "$50,345.67" in texts and "$83,980.24" in texts  # the prices are there
    texts += _chart_texts(panel)
    book = tmp_path / "am.xlsx"
    dialogs.answers.append(str(book))
    qtbot.mouseClick(panel.excel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.desk.dashboard.running is None and book.exists(), timeout=20000)
    texts += _workbook_texts(book)
    leaks = [t for t in texts if SECRET_WORDS.search(t) or t in secrets or any(s in t for s in secrets)]
    assert not leaks


def test_a_project_won_by_another_user_reaches_the_open_dashboard_at_the_next_poll(
    qtbot: Any, empty_db: Database, dialogs: FakeDialogs
) -> None:
    build_scene(empty_db)
    win = shown_window(qtbot, empty_db, dialogs)
    _panel(win).set_range(START, END)
    panel = _open_dashboard(qtbot, win)
    qtbot.waitUntil(lambda: _figures(panel).get("Won") == ("1", "$33,000.00"), timeout=20000)
    other = open_database(empty_db.path)
    try:  # another user, on the same file: a second won job for Birch & Co, 1,000.00 + 10 % tax
        add_job(
            other,
            {},
            Job(
                "Birch & Co",
                "Encore",
                "won",
                "Eli",
                D(1000),
                D(400),
                decision=date(2027, 1, 8),
                show=date(2027, 3, 9),
            ),
        )
    finally:
        other.close()
    win.sharing.poll()
    qtbot.waitUntil(lambda: _figures(panel).get("Won") == ("2", "$34,100.00"), timeout=20000)
    assert _figures(panel)["Revenue (before tax)"] == ("4", "$51,345.67")
