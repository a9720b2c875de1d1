"""What availability is made of: an item's stock, one project's hold of it, and the answer to "how
many are free over these days" with the sentence that explains it (the PM's pane only: never
client-facing), and the same for a kit (its scarcest component). Re-exported by
:mod:`app.services.equipment.availability`, where callers take them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from app.models.enums import ProjectStatus
from app.services.money import ZERO

TENTATIVE_STATUSES = frozenset({ProjectStatus.QUOTED.value})
CONFIRMED_STATUSES = frozenset({ProjectStatus.WON.value, ProjectStatus.IN_PRODUCTION.value})
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Stock:
    """An equipment item as availability sees it."""

    id: uuid.UUID
    name: str
    category: str
    owned: Decimal
    out_of_service: Decimal
    out_of_service_from: date | None  # None: since ever
    out_of_service_until: date | None  # None: for good
    prep_days: int
    return_days: int
    day_cost: Decimal
    catalog_item_id: uuid.UUID | None

    def hold_span(self, first: date, last: date) -> tuple[date, date]:
        """The days a project on ``first``–``last`` holds this item: prep before, return after."""
        return first - self.prep_days * _DAY, last + self.return_days * _DAY

    def out_of_service_on(self, first: date, last: date) -> Decimal:
        """The out-of-service quantity if its period touches ``first``–``last``, else 0."""
        if self.out_of_service <= 0:
            return ZERO
        if self.out_of_service_from is not None and self.out_of_service_from > last:
            return ZERO
        if self.out_of_service_until is not None and self.out_of_service_until < first:
            return ZERO
        return self.out_of_service


@dataclass(frozen=True, slots=True)
class Hold:
    """One project holding a quantity of one item over ``first``–``last`` (prep and return included)."""

    item_id: uuid.UUID
    project_id: uuid.UUID
    project_name: str
    status: str  # the project's status value
    estimate_id: uuid.UUID
    first: date
    last: date  # inclusive
    quantity: Decimal

    @property
    def confirmed(self) -> bool:
        return self.status in CONFIRMED_STATUSES


@dataclass(frozen=True, slots=True)
class Holder:
    """A project holding some of an item during the days asked about (its largest quantity)."""

    project_id: uuid.UUID
    project_name: str
    status: str
    confirmed: bool
    quantity: Decimal


class Shortfall:
    """What a need of ``needed`` against ``free`` (``free_if_tentative_lost``) of ``owned`` leaves
    short, and how the pane writes it: shared by an item's and a kit's availability."""

    __slots__ = ()
    needed: Decimal
    if TYPE_CHECKING:  # each subclass says how it counts them

        @property
        def free(self) -> Decimal: ...
        @property
        def free_if_tentative_lost(self) -> Decimal: ...
        @property
        def owned(self) -> Decimal: ...

    @property
    def short(self) -> Decimal:
        """How many are missing, counting tentative holds."""
        return max(self.needed - self.free, ZERO)

    @property
    def short_confirmed(self) -> Decimal:
        """How many are missing if every tentative hold is lost."""
        return max(self.needed - self.free_if_tentative_lost, ZERO)

    @property
    def tentative_matters(self) -> bool:
        return self.short != self.short_confirmed

    def cell(self) -> str:
        """``40 / 400``: free of owned, as the production pane's column shows it."""
        return f"{quantity_text(self.free)} / {quantity_text(self.owned)}"

    def _short_text(self) -> str:
        """``, short 352 / 292 if the tentative holds are lost`` (empty when none is short)."""
        if self.short <= 0:
            return ""
        text = f", short {quantity_text(self.short)}"
        if self.tentative_matters:
            lost = "no shortage" if self.short_confirmed == 0 else quantity_text(self.short_confirmed)
            text += f" / {lost} if the tentative holds are lost"
        return text


