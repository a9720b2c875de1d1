"""Issue 12 item 4: a new company types amounts and dates the way its people write them.

From an empty data folder, through the real widgets: the first run sets up a company in US
dollars (en-US) or in pounds (en-GB); then ``1.5k`` and the currency's ``1,250.00`` in the
catalog editor, the short date in the project dialog, ``1.5k``, ``$1,250.00`` / ``£1,250.00``
and the short date in estimate cells and ``2m`` in a parameter — and a refused date that says
which order the locale reads, changing nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from app.models.enums import LineKind
from app.services import master_data
from app.services.catalog.items import CATALOG_ITEMS
from app.services.projects.details import PROJECTS
from app.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs
from tests.gui.helpers import cell, finish_typing, open_editor, type_into_cell, type_over, workspace
from tests.gui.test_acceptance_company import (
    add_record,
    choose,
    choose_in_cell,
    click_in_navigator,
    editor_cell,
    open_company_setup,
    param_cell,
    type_form,
)
from tests.gui.test_company import _settings as company_settings
from tests.gui.test_company import _type as type_setting
from tests.gui.test_project_dialogs import navigator_index, type_field

pytestmark = pytest.mark.gui
D = Decimal
MAY_10_2027 = date(2027, 5, 10)
LOCALES = [
    # currency typed at set-up, its sign, 10 May 2027 as the locale writes it, a date it refuses
    ("usd", "$", "5/10/27", "13/5/27", "(month/day/year)"),
    ("gbp", "£", "10/05/27", "5/13/27", "(day/month/year)"),
]


def set_up_company(qtbot: Any, win: MainWindow, currency: str) -> None:
    setup = open_company_setup(qtbot, win)
    type_form(qtbot, setup.form.editors["name"], "Brightside Events")
    type_form(qtbot, setup.form.editors["currency"], currency)
    qtbot.mouseClick(setup.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.isVisible)


@pytest.mark.parametrize(("currency", "sign", "short", "refused", "order"), LOCALES, ids=["en-US", "en-GB"])
def test_a_new_company_types_amounts_and_dates_its_own_way(
    qtbot: Any,
    fresh_window: MainWindow,
    dialogs: FakeDialogs,
    currency: str,
    sign: str,
    short: str,
    refused: str,
    order: str,
) -> None:
    win = fresh_window
    set_up_company(qtbot, win, currency)
    db = win.db
    assert db is not None

    # The catalog editor (a master-data editor): 1.5k and the currency's own sign.
    win.editor_actions.catalog_action.trigger()
    catalog = win.editor_actions.master_editors["catalog"]
    qtbot.waitUntil(catalog.isVisible)
    add_record(qtbot, catalog, dialogs, "Stage deck")
    type_into_cell(qtbot, catalog.table, editor_cell(catalog, "Stage deck", "unit_cost"), "1.5k")
    assert catalog.message.text() == "", catalog.message.text()
    type_into_cell(qtbot, catalog.table, editor_cell(catalog, "Stage deck", "unit_price"), f"{sign}1,250.00")
    assert catalog.message.text() == "", catalog.message.text()
    (item,) = [r for r in master_data.load(db, CATALOG_ITEMS) if r.values["name"] == "Stage deck"]
    assert (item.values["unit_cost"], item.values["unit_price"]) == (D(1500), D(1250))
    qtbot.mouseClick(catalog.close_button, Qt.MouseButton.LeftButton)

    # A client and a project whose load-in is typed in the locale's short form.
    win.findChild(QAction, "actionNewClient").trigger()
    client_dialog = win.project_actions.client_dialogs[None]
    qtbot.waitExposed(client_dialog)
    type_field(qtbot, client_dialog.form.widgets["name"], "Maple Health")
    qtbot.waitUntil(lambda: client_dialog.client_id is not None)
    qtbot.mouseClick(client_dialog.close_button, Qt.MouseButton.LeftButton)
    win.findChild(QAction, "actionNewProject").trigger()
    project_dialog = win.project_actions.project_dialogs[None]
    qtbot.waitExposed(project_dialog)
    choose(qtbot, project_dialog.client, "Maple Health")
    for key, text in (("name", "Summit"), ("start_date", short), ("end_date", short)):
        type_field(qtbot, project_dialog.field(key), text, Qt.Key.Key_Tab)
    qtbot.mouseClick(project_dialog.create_button, Qt.MouseButton.LeftButton)
    assert project_dialog.message.text() == "", project_dialog.message.text()
    assert project_dialog.project_id is not None
    stored = master_data.load_one(db, PROJECTS, project_dialog.project_id).values
    assert (stored["start_date"], stored["end_date"]) == (MAY_10_2027, MAY_10_2027)
    qtbot.mouseClick(project_dialog.close_button, Qt.MouseButton.LeftButton)

    # An estimate: 1.5k and the sign's 1,250.00 in a line's cells, the short date on a labour line.
    qtbot.waitUntil(lambda: navigator_index(win, "Summit").isValid())
    click_in_navigator(qtbot, win, "Summit")
    dialogs.answers.append("Full stage")
    win.findChild(QAction, "actionNewEstimate").trigger()
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.doc.header.name == "Full stage")
    ws = workspace(win)
    view = ws.production_view

    def added_line() -> Any:
        before = {line.id for line in ws.doc.lines()}
        view.setFocus()
        win.findChild(QAction, "actionAddLine").trigger()
        (new,) = [line.id for line in ws.doc.lines() if line.id not in before]
        return new

    deck = added_line()
    type_into_cell(qtbot, view, cell(win, deck, "quantity"), "1.5k")
    type_into_cell(qtbot, view, cell(win, deck, "unit_cost"), f"{sign}1,250.00")
    assert not ws.production_pane.cell_message.isVisible(), ws.production_pane.cell_message.text()
    assert (ws.doc.line(deck).quantity, ws.doc.line(deck).unit_cost) == (D(1500), D(1250))

    call = added_line()
    choose_in_cell(qtbot, view, cell(win, call, "kind"), "Labour")
    type_into_cell(qtbot, view, cell(win, call, "call_date"), short)
    assert ws.doc.line(call).call_date == MAY_10_2027
    type_into_cell(qtbot, view, cell(win, call, "call_date"), refused)
    message = ws.production_pane.cell_message
    qtbot.waitUntil(message.isVisible)
    assert "like 2027-03-08 or Mar 8 2027, or " in message.text() and order in message.text()
    assert ws.doc.line(call).call_date == MAY_10_2027  # refused: nothing changed

    # A parameter's value: 2m.
    params = ws.production_pane.parameters
    qtbot.mouseClick(params.add_button, Qt.MouseButton.LeftButton)
    finish_typing(qtbot, params.view, type_over(qtbot, open_editor(params.view), "attendees"))
    type_into_cell(qtbot, params.view, param_cell(win, "attendees", "value"), "2m")
    (attendees,) = [p for p in ws.doc.parameters if p.name == "attendees"]
    assert attendees.value == D(2_000_000)


def test_a_changed_currency_changes_how_short_dates_are_read(qtbot: Any, window: MainWindow) -> None:
    ws = workspace(window)
    view = ws.production_view
    call = next(line.id for line in ws.doc.lines() if line.description == "Stagehands, load-in")
    type_into_cell(qtbot, view, cell(window, call, "call_date"), "5/10/27")
    assert ws.doc.line(call).call_date == date(2027, 5, 10)  # a US company: month first

    dialog = company_settings(qtbot, window)
    type_setting(qtbot, dialog.form, "currency", "gbp")  # saved on Enter: now a UK company
    dialog.close()
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.doc.header.currency == "GBP")
    ws = workspace(window)
    type_into_cell(qtbot, ws.production_view, cell(window, call, "call_date"), "5/10/27")
    assert ws.doc.line(call).call_date == date(2027, 10, 5)  # day first
    gear = next(line.id for line in ws.doc.lines() if line.kind is LineKind.EQUIPMENT)
    type_into_cell(qtbot, ws.production_view, cell(window, gear, "unit_cost"), "£1.5k")
    assert ws.doc.line(gear).unit_cost == D(1500)
