"""Orders to suppliers, prepared from a won project's chosen estimate, and what changed since.

*Prepare orders* reads the estimate that counts (``Project.chosen_estimate_id``) of a won or
in-production project and makes one order per supplier and kind: the sub-rental lines of a
supplier make its sub-rental, the rest of its lines its purchase. Only lines in the total with a
supplier and a quantity are ordered; each order line keeps the line's quantity, unit, days, unit
cost and cost, the supplier's cost, never our price to the client. Need-by and order-by are the
earliest over the order's lines of :func:`~app.services.supply.quote_items.line_timing` against
the project's load-in; the delivery address is the venue; the number ``PO-{year}-{seq:04}``.

Preparing again refreshes the drafts (their lines as the estimate reads now, a draft whose
supplier has gone deleted) and leaves every order already sent: those are compared with the
estimate instead (:func:`order_changes`: "Motors: quantity 8 → 10", "added …", "removed …"), so
the PM sees an order out of date. Everything is written in one transaction, and
:func:`undo_prepare` takes it back. Status moves are in :mod:`app.services.supply.order_status`.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from app.models import Project, Supplier, SupplierOrder, SupplierOrderLine
from app.models.enums import LineKind, OrderKind, OrderStatus, ProjectStatus
from app.models.types import utcnow
from app.services.estimate.document import EstimateDocument
from app.services.money import ZERO, format_money, format_number
from app.services.projects.counting import counting_estimate
from app.services.storage.database import Database
from app.services.storage.versioned import update_versioned
from app.services.supply.quote_items import QuoteItemInfo, line_timing, load_quote_items
from app.services.values import InputError

PROJECT_T = Project.__table__  # type: ignore[attr-defined]
SUPPLIER_T = Supplier.__table__  # type: ignore[attr-defined]
ORDER_T = SupplierOrder.__table__  # type: ignore[attr-defined]
ORDER_LINE_T = SupplierOrderLine.__table__  # type: ignore[attr-defined]

ORDERING = frozenset({ProjectStatus.WON, ProjectStatus.IN_PRODUCTION})
# Past these an order is what the supplier holds: preparing again leaves it, and it can be out of date.
SENT_ON = frozenset({OrderStatus.SENT, OrderStatus.CONFIRMED, OrderStatus.RECEIVED, OrderStatus.RETURNED})
_LOCK_KEY = 0x54616E504F  # "TanPO": one numbering at a time on a server
_LINE_FIELDS = ("description", "quantity", "unit", "days", "unit_cost", "cost")
_ORDER_FIELDS = ("estimate_id", "need_by", "order_by", "delivery_address")


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One line of an order: the estimate line's figures at the supplier's cost."""

    line_item_id: uuid.UUID | None
    description: str
    quantity: Decimal
    unit: str
    days: Decimal
    unit_cost: Decimal
    cost: Decimal

    def figures(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _LINE_FIELDS)


@dataclass(frozen=True)
class PlannedOrder:
    """What the estimate says one supplier's order of one kind should be now."""

    supplier_id: uuid.UUID
    kind: OrderKind
    lines: tuple[OrderLine, ...]
    need_by: date | None
    order_by: date | None


