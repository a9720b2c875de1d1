"""View › Client page and View › Growth grid through the real widgets: from an empty database set up
through the GUI, on the demo company, and in the AM's view (no cost or margin in any role)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPushButton

from app.models.enums import ProjectStatus
from app.services.accounts.client_page import client_page
from app.services.money import format_money
from app.services.projects import lifecycle
from app.ui.accounts.accounts_actions import AccountsActions
from app.ui.context_menus import _navigator_entries
from app.ui.main_window import MainWindow
from app.ui.navigator import ID_ROLE
from tests.gui.conftest import FakeDialogs
from tests.gui.helpers import all_model_text, cell, type_into_cell, workspace
from tests.gui.test_acceptance_company import (
    add_record,
    choose,
    choose_in_cell,
    click_in_navigator,
    editor_cell,
    navigator_index,
    open_company_setup,
    type_form,
)
from tests.gui.test_models import INTERNAL, ROLES
from tests.gui.test_project_dialogs import type_field

pytestmark = pytest.mark.gui
D = Decimal


def accounts(win: MainWindow) -> AccountsActions:
    return win.desk.accounts


def open_page(qtbot: Any, win: MainWindow, client: str) -> None:
    """Click the client in the navigator, then View › Client page; wait until all of it is read."""
    click_in_navigator(qtbot, win, client)
    win.findChild(QAction, "actionClientPage").trigger()
    page = accounts(win).page
    qtbot.waitUntil(lambda: page.is_complete() and page.title.text() == client)


def open_grid(qtbot: Any, win: MainWindow) -> None:
    win.findChild(QAction, "actionGrowthGrid").trigger()
    growth = accounts(win).growth
    qtbot.waitUntil(lambda: growth.is_loaded() and growth.model.rowCount() > 0)


def grid_rows(win: MainWindow) -> list[list[str]]:
    proxy = accounts(win).growth.proxy
    return [[proxy.index(r, c).data() for c in range(proxy.columnCount())] for r in range(proxy.rowCount())]


def _client_with_won_item(
    qtbot: Any, win: MainWindow, dialogs: FakeDialogs, client: str, project: str, item: str, quantity: str
) -> None:
    """A client (File › New client…), a project for it, an estimate of ``quantity`` of a catalog item,
    its quote sent, won."""
    win.findChild(QAction, "actionNewClient").trigger()
    dialog = win.project_actions.client_dialogs[None]
    qtbot.waitExposed(dialog)
    type_field(qtbot, dialog.form.widgets["name"], client)
    qtbot.waitUntil(lambda: dialog.client_id is not None)
    win.project_actions.client_dialogs.pop(None)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    win.findChild(QAction, "actionNewProject").trigger()
    project_dialog = win.project_actions.project_dialogs[None]
    qtbot.waitExposed(project_dialog)
    choose(qtbot, project_dialog.client, client)
    type_field(qtbot, project_dialog.field("name"), project, Qt.Key.Key_Tab)
    qtbot.mouseClick(project_dialog.create_button, Qt.MouseButton.LeftButton)
    assert project_dialog.message.text() == "", project_dialog.message.text()
    project_id = project_dialog.project_id
    win.project_actions.project_dialogs.pop(None)
    qtbot.mouseClick(project_dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: navigator_index(win, project).isValid())
    click_in_navigator(qtbot, win, project)
    dialogs.answers.append("Main show")
    win.findChild(QAction, "actionNewEstimate").trigger()
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.doc.header.project_id == project_id)
    ws = workspace(win)
    win.findChild(QAction, "actionCatalog").trigger()
    win.catalog.filter.clear()
    qtbot.keyClicks(win.catalog.filter, item)
    qtbot.waitUntil(lambda: win.catalog.proxy.rowCount() == 1)
    qtbot.keyClick(win.catalog.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(list(ws.doc.lines())) == 1)
    (line,) = ws.doc.lines()
    type_into_cell(qtbot, ws.production_view, cell(win, line.id, "quantity"), quantity)
    dialogs.answers.extend(["Dana Ortiz", ""])  # Estimate › Send quote: sent by, note
    win.findChild(QAction, "actionSendQuote").trigger()
    assert lifecycle.load_state(win.db, project_id).status is ProjectStatus.QUOTED  # type: ignore[arg-type]
    click_in_navigator(qtbot, win, project)
    dialogs.answers.append(0)  # the one scenario
    win.project_actions.status_actions[ProjectStatus.WON].trigger()
    assert lifecycle.load_state(win.db, project_id).status is ProjectStatus.WON  # type: ignore[arg-type]


def test_a_new_company_sees_a_clients_page_and_what_it_never_bought(
    qtbot: Any, fresh_window: MainWindow, dialogs: FakeDialogs, tandem_home: Path, qtmodeltester: Any
) -> None:
    win = fresh_window
    setup = open_company_setup(qtbot, win)
    type_form(qtbot, setup.form.editors["name"], "Lumen Works")
    qtbot.mouseClick(setup.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.isVisible)
    db = win.db
    assert db is not None

    # -- Two catalog items in two categories, costing 250.00 and 400.00 a day -----------------------
    # (a new company starts with the categories Audio, Video, Lighting, …)
    win.editor_actions.catalog_action.trigger()
    catalog = win.editor_actions.master_editors["catalog"]
    for name, category, price in (("LED wall", "Video", "250"), ("Line array", "Audio", "400")):
        add_record(qtbot, catalog, dialogs, name)
        choose_in_cell(qtbot, catalog.table, editor_cell(catalog, name, "category"), category)
        type_into_cell(qtbot, catalog.table, editor_cell(catalog, name, "unit_cost"), price)
        assert catalog.message.text() == "", catalog.message.text()
    qtbot.mouseClick(catalog.close_button, Qt.MouseButton.LeftButton)

    # -- Civic Arts buys 3 LED walls (won); Bay Co 2 line arrays (won) -----------------------------
    _client_with_won_item(qtbot, win, dialogs, "Civic Arts", "Arts Awards", "LED wall", "3")
    civic_net = workspace(win).doc.totals.net
    _client_with_won_item(qtbot, win, dialogs, "Bay Co", "Bay Gala", "Line array", "2")
    bay_net = workspace(win).doc.totals.net
    assert civic_net == D("975.00") and bay_net == D("1040.00")  # 3 × 250.00, 2 × 400.00, + 30 % markup

    # -- The navigator's right-click on a client offers its page; View › Client page shows it -------
    index = navigator_index(win, "Civic Arts")
    pos = win.navigator.view.visualRect(index).center()
    entries = _navigator_entries(win, pos)
    assert win.findChild(QAction, "actionClientPage") in entries
    assert win.findChild(QAction, "actionActivities") in entries  # the client's own activities
    project = win.navigator.view.visualRect(navigator_index(win, "Arts Awards")).center()
    assert {win.findChild(QAction, n) for n in ("actionActivities", "actionBrief")} <= set(
        _navigator_entries(win, project))
    open_page(qtbot, win, "Civic Arts")
    page = accounts(win).page
    for model in page.models():
        qtmodeltester.check(model, force_py=False)
    assert [page.projects.cells(r)[:3] for r in page.projects.rows()] == [["Arts Awards", "Main show", "Won"]]
    assert page.projects.cells(page.projects.row_at(0))[7] == "$975.00"
    assert "Lifetime won value: $975.00" in page.figures.text()
    (quote,) = page.quotes.rows()
    assert list(page.quotes.cells(quote)[1:]) == [
        "Arts Awards",
        "Main show",
        quote.quote_number,
        "1",
        "$975.00",
        "Dana Ortiz",
    ]
    assert "Win rate: 100.00 % (1 won of 1 decided)" in page.figures.text()
    assert "margin" not in page.figures.text().lower()  # the AM's view
    assert page.never_label.text() == "Audio"  # sold to Bay Co, never to Civic Arts
    assert win.places.tabText(win.places.currentIndex()) == "Client — Civic Arts"

    # -- The PM's view adds the margin: 975.00 − 750.00 cost ---------------------------------------------
    win.desk.pm_view_action.trigger()
    assert "Lifetime margin: $225.00 (23.08 %)" in page.figures.text()
    assert page.projects.headerData(8, Qt.Orientation.Horizontal) == "Margin"
    win.desk.pm_view_action.trigger()

    # -- The client dialog's Client page button opens Bay Co's page --------------------------------
    win.project_actions.show_client(_client_id(win, "Bay Co"))  # as a double click on it does
    dialog = next(d for d in win.project_actions.open_dialogs() if d.objectName() == "clientDialog")
    qtbot.mouseClick(dialog.findChild(QPushButton, "clientPageButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.is_complete() and page.title.text() == "Bay Co")
    assert page.never_label.text() == "Video"
    dialog.close()

    # -- View › Growth grid: clients × categories, Video (the most sold) first ----------------------
    open_grid(qtbot, win)
    growth = accounts(win).growth
    qtmodeltester.check(growth.model, force_py=False)
    qtmodeltester.check(growth.proxy, force_py=False)
    header = [
        growth.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(growth.proxy.columnCount())
    ]
    assert header == ["Client", "Total bought", "Audio", "Video"]  # Audio 1,040.00 sold, Video 975.00
    assert sorted(grid_rows(win)) == [
        ["Bay Co", "$1,040.00", "$1,040.00", "never"],
        ["Civic Arts", "$975.00", "never", "$975.00"],
    ]
    qtbot.keyClicks(growth.filter, "civ")
    assert grid_rows(win) == [["Civic Arts", "$975.00", "never", "$975.00"]]
    assert [s for s in dialogs.shown if s[0] == "error"] == []


def _client_id(win: MainWindow, name: str) -> uuid.UUID:
    return uuid.UUID(navigator_index(win, name).data(ID_ROLE))


def test_the_demo_clients_page_opens_a_scenario_on_double_click(
    qtbot: Any, window: MainWindow, qtmodeltester: Any
) -> None:
    open_page(qtbot, window, "Vantage Medical")
    page = accounts(window).page
    rows = [page.projects.cells(r) for r in page.projects.rows()]
    assert [(r[0], r[1], r[2], r[7]) for r in rows] == [
        ("Vantage @ MedTech Expo", "Full booth (counts)", "Quoted", "$95,580.00"),
        ("", "Half booth", "", "$56,220.00"),
    ]
    for model in page.models():
        qtmodeltester.check(model, force_py=False)
    half = page.projects.index(1, 1)
    view = page.projects_view
    point = view.visualRect(half).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)  # a double click's press
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.doc.header.name == "Half booth")
    assert window.places.currentIndex() == 0  # the estimate's tab in front


def test_growth_grid_sorts_by_value(qtbot: Any, window: MainWindow) -> None:
    """A click on a category's header sorts the clients by what they bought of it ("never" lowest)."""
    open_grid(qtbot, window)
    growth = accounts(window).growth
    header = growth.view.horizontalHeader()
    labour = next(
        c
        for c in range(growth.proxy.columnCount())
        if growth.proxy.headerData(c, Qt.Orientation.Horizontal) == "Labour"
    )
    centre = QPoint(
        header.sectionViewportPosition(labour) + header.sectionSize(labour) // 2, header.height() // 2
    )
    for _ in range(2):  # ascending, then descending
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        order = [r[labour] for r in grid_rows(window)]
        expected = ["never", "never", "never", "$1,920.00"]
        if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder:
            expected.reverse()
        assert header.sortIndicatorSection() == labour and order == expected


