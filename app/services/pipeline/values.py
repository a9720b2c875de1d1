"""What each project is worth: its counting estimate's price, range and cost, and its win probability.

The estimate that counts is the chosen scenario, else the first (:mod:`app.services.projects.counting`).
A project's price is that estimate's total as the client reads it (tax included) with its budget
range; ``net`` (before tax) less ``cost`` is the margin, so tax never counts as margin. The win
probability is the project's own, else its stage's (:class:`app.models.PipelineStage`); a lost,
cancelled or postponed project counts 0 and a delivered one 100. ``weighted`` = price × probability.

This is the one valuation the pipeline board, the dashboard, the client page and the capacity
outlook share. Nothing in here is client-facing by itself: ``cost`` and ``margin_pct`` are the PM's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import PipelineStage, Project, ProjectStatus
from app.services.estimate.pricing import margin_share
from app.services.money import HUNDRED, ZERO, round_money
from app.services.pipeline.priced import priced
from app.services.projects.counting import counting_estimates
from app.services.storage.database import Database

_S = PipelineStage.__table__  # type: ignore[attr-defined]
_P = Project.__table__  # type: ignore[attr-defined]

# Statuses the board shows as columns, in order; the others are folded away.
OPEN_STAGES = (
    ProjectStatus.LEAD,
    ProjectStatus.ESTIMATING,
    ProjectStatus.QUOTED,
    ProjectStatus.WON,
    ProjectStatus.IN_PRODUCTION,
)
FOLDED = (ProjectStatus.LOST, ProjectStatus.CANCELLED, ProjectStatus.POSTPONED, ProjectStatus.DELIVERED)
_FIXED_PROBABILITY = {
    ProjectStatus.LOST.value: ZERO,
    ProjectStatus.CANCELLED.value: ZERO,
    ProjectStatus.POSTPONED.value: ZERO,
    ProjectStatus.DELIVERED.value: HUNDRED,
}


@dataclass(frozen=True, slots=True)
class StageSetting:
    status: str
    win_probability_pct: Decimal
    stale_after_days: int


@dataclass(frozen=True, slots=True)
class ProjectValue:
    project_id: uuid.UUID
    estimate_id: uuid.UUID | None  # the estimate that counts; None: the project has none
    price: Decimal  # the client's total, tax included
    low: Decimal  # the budget range of that total (both equal to price without a range)
    high: Decimal
    net: Decimal  # before tax: what revenue and margin are counted on
    cost: Decimal  # internal
    probability_pct: Decimal
    own_probability: bool  # the project's own, not its stage's

    @property
    def weighted(self) -> Decimal:
        return round_money(self.price * self.probability_pct / HUNDRED)

    @property
    def margin(self) -> Decimal:
        return self.net - self.cost

    @property
    def margin_pct(self) -> Decimal | None:
        return margin_share(self.net, self.cost)


def stage_settings(conn: Connection) -> dict[str, StageSetting]:
    """Each open stage's default probability and staleness, as the company set them."""
    rows = conn.execute(select(_S).where(_S.c.deleted_at.is_(None)).order_by(_S.c.position, _S.c.id))
    out: dict[str, StageSetting] = {}
    for row in rows:
        out.setdefault(row.status, StageSetting(row.status, row.win_probability_pct, row.stale_after_days))
    return out


def probability_of(status: str, own: Decimal | None, stages: dict[str, StageSetting]) -> Decimal:
    """A project's win probability: fixed for a closed status, else its own, else its stage's."""
    if status in _FIXED_PROBABILITY:
        return _FIXED_PROBABILITY[status]
    if own is not None:
        return own
    stage = stages.get(status)
    return stage.win_probability_pct if stage else ZERO


def project_values(
    db: Database, project_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, ProjectValue]:
    """Live projects (all, or ``project_ids``) → what each is worth; a project with no estimate is worth 0."""
    wanted = None if project_ids is None else list(project_ids)
    with db.read() as conn:
        stages = stage_settings(conn)
        query = select(_P.c.id, _P.c.status, _P.c.win_probability_pct).where(_P.c.deleted_at.is_(None))
        if wanted is not None:
            query = query.where(_P.c.id.in_(wanted))
        projects = list(conn.execute(query))
        counting = counting_estimates(conn, [p.id for p in projects])
    return values_of(db, projects, stages, counting)


def values_of(
    db: Database,
    projects: Iterable[Any],
    stages: dict[str, StageSetting],
    counting: dict[uuid.UUID, uuid.UUID],
) -> dict[uuid.UUID, ProjectValue]:
    """:func:`project_values` of project rows already read (``id``, ``status``, ``win_probability_pct``)
    with their stages and counting estimates (:func:`counting_estimates`, which may hold others)."""
    projects = list(projects)
    figures = priced(db, [counting[p.id] for p in projects if p.id in counting])
    out: dict[uuid.UUID, ProjectValue] = {}
    for project in projects:
        probability = probability_of(project.status, project.win_probability_pct, stages)
        own = project.win_probability_pct is not None and project.status not in _FIXED_PROBABILITY
        estimate_id = counting.get(project.id)
        got = figures.get(estimate_id) if estimate_id is not None else None
        if estimate_id is None or got is None:  # none, or deleted since it was chosen
            out[project.id] = ProjectValue(project.id, None, ZERO, ZERO, ZERO, ZERO, ZERO, probability, own)
            continue
        out[project.id] = ProjectValue(
            project.id, estimate_id, got.total, got.low, got.high, got.net, got.cost, probability, own
        )
    return out


WON_STATUSES = frozenset(
    {ProjectStatus.WON.value, ProjectStatus.IN_PRODUCTION.value, ProjectStatus.DELIVERED.value}
)


def win_rate(statuses: Iterable[str]) -> Decimal | None:
    """Projects won ÷ projects decided (won, in production or delivered; or lost), in percent;
    cancelled, postponed and still-open projects do not count. None when nothing was decided."""
    won = lost = 0
    for status in statuses:
        won += status in WON_STATUSES
        lost += status == ProjectStatus.LOST.value
    return None if won + lost == 0 else Decimal(won) * HUNDRED / Decimal(won + lost)
