"""The equipment timeline: items down the side, days across, what each project holds as a bar and how
much is held each day against what can go out (owned less out of service).

Built from the hold index (:mod:`app.services.equipment.availability`): the same holds, derived from
the counting estimates and the projects' statuses, that the estimate's availability column reads.
Each item's levels are a step function from a sweep over its holds' start and end events (a
quantity added on the first day of a hold, taken off the day after its last; out of service
starting and ending are steps too), so an item costs its holds, not its days: a day's level is a
bisect into the steps, and the days short are the steps above what can go out. A timeline read
again after a change reuses the rows of the items whose stock and holds did not change.
The capacity view's equipment mode is the same levels as a :class:`CapacityTable` (an item
per row, held against available per day or per week's worst day).
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from app.services.crew.capacity import CapacityCell, CapacityTable, table_range, week_cells
from app.services.equipment.availability import CONFIRMED_STATUSES, Hold, HoldIndex, Stock
from app.services.money import ZERO

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class TimelineBar:
    """A project's hold of an item drawn as a bar, in the lane where it overlaps no other."""

    hold: Hold
    lane: int

    @property
    def label(self) -> str:
        return f"{self.hold.project_name} · {quantity_text(self.hold.quantity)}"


@dataclass(frozen=True, slots=True)
class DayLevel:
    """One item on one day: what it owns, what is out of service, what is held (confirmed, tentative)."""

    day: date
    owned: Decimal
    out_of_service: Decimal
    confirmed: Decimal
    tentative: Decimal

    @property
    def available(self) -> Decimal:
        """What can go out that day: owned less out of service."""
        return max(self.owned - self.out_of_service, ZERO)

    @property
    def held(self) -> Decimal:
        return self.confirmed + self.tentative

    @property
    def short(self) -> Decimal:
        """Held beyond what can go out, tentative holds counted."""
        return max(self.held - self.available, ZERO)

    @property
    def short_confirmed(self) -> Decimal:
        """Held beyond what can go out by confirmed holds alone (short whatever the quotes do)."""
        return max(self.confirmed - self.available, ZERO)

    def text(self) -> str:
        """``"460 held of 400 (300 confirmed, 160 tentative) · short 60"``: a day cell's tooltip."""
        parts = [f"{quantity_text(self.held)} held of {quantity_text(self.available)}"]
        if self.held:
            parts[0] += (
                f" ({quantity_text(self.confirmed)} confirmed, {quantity_text(self.tentative)} tentative)"
            )
        if self.out_of_service:
            parts.append(
                f"{quantity_text(self.out_of_service)} of {quantity_text(self.owned)} out of service"
            )
        if self.short:
            parts.append(
                f"short {quantity_text(self.short)}"
                + (
                    ""
                    if self.short == self.short_confirmed
                    else f" ({quantity_text(self.short_confirmed)} if the tentative holds are lost)"
                )
            )
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Step:
    """An item's levels from ``day`` to the day before the next step."""

    day: date
    confirmed: Decimal
    tentative: Decimal
    out_of_service: Decimal


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """An item over the timeline's days: its bars (lanes for overlaps) and its levels as steps."""

    stock: Stock
    bars: tuple[TimelineBar, ...]
    lanes: int
    steps: tuple[Step, ...]  # the first on the timeline's start
    end: date  # the timeline's last day
    step_days: tuple[date, ...] = ()
    holds: tuple[Hold, ...] = ()  # what it was made of (a row is reused while they stay the same)
    short: tuple[tuple[date, date], ...] = ()  # the spans of days held beyond what can go out

    def level(self, day: date) -> DayLevel:
        step = self.steps[bisect_right(self.step_days or tuple(s.day for s in self.steps), day) - 1]
        return DayLevel(day, self.stock.owned, step.out_of_service, step.confirmed, step.tentative)

    def spans(self) -> list[tuple[date, date, DayLevel]]:
        """Each step as (first day, last day, its level on the first)."""
        ends = [s.day - _DAY for s in self.steps[1:]] + [self.end]
        return [(s.day, last, self.level(s.day)) for s, last in zip(self.steps, ends, strict=True)]

    @property
    def levels(self) -> list[DayLevel]:
        """A level for every day (for short ranges: the capacity view's, the tests')."""
        return [
            self.level(first + i * _DAY)
            for first, last, _ in self.spans()
            for i in range((last - first).days + 1)
        ]

    @property
    def short_days(self) -> list[DayLevel]:
        return [
            self.level(first + i * _DAY) for first, last in self.short for i in range((last - first).days + 1)
        ]

    def short_between(self, first: date, last: date) -> bool:
        """Whether a day of ``first``–``last`` is short."""
        return any(a <= last and first <= b for a, b in self.short)

    @property
    def peak_held(self) -> Decimal:
        return max((s.confirmed + s.tentative for s in self.steps), default=ZERO)

    def detail(self) -> str:
        """``"400 owned · 20 out of service"``: what the names column says under the item."""
        text = f"{quantity_text(self.stock.owned)} owned"
        if self.stock.out_of_service > 0:
            text += f" · {quantity_text(self.stock.out_of_service)} out of service"
        return text


@dataclass(frozen=True)
class EquipmentTimeline:
    start: date
    end: date  # inclusive
    rows: list[TimelineRow]  # by category, then name

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def row(self, item_id: uuid.UUID) -> TimelineRow:
        return next(r for r in self.rows if r.stock.id == item_id)

    def level(self, item_id: uuid.UUID, day: date) -> DayLevel:
        return self.row(item_id).level(day)

    def project_ids(self) -> set[uuid.UUID]:
        return {bar.hold.project_id for row in self.rows for bar in row.bars}

    def categories(self) -> list[str]:
        return sorted({row.stock.category for row in self.rows}, key=str.lower)


