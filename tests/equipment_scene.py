"""A small equipment scene for the sub-rental and shortage tests: 400 LED panels in stock, a won
job holding 300 of them in March 2027, and a job of ours to estimate over the same days.

Dates: the won job "Orbital keynote" runs load-in 10 March to strike 14 March 2027; ours,
"Vantage booth", 12 to 13 March. Panels have no prep or return days unless a test sets them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from app.models import CatalogItem, EquipmentItem, Project, SubRentalRate, Supplier
from app.models.enums import LineKind, PriceBasis
from app.models.types import utcnow
from app.services.estimate.document import EstimateDocument
from app.services.storage.database import Database
from tests.factories import make_estimate, make_project

D = Decimal
_P = Project.__table__  # type: ignore[attr-defined]
_SUP = Supplier.__table__  # type: ignore[attr-defined]


@dataclass
class Scene:
    db: Database
    panel: uuid.UUID  # the catalog item that sells the panels
    stock: uuid.UUID  # the EquipmentItem
    ours: uuid.UUID  # our estimate
    ours_project: uuid.UUID
    theirs: uuid.UUID  # the won job's estimate
    theirs_project: uuid.UUID


def add(db: Database, *records: Any) -> None:
    with db.session() as session:
        session.add_all(records)
        session.commit()


def set_project(db: Database, project_id: uuid.UUID, **values: Any) -> None:
    with db.write() as conn:
        conn.execute(update(_P).where(_P.c.id == project_id).values(**values))


def panel_line(catalog_id: uuid.UUID, quantity: str, **extra: Any) -> dict[str, Any]:
    """An equipment line of panels: 3 days at $12.37 cost, 33 % markup, unless ``extra`` says."""
    return {
        "kind": LineKind.EQUIPMENT.value,
        "description": "LED panel 500 mm",
        "client_description": "LED video wall",
        "quantity": D(quantity),
        "unit": "ea",
        "days": D(3),
        "unit_cost": D("12.37"),
        "price_basis": PriceBasis.MARKUP.value,
        "markup_pct": D(33),
        "catalog_item_id": catalog_id,
        **extra,
    }


def build(db: Database, *, held: str = "300", theirs_status: str = "won") -> Scene:
    catalog = CatalogItem(
        name="LED panel 500 mm",
        category="LED",
        kind=LineKind.EQUIPMENT.value,
        unit_cost=D("12.37"),
        markup_pct=D(33),
    )
    stock = EquipmentItem(
        name="500 mm LED panel",
        category="LED",
        owned_quantity=D(400),
        catalog_item_id=catalog.id,
        day_cost=D("2.50"),
    )
    add(db, catalog)
    add(db, stock)
    theirs_project = make_project(db, project_name="Orbital keynote", client_name="Orbital")
    set_project(
        db, theirs_project, status=theirs_status, start_date=date(2027, 3, 10), end_date=date(2027, 3, 14)
    )
    theirs = make_estimate(db, 0, 1, project_id=theirs_project, name="Keynote")
    ours_project = make_project(db, project_name="Vantage booth", client_name="Vantage")
    set_project(db, ours_project, status="lead", start_date=date(2027, 3, 12), end_date=date(2027, 3, 13))
    ours = make_estimate(db, 0, 1, project_id=ours_project, name="Full booth")
    doc = EstimateDocument(db, theirs)
    doc.add_line(doc.sections[0].id, None, panel_line(catalog.id, held))
    return Scene(db, catalog.id, stock.id, ours, ours_project, theirs, theirs_project)


def suppliers(db: Database, stock_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Zeta ($9.85 a day) and Alpha ($11) rent panels; Beta supplies LED; Aardvark and Mu do not;
    Gone (deleted) had the cheapest rate."""
    made = {
        name: Supplier(name=name, supplies=supplies)
        for name, supplies in [
            ("Zeta Rentals", ""),
            ("Alpha AV", "audio"),
            ("Beta Video", "Video, led panels"),
            ("Aardvark", "trucks"),
            ("Mu Staging", ""),
            ("Gone", "LED"),
        ]
    }
    add(db, *made.values())
    add(
        db,
        SubRentalRate(equipment_item_id=stock_id, supplier_id=made["Zeta Rentals"].id, day_cost=D("9.85")),
        SubRentalRate(equipment_item_id=stock_id, supplier_id=made["Zeta Rentals"].id, day_cost=D("12")),
        SubRentalRate(equipment_item_id=stock_id, supplier_id=made["Alpha AV"].id, day_cost=D(11)),
        SubRentalRate(equipment_item_id=stock_id, supplier_id=made["Gone"].id, day_cost=D(1)),
    )
    with db.write() as conn:  # deleted since it gave its rate (a merge from offline can leave this)
        conn.execute(update(_SUP).where(_SUP.c.id == made["Gone"].id).values(deleted_at=utcnow()))
    return {name: s.id for name, s in made.items()}
