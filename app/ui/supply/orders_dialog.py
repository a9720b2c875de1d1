"""Project › Orders…: the project's orders to suppliers (supplier, kind, status, need-by, order-by,
total cost, out of date and what changed), the selected order's lines, and the buttons that
prepare, move and export them. The dialog shows and asks; the work is OrdersActions'."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QUndoStack
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.models.enums import OrderStatus
from app.services.money import format_money, format_number
from app.services.projects.dates import format_day
from app.services.supply.order_status import VERBS, allowed
from app.services.supply.orders import Order, OrderLine
from app.ui.crew.staffing_model import SHORT
from app.ui.field_table import add_undo_buttons
from app.ui.widgets import RowsModel, record_table

OUT_OF_DATE = "⚠ out of date"


def _day(day: Any) -> str:
    return format_day(day) if day is not None else ""


ORDER_HEADERS = ("Order", "Supplier", "Kind", "Status", "Need by", "Order by", "Total cost", "Out of date")
LINE_HEADERS = ("Description", "Qty", "Unit", "Days", "Unit cost", "Cost")
# The status buttons, in the order an order goes through them.
MOVES = (
    OrderStatus.SENT,
    OrderStatus.CONFIRMED,
    OrderStatus.RECEIVED,
    OrderStatus.RETURNED,
    OrderStatus.CLOSED,
)


class OrdersDialog(QDialog):
    """One project's orders. Signals carry what the user asked for; :meth:`show_orders` shows a read."""

    prepareRequested = Signal()
    moveRequested = Signal(object, object)  # Order, OrderStatus
    excelRequested = Signal()
    pdfRequested = Signal(object)  # Order
    activated = Signal()  # the user came back to it: what the estimate says may have changed

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ordersDialog")
        self.currency = ""
        self.changes: dict[Any, list[str]] = {}
        self.orders = RowsModel(ORDER_HEADERS, self._order_cells, {6}, self)
        self.orders.flag = lambda order: "\n".join(self.changes.get(order.id, ()))
        self.orders.flag_column, self.orders.flag_brush = 7, QBrush(SHORT)
        self.lines = RowsModel(LINE_HEADERS, self._line_cells, {1, 3, 4, 5}, self)
        self.view = record_table(self.orders, "ordersTable", 1, self)
        self.lines_view = record_table(self.lines, "orderLinesTable", 0, self)
        self.changed = QLabel(self)
        self.changed.setObjectName("orderChanges")
        self.changed.setWordWrap(True)
        self.empty = QLabel("No orders yet: Prepare orders makes them from the chosen estimate.", self)
        self.empty.setObjectName("ordersEmpty")
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(self.lines_view)
        buttons = QHBoxLayout()
        self.prepare_button = self._button(
            "Prepare orders", "ordersPrepare", buttons, self.prepareRequested.emit
        )
        self.move_buttons = {
            target: self._button(
                VERBS[target],
                f"orders{target.value.capitalize()}",
                buttons,
                lambda _c=False, t=target: self._move(t),
            )
            for target in MOVES
        }
        self.excel_button = self._button("Export Excel…", "ordersExcel", buttons, self.excelRequested.emit)
        self.pdf_button = self._button("Export PDF…", "ordersPdf", buttons, self._pdf)
        buttons.addStretch(1)
        add_undo_buttons(self, undo_stack, "orders", buttons)
        close = self._button("Close", "ordersClose", buttons, self.accept)
        close.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.changed)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update())
        self.resize(980, 520)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            self.activated.emit()
        return super().event(event)

    def _button(self, text: str, name: str, row: QHBoxLayout, slot: Callable[..., Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def _order_cells(self, o: Order) -> tuple[str, ...]:
        return (
            o.number,
            o.supplier_name,
            o.kind.label,
            o.status.label,
            _day(o.need_by),
            _day(o.order_by),
            format_money(o.total, self.currency),
            OUT_OF_DATE if o.id in self.changes else "",
        )

    def _line_cells(self, line: OrderLine) -> tuple[str, ...]:
        return (
            line.description,
            format_number(line.quantity),
            line.unit,
            format_number(line.days),
            format_money(line.unit_cost, self.currency),
            format_money(line.cost, self.currency),
        )

    def show_orders(
        self, title: str, orders: list[Order], changes: dict[Any, list[str]], currency: str
    ) -> None:
        """The orders read (and which are out of date); the same order stays selected."""
        current = self.current()
        self.setWindowTitle(title)
        self.currency, self.changes = currency, changes
        self.orders.set_rows(orders)
        row = next((n for n, o in enumerate(orders) if current is not None and o.id == current.id), 0)
        if orders:
            self.view.selectRow(row)
        self.view.resizeColumnsToContents()
        self._update()

    def current(self) -> Order | None:
        index = self.view.currentIndex()
        return self.orders.row_at(index.row()) if index.isValid() else None  # type: ignore[no-any-return]

    def _update(self) -> None:
        order = self.current()
        self.empty.setVisible(self.orders.rowCount() == 0)
        self.lines.set_rows(order.lines if order is not None else [])
        self.lines_view.resizeColumnsToContents()
        changes = self.changes.get(order.id, []) if order is not None else []
        self.changed.setText(
            f"{order.number} is out of date: " + "; ".join(changes) + "." if changes and order else ""
        )
        self.changed.setVisible(bool(changes))
        moves = allowed(order.status, order.kind) if order is not None else ()
        for target, button in self.move_buttons.items():
            button.setEnabled(target in moves)
        self.excel_button.setEnabled(self.orders.rowCount() > 0)
        self.pdf_button.setEnabled(order is not None)

    def _move(self, target: OrderStatus) -> None:
        order = self.current()
        if order is not None:
            self.moveRequested.emit(order, target)

    def _pdf(self) -> None:
        order = self.current()
        if order is not None:
            self.pdfRequested.emit(order)
