"""How many of an item are free over a project's days: owned, less out of service, less what other
projects hold.

Holds are derived, never stored: a project that is quoted holds its equipment tentatively, a won
or in-production one holds it confirmed, and lead, estimating, lost, cancelled and delivered ones
hold nothing. The estimate that holds is the one that counts (app.services.projects.counting);
its lines that count in the total (not an add-on, not an unchosen alternative) of kind
*equipment* whose catalog item an :class:`~app.models.EquipmentItem` sells hold that stock from
load-in less the item's prep days to strike plus its return days. Sub-rental lines hold nothing.

The project being estimated is left out of the holds it is checked against: its own scenarios
and options count only against themselves.

FIRST VERSION (the API every caller uses): a plain scan of the holds. The sweep index and the
cache by change counter replace the inside of :class:`HoldIndex` and :func:`hold_index` without
changing what they return.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import CatalogItem, EquipmentItem, Estimate, LineItem, Project, Section
from app.models.enums import LineKind, ProjectStatus
from app.services.estimate.document import EstimateDocument
from app.services.money import ZERO
from app.services.projects.counting import ESTIMATE_ORDER, pick_counting
from app.services.storage.database import Database

TENTATIVE_STATUSES = frozenset({ProjectStatus.QUOTED.value})
CONFIRMED_STATUSES = frozenset({ProjectStatus.WON.value, ProjectStatus.IN_PRODUCTION.value})

_ITEM = EquipmentItem.__table__  # type: ignore[attr-defined]
_CAT = CatalogItem.__table__  # type: ignore[attr-defined]
_P = Project.__table__  # type: ignore[attr-defined]
_E = Estimate.__table__  # type: ignore[attr-defined]
_S = Section.__table__  # type: ignore[attr-defined]
_L = LineItem.__table__  # type: ignore[attr-defined]
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


@dataclass(frozen=True, slots=True)
class Availability:
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
        return f"{_n(self.free)} / {_n(self.stock.owned)}"

    def explain(self) -> str:
        """"392 needed: 400 owned, 300 held by Orbital keynote (won), 60 tentatively by Spring Gala
        → 40 free, short 352 / 292 if the tentative holds are lost" (internal: the PM's pane only)."""
        parts = [f"{_n(self.stock.owned)} owned"]
        if self.out_of_service > 0:
            parts.append(f"{_n(self.out_of_service)} out of service")
        for holder in self.holders:
            how = "held by" if holder.confirmed else "tentatively by"
            status = _status_label(holder.status)
            parts.append(f"{_n(holder.quantity)} {how} {holder.project_name} ({status})")
        text = f"{_n(self.needed)} needed: {', '.join(parts)} → {_n(self.free)} free"
        if self.short > 0:
            text += f", short {_n(self.short)}"
            if self.tentative_matters:
                lost = "no shortage" if self.short_confirmed == 0 else _n(self.short_confirmed)
                text += f" / {lost} if the tentative holds are lost"
        return text


def _n(value: Decimal) -> str:
    """A quantity as a PM reads it: ``1,200``, ``2.5``."""
    return f"{int(value):,}" if value == value.to_integral_value() else format(value.normalize(), "f")


def _status_label(status: str) -> str:
    try:
        return ProjectStatus(status).label.lower()
    except ValueError:
        return status


# -- reading ---------------------------------------------------------------------------------------


def load_stock(conn: Connection) -> dict[uuid.UUID, Stock]:
    rows = conn.execute(select(_ITEM).where(_ITEM.c.deleted_at.is_(None)))
    return {
        r.id: Stock(r.id, r.name, r.category, r.owned_quantity, r.out_of_service_quantity,
                    r.out_of_service_from, r.out_of_service_until, r.prep_days, r.return_days,
                    r.day_cost, r.catalog_item_id)
        for r in rows
    }


def stock_by_catalog_item(stock: Iterable[Stock]) -> dict[uuid.UUID, Stock]:
    """Catalog item → the stock it sells (the first by name when two name one item)."""
    by_item: dict[uuid.UUID, Stock] = {}
    for item in sorted(stock, key=lambda s: (s.name.lower(), s.id)):
        if item.catalog_item_id is not None:
            by_item.setdefault(item.catalog_item_id, item)
    return by_item


