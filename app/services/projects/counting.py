"""Which estimate of a project counts: the scenario the client chose, else the first.

A project may have several scenarios ("Full booth", "Half booth"); only one of them asks for
crew. Once the project is won it is the chosen one (``Project.chosen_estimate_id``) while it
is a live estimate of the project; before that, or when the choice is gone, the first by
position. Staffing, the crew calendar's open positions and the capacity view all ask here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import Estimate, Project
from app.services.storage.database import Database

_E = Estimate.__table__  # type: ignore[attr-defined]
_P = Project.__table__  # type: ignore[attr-defined]


# The order scenarios are listed in: the first of them counts until one is chosen.
ESTIMATE_ORDER = (_E.c.position, _E.c.created_at, _E.c.id)
T = TypeVar("T")


def pick_counting(rows: Iterable[T]) -> dict[uuid.UUID, T]:
    """Project → the row of the estimate that counts, from rows of live estimates in
    :data:`ESTIMATE_ORDER` that carry ``id`` (the estimate), ``project_id`` and the project's
    ``chosen_estimate_id``: the one query a caller already makes decides, with no other."""
    counts: dict[uuid.UUID, T] = {}
    for row in rows:
        project_id = row.project_id  # type: ignore[attr-defined]
        if project_id not in counts or row.id == row.chosen_estimate_id:  # type: ignore[attr-defined]
            counts[project_id] = row
    return counts


def counting_estimates(
    conn: Connection, project_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, uuid.UUID]:
    """Project → the estimate that counts, for live projects (all, or ``project_ids``) with estimates."""
    query = (
        select(_E.c.id, _E.c.project_id, _P.c.chosen_estimate_id)
        .join(_P, _E.c.project_id == _P.c.id)
        .where(_E.c.deleted_at.is_(None), _P.c.deleted_at.is_(None))
        .order_by(*ESTIMATE_ORDER)
    )
    if project_ids is not None:
        query = query.where(_P.c.id.in_(list(project_ids)))
    return {project: row.id for project, row in pick_counting(conn.execute(query)).items()}


def counting_estimate(conn: Connection, project_id: uuid.UUID) -> uuid.UUID | None:
    return counting_estimates(conn, [project_id]).get(project_id)


@dataclass(frozen=True, slots=True)
class EstimateChoice:
    """An estimate a comparison can include, in the project's order."""

    id: uuid.UUID
    name: str
    based_on_id: uuid.UUID | None


def project_estimates(db: Database, project_id: uuid.UUID) -> list[EstimateChoice]:
    """The project's live estimates in their order: what a comparison picks from."""
    with db.read() as conn:
        rows = conn.execute(
            select(_E.c.id, _E.c.name, _E.c.based_on_id)
            .where(_E.c.project_id == project_id, _E.c.deleted_at.is_(None))
            .order_by(*ESTIMATE_ORDER)
        )
        return [EstimateChoice(r.id, r.name, r.based_on_id) for r in rows]
