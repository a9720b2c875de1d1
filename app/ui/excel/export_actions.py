"""The File menu's Excel exports: the client quote and the internal cost sheet of the open estimate.

The export runs on the thread pool with its own EstimateDocument (a document is not
shared across threads; every edit is already saved, so the database is the truth),
under a progress dialog whose Cancel stops it with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog

from app.services.estimate.document import EstimateDocument
from app.ui.shell import Shell, ShellActions
from app.ui.tasks import Progress, ProgressRun
from app.ui.widgets import window_action

XLSX_FILTER = "Excel workbooks (*.xlsx)"


class ExportActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.running: ProgressRun | None = None
        self.quote_action = window_action(
            window, "Export quote…", "actionExportQuote", self.export_quote,
            tip="Write the client quote to an Excel workbook: prices and live totals, nothing internal")
        self.cost_sheet_action = window_action(
            window, "Export cost sheet…", "actionExportCostSheet", self.export_cost_sheet,
            tip="Write the internal cost sheet (costs, suppliers, labour, margins, crew, orders) to Excel")

    @property
    def actions(self) -> list[QAction | None]:
        """In menu order; None is a separator."""
        return [self.quote_action, self.cost_sheet_action]

    def update_enabled(self) -> None:
        has_estimate = self.shell.workspace is not None and self.shell.db is not None
        for action in (self.quote_action, self.cost_sheet_action):
            action.setEnabled(has_estimate and self.running is None)

    # -- the commands --------------------------------------------------------------------------

    def export_quote(self) -> None:
        self._export(internal=False)

    def export_cost_sheet(self) -> None:
        self._export(internal=True)

    def _export(self, internal: bool) -> None:
        shell, workspace = self.shell, self.shell.workspace
        if workspace is None or shell.db is None or self.running is not None:
            return
        what = "cost sheet" if internal else "quote"
        chosen = self.dialogs.save_file(self.window, f"Export the {what} as", XLSX_FILTER)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        db, estimate_id = shell.db, workspace.doc.estimate_id

        # Imported when first used: openpyxl (and the numpy it pulls in) costs ~250 ms at start-up.
        from app.services.excel import export as excel_export
        from app.services.excel.workbook import ExportError, ExportResult

        def work(progress: Progress) -> ExportResult:
            try:
                doc = EstimateDocument(db, estimate_id)  # this thread's own document
                return excel_export.export_estimate(doc, path, internal=internal, db=db, progress=progress)
            except ExportError:
                raise
            except Exception as error:
                # The task reports StorageErrors only; anything else would leave the dialog up for good.
                raise ExportError(f"The export failed: {error}") from error

        self._run(f"Exporting the {what}…", work,
                  lambda result: shell.statusBar().showMessage(
                      f"Exported the {what} ({result.label}, {result.lines} lines) to {result.path}.", 10000))

    def _run(self, title: str, work: Callable[[Progress], Any], on_done: Callable[[Any], None]) -> None:
        def finish() -> None:
            self.running = None
            self.update_enabled()

        def done(result: Any) -> None:
            finish()
            on_done(result)

        def failed(message: str) -> None:
            finish()
            if "cancelled" in message.lower():
                self.shell.statusBar().showMessage(message, 8000)
                return
            self.dialogs.error(self.window, title.rstrip("…"), message)

        self.running = ProgressRun(self.window, title, work, done, failed, "exportProgressDialog")
        self.update_enabled()

    @property
    def progress(self) -> QProgressDialog | None:
        """The progress dialog of the export running now, if any."""
        return self.running.dialog if self.running is not None else None

    def cancel(self) -> None:
        """Stop a running export (the window calls this when it closes)."""
        if self.running is not None:
            self.running.cancel()
