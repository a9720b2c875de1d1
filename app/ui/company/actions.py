"""*File › Company settings…*: the company's settings, non-blocking; a database not set up yet is
set up for the company first (the same form as the first run's)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction

from app.services.company.settings import company_locale, load_company
from app.services.company.setup import set_up_company
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.services.values import InputError, set_input_locale
from app.ui.company.settings_dialog import CompanySettingsDialog
from app.ui.company.setup_dialog import CompanySetupDialog, ask_company
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import window_action


class CompanyActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.settings_action = window_action(
            window, "Company settings…", "actionCompanySettings", self.show_settings,
            tip="Your company's name, address, logo, currency, tax, pricing defaults and quote terms")
        self.settings_dialog: CompanySettingsDialog | None = None
        self.setup_dialog: CompanySetupDialog | None = None

    @property
    def actions(self) -> list[QAction | None]:
        return [self.settings_action]

    def update_enabled(self, db: Database | None) -> None:
        self.settings_action.setEnabled(db is not None)

    def show_settings(self) -> None:
        db = self.shell.db
        if db is None:
            return
        try:
            row = load_company(db)
        except StorageError as error:
            self.dialogs.error(self.window, "Company settings", str(error))
            return
        if row is None:
            self._set_up(db)
            return
        if self.settings_dialog is not None and self.settings_dialog.db is db:
            self.settings_dialog.reload()
        else:
            self.close_dialogs()
            self.settings_dialog = CompanySettingsDialog(self.dialogs, db, row, self.window)
            self.settings_dialog.saved.connect(self._on_saved)
        self.settings_dialog.open()

    def _set_up(self, db: Database) -> None:
        """A database without a company (made before set-up existed, or by ``--db``): set it up."""
        def set_up(values: dict[str, Any]) -> None:
            try:
                set_up_company(db, values)
            except (InputError, StorageError) as error:
                self.dialogs.error(self.window, "Set up your company", str(error))
                return
            self.shell.set_database(db)

        self.setup_dialog = ask_company(self.dialogs, db.display_name, self.window, set_up)

    def use_locale(self, db: Database) -> None:
        """Read typed amounts and dates as the company's people write them (its currency's locale)."""
        try:
            with db.read() as conn:
                set_input_locale(company_locale(conn))
        except StorageError as error:  # the next open or refresh tries again; typing still works
            self.shell.statusBar().showMessage(f"Could not read the company’s locale: {error}", 10000)

    def refresh(self) -> None:
        """Others' changes: the open settings show what is stored now, and typing follows their currency."""
        if self.shell.db is not None:
            self.use_locale(self.shell.db)
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.reload()

    def _on_saved(self) -> None:
        if self.shell.db is not None:
            self.use_locale(self.shell.db)  # a new currency: amounts and dates typed its way
        self.shell.reprice.request()  # the open estimate shows the new currency and company name

    def close_dialogs(self) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.close()
            self.settings_dialog.deleteLater()
            self.settings_dialog = None
