"""The Edit menu's row commands on the open estimate: add lines, sections, catalog entries, delete, move."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from app.services.lookups import CatalogEntry
from app.ui.shell import Shell, ShellActions
from app.ui.widgets import window_action


class EditActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.add_line_action = window_action(window, "Add line", "actionAddLine", self.add_line, "Ctrl+N",
                                            "Add a line after the current one")
        self.add_section_action = window_action(window, "Add section", "actionAddSection", self.add_section,
                                               "Ctrl+Shift+N")
        self.delete_action = window_action(window, "Delete", "actionDeleteRows", self.delete_selected,
                                          QKeySequence.StandardKey.Delete,
                                          "Delete the selected lines or section")
        self.move_up_action = window_action(window, "Move up", "actionMoveUp", lambda: self.nudge(-1),
                                           "Ctrl+Up")
        self.move_down_action = window_action(window, "Move down", "actionMoveDown", lambda: self.nudge(1),
                                             "Ctrl+Down")
        self.catalog_action = window_action(window, "Add from catalog…", "actionCatalog", self.show_catalog,
                                            "Ctrl+K")

    @property
    def actions(self) -> list[QAction | None]:
        """In menu order."""
        return [self.add_line_action, self.add_section_action, self.catalog_action,
                self.delete_action, self.move_up_action, self.move_down_action]

    @property
    def toolbar_actions(self) -> list[QAction]:
        """In the toolbar's order."""
        return [self.add_section_action, self.add_line_action, self.catalog_action,
                self.delete_action, self.move_up_action, self.move_down_action]

    def update_enabled(self) -> None:
        has_estimate = self.shell.workspace is not None
        has_row = (has_estimate and self.shell.workspace is not None
                   and self.shell.workspace.current_id() is not None)
        for action in (self.add_line_action, self.add_section_action, self.catalog_action):
            action.setEnabled(has_estimate)
        for action in (self.delete_action, self.move_up_action, self.move_down_action):
            action.setEnabled(bool(has_row))

    def add_line(self) -> None:
        if self.shell.workspace is None:
            return
        section_id, index = self.shell.workspace.insertion_point()
        if section_id is None:
            section_id = self.shell.workspace.editor.add_section("General")
            if section_id is None:
                return
        self.shell.workspace.editor.add_line(section_id, index)

    def add_section(self) -> None:
        if self.shell.workspace is None:
            return
        name = self.dialogs.ask_text(self.window, "Add section", "Section name:", "New section")
        if name is None:
            return
        index = None
        current = self.shell.workspace.current_section_id()
        if current is not None and self.shell.workspace.current_id() is not None:
            index = self.shell.workspace.doc.section_index(current) + 1
        self.shell.workspace.editor.add_section(name, index)

    def add_catalog_entry(self, entry: CatalogEntry) -> None:
        if self.shell.workspace is None:
            return
        section_id, index = self.shell.workspace.insertion_point()
        if section_id is None:
            section_id = self.shell.workspace.editor.add_section(entry.category or "General")
            if section_id is None:
                return
        if self.shell.workspace.editor.add_catalog_line(section_id, entry, index) is not None:
            self.shell.workspace.production_view.setFocus()  # back to the estimate, on the new line

    def show_catalog(self) -> None:
        self.shell.catalog_dock.show()
        self.shell.catalog_dock.raise_()
        self.shell.catalog.start_search()

    def delete_selected(self) -> None:
        if self.shell.workspace is None:
            return
        ids = self.shell.workspace.selected_ids()
        doc = self.shell.workspace.doc
        lines = [i for i in ids if doc.has_line(i)]
        sections = [i for i in ids if not doc.has_line(i)]
        if sections:
            section = doc.section(sections[0])
            count = len(section.lines)
            if count and not self.dialogs.confirm(
                self.window, "Delete section",
                f"Delete the section “{section.name}” and its {count} line{'s' if count != 1 else ''}? "
                "You can undo this.",
            ):
                return
            self.shell.workspace.editor.delete_section(sections[0])
            return
        self.shell.workspace.editor.delete_lines(lines)

    def nudge(self, step: int) -> None:
        if self.shell.workspace is not None:
            row_id = self.shell.workspace.current_id()
            if row_id is not None:
                self.shell.workspace.editor.nudge(row_id, step)
