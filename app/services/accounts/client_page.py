"""One client's page: contacts, every project with its estimates, every quote sent, the activities
logged on the client and its projects, and the client's lifetime figures.

Every project is listed, lost, cancelled and postponed included. A project's value is the one
valuation (:mod:`app.services.pipeline.values`): the counting estimate's total (tax included);
each other scenario shows its own total. The figures count won work (won, in production or
delivered: ``values.WON_STATUSES``) on ``net`` (before tax): the lifetime won value, and its
margin (net − cost), which only the PM's view shows. The win rate is ``values.win_rate``.
Activities are read here directly (a small query on the Activity table), newest first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from app.models import Activity, Client, Company, Contact, Estimate, Project, ProjectStatus, QuoteRevision
from app.services.money import ZERO
from app.services.pipeline.priced import Priced, priced
from app.services.pipeline.values import WON_STATUSES, ProjectValue, project_values, win_rate
from app.services.projects.counting import ESTIMATE_ORDER
from app.services.storage.database import Database
from app.services.values import InputError

_A = Activity.__table__  # type: ignore[attr-defined]
_C = Client.__table__  # type: ignore[attr-defined]
_K = Contact.__table__  # type: ignore[attr-defined]
_E = Estimate.__table__  # type: ignore[attr-defined]
_P = Project.__table__  # type: ignore[attr-defined]
_Q = QuoteRevision.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class ContactRow:
    id: uuid.UUID
    name: str
    title: str
    email: str
    phone: str
    is_main: bool


@dataclass(frozen=True, slots=True)
class EstimateRow:
    """A scenario of a project with its own totals; ``counts``: the one the project's value is."""

    id: uuid.UUID
    name: str
    quote_number: str
    counts: bool
    total: Decimal  # the client's total, tax included
    net: Decimal  # before tax
    cost: Decimal  # internal: the PM's

    @property
    def margin(self) -> Decimal:
        return self.net - self.cost


@dataclass(frozen=True, slots=True)
class ProjectRow:
    id: uuid.UUID
    name: str
    status: str
    venue: str
    start_date: date | None
    end_date: date | None
    show_start_date: date | None
    show_end_date: date | None
    account_manager: str
    project_manager: str
    lost_reason: str
    value: ProjectValue
    estimates: tuple[EstimateRow, ...]

    @property
    def won(self) -> bool:
        return self.status in WON_STATUSES


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """A revision of a quote as it was sent."""

    id: uuid.UUID
    project_id: uuid.UUID
    project_name: str
    estimate_id: uuid.UUID
    estimate_name: str
    quote_number: str
    revision: int
    sent_at: datetime
    total: Decimal
    sent_by: str


@dataclass(frozen=True, slots=True)
class ActivityRow:
    id: uuid.UUID
    project_id: uuid.UUID | None
    project_name: str  # "" for one logged on the client itself
    kind: str
    subject: str
    owner: str
    due_date: date | None
    done: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ClientFigures:
    won_value: Decimal  # Σ net of the won projects
    won_margin: Decimal  # Σ (net − cost) of the won projects: the PM's only
    win_rate: Decimal | None  # percent of the decided projects; None: none decided
    projects: int
    won: int
    lost: int


@dataclass(frozen=True, slots=True)
class ClientPage:
    id: uuid.UUID
    name: str
    industry: str
    billing_address: str
    notes: str
    contacts: tuple[ContactRow, ...]
    projects: tuple[ProjectRow, ...]
    quotes: tuple[QuoteRow, ...]
    activities: tuple[ActivityRow, ...]
    figures: ClientFigures
    currency: str = ""  # the company's, for showing the figures

    @property
    def main_contact(self) -> ContactRow | None:
        return next((c for c in self.contacts if c.is_main), self.contacts[0] if self.contacts else None)


