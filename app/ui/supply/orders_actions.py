"""Project › Orders… and Project › Prepare orders: the orders dialog of the selected project, its
steps as commands on the Project menu's undo stack (Edit › Undo takes them back, as the dialog's
Undo does), and its exports through :func:`~app.ui.excel.export_actions.start_export`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction, QUndoStack
from sqlalchemy import select

from app.models import Company, Project
from app.models.enums import OrderStatus
from app.services.estimate.file_names import safe_file_name
from app.services.supply import order_status
from app.services.supply.order_content import order_contents
from app.services.supply.orders import (
    Order,
    Prepared,
    load_orders,
    order_changes,
    prepare_orders,
    undo_prepare,
)
from app.ui.excel.export_actions import ExportPaths, start_export
from app.ui.field_table import EDIT_ERRORS, CallCommand
from app.ui.shell import Shell, ShellActions
from app.ui.supply.orders_dialog import OrdersDialog
from app.ui.tasks import Progress, ProgressRun
from app.ui.widgets import window_action

PROJECT_T = Project.__table__  # type: ignore[attr-defined]
COMPANY_T = Company.__table__  # type: ignore[attr-defined]


class OrdersActions(ShellActions):
    def __init__(
        self, shell: Shell, undo_stack: QUndoStack, current_project: Callable[[], uuid.UUID | None]
    ) -> None:
        super().__init__(shell)
        self.undo_stack = undo_stack
        self.current_project = current_project
        self.dialog: OrdersDialog | None = None
        self.project_id: uuid.UUID | None = None  # the dialog's
        self.running: ProgressRun | None = None
        self.read_at = -1  # the change counter when the dialog last read (a read compares an estimate)
        self.paths = ExportPaths(self.dialogs, shell.settings)
        self.orders_action = window_action(
            self.window,
            "Orders…",
            "actionOrders",
            self.show_orders,
            tip="The project's orders to suppliers: status, dates, what changed",
        )
        self.prepare_action = window_action(
            self.window,
            "Prepare orders",
            "actionPrepareOrders",
            lambda: self.prepare(self.current_project()),
            tip="One order per supplier (sub-rental or purchase) from the won project's chosen estimate",
        )

    @property
    def actions(self) -> list[QAction | None]:
        return [self.orders_action, self.prepare_action]

    def update_enabled(self, has_project: bool) -> None:
        for action in self.actions:
            if action is not None:
                action.setEnabled(has_project)

    # -- the dialog --------------------------------------------------------------------------------

    def show_orders(self) -> None:
        project_id = self.current_project()
        if self.shell.db is None or project_id is None:
            return
        if self.dialog is None:
            self.dialog = OrdersDialog(self.undo_stack, self.window)
            self.dialog.prepareRequested.connect(lambda: self.prepare(self.project_id))
            self.dialog.moveRequested.connect(self.move)
            self.dialog.excelRequested.connect(self.export_excel)
            self.dialog.pdfRequested.connect(self.export_pdf)
            self.dialog.activated.connect(self._reload_if_changed)
        self.project_id = project_id
        if self.dialog.isVisible():  # behind others: to the front (a new one is shown on top)
            self.dialog.raise_()
        self.dialog.show()
        self.dialog.activateWindow()
        self.reload()

    def _reload_if_changed(self) -> None:
        """Back in the dialog: read again only if anything was saved since (an edit of the estimate)."""
        db = self.shell.db
        try:
            if db is not None and db.read_counter() != self.read_at:
                self.reload()
        except EDIT_ERRORS as error:
            self.shell.statusBar().showMessage(str(error), 8000)

    def reload(self) -> None:
        """The dialog shows what is stored now (after a step, its undo, another user's change)."""
        db, dialog, project_id = self.shell.db, self.dialog, self.project_id
        if db is None or dialog is None or project_id is None or not dialog.isVisible():
            return
        try:
            self.read_at = db.read_counter()
            orders = load_orders(db, project_id)
            changes = order_changes(db, project_id, orders)
            with db.read() as conn:
                name = (
                    conn.execute(select(PROJECT_T.c.name).where(PROJECT_T.c.id == project_id)).scalar() or ""
                )
                currency = conn.execute(
                    select(COMPANY_T.c.currency).where(COMPANY_T.c.deleted_at.is_(None))
                ).scalar()
        except EDIT_ERRORS as error:
            self.shell.statusBar().showMessage(str(error), 8000)
            return
        dialog.show_orders(f"Orders — {name}", orders, changes, currency or "")

    def close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    # -- steps ---------------------------------------------------------------------------------------

    def _step(self, title: str, do: Callable[[], None], undo: Callable[[], None]) -> bool:
        """Take a step now and push it, undoable, if it worked; a refusal is one message."""
        parent = self.dialog if self.dialog is not None and self.dialog.isVisible() else self.window
        command = CallCommand(title, do, undo)
        command.report = lambda text: self.dialogs.error(parent, title, text)
        command.after = self.reload
        try:
            do()
        except EDIT_ERRORS as error:
            self.dialogs.error(parent, title, str(error))
            return False
        self.undo_stack.push(command)
        self.reload()
        return True

    def prepare(self, project_id: uuid.UUID | None) -> None:
        db = self.shell.db
        if db is None or project_id is None:
            return
        done: list[Prepared] = []

        def do() -> None:
            done[:] = [prepare_orders(db, project_id)]

        if self._step("Prepare orders", do, lambda: undo_prepare(db, done[0])):
            self.shell.statusBar().showMessage(done[0].summary() + " Edit › Undo takes it back.", 10000)
            if self.dialog is None or not self.dialog.isVisible() or self.project_id != project_id:
                self.show_orders()

    def move(self, order: Order, target: OrderStatus) -> None:
        db = self.shell.db
        if db is None:
            return
        before: list[order_status.OrderState] = []
        first = [True]

        def do() -> None:
            version = order.version if first[0] else self._version(order.id)
            first[0] = False
            before[:] = [order_status.move_order(db, order.id, version, target)]

        title = f"{order_status.VERBS[target]} {order.number}"
        if self._step(title, do, lambda: order_status.restore_order(db, order.id, before[0])):
            self.shell.statusBar().showMessage(f"{order.number}: {target.label.lower()}.", 5000)

    def _version(self, order_id: uuid.UUID) -> int:
        return next((o.version for o in load_orders(self.shell.db, self.project_id) if o.id == order_id), 0)  # type: ignore[arg-type]

    # -- exports --------------------------------------------------------------------------------------

    def export_excel(self) -> None:
        if self.dialog is None or self.shell.db is None or self.project_id is None:
            return
        orders = self.dialog.orders.rows()
        if not orders:
            return
        path = self.paths.ask(
            self.dialog,
            "Export the orders as",
            safe_file_name(f"Orders {orders[0].number}–{orders[-1].number}", ".xlsx"),
        )
        if path is None:
            return
        db = self.shell.db

        def work(_progress: Progress) -> Path:
            from app.services.excel.order_sheet import export_orders  # openpyxl: imported when used

            return export_orders(db, orders, path)

        self._run("Exporting the orders…", work, lambda p: f"Exported {len(orders)} orders to {p}.")

    def export_pdf(self, order: Order) -> None:
        db = self.shell.db
        if self.dialog is None or db is None:
            return
        path = self.paths.ask(
            self.dialog,
            "Export the order as",
            safe_file_name(f"{order.number} {order.supplier_name}", ".pdf"),
            ".pdf",
            "PDF files (*.pdf)",
        )
        if path is None:
            return

        def work(progress: Progress) -> Path:
            from app.ui.supply.order_pdf import write_order_pdf

            (content,) = order_contents(db, [order])
            write_order_pdf(content, path, progress)
            return path

        self._run("Exporting the order…", work, lambda p: f"Exported {order.number} to {p}.")

    def _run(self, title: str, work: Callable[[Progress], Any], said: Callable[[Any], str]) -> None:
        if self.running is not None or self.dialog is None:
            return

        def over() -> None:
            self.running = None

        status = self.shell.statusBar()
        self.running = start_export(
            self.dialog,
            self.dialogs,
            title,
            work,
            lambda result: status.showMessage(said(result), 10000),
            over,
            lambda message: status.showMessage(message, 8000),
        )
