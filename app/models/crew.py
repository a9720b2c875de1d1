"""The crew: people, the roles they can fill, when they cannot work, and their assignments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime
from sqlmodel import Field

from app.models.base import Record
from app.models.enums import AssignmentStatus, CrewKind
from app.models.types import ExactDecimal


class CrewMember(Record, table=True):
    name: str = Field(max_length=200, index=True)
    kind: str = Field(default=CrewKind.FREELANCE.value, max_length=20)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)
    max_weekly_hours: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    notes: str = Field(default="")


class CrewRole(Record, table=True):
    """A role a crew member can fill, optionally at a personal cost rate."""

    crew_member_id: uuid.UUID = Field(foreign_key="crewmember.id", index=True)
    role_id: uuid.UUID = Field(foreign_key="role.id", index=True)
    cost_rate_override: Decimal | None = Field(default=None, sa_type=ExactDecimal)


class CrewUnavailability(Record, table=True):
    crew_member_id: uuid.UUID = Field(foreign_key="crewmember.id", index=True)
    day: date
    reason: str = Field(default="", max_length=200)


class CrewAssignment(Record, table=True):
    """A person on a project's call, from–to in venue local time (naive datetimes).

    ``line_item_id`` is the labour line (the call) it fills, when there is one.
    """

    crew_member_id: uuid.UUID = Field(foreign_key="crewmember.id", index=True)
    project_id: uuid.UUID = Field(foreign_key="project.id", index=True)
    line_item_id: uuid.UUID | None = Field(default=None, foreign_key="lineitem.id", index=True)
    role_id: uuid.UUID | None = Field(default=None, foreign_key="role.id")
    # Naive venue local time: a plain DateTime (sqlmodel's default for datetime insists on UTC).
    starts_at: datetime = Field(sa_type=DateTime())
    ends_at: datetime = Field(sa_type=DateTime())
    status: str = Field(default=AssignmentStatus.TENTATIVE.value, max_length=20)
    notes: str = Field(default="", max_length=500)
