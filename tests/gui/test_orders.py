"""Project › Prepare orders and Project › Orders… in the window, on tests/orders_scene.py: four
orders to two suppliers, Mark sent, the estimate edited after the send marks the order out of date
with what changed, Edit › Undo takes the send and then the preparation back; the Excel and PDF
exports carry the supplier's cost, never our price to the client."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from app.models.enums import OrderStatus
from app.services.estimate.document import EstimateDocument
from app.services.storage.database import Database
from app.services.supply.orders import load_orders
from app.ui.supply.orders_dialog import OUT_OF_DATE, OrdersDialog
from tests.gui.conftest import FakeDialogs, shown_window
from tests.orders_scene import make_scene


def _click(qtbot: Any, dialog: OrdersDialog, name: str) -> None:
    from PySide6.QtWidgets import QPushButton

    button = dialog.findChild(QPushButton, name)
    assert button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _row(dialog: OrdersDialog, number: str) -> int:
    return next(n for n in range(dialog.orders.rowCount()) if dialog.orders.row_at(n).number == number)


def test_prepare_send_out_of_date_undo_and_export(
    qtbot: Any, qtmodeltester: Any, demo_db: Database, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    scene = make_scene(demo_db)
    win = shown_window(qtbot, demo_db, dialogs)
    win.open_estimate(scene.estimate_id)
    win.findChild(QAction, "actionPrepareOrders").trigger()
    dialog = win.findChild(OrdersDialog, "ordersDialog")
    assert dialog is not None and dialog.isVisible(), dialogs.shown
    qtmodeltester.check(dialog.orders)
    qtmodeltester.check(dialog.lines)
    cells = [dialog.orders.cells(dialog.orders.row_at(n)) for n in range(dialog.orders.rowCount())]
    assert [(c[1], c[2], c[3], c[6]) for c in cells] == [
        ("Brightline AV", "Sub-rental", "Draft", "$420.00"),
        ("Brightline AV", "Purchase", "Draft", "$105.00"),
        ("SkyPoint Rigging", "Sub-rental", "Draft", "$1,380.00"),
        ("SkyPoint Rigging", "Purchase", "Draft", "$100.01"),
    ]
    motors = dialog.orders.row_at(2)
    dialog.view.selectRow(_row(dialog, motors.number))
    assert [dialog.lines.cells(dialog.lines.row_at(n))[0] for n in range(dialog.lines.rowCount())] == [
        "Motors",
        "Truss towers (chosen)",
    ]
    _click(qtbot, dialog, "ordersSent")
    assert load_orders(demo_db, scene.project_id)[2].status is OrderStatus.SENT
    assert not dialog.findChild(type(dialog.prepare_button), "ordersSent").isEnabled()  # sent once

    # The estimate changes after the send: the order is out of date and says how.
    EstimateDocument(demo_db, scene.estimate_id).set_line_fields(
        scene.lines["Motors"], {"quantity": Decimal(10)}
    )
    QApplication.sendEvent(dialog, QEvent(QEvent.Type.WindowActivate))  # back in the dialog: it reads again
    row = _row(dialog, motors.number)
    assert dialog.orders.index(row, 7).data() == OUT_OF_DATE
    assert dialog.orders.index(row, 7).data(Qt.ItemDataRole.ToolTipRole) == "Motors: quantity 8 → 10"
    assert dialog.changed.text() == f"{motors.number} is out of date: Motors: quantity 8 → 10."

    # Exports: the supplier's cost, a SUM to the cent; no client price (Motors at 40 % markup: 1,680.00).
    xlsx, pdf = tmp_path / "orders.xlsx", tmp_path / "order.pdf"
    dialogs.answers = [str(xlsx)]
    _click(qtbot, dialog, "ordersExcel")
    qtbot.waitUntil(lambda: win.project_actions.orders.running is None and xlsx.exists())
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == [c[0] for c in cells]
    values = [v for row in book[motors.number].iter_rows(values_only=True) for v in row if v is not None]
    assert "Sub-rental order " + motors.number in values and "Motors" in values and 1020 in values
    assert any(isinstance(v, str) and v.startswith("=SUM(F") for v in values)
    assert 1680 not in values and 1428 not in values  # the Motors line's price; 1,020 × 1.4
    dialogs.answers = [str(pdf)]
    _click(qtbot, dialog, "ordersPdf")
    qtbot.waitUntil(lambda: win.project_actions.orders.running is None and pdf.exists())
    assert pdf.read_bytes().startswith(b"%PDF")

    # Edit › Undo: the send, then the preparation.
    undo = win.findChild(QAction, "actionUndo")
    assert undo.text() == f"Undo Mark sent {motors.number}"
    undo.trigger()
    assert load_orders(demo_db, scene.project_id)[2].status is OrderStatus.DRAFT
    assert dialog.orders.index(_row(dialog, motors.number), 3).data() == "Draft"
    undo.trigger()
    assert load_orders(demo_db, scene.project_id) == []
    assert dialog.orders.rowCount() == 0 and not dialog.empty.isHidden()
    assert [s for s in dialogs.shown if s[0] == "error"] == []
    dialog.close()
