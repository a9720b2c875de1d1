"""Which projects cause an over-booked week: a one-line reason each, for the pipeline's cards.

A project is flagged when it asks for some of a role's hours (or an item's units) in a week whose
weighted demand exceeds supply (:mod:`app.services.outlook.table`); the reason names the earliest
such week, and how many more there are: "Wk of 9 Mar: Rigger 132 h wanted, 96 h on hand".
"""

from __future__ import annotations

import uuid
from datetime import date

from app.services.outlook.build import outlook
from app.services.outlook.table import DEFAULT_WEEKS, Outlook
from app.services.storage.database import Database


def overbooked_projects(
    db: Database, start: date | None = None, weeks: int = DEFAULT_WEEKS
) -> dict[uuid.UUID, str]:
    """Project → why it is flagged, for every project adding demand to an over-booked week."""
    return project_flags(outlook(db, start, weeks))


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
