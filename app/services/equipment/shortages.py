"""Shortages: equipment a job needs that the stock cannot cover over its days, for one estimate
(Estimate › Shortages) or for every holding job of the company (View › Shortages).

Read through the availability API only (:class:`~app.services.equipment.availability.HoldIndex`):
a job's need of an item is its hold (the counting estimate's lines of it), checked against every
other job's holds, so two jobs fighting over the same panels are both listed, each short of
what the other holds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.models import Project
from app.models.enums import LineKind
from app.services.equipment.availability import (
    CONFIRMED_STATUSES,
    TENTATIVE_STATUSES,
    Availability,
    HoldIndex,
    estimate_availability,
)
from app.services.estimate.document import EstimateDocument
from app.services.money import format_number

_P = Project.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Shortage:
    """One item one job is short of over its days (prep and return included)."""

    project_id: uuid.UUID
    project_name: str
    status: str  # the job's status value: how firmly it holds (confirmed, tentative, not yet)
    estimate_id: uuid.UUID
    availability: Availability
    line_id: uuid.UUID | None = None  # the line to sub-rent from (line_to_subrent), when known

    @property
    def item_name(self) -> str:
        return self.availability.stock.name

    @property
    def first(self) -> date:
        return self.availability.first

    @property
    def last(self) -> date:
        return self.availability.last

    @property
    def short(self) -> str:
        """``352 (292 if tentative holds are lost)``, or ``352``."""
        a = self.availability
        text = format_number(a.short)
        if a.tentative_matters:
            lost = format_number(a.short_confirmed) if a.short_confirmed > 0 else "none"
            text += f" ({lost} if tentative holds are lost)"
        return text

    @property
    def hold(self) -> str:
        """How firmly the job holds what it has: confirmed (won), tentative (quoted) or not held."""
        if self.status in CONFIRMED_STATUSES:
            return "confirmed"
        if self.status in TENTATIVE_STATUSES:
            return "tentative"
        return "not held yet"


def _order(shortages: list[Shortage]) -> list[Shortage]:
    return sorted(
        shortages, key=lambda s: (s.first, s.item_name.lower(), s.project_name.lower(), s.project_id)
    )


def company_shortages(index: HoldIndex) -> list[Shortage]:
    """Every holding job's shortages, by first day, then item, then job."""
    found: list[Shortage] = []
    for item_id in index.stock:
        for hold in index.holds_of(item_id):
            availability = index.availability(
                item_id, hold.first, hold.last, hold.quantity, exclude_project=hold.project_id
            )
            if availability.short > 0:
                found.append(
                    Shortage(hold.project_id, hold.project_name, hold.status, hold.estimate_id, availability)
                )
    return _order(found)


def estimate_shortages(index: HoldIndex, doc: EstimateDocument) -> list[Shortage]:
    """The open estimate's shortages over its project's days, each with the line to sub-rent from."""
    checked = estimate_availability(index, doc)
    by_item: dict[uuid.UUID, Shortage] = {}
    status = _status(doc)
    for availability in checked.shortages:
        item_id = availability.stock.id
        by_item[item_id] = Shortage(
            doc.header.project_id,
            doc.header.project_name,
            status,
            doc.estimate_id,
            availability,
            line_to_subrent(index, doc, item_id),
        )
    return _order(list(by_item.values()))


def line_to_subrent(index: HoldIndex, doc: EstimateDocument, item_id: uuid.UUID) -> uuid.UUID | None:
    """The line of ``doc`` a company-wide shortage of ``item_id`` is sub-rented from: its largest
    counted equipment line of the item (the first of equals), or None when it has none now."""
    stock = index.stock.get(item_id)
    if stock is None or stock.catalog_item_id is None:
        return None
    lines = [
        line
        for line in doc.lines()
        if line.kind is LineKind.EQUIPMENT
        and line.catalog_item_id == stock.catalog_item_id
        and doc.counts_in_total(line)
        and not line.alternative_group
        and line.quantity > 0
    ]
    if not lines:
        return None
    return max(lines, key=lambda line: line.quantity).id


def _status(doc: EstimateDocument) -> str:
    with doc.db.read() as conn:
        status = conn.execute(select(_P.c.status).where(_P.c.id == doc.header.project_id)).scalar()
    return str(status or "")
