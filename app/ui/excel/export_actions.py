"""The File menu's Excel exports: the client quote and the internal cost sheet of the open estimate.

The export runs on the thread pool with its own EstimateDocument (a document is not
shared across threads; every edit is already saved, so the database is the truth),
under a progress dialog whose Cancel stops it with nothing written.

Every export's save dialog proposes a file name (app.services.estimate.file_names) in the
folder the last export went to (remembered in the settings): :class:`ExportPaths`. Other
exports (the scenario comparison) ask through it and run through :func:`start_export` too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.services.estimate.document import EstimateDocument
from app.services.estimate.file_names import estimate_file_name
from app.services.storage.errors import StorageError
from app.ui.dialogs import UserDialogs
from app.ui.shell import Shell, ShellActions
from app.ui.tasks import Progress, ProgressRun
from app.ui.widgets import window_action

XLSX_FILTER = "Excel workbooks (*.xlsx)"
FOLDER_KEY = "export/folder"


class ExportPaths:
    """Where an export goes: the save dialog proposes ``file_name`` in the folder used last."""

    def __init__(self, dialogs: UserDialogs, settings: QSettings | None) -> None:
        self.dialogs = dialogs
        self.settings = settings
        self._folder: str | None = None  # without settings (tests), remembered while this lives

    def folder(self) -> Path:
        """The folder the last export went to if it is still there, else the user's documents."""
        last = self.settings.value(FOLDER_KEY) if self.settings is not None else self._folder
        if last and Path(str(last)).is_dir():
            return Path(str(last))
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def ask(self, parent: QWidget, title: str, file_name: str, suffix: str = ".xlsx",
            filters: str = XLSX_FILTER) -> Path | None:
        """The path chosen (with ``suffix`` added when the name lacks it), or None when cancelled."""
        chosen = self.dialogs.save_file(parent, title, filters, str(self.folder() / file_name))
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self._folder = str(path.parent)
        if self.settings is not None:
            self.settings.setValue(FOLDER_KEY, self._folder)
        return path


def start_export(parent: QWidget, dialogs: UserDialogs, title: str, work: Callable[[Progress], Any],
                 on_done: Callable[[Any], None], on_over: Callable[[], None],
                 status: Callable[[str], None], *, error_title: str = "",
                 stopped: Callable[[], bool] = lambda: False) -> ProgressRun:
    """Run an export's ``work`` behind a progress dialog: ``on_over`` runs when it ends however it
    ends, then ``on_done(result)``; a failure is one message box (titled ``error_title``, else the
    progress title), a cancel a ``status`` line. Once ``stopped()`` (the window closing), no
    message box opens any more. Every export and the PDF quote and printout run through here."""

    def guarded(progress: Progress) -> Any:
        try:
            return work(progress)
        except StorageError:
            raise
        except Exception as error:
            # The task reports StorageErrors only; anything else would leave the dialog up for good.
            raise StorageError(f"The export failed: {error}") from error

    def done(result: Any) -> None:
        on_over()
        on_done(result)

    def failed(message: str) -> None:
        on_over()
        if "cancelled" in message.lower():
            status(message)
        elif not stopped():
            dialogs.error(parent, error_title or title.rstrip("…"), message)

    return ProgressRun(parent, title, guarded, done, failed, "exportProgressDialog")


class ExportActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.running: ProgressRun | None = None
        self.stopped = False  # the window is closing: no dialog is opened any more
        self.paths = ExportPaths(self.dialogs, shell.settings)
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
        """Load the estimate and name the file off the GUI thread (whether it is still the revision
        last sent is a comparison of every line: ~1 s for 5,000), ask where, then write it."""
        shell, workspace = self.shell, self.shell.workspace
        if workspace is None or shell.db is None or self.running is not None:
            return
        what = "cost sheet" if internal else "quote"
        db, estimate_id = shell.db, workspace.doc.estimate_id
        self.stopped = False

        # Imported when first used: openpyxl (and the numpy it pulls in) costs ~250 ms at start-up.
        from app.services.excel import export as excel_export
        from app.services.excel.workbook import ExportResult

        def name(_progress: Progress) -> tuple[EstimateDocument, str]:
            doc = EstimateDocument(db, estimate_id)  # the workers' own document (one at a time)
            return doc, estimate_file_name(db, doc, what if internal else "")

        def ask(named: tuple[EstimateDocument, str]) -> None:
            doc, proposed = named
            if self.stopped:
                return  # the window closed meanwhile
            path = self.paths.ask(self.window, f"Export the {what} as", proposed)
            if path is None:
                return

            def work(progress: Progress) -> ExportResult:
                return excel_export.export_estimate(doc, path, internal=internal, db=db, progress=progress)

            def exported(result: ExportResult) -> None:
                shell.statusBar().showMessage(
                    f"Exported the {what} ({result.label}, {result.lines} lines) to {result.path}.", 10000)

            self._run(f"Exporting the {what}…", work, exported)

        self._run(f"Preparing the {what}…", name, ask)

    def _run(self, title: str, work: Callable[[Progress], Any], on_done: Callable[[Any], None]) -> None:
        def over() -> None:
            self.running = None
            self.update_enabled()

        self.running = start_export(self.window, self.dialogs, title, work, on_done, over,
                                    lambda message: self.shell.statusBar().showMessage(message, 8000),
                                    stopped=lambda: self.stopped)
        self.update_enabled()

    @property
    def progress(self) -> QProgressDialog | None:
        """The progress dialog of the export running now, if any."""
        return self.running.dialog if self.running is not None else None

    def cancel(self) -> None:
        """Stop a running export (the window calls this when it closes)."""
        self.stopped = True
        if self.running is not None:
            self.running.cancel()
