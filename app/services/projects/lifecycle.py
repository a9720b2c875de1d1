"""A project's status: lead → estimating → quoted → won → in production → delivered, or lost / cancelled.

The allowed moves live in :data:`TRANSITIONS`, one place; a refused move says where the project
can go instead. *Mark won* records the scenario the client chose (``chosen_estimate_id``, the
estimate that counts from then on: :mod:`app.services.projects.counting`); *Mark lost* takes a
reason from the editable :data:`LOST_REASONS` list. Sending a quote moves a lead or estimating
project to quoted (:func:`quote_sent`, inside the send's own transaction). Every change goes
through the project's version check; :func:`restore_state` puts a state back (undo).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from app.models import Estimate, LostReason, Project
from app.models.enums import ProjectStatus
from app.models.types import utcnow
from app.services.master_data import FieldSpec, RecordKind, text
from app.services.storage.database import Database
from app.services.storage.versioned import update_versioned
from app.services.values import InputError

PROJECT_T = Project.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]
REASON_T = LostReason.__table__  # type: ignore[attr-defined]

S = ProjectStatus
TRANSITIONS: dict[ProjectStatus, tuple[ProjectStatus, ...]] = {
    S.LEAD: (S.ESTIMATING, S.QUOTED, S.LOST, S.CANCELLED, S.POSTPONED),
    S.ESTIMATING: (S.QUOTED, S.LOST, S.CANCELLED, S.POSTPONED),
    # back to estimating: the client asked for changes
    S.QUOTED: (S.ESTIMATING, S.WON, S.LOST, S.CANCELLED, S.POSTPONED),
    S.WON: (S.IN_PRODUCTION, S.CANCELLED, S.POSTPONED),
    S.IN_PRODUCTION: (S.DELIVERED, S.CANCELLED),
    S.DELIVERED: (),
    S.LOST: (S.ESTIMATING,),  # the client came back
    S.CANCELLED: (S.LEAD,),
    S.POSTPONED: (S.LEAD, S.ESTIMATING, S.QUOTED, S.CANCELLED),  # the show has a new date
}
# A quote sent moves these to quoted.
QUOTE_MOVES = frozenset({S.LEAD, S.ESTIMATING})
# States before the client's choice: going back to one forgets the chosen scenario.
BEFORE_WON = frozenset({S.LEAD, S.ESTIMATING, S.QUOTED})


def _reason_name(value: object) -> str:
    return text("Reason", 100, required=True)(value)  # type: ignore[no-any-return]


def _next_position(db: Database) -> dict[str, object]:
    with db.read() as conn:
        last = conn.execute(
            select(func.max(REASON_T.c.position)).where(REASON_T.c.deleted_at.is_(None))
        ).scalar()
    return {"position": int(last if last is not None else -1) + 1}


LOST_REASONS = RecordKind(
    model=LostReason,
    noun="lost reason",
    fields=(FieldSpec("name", "Reason", _reason_name),),
    order_by=("position", "name"),
    new_values=_next_position,
    named_by=((PROJECT_T, "lost_reason", ("project", "projects")),),
)


@dataclass(frozen=True, slots=True)
class ProjectState:
    """What the lifecycle changes, as stored: to put back on undo."""

    status: ProjectStatus
    lost_reason: str
    chosen_estimate_id: uuid.UUID | None
    version: int


def allowed(status: ProjectStatus) -> tuple[ProjectStatus, ...]:
    return TRANSITIONS.get(status, ())


def _listed(targets: tuple[ProjectStatus, ...]) -> str:
    labels = [t.label for t in targets]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def check_move(current: ProjectStatus, target: ProjectStatus) -> None:
    """InputError unless a project in ``current`` may become ``target``."""
    if target in allowed(current):
        return
    if target is current:
        raise InputError(f"The project is already {current.label.lower()}.")
    targets = allowed(current)
    where = f"it can become {_listed(targets)}" if targets else "its status is final"
    raise InputError(f"A {current.label.lower()} project cannot become {target.label.lower()}: {where}.")


def load_state(db: Database, project_id: uuid.UUID) -> ProjectState:
    with db.read() as conn:
        row = conn.execute(
            select(
                PROJECT_T.c.status,
                PROJECT_T.c.lost_reason,
                PROJECT_T.c.chosen_estimate_id,
                PROJECT_T.c.version,
            ).where(PROJECT_T.c.id == project_id, PROJECT_T.c.deleted_at.is_(None))
        ).first()
    if row is None:
        raise InputError("That project no longer exists.")
    return ProjectState(ProjectStatus(row.status), row.lost_reason, row.chosen_estimate_id, row.version)


def estimate_choices(db: Database, project_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """The project's live estimates (its scenarios), by position: what *Mark won* asks to pick from."""
    with db.read() as conn:
        return [
            (r.id, r.name)
            for r in conn.execute(
                select(ESTIMATE_T.c.id, ESTIMATE_T.c.name)
                .where(ESTIMATE_T.c.project_id == project_id, ESTIMATE_T.c.deleted_at.is_(None))
                .order_by(ESTIMATE_T.c.position, ESTIMATE_T.c.created_at, ESTIMATE_T.c.id)
            )
        ]


