"""Issue 11's acceptance test: a new company, from an empty data folder to a won, staffed job and its
client quote — through the real widgets only.

Clicks, keys, typing into fields and cells, a drag from the roster onto the calendar; message boxes
and file pickers are answered by the fake dialogs. The services are called only to check what was
stored. The job's dates are weeks ahead of today, so the calendar (a year from last month) shows them.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLineEdit, QToolBar, QWidget

from app.models.enums import LineKind, ProjectStatus
from app.services import master_data
from app.services.catalog.suppliers import SUPPLIERS
from app.services.company.settings import load_company
from app.services.crew import people as crew
from app.services.crew.board import CrewBoard
from app.services.labour.rules import RULE_FIELDS, RULE_SETS
from app.services.lookups import load_lookups
from app.services.paths import default_database
from app.services.projects import lifecycle
from app.services.projects.clients import CONTACTS
from app.services.projects.details import PROJECTS
from app.ui.company.setup_dialog import CompanySetupDialog
from app.ui.company.welcome import FirstRun
from app.ui.crew.calendar_style import NAME_WIDTH
from app.ui.estimate.parameters_panel import COLUMN_INDEX as PARAM_COLUMN
from app.ui.main_window import MainWindow
from app.ui.master_data import MasterDataDialog
from tests.gui.conftest import FakeDialogs
from tests.gui.helpers import (
    cell,
    finish_typing,
    open_editor,
    send_drop,
    start_typing,
    tab_to_next_cell,
    type_into_cell,
    type_over,
    workspace,
)
from tests.gui.test_project_dialogs import navigator_index, type_field
from tests.gui.test_quote_pdf import assert_is_the_quote, flat, pdf_text
from tests.test_excel_export import _xml_texts, recalculate, row_of

pytestmark = pytest.mark.gui
D = Decimal
COMPANY = "Brightside Events"
TERMS = "50% deposit on signature; balance net 30."
CONTACT = "Priya Shah"
SUPPLIER = "Northstar Staging"
RULES = "IATSE Local 58"
PROJECT = "Maple Health Summit"
MIC_COST, DECK_COST, OWN_RATE = "37.35", "1234.56", "47.25"


# -- small helpers: what a user does with a combo box, a form field, a cell of a choice ------------


def choose(qtbot: Any, combo: QComboBox, text: str) -> None:
    """Focus a combo box and step through it with the arrow keys until it shows ``text``."""
    combo.setFocus()
    target = combo.findText(text)
    assert target >= 0, f"{text!r} is not offered: {[combo.itemText(i) for i in range(combo.count())]}"
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)
    assert combo.currentText() == text


def choose_in_cell(qtbot: Any, view: QAbstractItemView, index: Any, text: str) -> None:
    """Open a choice cell with F2, pick ``text`` with the arrow keys, press Return."""
    view.setFocus()
    view.setCurrentIndex(index)
    view.scrollTo(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    (combo,) = [c for c in view.viewport().findChildren(QComboBox, "choiceEditor") if c.isVisible()]
    choose(qtbot, combo, text)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def type_form(qtbot: Any, editor: QWidget, text: str) -> None:
    """Click into a set-up form field and type over it (lines of an address or terms with Return)."""
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton)
    editor.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    for n, line in enumerate(text.split("\n")):
        if n:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClicks(editor, line)


def click_in_navigator(qtbot: Any, window: MainWindow, name: str) -> None:
    view = window.navigator.view
    index = navigator_index(window, name)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def status_shown(window: MainWindow, name: str) -> str:
    return str(navigator_index(window, name).siblingAtColumn(1).data())


def editor_cell(editor: MasterDataDialog, name: str, key: str) -> Any:
    """The cell of ``key`` on the row named ``name`` (by the kind's name: an activity's subject)."""
    row = next(n for n, r in enumerate(editor.model.rows) if r.values[editor.kind.name_key] == name)
    return editor.model.index(row, next(n for n, f in enumerate(editor.kind.fields) if f.key == key))


def add_record(qtbot: Any, editor: MasterDataDialog, dialogs: FakeDialogs, name: str) -> None:
    dialogs.answers.append(name)
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: name in {r.values[editor.kind.name_key] for r in editor.model.rows})


def param_cell(window: MainWindow, name: str, column: str) -> Any:
    panel = workspace(window).production_pane.parameters
    row = next(n for n, p in enumerate(workspace(window).doc.parameters) if p.name == name)
    return panel.model.index(row, PARAM_COLUMN[column])


def monday_weeks_ahead(weeks: int) -> date:
    day = date.today() + timedelta(weeks=weeks)
    return day - timedelta(days=day.weekday())


def open_company_setup(qtbot: Any, win: MainWindow) -> CompanySetupDialog:
    """The first run's welcome window, and its Set up my company clicked: the set-up form."""
    first = FirstRun(win, default_database())
    first.show()
    qtbot.waitExposed(first.welcome)
    qtbot.mouseClick(first.welcome.setup_button, Qt.MouseButton.LeftButton)
    setup = win.file_actions.setup_dialog
    assert setup is not None
    qtbot.waitExposed(setup)
    return setup


