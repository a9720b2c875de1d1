"""Sub-rent the shortage… (Estimate menu and the production pane's right-click menu, on a short
line) and the shortage lists: Estimate › Shortages… (the open estimate) and View › Shortages
(every job), each row offering the same action on its job's counting estimate."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog

from app.models.enums import LineKind
from app.services.equipment.availability import (
    Availability,
    EstimateAvailability,
    HoldIndex,
    hold_index,
)
from app.services.equipment.rates import load_rates
from app.services.equipment.shortages import Shortage, company_shortages, estimate_shortages, line_to_subrent
from app.services.equipment.subrent import short_of, supplier_choices
from app.services.estimate.document import Change, EstimateDocument
from app.services.storage.errors import StorageError
from app.ui.equipment.shortages import ShortagesDialog
from app.ui.equipment.subrent_dialog import SubRentDialog
from app.ui.estimate.workspace import EstimateWorkspace
from app.ui.shell import Shell, ShellActions
from app.ui.tasks import run_task
from app.ui.widgets import window_action

_TITLE = "Sub-rent the shortage"


class SubRentActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        self.subrent_dialog: SubRentDialog | None = None
        self.shortages_dialog: ShortagesDialog | None = None
        self._company = False  # what the open list shows: every job's shortages, or the estimate's
        self._list_request = 0  # the latest filling of the list (an older one's result is dropped)
        self._followed: EstimateDocument | None = None
        # The action's state and an open list follow the estimate's edits and others' changes (the
        # window reloads the estimate on those), once they pause.
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(300)
        self._settle_timer.timeout.connect(self._settle)
        self.subrent_action = window_action(
            window,
            "Sub-rent the shortage…",
            "actionSubRent",
            self.sub_rent,
            tip="Split the current line: what the stock has stays, the missing quantity goes on a "
            "sub-rental line from a supplier; the client price is unchanged",
        )
        self.estimate_shortages_action = window_action(
            window,
            "Shortages…",
            "actionEstimateShortages",
            self.show_estimate_shortages,
            tip="The equipment this estimate is short of over its project's days",
        )
        self.company_shortages_action = window_action(
            window,
            "Shortages",
            "actionCompanyShortages",
            self.show_company_shortages,
            tip="The equipment every quoted, won or in-production job is short of",
        )

    @property
    def actions(self) -> list:
        """The Estimate menu's: in menu order."""
        return [self.subrent_action, self.estimate_shortages_action]

    def update_enabled(self) -> None:
        workspace = self.shell.workspace
        current = workspace.current_id() if workspace is not None else None
        short = self._short_line(workspace, current) if current is not None else None
        self.subrent_action.setEnabled(short is not None)
        self.estimate_shortages_action.setEnabled(workspace is not None)
        self.company_shortages_action.setEnabled(self.shell.db is not None)

    # -- the open estimate's availability, kept while nothing changes ---------------------------

    def _availability(self, workspace: EstimateWorkspace) -> tuple[HoldIndex, EstimateAvailability]:
        """The open estimate against everyone's holds: the figures the production pane's
        Availability column shows (its EquipmentWatch keeps them current), not a second copy."""
        self._follow(workspace.doc)
        watch = workspace.production_pane.model.equipment
        return watch.index, watch.found

    def _short_line(self, workspace: EstimateWorkspace | None, line_id: uuid.UUID) -> Availability | None:
        if workspace is None or not workspace.doc.has_line(line_id):
            return None
        line = workspace.doc.line(line_id)
        if line.kind is not LineKind.EQUIPMENT or line.catalog_item_id is None:
            return None  # no stock to be short of: nothing read (moving along the rows stays cheap)
        found = self._availability(workspace)[1].lines.get(line_id)
        return found if found is not None and found.short > 0 else None

    def _follow(self, doc: EstimateDocument) -> None:
        if self._followed is not doc:
            if self._followed is not None:
                self._followed.unsubscribe(self._on_changed)
            self._followed = doc
            doc.subscribe(self._on_changed)

    def _on_changed(self, change: Change) -> None:
        if not change.before:
            self._settle_timer.start()

    def _settle(self) -> None:
        self.update_enabled()
        if self.shortages_dialog is not None and self.shortages_dialog.isVisible():
            self._refresh_list()

    # -- sub-renting -------------------------------------------------------------------------

    def sub_rent(self) -> None:
        workspace = self.shell.workspace
        current = workspace.current_id() if workspace is not None else None
        if workspace is None or current is None:
            return
        short = self._short_line(workspace, current)
        if short is None:
            self.dialogs.info(
                self.window, _TITLE, "This line is not short: the stock covers it over the project's days."
            )
            return
        self._open(workspace, current, short)

    def _open(self, workspace: EstimateWorkspace, line_id: uuid.UUID, short: Availability) -> None:
        db = self.shell.db
        assert db is not None
        try:
            with db.read() as conn:
                choices = supplier_choices(conn, short.stock, load_rates(conn).get(short.stock.id, []))
        except StorageError as error:
            self.dialogs.error(self.window, _TITLE, str(error))
            return
        if self.subrent_dialog is not None:
            self.subrent_dialog.close()
            self.subrent_dialog.deleteLater()
        doc = workspace.doc
        self.subrent_dialog = SubRentDialog(
            doc,
            line_id,
            short,
            short_of(doc, line_id, short.short),
            choices,
            workspace.editor.sub_rent,
            self.window,
        )
        self.subrent_dialog.finished.connect(self._on_subrent_finished)
        self.subrent_dialog.open()

    def _on_subrent_finished(self, result: int) -> None:
        dialog, self.subrent_dialog = self.subrent_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted and dialog.done_plan is not None:
            supplier = dialog.choices[dialog.supplier_box.currentIndex()].name
            self.shell.statusBar().showMessage(
                dialog.done_plan.summary(supplier, dialog.doc.header.currency), 10000
            )
            self._refresh_list()
        workspace = self.shell.workspace
        if workspace is not None:  # back to the grid, on the new line: Ctrl+Z is there to take it back
            self.window.activateWindow()
            workspace.production_view.setFocus()
        self.shell.update_actions()

    # -- the lists ---------------------------------------------------------------------------

    def show_estimate_shortages(self) -> None:
        self._show_list(company=False)

    def show_company_shortages(self) -> None:
        self._show_list(company=True)

    def _show_list(self, company: bool) -> None:
        if self.shell.db is None or (not company and self.shell.workspace is None):
            return
        if self.shortages_dialog is None:
            self.shortages_dialog = ShortagesDialog("Shortages", self.window)
            self.shortages_dialog.subRentRequested.connect(self._sub_rent_shortage)
        self._company = company
        if self._refresh_list():
            self.shortages_dialog.show()
            self.shortages_dialog.activateWindow()

    def _refresh_list(self) -> bool:
        """Fill the open list: the estimate's at once (one call over the open document), every
        job's on the thread pool (it reads every holding job), the latest request winning."""
        dialog, db, workspace = self.shortages_dialog, self.shell.db, self.shell.workspace
        self._settle_timer.stop()
        if dialog is None or db is None:
            return False
        self._list_request += 1
        if self._company:
            dialog.setWindowTitle("Shortages — every job")
            request = self._list_request

            def done(shortages: list[Shortage]) -> None:
                if request == self._list_request and self.shortages_dialog is dialog:
                    dialog.set_shortages(shortages)

            def failed(message: str) -> None:
                if request == self._list_request:
                    self.dialogs.error(self.window, "Shortages", message)

            if dialog.model.rowCount() == 0:
                dialog.reading()
            run_task(lambda _progress: company_shortages(hold_index(db)), done, failed, self)
            return True
        try:
            checked = self._availability(workspace) if workspace is not None else None
            shortages = estimate_shortages(checked[0], workspace.doc) if checked and workspace else []
        except StorageError as error:
            self.dialogs.error(self.window, "Shortages", str(error))
            return False
        if workspace is not None:
            dialog.setWindowTitle(
                f"Shortages — {workspace.doc.header.project_name}, {workspace.doc.header.name}"
            )
        dialog.set_shortages(shortages)
        return True

    def _sub_rent_shortage(self, shortage: Shortage) -> None:
        """The list's action: on that job's estimate (opened if another one is), on its line of the item."""
        workspace = self.shell.workspace
        if workspace is None or workspace.doc.estimate_id != shortage.estimate_id:
            self.shell.open_estimate(shortage.estimate_id)
            workspace = self.shell.workspace
            if workspace is None or workspace.doc.estimate_id != shortage.estimate_id:
                return
        checked = self._availability(workspace)
        line_id = line_to_subrent(checked[0], workspace.doc, shortage.availability.stock.id)
        short = checked[1].lines.get(line_id) if line_id is not None else None
        if line_id is None or short is None or short.short <= 0:
            self.dialogs.info(
                self.window, _TITLE, f"{shortage.project_name} is no longer short of {shortage.item_name}."
            )
            self._refresh_list()
            return
        workspace.focus_row(line_id)
        self._open(workspace, line_id, short)

    def close_dialogs(self) -> None:
        self._settle_timer.stop()
        for dialog in (self.subrent_dialog, self.shortages_dialog):
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
        self.subrent_dialog = self.shortages_dialog = None