def client_page(db: Database, client_id: uuid.UUID) -> ClientPage:
    """Everything the client's page shows; a client deleted or never made is a clear InputError."""
    with db.read() as conn:
        client = conn.execute(select(_C).where(_C.c.id == client_id, _C.c.deleted_at.is_(None))).first()
        if client is None:
            raise InputError("That client no longer exists (someone may have deleted it).")
        contacts = tuple(
            ContactRow(r.id, r.name, r.title, r.email, r.phone, bool(r.is_main))
            for r in conn.execute(
                select(_K)
                .where(_K.c.client_id == client_id, _K.c.deleted_at.is_(None))
                .order_by(_K.c.is_main.desc(), _K.c.name, _K.c.id)
            )
        )
        projects = list(
            conn.execute(
                select(_P)
                .where(_P.c.client_id == client_id, _P.c.deleted_at.is_(None))
                .order_by(_P.c.start_date.desc().nulls_last(), _P.c.name, _P.c.id)
            )
        )
        names = {p.id: p.name for p in projects}
        estimates = (
            list(
                conn.execute(
                    select(_E.c.id, _E.c.project_id, _E.c.name, _E.c.quote_number)
                    .where(_E.c.project_id.in_(list(names)), _E.c.deleted_at.is_(None))
                    .order_by(*ESTIMATE_ORDER)
                )
            )
            if names
            else []
        )
        quotes = _quotes(conn, names, {e.id: e for e in estimates})
        activities = _activities(conn, client_id, names)
        currency = company_currency(conn)
    values = project_values(db, list(names))
    # Every other scenario's totals by the pipeline's kept pricing, in one call (unchanged ones cached).
    counting = {v.estimate_id for v in values.values()}
    others = priced(db, [e.id for e in estimates if e.id not in counting])
    rows = tuple(
        _project_row(p, values[p.id], [e for e in estimates if e.project_id == p.id], others)
        for p in projects
        if p.id in values
    )
    return ClientPage(
        client.id,
        client.name,
        client.industry,
        client.billing_address,
        client.notes,
        contacts,
        rows,
        quotes,
        activities,
        figures_of(rows),
        currency,
    )


def company_currency(conn: Connection) -> str:
    company = Company.__table__  # type: ignore[attr-defined]
    found = conn.execute(select(company.c.currency).where(company.c.deleted_at.is_(None))).first()
    return found.currency if found is not None else ""


def figures_of(projects: tuple[ProjectRow, ...]) -> ClientFigures:
    won = [p for p in projects if p.won]
    return ClientFigures(
        won_value=sum((p.value.net for p in won), ZERO),
        won_margin=sum((p.value.margin for p in won), ZERO),
        win_rate=win_rate(p.status for p in projects),
        projects=len(projects),
        won=len(won),
        lost=sum(p.status == ProjectStatus.LOST.value for p in projects),
    )


def _project_row(  # type: ignore[no-untyped-def]
    project, value: ProjectValue, estimates: list, others: dict[uuid.UUID, Priced]
) -> ProjectRow:
    rows = []
    for estimate in estimates:
        if estimate.id == value.estimate_id:  # the one valuation, not a second reading of it
            rows.append(
                EstimateRow(
                    estimate.id,
                    estimate.name,
                    estimate.quote_number,
                    True,
                    value.price,
                    value.net,
                    value.cost,
                )
            )
            continue
        totals = others.get(estimate.id)
        if totals is None:  # deleted since the page's read began
            continue
        rows.append(
            EstimateRow(
                estimate.id,
                estimate.name,
                estimate.quote_number,
                False,
                totals.total,
                totals.net,
                totals.cost,
            )
        )
    return ProjectRow(
        project.id,
        project.name,
        project.status,
        project.venue,
        project.start_date,
        project.end_date,
        project.show_start_date,
        project.show_end_date,
        project.account_manager,
        project.project_manager,
        project.lost_reason,
        value,
        tuple(rows),
    )


def _quotes(conn: Connection, names: dict[uuid.UUID, str], estimates: dict) -> tuple[QuoteRow, ...]:  # type: ignore[type-arg]
    if not estimates:
        return ()
    rows = conn.execute(
        select(_Q)
        .where(_Q.c.estimate_id.in_(list(estimates)), _Q.c.deleted_at.is_(None))
        .order_by(_Q.c.sent_at.desc(), _Q.c.number.desc(), _Q.c.id)
    )
    out = []
    for r in rows:
        estimate = estimates[r.estimate_id]
        out.append(
            QuoteRow(
                r.id,
                estimate.project_id,
                names[estimate.project_id],
                r.estimate_id,
                estimate.name,
                estimate.quote_number,
                r.number,
                r.sent_at,
                r.total,
                r.sent_by,
            )
        )
    return tuple(out)


def _activities(
    conn: Connection, client_id: uuid.UUID, names: dict[uuid.UUID, str]
) -> tuple[ActivityRow, ...]:
    on = _A.c.client_id == client_id
    if names:
        on = or_(on, _A.c.project_id.in_(list(names)))
    rows = conn.execute(
        select(_A).where(on, _A.c.deleted_at.is_(None)).order_by(_A.c.created_at.desc(), _A.c.id)
    )
    return tuple(
        ActivityRow(
            r.id,
            r.project_id,
            names.get(r.project_id, "") if r.project_id else "",
            r.kind,
            r.subject,
            r.owner,
            r.due_date,
            bool(r.done),
            r.created_at,
        )
        for r in rows
    )
