"""How many of an item are free over a project's days: owned, less out of service, less what other
projects hold.

Holds are derived, never stored: a project that is quoted holds its equipment tentatively, a won
or in-production one holds it confirmed, and lead, estimating, lost, cancelled and delivered ones
hold nothing. The estimate that holds is the one that counts (app.services.projects.counting);
its lines that count in the total (not an add-on, not an unchosen alternative) of kind
*equipment* whose catalog item an :class:`~app.models.EquipmentItem` sells hold that stock from
load-in less the item's prep days to strike plus its return days. Sub-rental lines hold nothing.

The project being estimated is left out of the holds it is checked against, exactly (its own
holds are subtracted day by day, see :meth:`~app.services.equipment.sweep.Steps.peak_without`):
its own scenarios and options count only against themselves.

The index is a sweep per item (app/services/equipment/sweep.py), built when an item is first
asked about; :func:`hold_index` keeps one per database and reads it again only when the change
counter has moved, so two people estimating see each other's holds within a poll.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.models import ChangeCounter
from app.models.enums import LineKind
from app.services.equipment.holds import (  # re-exported: callers import them from here
    CONFIRMED_STATUSES,  # noqa: F401
    TENTATIVE_STATUSES,  # noqa: F401
    Availability,
    Hold,
    Holder,
    KitAvailability,
    KitComponentAvailability,
    Stock,
    quantity_text,  # noqa: F401
)
from app.services.equipment.rates import Rate, cheapest, load_rates
from app.services.equipment.reading import (  # re-exported: callers import them from here
    counted_line_ids,  # noqa: F401
    counts_in_total,  # noqa: F401
    load_holds,
    load_kit_components,
    load_stock,
    project_span,
    stock_by_catalog_item,
)
from app.services.equipment.sweep import Steps, build_steps, out_of_service_span
from app.services.estimate.document import EstimateDocument
from app.services.estimate.line_links import line_links
from app.services.estimate.rows import LineRow
from app.services.money import ZERO
from app.services.storage.database import Database

_COUNTER = ChangeCounter.__table__  # type: ignore[attr-defined]


# -- the index -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ItemHolds:
    """One item's holds as the index asks them: the step function, and the holds by first day."""

    stock: Stock
    steps: Steps
    by_first: list[Hold]
    firsts: list[int]
    longest: int  # the most days any hold spans less one: a hold overlapping day d starts ≥ d − longest
    own: dict[uuid.UUID, Steps | None] = field(default_factory=dict)  # by project, on first need

    def own_steps(self, project_id: uuid.UUID) -> Steps | None:
        """One project's holds of this item as a step function, None when it holds none."""
        if project_id not in self.own:
            own = [
                (h.first.toordinal(), h.last.toordinal(), h.quantity, h.confirmed)
                for h in self.by_first
                if h.project_id == project_id
            ]
            self.own[project_id] = build_steps(own) if own else None
        return self.own[project_id]


