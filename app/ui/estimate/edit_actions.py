"""The Edit menu's row commands on the open estimate: add lines, sections, catalog entries, delete, move,
and the clipboard (cut, copy, paste, duplicate)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from app.services.excel import clipboard
from app.services.excel.clipboard import Clip, ClipboardError
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
        keys = QKeySequence.StandardKey
        self.cut_action = window_action(window, "Cut", "actionCut", self.cut, keys.Cut,
                                        "Cut the selected lines or section (Paste puts them back)")
        self.copy_action = window_action(window, "Copy", "actionCopy", self.copy, keys.Copy,
                                         "Copy the selected lines or sections, for Tandem and a spreadsheet")
        self.paste_action = window_action(
            window, "Paste", "actionPaste", self.paste, keys.Paste,
            "Paste after the current line: lines copied in Tandem, or a spreadsheet's rows and header row")
        self.duplicate_action = window_action(window, "Duplicate", "actionDuplicateLines", self.duplicate,
                                              "Ctrl+Shift+D", "Duplicate the selected lines or sections")

    @property
    def actions(self) -> list[QAction | None]:
        """In menu order."""
        return [*self.clipboard_actions, None, self.add_line_action, self.add_section_action,
                self.catalog_action, self.delete_action, self.move_up_action, self.move_down_action]

    @property
    def clipboard_actions(self) -> list[QAction]:
        return [self.cut_action, self.copy_action, self.paste_action, self.duplicate_action]

    @property
    def toolbar_actions(self) -> list[QAction]:
        """In the toolbar's order."""
        return [self.add_section_action, self.add_line_action, self.catalog_action,
                self.delete_action, self.move_up_action, self.move_down_action]

    def update_enabled(self) -> None:
        has_estimate = self.shell.workspace is not None
        has_row = (has_estimate and self.shell.workspace is not None
                   and self.shell.workspace.current_id() is not None)
        for action in (self.add_line_action, self.add_section_action, self.catalog_action, self.paste_action):
            action.setEnabled(has_estimate)
        for action in (self.delete_action, self.move_up_action, self.move_down_action, self.cut_action,
                       self.copy_action, self.duplicate_action):
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

    def delete_selected(self, cut: bool = False) -> None:
        """Delete the selected lines, or the first selected section (asked first); ``cut``: copy
        them to the clipboard first, the undo step being "Cut …"."""
        if self.shell.workspace is None:
            return
        ids = self.shell.workspace.selected_ids()
        doc = self.shell.workspace.doc
        lines = [i for i in ids if doc.has_line(i)]
        sections = [i for i in ids if not doc.has_line(i)]
        verb = "Cut" if cut else "Delete"
        if sections:
            section = doc.section(sections[0])
            count = len(section.lines)
            if count and not self.dialogs.confirm(
                self.window, f"{verb} section",
                f"{verb} the section “{section.name}” and its {count} line{'s' if count != 1 else ''}? "
                "You can undo this.",
            ):
                return
            if cut:
                self._put_on_clipboard([sections[0]])
            self.shell.workspace.editor.delete_section(sections[0], f"{verb} section")
            return
        if cut and lines:
            clip = self._put_on_clipboard(lines)
            self.shell.workspace.editor.delete_lines(lines, f"Cut {clip.describe()}")
            return
        self.shell.workspace.editor.delete_lines(lines)

    # -- the clipboard ---------------------------------------------------------------------

    def _works_on_estimate(self) -> bool:
        """The clipboard keys act on the estimate's rows, not while another panel has the focus."""
        workspace = self.shell.workspace
        if workspace is None:
            return False
        focus = QApplication.focusWidget()
        if focus is None:
            return True
        others = (workspace.production_pane.parameters, self.shell.navigator, self.shell.crew_panel,
                  self.shell.catalog)
        return not any(w is focus or w.isAncestorOf(focus) for w in others)

    def _put_on_clipboard(self, row_ids: list[uuid.UUID]) -> Clip:
        assert self.shell.workspace is not None
        clip = clipboard.copy_rows(self.shell.workspace.doc, row_ids)
        mime = QMimeData()
        mime.setData(clipboard.MIME_TYPE, clipboard.encode(clip).encode("utf-8"))
        mime.setText(clipboard.to_tsv(clip))
        QApplication.clipboard().setMimeData(mime)
        return clip

    def copy(self) -> None:
        if not self._works_on_estimate():
            return
        assert self.shell.workspace is not None
        ids = self.shell.workspace.selected_ids()
        if ids:
            clip = self._put_on_clipboard(ids)
            self.shell.statusBar().showMessage(f"Copied {clip.describe()}.", 5000)

    def cut(self) -> None:
        if self._works_on_estimate():
            self.delete_selected(cut=True)

    def paste(self) -> None:
        if not self._works_on_estimate():
            return
        workspace = self.shell.workspace
        assert workspace is not None
        mime = QApplication.clipboard().mimeData()
        try:
            if mime is not None and mime.hasFormat(clipboard.MIME_TYPE):
                clip = clipboard.decode(bytes(mime.data(clipboard.MIME_TYPE).data()))
            elif mime is not None and mime.hasText() and mime.text().strip():
                clip = clipboard.from_tsv(mime.text())
            else:
                raise ClipboardError("The clipboard holds nothing to paste: copy lines in Tandem, or rows "
                                     "of a spreadsheet with their header row.")
        except ClipboardError as error:
            self.dialogs.error(self.window, "Paste", str(error))
            return
        if clip.problems:
            count = len(clip.problems)
            rows = f"{count} of the pasted rows" if count != 1 else "1 of the pasted rows"
            listed = clipboard.problems_text(clip.problems)
            if not clip.line_count:
                self.dialogs.error(self.window, "Paste", f"None of the pasted rows can be used:\n{listed}")
                return
            if not self.dialogs.confirm(self.window, "Paste", f"{rows} cannot be used and will be left out:\n"
                                        f"{listed}\n\nPaste the other {clip.describe()}?"):
                return
        elif not clip.line_count and not clip.section_count:
            self.dialogs.error(self.window, "Paste", "The pasted rows hold no lines.")
            return
        workspace.editor.paste(clip, workspace.current_id())

    def duplicate(self) -> None:
        if not self._works_on_estimate():
            return
        workspace = self.shell.workspace
        assert workspace is not None
        ids = workspace.selected_ids()
        if not ids:
            return
        doc = workspace.doc
        clip = clipboard.copy_rows(doc, ids)
        order = [row.id for section in doc.sections for row in (section, *section.lines)]
        last = max(ids, key=order.index)
        if not doc.has_line(last) or clip.section_count:
            # A duplicated section goes after the last selected section (its lines come with it).
            last = max((i for i in ids if not doc.has_line(i)), key=order.index, default=last)
        workspace.editor.paste(clip, last, "Duplicate")

    def nudge(self, step: int) -> None:
        if self.shell.workspace is not None:
            row_id = self.shell.workspace.current_id()
            if row_id is not None:
                self.shell.workspace.editor.nudge(row_id, step)