@dataclass(frozen=True)
class Order:
    """A stored order with its lines, as the dialog and the exports read it."""

    id: uuid.UUID
    version: int
    number: str
    project_id: uuid.UUID
    estimate_id: uuid.UUID
    supplier_id: uuid.UUID
    supplier_name: str
    kind: OrderKind
    status: OrderStatus
    need_by: date | None
    order_by: date | None
    delivery_address: str
    notes: str
    sent_at: Any
    lines: tuple[OrderLine, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((line.cost for line in self.lines), ZERO)

    @property
    def key(self) -> tuple[uuid.UUID, OrderKind]:
        return self.supplier_id, self.kind


def plan_orders(
    lines: Iterable[Any],
    items: dict[uuid.UUID, QuoteItemInfo],
    suppliers: dict[uuid.UUID, Any],
    load_in: date | None,
) -> list[PlannedOrder]:
    """The orders ``lines`` (priced estimate lines that count) make: one per supplier and kind, in
    the lines' order; need-by and order-by the earliest of their lines' (None without a load-in)."""
    grouped: dict[tuple[uuid.UUID, OrderKind], list[Any]] = {}
    for line in lines:
        if line.supplier_id is None or line.supplier_id not in suppliers or not line.quantity:
            continue
        kind = OrderKind.SUBRENTAL if line.kind is LineKind.SUBRENTAL else OrderKind.PURCHASE
        grouped.setdefault((line.supplier_id, kind), []).append(line)
    planned = []
    for (supplier_id, kind), group in grouped.items():
        need: list[date] = []
        order: list[date] = []
        for line in group:
            timing = line_timing(supplier_id, getattr(line, "supplier_quote_item_id", None), items, suppliers)
            if timing is not None and load_in is not None:
                need.append(timing.need_by(load_in))
                order.append(timing.order_by(load_in))
        planned.append(
            PlannedOrder(
                supplier_id,
                kind,
                tuple(
                    OrderLine(
                        ln.id, ln.description, ln.quantity, ln.unit, ln.days, ln.unit_cost, ln.price.cost
                    )
                    for ln in group
                ),
                min(need, default=None),
                min(order, default=None),
            )
        )
    return planned


@dataclass(frozen=True)
class ProjectPlan:
    """A project as orders are prepared from it: its chosen estimate, venue and the orders it makes."""

    project_id: uuid.UUID
    estimate_id: uuid.UUID
    venue: str
    load_in: date | None
    orders: list[PlannedOrder]

    def of(self, key: tuple[uuid.UUID, OrderKind]) -> PlannedOrder | None:
        return next((p for p in self.orders if (p.supplier_id, p.kind) == key), None)


def plan_project(db: Database, project_id: uuid.UUID, *, check: bool = True) -> ProjectPlan:
    """Read the project's chosen estimate and plan its orders. With ``check``, InputError (one line)
    unless the project is won or in production and its estimate has no line in error."""
    with db.read() as conn:
        project = conn.execute(
            select(PROJECT_T.c.status, PROJECT_T.c.venue, PROJECT_T.c.start_date).where(
                PROJECT_T.c.id == project_id, PROJECT_T.c.deleted_at.is_(None)
            )
        ).first()
        if project is None:
            raise InputError("That project no longer exists.")
        status = ProjectStatus(project.status)
        if check and status not in ORDERING:
            raise InputError(
                f"Orders are prepared for a won project or one in production; this one is "
                f"{status.label.lower()}."
            )
        estimate_id = counting_estimate(conn, project_id)
        items = load_quote_items(conn)
    if estimate_id is None:
        raise InputError("The project has no estimate to order from.")
    doc = EstimateDocument(db, estimate_id)
    why = doc.in_error_message("ordered from")
    if check and why:
        raise InputError(why)
    lines = [line for line in doc.lines() if doc.counts_in_total(line) and not line.error]
    orders = plan_orders(lines, items, doc.lookups.suppliers, project.start_date)
    return ProjectPlan(project_id, estimate_id, project.venue, project.start_date, orders)


# -- reading ----------------------------------------------------------------------------------------


def _orders(conn: Connection, where: Any) -> list[Order]:
    rows = conn.execute(
        select(ORDER_T, SUPPLIER_T.c.name.label("supplier_name"))
        .join(SUPPLIER_T, SUPPLIER_T.c.id == ORDER_T.c.supplier_id)
        .where(where, ORDER_T.c.deleted_at.is_(None))
        .order_by(ORDER_T.c.number, ORDER_T.c.id)
    ).all()
    lines: dict[uuid.UUID, list[OrderLine]] = {}
    if rows:
        for r in conn.execute(
            select(ORDER_LINE_T)
            .where(ORDER_LINE_T.c.order_id.in_([row.id for row in rows]), ORDER_LINE_T.c.deleted_at.is_(None))
            .order_by(ORDER_LINE_T.c.position)
        ):
            lines.setdefault(r.order_id, []).append(
                OrderLine(r.line_item_id, r.description, r.quantity, r.unit, r.days, r.unit_cost, r.cost)
            )
    return [
        Order(
            row.id,
            row.version,
            row.number,
            row.project_id,
            row.estimate_id,
            row.supplier_id,
            row.supplier_name,
            OrderKind(row.kind),
            OrderStatus(row.status),
            row.need_by,
            row.order_by,
            row.delivery_address,
            row.notes,
            row.sent_at,
            tuple(lines.get(row.id, ())),
        )
        for row in rows
    ]


def live_order(conn: Connection, order_id: uuid.UUID, *columns: Any) -> Any:
    """An order's ``columns`` if it is live; InputError when it was deleted."""
    row = conn.execute(
        select(*columns).where(ORDER_T.c.id == order_id, ORDER_T.c.deleted_at.is_(None))
    ).first()
    if row is None:
        raise InputError("That order no longer exists.")
    return row


def load_orders(db: Database, project_id: uuid.UUID) -> list[Order]:
    """The project's live orders, by number, with their lines."""
    with db.read() as conn:
        return _orders(conn, ORDER_T.c.project_id == project_id)


# -- what changed since it was sent --------------------------------------------------------------------


def _day(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "no date"


def compare(order: Order, planned: PlannedOrder | None, venue: str, currency: str = "") -> list[str]:
    """What the estimate says now against ``order``'s lines, one phrase each; empty when they agree."""
    now = {line.line_item_id: line for line in (planned.lines if planned else ())}
    was = {line.line_item_id: line for line in order.lines}
    changes: list[str] = []
    for key, old in was.items():
        new = now.get(key)
        if new is None:
            changes.append(f"removed {old.description} ({format_number(old.quantity)} {old.unit})")
            continue
        name = (
            new.description
            if new.description == old.description
            else f"{old.description} → {new.description}"
        )
        for label, before, after, shown in (
            ("quantity", old.quantity, new.quantity, format_number),
            ("unit", old.unit, new.unit, str),
            ("days", old.days, new.days, format_number),
            ("unit cost", old.unit_cost, new.unit_cost, lambda v: format_money(v, currency)),
        ):
            if before != after:
                changes.append(f"{name}: {label} {shown(before)} → {shown(after)}")
        if new.description != old.description and new.figures()[1:] == old.figures()[1:]:
            changes.append(f"{name}: renamed")
    for key, new in now.items():
        if key not in was:
            changes.append(f"added {new.description} ({format_number(new.quantity)} {new.unit})")
    if planned is not None and planned.need_by != order.need_by:
        changes.append(f"need by {_day(order.need_by)} → {_day(planned.need_by)}")
    if venue != order.delivery_address:
        changes.append(f"delivery address: {order.delivery_address or 'none'} → {venue or 'none'}")
    return changes


def order_changes(
    db: Database, project_id: uuid.UUID, orders: Sequence[Order] | None = None
) -> dict[uuid.UUID, list[str]]:
    """Every order of the project already sent (and not closed) whose lines the estimate no longer
    says: order → what changed. Empty when all agree (or nothing was sent)."""
    orders = load_orders(db, project_id) if orders is None else orders
    sent = [order for order in orders if order.status in SENT_ON]
    if not sent:
        return {}
    plan = plan_project(db, project_id, check=False)
    changed = {}
    for order in sent:
        changes = compare(order, plan.of(order.key), plan.venue)
        if changes:
            changed[order.id] = changes
    return changed


# -- preparing --------------------------------------------------------------------------------------


@dataclass
class Prepared:
    """What preparing wrote, to say so and to take it back (:func:`undo_prepare`)."""

    made: list[str] = field(default_factory=list)  # numbers of the new drafts
    refreshed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # sent or later: left as they are
    dropped: list[str] = field(default_factory=list)  # drafts whose supplier has no line any more
    new_orders: list[uuid.UUID] = field(default_factory=list)
    # A refreshed draft: its id → (its fields before, the line ids it had).
    before: dict[uuid.UUID, tuple[dict[str, Any], list[uuid.UUID]]] = field(default_factory=dict)
    dropped_ids: list[uuid.UUID] = field(default_factory=list)
    new_lines: list[uuid.UUID] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{len(items)} {what}{': ' + ', '.join(items) if items else ''}"
            for what, items in (
                ("new", self.made),
                ("refreshed", self.refreshed),
                ("left as sent", self.left),
                ("dropped", self.dropped),
            )
            if items
        ]
        return (
            "Orders: " + ("; ".join(parts) if parts else "nothing to order (no line with a supplier)") + "."
        )


def _next_numbers(conn: Connection, year: int) -> Iterator[str]:
    """PO-{year}-{seq:04} from one past the highest of the year, read now."""
    prefix = f"PO-{year}-"
    taken = conn.execute(
        select(ORDER_T.c.number).where(ORDER_T.c.number.like(prefix + "%"), ORDER_T.c.deleted_at.is_(None))
    ).scalars()
    seq = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return (f"{prefix}{n:04}" for n in itertools.count(seq + 1))


def _line_rows(order_id: uuid.UUID, lines: Sequence[OrderLine]) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "id": uuid.uuid4(),
            "created_at": now,
            "updated_at": now,
            "version": 1,
            "deleted_at": None,
            "order_id": order_id,
            "line_item_id": line.line_item_id,
            "position": n,
            **{name: getattr(line, name) for name in _LINE_FIELDS},
        }
        for n, line in enumerate(lines)
    ]