def _internal(win: MainWindow) -> tuple[str, ...]:
    """What the AM must never read: the demo's costs and margins, every client's, and the words."""
    db = win.db
    assert db is not None
    found: list[str] = list(INTERNAL)
    for client in accounts(win).growth.model.grid.clients:
        page = client_page(db, client.client_id)
        found.append(format_money(page.figures.won_margin, page.currency))
        for project in page.projects:
            for estimate in project.estimates:
                found += [
                    format_money(estimate.cost, page.currency),
                    format_money(estimate.margin, page.currency),
                ]
    return tuple(t for t in found if t not in ("$0.00",))


def page_text(win: MainWindow) -> list[str]:
    page = accounts(win).page
    texts: list[str] = []
    for model in page.models():
        texts += all_model_text(model, ROLES)
    texts += [w.text() for w in page.findChildren(QLabel)] + [w.toolTip() for w in page.findChildren(QLabel)]
    return texts


def test_the_am_view_shows_no_cost_margin_supplier_or_rate_in_any_role(
    qtbot: Any, window: MainWindow
) -> None:
    open_grid(qtbot, window)
    internal = _internal(window)
    grid_text = all_model_text(accounts(window).growth.proxy, ROLES)
    for client in ("Harbor City Symphony", "Vantage Medical", "Orbital Software"):
        open_page(qtbot, window, client)
        texts = page_text(window) + grid_text
        assert "$95,580.00" in texts or "$4,412.71" in texts or "$44,837.98" in texts  # it shows prices
        leaks = sorted({needle for needle in internal for text in texts if needle in text})
        assert not leaks, f"the AM's client page shows internal values: {leaks}"
    # The PM's view does show them: the check above can fail.
    window.desk.pm_view_action.trigger()
    qtbot.waitUntil(lambda: accounts(window).page.projects.columnCount() == 9)
    assert any(needle in text for needle in internal for text in page_text(window))


def test_the_page_and_grid_follow_others_changes(qtbot: Any, window: MainWindow) -> None:
    """Another user marks Vantage's project lost: at the next poll the open page and grid show it."""
    open_grid(qtbot, window)
    open_page(qtbot, window, "Vantage Medical")
    page = accounts(window).page
    db = window.db
    assert db is not None
    project = page.page.projects[0].id  # type: ignore[union-attr]
    lifecycle.change_status(
        db, project, lifecycle.load_state(db, project).version, ProjectStatus.LOST, reason="Price"
    )
    window.refresh_from_database()  # what the next poll does when it sees others' commits
    qtbot.waitUntil(lambda: page.is_complete() and page.projects.cells(page.projects.row_at(0))[2] == "Lost")
    assert page.projects.data(page.projects.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "Lost: Price"
    assert "Win rate: 0.00 % (0 won of 1 decided)" in page.figures.text()