def test_a_new_company_from_an_empty_folder_to_a_won_staffed_job_and_its_quote(
    qtbot: Any, fresh_window: MainWindow, dialogs: FakeDialogs, tandem_home: Path, tmp_path: Path
) -> None:
    win = fresh_window
    assert list(tandem_home.iterdir()) == []
    load_in = monday_weeks_ahead(8)
    show_start, show_end, strike = (load_in + timedelta(days=n) for n in (1, 2, 3))

    # -- 1. The first run: Set up my company ------------------------------------------------------
    setup = open_company_setup(qtbot, win)
    for key, text in (
        ("name", COMPANY),
        ("address", "40 Mill St\nToronto, ON M5A 3R3"),
        ("phone", "+1 416 555 0100"),
        ("email", "quotes@brightside.example"),
        ("currency", "cad"),
        ("tax_label", "HST"),
        ("default_tax_pct", "13"),
        ("quote_terms", TERMS),
    ):
        type_form(qtbot, setup.form.editors[key], text)
    assert setup.ok_button.isEnabled()
    qtbot.mouseClick(setup.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(win.isVisible)
    db = win.db
    assert db is not None and db.path == tandem_home / "tandem.db"
    company = load_company(db)
    assert company is not None
    assert (
        company.values["name"],
        company.values["currency"],
        company.values["tax_label"],
        company.values["default_tax_pct"],
        company.values["quote_terms"],
    ) == (COMPANY, "CAD", "HST", D(13), TERMS)
    with db.read() as conn:
        starter = load_lookups(conn)
    stagehand = next(r for r in starter.roles.values() if r.name == "Stagehand")
    cost_rate, bill_rate = stagehand.cost_rate, stagehand.bill_rate  # the starter set's rates

    # -- 2. A client with its main contact ----------------------------------------------------------
    win.findChild(QAction, "actionNewClient").trigger()
    client_dialog = win.project_actions.client_dialogs[None]
    qtbot.waitExposed(client_dialog)
    type_field(qtbot, client_dialog.form.widgets["name"], "Maple Health")  # Return: Create client
    qtbot.waitUntil(lambda: client_dialog.client_id is not None)
    client_id = client_dialog.client_id
    qtbot.waitUntil(client_dialog.add_button.isEnabled)  # contacts once the client is created
    dialogs.answers.append(CONTACT)
    qtbot.mouseClick(client_dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [r.values["name"] for r in client_dialog.contacts.rows] == [CONTACT])
    fields = [f.key for f in CONTACTS.fields]
    type_into_cell(
        qtbot, client_dialog.table, client_dialog.contacts.index(0, fields.index("title")), "Events director"
    )
    type_into_cell(
        qtbot,
        client_dialog.table,
        client_dialog.contacts.index(0, fields.index("email")),
        "priya@maplehealth.example",
    )
    client_dialog.table.selectRow(0)
    qtbot.mouseClick(client_dialog.main_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            [(r.values["name"], r.values["is_main"]) for r in master_data.load(db, CONTACTS, client_id)]
            == [(CONTACT, True)]
        )
    )
    qtbot.mouseClick(client_dialog.close_button, Qt.MouseButton.LeftButton)

    # -- 3. A labour rule set of the local's terms: Edit › Labour rules…, Add, cells ------------------
    win.editor_actions.labour_rules_action.trigger()
    rules = win.editor_actions.master_editors["labour_rules"]
    qtbot.waitUntil(rules.isVisible)
    add_record(qtbot, rules, dialogs, RULES)
    column = {f.key: i for i, f in enumerate(RULE_FIELDS)}

    def rule_cell(key: str) -> Any:
        row = next(n for n, r in enumerate(rules.model.rows) if r.values["name"] == RULES)
        return rules.model.index(row, column[key])

    for key, text in (
        ("min_call_hours", "4"),
        ("overtime_after_hours", "8"),
        ("overtime_multiplier", "1.5"),
        ("double_time_after_hours", ""),
    ):
        type_into_cell(qtbot, rules.table, rule_cell(key), text)
        assert rules.message.text() == "", rules.message.text()
    rule_set = next(r for r in master_data.load(db, RULE_SETS) if r.values["name"] == RULES)
    assert (
        rule_set.values["min_call_hours"],
        rule_set.values["overtime_after_hours"],
        rule_set.values["overtime_multiplier"],
        rule_set.values["double_time_after_hours"],
        rule_set.values["meal_break_after_hours"],
    ) == (D(4), D(8), D("1.5"), None, None)
    qtbot.mouseClick(rules.close_button, Qt.MouseButton.LeftButton)

    # -- 4. A catalog item and a supplier --------------------------------------------------------------
    win.editor_actions.suppliers_action.trigger()
    suppliers = win.editor_actions.master_editors["suppliers"]
    qtbot.waitUntil(suppliers.isVisible)
    add_record(qtbot, suppliers, dialogs, SUPPLIER)
    type_into_cell(qtbot, suppliers.table, editor_cell(suppliers, SUPPLIER, "contact_name"), "Sam Okafor")
    type_into_cell(qtbot, suppliers.table, editor_cell(suppliers, SUPPLIER, "supplies"), "Staging, decks")
    qtbot.mouseClick(suppliers.close_button, Qt.MouseButton.LeftButton)

    win.editor_actions.catalog_action.trigger()
    catalog = win.editor_actions.master_editors["catalog"]
    qtbot.waitUntil(catalog.isVisible)
    add_record(qtbot, catalog, dialogs, "Wireless handheld mic")
    mic = "Wireless handheld mic"
    choose_in_cell(qtbot, catalog.table, editor_cell(catalog, mic, "kind"), "Equipment")
    choose_in_cell(qtbot, catalog.table, editor_cell(catalog, mic, "category"), "Audio")
    for key, text in (
        ("description", "Shure ULXD2, owned"),
        ("client_description", "Wireless handheld microphone"),
        ("unit", "each"),
        ("unit_cost", MIC_COST),
        ("markup_pct", "150"),
    ):
        type_into_cell(qtbot, catalog.table, editor_cell(catalog, mic, key), text)
        assert catalog.message.text() == "", catalog.message.text()
    qtbot.mouseClick(catalog.close_button, Qt.MouseButton.LeftButton)

    # -- 5. The project: venue, days, AM/PM and the new rule set, chosen in the project dialog --------
    win.findChild(QAction, "actionNewProject").trigger()
    project_dialog = win.project_actions.project_dialogs[None]
    qtbot.waitExposed(project_dialog)
    choose(qtbot, project_dialog.client, "Maple Health")
    assert project_dialog.contact.currentText().startswith(CONTACT)
    tab = Qt.Key.Key_Tab
    for key, text in (
        ("name", PROJECT),
        ("venue", "Metro Toronto Convention Centre"),
        ("start_date", load_in.isoformat()),
        ("show_start_date", show_start.isoformat()),
        ("show_end_date", show_end.isoformat()),
        ("end_date", strike.isoformat()),
        ("account_manager", "Dana Ortiz"),
        ("project_manager", "Lee Brandt"),
    ):
        type_field(qtbot, project_dialog.field(key), text, tab)
    choose(qtbot, project_dialog.field("labour_rule_set_id"), RULES)  # type: ignore[arg-type]
    qtbot.mouseClick(project_dialog.create_button, Qt.MouseButton.LeftButton)
    assert project_dialog.message.text() == "", project_dialog.message.text()
    project_id = project_dialog.project_id
    assert project_id is not None
    stored = master_data.load_one(db, PROJECTS, project_id).values
    assert (
        stored["venue"],
        stored["start_date"],
        stored["show_start_date"],
        stored["show_end_date"],
        stored["end_date"],
        stored["account_manager"],
        stored["project_manager"],
        stored["labour_rule_set_id"],
        stored["client_id"],
    ) == (
        "Metro Toronto Convention Centre",
        load_in,
        show_start,
        show_end,
        strike,
        "Dana Ortiz",
        "Lee Brandt",
        rule_set.id,
        client_id,
    )
    contact_id = master_data.load(db, CONTACTS, client_id)[0].id
    assert stored["contact_id"] == contact_id
    qtbot.mouseClick(project_dialog.close_button, Qt.MouseButton.LeftButton)

    # -- 6. File › New estimate on the project, lines picked, typed and priced -------------------------
    qtbot.waitUntil(
        lambda: (
            win.navigator.view.model().match(
                win.navigator.view.model().index(0, 0),
                Qt.ItemDataRole.DisplayRole,
                PROJECT,
                1,
                Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly,
            )
            != []
        )
    )
    click_in_navigator(qtbot, win, PROJECT)
    dialogs.answers.append("Full stage")
    win.findChild(QAction, "actionNewEstimate").trigger()
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.doc.header.name == "Full stage")
    ws = workspace(win)
    view = ws.production_view
    assert ws.doc.header.project_id == project_id

    win.findChild(QAction, "actionCatalog").trigger()  # Edit › Add from catalog…: the catalog panel
    panel = win.catalog
    qtbot.keyClicks(panel.filter, "Wireless")
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 1)
    qtbot.keyClick(panel.filter, Qt.Key.Key_Return)  # Enter adds the match; the estimate has the focus
    qtbot.waitUntil(lambda: win.focusWidget() is view)  # the window's focus, active or not
    (mic_line,) = ws.doc.lines()
    assert (mic_line.description, mic_line.client_description, mic_line.kind, mic_line.unit_cost) == (
        "Shure ULXD2, owned",
        "Wireless handheld microphone",
        LineKind.EQUIPMENT,
        D(MIC_COST),
    )
    type_into_cell(qtbot, view, cell(win, mic_line.id, "quantity"), "6")

    def added_line() -> uuid.UUID:
        before = {line.id for line in ws.doc.lines()}
        view.setFocus()
        win.findChild(QAction, "actionAddLine").trigger()  # Edit › Add line
        (new,) = [line.id for line in ws.doc.lines() if line.id not in before]
        return new

    deck = added_line()
    type_into_cell(qtbot, view, cell(win, deck, "description"), "Stage deck 4x8, Northstar quote 4471")
    choose_in_cell(qtbot, view, cell(win, deck, "kind"), "Supplier")
    view.setFocus()  # the supplier typed into its cell, as the user knows it
    view.setCurrentIndex(cell(win, deck, "supplier_id"))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    (combo,) = [c for c in view.viewport().findChildren(QComboBox, "choiceEditor") if c.isVisible()]
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "northstar staging")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    supplier_id = next(r.id for r in master_data.load(db, SUPPLIERS) if r.values["name"] == SUPPLIER)
    assert ws.doc.line(deck).supplier_id == supplier_id
    assert not [s for s in dialogs.shown if s[1] == "New supplier"]  # a known supplier: no question
    # A line added by hand starts with no markup (sold at cost): the AM types one. Tab goes from
    # the unit cost over the (computed) cost to the markup, both saved.
    unit_cost = start_typing(qtbot, view, cell(win, deck, "unit_cost"), DECK_COST)
    finish_typing(qtbot, view, tab_to_next_cell(qtbot, view, unit_cost, "25"))
    assert ws.doc.line(deck).price.price == D("1543.20")  # 1,234.56 × 1.25
    # Edit › Find: the supplier's name finds the line, selected in both panes.
    win.findChild(QAction, "actionFind").trigger()
    qtbot.keyClicks(ws.find_bar.edit, "northstar")
    assert ws.current_id() == deck
    assert ws.client_pane.model.id_at(ws.client_view.currentIndex()) == deck
    qtbot.keyClick(ws.find_bar.edit, Qt.Key.Key_Escape)
    client = ws.client_pane  # what the client reads, typed in the client pane
    type_into_cell(qtbot, client.view, client.model.index_for_id(deck), "Stage decking")
    assert ws.doc.line(deck).client_description == "Stage decking"

    call = added_line()
    type_into_cell(qtbot, view, cell(win, call, "description"), "Stagehands, load-in")
    choose_in_cell(qtbot, view, cell(win, call, "kind"), "Labour")
    choose_in_cell(qtbot, view, cell(win, call, "role_id"), "Stagehand")
    choose_in_cell(qtbot, view, cell(win, call, "phase"), "Load-in")
    type_into_cell(qtbot, view, cell(win, call, "quantity"), "4")
    type_into_cell(qtbot, view, cell(win, call, "start_time"), "07:00")
    type_into_cell(qtbot, view, cell(win, call, "end_time"), "19:00")
    line = ws.doc.line(call)
    assert (line.kind, line.role_id, line.call_date, line.start_time, line.end_time) == (
        LineKind.LABOUR,
        stagehand.id,
        load_in,
        time(7),
        time(19),
    )  # the date from the project's load-in
    assert cell(win, call, "paid").data() == "8 ST + 4 OT"
    paid_hours = 8 + 4 * D("1.5")  # min call 4 h is met; no double time
    call_cost, call_price = 4 * paid_hours * cost_rate, 4 * paid_hours * bill_rate
    assert (line.price.cost, line.price.price) == (call_cost, call_price)
    assert (call_cost, call_price) == (D("2520.00"), D("4200.00"))  # 4 × 14 h × 45.00 / × 75.00

    # -- 7. A parameter, and a second scenario where it differs -------------------------------------
    params = ws.production_pane.parameters
    qtbot.mouseClick(params.add_button, Qt.MouseButton.LeftButton)
    finish_typing(qtbot, params.view, type_over(qtbot, open_editor(params.view), "deck_sections"))
    type_into_cell(qtbot, params.view, param_cell(win, "deck_sections", "value"), "12")
    type_into_cell(qtbot, view, cell(win, deck, "quantity"), "=deck_sections")
    assert ws.doc.line(deck).quantity == 12
    full_total = ws.doc.totals.total
    dialogs.answers.append("Half stage")
    win.estimate_actions.duplicate_action.trigger()
    qtbot.waitUntil(lambda: win.workspace is not None and win.workspace.doc.header.name == "Half stage")
    ws = workspace(win)
    type_into_cell(qtbot, ws.production_pane.parameters.view, param_cell(win, "deck_sections", "value"), "6")
    half = ws.doc
    half_deck = next(line for line in half.lines() if line.description.startswith("Stage deck"))
    assert half_deck.quantity == 6 and half.totals.total < full_total

    # -- 8. Send quote: the project is quoted ----------------------------------------------------------
    dialogs.answers.extend(["Dana Ortiz", "First issue"])  # sent by, note
    win.findChild(QAction, "actionSendQuote").trigger()
    assert lifecycle.load_state(db, project_id).status is ProjectStatus.QUOTED
    qtbot.waitUntil(lambda: status_shown(win, PROJECT) == "Quoted")

    # -- 9. Project › Mark won…, choosing the second scenario -------------------------------------------
    click_in_navigator(qtbot, win, PROJECT)
    dialogs.answers.append(1)
    win.project_actions.status_actions[ProjectStatus.WON].trigger()
    assert dialogs.shown[-1] == ("choose_item", "Mark won", "Full stage\nHalf stage")
    state = lifecycle.load_state(db, project_id)
    assert (state.status, state.chosen_estimate_id) == (ProjectStatus.WON, half.estimate_id)
    qtbot.waitUntil(lambda: status_shown(win, PROJECT) == "Won")

    # -- 10. A crew member, a Stagehand with an own rate ------------------------------------------------
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
    qtbot.waitUntil(lambda: "Stagehand" in str(crew_editor.model.index(0, 3).data()))
    crew_editor.roles.setCurrentCell(role_row, 2)
    qtbot.keyClick(crew_editor.roles, Qt.Key.Key_F2)
    rate_editor = crew_editor.roles.viewport().findChild(QLineEdit)
    assert rate_editor is not None
    qtbot.keyClicks(rate_editor, OWN_RATE)
    qtbot.keyClick(rate_editor, Qt.Key.Key_Return)
    (jordan,) = crew.load_crew(db).values()
    qtbot.waitUntil(
        lambda: list(next(iter(crew.load_crew(db).values())).cost_rate_overrides.values()) == [D(OWN_RATE)]
    )
    assert jordan.role_ids == frozenset({stagehand.id})
    crew_editor.close()

    # -- 11. The crew calendar: a tab beside the estimate, on the project's days; Staffing open below -----
    win.staffing_dock.toggleViewAction().trigger()
    staffing = win.staffing
    call_line = line_called(half, "Stagehands, load-in")

    def staffing_rows() -> list[tuple[uuid.UUID, date, int, int]]:
        rows = [staffing.model.row(r) for r in range(staffing.model.rowCount())]
        return [(c.call.line_id, d.day, d.needed, d.filled) for c, d in rows]

    qtbot.waitUntil(lambda: staffing_rows() == [(call_line, load_in, 4, 0)])
    win.findChild(QAction, "actionCrewCalendar").trigger()
    crew_panel = win.crew_panel
    qtbot.waitUntil(lambda: crew_panel.board is not None and jordan.id in crew_panel.view.row_of)
    assert win.places.currentWidget() is crew_panel  # a tab, the estimate's beside it
    calendar = crew_panel.view
    assert calendar.grid.project_days == (load_in, strike)  # no scrolling: the project's days are shown
    assert NAME_WIDTH <= calendar.x_of_day(load_in) <= calendar.viewport().width() - calendar.day_width
    roster = crew_panel.roster
    roster_row = next(
        r for r in range(roster.count()) if roster.item(r).data(Qt.ItemDataRole.UserRole) == str(jordan.id)
    )
    point = QPoint(
        int(calendar.x_of_day(load_in) + calendar.day_width / 2),
        calendar.y_of_row(calendar.row_of[jordan.id]) + 10,
    )
    dialogs.answers.append(0)  # the one open position that day
    send_drop(
        calendar.viewport(),
        roster.mime_for_row(roster_row),
        point,
        Qt.DropAction.CopyAction | Qt.DropAction.MoveAction,
    )
    kind, title, offered = dialogs.shown[-1]
    assert (kind, title) == ("choose_item", "Assign Jordan Lee")
    assert offered.startswith(f"{PROJECT} — Stagehand, load-in 07:00–19:00 (0 of 4"), offered
    assert len(offered.splitlines()) == 1, offered  # the Full stage's call no longer counts
    board = CrewBoard(db, load_in - timedelta(days=7), load_in + timedelta(days=7))
    (assignment,) = board.assignments.values()
    assert assignment.crew_member_id == jordan.id
    assert assignment.line_item_id == call_line
    assert win.undo_action.text() == crew_panel.undo_action.text() == f"Undo Assign to {PROJECT}"

    # -- 12. Staffing: the position filled, for the chosen scenario, at once (no Refresh, no reopening) ----
    assert staffing_rows() == [(call_line, load_in, 4, 1)]
    toolbar = crew_panel.findChild(QToolBar, "crewToolbar")
    qtbot.mouseClick(toolbar.widgetForAction(crew_panel.undo_action), Qt.MouseButton.LeftButton)
    assert staffing_rows() == [(call_line, load_in, 4, 0)]
    qtbot.mouseClick(toolbar.widgetForAction(crew_panel.redo_action), Qt.MouseButton.LeftButton)
    assert staffing_rows() == [(call_line, load_in, 4, 1)]

    # -- 13. File › Export quote: the client's document ---------------------------------------------------
    out = tmp_path / "maple-quote.xlsx"
    dialogs.answers.append(str(out))
    exports = win.export_actions
    win.findChild(QAction, "actionExportQuote").trigger()
    qtbot.waitUntil(lambda: exports.running is None, timeout=20000)
    assert out.exists(), dialogs.shown
    sheet = load_workbook(out)["Quote"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert sheet["A1"].value == COMPANY
    assert sheet[f"B{row_of(sheet, 'Contact')}"].value == f"{CONTACT}, Events director"  # the main contact
    assert any(TERMS in t for t in texts)
    total = half.totals.total  # the chosen scenario's total, as the document computes it
    assert recalculate(out, "Quote", f"E{row_of(sheet, 'Total (CAD)')}") == [total]
    parts = _xml_texts(out)
    shown = " ".join(t for found in parts.values() for t in found)
    for heading in (COMPANY, CONTACT, "40 Mill St", "Stage decking", "Wireless handheld microphone"):
        assert heading in shown, heading  # the scan below reads what the client reads

    with zipfile.ZipFile(out) as z:
        raw = {name: z.read(name).decode("utf-8", "replace") for name in z.namelist() if name in parts}
    # The workbook's own timestamps (docProps/core.xml: "…T01:15:45Z") are not figures.
    raw = {name: re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", "", text) for name, text in raw.items()}
    secrets = [SUPPLIER, "Northstar", "Shure ULXD2", "quote 4471"]
    figures = [
        MIC_COST,
        DECK_COST,
        OWN_RATE,
        format(cost_rate, "f"),
        format(half.totals.cost, "f"),
        format(call_cost, "f"),
    ]
    for name, found in parts.items():
        for text in found:
            for word in secrets:
                assert word not in text, (name, word)
        for figure in figures:
            plain = format(D(figure).normalize(), "f")  # 45, 37.35, 2520: with any trailing zeros
            tail = "0*" if "." in plain else r"(\.0+)?"
            assert not re.search(rf"(?<![\d.]){re.escape(plain)}{tail}(?![\d])", raw[name]), (name, figure)
            assert f"{D(figure):,.2f}" not in raw[name], (name, figure)
    # The save dialog proposed the quote's number, its revision and the project.
    assert re.fullmatch(r"Q\d{4}-\d{4} rev 1 – Maple Health Summit\.xlsx", Path(dialogs.proposed[-1]).name)

    # -- 14. Estimate › Compare scenarios… › Export to Excel…: the options for the client ----------------
    win.findChild(QAction, "actionCompareScenarios").trigger()
    compare = win.estimate_actions.compare_dialog
    assert compare is not None
    qtbot.waitUntil(lambda: compare.comparison is not None)
    options = tmp_path / "maple-options.xlsx"
    dialogs.answers.append(str(options))
    qtbot.mouseClick(compare.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: compare.exporting is None, timeout=20000)
    assert options.exists(), dialogs.shown
    assert Path(dialogs.proposed[-1]).name == "Maple Health Summit – options compared.xlsx"
    sheet = load_workbook(options)["Options compared"]
    assert [c.value for c in sheet[row_of(sheet, "Section")]][:3] == ["Section", "Full stage", "Half stage"]
    total_row = row_of(sheet, "Total (CAD)")
    assert recalculate(options, "Options compared", f"B{total_row}", f"C{total_row}", f"D{total_row}") == [
        full_total, half.totals.total, half.totals.total - full_total]
    for name, found in _xml_texts(options).items():
        for text in found:
            assert not re.search(r"\b(cost|costs|margin|margins|markup|hours)\b", text, re.I), (name, text)
            for word in secrets:
                assert word not in text, (name, word)
    compare.close()

    # -- 14. File › Export quote as PDF…: the same quote on paper, nothing internal -------------------
    pdf_out = tmp_path / "maple-quote.pdf"
    dialogs.answers.append(str(pdf_out))
    win.findChild(QAction, "actionExportQuotePdf").trigger()
    qtbot.waitUntil(lambda: win.quote_actions.running is None and pdf_out.exists(), timeout=20000)
    assert pdf_out.exists(), dialogs.shown
    assert_is_the_quote(half, pdf_out)  # every section and line, the total, the terms; no cost words
    on_paper = flat(pdf_text(pdf_out)[1])
    for heading in (COMPANY, CONTACT, "40 Mill St", TERMS):
        assert heading in on_paper, heading
    for word in secrets:
        assert word not in on_paper, word
    for figure in figures:
        plain = format(D(figure).normalize(), "f")
        assert not re.search(rf"(?<![\d.,]){re.escape(plain)}(?![\d])", on_paper), figure
        assert f"{D(figure):,.2f}" not in on_paper, figure


def line_called(doc: Any, description: str) -> uuid.UUID:
    return next(line.id for line in doc.lines() if line.description == description)
