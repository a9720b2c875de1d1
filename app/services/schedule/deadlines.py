"""The deadlines list: every open milestone and every draft order's order-by date, across projects.

One read (:func:`load_deadlines`) gives plain rows, sorted once by day; a filter keystroke then
only walks them with cheap predicates (:meth:`DeadlineList.filtered`) and buckets them into
overdue / this week / next week / later / no date, keeping the day order inside each group. The
live projects count: not deleted, not lost, cancelled or delivered. A relative milestone's days
are worked out on reading (:func:`~app.services.schedule.due.due`), so the list moves with the show.

:func:`set_done` is the Done tick: a version-checked write of ``done`` / ``done_at`` only.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.engine import Connection

from app.models import Client, Milestone, Project, Supplier, SupplierOrder
from app.models.enums import MilestoneKind, MilestoneOwner, OrderKind, OrderStatus, ProjectStatus
from app.models.types import utcnow
from app.services.schedule.due import ANCHOR_COLUMNS, due
from app.services.storage.database import Database
from app.services.storage.versioned import update_versioned

MILESTONE_T = Milestone.__table__  # type: ignore[attr-defined]
ORDER_T = SupplierOrder.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]
CLIENT_T = Client.__table__  # type: ignore[attr-defined]
SUPPLIER_T = Supplier.__table__  # type: ignore[attr-defined]

# Projects whose deadlines are nobody's any more.
CLOSED = (ProjectStatus.LOST.value, ProjectStatus.CANCELLED.value, ProjectStatus.DELIVERED.value)
MILESTONE, ORDER = "milestone", "order"


class Group(Enum):
    """Where a deadline stands from today; the list shows the groups in this order."""

    OVERDUE = "Overdue"
    THIS_WEEK = "This week"
    NEXT_WEEK = "Next week"
    LATER = "Later"
    NO_DATE = "No date"

    @property
    def label(self) -> str:
        return self.value


GROUPS = tuple(Group)


@dataclass(frozen=True, slots=True)
class Deadline:
    """One row of the list: a milestone (``source`` MILESTONE) or a draft order's order-by (ORDER).

    ``first``/``last``: its days (the same day unless a window; None: undated). ``owner`` is AM or
    PM, ``person`` that role's name on the project. ``text`` is what the text filter searches.
    """

    source: str
    row_id: uuid.UUID
    version: int
    project_id: uuid.UUID
    project_name: str
    client_name: str
    name: str
    kind: str
    owner: str
    person: str
    first: date | None
    last: date | None
    done: bool = False
    text: str = field(default="", compare=False)

    @property
    def kind_label(self) -> str:
        return MilestoneKind(self.kind).label if self.kind in _KINDS else self.kind

    def group(self, today: date) -> Group:
        return group_of(self.first, self.last, today)


_KINDS = {k.value for k in MilestoneKind}


def week_bounds(today: date) -> tuple[date, date]:
    """The last day of this week and of next week (weeks end on Sunday)."""
    this_end = today + timedelta(days=6 - today.weekday())
    return this_end, this_end + timedelta(days=7)


def group_of(
    first: date | None, last: date | None, today: date, bounds: tuple[date, date] | None = None
) -> Group:
    """Overdue once its last day has passed; a window still open counts from today.
    ``bounds``: :func:`week_bounds` of ``today``, when the caller has them already."""
    if first is None or last is None:
        return Group.NO_DATE
    if last < today:
        return Group.OVERDUE
    this_end, next_end = bounds or week_bounds(today)
    start = max(first, today)
    if start <= this_end:
        return Group.THIS_WEEK
    if start <= next_end:
        return Group.NEXT_WEEK
    return Group.LATER


@dataclass(frozen=True, slots=True)
class Filter:
    """What the user narrowed the list to. ``owner``: "" (everyone), "AM", "PM" or a person's name."""

    owner: str = ""
    project_id: uuid.UUID | None = None
    kind: str = ""
    text: str = ""