def project_span(*days: date | None) -> tuple[date, date] | None:
    """The first and last of the set days (load-in to strike), or None when none is set."""
    known = [d for d in days if d is not None]
    return (min(known), max(known)) if known else None


def counted_line_ids(lines: Iterable[tuple[uuid.UUID, str, bool, bool, bool]]) -> set[uuid.UUID]:
    """Lines that count in the total, from (id, alternative_group, alternative_chosen, line optional,
    section optional) in estimate order: no add-on, and of each alternative group the chosen line
    (the first marked chosen, else the group's first), as the estimate document counts them."""
    rows = list(lines)
    first_marked: dict[str, uuid.UUID] = {}
    first: dict[str, uuid.UUID] = {}
    for line_id, group, is_chosen, _, _ in rows:
        if group:
            first.setdefault(group, line_id)
            if is_chosen:
                first_marked.setdefault(group, line_id)
    chosen = {**first, **first_marked}
    return {
        line_id for line_id, group, _, line_optional, section_optional in rows
        if not line_optional and not section_optional and (not group or chosen[group] == line_id)
    }


def load_holds(conn: Connection, stock: dict[uuid.UUID, Stock]) -> list[Hold]:
    """Every hold, from the counting estimate of each quoted, won or in-production project with dates."""
    holding = sorted(TENTATIVE_STATUSES | CONFIRMED_STATUSES)
    projects = {
        r.id: r for r in conn.execute(
            select(_P.c.id, _P.c.name, _P.c.status, _P.c.start_date, _P.c.show_start_date,
                   _P.c.show_end_date, _P.c.end_date)
            .where(_P.c.deleted_at.is_(None), _P.c.status.in_(holding)))
    }
    if not projects or not stock:
        return []
    estimates = conn.execute(
        select(_E.c.id, _E.c.project_id, _P.c.chosen_estimate_id)
        .join(_P, _E.c.project_id == _P.c.id)
        .where(_E.c.deleted_at.is_(None), _P.c.id.in_(list(projects)))
        .order_by(*ESTIMATE_ORDER))
    counting = {project: row.id for project, row in pick_counting(estimates).items()}
    by_catalog = stock_by_catalog_item(stock.values())
    lines = conn.execute(
        select(_L.c.id, _L.c.kind, _L.c.quantity, _L.c.catalog_item_id, _L.c.alternative_group,
               _L.c.alternative_chosen, _L.c.optional, _S.c.optional.label("section_optional"),
               _S.c.estimate_id)
        .join(_S, _L.c.section_id == _S.c.id)
        .where(_L.c.deleted_at.is_(None), _S.c.deleted_at.is_(None),
               _S.c.estimate_id.in_(list(counting.values())))
        .order_by(_S.c.estimate_id, _S.c.position, _S.c.id, _L.c.position, _L.c.id))
    per_estimate: dict[uuid.UUID, list] = defaultdict(list)
    for row in lines:
        per_estimate[row.estimate_id].append(row)
    holds: list[Hold] = []
    for project_id, estimate_id in counting.items():
        p = projects[project_id]
        span = project_span(p.start_date, p.show_start_date, p.show_end_date, p.end_date)
        rows = per_estimate.get(estimate_id, [])
        if span is None or not rows:
            continue
        counted = counted_line_ids((r.id, r.alternative_group, r.alternative_chosen, r.optional,
                                    r.section_optional) for r in rows)
        needs: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
        for r in rows:
            item = by_catalog.get(r.catalog_item_id) if r.catalog_item_id else None
            if item is not None and r.kind == LineKind.EQUIPMENT.value and r.id in counted and r.quantity > 0:
                needs[item.id] += r.quantity
        for item_id, quantity in needs.items():
            first, last = stock[item_id].hold_span(*span)
            holds.append(Hold(item_id, project_id, p.name, p.status, estimate_id, first, last, quantity))
    return holds


# -- the index -------------------------------------------------------------------------------------


