"""The capacity outlook in one read: the crew rows and the equipment rows over the same weeks."""

from __future__ import annotations

from datetime import date, timedelta

from app.services.outlook.crew import role_rows
from app.services.outlook.equipment import item_rows
from app.services.outlook.table import DEFAULT_WEEKS, Outlook, load_bids, week_start
from app.services.storage.database import Database

_WEEK = timedelta(days=7)


def outlook(
    db: Database, start: date | None = None, weeks: int = DEFAULT_WEEKS, *, equipment: bool = True
) -> Outlook:
    """Roles (and, with ``equipment``, stocked items) × the ``weeks`` weeks from ``start``'s
    (today's) Monday: won and weighted open demand against supply, in one read."""
    if weeks < 1:
        raise ValueError("the outlook covers at least one week")
    first = week_start(start or date.today())
    mondays = [first + i * _WEEK for i in range(weeks)]
    with db.read() as conn:
        bids = load_bids(conn)
        rows, cells = role_rows(conn, mondays, bids)
        if equipment:
            items, item_cells = item_rows(conn, mondays, bids)
            rows += items
            cells.update(item_cells)
    return Outlook(first, tuple(mondays), tuple(rows), cells)