@dataclass
class HoldIndex:
    """Stock and holds, asked how busy an item is over a span of days.

    ``rates`` (sub-rental rates by item, cheapest first) and ``kit_components`` (kit → component →
    per kit) are what :func:`scenario_equipment` and the kits' availability read; ``counter`` is the
    change counter the index was read at (None when built by hand).
    """

    stock: dict[uuid.UUID, Stock]
    holds: list[Hold]
    rates: dict[uuid.UUID, list[Rate]] = field(default_factory=dict)
    kit_components: dict[uuid.UUID, dict[uuid.UUID, Decimal]] = field(default_factory=dict)
    counter: int | None = None
    by_catalog_item: dict[uuid.UUID, Stock] = field(init=False)
    _by_item: dict[uuid.UUID, list[Hold]] = field(init=False)
    _items: dict[uuid.UUID, _ItemHolds] = field(init=False)

    def __post_init__(self) -> None:
        self.by_catalog_item = stock_by_catalog_item(self.stock.values())
        self._by_item = defaultdict(list)
        for hold in self.holds:
            self._by_item[hold.item_id].append(hold)
        self._items = {}  # built on first use: a question about 300 items sweeps those 300 only

    def holds_of(self, item_id: uuid.UUID) -> list[Hold]:
        return list(self._by_item.get(item_id, ()))

    def _item(self, item_id: uuid.UUID) -> _ItemHolds:
        found = self._items.get(item_id)
        if found is None:
            stock, holds = self.stock[item_id], self._by_item.get(item_id, [])
            spans = [(h.first.toordinal(), h.last.toordinal(), h.quantity, h.confirmed) for h in holds]
            if stock.out_of_service > 0:
                spans.append(
                    out_of_service_span(
                        stock.out_of_service, stock.out_of_service_from, stock.out_of_service_until
                    )
                )
            by_first = sorted(holds, key=lambda h: h.first)
            found = _ItemHolds(
                stock,
                build_steps(spans),
                by_first,
                [h.first.toordinal() for h in by_first],
                max((h.last.toordinal() - h.first.toordinal() for h in holds), default=0),
            )
            self._items[item_id] = found
        return found

    def busy_runs(
        self, item_id: uuid.UUID, first: date, last: date
    ) -> list[tuple[date, date, Decimal, Decimal]]:
        """The runs of days of one level over ``first``–``last``: (first, last, busy, busy confirmed),
        out of service included, every project counted (for a timeline or a capacity view)."""
        runs = self._item(item_id).steps.runs(first.toordinal(), last.toordinal())
        return [
            (date.fromordinal(a), date.fromordinal(b), level, confirmed) for a, b, level, confirmed in runs
        ]

    def availability(
        self,
        item_id: uuid.UUID,
        first: date,
        last: date,
        needed: Decimal = ZERO,
        exclude_project: uuid.UUID | None = None,
    ) -> Availability:
        """How busy ``item_id`` is over ``first``–``last`` (inclusive), leaving out one project's holds."""
        item = self._items.get(item_id) or self._item(item_id)
        stock = item.stock
        a, b = first.toordinal(), last.toordinal()
        busy = busy_confirmed = ZERO
        if a <= b:
            own = item.own_steps(exclude_project) if exclude_project is not None else None
            steps = item.steps
            busy, busy_confirmed = steps.peak(a, b) if own is None else steps.peak_without(own, a, b)
        holders: dict[uuid.UUID, Holder] = {}
        low, high = bisect_left(item.firsts, a - item.longest), bisect_right(item.firsts, b)
        for h in item.by_first[low:high]:
            if h.project_id == exclude_project or h.last < first:
                continue
            held = holders.get(h.project_id)
            quantity = h.quantity if held is None else max(held.quantity, h.quantity)
            holders[h.project_id] = Holder(h.project_id, h.project_name, h.status, h.confirmed, quantity)
        ordered = list(holders.values())
        if len(ordered) > 1:
            ordered.sort(key=lambda x: (not x.confirmed, -x.quantity, x.project_name))
        return Availability(
            stock,
            first,
            last,
            needed,
            busy,
            busy_confirmed,
            stock.out_of_service_on(first, last),
            tuple(ordered),
        )


_CACHE_LOCK = threading.Lock()
_CACHE: dict[int, tuple[weakref.ref[Database], HoldIndex]] = {}


def hold_index(db: Database) -> HoldIndex:
    """The index of everything held now, kept per database: the same object until someone (this
    user or another) commits a change, then read afresh, in one read transaction either way.

    The counter is read before the data in the same snapshot, so a change committed meanwhile
    only makes the next call read again; it is never missed. Safe to call from a worker thread.
    """
    key = id(db)
    with db.read() as conn:
        counter = int(conn.execute(select(_COUNTER.c.counter).where(_COUNTER.c.id == 1)).scalar() or 0)
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
        if cached is not None and cached[0]() is db and cached[1].counter == counter:
            return cached[1]
        stock = load_stock(conn)
        index = HoldIndex(
            stock, load_holds(conn, stock), load_rates(conn), load_kit_components(conn), counter
        )
    with _CACHE_LOCK:
        _CACHE[key] = (weakref.ref(db, lambda _ref: _forget(key, _ref)), index)
    return index


def _forget(key: int, ref: weakref.ref[Database]) -> None:
    with _CACHE_LOCK:
        if key in _CACHE and _CACHE[key][0] is ref:
            del _CACHE[key]


