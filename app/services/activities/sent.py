"""Send quote logs what was sent: a done ``quote_sent`` activity, in the send's own transaction.

The activity names the estimate and the revision, so it goes wherever the revision goes: a send
whose transaction fails (someone changed the estimate, a number taken) writes neither.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.engine import Connection

from app.models import Activity
from app.models.enums import ActivityKind
from app.services.activities.records import ACTIVITY_T


def quote_subject(quote_number: str, number: int) -> str:
    return f"Quote {quote_number} rev {number} sent"


def log_quote_sent(
    conn: Connection,
    *,
    project_id: uuid.UUID,
    estimate_id: uuid.UUID,
    revision_id: uuid.UUID,
    quote_number: str,
    number: int,
    sent_by: str,
    sent_at: datetime,
    note: str = "",
) -> uuid.UUID:
    """Inside the send's transaction: the activity “Quote Q2026-0001 rev 2 sent”, done when sent."""
    row = Activity(
        project_id=project_id,
        kind=ActivityKind.QUOTE_SENT.value,
        subject=quote_subject(quote_number, number),
        notes=note,
        owner=sent_by[:100],
        done=True,
        done_at=sent_at,
        estimate_id=estimate_id,
        revision_id=revision_id,
    )
    conn.execute(ACTIVITY_T.insert().values(**{c.name: getattr(row, c.name) for c in ACTIVITY_T.columns}))
    return row.id
