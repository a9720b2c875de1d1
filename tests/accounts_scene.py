"""Hand-built clients for the client page and the growth grid, small enough to add up by hand.

Every line is priced by unit price (quantity × days × unit price), so each figure below is
mental arithmetic. Catalog: LED wall (Video), Line array (Audio), Truss (no category: counts as
its kind, "Equipment"); the Freight line has no catalog item (counts as "Freight").

Acme — P1 won, load-in 2026-03-01, tax 10 %: LED wall 2 × 1000 = 2000 (cost 800), Line array
       1 × 2 days × 250 = 500 (cost 200), freight 150 (cost 100), an optional audio add-on 300
       (not taken): net 2650, total 2915, cost 1100. Quotes sent: revision 1 (2,900.00) and 2.
     — P2 lost: Video 1000.                — P5 cancelled: Video 9000.
     — P3 quoted, two scenarios: Big (first) Video 5000, Small Video 3000; none chosen: Big counts.
     — P4 delivered, load-in 2025-05-01, scenarios A (first) Audio 400 and B Video 700 (cost 300) +
       Truss 100 (cost 50); B chosen: net 800, cost 350.
Bolt — P6 in production, show from 2026-06-01 (no load-in), discount 10 %: Line array 2 × 600 =
       1200 and 3 × 33.33 = 99.99 (Audio 1299.99); alternatives "screen": 500 and 800 (chosen).
Calm — no projects.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from app.models import (
    Activity,
    CatalogItem,
    Client,
    Contact,
    Estimate,
    LineItem,
    Project,
    QuoteRevision,
    Section,
)
from app.models.enums import LineKind
from app.services.storage.database import Database
from tests.factories import _record

D = Decimal


@dataclass
class Scene:
    clients: dict[str, uuid.UUID] = field(default_factory=dict)
    projects: dict[str, uuid.UUID] = field(default_factory=dict)
    estimates: dict[str, uuid.UUID] = field(default_factory=dict)
    rows: dict[Any, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, model: Any, **values: Any) -> uuid.UUID:
        row = _record(**values)
        self.rows.setdefault(model, []).append(row)
        return row["id"]  # type: ignore[no-any-return]

    def client(self, name: str, contacts: tuple[tuple[str, bool], ...] = ()) -> uuid.UUID:
        client_id = self.clients[name] = self.add(
            Client, name=name, notes="", industry="Events", billing_address=f"1 {name} Street\nSpringfield"
        )
        for contact, main in contacts:
            self.add(Contact, client_id=client_id, name=contact, title="", email="", phone="", is_main=main)
        return client_id

    def project(self, name: str, client: str, status: str, **values: Any) -> uuid.UUID:
        project_id = self.projects[name] = self.add(
            Project,
            client_id=self.clients[client],
            name=name,
            status=status,
            venue="Hall",
            account_manager="Ann",
            project_manager="Pat",
            notes="",
            **values,
        )
        return project_id

    def estimate(
        self, name: str, project: str, position: int, lines: list[dict[str, Any]], **values: Any
    ) -> uuid.UUID:
        estimate_id = self.estimates[name] = self.add(
            Estimate, project_id=self.projects[project], name=name, position=position, notes="", **values
        )
        section = self.add(Section, estimate_id=estimate_id, position=0, name="Show", client_description="")
        for position_in, line in enumerate(lines):
            self.add(LineItem, section_id=section, position=position_in, **line)
        return estimate_id

    def write(self, db: Database) -> None:
        order = (Client, Contact, CatalogItem, Project, Estimate, Section, LineItem, QuoteRevision, Activity)
        with db.write() as conn:
            for model in order:
                for row in self.rows.get(model, []):  # one at a time: each names only its own columns
                    conn.execute(model.__table__.insert(), [row])  # type: ignore[union-attr]


def line(
    price: str,
    quantity: str = "1",
    days: str = "1",
    cost: str = "0",
    kind: LineKind = LineKind.EQUIPMENT,
    **values: Any,
) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "description": f"{kind.label} {price}",
        "quantity": D(quantity),
        "days": D(days),
        "unit": "ea",
        "unit_cost": D(cost),
        "price_basis": "unit_price",
        "unit_price": D(price),
        **values,
    }


def build(db: Database) -> Scene:
    s = Scene()
    led = s.add(CatalogItem, name="LED wall", category="Video", kind="equipment")
    array = s.add(CatalogItem, name="Line array", category="Audio", kind="equipment")
    truss = s.add(CatalogItem, name="Truss", category="", kind="equipment")
    s.client("Acme", (("Alice Main", True), ("Bob Other", False)))
    s.client("Bolt", (("Bea", True),))
    s.client("Calm")
    p1 = s.project("P1", "Acme", "won", start_date=date(2026, 3, 1), end_date=date(2026, 3, 3))
    s.estimate(
        "E1",
        "P1",
        0,
        [
            line("1000.00", "2", cost="400.00", catalog_item_id=led),
            line("250.00", "1", "2", cost="100.00", catalog_item_id=array),
            line("150.00", cost="100.00", kind=LineKind.FREIGHT),
            line("300.00", cost="100.00", catalog_item_id=array, optional=True),
        ],
        tax_pct=D(10),
        quote_number="Q2026-0001",
    )
    s.project("P2", "Acme", "lost", lost_reason="Price")
    s.estimate("E2", "P2", 0, [line("1000.00", catalog_item_id=led)])
    s.project("P3", "Acme", "quoted")
    s.estimate("Big", "P3", 0, [line("5000.00", catalog_item_id=led)])
    s.estimate("Small", "P3", 1, [line("3000.00", catalog_item_id=led)])
    s.project("P5", "Acme", "cancelled")
    s.estimate("E5", "P5", 0, [line("9000.00", catalog_item_id=led)])
    b = uuid.uuid4()
    s.project("P4", "Acme", "delivered", start_date=date(2025, 5, 1), chosen_estimate_id=b)
    s.estimate("A", "P4", 0, [line("400.00", catalog_item_id=array)])
    s.estimate(
        "B",
        "P4",
        1,
        [
            line("700.00", cost="300.00", catalog_item_id=led),
            line("100.00", cost="50.00", catalog_item_id=truss),
        ],
        id=b,
    )
    s.project("P6", "Bolt", "in_production", show_start_date=date(2026, 6, 1))
    s.estimate(
        "E6",
        "P6",
        0,
        [
            line("600.00", "2", catalog_item_id=array),
            line("33.33", "3", catalog_item_id=array),
            line("500.00", catalog_item_id=led, alternative_group="screen"),
            line("800.00", catalog_item_id=led, alternative_group="screen", alternative_chosen=True),
        ],
        discount_pct=D(10),
    )
    sent = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
    for number, day, total in ((1, 1, "2900.00"), (2, 10, "2915.00")):
        s.add(
            QuoteRevision,
            estimate_id=s.estimates["E1"],
            number=number,
            sent_at=sent.replace(day=day),
            sent_by="Ann",
            note="",
            total=D(total),
            snapshot="{}",
        )
    s.add(
        Activity,
        client_id=s.clients["Acme"],
        kind="call",
        subject="Intro call",
        notes="",
        owner="Ann",
        done=True,
    )
    s.add(Activity, project_id=s.projects["P2"], kind="email", subject="Why we lost", notes="", owner="Ann")
    s.add(
        Activity, project_id=s.projects["P6"], kind="meeting", subject="Bolt's meeting", notes="", owner="Ann"
    )
    s.add(
        Activity, project_id=p1, kind="note", subject="Deleted note", notes="", owner="Ann", deleted_at=sent
    )
    s.write(db)
    return s