def prepare_orders(db: Database, project_id: uuid.UUID, *, today: date | None = None) -> Prepared:
    """Make or refresh the project's draft orders from its chosen estimate, in one transaction.

    InputError (one line, nothing written) for a project that is not won or in production, or an
    estimate with a line in error. Orders already sent are left; drafts follow the estimate.
    """
    plan = plan_project(db, project_id)
    year = (today or date.today()).year
    done = Prepared()
    with db.write() as conn:
        if conn.dialect.name == "postgresql":  # SQLite's write is one at a time already
            # Two preparing at once on a server: the second reads the first's orders and numbers.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        existing = _orders(conn, ORDER_T.c.project_id == project_id)
        drafts = {o.key: o for o in existing if o.status is OrderStatus.DRAFT}
        placed = {o.key for o in existing if o.status is not OrderStatus.DRAFT}
        numbers = _next_numbers(conn, year)
        planned_keys = set()
        for planned in plan.orders:
            key = (planned.supplier_id, planned.kind)
            planned_keys.add(key)
            values = {
                "estimate_id": plan.estimate_id,
                "need_by": planned.need_by,
                "order_by": planned.order_by,
                "delivery_address": plan.venue,
            }
            draft = drafts.get(key)
            if draft is not None:
                if draft.lines == planned.lines and all(getattr(draft, k) == v for k, v in values.items()):
                    continue
                ids = _live_line_ids(conn, draft.id)
                done.before[draft.id] = ({k: getattr(draft, k) for k in _ORDER_FIELDS}, ids)
                update_versioned(conn, ORDER_T, draft.id, draft.version, values)
                _tombstone(conn, ORDER_LINE_T, ids)
                rows = _line_rows(draft.id, planned.lines)
                done.new_lines += [r["id"] for r in rows]
                conn.execute(ORDER_LINE_T.insert(), rows)
                done.refreshed.append(draft.number)
            elif key in placed:
                done.left += [
                    o.number for o in existing if o.key == key and o.status is not OrderStatus.DRAFT
                ]
            else:
                now = utcnow()
                order = {
                    "id": uuid.uuid4(),
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                    "deleted_at": None,
                    "project_id": project_id,
                    "supplier_id": planned.supplier_id,
                    "kind": planned.kind.value,
                    "number": next(numbers),
                    "status": OrderStatus.DRAFT.value,
                    "notes": "",
                    "sent_at": None,
                    **values,
                }
                conn.execute(ORDER_T.insert(), [order])
                conn.execute(ORDER_LINE_T.insert(), _line_rows(order["id"], planned.lines))
                done.made.append(order["number"])
                done.new_orders.append(order["id"])
        for key, draft in drafts.items():
            if key not in planned_keys:
                update_versioned(conn, ORDER_T, draft.id, draft.version, {"deleted_at": utcnow()})
                done.dropped.append(draft.number)
                done.dropped_ids.append(draft.id)
    return done