@dataclass
class DeadlineList:
    """The rows as read, sorted by day (undated last), and the day they are grouped from.

    Each row's group and the fields the filters test are kept in plain lists beside the rows, so
    a filter is a few list comprehensions; typing on (the text growing, the rest unchanged) only
    looks again at what the last keystroke kept.
    """

    rows: list[Deadline]
    today: date
    _groups: list[Group] = field(default_factory=list, repr=False)
    _last: tuple[Filter, list[int]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.rows.sort(key=_order)
        today, bounds = self.today, week_bounds(self.today)
        rows = self.rows
        self._groups = [group_of(r.first, r.last, today, bounds) for r in rows]
        self._texts = [r.text for r in rows]
        self._owners = [r.owner for r in rows]
        self._people = [r.person for r in rows]
        self._projects = [r.project_id for r in rows]
        self._kinds = [r.kind for r in rows]

    def filtered(self, spec: Filter = Filter()) -> list[tuple[Group, list[Deadline]]]:
        """The rows ``spec`` keeps, in their groups (empty groups left out), day order kept."""
        kept = self._matching(spec)
        buckets: dict[Group, list[Deadline]] = {g: [] for g in GROUPS}
        rows, groups = self.rows, self._groups
        for i in kept:
            buckets[groups[i]].append(rows[i])
        return [(g, buckets[g]) for g in GROUPS if buckets[g]]

    def _matching(self, spec: Filter) -> list[int]:
        last, self._last = self._last, None
        text = spec.text.casefold()
        kept: list[int]
        if (
            last is not None
            and replace(last[0], text="") == replace(spec, text="")
            and text.startswith(last[0].text.casefold())
        ):
            kept = last[1]  # every row the longer text keeps, the shorter kept too
        else:
            kept = list(range(len(self.rows)))
            if spec.project_id is not None:
                projects, project = self._projects, spec.project_id
                kept = [i for i in kept if projects[i] == project]
            if spec.kind:
                kinds, kind = self._kinds, spec.kind
                kept = [i for i in kept if kinds[i] == kind]
            if spec.owner:
                by_role = spec.owner in (MilestoneOwner.AM.value, MilestoneOwner.PM.value)
                values, owner = (self._owners if by_role else self._people), spec.owner
                kept = [i for i in kept if values[i] == owner]
        texts = self._texts
        for word in text.split():
            kept = [i for i in kept if word in texts[i]]
        self._last = (replace(spec, text=text), kept)
        return kept

    def mark(self, row_id: uuid.UUID, done: bool, version: int) -> bool:
        """A milestone ticked done (or opened again) here: its row says so until the list is read
        again (which leaves a done one out). False when the list does not hold it."""
        for i, row in enumerate(self.rows):
            if row.row_id == row_id:
                self.rows[i] = replace(row, done=done, version=version)
                return True
        return False

    def overdue(self) -> int:
        """How many open deadlines are overdue (what the status bar says)."""
        return sum(
            1 for r, g in zip(self.rows, self._groups, strict=True) if g is Group.OVERDUE and not r.done
        )

    def people(self) -> list[str]:
        """The AMs' and PMs' names the rows carry, for the owner filter."""
        return sorted({r.person for r in self.rows if r.person}, key=str.casefold)

    def projects(self) -> list[tuple[uuid.UUID, str]]:
        seen: dict[uuid.UUID, str] = {}
        for r in self.rows:
            seen.setdefault(r.project_id, r.project_name)
        return sorted(seen.items(), key=lambda p: p[1].casefold())


def _order(row: Deadline) -> tuple[date, date, str, str]:
    return (row.first or date.max, row.last or date.max, row.project_name.casefold(), row.name.casefold())


def load_deadlines(db: Database | Connection, today: date | None = None) -> DeadlineList:
    """Every open milestone and every draft order's order-by of the live projects, as a list."""
    if isinstance(db, Database):
        with db.read() as conn:
            return load_deadlines(conn, today)
    return DeadlineList(list(_rows(db)), today or date.today())


def _raw(column: Any) -> Any:
    """A key column as the driver gives it (hex text on SQLite, a UUID on PostgreSQL): made a UUID
    by :func:`_uuid` only where needed, since converting 40,000 of them is most of a refresh."""
    return type_coerce(column, String)


def _uuid(raw: Any) -> uuid.UUID:
    return raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)


