"""Clients and their contacts, edited as master data; a client has exactly one main contact once it has any.

The main contact is the one the quote is addressed to. Making a contact the main one clears
the others in the same transaction; deleting the main contact makes the first remaining one
main; a main contact is changed by making another one main (unsetting it is refused).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from app.models import Client, Contact, Project
from app.models.types import utcnow
from app.services.master_data import FieldSpec, RecordKind, text
from app.services.values import InputError, parse_text

CLIENT_T = Client.__table__  # type: ignore[attr-defined]
CONTACT_T = Contact.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]


def parse_email(value: Any) -> str:
    """An email address, or empty."""
    typed = parse_text(value, "Email", max_length=200)
    if typed and ("@" not in typed or " " in typed or typed.startswith("@") or typed.endswith("@")):
        raise InputError(f"“{typed}” is not an email address (name@example.com).")
    return typed


ONE_MAIN = "A client has one main contact: make another contact the main one instead."


def _main(value: Any) -> bool:
    """Only ever set: the main contact changes by making another one main."""
    if value in (True, 1) or str(value).strip().lower() in {"yes", "true", "1", "main"}:
        return True
    raise InputError(ONE_MAIN)


CLIENTS = RecordKind(
    model=Client,
    noun="client",
    fields=(
        FieldSpec("name", "Name", text("Client name", 200, required=True)),
        FieldSpec("industry", "Industry", text("Industry", 100)),
        FieldSpec(
            "billing_address",
            "Billing address",
            text("Billing address", 1000, multiline=True),
            tip="Printed on the quote under the client's name.",
            multiline=True,
        ),
        FieldSpec("notes", "Notes", text("Notes", 4000, multiline=True), multiline=True),
    ),
    children=((CONTACT_T, "client_id"),),
)


def _one_main(conn: Connection, contact_id: uuid.UUID) -> None:
    """Exactly one live main contact per client with contacts: the one just made main, else the
    main there is, else the first contact."""
    client_id = conn.execute(select(CONTACT_T.c.client_id).where(CONTACT_T.c.id == contact_id)).scalar_one()
    rows = conn.execute(
        select(CONTACT_T.c.id, CONTACT_T.c.is_main)
        .where(CONTACT_T.c.client_id == client_id, CONTACT_T.c.deleted_at.is_(None))
        .order_by(CONTACT_T.c.created_at, CONTACT_T.c.id)
    ).all()
    if not rows:
        return
    this = next((r for r in rows if r.id == contact_id), None)
    mains = [r.id for r in rows if r.is_main]
    keep = contact_id if this is not None and this.is_main else mains[0] if mains else rows[0].id
    for row in rows:
        if row.is_main != (row.id == keep):
            # The changed row's own version already moved with its change: the editor's copy stays current.
            own = row.id == contact_id
            bump = {} if own else {"version": CONTACT_T.c.version + 1, "updated_at": utcnow()}
            conn.execute(
                update(CONTACT_T).where(CONTACT_T.c.id == row.id).values(is_main=row.id == keep, **bump)
            )


CONTACTS = RecordKind(
    model=Contact,
    noun="contact",
    fields=(
        FieldSpec("name", "Name", text("Contact name", 200, required=True)),
        FieldSpec("title", "Title", text("Title", 200)),
        FieldSpec("email", "Email", parse_email),
        FieldSpec("phone", "Phone", text("Phone", 50)),
        FieldSpec("is_main", "Main", _main, tip="The contact the quote is addressed to (one per client)."),
    ),
    order_by=("created_at",),
    unique_names=False,
    owner_key="client_id",
    settle=_one_main,
)


def main_contact(conn: Connection, client_id: uuid.UUID) -> uuid.UUID | None:
    """The client's main contact (the first contact where none is marked), or None."""
    return conn.execute(
        select(CONTACT_T.c.id)
        .where(CONTACT_T.c.client_id == client_id, CONTACT_T.c.deleted_at.is_(None))
        .order_by(CONTACT_T.c.is_main.desc(), CONTACT_T.c.created_at, CONTACT_T.c.id)
        .limit(1)
    ).scalar()


def client_choices(conn: Connection) -> list[tuple[uuid.UUID, str]]:
    """Every live client (id, name), by name: what a project's client picker offers."""
    return [
        (r.id, r.name)
        for r in conn.execute(
            select(CLIENT_T.c.id, CLIENT_T.c.name)
            .where(CLIENT_T.c.deleted_at.is_(None))
            .order_by(CLIENT_T.c.name, CLIENT_T.c.id)
        )
    ]


def contact_choices(conn: Connection, client_id: uuid.UUID | None) -> list[tuple[uuid.UUID, str]]:
    """The client's live contacts (id, "Name — Title"), the main one first."""
    if client_id is None:
        return []
    rows = conn.execute(
        select(CONTACT_T.c.id, CONTACT_T.c.name, CONTACT_T.c.title)
        .where(CONTACT_T.c.client_id == client_id, CONTACT_T.c.deleted_at.is_(None))
        .order_by(CONTACT_T.c.is_main.desc(), CONTACT_T.c.created_at, CONTACT_T.c.id)
    )
    return [(r.id, f"{r.name} — {r.title}" if r.title else r.name) for r in rows]
