"""The navigator's data: clients → projects → estimates, and creating and renaming them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, update

from app.models import Client, Estimate, Project, Section
from app.models.enums import ProjectStatus
from app.models.types import utcnow
from app.services.company.settings import estimate_defaults
from app.services.storage.database import Database
from app.services.values import InputError, parse_text

CLIENT_T = Client.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]


@dataclass(slots=True)
class EstimateNode:
    id: uuid.UUID
    project_id: uuid.UUID
    name: str


@dataclass(slots=True)
class ProjectNode:
    id: uuid.UUID
    client_id: uuid.UUID
    name: str
    venue: str
    status: ProjectStatus
    start_date: date | None
    end_date: date | None
    estimates: list[EstimateNode] = field(default_factory=list)


@dataclass(slots=True)
class ClientNode:
    id: uuid.UUID
    name: str
    projects: list[ProjectNode] = field(default_factory=list)


def load_directory(db: Database) -> list[ClientNode]:
    """Every live client with its projects and estimates: three queries."""
    with db.read() as conn:
        clients = [
            ClientNode(r.id, r.name)
            for r in conn.execute(
                select(CLIENT_T.c.id, CLIENT_T.c.name)
                .where(CLIENT_T.c.deleted_at.is_(None))
                .order_by(func.lower(CLIENT_T.c.name))
            )
        ]
        by_client = {c.id: c for c in clients}
        projects: dict[uuid.UUID, ProjectNode] = {}
        for r in conn.execute(
            select(PROJECT_T)
            .where(PROJECT_T.c.deleted_at.is_(None))
            .order_by(PROJECT_T.c.start_date, PROJECT_T.c.name)
        ):
            client = by_client.get(r.client_id)
            if client is None:
                continue
            node = ProjectNode(r.id, r.client_id, r.name, r.venue, ProjectStatus(r.status),
                               r.start_date, r.end_date)
            client.projects.append(node)
            projects[r.id] = node
        for r in conn.execute(
            select(ESTIMATE_T.c.id, ESTIMATE_T.c.project_id, ESTIMATE_T.c.name)
            .where(ESTIMATE_T.c.deleted_at.is_(None))
            .order_by(ESTIMATE_T.c.position, ESTIMATE_T.c.created_at)
        ):
            project = projects.get(r.project_id)
            if project is not None:
                project.estimates.append(EstimateNode(r.id, r.project_id, r.name))
    return clients


def create_client(db: Database, name: str) -> uuid.UUID:
    name = parse_text(name, "Client name", max_length=200, required=True)
    client = Client(name=name)
    with db.write() as conn:
        conn.execute(CLIENT_T.insert().values(**client.model_dump()))
    return client.id


def create_project(db: Database, client_id: uuid.UUID, name: str) -> uuid.UUID:
    name = parse_text(name, "Project name", max_length=200, required=True)
    project = Project(client_id=client_id, name=name)
    with db.write() as conn:
        conn.execute(PROJECT_T.insert().values(**project.model_dump()))
    return project.id


def create_estimate(db: Database, project_id: uuid.UUID, name: str) -> uuid.UUID:
    """A new estimate with one empty section, so there is somewhere to add lines.

    It starts from the company's target margin, margin floor, contingency and tax rate.
    """
    name = parse_text(name, "Estimate name", max_length=200, required=True)
    with db.write() as conn:
        count = conn.execute(
            select(func.count()).select_from(ESTIMATE_T).where(ESTIMATE_T.c.project_id == project_id)
        ).scalar_one()
        start = estimate_defaults(conn)  # the company's margin, floor, contingency and tax
        estimate = Estimate(project_id=project_id, name=name, position=count,
                            target_margin_pct=start.target_margin_pct,
                            margin_floor_pct=start.margin_floor_pct,
                            contingency_pct=start.contingency_pct, tax_pct=start.tax_pct)
        conn.execute(ESTIMATE_T.insert().values(**estimate.model_dump()))
        section = Section(estimate_id=estimate.id, name="General", position=0)
        conn.execute(Section.__table__.insert().values(**section.model_dump()))  # type: ignore[attr-defined]
    return estimate.id


_TABLES = {"client": CLIENT_T, "project": PROJECT_T, "estimate": ESTIMATE_T}


def rename(db: Database, kind: str, row_id: uuid.UUID, name: str) -> str:
    """Rename a client, project or estimate; return the old name."""
    table = _TABLES[kind]
    name = parse_text(name, f"{kind.capitalize()} name", max_length=200, required=True)
    with db.write() as conn:
        old = conn.execute(select(table.c.name).where(table.c.id == row_id)).scalar_one_or_none()
        if old is None:
            raise InputError(f"That {kind} no longer exists.")
        conn.execute(
            update(table).where(table.c.id == row_id)
            .values(name=name, version=table.c.version + 1, updated_at=utcnow())
        )
    return str(old)


def set_deleted(db: Database, kind: str, row_id: uuid.UUID, deleted: bool) -> None:
    """Delete (tombstone) or restore a client, project or estimate."""
    table = _TABLES[kind]
    with db.write() as conn:
        conn.execute(
            update(table).where(table.c.id == row_id)
            .values(deleted_at=utcnow() if deleted else None, version=table.c.version + 1,
                    updated_at=utcnow())
        )
