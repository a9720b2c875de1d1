"""The outlook's crew rows: each role's weighted person-hours per week against the crew's hours
(see :mod:`app.services.outlook.table` for how each is counted)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import CrewMember, CrewRole, CrewUnavailability, Role
from app.services.crew.capacity import load_calls
from app.services.money import HUNDRED, ZERO
from app.services.outlook.table import (
    HOURS_PER_PERSON_DAY,
    OPEN_WORK,
    ROLE,
    WON_WORK,
    Bid,
    Cell,
    Row,
    Tally,
    week_start,
)

_DAY = timedelta(days=1)


def role_rows(
    conn: Connection, weeks: list[date], bids: dict[uuid.UUID, Bid]
) -> tuple[list[Row], dict[tuple[uuid.UUID, date], Cell]]:
    first, last = weeks[0], weeks[-1] + 6 * _DAY
    r, cr = Role.__table__, CrewRole.__table__  # type: ignore[attr-defined]
    cm, cu = CrewMember.__table__, CrewUnavailability.__table__  # type: ignore[attr-defined]
    live = r.c.deleted_at.is_(None)
    names = {row.id: row.name for row in conn.execute(select(r.c.id, r.c.name).where(live))}
    calls = load_calls(conn, statuses=sorted(WON_WORK | OPEN_WORK))
    members = {
        row.id: row.max_weekly_hours
        for row in conn.execute(select(cm.c.id, cm.c.max_weekly_hours).where(cm.c.deleted_at.is_(None)))
    }
    can_fill = conn.execute(select(cr.c.crew_member_id, cr.c.role_id).where(cr.c.deleted_at.is_(None))).all()
    away = conn.execute(
        select(cu.c.crew_member_id, cu.c.day).where(
            cu.c.deleted_at.is_(None), cu.c.day >= first, cu.c.day <= last
        )
    ).all()

    tally = Tally(len(weeks))
    span = (last - first).days + 1
    for call in calls:
        bid = bids.get(call.project_id)
        if call.role_id is None or call.role_id not in names or bid is None or not bid.probability_pct:
            continue
        per_day = bid.probability_pct / HUNDRED * call.headcount * call.hours_per_day
        if not per_day:
            continue
        slots, entry = tally.row(call.role_id), (bid, per_day)
        for day in call.days:
            offset = (day - first).days
            if 0 <= offset < span:
                slots[offset // 7].append(entry)

    away_days: dict[tuple[uuid.UUID, date], set[date]] = defaultdict(set)
    for member, day in away:
        away_days[(member, week_start(day))].add(day)
    supply: dict[tuple[uuid.UUID, date], Decimal] = defaultdict(lambda: ZERO)
    for member, role_id in can_fill:
        if member not in members or role_id not in names:
            continue
        tally.row(role_id)  # a role with crew has a row, asked for or not
        cap = members[member]
        for week in weeks:
            hours = (7 - len(away_days[(member, week)])) * HOURS_PER_PERSON_DAY
            supply[(role_id, week)] += hours if cap is None else min(hours, cap)

    rows = sorted(
        (Row(ROLE, role_id, names[role_id]) for role_id in tally.entries),
        key=lambda row: (row.name.lower(), row.id),
    )
    cells = {}
    for row in rows:
        for n, week in enumerate(weeks):
            won, open_ = tally.totals(row.id, n)
            cells[(row.id, week)] = Cell(
                row, week, won, open_, supply[(row.id, week)], tally.shares(row.id, n)
            )
    return rows, cells
