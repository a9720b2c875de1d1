"""The equipment timeline: items down the side, days across, what each project holds as a bar and how
much is held each day against what can go out (owned less out of service).

Built from the hold index (:mod:`app.services.equipment.availability`): the same holds, derived from
the counting estimates and the projects' statuses, that the estimate's availability column reads.
Each item's day levels are one pass over its holds (a quantity added on the first day of a hold and
taken off the day after its last), so a year of an item with many holds costs its holds plus its
days. The capacity view's equipment mode is the same levels as a :class:`CapacityTable` (an item
per row, held against available per day or per week's worst day).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from app.services.crew.capacity import CapacityCell, CapacityTable, table_range, week_cells
from app.services.equipment.availability import Hold, HoldIndex, Stock
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
class TimelineRow:
    """An item over the timeline's days: its bars (lanes for overlaps) and a level for each day."""

    stock: Stock
    bars: tuple[TimelineBar, ...]
    lanes: int
    levels: tuple[DayLevel, ...]  # one per day, from the timeline's start

    @property
    def short_days(self) -> list[DayLevel]:
        return [level for level in self.levels if level.short > 0]

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
        return self.row(item_id).levels[(day - self.start).days]

    def project_ids(self) -> set[uuid.UUID]:
        return {bar.hold.project_id for row in self.rows for bar in row.bars}

    def categories(self) -> list[str]:
        return sorted({row.stock.category for row in self.rows}, key=str.lower)


def quantity_text(value: Decimal) -> str:
    """A quantity as a PM reads it: ``1,200``, ``2.5``."""
    return f"{int(value):,}" if value == value.to_integral_value() else format(value.normalize(), "f")


def day_levels(stock: Stock, holds: Iterable[Hold], start: date, end: date) -> tuple[DayLevel, ...]:
    """Held per day over ``start``–``end``: each hold adds its quantity from its first day and takes it
    off the day after its last (one pass over the holds, one over the days)."""
    days = (end - start).days + 1
    if days <= 0:
        return ()
    confirmed = [ZERO] * (days + 1)
    tentative = [ZERO] * (days + 1)
    for hold in holds:
        if hold.last < start or hold.first > end:
            continue
        steps = confirmed if hold.confirmed else tentative
        steps[max((hold.first - start).days, 0)] += hold.quantity
        steps[min((hold.last - start).days, days - 1) + 1] -= hold.quantity
    levels = []
    held_confirmed = held_tentative = ZERO
    for i in range(days):
        held_confirmed += confirmed[i]
        held_tentative += tentative[i]
        day = start + i * _DAY
        levels.append(
            DayLevel(day, stock.owned, stock.out_of_service_on(day, day), held_confirmed, held_tentative)
        )
    return tuple(levels)


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


def equipment_timeline(index: HoldIndex, start: date, end: date) -> EquipmentTimeline:
    """Every stock item over ``start``–``end`` (inclusive), by category then name."""
    rows = []
    for stock in sorted(index.stock.values(), key=lambda s: (s.category.lower(), s.name.lower(), s.id)):
        holds = [h for h in index.holds_of(stock.id) if h.last >= start and h.first <= end]
        bars, count = lanes(holds)
        rows.append(TimelineRow(stock, bars, count, day_levels(stock, holds, start, end)))
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
