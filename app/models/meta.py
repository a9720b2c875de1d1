"""Bookkeeping of a shared database: who has it open, and a counter of committed changes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class Presence(SQLModel, table=True):
    """One running Tandem with this database open; its heartbeat says it is still alive."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_name: str = Field(max_length=100)
    host: str = Field(max_length=255)
    pid: int
    app_version: str = Field(default="", max_length=40)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    heartbeat_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class ChangeCounter(SQLModel, table=True):
    """A single row whose counter every data-changing transaction bumps.

    A client that remembers the value it last saw (or wrote) can tell, by one
    cheap read, whether anyone else has committed since: on SQLite and on a server.
    """

    id: int = Field(default=1, primary_key=True)
    counter: int = Field(default=0)
