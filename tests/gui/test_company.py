"""The company in the GUI: the first run from an empty data folder, setting up, the settings dialog.

Real widgets throughout: the welcome window's buttons, typing into the set-up form and the
settings dialog, their Undo/Redo buttons; only file pickers and message boxes are answered by
the fake dialogs.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLineEdit

from app.services.company.settings import load_company, save_field
from app.services.lookups import load_lookups
from app.services.paths import default_database
from app.services.storage.database import Database, open_database
from app.ui.company.form import CompanyForm
from app.ui.company.settings_dialog import CompanySettingsDialog
from app.ui.company.setup_dialog import CompanySetupDialog
from app.ui.company.welcome import FirstRun
from app.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs


def _type(qtbot: Any, form: CompanyForm, key: str, text: str, *, enter: bool = True) -> None:
    """Click into a field, replace its text by typing, and (for a line) press Enter."""
    editor = form.editors[key]
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    for n, line in enumerate(text.split("\n")):
        if n:
            qtbot.keyClick(editor, Qt.Key.Key_Return)  # a new line of the address or terms
        if line:
            qtbot.keyClicks(editor, line)
    if enter and isinstance(editor, QLineEdit):
        qtbot.keyClick(editor, Qt.Key.Key_Return)


def _type_line(qtbot: Any, edit: QLineEdit, text: str) -> None:
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def _message(form: CompanyForm, key: str) -> str:
    label = form.messages[key]
    return label.text() if label.isVisible() else ""


def _logo(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    Image.new("RGB", (240, 80), (14, 116, 144)).save(path, "PNG")
    return path


@pytest.fixture
def fresh_window(qtbot: Any, dialogs: FakeDialogs, tandem_home: Path) -> MainWindow:
    """A main window with no database, as run_gui makes it on the first run (not shown yet)."""
    win = MainWindow(dialogs=dialogs)  # type: ignore[arg-type]
    qtbot.addWidget(win)
    return win


def _first_run(qtbot: Any, win: MainWindow) -> FirstRun:
    first = FirstRun(win, default_database())
    first.show()
    qtbot.waitExposed(first.welcome)
    return first


def _close(db: Database | None) -> None:
    if db is not None:
        db.close()


# -- the first run ---------------------------------------------------------------------------------


def test_first_run_sets_up_my_company_from_an_empty_data_folder(qtbot: Any, fresh_window: MainWindow,
                                                                dialogs: FakeDialogs, tandem_home: Path,
                                                                tmp_path: Path) -> None:
    assert list(tandem_home.iterdir()) == []
    first = _first_run(qtbot, fresh_window)
    qtbot.mouseClick(first.welcome.setup_button, Qt.MouseButton.LeftButton)
    dialog = fresh_window.file_actions.setup_dialog
    assert isinstance(dialog, CompanySetupDialog)
    qtbot.waitExposed(dialog)
    form = dialog.form
    assert not dialog.ok_button.isEnabled()  # no name yet
    assert not (tandem_home / "tandem.db").exists()  # nothing written before OK

    _type(qtbot, form, "name", "Brightside Events", enter=False)
    _type(qtbot, form, "currency", "dollars", enter=False)
    assert _message(form, "currency") == ("Currency must be a 3-letter ISO code like USD, EUR or GBP; "
                                          "“DOLLARS” is not.")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClick(form.editors["currency"], Qt.Key.Key_Return)  # Enter while refused: nothing happens
    assert dialog.isVisible() and not (tandem_home / "tandem.db").exists()
    _type(qtbot, form, "currency", "cad", enter=False)
    assert _message(form, "currency") == ""
    _type(qtbot, form, "quote_number_pattern", "BE-{year}", enter=False)
    assert "must contain {seq}" in _message(form, "quote_number_pattern")
    assert form.example.text() == ""
    _type(qtbot, form, "quote_number_pattern", "BE-{seq:03}", enter=False)
    assert form.example.text() == "The first quote this year would be BE-001."
    _type(qtbot, form, "target_margin_pct", "100", enter=False)
    assert _message(form, "target_margin_pct") == "Target margin must be below 100 %."
    assert not dialog.ok_button.isEnabled()
    _type(qtbot, form, "target_margin_pct", "38", enter=False)
    _type(qtbot, form, "default_tax_pct", "13", enter=False)
    _type(qtbot, form, "tax_label", "HST", enter=False)
    _type(qtbot, form, "address", "40 Mill St\nToronto, ON M5A 3R3", enter=False)
    _type(qtbot, form, "quote_terms", "50% deposit on signature.", enter=False)
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("hello")
    dialogs.answers = [str(not_an_image)]
    qtbot.mouseClick(form.choose_logo_button, Qt.MouseButton.LeftButton)
    assert _message(form, "logo") == "notes.png is not a PNG or JPEG image."
    assert form.logo_preview.pixmap().isNull()
    dialogs.answers = [str(_logo(tmp_path))]
    qtbot.mouseClick(form.choose_logo_button, Qt.MouseButton.LeftButton)
    assert _message(form, "logo") == "" and not form.logo_preview.pixmap().isNull()
    assert dialog.ok_button.isEnabled()

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fresh_window.isVisible())
    assert not first.welcome.isVisible()
    db = fresh_window.db
    assert db is not None and db.path == tandem_home / "tandem.db"
    company = load_company(db)
    assert company is not None
    assert (company.values["name"], company.values["currency"], company.values["tax_label"]) == (
        "Brightside Events", "CAD", "HST")
    assert (company.values["target_margin_pct"], company.values["default_tax_pct"]) == (Decimal(38),
                                                                                        Decimal(13))
    assert company.values["quote_number_pattern"] == "BE-{seq:03}"
    assert company.values["address"] == "40 Mill St\nToronto, ON M5A 3R3"
    assert company.values["logo"]
    with db.read() as conn:
        lookups = load_lookups(conn)
    assert "Stagehand" in {r.name for r in lookups.roles.values()}
    assert len(lookups.rule_sets) == 1
    assert not (tandem_home / "demo.db").exists()
    assert fresh_window.company_actions.settings_action.isEnabled()


def test_first_run_tries_the_demo_in_its_own_file(qtbot: Any, fresh_window: MainWindow,
                                                   tandem_home: Path) -> None:
    first = _first_run(qtbot, fresh_window)
    qtbot.mouseClick(first.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fresh_window.isVisible())
    assert fresh_window.db is not None and fresh_window.db.path == tandem_home / "demo.db"
    assert fresh_window.workspace is not None
    assert fresh_window.workspace.doc.header.company_name == "Northlight Productions"
    assert not (tandem_home / "tandem.db").exists()
    assert not first.welcome.isVisible()


def test_first_run_opens_an_existing_database(qtbot: Any, fresh_window: MainWindow, dialogs: FakeDialogs,
                                              tmp_path: Path) -> None:
    existing = tmp_path / "office.db"
    _close(open_database(existing))
    first = _first_run(qtbot, fresh_window)
    dialogs.answers = [None]  # the file picker cancelled: the welcome stays
    qtbot.mouseClick(first.welcome.open_button, Qt.MouseButton.LeftButton)
    assert first.welcome.isVisible() and not fresh_window.isVisible()
    dialogs.answers = [str(existing)]
    qtbot.mouseClick(first.welcome.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fresh_window.isVisible())
    assert fresh_window.db is not None and fresh_window.db.path == existing


def test_cancelling_the_setup_leaves_no_file_and_the_welcome_open(qtbot: Any, fresh_window: MainWindow,
                                                                 tandem_home: Path) -> None:
    first = _first_run(qtbot, fresh_window)
    qtbot.mouseClick(first.welcome.setup_button, Qt.MouseButton.LeftButton)
    dialog = fresh_window.file_actions.setup_dialog
    assert dialog is not None
    _type(qtbot, dialog.form, "name", "Brightside Events", enter=False)
    dialog.reject()
    assert not (tandem_home / "tandem.db").exists()
    assert first.welcome.isVisible() and fresh_window.db is None
    first.welcome.close()


# -- File › New database… and a database without a company -----------------------------------------


def test_new_database_runs_the_same_setup_on_the_new_file(qtbot: Any, window: MainWindow,
                                                          dialogs: FakeDialogs, tmp_path: Path) -> None:
    target = tmp_path / "brightside.db"
    dialogs.answers = [str(target)]
    window.findChild(type(window.company_actions.settings_action), "actionNewDatabase").trigger()
    dialog = window.file_actions.setup_dialog
    assert isinstance(dialog, CompanySetupDialog) and str(target) in dialog.findChild(
        type(dialog.form.example), "companySetupIntro").text()
    _type(qtbot, dialog.form, "name", "Brightside Events", enter=False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.db is not None and window.db.path == target)
    company = load_company(window.db)  # type: ignore[arg-type]
    assert company is not None and company.values["name"] == "Brightside Events"
    assert window.workspace is None  # a new company has no estimates yet


def test_company_settings_on_a_database_without_a_company_sets_it_up(qtbot: Any, window: MainWindow,
                                                                     empty_db: Database) -> None:
    other = open_database(empty_db.path.parent / "bare.db")  # type: ignore[union-attr]
    window.set_database(other)
    try:
        window.company_actions.settings_action.trigger()
        dialog = window.company_actions.setup_dialog
        assert isinstance(dialog, CompanySetupDialog)
        _type(qtbot, dialog.form, "name", "Brightside Events", enter=False)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: load_company(other) is not None)
        window.company_actions.settings_action.trigger()
        assert isinstance(window.company_actions.settings_dialog, CompanySettingsDialog)
        window.company_actions.settings_dialog.close()
    finally:
        window.close_estimate()
        other.close()


# -- File › Company settings… ------------------------------------------------------------------------


def _settings(qtbot: Any, window: MainWindow) -> CompanySettingsDialog:
    window.company_actions.settings_action.trigger()
    dialog = window.company_actions.settings_dialog
    assert isinstance(dialog, CompanySettingsDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # focus moves inside it, as for a user who clicked into it
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _stored(db: Database, key: str) -> Any:
    company = load_company(db)
    assert company is not None
    return company.values[key]


def test_settings_are_saved_per_field_and_undone_in_the_dialog(qtbot: Any, window: MainWindow,
                                                               demo_db: Database) -> None:
    dialog = _settings(qtbot, window)
    form = dialog.form
    assert form.editors["name"].text() == "Northlight Productions"
    assert form.editors["target_margin_pct"].text() == "35"
    _type(qtbot, form, "target_margin_pct", "42.5%")
    assert _stored(demo_db, "target_margin_pct") == Decimal("42.5")
    assert form.editors["target_margin_pct"].text() == "42.5"  # shown as stored
    _type(qtbot, form, "address", "9 Fremont St\nLas Vegas, NV 89101", enter=False)
    qtbot.keyClick(form.editors["address"], Qt.Key.Key_Tab)  # leaving the address saves it
    qtbot.waitUntil(lambda: _stored(demo_db, "address") == "9 Fremont St\nLas Vegas, NV 89101")
    assert dialog.undo_stack.count() == 2

    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert _stored(demo_db, "address") == "2150 Industrial Road, Suite 4\nLas Vegas, NV 89102"
    assert form.editors["address"].text() == "2150 Industrial Road, Suite 4\nLas Vegas, NV 89102"
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert _stored(demo_db, "target_margin_pct") == Decimal(35)
    assert form.editors["target_margin_pct"].text() == "35"
    qtbot.mouseClick(dialog.redo_button, Qt.MouseButton.LeftButton)
    assert _stored(demo_db, "target_margin_pct") == Decimal("42.5")

    logo = _stored(demo_db, "logo")
    qtbot.mouseClick(form.remove_logo_button, Qt.MouseButton.LeftButton)
    assert _stored(demo_db, "logo") == "" and form.logo_preview.pixmap().isNull()
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert _stored(demo_db, "logo") == logo and not form.logo_preview.pixmap().isNull()
    dialog.close()


def test_bad_input_in_the_settings_is_refused_beside_the_field(qtbot: Any, window: MainWindow,
                                                                demo_db: Database) -> None:
    dialog = _settings(qtbot, window)
    form = dialog.form
    before = load_company(demo_db)
    for key, text, message in (
        ("quote_validity_days", "0", "Quote validity must be at least 1."),
        ("margin_floor_pct", "abc", "Margin floor must be a number like 35, 12.5 or 12.5%; “abc” is not."),
        ("name", "", "Company name cannot be empty."),
        ("email", "quotes at nl", "“quotes at nl” is not an email address (name@example.com)."),
    ):
        _type(qtbot, form, key, text)
        assert _message(form, key) == message
    assert load_company(demo_db) == before
    assert dialog.undo_stack.count() == 0
    dialog.close()


def test_another_users_change_is_shown_and_nothing_is_lost(qtbot: Any, window: MainWindow,
                                                          dialogs: FakeDialogs, demo_db: Database) -> None:
    dialog = _settings(qtbot, window)
    form = dialog.form
    theirs = load_company(demo_db)
    assert theirs is not None
    save_field(demo_db, theirs, "quote_validity_days", 45)  # someone else, meanwhile
    dialogs.conflict_answer = "theirs"
    _type(qtbot, form, "quote_validity_days", "14")
    view = dialogs.conflicts[-1]
    assert view.fields == [("Quote valid for (days)", "14", "45")]
    assert _stored(demo_db, "quote_validity_days") == 45
    assert form.editors["quote_validity_days"].text() == "45"
    assert dialog.undo_stack.count() == 0

    save_field(demo_db, load_company(demo_db), "quote_validity_days", 60)  # type: ignore[arg-type]
    dialogs.conflict_answer = "mine"
    _type(qtbot, form, "quote_validity_days", "14")
    assert _stored(demo_db, "quote_validity_days") == 14
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert _stored(demo_db, "quote_validity_days") == 60  # the undo brings theirs back, not the older 30
    dialog.close()


def test_settings_follow_changes_saved_by_others(qtbot: Any, window: MainWindow, demo_db: Database) -> None:
    dialog = _settings(qtbot, window)
    save_field(demo_db, load_company(demo_db), "phone", "+1 702 555 0199")  # type: ignore[arg-type]
    window.company_actions.refresh()
    assert dialog.form.editors["phone"].text() == "+1 702 555 0199"
    dialog.close()
    QApplication.processEvents()


def test_the_open_estimate_follows_a_changed_currency(qtbot: Any, window: MainWindow,
                                                      demo_db: Database) -> None:
    dialog = _settings(qtbot, window)
    _type(qtbot, dialog.form, "currency", "eur")
    assert _stored(demo_db, "currency") == "EUR"
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.doc.header.currency == "EUR")
    dialog.close()


def test_new_work_in_a_new_company_starts_from_its_defaults(qtbot: Any, fresh_window: MainWindow,
                                                            dialogs: FakeDialogs, tmp_path: Path) -> None:
    first = _first_run(qtbot, fresh_window)
    qtbot.mouseClick(first.welcome.setup_button, Qt.MouseButton.LeftButton)
    dialog = fresh_window.file_actions.setup_dialog
    assert dialog is not None
    for key, text in (("name", "Brightside Events"), ("target_margin_pct", "38"), ("margin_floor_pct", "28"),
                      ("contingency_pct", "5"), ("default_tax_pct", "13"), ("currency", "CAD")):
        _type(qtbot, dialog.form, key, text, enter=False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fresh_window.isVisible())
    fresh_window.findChild(QAction, "actionNewClient").trigger()  # the client dialog
    client_dialog = fresh_window.project_actions.client_dialogs[None]
    qtbot.waitExposed(client_dialog)
    _type_line(qtbot, client_dialog.form.widgets["name"], "Maple Health")  # Return: Create client
    qtbot.waitUntil(lambda: client_dialog.client_id is not None)
    client_dialog.close()
    fresh_window.findChild(QAction, "actionNewProject").trigger()  # the project dialog
    project_dialog = fresh_window.project_actions.project_dialogs[None]
    qtbot.waitExposed(project_dialog)
    _type_line(qtbot, project_dialog.field("name"), "Spring summit")  # Return: Create project
    qtbot.waitUntil(lambda: project_dialog.project_id is not None)
    project_dialog.close()
    new_project = project_dialog.project_id
    qtbot.waitUntil(lambda: fresh_window.navigator.select(new_project))  # once the navigator shows it
    dialogs.answers = ["Main stage"]  # the name File › New estimate asks for
    fresh_window.findChild(QAction, "actionNewEstimate").trigger()
    workspace = fresh_window.workspace
    assert workspace is not None and workspace.doc.header.name == "Main stage"
    header = workspace.doc.header
    assert (header.target_margin_pct, header.margin_floor_pct, header.contingency_pct, header.tax_pct) == (
        Decimal(38), Decimal(28), Decimal(5), Decimal(13))
    assert (header.company_name, header.currency) == ("Brightside Events", "CAD")
