"""A shortage turned into a sub-rental: a short equipment line split into the part the company's
own stock covers and a sub-rental line for exactly the missing quantity, from a supplier.

The arithmetic, for a line of quantity Q, price P (to the cent) and a shortage of S:

- the owned part keeps quantity Q − S and its price basis, so its price is its own share
  p = round(P × (Q − S) / Q) (a price override is scaled the same way, to the cent);
- the sub-rental line has quantity S, the line's days, the supplier's day cost as its unit cost
  (its cost is S × days × day cost) and a price override of P − p;
- so the two prices sum to P exactly and the client total does not move by a cent. The client
  wording is the line's own, and ``subrental_of_id`` links the two, so the client reads one item.

A quantity given by a formula keeps it: the owned part's formula becomes ``(formula) - S``, so
it still follows the parameters, S fewer. The days (and a days formula) are copied.

Both lines are written in one transaction (:meth:`EstimateDocument.batch`); undone, the line is
exactly what it was and the sub-rental line goes (a tombstone, restored by a redo).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import Supplier
from app.models.enums import LineKind, PriceBasis
from app.services.equipment.availability import Stock
from app.services.equipment.rates import Rate
from app.services.estimate.document import EstimateDocument
from app.services.estimate.pricing import price_line
from app.services.money import ZERO, format_money, format_number, round_money
from app.services.values import InputError

_SUP = Supplier.__table__  # type: ignore[attr-defined]

RATE, SUPPLIES, OTHER = "rate", "supplies", "other"


@dataclass(frozen=True, slots=True)
class SupplierChoice:
    """A supplier offered for a sub-rental, and why it comes where it does in the list."""

    id: uuid.UUID
    name: str
    why: str  # RATE (has a rate for the item), SUPPLIES (supplies its category) or OTHER
    day_cost: Decimal | None  # its rate for the item (per unit per day), if it has one

    def label(self, currency: str = "") -> str:
        if self.day_cost is not None:
            return f"{self.name} — {format_money(self.day_cost, currency)} a day"
        return f"{self.name} (supplies it)" if self.why == SUPPLIES else self.name


def supplier_choices(conn: Connection, item: Stock, rates: list[Rate]) -> list[SupplierChoice]:
    """Every live supplier, in the order the picker offers them: those with a rate for ``item``
    (cheapest first, as ``rates`` is), then those whose *Supplies* mentions its category, then the
    rest A→Z."""
    rows = conn.execute(select(_SUP.c.id, _SUP.c.name, _SUP.c.supplies).where(_SUP.c.deleted_at.is_(None)))
    suppliers = sorted(rows, key=lambda r: (r.name.lower(), r.id))
    live = {s.id for s in suppliers}
    rated: dict[uuid.UUID, SupplierChoice] = {}
    for rate in rates:  # cheapest first: a supplier's cheapest rate names it
        if rate.supplier_id in live:
            rated.setdefault(
                rate.supplier_id, SupplierChoice(rate.supplier_id, rate.supplier_name, RATE, rate.day_cost)
            )
    category = item.category.strip().lower()
    supplying = [
        SupplierChoice(s.id, s.name, SUPPLIES, None)
        for s in suppliers
        if s.id not in rated and category and category in (s.supplies or "").lower()
    ]
    taken = set(rated) | {c.id for c in supplying}
    others = [SupplierChoice(s.id, s.name, OTHER, None) for s in suppliers if s.id not in taken]
    return [*rated.values(), *supplying, *others]


@dataclass(frozen=True)
class SubRental:
    """What sub-renting part of a line writes: the line's changes and the new line's values."""

    line_id: uuid.UUID
    section_id: uuid.UUID
    quantity: Decimal  # sub-rented
    keep: dict[str, Any]  # the short line's changes: the owned part
    values: dict[str, Any]  # the sub-rental line
    cost: Decimal  # the sub-rental line's cost
    price: Decimal  # the sub-rental line's price (the owned part keeps the rest)

    def summary(self, supplier: str, currency: str = "") -> str:
        return (
            f"Sub-rented {format_number(self.quantity)} from {supplier} at "
            f"{format_money(self.cost, currency)}; the client price is unchanged."
        )


def plan_subrental(
    doc: EstimateDocument, line_id: uuid.UUID, quantity: Decimal, supplier: SupplierChoice, day_cost: Decimal
) -> SubRental:
    """The split of ``quantity`` of a line off to ``supplier`` at ``day_cost``; InputError (one line,
    nothing changed) when it cannot be done."""
    if not doc.has_line(line_id):
        raise InputError("That line no longer exists.")
    line = doc.line(line_id)
    name = f"“{line.description}”"
    if line.kind is not LineKind.EQUIPMENT:
        raise InputError(f"{name} is not an equipment line: only equipment from stock is sub-rented.")
    if line.error:
        raise InputError(f"{name} is in error ({line.error}); correct it first.")
    if not doc.counts_in_total(line):
        raise InputError(f"{name} is an add-on or an unchosen alternative: it holds no stock to be short of.")
    if line.alternative_group:
        raise InputError(f"{name} is one of a group of alternatives: sub-rent once it is the only choice.")
    if quantity <= 0 or quantity > line.quantity:
        raise InputError(f"Sub-rent between 1 and {format_number(line.quantity)} of {name}.")
    if day_cost < 0:
        raise InputError("A day cost cannot be negative.")
    total = line.price.price
    owned = line.quantity - quantity
    keep: dict[str, Any] = {"quantity": owned}
    if line.quantity_formula:
        keep["quantity_formula"] = f"({line.quantity_formula}) - {format_number(quantity)}"
    if line.price_override is not None:
        keep["price_override"] = round_money(line.price_override * owned / line.quantity)
    owned_price = price_line(replace(line, **keep).terms(), doc.rules_for(line)).price
    price = total - owned_price
    values: dict[str, Any] = {
        "kind": LineKind.SUBRENTAL.value,
        "description": f"{line.description} (sub-rental from {supplier.name})",
        "client_description": line.client_description,
        "quantity": quantity,
        "unit": line.unit,
        "days": line.days,
        "days_formula": line.days_formula,
        "unit_cost": day_cost,
        "price_basis": PriceBasis.MARKUP.value,
        "price_override": price,
        "supplier_id": supplier.id,
        "catalog_item_id": line.catalog_item_id,
        "phase": line.phase,
        "range_low_pct": line.range_low_pct,
        "range_high_pct": line.range_high_pct,
        "subrental_of_id": line.id,
    }
    cost = round_money(quantity * line.days * day_cost)
    return SubRental(line.id, line.section_id, quantity, keep, values, cost, price)


def apply_subrental(
    doc: EstimateDocument, plan: SubRental, new_id: uuid.UUID, *, restore: bool = False
) -> dict[str, Any]:
    """Split the line as planned, in one transaction: the owned part, then the sub-rental line
    ``new_id`` right after it (with ``restore``: that same row brought back, a redo). Returns the
    line's values before (for :func:`revert_subrental`)."""
    with doc.batch():
        old = doc.set_line_fields(plan.line_id, plan.keep)
        index = doc.locate(plan.line_id)[1] + 1
        if restore:
            doc.restore_lines([(new_id, plan.section_id, index)])
        else:
            doc.add_lines(plan.section_id, index, [plan.values], [new_id])
    return old


def revert_subrental(doc: EstimateDocument, plan: SubRental, old: dict[str, Any], new_id: uuid.UUID) -> None:
    """Undo a split, in one transaction: the sub-rental line deleted, the line as it was."""
    with doc.batch():
        if doc.has_line(new_id):
            doc.delete_lines([new_id])
        doc.set_line_fields(plan.line_id, old)


def short_of(doc: EstimateDocument, line_id: uuid.UUID, short: Decimal) -> Decimal:
    """How much of a line to sub-rent for an item ``short`` by that much: all of it, or as much of
    the shortage as the line has (other lines of the same item take the rest)."""
    return min(max(short, ZERO), doc.line(line_id).quantity)
