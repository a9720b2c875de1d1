"""What the top of a client quote says: who quotes (the company's settings), to whom (the client,
its billing address and contact), which quote, its date and how long it holds.

Read in one transaction, Qt-free; :mod:`app.services.excel.quote` writes it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.engine import Connection

from app.models import Client, Contact, Project
from app.services.company.settings import DEFAULT_VALIDITY_DAYS, load_company, logo_bytes, valid_until
from app.services.estimate.document import EstimateDocument
from app.services.excel.workbook import quote_label_and_date
from app.services.storage.database import Database

CLIENT_T = Client.__table__  # type: ignore[attr-defined]
CONTACT_T = Contact.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class QuoteHeading:
    company: str
    address: tuple[str, ...]
    phone: str
    email: str
    logo: bytes | None
    terms: str
    tax_label: str
    label: str  # "Quote Q2027-0001 · Revision 2"
    quote_date: date
    valid_until: date | None
    client: str
    billing_address: tuple[str, ...]
    contact: str  # "Helen Cho, Trade show manager"
    contact_reach: str  # "hcho@vantagemed.example · +1 617 555 0131"


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _joined(*parts: str | None) -> str:
    return " · ".join(p.strip() for p in parts if p and p.strip())


def _contact(conn: Connection, project_id: uuid.UUID, client_id: uuid.UUID) -> Row[Any] | None:
    """The project's contact, else the client's main contact, else the client's only contact."""
    live = CONTACT_T.c.deleted_at.is_(None)
    chosen = conn.execute(select(PROJECT_T.c.contact_id).where(PROJECT_T.c.id == project_id)).scalar()
    if chosen is not None:
        row = conn.execute(select(CONTACT_T).where(CONTACT_T.c.id == chosen, live)).first()
        if row is not None:
            return row
    rows = conn.execute(select(CONTACT_T).where(CONTACT_T.c.client_id == client_id, live)
                        .order_by(CONTACT_T.c.is_main.desc(), CONTACT_T.c.name)).all()
    if rows and (rows[0].is_main or len(rows) == 1):
        return rows[0]
    return None


def quote_heading(db: Database, doc: EstimateDocument) -> QuoteHeading:
    h = doc.header
    company = load_company(db)
    values = company.values if company is not None else {}
    label, quote_date = quote_label_and_date(db, doc)
    with db.read() as conn:
        client = conn.execute(
            select(CLIENT_T.c.id, CLIENT_T.c.name, CLIENT_T.c.billing_address)
            .select_from(CLIENT_T.join(PROJECT_T, PROJECT_T.c.client_id == CLIENT_T.c.id))
            .where(PROJECT_T.c.id == h.project_id)).first()
        contact = _contact(conn, h.project_id, client.id) if client is not None else None
    validity = values.get("quote_validity_days", DEFAULT_VALIDITY_DAYS)
    return QuoteHeading(
        company=str(values.get("name") or h.company_name),
        address=_lines(values.get("address")),
        phone=str(values.get("phone") or ""),
        email=str(values.get("email") or ""),
        logo=logo_bytes(values.get("logo")),
        terms=str(values.get("quote_terms") or ""),
        tax_label=str(values.get("tax_label") or "Tax"),
        label=label,
        quote_date=quote_date,
        valid_until=valid_until(quote_date, validity),
        client=client.name if client is not None else h.client_name,
        billing_address=_lines(client.billing_address if client is not None else ""),
        contact=", ".join(p for p in (contact.name, contact.title) if p) if contact is not None else "",
        contact_reach=_joined(contact.email, contact.phone) if contact is not None else "",
    )
