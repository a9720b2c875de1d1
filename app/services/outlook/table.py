"""The capacity outlook: the pipeline set against what the company has, per role and item, per week.

Weeks are ISO weeks (Monday to Sunday). Demand is won work (won, in production) at 100 % plus open
work (lead, estimating, quoted) weighted by its win probability — the project's own, else its
stage's (:func:`app.services.pipeline.values.probability_of`); lost, cancelled, postponed and
delivered projects ask for nothing.

**Crew, in person-hours.** A labour call (:func:`app.services.crew.capacity.load_calls`: the
counting estimate's labour lines, ``ceil(quantity)`` people on ``ceil(days)`` days from the call
date, each day's hours from its times or its hours) asks, in a week, for
probability × people × hours of each of its days that fall in the week; a call that spans two weeks
is split between them day by day. Supply is, for each crew member who can fill the role, the days of
the week they are not unavailable × :data:`HOURS_PER_PERSON_DAY` (the standard call day, 8 h, that
the crew calendar gives a call without times), capped by their most hours a week when they have one.
A person with two roles counts in both (as the capacity view counts them). Calls that name no role
ask no one in particular and are left out.

**Equipment, in units.** Each stocked item's holds (:func:`app.services.equipment.reading.load_holds`:
the counting estimate's equipment lines over the project's days, prep and return included) are
summed per day, weighted the same way; a week's cell is its worst day (the most over what can go
out, then the most held), against the quantity owned less what is out of service that day.

A cell is *over* when its weighted demand exceeds its supply. Everything is Decimal and exact: the
figures are rounded only when shown. No money appears here (no rate, no cost).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import Project
from app.models.enums import ProjectStatus
from app.services.crew.board import DEFAULT_CALL_HOURS
from app.services.money import HUNDRED, ZERO
from app.services.pipeline.values import probability_of, stage_settings

HOURS_PER_PERSON_DAY = DEFAULT_CALL_HOURS
WON_WORK = frozenset({ProjectStatus.WON.value, ProjectStatus.IN_PRODUCTION.value})
OPEN_WORK = frozenset({ProjectStatus.LEAD.value, ProjectStatus.ESTIMATING.value, ProjectStatus.QUOTED.value})
ROLE, ITEM = "role", "item"
DEFAULT_WEEKS = 26
_DAY = timedelta(days=1)
_P = Project.__table__  # type: ignore[attr-defined]


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - day.weekday() * _DAY


def amount_text(value: Decimal, unit: str = "") -> str:
    """A figure as the outlook shows it: to a tenth, trailing zeros dropped (``132 h``, ``10.5 h``)."""
    rounded = value.quantize(Decimal("0.1"))
    text = f"{int(rounded):,}" if rounded == rounded.to_integral_value() else f"{rounded:,}"
    return f"{text} {unit}" if unit else text


@dataclass(frozen=True, slots=True)
class Bid:
    """A project as the outlook weighs it."""

    project_id: uuid.UUID
    name: str
    status: str
    probability_pct: Decimal

    @property
    def won(self) -> bool:
        return self.status in WON_WORK


@dataclass(frozen=True, slots=True)
class Share:
    """One project's part of a cell: its weighted hours (a role) or units (an item)."""

    project_id: uuid.UUID
    project_name: str
    status: str
    probability_pct: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Row:
    kind: str  # ROLE or ITEM
    id: uuid.UUID
    name: str

    @property
    def unit(self) -> str:
        return "h" if self.kind == ROLE else ""


@dataclass(frozen=True, slots=True)
class Cell:
    """One row in one week: won and weighted open demand against supply."""

    row: Row
    week: date  # its Monday
    won: Decimal
    open: Decimal  # weighted by win probability
    supply: Decimal
    shares: tuple[Share, ...] = ()  # largest first
    day: date | None = None  # an item's worst day of the week

    @property
    def demand(self) -> Decimal:
        return self.won + self.open

    @property
    def over(self) -> bool:
        return self.demand > self.supply

    @property
    def shortfall(self) -> Decimal:
        return max(self.demand - self.supply, ZERO)

    def part_pct(self, share: Share) -> Decimal:
        """A project's share of the demand, in percent."""
        return share.amount * HUNDRED / self.demand if self.demand else ZERO

    def reason(self) -> str:
        """ "Wk of 9 Mar: Rigger 132 h wanted, 96 h on hand"."""
        unit = self.row.unit
        return (
            f"Wk of {self.week.day} {self.week:%b}: {self.row.name} {amount_text(self.demand, unit)} "
            f"wanted, {amount_text(self.supply, unit)} on hand"
        )


@dataclass(frozen=True)
class Outlook:
    start: date
    weeks: tuple[date, ...]
    rows: tuple[Row, ...]  # roles by name, then items by name
    cells: dict[tuple[uuid.UUID, date], Cell] = field(repr=False)

    def cell(self, row_id: uuid.UUID, week: date) -> Cell:
        return self.cells[(row_id, week)]

    def row(self, row_id: uuid.UUID) -> Row:
        return next(r for r in self.rows if r.id == row_id)

    def over(self) -> list[Cell]:
        """The cells whose weighted demand exceeds supply, week by week, then row by row."""
        return [c for w in self.weeks for r in self.rows if (c := self.cells[(r.id, w)]).over]


class Tally:
    """Demand per row and slot (a week's or a day's index), as the bids that ask and how much; summed
    (won and open apart) and grouped by project only when a cell is made. Entries are appended, not
    summed, so that adding costs no hashing beyond the row's: 2,000 projects' calls add up quickly."""

    def __init__(self, slots: int) -> None:
        self.size = slots
        self.entries: dict[uuid.UUID, list[list[tuple[Bid, Decimal]]]] = {}

    def row(self, row_id: uuid.UUID) -> list[list[tuple[Bid, Decimal]]]:
        """The row's slots, made (empty) on first use."""
        found = self.entries.get(row_id)
        if found is None:
            found = self.entries[row_id] = [[] for _ in range(self.size)]
        return found

    def totals(self, row_id: uuid.UUID, slot: int) -> tuple[Decimal, Decimal]:
        """(won, open) asked for in one slot."""
        won = open_ = ZERO
        for bid, amount in self.entries[row_id][slot]:
            if bid.won:
                won += amount
            else:
                open_ += amount
        return won, open_

    def shares(self, row_id: uuid.UUID, slot: int) -> tuple[Share, ...]:
        """Each project's part of one slot, largest first."""
        parts: dict[int, tuple[Bid, Decimal]] = {}
        for bid, amount in self.entries[row_id][slot]:
            held = parts.get(id(bid))
            parts[id(bid)] = (bid, amount if held is None else held[1] + amount)
        ordered = sorted(parts.values(), key=lambda p: (-p[1], p[0].name.lower(), p[0].project_id))
        return tuple(Share(b.project_id, b.name, b.status, b.probability_pct, a) for b, a in ordered if a > 0)


def load_bids(conn: Connection) -> dict[uuid.UUID, Bid]:
    """Every live project with won or open work, and the probability it is weighted by."""
    stages = stage_settings(conn)
    rows = conn.execute(
        select(_P.c.id, _P.c.name, _P.c.status, _P.c.win_probability_pct).where(
            _P.c.deleted_at.is_(None), _P.c.status.in_(sorted(WON_WORK | OPEN_WORK))
        )
    )
    return {
        r.id: Bid(
            r.id,
            r.name,
            r.status,
            HUNDRED if r.status in WON_WORK else probability_of(r.status, r.win_probability_pct, stages),
        )
        for r in rows
    }
