"""The columns every Tandem table shares: identity, timestamps, row version and tombstone."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class Record(SQLModel):
    """Mixin: UUID key, UTC timestamps, a version for optimistic locking, a tombstone.

    ``version`` starts at 1 and every update bumps it; a writer that updates
    ``WHERE id = ? AND version = ?`` and touches no row knows someone else got
    there first. ``deleted_at`` marks a deletion instead of removing the row, so
    undo can bring it back and a merge can tell "deleted" from "never existed".
    """

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    version: int = Field(default=1, nullable=False)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