def _rows(conn: Connection) -> Iterable[Deadline]:
    # Only the columns the list shows, unpacked as tuples: 40,000 rows are read on each refresh.
    pc, mc, oc = PROJECT_T.c, MILESTONE_T.c, ORDER_T.c
    anchors = tuple(ANCHOR_COLUMNS.values())
    projects = {}
    for raw, name, client, am, pm, *days in conn.execute(
        select(
            _raw(pc.id),
            pc.name,
            CLIENT_T.c.name,
            pc.account_manager,
            pc.project_manager,
            *(pc[column] for column in anchors),
        )
        .join(CLIENT_T, CLIENT_T.c.id == pc.client_id)
        .where(pc.deleted_at.is_(None), pc.status.not_in(CLOSED))
    ):
        projects[raw] = (
            _uuid(raw),
            name,
            client,
            am,
            pm,
            dict(zip(anchors, days, strict=True)),
            _text(name, client),
        )
    am_role, pm_role = MilestoneOwner.AM.value, MilestoneOwner.PM.value
    milestones = conn.execute(
        select(
            _raw(mc.id),
            mc.version,
            _raw(mc.project_id),
            mc.name,
            mc.kind,
            mc.owner,
            mc.anchor,
            mc.offset_days,
            mc.fixed_date,
            mc.duration_days,
            mc.notes,
        ).where(mc.deleted_at.is_(None), mc.done.is_(False))
    )
    for mid, version, raw, name, kind, owner, anchor, offset, fixed, duration, notes in milestones:
        project = projects.get(raw)
        if project is None:
            continue
        pid, p_name, client, am, pm, anchor_days, p_text = project
        when = due(anchor, offset, fixed, duration, anchor_days)
        person = am if owner == am_role else pm
        yield Deadline(
            MILESTONE,
            _uuid(mid),
            version,
            pid,
            p_name,
            client,
            name,
            kind,
            owner,
            person,
            when.first if when else None,
            when.last if when else None,
            text=f"{p_text} {_text(name, person, notes)}",
        )
    orders = conn.execute(
        select(
            _raw(oc.id), oc.version, _raw(oc.project_id), oc.number, oc.kind, oc.order_by, SUPPLIER_T.c.name
        )
        .join(SUPPLIER_T, SUPPLIER_T.c.id == oc.supplier_id)
        .where(oc.deleted_at.is_(None), oc.status == OrderStatus.DRAFT.value)
    )
    order_by = MilestoneKind.ORDER_BY.value
    for oid, version, raw, number, order_kind, day, supplier in orders:
        project = projects.get(raw)
        if project is None:
            continue
        pid, p_name, client, _am, pm, _days, p_text = project
        name = order_name(number, supplier, order_kind)
        yield Deadline(
            ORDER,
            _uuid(oid),
            version,
            pid,
            p_name,
            client,
            name,
            order_by,
            pm_role,
            pm,
            day,
            day,
            text=f"{p_text} {_text(name, pm)}",
        )


_ORDER_KINDS = {k.value: k.label.lower() for k in OrderKind}


def order_name(number: str, supplier: str, kind: str) -> str:
    """ "Order PO-2027-0003 · Rigging Co (sub-rental)": an order-by row's name."""
    what = _ORDER_KINDS.get(kind, kind)
    return f"Order {number or '(no number)'} · {supplier} ({what})"


def _text(*parts: str) -> str:
    return " ".join(parts).casefold()


def set_done(
    db: Database, milestone_id: uuid.UUID, version: int, done: bool, at: datetime | None = None
) -> int:
    """Tick a milestone done (``done_at`` now, or ``at``) or open again (``done_at`` cleared).

    Version-checked: EditConflict (nothing written) when someone changed or deleted it since
    ``version`` was read. Returns the milestone's new version.
    """
    with db.write() as conn:
        update_versioned(
            conn,
            MILESTONE_T,
            milestone_id,
            version,
            {"done": done, "done_at": (at or utcnow()) if done else None},
        )
    return version + 1


def counted(groups: Sequence[tuple[Group, list[Deadline]]]) -> int:
    """How many rows the groups hold."""
    return sum(len(rows) for _, rows in groups)
