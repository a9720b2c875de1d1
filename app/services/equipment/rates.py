"""What suppliers charge to sub-rent an item (SubRentalRate rows), and what a sub-hire would cost."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import SubRentalRate, Supplier
from app.services.money import round_money

_R = SubRentalRate.__table__  # type: ignore[attr-defined]
_SUP = Supplier.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Rate:
    """One supplier's cost for one of an item for one day (internal: never client-facing)."""

    equipment_item_id: uuid.UUID
    supplier_id: uuid.UUID
    supplier_name: str
    day_cost: Decimal

    def cost(self, quantity: Decimal, days: Decimal) -> Decimal:
        """The sub-hire of ``quantity`` for ``days`` at this rate, to the cent."""
        return round_money(quantity * days * self.day_cost)


def load_rates(conn: Connection) -> dict[uuid.UUID, list[Rate]]:
    """Item → its live suppliers' rates, cheapest first (then by supplier name)."""
    rows = conn.execute(
        select(_R.c.equipment_item_id, _R.c.supplier_id, _SUP.c.name, _R.c.day_cost)
        .join(_SUP, _R.c.supplier_id == _SUP.c.id)
        .where(_R.c.deleted_at.is_(None), _SUP.c.deleted_at.is_(None))
    )
    rates: dict[uuid.UUID, list[Rate]] = defaultdict(list)
    for row in rows:
        item = row.equipment_item_id
        rates[item].append(Rate(item, row.supplier_id, row.name, row.day_cost))
    for item_rates in rates.values():
        item_rates.sort(key=lambda r: (r.day_cost, r.supplier_name.lower(), r.supplier_id))
    return dict(rates)


def cheapest(rates: dict[uuid.UUID, list[Rate]], item_id: uuid.UUID) -> Rate | None:
    found = rates.get(item_id)
    return found[0] if found else None


def subhire_cost(
    rates: dict[uuid.UUID, list[Rate]], item_id: uuid.UUID, short: Decimal, days: Decimal
) -> Decimal | None:
    """The cheapest sub-hire of ``short`` units for ``days``; None when no supplier has a rate."""
    rate = cheapest(rates, item_id)
    return None if rate is None else rate.cost(short, max(days, Decimal(0)))
