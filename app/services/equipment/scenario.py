"""An estimate's equipment against the stock as the scenario comparison weighs it: units short, and
what sub-hiring costs (its sub-rental lines, plus the cheapest sub-hire of what is still short).

A sub-hire is priced at the item's cheapest sub-rental rate × the units short × the days of the
line (for an item several lines need, the longest of them); an item short without any rate is
named instead of priced. Internal figures: nothing here is client-facing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from app.models.enums import LineKind
from app.services.equipment.availability import HoldIndex, estimate_availability
from app.services.equipment.rates import Rate, cheapest
from app.services.estimate.document import EstimateDocument
from app.services.money import ZERO


def subhire_cost(
    rates: dict[uuid.UUID, list[Rate]], item_id: uuid.UUID, short: Decimal, days: Decimal
) -> Decimal | None:
    """The cheapest sub-hire of ``short`` units for ``days``; None when no supplier has a rate."""
    rate = cheapest(rates, item_id)
    return None if rate is None else rate.cost(short, max(days, ZERO))


@dataclass(frozen=True, slots=True)
class ScenarioEquipment:
    """One estimate's equipment against the stock: units short (tentative holds counted) and the
    sub-rental cost: its sub-rental lines' cost plus the cheapest sub-hire of what is still short.
    ``unpriced`` names the items short that no supplier has a rate for (left out of the cost)."""

    short: Decimal = ZERO
    subrental_cost: Decimal = ZERO
    unpriced: tuple[str, ...] = ()


def scenario_equipment(
    index: HoldIndex, doc: EstimateDocument, rates: dict[uuid.UUID, list[Rate]]
) -> ScenarioEquipment:
    found = estimate_availability(index, doc)
    cost = sum(
        (
            line.price.cost
            for line in doc.lines()
            if line.kind is LineKind.SUBRENTAL and doc.counts_in_total(line)
        ),
        ZERO,
    )
    days: dict[uuid.UUID, Decimal] = {}
    for line_id, a in found.lines.items():
        days[a.stock.id] = max(days.get(a.stock.id, ZERO), doc.line(line_id).days)
    short = ZERO
    unpriced = []
    for a in found.shortages:
        short += a.short
        sub = subhire_cost(rates, a.stock.id, a.short, days.get(a.stock.id, ZERO))
        if sub is None:
            unpriced.append(a.stock.name)
        else:
            cost += sub
    return ScenarioEquipment(short, cost, tuple(unpriced))
