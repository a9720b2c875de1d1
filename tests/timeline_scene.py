"""A small inventory and three projects holding it in March 2027, for the equipment timeline's tests.

400 LED panels (catalog item "500 mm LED panel"), 40 box truss; Orbital keynote (won) holds 300
panels on 8–10 March, the Vantage booth (quoted) 392 on 6–11 March, the Spring Gala (quoted) 60
panels and 8 truss on 15–17 March.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import update

from app.models import CatalogItem, EquipmentItem
from app.models.enums import LineKind
from app.services.storage.database import Database
from tests.factories import LINE_T, PROJECT_T, SECTION_T, _record, line_values, make_estimate, make_project

CATALOG_T = CatalogItem.__table__  # type: ignore[attr-defined]
ITEM_T = EquipmentItem.__table__  # type: ignore[attr-defined]


def MARCH(day: int) -> date:
    return date(2027, 3, day)


@dataclass(frozen=True)
class EquipmentScene:
    panel_id: uuid.UUID  # the stock items
    truss_id: uuid.UUID
    panel_catalog_id: uuid.UUID
    projects: dict[str, uuid.UUID]  # by name
    estimates: dict[str, uuid.UUID]
    lines: dict[str, uuid.UUID]  # each estimate's panel line, by project name


def add_stock(db: Database, name: str, category: str, owned: int) -> tuple[uuid.UUID, uuid.UUID]:
    """A catalog item of kind equipment and the stock item it sells: (stock id, catalog item id)."""
    catalog = _record(
        name=name,
        category=category,
        kind=LineKind.EQUIPMENT.value,
        client_description=name,
        unit="ea",
        unit_cost=Decimal("10.00"),
        price_basis="markup",
        markup_pct=Decimal(40),
        unit_price=None,
        margin_pct=None,
        supplier_id=None,
        role_id=None,
        description=name,
        notes="",
        is_kit=False,
        kit_shows_components=False,
    )
    item = _record(
        name=name,
        category=category,
        owned_quantity=Decimal(owned),
        out_of_service_quantity=Decimal(0),
        out_of_service_from=None,
        out_of_service_until=None,
        day_cost=Decimal("2.00"),
        replacement_value=Decimal(900),
        list_price=None,
        weight_kg=None,
        catalog_item_id=catalog["id"],
        prep_days=0,
        return_days=0,
        notes="",
    )
    with db.write() as conn:
        conn.execute(CATALOG_T.insert(), [catalog])
        conn.execute(ITEM_T.insert(), [item])
    return item["id"], catalog["id"]


def add_holding_project(
    db: Database, name: str, status: str, first: date, last: date, needs: dict[uuid.UUID, int]
) -> tuple[uuid.UUID, uuid.UUID, list[uuid.UUID]]:
    """A project on ``first``–``last`` whose one estimate has an equipment line per catalog item in
    ``needs`` (that quantity): (project id, estimate id, line ids)."""
    project_id = make_project(db, client_name=f"{name} client", project_name=name)
    estimate_id = make_estimate(db, lines=0, sections=1, project_id=project_id, name=f"{name} estimate")
    lines = [
        _record(
            **{
                **line_values(0),
                "description": f"Panels for {name}",
                "quantity": Decimal(q),
                "days": Decimal((last - first).days + 1),
                "optional": False,
                "price_override": None,
                "catalog_item_id": catalog_id,
            },
            position=i,
        )
        for i, (catalog_id, q) in enumerate(needs.items())
    ]
    with db.write() as conn:
        section_id = conn.execute(SECTION_T.select().where(SECTION_T.c.estimate_id == estimate_id)).one().id
        for line in lines:
            line["section_id"] = section_id
        conn.execute(LINE_T.insert(), lines)
        conn.execute(
            update(PROJECT_T)
            .where(PROJECT_T.c.id == project_id)
            .values(status=status, start_date=first, end_date=last)
        )
    return project_id, estimate_id, [line["id"] for line in lines]


def build_equipment_scene(db: Database) -> EquipmentScene:
    panel_id, panel_catalog = add_stock(db, "500 mm LED panel", "LED", 400)
    truss_id, truss_catalog = add_stock(db, "Box truss 3 m", "Rigging", 40)
    projects, estimates, lines = {}, {}, {}
    for name, status, first, last, needs in (
        ("Orbital keynote", "won", MARCH(8), MARCH(10), {panel_catalog: 300}),
        ("Vantage booth", "quoted", MARCH(6), MARCH(11), {panel_catalog: 392}),
        ("Spring Gala", "quoted", MARCH(15), MARCH(17), {panel_catalog: 60, truss_catalog: 8}),
    ):
        projects[name], estimates[name], made = add_holding_project(db, name, status, first, last, needs)
        lines[name] = made[0]
    return EquipmentScene(panel_id, truss_id, panel_catalog, projects, estimates, lines)
