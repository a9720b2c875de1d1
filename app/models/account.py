"""The account manager's desk: the pipeline's stages and what is logged on projects and clients.

A pipeline stage is one of the open project statuses (lead … in production) with the company's
default win probability for it and the days without activity after which a card is stale. The
five rows are written by migration 0009 with fixed ids (:func:`stage_id`), so every copy of a
database (an offline laptop's, a restored backup) names the same rows.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Text
from sqlmodel import Field

from app.models.base import Record
from app.models.enums import ActivityKind, ProjectStatus
from app.models.types import ExactDecimal, UTCDateTime

_STAGE_NAMESPACE = uuid.UUID("8f0c2a4e-5b1d-4c3e-9a7f-0d6e2b1c9a09")

# The open stages, in board order, with the default probability (%) and stale-after days.
PIPELINE_DEFAULTS: tuple[tuple[ProjectStatus, Decimal, int], ...] = (
    (ProjectStatus.LEAD, Decimal(10), 14),
    (ProjectStatus.ESTIMATING, Decimal(25), 14),
    (ProjectStatus.QUOTED, Decimal(50), 10),
    (ProjectStatus.WON, Decimal(100), 30),
    (ProjectStatus.IN_PRODUCTION, Decimal(100), 30),
)


def stage_id(status: str) -> uuid.UUID:
    """The fixed id of a stage's row: the same in every database."""
    return uuid.uuid5(_STAGE_NAMESPACE, f"pipelinestage/{status}")


class PipelineStage(Record, table=True):
    """An open project status as the pipeline sees it: its default win probability and staleness."""

    status: str = Field(max_length=20)
    position: int = Field(default=0)
    win_probability_pct: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    stale_after_days: int = Field(default=14)


class Activity(Record, table=True):
    """A call, meeting, email, sent quote, follow-up or note on a project or, with no project, a client.

    A follow-up is open until ``done``; ``due_date`` puts it on its owner's *My follow-ups*.
    """

    project_id: uuid.UUID | None = Field(default=None, foreign_key="project.id", index=True)
    client_id: uuid.UUID | None = Field(default=None, foreign_key="client.id", index=True)
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contact.id")
    kind: str = Field(default=ActivityKind.FOLLOW_UP.value, max_length=20)
    subject: str = Field(default="", max_length=200)
    notes: str = Field(default="", sa_type=Text)
    owner: str = Field(default="", max_length=100, index=True)  # whose follow-up it is
    due_date: date | None = None
    done: bool = Field(default=False)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Send quote logs the revision it sent (no key: a revision belongs to its estimate).
    estimate_id: uuid.UUID | None = None
    revision_id: uuid.UUID | None = None
