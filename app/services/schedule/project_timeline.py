"""One project's schedule for its timeline chart: its days, its milestones and its orders' dates.

Milestones are dated as the deadlines list dates them (:func:`~app.services.schedule.due.due`),
done ones included (the chart shows them ticked); an order runs from its order-by to its need-by.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.models.enums import MilestoneKind, OrderStatus
from app.services.schedule.deadlines import MILESTONE_T, ORDER_T, PROJECT_T, SUPPLIER_T, order_name
from app.services.schedule.due import due
from app.services.storage.database import Database
from app.services.values import InputError


@dataclass(frozen=True, slots=True)
class ScheduleItem:
    """A bar (or a diamond, one day) on the chart. ``order``: an order's order-by → need-by."""

    label: str
    kind: str
    owner: str
    first: date | None
    last: date | None
    done: bool = False
    order: bool = False


@dataclass(frozen=True, slots=True)
class ProjectSchedule:
    name: str
    load_in: date | None
    show_start: date | None
    show_end: date | None
    strike: date | None
    items: tuple[ScheduleItem, ...]

    def span(self) -> tuple[date, date] | None:
        """The first and last day anything on the chart happens (None: nothing is dated)."""
        days = [d for d in (self.load_in, self.show_start, self.show_end, self.strike) if d is not None]
        days += [d for item in self.items for d in (item.first, item.last) if d is not None]
        return (min(days), max(days)) if days else None


def load_project_schedule(db: Database, project_id: uuid.UUID) -> ProjectSchedule:
    """The project's days, its milestones by day (undated last), then its orders by order-by."""
    with db.read() as conn:
        project = conn.execute(
            select(PROJECT_T).where(PROJECT_T.c.id == project_id, PROJECT_T.c.deleted_at.is_(None))
        ).first()
        if project is None:
            raise InputError("That project was deleted meanwhile; nothing to show.")
        milestones = conn.execute(
            select(MILESTONE_T)
            .where(MILESTONE_T.c.project_id == project_id, MILESTONE_T.c.deleted_at.is_(None))
            .order_by(MILESTONE_T.c.position, MILESTONE_T.c.name)
        ).all()
        orders = conn.execute(
            select(ORDER_T, SUPPLIER_T.c.name.label("supplier_name"))
            .join(SUPPLIER_T, SUPPLIER_T.c.id == ORDER_T.c.supplier_id)
            .where(ORDER_T.c.project_id == project_id, ORDER_T.c.deleted_at.is_(None))
            .order_by(ORDER_T.c.order_by, ORDER_T.c.number)
        ).all()
    items = []
    for m in milestones:
        days = due(m.anchor, m.offset_days, m.fixed_date, m.duration_days, project._mapping)
        items.append(
            ScheduleItem(
                m.name, m.kind, m.owner, days.first if days else None, days.last if days else None, m.done
            )
        )
    for o in orders:
        first = o.order_by or o.need_by
        items.append(
            ScheduleItem(
                f"{order_name(o.number, o.supplier_name, o.kind)} — {o.status}",
                MilestoneKind.ORDER_BY.value,
                "PM",
                first,
                o.need_by or first,
                o.status != OrderStatus.DRAFT.value,
                True,
            )
        )
    items.sort(key=lambda i: (i.order, i.first or date.max, i.last or date.max))  # by day, orders below
    return ProjectSchedule(
        project.name,
        project.start_date,
        project.show_start_date,
        project.show_end_date,
        project.end_date,
        tuple(items),
    )
