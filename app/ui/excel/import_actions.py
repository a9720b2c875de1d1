"""File › Import estimate from Excel…: ask for a file, read it off the GUI thread, show the mapping dialog.

Kept apart from the dialog so that opening Tandem does not import openpyxl; the dialog
module is imported on first use.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QProgressDialog

from app.services.storage.database import Database
from app.ui.shell import Shell, ShellActions
from app.ui.tasks import ProgressRun
from app.ui.widgets import window_action

if TYPE_CHECKING:
    from app.ui.excel.import_dialog import ImportDialog
    from app.ui.excel.import_reading import Loaded
    from app.ui.shell import Shell

EXCEL_FILTER = "Excel workbooks (*.xlsx *.xlsm)"


class ImportActions(ShellActions):
    """File › Import estimate from Excel…: ask for a file, read it off the GUI thread, show the dialog."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.dialog: ImportDialog | None = None
        self.running: ProgressRun | None = None
        self.import_action = window_action(
            window, "Import estimate from Excel…", "actionImportExcel", self.import_excel,
            tip="Make a new estimate of the selected project from an Excel workbook")

    @property
    def actions(self) -> list[QAction | None]:
        return [self.import_action]

    def update_enabled(self) -> None:
        self.import_action.setEnabled(self.shell.db is not None)

    def _project_id(self) -> uuid.UUID | None:
        project_id = self.shell.navigator.current_of("project")
        if project_id is None and self.shell.workspace is not None:
            project_id = self.shell.workspace.doc.header.project_id
        return project_id

    def import_excel(self) -> None:
        db = self.shell.db
        if db is None:
            return
        project_id = self._project_id()
        if project_id is None:
            self.dialogs.error(self.window, "Import estimate from Excel",
                               "Select a project first: the imported estimate becomes one of its scenarios.")
            return
        path = self.dialogs.open_file(self.window, "Import an estimate from Excel", EXCEL_FILTER)
        if not path:
            return
        self._read(path, db, project_id)

    def _read(self, path: str, db: Database, project_id: uuid.UUID) -> None:
        # Imported when first used: the dialog brings openpyxl (and numpy), ~250 ms at start-up.
        from app.ui.excel.import_reading import load_first

        def done(loaded: Loaded) -> None:
            self.running = None
            self._show_dialog(db, project_id, path, loaded)

        def failed(message: str) -> None:
            run, self.running = self.running, None
            if run is not None and run.cancelled:
                self.shell.statusBar().showMessage("Import cancelled; nothing was read or written.", 8000)
                return
            self.dialogs.error(self.window, "Import estimate from Excel", message)

        self.running = ProgressRun(self.window, "Reading the workbook…", load_first(path), done, failed)

    @property
    def progress(self) -> QProgressDialog | None:
        """The progress dialog while a workbook is being read, if any."""
        return self.running.dialog if self.running is not None else None

    def _show_dialog(self, db: Database, project_id: uuid.UUID, path: str, loaded: Loaded) -> None:
        from app.ui.excel.import_dialog import ImportDialog

        self.dialog = ImportDialog(db, project_id, path, loaded, self.window)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()

    def _on_dialog_finished(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted or dialog.imported_id is None:
            self.shell.statusBar().showMessage("Import cancelled; nothing was written.", 8000)
            return
        if self.shell.db is not None:
            self.shell.navigator.load(self.shell.db)
        self.shell.open_estimate(dialog.imported_id)
        self.shell.statusBar().showMessage(f"Imported “{dialog.name_edit.text().strip()}”.", 8000)
