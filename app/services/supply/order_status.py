"""An order's status: draft → sent → confirmed → received → returned (sub-rentals) → closed.

The allowed moves live in :data:`MOVES`, one place; a refused move says what the order can
become instead. Every move goes through the order's version check and returns the state before,
which :func:`restore_order` puts back (undo). Sending stamps ``sent_at``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from app.models.enums import OrderKind, OrderStatus
from app.models.types import utcnow
from app.services.storage.database import Database
from app.services.storage.versioned import update_versioned
from app.services.supply.orders import ORDER_T, live_order
from app.services.values import InputError

OS = OrderStatus
MOVES: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    OS.DRAFT: (OS.SENT,),
    OS.SENT: (OS.CONFIRMED,),
    OS.CONFIRMED: (OS.RECEIVED,),
    OS.RECEIVED: (OS.RETURNED, OS.CLOSED),  # a sub-rental goes back first; a purchase is closed
    OS.RETURNED: (OS.CLOSED,),
    OS.CLOSED: (),
}
VERBS = {
    OS.SENT: "Mark sent",
    OS.CONFIRMED: "Mark confirmed",
    OS.RECEIVED: "Mark received",
    OS.RETURNED: "Mark returned",
    OS.CLOSED: "Close",
}


@dataclass(frozen=True, slots=True)
class OrderState:
    status: OrderStatus
    sent_at: datetime | None


def allowed(status: OrderStatus, kind: OrderKind) -> tuple[OrderStatus, ...]:
    moves = MOVES.get(status, ())
    if status is OS.RECEIVED:
        return (OS.RETURNED,) if kind is OrderKind.SUBRENTAL else (OS.CLOSED,)
    return moves


def check_move(status: OrderStatus, kind: OrderKind, target: OrderStatus) -> None:
    """InputError, one line, unless an order of ``kind`` in ``status`` may become ``target``."""
    if target in allowed(status, kind):
        return
    if target is status:
        raise InputError(f"The order is already {status.label.lower()}.")
    if target is OS.RETURNED and kind is OrderKind.PURCHASE:
        raise InputError("A purchase is not returned: only a sub-rental goes back to the supplier.")
    if target is OS.CLOSED and status is OS.RECEIVED:
        raise InputError("A sub-rental is closed once it is returned to the supplier.")
    targets = allowed(status, kind)
    where = f"it can be {targets[0].label.lower()} next" if targets else "it is closed"
    raise InputError(f"A {status.label.lower()} order cannot be {target.label.lower()}: {where}.")


def move_order(db: Database, order_id: uuid.UUID, version: int, target: OrderStatus) -> OrderState:
    """Move an order (as read at ``version``) to ``target``; the state before, for undo.
    InputError (nothing changed) or EditConflict when someone else changed it meanwhile."""
    with db.write() as conn:
        row = live_order(conn, order_id, ORDER_T.c.status, ORDER_T.c.kind, ORDER_T.c.sent_at)
        check_move(OrderStatus(row.status), OrderKind(row.kind), target)
        values: dict[str, object] = {"status": target.value}
        if target is OS.SENT:
            values["sent_at"] = utcnow()
        update_versioned(conn, ORDER_T, order_id, version, values)
    return OrderState(OrderStatus(row.status), row.sent_at)


def restore_order(db: Database, order_id: uuid.UUID, state: OrderState) -> None:
    """Put a state back (the undo of a move), whatever the moves say: it was the state."""
    with db.write() as conn:
        current = live_order(conn, order_id, ORDER_T.c.version).version
        update_versioned(
            conn, ORDER_T, order_id, current, {"status": state.status.value, "sent_at": state.sent_at}
        )
