"""The Estimate menu: scenarios (duplicate, compare), quotes (send, revision history), alternatives.

Each command works on the open estimate through the services; dialogs are the
window's UserDialogs, so tests answer them.
"""

from __future__ import annotations

import getpass
from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction

from app.services import directory
from app.services.estimate import revisions, scenarios
from app.services.estimate.document import Change, ConcurrentEditError, EditConflict, EstimateDocument
from app.services.money import format_money
from app.services.projects.counting import project_estimates
from app.services.storage.errors import StorageError
from app.services.supply import validity
from app.services.values import InputError
from app.ui.equipment.subrent_actions import SubRentActions
from app.ui.estimate.revision_history import RevisionHistoryDialog
from app.ui.estimate.scenario_compare import ScenarioCompareDialog
from app.ui.excel.export_actions import ExportPaths
from app.ui.shell import Shell, ShellActions
from app.ui.supply.compare_actions import SupplierQuoteActions
from app.ui.widgets import window_action


class EstimateActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.compare_dialog: ScenarioCompareDialog | None = None
        self.history_dialog: RevisionHistoryDialog | None = None
        self._followed: EstimateDocument | None = None
        self.subrent = SubRentActions(shell)  # Sub-rent the shortage…, Shortages…
        self.supply = SupplierQuoteActions(shell)  # Compare supplier quotes…
        self._compare_timer = QTimer(self)
        self._compare_timer.setSingleShot(True)
        self._compare_timer.setInterval(400)
        self._compare_timer.timeout.connect(self._refresh_comparison)
        self.duplicate_action = window_action(
            window, "Duplicate as scenario…", "actionDuplicateScenario", self.duplicate_as_scenario, "Ctrl+D",
            tip="Copy this estimate as another scenario of the project (\"Half booth\"), parameters and all")
        self.compare_action = window_action(
            window, "Compare scenarios…", "actionCompareScenarios", self.compare_scenarios, "Ctrl+Alt+C",
            tip="Price, cost, margin, labour hours and crew days of the project's scenarios side by side")
        self.send_action = window_action(
            window, "Send quote…", "actionSendQuote", self.send_quote,
            tip="Freeze the quote as it is now as the next numbered revision")
        self.history_action = window_action(
            window, "Revision history…", "actionRevisionHistory", self.show_history,
            tip="The revisions sent, and what changed between any two")
        self.delete_action = window_action(
            window, "Delete estimate…", "actionDeleteEstimate", self.delete_estimate,
            tip="Delete this estimate or scenario (its sent revisions stay in the database)")
        self.choose_action = window_action(
            window, "Choose this alternative", "actionChooseAlternative", self.choose_alternative,
            "Ctrl+Alt+A",
            tip="Make the current line the chosen one of its alternatives")
        self.components_action = window_action(
            window, "Client sees the kit's components", "actionShowKitComponents",
            lambda: self.show_components(self.components_action.isChecked()),
            tip="On a kit's line: the quote lists its components, else the kit as one line at their sum")
        self.components_action.setCheckable(True)

    @property
    def actions(self) -> list[QAction | None]:
        """In menu order; None is a separator."""
        return [self.duplicate_action, self.compare_action, None, self.send_action, self.history_action,
                None, self.choose_action, self.components_action, None, self.delete_action]

    @property
    def menu_actions(self) -> list[QAction | None]:
        """The Estimate menu's: these, then the open estimate's equipment (sub-rent, shortages)."""
        return [*self.actions, None, *self.subrent.actions, *self.supply.actions]

    def update_enabled(self) -> None:
        workspace = self.shell.workspace
        for action in (self.duplicate_action, self.compare_action, self.send_action, self.history_action,
                       self.delete_action):
            action.setEnabled(workspace is not None)
        current = workspace.current_id() if workspace is not None else None
        alternative = (workspace is not None and current is not None and workspace.doc.has_line(current)
                       and bool(workspace.doc.line(current).alternative_group))
        self.choose_action.setEnabled(alternative)
        self.subrent.update_enabled()
        self.supply.update_enabled()
        # Client sees the kit's components: on a kit's line (one with components), checked as it says.
        doc = workspace.doc if workspace is not None else None
        kit = doc.line(current) if doc is not None and current is not None and doc.has_line(current) else None
        is_kit = doc is not None and kit is not None and any(ln.kit_line_id == kit.id for ln in doc.lines())
        self.components_action.setEnabled(is_kit)
        self.components_action.setChecked(bool(kit is not None and is_kit and kit.shows_components))

    # -- scenarios ----------------------------------------------------------------------

    def duplicate_as_scenario(self) -> None:
        shell, workspace = self.shell, self.shell.workspace
        if workspace is None or shell.db is None:
            return
        doc = workspace.doc
        try:
            suggestion = scenarios.suggest_scenario_name(shell.db, doc.estimate_id)
        except StorageError as error:
            self.dialogs.error(self.window, "Duplicate as scenario", str(error))
            return
        name = self.dialogs.ask_text(self.window, "Duplicate as scenario",
                                     f"Name of the new scenario of {doc.header.project_name}:", suggestion)
        if name is None:
            return
        try:
            new_id = scenarios.duplicate_estimate(shell.db, doc.estimate_id, name)
        except (InputError, StorageError) as error:
            self.dialogs.error(self.window, "Duplicate as scenario", str(error))
            return
        shell.navigator.load(shell.db)
        shell.open_estimate(new_id)
        shell.statusBar().showMessage(
            f"“{name.strip()}” is a copy of “{doc.header.name}”: change a parameter and every line that "
            "uses it follows.", 8000)

    def delete_estimate(self) -> None:
        """Tombstone the open estimate after asking; the navigator opens a sibling, if there is one."""
        shell, workspace = self.shell, self.shell.workspace
        if workspace is None or shell.db is None:
            return
        header = workspace.doc.header
        if not self.dialogs.confirm(
                self.window, "Delete estimate",
                f"Delete “{header.name}” of {header.project_name}? Its lines go with it; a backup "
                "taken before now still holds it."):
            return
        try:
            directory.set_deleted(shell.db, "estimate", workspace.doc.estimate_id, True)
        except StorageError as error:
            self.dialogs.error(self.window, "Delete estimate", str(error))
            return
        project_id = header.project_id
        shell.close_estimate()
        shell.navigator.load(shell.db)
        remaining = [choice.id for choice in project_estimates(shell.db, project_id)]
        if remaining:
            shell.open_estimate(remaining[0])
        shell.statusBar().showMessage(f"Deleted “{header.name}”.", 8000)
        shell.update_actions()

    def compare_scenarios(self) -> None:
        shell, workspace = self.shell, self.shell.workspace
        if workspace is None or shell.db is None:
            return
        if self.compare_dialog is not None:
            self.compare_dialog.close()
            self.compare_dialog.deleteLater()
        self.compare_dialog = ScenarioCompareDialog(shell.db, workspace.doc.header.project_id, None,
                                                    self.window, ExportPaths(self.dialogs, shell.settings))
        self._follow(workspace.doc)
        self.compare_dialog.show()

    def _follow(self, doc: EstimateDocument) -> None:
        """Keep an open comparison current while the estimate is edited (once the typing pauses)."""
        self._unfollow()
        self._followed = doc
        doc.subscribe(self._on_document_changed)

    def _unfollow(self) -> None:
        if self._followed is not None:
            self._followed.unsubscribe(self._on_document_changed)
            self._followed = None

    def _on_document_changed(self, change: Change) -> None:
        if not change.before and self.compare_dialog is not None and self.compare_dialog.isVisible():
            self._compare_timer.start()

    def _refresh_comparison(self) -> None:
        if self.compare_dialog is not None and self.compare_dialog.isVisible():
            self.compare_dialog.refresh_in_background()

    # -- quotes --------------------------------------------------------------------------

    def send_quote(self) -> None:
        shell, workspace = self.shell, self.shell.workspace
        if workspace is None or shell.db is None:
            return
        doc = workspace.doc
        why = doc.in_error_message("sent")
        if why:
            self.dialogs.error(self.window, "Send quote", why)
            return
        try:  # one question for all that speaks against sending: the floor, the suppliers' dates
            reasons = validity.confirm_lines(validity.send_warnings(shell.db, doc, date.today()))
        except StorageError as error:
            self.dialogs.error(self.window, "Send quote", str(error))
            return
        if doc.totals.below_floor:
            reasons.insert(0, "This quote is below the floor.")
        if reasons and not self.dialogs.confirm(self.window, "Send quote",
                                                "\n\n".join([*reasons, "Send it anyway?"])):
            return
        default = doc.header.account_manager or getpass.getuser()
        sent_by = self.dialogs.ask_text(self.window, "Send quote", "Sent by:", default)
        if sent_by is None:
            return
        note = self.dialogs.ask_text(self.window, "Send quote", "Note for the revision history (optional):",
                                     "")
        if note is None:
            return
        try:
            info = revisions.send_quote(shell.db, doc, sent_by.strip(), note.strip())
        except EditConflict:
            doc.reload()
            self.dialogs.error(self.window, "Send quote", "Someone else changed this estimate a moment ago; "
                               "it has been reloaded. Check it and send again.")
            return
        except (ConcurrentEditError, StorageError, InputError) as error:
            self.dialogs.error(self.window, "Send quote", str(error))
            return
        shell.statusBar().showMessage(
            f"Sent {info.quote_number} rev {info.number}, {format_money(info.total, doc.header.currency)}; "
            "edits from now on make the next revision.", 10000)
        if self.history_dialog is not None and self.history_dialog.isVisible():
            self.show_history()
        shell.navigator.load(shell.db)  # a lead or estimating project is quoted now
        shell.update_actions()

    def show_history(self) -> None:
        shell, workspace = self.shell, self.shell.workspace
        if workspace is None or shell.db is None:
            return
        if self.history_dialog is not None:
            self.history_dialog.close()
            self.history_dialog.deleteLater()
        doc = workspace.doc
        self.history_dialog = RevisionHistoryDialog(shell.db, doc.estimate_id, doc, self.window)
        self.history_dialog.show()

    # -- alternatives ----------------------------------------------------------------------

    def choose_alternative(self) -> None:
        workspace = self.shell.workspace
        if workspace is None:
            return
        current = workspace.current_id()
        if current is None or not workspace.doc.has_line(current):
            return
        message = workspace.editor.choose_alternative(current)
        if message:
            self.shell.statusBar().showMessage(message, 8000)

    def show_components(self, shown: bool) -> None:
        workspace = self.shell.workspace
        current = workspace.current_id() if workspace is not None else None
        if workspace is None or current is None or not workspace.doc.has_line(current):
            return
        message = workspace.editor.show_components(current, shown)
        if message:
            self.shell.statusBar().showMessage(message, 8000)

    def estimate_opened(self, doc: EstimateDocument) -> None:
        """Another estimate is open: an open comparison follows its edits now."""
        if self.compare_dialog is not None and self.compare_dialog.isVisible():
            self._follow(doc)
            self._compare_timer.start()

    def close_history(self) -> None:
        """The history shows the open estimate: it goes when the estimate closes (a comparison stays;
        a line's supplier quotes go too)."""
        self.supply.close_dialogs()
        self._unfollow()
        if self.history_dialog is not None:
            self.history_dialog.close()
            self.history_dialog.deleteLater()
            self.history_dialog = None

    def close_dialogs(self) -> None:
        self.subrent.close_dialogs()
        self.supply.close_dialogs()
        self._unfollow()
        self._compare_timer.stop()
        for dialog in (self.compare_dialog, self.history_dialog):
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
        self.compare_dialog = self.history_dialog = None
