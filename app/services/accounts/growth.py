"""Growing the account: what each client has bought, per catalog category, and what it never has.

A client has bought what its won projects (won, in production or delivered:
``values.WON_STATUSES``) sold: the included lines of each project's counting estimate (the chosen
scenario, else the first; :mod:`app.services.projects.counting`). A line's value is its price in
that estimate (before the estimate's contingency, discount and tax, so a client's row adds up to
its estimates' subtotals); add-ons not taken and alternatives not chosen are left out. A line's
category is its catalog item's ``category``; a line with no catalog item (or whose item has no
category) counts under its kind's label ("Labour", "Freight", …), and "Other" if it has none.

Categories come in the company's order of sales, most sold first (the total over every client;
equal totals by name). A client's *never bought* categories are those sold to some client and
never to this one, in that same order. ``since`` keeps only projects that start on or after it
(load-in, else the first show day; a project with neither date is left out then).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.models import CatalogItem, Client, Project
from app.models.enums import LineKind
from app.services.accounts.client_page import company_currency
from app.services.estimate.document import EstimateDocument
from app.services.money import ZERO
from app.services.pipeline.values import WON_STATUSES
from app.services.projects.counting import counting_estimates
from app.services.storage.database import Database

_C = Client.__table__  # type: ignore[attr-defined]
_I = CatalogItem.__table__  # type: ignore[attr-defined]
_P = Project.__table__  # type: ignore[attr-defined]
OTHER = "Other"


@dataclass(frozen=True, slots=True)
class ClientGrowth:
    client_id: uuid.UUID
    name: str
    bought: dict[str, Decimal]  # category → value bought; only categories it bought
    never: tuple[str, ...]  # categories sold somewhere, never to this client, most sold first

    @property
    def total(self) -> Decimal:
        return sum(self.bought.values(), ZERO)


@dataclass(frozen=True, slots=True)
class GrowthGrid:
    categories: tuple[str, ...]  # most sold first
    totals: dict[str, Decimal]  # category → the company's sales over every client
    clients: tuple[ClientGrowth, ...]  # every live client, by name
    currency: str = ""

    def of(self, client_id: uuid.UUID) -> ClientGrowth | None:
        return next((c for c in self.clients if c.client_id == client_id), None)


def category_of(kind: LineKind | str, item_category: str | None) -> str:
    """A line's category: its catalog item's, else its kind's label, else "Other"."""
    if item_category and item_category.strip():
        return item_category.strip()
    try:
        return LineKind(kind).label
    except ValueError:
        return OTHER


def growth_grid(db: Database, since: date | None = None) -> GrowthGrid:
    """Every live client × the categories the company has sold on won work (see the module doc)."""
    with db.read() as conn:
        clients = list(
            conn.execute(
                select(_C.c.id, _C.c.name).where(_C.c.deleted_at.is_(None)).order_by(_C.c.name, _C.c.id)
            )
        )
        query = select(_P.c.id, _P.c.client_id, _P.c.start_date, _P.c.show_start_date).where(
            _P.c.deleted_at.is_(None), _P.c.status.in_(sorted(WON_STATUSES))
        )
        projects = [p for p in conn.execute(query) if _since(p, since)]
        counting = counting_estimates(conn, [p.id for p in projects]) if projects else {}
        # Every item, deleted ones too: a line keeps the category it was sold under.
        categories = {r.id: r.category for r in conn.execute(select(_I.c.id, _I.c.category))}
        currency = company_currency(conn)
    bought: dict[uuid.UUID, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for project in projects:
        estimate_id = counting.get(project.id)
        if estimate_id is None:
            continue
        doc = EstimateDocument(db, estimate_id)
        row = bought[project.client_id]
        for line in doc.lines():
            if doc.counts_in_total(line) and line.priced is not None:
                category = category_of(
                    line.kind, categories.get(line.catalog_item_id) if line.catalog_item_id else None
                )
                row[category] += line.priced.price
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in bought.values():
        for category, value in row.items():
            totals[category] += value
    order = tuple(sorted(totals, key=lambda c: (-totals[c], c.casefold(), c)))
    out = []
    for client in clients:
        row = {c: v for c, v in bought.get(client.id, {}).items()}
        out.append(ClientGrowth(client.id, client.name, row, tuple(c for c in order if c not in row)))
    return GrowthGrid(order, dict(totals), tuple(out), currency)


def _since(project, since: date | None) -> bool:  # type: ignore[no-untyped-def]
    if since is None:
        return True
    first = project.start_date or project.show_start_date
    return first is not None and first >= since
