"""Edit › Pipeline stages…: each open stage's default win probability and the days without activity
after which its cards are stale — master data (:data:`STAGES`), edited one cell at a time with a
version check. The five rows are fixed (migration 0009): none is added or deleted, and the stage
itself is not typed."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import PipelineStage, ProjectStatus
from app.services.master_data import FieldSpec, RecordKind
from app.services.values import InputError, parse_decimal

_S = PipelineStage.__table__  # type: ignore[attr-defined]
MAX_STALE_DAYS = 365


def _labels(conn: Connection, _owner: uuid.UUID | None) -> dict[uuid.UUID, str]:
    out = {}
    for row in conn.execute(select(_S.c.id, _S.c.status)):
        try:
            out[row.id] = ProjectStatus(row.status).label
        except ValueError:
            out[row.id] = row.status
    return out


def parse_probability(value: Any) -> Decimal:
    parsed = parse_decimal(value, "Win probability", minimum=Decimal(0), maximum=Decimal(100), places=2)
    assert parsed is not None
    return parsed


def parse_stale_days(value: Any) -> int:
    parsed = parse_decimal(
        value, "Stale after", minimum=Decimal(1), maximum=Decimal(MAX_STALE_DAYS), places=0
    )
    assert parsed is not None
    if parsed != parsed.to_integral_value():
        raise InputError("Stale after: a whole number of days, please.")
    return int(parsed)


STAGES = RecordKind(
    model=PipelineStage,
    noun="pipeline stage",
    fields=(
        FieldSpec("stage", "Stage", lambda _v: None, str, derived=_labels),
        FieldSpec(
            "win_probability_pct",
            "Win probability %",
            parse_probability,
            lambda v: "" if v is None else f"{v:f}".rstrip("0").rstrip(".") if "." in f"{v:f}" else f"{v:f}",
            numeric=True,
            tip="The win probability of a project in this stage that has none of its own.",
        ),
        FieldSpec(
            "stale_after_days",
            "Stale after (days)",
            parse_stale_days,
            numeric=True,
            tip="A card with no activity for this many days is marked stale.",
        ),
    ),
    order_by=("position",),
    name_key="stage",
    unique_names=False,
)
