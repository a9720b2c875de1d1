"""Edit › Find… (Ctrl+F), Find next (F3), Find previous (Shift+F3), on the open estimate's find bar."""

from __future__ import annotations

from PySide6.QtGui import QAction

from app.ui.shell import Shell, ShellActions
from app.ui.widgets import window_action


class FindActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.find_action = window_action(
            window,
            "Find…",
            "actionFind",
            self.open_find,
            "Ctrl+F",
            "Find in descriptions, client wording, suppliers, roles",
        )
        self.next_action = window_action(window, "Find next", "actionFindNext", lambda: self.find(1), "F3")
        self.previous_action = window_action(
            window, "Find previous", "actionFindPrevious", lambda: self.find(-1), "Shift+F3"
        )

    @property
    def actions(self) -> list[QAction | None]:
        """In menu order."""
        return [self.find_action, self.next_action, self.previous_action]

    def update_enabled(self) -> None:
        for action in self.actions:
            if action is not None:
                action.setEnabled(self.shell.workspace is not None)

    def open_find(self) -> None:
        if self.shell.workspace is not None:
            self.shell.workspace.find_bar.open_bar()

    def find(self, step: int) -> None:
        """The next or previous match; with nothing to find yet, the bar opens to type it."""
        workspace = self.shell.workspace
        if workspace is None:
            return
        bar = workspace.find_bar
        if not bar.edit.text().strip():
            bar.open_bar()
            return
        bar.show()
        bar.find(step)
