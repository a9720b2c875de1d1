"""The crew's plain objects: people, assignments, conflicts, open positions and board changes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from app.models.enums import AssignmentStatus, CrewKind

SECONDS_PER_HOUR = Decimal(3600)


@dataclass(frozen=True, slots=True)
class CrewInfo:
    id: uuid.UUID
    name: str
    kind: CrewKind
    role_ids: frozenset[uuid.UUID]
    cost_rate_overrides: dict[uuid.UUID, Decimal]  # role id -> personal cost rate
    max_weekly_hours: Decimal | None
    unavailable: frozenset[date]
    version: int


@dataclass(frozen=True, slots=True)
class AssignmentInfo:
    id: uuid.UUID
    crew_member_id: uuid.UUID
    project_id: uuid.UUID
    line_item_id: uuid.UUID | None
    role_id: uuid.UUID | None
    starts_at: datetime  # naive, venue local time
    ends_at: datetime
    status: AssignmentStatus
    version: int

    @property
    def hours(self) -> Decimal:
        return Decimal(int((self.ends_at - self.starts_at).total_seconds())) / SECONDS_PER_HOUR


class ConflictKind(StrEnum):
    DOUBLE_BOOKED = "double_booked"
    ROLE = "role"
    WEEKLY_HOURS = "weekly_hours"
    UNAVAILABLE = "unavailable"
    TURNAROUND = "turnaround"


@dataclass(frozen=True, slots=True)
class CrewConflict:
    assignment_id: uuid.UUID
    kind: str  # a ConflictKind value
    message: str  # e.g. "Also on Orbital Summit keynote, Tue 18 May 08:00–18:00"


@dataclass(frozen=True, slots=True)
class OpenPosition:
    """A labour call's day with people still needed: what a drop onto the calendar offers."""

    project_id: uuid.UUID
    project_name: str
    line_item_id: uuid.UUID
    role_id: uuid.UUID | None
    role_name: str
    phase: str
    day: date
    starts_at: datetime
    ends_at: datetime
    needed: int
    filled: int

    @property
    def open(self) -> int:
        return max(0, self.needed - self.filled)


class BoardChangeKind(StrEnum):
    ADDED = "added"  # an assignment appeared (assign, restore)
    CHANGED = "changed"  # moved, resized, re-staffed or its status changed
    REMOVED = "removed"  # deleted
    CONFLICTS = "conflicts"  # other assignments' conflicts changed (assignment_id is None)
    RESET = "reset"  # reload or a new range


@dataclass(frozen=True, slots=True)
class BoardChange:
    """What a board change did. ADDED, REMOVED and RESET come twice: ``before=True`` just
    before the board's dicts change, then after; every announcement follows the commit."""

    kind: BoardChangeKind
    assignment_id: uuid.UUID | None = None
    before: bool = False


BoardListener = Callable[[BoardChange], None]


