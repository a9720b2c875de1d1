"""Issue 14's acceptance test: from an empty data folder, a new company keeps two rigging companies'
quotes, compares them on an estimate line and follows the cheaper one, is warned when it sends a
quote that outlives that supplier quote, wins the job, prepares and sends the order, sees it go out
of date when the estimate changes, and works its deadlines: the project's milestones from its type's
template, ticked done in View › Deadlines and undone — through the real widgets only (the services
are called only to check what was stored and computed).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QPushButton, QTableView

from app.models.enums import OrderStatus, ProjectStatus
from app.services import master_data
from app.services.projects import lifecycle
from app.services.projects.details import PROJECTS
from app.services.schedule.deadlines import load_deadlines
from app.services.schedule.milestones import MILESTONES
from app.services.supply.orders import load_orders
from app.services.supply.quotes import SUPPLIER_QUOTES
from app.services.supply.timing import Timing
from app.ui.main_window import MainWindow
from app.ui.projects.project_dialog import ProjectDialog
from app.ui.schedule.deadlines_model import DEADLINE_ROLE, DONE
from app.ui.supply.compare_dialog import SupplierQuoteCompareDialog
from app.ui.supply.orders_dialog import OUT_OF_DATE, OrdersDialog
from tests.gui.conftest import FakeDialogs
from tests.gui.helpers import cell, type_into_cell, workspace
from tests.gui.test_acceptance_company import (
    add_record,
    choose,
    choose_in_cell,
    click_in_navigator,
    editor_cell,
    monday_weeks_ahead,
    open_company_setup,
    type_form,
)
from tests.gui.test_deadlines_list import check_centre
from tests.gui.test_models import assert_nothing_internal, client_pane_text
from tests.gui.test_project_dialogs import type_field
from tests.gui.test_supplier_quote_editors import cell_of, click, select

pytestmark = pytest.mark.gui
D = Decimal
APEX, SUMMIT = "Apex Hoist", "Summit Rigging"
MOTOR = "Chain motor"
PROJECT = "Arts Awards"


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _add_quote(
    qtbot: Any,
    win: MainWindow,
    dialogs: FakeDialogs,
    supplier: str,
    number: str,
    valid_until: date,
    lead: str,
    cost: str,
) -> None:
    """Edit › Supplier quotes…: a quote of ``supplier`` with one item, a chain motor at ``cost``."""
    win.findChild(QAction, "actionSupplierQuotes").trigger()
    quotes = win.editor_actions.master_editors["supplier_quotes"]
    qtbot.waitUntil(quotes.isVisible)
    choices = quotes.kind.field_by_key["supplier_id"].choices
    assert choices is not None
    dialogs.answers.extend([[name for _id, name in choices(quotes.db)].index(supplier), number])
    count = len(quotes.model.rows)
    qtbot.mouseClick(quotes.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(quotes.model.rows) == count + 1)
    for key, text in (
        ("quote_date", date.today().isoformat()),
        ("valid_until", valid_until.isoformat()),
        ("lead_time_days", lead),
    ):
        type_into_cell(qtbot, quotes.table, cell_of(quotes, number, key), text)
        assert quotes.message.text() == "", quotes.message.text()
    select(quotes, number)
    click(qtbot, quotes, "supplierQuoteItemsButton")
    items = quotes.child_editors["supplierQuoteItems"]
    qtbot.waitUntil(items.isVisible)
    dialogs.answers.append(f"1 t {MOTOR.lower()}")
    qtbot.mouseClick(items.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(items.model.rows) == 1)
    type_into_cell(qtbot, items.table, cell_of(items, f"1 t {MOTOR.lower()}", "unit_cost"), cost)
    assert items.message.text() == "", items.message.text()
    items.close()
    qtbot.mouseClick(quotes.close_button, Qt.MouseButton.LeftButton)


def test_a_new_company_compares_supplier_quotes_orders_and_works_its_deadlines(
    qtbot: Any, fresh_window: MainWindow, dialogs: FakeDialogs, tandem_home: Path
) -> None:
    win = fresh_window
    assert list(tandem_home.iterdir()) == []
    load_in = monday_weeks_ahead(10)
    strike = load_in + timedelta(days=3)

    # -- 1. Set up my company: it starts with three project types and their templates -------------------
    setup = open_company_setup(qtbot, win)
    type_form(qtbot, setup.form.editors["name"], "Lumen Works")
    qtbot.mouseClick(setup.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.isVisible)
    db = win.db
    assert db is not None and db.path == tandem_home / "tandem.db"

    # -- 2. Two rigging companies and a catalog item ---------------------------------------------------
    win.editor_actions.suppliers_action.trigger()
    suppliers = win.editor_actions.master_editors["suppliers"]
    for name in (APEX, SUMMIT):
        add_record(qtbot, suppliers, dialogs, name)
    type_into_cell(qtbot, suppliers.table, editor_cell(suppliers, APEX, "lead_time_days"), "3")
    qtbot.mouseClick(suppliers.close_button, Qt.MouseButton.LeftButton)
    win.editor_actions.catalog_action.trigger()
    catalog = win.editor_actions.master_editors["catalog"]
    add_record(qtbot, catalog, dialogs, MOTOR)
    choose_in_cell(qtbot, catalog.table, editor_cell(catalog, MOTOR, "kind"), "Sub-rental")
    type_into_cell(qtbot, catalog.table, editor_cell(catalog, MOTOR, "unit_cost"), "100")
    assert catalog.message.text() == "", catalog.message.text()
    qtbot.mouseClick(catalog.close_button, Qt.MouseButton.LeftButton)

    # -- 3. Edit › Supplier quotes…: Apex quotes 88.00 for 10 days, Summit 102.00 for 60 ---------------
    short_valid = date.today() + timedelta(days=10)
    _add_quote(qtbot, win, dialogs, APEX, "AH-77", short_valid, "7", "88")
    _add_quote(qtbot, win, dialogs, SUMMIT, "SR-9", date.today() + timedelta(days=60), "", "102")
    assert sorted(r.values["number"] for r in master_data.load(db, SUPPLIER_QUOTES)) == ["AH-77", "SR-9"]

    # -- 4. A client and an exhibit-booth project on its days; its milestones from the template -------
    project_dialog = new_client_and_project(qtbot, win, "Civic Arts", PROJECT, load_in, strike)
    project_id = project_dialog.project_id
    assert project_id is not None
    choose(qtbot, project_dialog.field("project_type_id"), "Exhibit booth")
    qtbot.waitUntil(
        lambda: master_data.load_one(db, PROJECTS, project_id).values["project_type_id"] is not None
    )
    qtbot.mouseClick(project_dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _in_navigator(win, PROJECT))
    click_in_navigator(qtbot, win, PROJECT)
    win.findChild(QAction, "actionMilestones").trigger()
    milestones = win.project_actions.milestones.editors[project_id]
    qtbot.waitExposed(milestones)
    qtbot.mouseClick(
        milestones.findChild(QPushButton, "milestonesFromTemplateButton"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: len(milestones.model.rows) == 7)
    stored = {r.values["name"]: r for r in master_data.load(db, MILESTONES, project_id)}
    approval = stored["Design approval"].values
    assert (approval["anchor"], approval["offset_days"], approval["owner"]) == ("load_in", -42, "AM")
    approval_due = load_in - timedelta(days=42)
    assert cell_of(milestones, "Design approval", "due").data() == _short(approval_due)
    qtbot.mouseClick(milestones.close_button, Qt.MouseButton.LeftButton)

    # -- 5. An estimate with 8 chain motors from the catalog ------------------------------------------
    dialogs.answers.append("Main show")
    win.findChild(QAction, "actionNewEstimate").trigger()
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.doc.header.name == "Main show")
    ws = workspace(win)
    win.findChild(QAction, "actionCatalog").trigger()
    qtbot.keyClicks(win.catalog.filter, "motor")
    qtbot.waitUntil(lambda: win.catalog.proxy.rowCount() == 1)
    qtbot.keyClick(win.catalog.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(list(ws.doc.lines())) == 1)
    (line,) = ws.doc.lines()
    type_into_cell(qtbot, ws.production_view, cell(win, line.id, "quantity"), "8")
    assert ws.doc.line(line.id).price.cost == D("800.00")  # 8 × 1 day × 100.00

    # -- 6. Compare supplier quotes…: both side by side, use Apex's; the cost follows -----------------
    ws.production_view.setCurrentIndex(cell(win, line.id, "description"))
    win.findChild(QAction, "actionCompareSupplierQuotes").trigger()
    compare = win.estimate_actions.supply.compare_dialog
    assert isinstance(compare, SupplierQuoteCompareDialog)
    qtbot.waitExposed(compare)
    while compare.add_choice.count():
        qtbot.mouseClick(compare.add_button, Qt.MouseButton.LeftButton)
    assert sorted(r.item.quote.number for r in compare.model.rows) == ["AH-77", "SR-9"]
    row = next(n for n, r in enumerate(compare.model.rows) if r.item.quote.number == "AH-77")
    table = compare.findChild(QTableView, "supplierQuoteTable")
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(compare.model.index(row, 1)).center(),
    )
    qtbot.mouseClick(compare.use_button, Qt.MouseButton.LeftButton)
    followed = ws.doc.line(line.id)
    assert (followed.unit_cost, followed.price.cost) == (D(88), D("704.00"))
    assert ws.production_pane.model.data(cell(win, line.id, "quote")) == "AH-77"
    assert ws.production_pane.model.data(cell(win, line.id, "supplier_id")) == APEX
    compare.close()
    assert_nothing_internal(client_pane_text(win))
    assert not any("AH-77" in t or APEX in t for t in client_pane_text(win))

    # -- 7. Send quote warns: Apex's quote ends before this one (30 days) does ------------------------
    dialogs.answers.extend(["Dana Ortiz", ""])  # sent by, note (the warning is answered Yes)
    win.findChild(QAction, "actionSendQuote").trigger()
    (warning,) = [s for s in dialogs.shown if s[0] == "confirm" and s[1] == "Send quote"]
    assert f"AH-77 ({APEX}) expires {short_valid.day} {short_valid:%b}" in warning[2], warning[2]
    assert lifecycle.load_state(db, project_id).status is ProjectStatus.QUOTED

    # -- 8. Won: Project › Prepare orders makes Apex's sub-rental order, dated from load-in ---------
    click_in_navigator(qtbot, win, PROJECT)
    dialogs.answers.append(0)
    win.project_actions.status_actions[ProjectStatus.WON].trigger()
    assert lifecycle.load_state(db, project_id).status is ProjectStatus.WON
    win.findChild(QAction, "actionPrepareOrders").trigger()
    orders = win.findChild(OrdersDialog, "ordersDialog")
    assert orders is not None and orders.isVisible(), dialogs.shown
    (order,) = load_orders(db, project_id)
    order_by = Timing(7, 0).order_by(load_in)  # the quote's 7 days' lead, no transit
    assert (order.kind.value, order.status, order.order_by) == ("subrental", OrderStatus.DRAFT, order_by)
    cells = orders.orders.cells(orders.orders.row_at(0))
    assert (cells[1], cells[2], cells[3], cells[6]) == (APEX, "Sub-rental", "Draft", "$704.00")
    qtbot.mouseClick(orders.findChild(QPushButton, "ordersSent"), Qt.MouseButton.LeftButton)
    assert load_orders(db, project_id)[0].status is OrderStatus.SENT

    # -- 9. The estimate changes after the send: the order is out of date and says how -------------
    type_into_cell(qtbot, ws.production_view, cell(win, line.id, "quantity"), "10")
    QApplication.sendEvent(orders, QEvent(QEvent.Type.WindowActivate))
    qtbot.waitUntil(lambda: orders.orders.index(0, 7).data() == OUT_OF_DATE)
    assert orders.orders.index(0, 7).data(Qt.ItemDataRole.ToolTipRole) == f"{MOTOR}: quantity 8 → 10"
    orders.close()

    # -- 10. View › Deadlines: the template's milestones (the order is sent: its order-by is met) ------
    win.findChild(QAction, "actionDeadlines").trigger()
    panel = win.deadlines.panel
    qtbot.waitUntil(lambda: panel.is_loaded() and panel.view.isVisible())
    mine = [r for r in load_deadlines(db, date.today()).rows if r.project_id == project_id]
    assert len(mine) == 7 and not any(r.source == "order" for r in mine)
    row = next(
        n
        for n in range(panel.model.rowCount())
        if (entry := panel.model.index(n, 0).data(DEADLINE_ROLE)) is not None
        and entry.project_id == project_id
        and entry.name == "Design approval"
    )
    done = panel.model.index(row, DONE)
    panel.view.scrollTo(done)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=check_centre(panel.view, done))
    assert done.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert master_data.load_one(db, MILESTONES, stored["Design approval"].id).values["done"] is True
    assert "Design approval" in win.undo_action.text()
    win.undo_action.trigger()  # Edit › Undo
    assert master_data.load_one(db, MILESTONES, stored["Design approval"].id).values["done"] is False
    assert [s for s in dialogs.shown if s[0] == "error"] == []


def new_client(qtbot: Any, win: MainWindow, name: str) -> None:
    """File › New client, its name typed, the dialog closed."""
    win.findChild(QAction, "actionNewClient").trigger()
    client_dialog = win.project_actions.client_dialogs[None]
    qtbot.waitExposed(client_dialog)
    type_field(qtbot, client_dialog.form.widgets["name"], name)
    qtbot.waitUntil(lambda: client_dialog.client_id is not None)
    qtbot.mouseClick(client_dialog.close_button, Qt.MouseButton.LeftButton)


def new_project(qtbot: Any, win: MainWindow, client: str, fields: dict[str, str]) -> ProjectDialog:
    """File › New project for ``client``, each field typed (``name`` first), created; the dialog
    stays open."""
    win.findChild(QAction, "actionNewProject").trigger()
    project_dialog = win.project_actions.project_dialogs[None]
    qtbot.waitExposed(project_dialog)
    choose(qtbot, project_dialog.client, client)
    for key, text in fields.items():
        type_field(qtbot, project_dialog.field(key), text, Qt.Key.Key_Tab)
    qtbot.mouseClick(project_dialog.create_button, Qt.MouseButton.LeftButton)
    assert project_dialog.message.text() == "", project_dialog.message.text()
    assert project_dialog.project_id is not None
    return project_dialog


def new_client_and_project(
    qtbot: Any, win: MainWindow, client: str, project: str, start: date, end: date
) -> ProjectDialog:
    """File › New client (its name), then File › New project for it on ``start``–``end``, created;
    the project's dialog stays open."""
    new_client(qtbot, win, client)
    return new_project(
        qtbot, win, client, {"name": project, "start_date": start.isoformat(), "end_date": end.isoformat()}
    )


def _in_navigator(win: MainWindow, name: str) -> bool:
    model = win.navigator.view.model()
    return bool(
        model.match(
            model.index(0, 0),
            Qt.ItemDataRole.DisplayRole,
            name,
            1,
            Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly,
        )
    )