@dataclass
class HoldIndex:
    """Stock and holds, asked how busy an item is over a span of days."""

    stock: dict[uuid.UUID, Stock]
    holds: list[Hold]
    by_catalog_item: dict[uuid.UUID, Stock] = field(init=False)
    _by_item: dict[uuid.UUID, list[Hold]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_catalog_item = stock_by_catalog_item(self.stock.values())
        self._by_item = defaultdict(list)
        for hold in self.holds:
            self._by_item[hold.item_id].append(hold)

    def holds_of(self, item_id: uuid.UUID) -> list[Hold]:
        return list(self._by_item.get(item_id, ()))

    def availability(self, item_id: uuid.UUID, first: date, last: date, needed: Decimal = ZERO,
                     exclude_project: uuid.UUID | None = None) -> Availability:
        """How busy ``item_id`` is over ``first``–``last`` (inclusive), leaving out one project's holds."""
        stock = self.stock[item_id]
        holds = [h for h in self._by_item.get(item_id, ())
                 if h.project_id != exclude_project and h.first <= last and h.last >= first]
        busy = busy_confirmed = ZERO
        day = first
        while day <= last:  # FIRST VERSION: day by day (the sweep replaces this)
            out = stock.out_of_service_on(day, day)
            confirmed = sum((h.quantity for h in holds if h.confirmed and h.first <= day <= h.last), ZERO)
            tentative = sum((h.quantity for h in holds if not h.confirmed and h.first <= day <= h.last), ZERO)
            busy = max(busy, out + confirmed + tentative)
            busy_confirmed = max(busy_confirmed, out + confirmed)
            day += _DAY
        holders: dict[uuid.UUID, Holder] = {}
        for h in holds:
            held = holders.get(h.project_id)
            quantity = h.quantity if held is None else max(held.quantity, h.quantity)
            holders[h.project_id] = Holder(h.project_id, h.project_name, h.status, h.confirmed, quantity)
        ordered = sorted(holders.values(), key=lambda x: (not x.confirmed, -x.quantity, x.project_name))
        return Availability(stock, first, last, needed, busy, busy_confirmed,
                            stock.out_of_service_on(first, last), tuple(ordered))


def hold_index(db: Database) -> HoldIndex:
    """The index of everything held now (FIRST VERSION: read afresh on each call; to be cached by
    the database's change counter so that two people estimating see each other's holds within a poll)."""
    with db.read() as conn:
        stock = load_stock(conn)
        return HoldIndex(stock, load_holds(conn, stock))


# -- one estimate ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EstimateAvailability:
    """Every equipment line of one estimate against the stock: one call for the whole estimate.

    ``lines`` maps an equipment line that needs stock to its item's availability; the need is the
    estimate's total of that item over the lines that count. ``if_chosen`` maps an add-on or an
    unchosen alternative to the availability its item would have were it taken too.
    """

    span: tuple[date, date] | None
    lines: dict[uuid.UUID, Availability]
    if_chosen: dict[uuid.UUID, Availability]

    @property
    def shortages(self) -> list[Availability]:
        """One per item short, in the order of the estimate."""
        seen: dict[uuid.UUID, Availability] = {}
        for availability in self.lines.values():
            if availability.short > 0:
                seen.setdefault(availability.stock.id, availability)
        return list(seen.values())


def estimate_availability(index: HoldIndex, doc: EstimateDocument) -> EstimateAvailability:
    """Availability of every equipment line of ``doc`` over its project's days, against the holds of
    every other project (FIRST VERSION: per item, by the index's scan)."""
    header = doc.header
    span = project_span(header.start_date, header.show_start_date, header.end_date)
    if span is None:
        return EstimateAvailability(None, {}, {})
    needs: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    stock_of: dict[uuid.UUID, Stock] = {}
    for line in doc.lines():
        item = index.by_catalog_item.get(line.catalog_item_id) if line.catalog_item_id else None
        if item is None or line.kind is not LineKind.EQUIPMENT:
            continue
        stock_of[line.id] = item
        if doc.counts_in_total(line):
            needs[item.id] += max(line.quantity, ZERO)
    per_item: dict[uuid.UUID, Availability] = {}
    lines: dict[uuid.UUID, Availability] = {}
    if_chosen: dict[uuid.UUID, Availability] = {}
    for line_id, item in stock_of.items():
        first, last = item.hold_span(*span)
        if item.id not in per_item:
            per_item[item.id] = index.availability(item.id, first, last, needs[item.id], header.project_id)
        base = per_item[item.id]
        line = doc.line(line_id)
        if doc.counts_in_total(line):
            lines[line_id] = base
        else:
            extra = max(line.quantity, ZERO)
            if_chosen[line_id] = replace(base, needed=base.needed + extra)
    return EstimateAvailability(span, lines, if_chosen)
