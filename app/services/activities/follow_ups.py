"""*My follow-ups*, a project's and a client's activities, and the people a follow-up belongs to.

:func:`my_follow_ups` is an owner's open activities with a due date, the earliest first (so the
overdue ones lead), then their open follow-ups without a date; activities of a deleted project or
client are left out. Each row carries its project's and client's names (a client's own activity
has no project). :func:`client_activities` lists a client's activities, its own and those on its
projects, newest first: what the client's page shows.
"""

from __future__ import annotations

import getpass
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from app.models import Client, Project
from app.models.enums import ActivityKind
from app.services.activities.records import ACTIVITY_T
from app.services.storage.database import Database
from app.services.values import InputError

PROJECT_T = Project.__table__  # type: ignore[attr-defined]
CLIENT_T = Client.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class ActivityRow:
    id: uuid.UUID
    version: int
    kind: str
    subject: str
    notes: str
    owner: str
    due_date: date | None
    done: bool
    done_at: datetime | None
    created_at: datetime
    project_id: uuid.UUID | None
    project_name: str  # "" on a client's own activity
    client_id: uuid.UUID | None
    client_name: str
    estimate_id: uuid.UUID | None
    revision_id: uuid.UUID | None

    def overdue(self, today: date) -> bool:
        return not self.done and self.due_date is not None and self.due_date < today

    def due(self, today: date) -> bool:
        """Open and due today or before: what the status bar's “N follow-ups due” counts."""
        return not self.done and self.due_date is not None and self.due_date <= today


def _select() -> object:
    a, p, c = ACTIVITY_T, PROJECT_T, CLIENT_T
    client_id = func.coalesce(a.c.client_id, p.c.client_id)
    return (
        select(
            a.c.id,
            a.c.version,
            a.c.kind,
            a.c.subject,
            a.c.notes,
            a.c.owner,
            a.c.due_date,
            a.c.done,
            a.c.done_at,
            a.c.created_at,
            a.c.project_id,
            func.coalesce(p.c.name, "").label("project_name"),
            client_id.label("client_id"),
            func.coalesce(c.c.name, "").label("client_name"),
            a.c.estimate_id,
            a.c.revision_id,
        )
        .select_from(a.outerjoin(p, a.c.project_id == p.c.id).outerjoin(c, c.c.id == client_id))
        .where(
            a.c.deleted_at.is_(None), p.c.deleted_at.is_(None), c.c.deleted_at.is_(None), c.c.id.is_not(None)
        )
    )


def _rows(conn: Connection, query: object) -> list[ActivityRow]:
    return [ActivityRow(**row._mapping) for row in conn.execute(query)]  # type: ignore[call-overload]


def _by_date(row: ActivityRow) -> tuple[object, ...]:
    return (row.due_date is None, row.due_date or date.min, row.created_at, str(row.id))


def _ordered(rows: list[ActivityRow]) -> list[ActivityRow]:
    return sorted(rows, key=_by_date)


def my_follow_ups(db: Database, owner: str, today: date) -> list[ActivityRow]:
    """``owner``'s open activities with a due date, the overdue first (before ``today``), then by
    due date; then their open follow-ups with no date. ``owner`` empty: everyone's."""
    a = ACTIVITY_T
    query = _select().where(  # type: ignore[attr-defined]
        a.c.done.is_(False),
        or_(a.c.due_date.is_not(None), a.c.kind == ActivityKind.FOLLOW_UP.value),
    )
    if owner:
        query = query.where(func.lower(a.c.owner) == owner.strip().lower())
    with db.read() as conn:
        rows = _rows(conn, query)
    return sorted(rows, key=lambda r: (not r.overdue(today), *_by_date(r)))


def due_count(rows: list[ActivityRow], today: date) -> int:
    return sum(1 for r in rows if r.due(today))


def project_activities(conn: Connection, project_id: uuid.UUID) -> list[ActivityRow]:
    """A project's live activities, open ones by due date first, then the done ones newest first."""
    return _listed(_rows(conn, _select().where(ACTIVITY_T.c.project_id == project_id)))  # type: ignore[attr-defined]


def client_activities(conn: Connection, client_id: uuid.UUID) -> list[ActivityRow]:
    """A client's live activities: its own and those on its live projects (the client page's list)."""
    on_projects = select(PROJECT_T.c.id).where(PROJECT_T.c.client_id == client_id)
    query = _select().where(  # type: ignore[attr-defined]
        or_(ACTIVITY_T.c.client_id == client_id, ACTIVITY_T.c.project_id.in_(on_projects))
    )
    return _listed(_rows(conn, query))


def _listed(rows: list[ActivityRow]) -> list[ActivityRow]:
    open_rows = _ordered([r for r in rows if not r.done])
    done = sorted((r for r in rows if r.done), key=lambda r: r.done_at or r.created_at, reverse=True)
    return open_rows + done


def owner_names(db: Database) -> list[str]:
    """Whom a follow-up may belong to: the owners on activities and the AMs on live projects, A→Z."""
    with db.read() as conn:
        names = set(
            conn.execute(
                select(ACTIVITY_T.c.owner).where(ACTIVITY_T.c.deleted_at.is_(None), ACTIVITY_T.c.owner != "")
            ).scalars()
        )
        names |= set(
            conn.execute(
                select(PROJECT_T.c.account_manager).where(
                    PROJECT_T.c.deleted_at.is_(None), PROJECT_T.c.account_manager != ""
                )
            ).scalars()
        )
    return sorted({str(n).strip() for n in names if str(n).strip()}, key=str.lower)


def default_owner(db: Database | None = None) -> str:
    """Whose list opens first: the person logged in, as an AM name on a project when one matches
    (any case), else as the operating system knows them."""
    user = getpass.getuser()
    if db is not None:
        match = next((n for n in owner_names(db) if n.lower() == user.lower()), None)
        if match is not None:
            return match
    return user


def owner_title(db: Database, project_id: uuid.UUID | None, client_id: uuid.UUID | None) -> tuple[str, str]:
    """The name of what activities are on (a project or a client) and who a new one is for (the
    project's AM, else the person at the keyboard)."""
    with db.read() as conn:
        if project_id is not None:
            row = conn.execute(
                select(PROJECT_T.c.name, PROJECT_T.c.account_manager).where(PROJECT_T.c.id == project_id)
            ).first()
        else:
            row = conn.execute(select(CLIENT_T.c.name).where(CLIENT_T.c.id == client_id)).first()
    if row is None:
        raise InputError("That project or client no longer exists; someone may have deleted it.")
    am = str(row[1] or "") if project_id is not None else ""
    return str(row[0]), am or default_owner(db)