# -- one estimate ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EstimateAvailability:
    """Every equipment line of one estimate against the stock: one call for the whole estimate.

    ``lines`` maps an equipment line that needs stock to its item's availability; the need is the
    estimate's total of that item over the lines that count. ``if_chosen`` maps an add-on or an
    unchosen alternative to the availability its item would have were it taken too. ``kits`` maps
    a kit line (one its component lines name by ``kit_line_id``) to the kits free.
    """

    span: tuple[date, date] | None
    lines: dict[uuid.UUID, Availability]
    if_chosen: dict[uuid.UUID, Availability]
    kits: dict[uuid.UUID, KitAvailability] = field(default_factory=dict)

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
    every other project: one sweep question per item, however many lines need it."""
    header = doc.header
    span = project_span(header.start_date, header.show_start_date, header.end_date)
    if span is None:
        return EstimateAvailability(None, {}, {})
    needs: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    entries: list[tuple[LineRow, Stock, bool]] = []  # each line once: ids are slow to hash
    for line in doc.lines():
        if line.catalog_item_id is None or line.kind is not LineKind.EQUIPMENT:
            continue
        item = index.by_catalog_item.get(line.catalog_item_id)
        if item is None:
            continue
        counts = doc.counts_in_total(line)
        entries.append((line, item, counts))
        if counts:
            needs[item.id] += max(line.quantity, ZERO)
    per_item: dict[uuid.UUID, Availability] = {}
    lines: dict[uuid.UUID, Availability] = {}
    if_chosen: dict[uuid.UUID, Availability] = {}
    for line, item, counts in entries:
        base = per_item.get(item.id)
        if base is None:
            first, last = item.hold_span(*span)
            base = per_item[item.id] = index.availability(
                item.id, first, last, needs[item.id], header.project_id
            )
        if counts:
            lines[line.id] = base
        else:
            if_chosen[line.id] = replace(base, needed=base.needed + max(line.quantity, ZERO))
    return EstimateAvailability(span, lines, if_chosen, _kits(index, doc, entries, per_item))


def _kit_links(doc: EstimateDocument) -> dict[uuid.UUID, uuid.UUID]:
    """Component line → the kit line it names."""
    return line_links(doc, "kit_line_id")


def _kits(
    index: HoldIndex,
    doc: EstimateDocument,
    entries: list[tuple[LineRow, Stock, bool]],
    per_item: dict[uuid.UUID, Availability],
) -> dict[uuid.UUID, KitAvailability]:
    """Kit line → its availability, from its component lines that need stock. How many one kit
    takes is the catalog kit's (KitComponent), else the lines' own ratio (component ÷ kit quantity)."""
    links = _kit_links(doc) if entries else {}
    parts: dict[uuid.UUID, list[KitComponentAvailability]] = defaultdict(list)
    for line, item, _ in entries if links else ():
        kit_id = links.get(line.id)
        if kit_id is None or not doc.has_line(kit_id):
            continue  # a link naming no live line counts as none
        kit = doc.line(kit_id)
        per_kit = (
            index.kit_components.get(kit.catalog_item_id, {}).get(line.catalog_item_id)
            if kit.catalog_item_id and line.catalog_item_id
            else None
        )
        if per_kit is None and kit.quantity > 0 and line.quantity > 0:
            per_kit = line.quantity / kit.quantity
        if per_kit is not None and per_kit > 0:
            parts[kit_id].append(KitComponentAvailability(line.id, per_kit, per_item[item.id]))
    return {
        kit_id: KitAvailability(kit_id, max(doc.line(kit_id).quantity, ZERO), tuple(found))
        for kit_id, found in parts.items()
    }


# -- a scenario's equipment, for the scenario comparison ---------------------------------------------


@dataclass(frozen=True)
class ScenarioEquipment:
    """How short one scenario is and what sub-hiring would cost (internal: never client-facing).

    ``short`` is the units missing over every item, counting tentative holds (``short_confirmed``
    if those are lost). ``subrental_cost`` is the cost of the scenario's sub-rental lines that
    count in its total, plus each remaining shortage at the item's cheapest rate over the longest
    days of the item's lines; ``no_rate`` names the items short that no supplier has a rate for
    (their sub-hire is not in the cost: "no sub-rental rate"). Unpacks as ``short, subrental_cost``.
    """

    short: Decimal
    short_confirmed: Decimal
    subrental_cost: Decimal
    no_rate: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Decimal]:
        yield self.short
        yield self.subrental_cost


def scenario_equipment(index: HoldIndex, doc: EstimateDocument) -> ScenarioEquipment:
    """Units short and the sub-rental cost of one scenario (one estimate of the project)."""
    found = estimate_availability(index, doc)
    cost = sum(
        (
            line.priced.cost
            for line in doc.lines()
            if line.kind is LineKind.SUBRENTAL and line.priced is not None and doc.counts_in_total(line)
        ),
        ZERO,
    )
    days: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    for line_id, availability in found.lines.items():
        item_id = availability.stock.id
        days[item_id] = max(days[item_id], doc.line(line_id).days)
    no_rate: list[str] = []
    for shortage in found.shortages:
        rate = cheapest(index.rates, shortage.stock.id)
        if rate is None:
            no_rate.append(shortage.stock.name)
        else:
            cost += rate.cost(shortage.short, days[shortage.stock.id])
    return ScenarioEquipment(
        sum((s.short for s in found.shortages), ZERO),
        sum((s.short_confirmed for s in found.shortages), ZERO),
        cost,
        tuple(no_rate),
    )
