"""File › Export quote as PDF… and File › Print… (Ctrl+P): the client quote on paper.

Like the Excel exports: the quote is read off the GUI thread with its own EstimateDocument
(checking whether it is still the revision sent compares every line), the save dialog or the
print dialog asks where, and the rendering runs on the thread pool under a progress dialog
whose Cancel stops it (a PDF cancelled leaves no file and keeps an older one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QKeySequence

from app.ui.excel.export_actions import ExportPaths, start_export
from app.ui.quote import pdf
from app.ui.shell import Shell, ShellActions
from app.ui.tasks import Progress, ProgressRun
from app.ui.widgets import window_action

PDF_FILTER = "PDF documents (*.pdf)"


def _pages(n: int) -> str:
    return f"{n} page{'s' if n != 1 else ''}"


class QuoteActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.running: ProgressRun | None = None
        self.stopped = False  # the window is closing: no dialog is opened any more
        self.paths = ExportPaths(self.dialogs, shell.settings)  # the folder every export went to last
        self.pdf_action = window_action(
            self.window,
            "Export quote as PDF…",
            "actionExportQuotePdf",
            self.export_pdf,
            tip="Write the client quote to a PDF: the same quote as the workbook, page by page",
        )
        self.print_action = window_action(
            self.window,
            "Print…",
            "actionPrintQuote",
            self.print_quote,
            QKeySequence.StandardKey.Print,
            tip="Print the client quote",
        )

    @property
    def actions(self) -> list[QAction | None]:
        """In menu order."""
        return [self.pdf_action, self.print_action]

    def update_enabled(self) -> None:
        ready = self.shell.workspace is not None and self.shell.db is not None and self.running is None
        for action in self.actions:
            if action is not None:
                action.setEnabled(ready)

    # -- the commands --------------------------------------------------------------------------

    def export_pdf(self) -> None:
        self._read("Export quote as PDF", self._ask_pdf)

    def print_quote(self) -> None:
        self._read("Print", self._ask_printer)

    def _read(self, title: str, then: Callable[[pdf.ReadQuote], None]) -> None:
        shell, workspace = self.shell, self.shell.workspace
        if workspace is None or shell.db is None or self.running is not None:
            return
        db, estimate_id = shell.db, workspace.doc.estimate_id
        self.stopped = False
        self._run(
            "Reading the quote…",
            title,
            lambda _progress: pdf.read_quote(db, estimate_id),
            lambda read: None if self.stopped else then(read),
        )

    def _ask_pdf(self, read: pdf.ReadQuote) -> None:
        path = self.paths.ask(self.window, "Export the quote as PDF", read.file_name, ".pdf", PDF_FILTER)
        if path is None:
            return

        def done(pages: int) -> None:
            self.shell.statusBar().showMessage(f"Exported the quote ({_pages(pages)}) to {path}.", 10000)

        self._run(
            "Exporting the quote as PDF…",
            "Export quote as PDF",
            lambda progress: pdf.write_pdf(read.content, path, progress),
            done,
        )

    def _ask_printer(self, read: pdf.ReadQuote) -> None:
        printer = self.dialogs.choose_printer(self.window)
        if printer is None:
            return

        def done(pages: int) -> None:
            self.shell.statusBar().showMessage(f"Sent the quote ({_pages(pages)}) to the printer.", 10000)

        self._run("Printing the quote…", "Print", pdf.print_work(read.content, printer), done)

    def _run(
        self, label: str, title: str, work: Callable[[Progress], Any], on_done: Callable[[Any], None]
    ) -> None:
        def over() -> None:
            self.running = None
            self.update_enabled()

        self.running = start_export(
            self.window, self.dialogs, label, work, on_done, over,
            lambda message: self.shell.statusBar().showMessage(message, 8000),
            error_title=title, stopped=lambda: self.stopped,
        )
        self.update_enabled()

    def cancel(self) -> None:
        """Stop what runs now, and open no dialog after it (the window calls this when it closes)."""
        self.stopped = True
        if self.running is not None:
            self.running.cancel()
