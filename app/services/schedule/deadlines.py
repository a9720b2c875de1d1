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

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from app.models import Client, Milestone, Project, Supplier, SupplierOrder
from app.models.enums import MilestoneKind, MilestoneOwner, OrderKind, OrderStatus, ProjectStatus
from app.models.types import utcnow
from app.services.schedule.due import due
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


def group_of(first: date | None, last: date | None, today: date) -> Group:
    """Overdue once its last day has passed; a window still open counts from today."""
    if first is None or last is None:
        return Group.NO_DATE
    if last < today:
        return Group.OVERDUE
    this_end, next_end = week_bounds(today)
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
    """The rows as read, sorted by day (undated last), and the day they are grouped from."""

    rows: list[Deadline]
    today: date
    _groups: list[Group] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.rows.sort(key=_order)
        self._groups = [r.group(self.today) for r in self.rows]

    def filtered(self, spec: Filter = Filter()) -> list[tuple[Group, list[Deadline]]]:
        """The rows ``spec`` keeps, in their groups (empty groups left out), day order kept."""
        buckets: dict[Group, list[Deadline]] = {g: [] for g in GROUPS}
        roles = (MilestoneOwner.AM.value, MilestoneOwner.PM.value)
        owner, project, kind = spec.owner, spec.project_id, spec.kind
        words = spec.text.casefold().split()
        by_role = owner in roles
        for row, group in zip(self.rows, self._groups, strict=True):
            if owner and (row.owner != owner if by_role else row.person != owner):
                continue
            if project is not None and row.project_id != project:
                continue
            if kind and row.kind != kind:
                continue
            if words and not all(w in row.text for w in words):
                continue
            buckets[group].append(row)
        return [(g, buckets[g]) for g in GROUPS if buckets[g]]

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


def _rows(conn: Connection) -> Iterable[Deadline]:
    live = and_(PROJECT_T.c.deleted_at.is_(None), PROJECT_T.c.status.not_in(CLOSED))
    projects = {
        p.id: p
        for p in conn.execute(
            select(
                PROJECT_T.c.id,
                PROJECT_T.c.name,
                PROJECT_T.c.start_date,
                PROJECT_T.c.end_date,
                PROJECT_T.c.show_start_date,
                PROJECT_T.c.show_end_date,
                PROJECT_T.c.account_manager,
                PROJECT_T.c.project_manager,
                CLIENT_T.c.name.label("client_name"),
            )
            .join(CLIENT_T, CLIENT_T.c.id == PROJECT_T.c.client_id)
            .where(live)
        )
    }
    milestones = conn.execute(
        select(MILESTONE_T).where(MILESTONE_T.c.deleted_at.is_(None), MILESTONE_T.c.done.is_(False))
    )
    for m in milestones:
        p = projects.get(m.project_id)
        if p is None:
            continue
        days = due(m.anchor, m.offset_days, m.fixed_date, m.duration_days, p._mapping)
        person = p.account_manager if m.owner == MilestoneOwner.AM.value else p.project_manager
        yield Deadline(
            MILESTONE,
            m.id,
            m.version,
            p.id,
            p.name,
            p.client_name,
            m.name,
            m.kind,
            m.owner,
            person,
            days.first if days else None,
            days.last if days else None,
            text=_text(p.name, p.client_name, m.name, person, m.notes),
        )
    orders = conn.execute(
        select(ORDER_T, SUPPLIER_T.c.name.label("supplier_name"))
        .join(SUPPLIER_T, SUPPLIER_T.c.id == ORDER_T.c.supplier_id)
        .where(ORDER_T.c.deleted_at.is_(None), ORDER_T.c.status == OrderStatus.DRAFT.value)
    )
    for o in orders:
        p = projects.get(o.project_id)
        if p is None:
            continue
        name = order_name(o.number, o.supplier_name, o.kind)
        yield Deadline(
            ORDER,
            o.id,
            o.version,
            p.id,
            p.name,
            p.client_name,
            name,
            MilestoneKind.ORDER_BY.value,
            MilestoneOwner.PM.value,
            p.project_manager,
            o.order_by,
            o.order_by,
            text=_text(p.name, p.client_name, name, p.project_manager),
        )


def order_name(number: str, supplier: str, kind: str) -> str:
    """ "Order PO-2027-0003 · Rigging Co (sub-rental)": an order-by row's name."""
    what = OrderKind(kind).label.lower() if kind in {k.value for k in OrderKind} else kind
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