@dataclass(frozen=True, slots=True)
class Availability(Shortfall):
    """One item over one span of days, for a need of ``needed``.

    ``busy`` is the most held at once on any day of the span, out of service included, counting
    tentative holds; ``busy_confirmed`` the same counting confirmed holds only.
    """

    stock: Stock
    first: date
    last: date
    needed: Decimal
    busy: Decimal
    busy_confirmed: Decimal
    out_of_service: Decimal
    holders: tuple[Holder, ...] = ()

    @property
    def owned(self) -> Decimal:
        return self.stock.owned

    @property
    def free(self) -> Decimal:
        return max(self.stock.owned - self.busy, ZERO)

    @property
    def free_if_tentative_lost(self) -> Decimal:
        return max(self.stock.owned - self.busy_confirmed, ZERO)

    def explain(self) -> str:
        """ "392 needed: 400 owned, 300 held by Orbital keynote (won), 60 tentatively by Spring Gala
        → 40 free, short 352 / 292 if the tentative holds are lost" (internal: the PM's pane only)."""
        parts = [f"{quantity_text(self.stock.owned)} owned"]
        if self.out_of_service > 0:
            parts.append(f"{quantity_text(self.out_of_service)} out of service")
        for holder in self.holders:
            how = "held by" if holder.confirmed else "tentatively by"
            status = _status_label(holder.status)
            parts.append(f"{quantity_text(holder.quantity)} {how} {holder.project_name} ({status})")
        free = quantity_text(self.free)
        return f"{quantity_text(self.needed)} needed: {', '.join(parts)} → {free} free{self._short_text()}"


@dataclass(frozen=True, slots=True)
class KitComponentAvailability:
    """One component line of a kit line: its item's availability and how many one kit takes."""

    line_id: uuid.UUID
    per_kit: Decimal
    availability: Availability

    def _kits(self, quantity: Decimal) -> Decimal:
        return max(quantity / self.per_kit, ZERO).to_integral_value(rounding=ROUND_FLOOR)

    @property
    def kits_free(self) -> Decimal:
        return self._kits(self.availability.free)

    @property
    def kits_free_if_tentative_lost(self) -> Decimal:
        return self._kits(self.availability.free_if_tentative_lost)

    @property
    def kits_owned(self) -> Decimal:
        return self._kits(self.availability.owned)


@dataclass(frozen=True)
class KitAvailability(Shortfall):
    """A kit line: as many kits are free as its scarcest component allows (floor of free ÷ per kit);
    ``owned`` is how many kits the whole stock makes, ``cell()`` reads "2 / 6"."""

    kit_line_id: uuid.UUID
    needed: Decimal  # the kit line's quantity
    components: tuple[KitComponentAvailability, ...]  # never empty

    @property
    def scarcest(self) -> KitComponentAvailability:
        return min(self.components, key=lambda c: c.kits_free)  # the first of the scarcest, in line order

    @property
    def free(self) -> Decimal:
        return self.scarcest.kits_free

    @property
    def free_if_tentative_lost(self) -> Decimal:
        return min(c.kits_free_if_tentative_lost for c in self.components)

    @property
    def owned(self) -> Decimal:
        return min(c.kits_owned for c in self.components)

    def explain(self) -> str:
        """ "4 kits needed: 2 free (LED panel: 100 free, 50 per kit), short 2" (internal)."""
        low = self.scarcest
        return (
            f"{quantity_text(self.needed)} kits needed: {quantity_text(self.free)} free "
            f"({low.availability.stock.name}: {quantity_text(low.availability.free)} free, "
            f"{quantity_text(low.per_kit)} per kit){self._short_text()}"
        )


def quantity_text(value: Decimal) -> str:
    """A quantity as a PM reads it: ``1,200``, ``2.5``."""
    return f"{int(value):,}" if value == value.to_integral_value() else format(value.normalize(), "f")


def _status_label(status: str) -> str:
    try:
        return ProjectStatus(status).label.lower()
    except ValueError:
        return status
