"""Compare supplier quotes… (Estimate menu and the production pane's right-click menu, on a line)."""

from __future__ import annotations

from PySide6.QtGui import QAction

from app.ui.shell import Shell, ShellActions
from app.ui.supply.compare_dialog import SupplierQuoteCompareDialog
from app.ui.widgets import window_action


class SupplierQuoteActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.compare_dialog: SupplierQuoteCompareDialog | None = None
        self.compare_action = window_action(
            self.window,
            "Compare supplier quotes…",
            "actionCompareSupplierQuotes",
            self.compare,
            tip="The current line's supplier quotes side by side (cost at its quantity, lead and transit "
            "times, order-by, validity); pick the one its cost follows",
        )

    @property
    def actions(self) -> list[QAction]:
        return [self.compare_action]

    def update_enabled(self) -> None:
        workspace = self.shell.workspace
        current = workspace.current_id() if workspace is not None else None
        self.compare_action.setEnabled(
            workspace is not None and current is not None and workspace.doc.has_line(current)
        )

    def compare(self) -> None:
        workspace = self.shell.workspace
        current = workspace.current_id() if workspace is not None else None
        if workspace is None or current is None or not workspace.doc.has_line(current):
            return
        self.close_dialogs()
        self.compare_dialog = SupplierQuoteCompareDialog(workspace.editor, current, self.window)
        self.compare_dialog.show()
        self.compare_dialog.activateWindow()

    def close_dialogs(self) -> None:
        dialog, self.compare_dialog = self.compare_dialog, None
        if dialog is not None:
            dialog.detach()
            dialog.close()
            dialog.deleteLater()