def reason_choices(db: Database) -> list[str]:
    with db.read() as conn:
        return [
            str(n)
            for n in conn.execute(
                select(REASON_T.c.name)
                .where(REASON_T.c.deleted_at.is_(None))
                .order_by(REASON_T.c.position, REASON_T.c.name)
            ).scalars()
        ]


def change_status(
    db: Database,
    project_id: uuid.UUID,
    version: int,
    target: ProjectStatus,
    *,
    chosen_estimate_id: uuid.UUID | None = None,
    reason: str = "",
) -> ProjectState:
    """Move a project along its lifecycle (as seen at ``version``); return the state before, for undo.

    Won needs the scenario the client chose (a live estimate of the project), lost a reason
    from the list. Raises InputError (nothing changed) or EditConflict.
    """
    before = load_state(db, project_id)
    check_move(before.status, target)
    values: dict[str, object] = {"status": target.value}
    if target is S.WON:
        scenarios = dict(estimate_choices(db, project_id))
        if not scenarios:
            raise InputError("Add the estimate the client accepted before marking the project won.")
        if chosen_estimate_id not in scenarios:
            raise InputError("Pick the scenario the client chose (one of the project's estimates).")
        values["chosen_estimate_id"] = chosen_estimate_id
    elif target is S.LOST:
        reason = _reason_name(reason) if reason else ""
        if not reason:
            raise InputError("Say why the project was lost (pick a reason).")
        reasons = reason_choices(db)
        if reasons and reason not in reasons:
            raise InputError(f"“{reason}” is not one of the lost reasons ({', '.join(reasons)}).")
        values["lost_reason"] = reason
    if before.status is S.LOST:
        values["lost_reason"] = ""
    if target in BEFORE_WON:
        values["chosen_estimate_id"] = None
    with db.write() as conn:
        update_versioned(conn, PROJECT_T, project_id, version, values)
    return ProjectState(before.status, before.lost_reason, before.chosen_estimate_id, version)


def restore_state(db: Database, project_id: uuid.UUID, state: ProjectState) -> None:
    """Put a state back (the undo of a status change), whatever the lifecycle says: it was the state."""
    with db.write() as conn:
        current = conn.execute(select(PROJECT_T.c.version).where(PROJECT_T.c.id == project_id)).scalar()
        if current is None:
            raise InputError("That project no longer exists.")
        update_versioned(
            conn,
            PROJECT_T,
            project_id,
            int(current),
            {
                "status": state.status.value,
                "lost_reason": state.lost_reason,
                "chosen_estimate_id": state.chosen_estimate_id,
            },
        )


def quote_sent(conn: Connection, project_id: uuid.UUID) -> bool:
    """Inside a send's transaction: a lead or estimating project becomes quoted. True if it moved."""
    moved = conn.execute(
        update(PROJECT_T)
        .where(PROJECT_T.c.id == project_id, PROJECT_T.c.status.in_([s.value for s in QUOTE_MOVES]))
        .values(status=S.QUOTED.value, version=PROJECT_T.c.version + 1, updated_at=utcnow())
    )
    return bool(moved.rowcount)