def _live_line_ids(conn: Connection, order_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        conn.execute(
            select(ORDER_LINE_T.c.id).where(
                ORDER_LINE_T.c.order_id == order_id, ORDER_LINE_T.c.deleted_at.is_(None)
            )
        ).scalars()
    )


def _tombstone(conn: Connection, table: Any, ids: Sequence[uuid.UUID], *, back: bool = False) -> None:
    if ids:
        conn.execute(
            update(table)
            .where(table.c.id.in_(list(ids)))
            .values(deleted_at=None if back else utcnow(), version=table.c.version + 1, updated_at=utcnow())
        )


def undo_prepare(db: Database, done: Prepared) -> None:
    """Take a preparation back in one transaction: new drafts deleted, refreshed ones as they were,
    dropped ones back. InputError when one of them was sent or changed since (nothing written)."""
    with db.write() as conn:
        touched = [*done.new_orders, *done.before]
        current = {o.id: o for o in _orders(conn, ORDER_T.c.id.in_(touched))} if touched else {}
        for order_id in touched:
            order = current.get(order_id)
            if order is None or order.status is not OrderStatus.DRAFT:
                raise InputError("An order prepared then was sent or deleted since; the preparation stays.")
        for order_id in done.new_orders:
            update_versioned(conn, ORDER_T, order_id, current[order_id].version, {"deleted_at": utcnow()})
        _tombstone(conn, ORDER_LINE_T, done.new_lines)
        for order_id, (values, line_ids) in done.before.items():
            update_versioned(conn, ORDER_T, order_id, current[order_id].version, values)
            _tombstone(conn, ORDER_LINE_T, line_ids, back=True)
        _tombstone(conn, ORDER_T, done.dropped_ids, back=True)
