"""the account manager's desk: pipeline stages, activities, a project's win probability,
decision date and brief

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:00:00

Two new tables. ``pipelinestage`` gets its five rows here, with fixed ids (see
app/models/account.py) and a fixed stamp, so that every copy of a database upgraded on its own
(an offline laptop's, the office's) names the same rows and merges them as one. Projects already
there take their stage's probability (``win_probability_pct`` empty), have no decision date and
an empty brief. See tests/revision_data.py for the layer of this revision.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

from app.models.types import ExactDecimal, UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The stages as this revision wrote them (a frozen record: app/models/account.py may move on).
STAGES = (
    ("lead", Decimal(10), 14),
    ("estimating", Decimal(25), 14),
    ("quoted", Decimal(50), 10),
    ("won", Decimal(100), 30),
    ("in_production", Decimal(100), 30),
)
STAGES_WRITTEN = datetime(2026, 12, 2, tzinfo=UTC)
_STAGE_NAMESPACE = uuid.UUID("8f0c2a4e-5b1d-4c3e-9a7f-0d6e2b1c9a09")  # app.models.account.stage_id


def stage_id(status: str) -> uuid.UUID:
    return uuid.uuid5(_STAGE_NAMESPACE, f"pipelinestage/{status}")

_BRIEF_TEXTS = ("brief_goals", "brief_audience", "brief_venue_notes", "brief_dates",
                "brief_must_haves", "brief_competitors")


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
    ]


def upgrade() -> None:
    """Upgrade schema."""
    stage = op.create_table(
        "pipelinestage",
        *_record_columns(),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("win_probability_pct", ExactDecimal(), nullable=False),
        sa.Column("stale_after_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "activity",
        *_record_columns(),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("estimate_id", sa.Uuid(), nullable=True),
        sa.Column("revision_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_owner"), ["owner"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_project_id"), ["project_id"], unique=False)

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("win_probability_pct", ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column("decision_date", sa.Date(), nullable=True))
        for name in _BRIEF_TEXTS[:4]:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("brief_budget", ExactDecimal(), nullable=True))
        for name in _BRIEF_TEXTS[4:]:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))

    op.bulk_insert(stage, [
        {"id": stage_id(status), "created_at": STAGES_WRITTEN, "updated_at": STAGES_WRITTEN,
         "version": 1, "deleted_at": None, "status": status, "position": position,
         "win_probability_pct": probability, "stale_after_days": stale}
        for position, (status, probability, stale) in enumerate(STAGES)
    ])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("project", schema=None) as batch_op:
        for name in ("brief_budget", *_BRIEF_TEXTS, "decision_date", "win_probability_pct"):
            batch_op.drop_column(name)
    op.drop_table("activity")
    op.drop_table("pipelinestage")
