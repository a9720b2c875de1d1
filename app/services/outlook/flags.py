"""Which projects cause an over-booked week: a one-line reason each, for the pipeline's cards.

A project is flagged when it asks for some of a role's hours (or an item's units) in a week whose
weighted demand exceeds supply (:mod:`app.services.outlook.table`); the reason names the earliest
such week, and how many more there are: "Wk of 9 Mar: Rigger 132 h wanted, 96 h on hand".

The board asks each time it is drawn, so the answer is kept per database, weeks and change counter
(as :func:`app.services.equipment.availability.hold_index` keeps its index): the same until someone
— this user or another — commits a change. The counter is read before the outlook, so a change
committed meanwhile only makes the next call read again; it is never missed.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from datetime import date

from app.services.outlook.build import outlook
from app.services.outlook.table import DEFAULT_WEEKS, Outlook, week_start
from app.services.storage.database import Database

_LOCK = threading.Lock()
_CACHE: dict[int, tuple[weakref.ref[Database], tuple[date, int, int], dict[uuid.UUID, str]]] = {}


def overbooked_projects(
    db: Database, start: date | None = None, weeks: int = DEFAULT_WEEKS
) -> dict[uuid.UUID, str]:
    """Project → why it is flagged, for every project adding demand to an over-booked week of the
    ``weeks`` weeks from ``start``'s (today's) Monday. Safe to call from a worker thread."""
    key = (week_start(start or date.today()), weeks, db.read_counter())
    with _LOCK:
        cached = _CACHE.get(id(db))
    if cached is not None and cached[0]() is db and cached[1] == key:
        return dict(cached[2])
    flags = project_flags(outlook(db, key[0], weeks))
    with _LOCK:
        _CACHE[id(db)] = (weakref.ref(db), key, flags)
    return dict(flags)


def project_flags(table: Outlook) -> dict[uuid.UUID, str]:
    """The flags of an outlook already computed (the outlook's view shows the same)."""
    reasons: dict[uuid.UUID, list[str]] = {}
    for cell in table.over():
        for share in cell.shares:
            reasons.setdefault(share.project_id, []).append(cell.reason())
    return {
        project: first if len(rest) == 0 else f"{first} (and {len(rest)} more)"
        for project, (first, *rest) in reasons.items()
    }