def quantity_text(value: Decimal) -> str:
    """A quantity as a PM reads it: ``1,200``, ``2.5``."""
    return f"{int(value):,}" if value == value.to_integral_value() else format(value.normalize(), "f")


def level_steps(stock: Stock, holds: Iterable[Hold], start: date, end: date) -> tuple[Step, ...]:
    """An item's levels over ``start``–``end`` as steps: a sweep over the holds' first days and the
    days after their last (and out of service beginning and ending), sorted once."""
    if end < start:
        return ()
    confirmed_at: dict[date, Decimal] = defaultdict(lambda: ZERO)  # the change on that day
    tentative_at: dict[date, Decimal] = defaultdict(lambda: ZERO)
    days = {start}
    for hold in holds:
        if hold.last < start or hold.first > end:
            continue
        at = confirmed_at if hold.status in CONFIRMED_STATUSES else tentative_at
        first = hold.first if hold.first > start else start
        at[first] += hold.quantity
        days.add(first)
        if hold.last < end:
            after = hold.last + _DAY
            at[after] -= hold.quantity
            days.add(after)
    for edge in (stock.out_of_service_from, stock.out_of_service_until and stock.out_of_service_until + _DAY):
        if edge is not None and start < edge <= end:
            days.add(edge)
    steps = []
    confirmed = tentative = ZERO
    out = stock.out_of_service_on
    for day in sorted(days):
        if day in confirmed_at:
            confirmed += confirmed_at[day]
        if day in tentative_at:
            tentative += tentative_at[day]
        steps.append(Step(day, confirmed, tentative, out(day, day)))
    return tuple(steps)


def timeline_row(stock: Stock, holds: Iterable[Hold], start: date, end: date) -> TimelineRow:
    held = tuple(holds)
    steps = level_steps(stock, held, start, end)
    bars, count = lanes(held)
    ends = [s.day - _DAY for s in steps[1:]] + [end]
    short = tuple(
        (s.day, last)
        for s, last in zip(steps, ends, strict=True)
        if s.confirmed + s.tentative > max(stock.owned - s.out_of_service, ZERO)
    )
    return TimelineRow(stock, bars, count, steps, end, tuple(s.day for s in steps), held, short)


def day_levels(stock: Stock, holds: Iterable[Hold], start: date, end: date) -> list[DayLevel]:
    """Held per day over ``start``–``end`` (every day: for short ranges)."""
    if end < start:
        return []
    return timeline_row(stock, list(holds), start, end).levels


def lanes(holds: Iterable[Hold]) -> tuple[tuple[TimelineBar, ...], int]:
    """Bars one above the other where their days overlap: each in the first lane free by its first day
    (longer bars first on a tie), so no two bars of one lane share a day."""
    bars: list[TimelineBar] = []
    ends: list[date] = []  # the last day taken in each lane
    for hold in sorted(holds, key=lambda h: (h.first, h.first - h.last, h.project_name, h.project_id)):
        lane = next((i for i, last in enumerate(ends) if last < hold.first), len(ends))
        if lane == len(ends):
            ends.append(hold.last)
        else:
            ends[lane] = hold.last
        bars.append(TimelineBar(hold, lane))
    return tuple(bars), len(ends)


def equipment_timeline(
    index: HoldIndex, start: date, end: date, previous: EquipmentTimeline | None = None
) -> EquipmentTimeline:
    """Every stock item over ``start``–``end`` (inclusive), by category then name. ``previous`` (the
    same days read before) lends the rows of items whose stock and holds are unchanged."""
    before: dict[uuid.UUID, TimelineRow] = {}
    if previous is not None and (previous.start, previous.end) == (start, end):
        before = {row.stock.id: row for row in previous.rows}
    rows = []
    for stock in sorted(index.stock.values(), key=lambda s: (s.category.lower(), s.name.lower(), s.id)):
        holds = tuple(h for h in index.holds_of(stock.id) if h.last >= start and h.first <= end)
        old = before.get(stock.id)
        if old is not None and old.stock == stock and old.holds == holds:
            rows.append(old)
        else:
            rows.append(timeline_row(stock, holds, start, end))
    return EquipmentTimeline(start, end, rows)


def equipment_capacity(index: HoldIndex, start: date, end: date, by: str = "day") -> CapacityTable:
    """The capacity view's equipment mode: per item held (tentative, confirmed) against available
    (owned less out of service), per day or per week (its worst day); the items held in the range."""
    start, end = table_range(start, end, by)
    shown = [row for row in equipment_timeline(index, start, end).rows if row.bars]
    items: list[tuple[uuid.UUID | None, str]] = [(row.stock.id, row.stock.name) for row in shown]
    daily: dict[tuple[date, uuid.UUID | None], CapacityCell] = {
        (level.day, row.stock.id): CapacityCell(
            level.day,
            level.day,
            row.stock.id,
            row.stock.name,
            level.tentative,
            level.confirmed,
            level.available,
        )
        for row in shown
        for level in row.levels
    }
    days = [start + i * _DAY for i in range((end - start).days + 1)]
    if by == "day":
        return CapacityTable(start, end, by, days, items, daily)
    weeks = days[::7]
    return CapacityTable(start, end, by, weeks, items, week_cells(daily, weeks, items))
