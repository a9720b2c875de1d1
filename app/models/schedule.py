"""A project's milestones and the templates they come from, one per project type.

A milestone is dated relative to one of the project's days (``anchor`` + ``offset_days``) or
fixed (``anchor`` empty, ``fixed_date``): a relative one moves with the show. Order-by dates are
not stored here: they are the orders' own (app/models/supply.py).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlmodel import Field

from app.models.base import Record
from app.models.enums import DateAnchor, MilestoneKind, MilestoneOwner
from app.models.types import UTCDateTime


class ProjectType(Record, table=True):
    """Exhibit booth, conference, concert: a project's type, whose template its milestones start from."""

    name: str = Field(max_length=100)
    position: int = Field(default=0)


class MilestoneTemplate(Record, table=True):
    """One milestone of a project type's template (``duration_days`` > 0: a window, such as the
    advance-freight window)."""

    project_type_id: uuid.UUID = Field(foreign_key="projecttype.id", index=True)
    position: int = Field(default=0)
    name: str = Field(max_length=200)
    kind: str = Field(default=MilestoneKind.OTHER.value, max_length=30)
    anchor: str = Field(default=DateAnchor.LOAD_IN.value, max_length=20)
    offset_days: int = Field(default=0)
    duration_days: int = Field(default=0)
    owner: str = Field(default=MilestoneOwner.PM.value, max_length=10)


class Milestone(Record, table=True):
    """A project's milestone: due on ``anchor`` day + ``offset_days``, or on ``fixed_date``."""

    project_id: uuid.UUID = Field(foreign_key="project.id", index=True)
    position: int = Field(default=0)
    name: str = Field(max_length=200)
    kind: str = Field(default=MilestoneKind.OTHER.value, max_length=30)
    anchor: str = Field(default=DateAnchor.LOAD_IN.value, max_length=20)
    offset_days: int = Field(default=0)
    fixed_date: date | None = None
    duration_days: int = Field(default=0)
    owner: str = Field(default=MilestoneOwner.PM.value, max_length=10)
    done: bool = Field(default=False)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    notes: str = Field(default="", max_length=1000)
