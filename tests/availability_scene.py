"""The issue's equipment scene on the demo company, for the availability tests:

the Vantage full booth (392 × 500 mm LED panel, 2027-03-08 to 03-11) against 400 panels owned,
300 held by a won "Orbital keynote" and 60 tentatively by a quoted "Spring Gala" the same week:
40 free, short 392 − 40 = 352, or 392 − (400 − 300) = 292 if the tentative hold is lost.

A "LED processor" item (6 owned, a rate of $35.00 a day at Brightline) is sold by a catalog item of
its own, for the add-on and alternative cases.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from app.models import CatalogItem, EquipmentItem, SubRentalRate, Supplier
from app.models.types import utcnow
from app.services.storage.database import Database
from tests.factories import ESTIMATE_T, LINE_T, PROJECT_T, SECTION_T, _record, make_estimate, make_project

ITEM_T = EquipmentItem.__table__  # type: ignore[attr-defined]
RATE_T = SubRentalRate.__table__  # type: ignore[attr-defined]
CATALOG_T = CatalogItem.__table__  # type: ignore[attr-defined]
SUPPLIER_T = Supplier.__table__  # type: ignore[attr-defined]
PANEL = "500 mm LED panel"
PROCESSOR = "LED processor"
WEEK = (date(2027, 3, 8), date(2027, 3, 11))


def catalog_item(db: Database, name: str) -> uuid.UUID:
    with db.read() as conn:
        found: uuid.UUID = conn.execute(
            select(CATALOG_T.c.id).where(CATALOG_T.c.name == name, CATALOG_T.c.deleted_at.is_(None))
        ).scalar_one()
    return found


def supplier(db: Database, name: str) -> uuid.UUID:
    with db.read() as conn:
        found: uuid.UUID = (
            conn.execute(select(SUPPLIER_T.c.id).where(SUPPLIER_T.c.name.like(f"{name}%"))).scalars().first()
        )
    return found


def add_stock(db: Database, name: str, owned: int, catalog_item_id: uuid.UUID, **values: Any) -> uuid.UUID:
    row = _record(
        name=name,
        category="Video",
        owned_quantity=Decimal(owned),
        out_of_service_quantity=Decimal(0),
        day_cost=Decimal(10),
        replacement_value=Decimal(0),
        catalog_item_id=catalog_item_id,
        prep_days=0,
        return_days=0,
        notes="",
        **values,
    )
    with db.write() as conn:
        conn.execute(ITEM_T.insert(), [row])
    item_id: uuid.UUID = row["id"]
    return item_id


def add_rate(db: Database, item_id: uuid.UUID, supplier_id: uuid.UUID, day_cost: str) -> None:
    with db.write() as conn:
        conn.execute(
            RATE_T.insert(),
            [
                _record(
                    equipment_item_id=item_id, supplier_id=supplier_id, day_cost=Decimal(day_cost), notes=""
                )
            ],
        )


def add_holding_project(
    db: Database,
    name: str,
    status: str,
    catalog_item_id: uuid.UUID,
    quantity: int,
    days: tuple[date, date] = WEEK,
) -> uuid.UUID:
    """A project of ``status`` on ``days`` whose one estimate needs ``quantity`` of the catalog item."""
    project_id = make_project(db, client_name=f"{name} client", project_name=name)
    # Line 0 of a factory estimate is an equipment line.
    estimate = make_estimate(db, lines=1, sections=1, project_id=project_id, name="Main")
    sections = select(SECTION_T.c.id).where(SECTION_T.c.estimate_id == estimate).scalar_subquery()
    with db.write() as conn:
        conn.execute(
            LINE_T.update()
            .where(LINE_T.c.section_id == sections)
            .values(
                description=f"Panels for {name}", quantity=Decimal(quantity), catalog_item_id=catalog_item_id
            )
        )
    _dated(db, project_id, status, days)
    return project_id


def without_demo_stock(db: Database) -> None:
    """The demo as it was before it kept stock: its stock items deleted, and its partner summit
    (quoted, holding panels) made a lead."""
    with db.write() as conn:
        conn.execute(update(ITEM_T).where(ITEM_T.c.deleted_at.is_(None)).values(deleted_at=utcnow()))
        summit = PROJECT_T.c.name == "Orbital partner summit"
        conn.execute(update(PROJECT_T).where(summit).values(status="lead"))


def panel_scene(db: Database) -> dict[str, uuid.UUID]:
    """400 panels owned; Orbital keynote (won) holds 300, Spring Gala (quoted) 60, that week.

    The demo's own stock is taken away first: the scene's figures are the only ones."""
    without_demo_stock(db)
    panel = catalog_item(db, PANEL)
    ids = {"panel_catalog": panel, "panel": add_stock(db, PANEL, 400, panel)}
    ids["orbital"] = add_holding_project(db, "Orbital keynote", "won", panel, 300)
    ids["gala"] = add_holding_project(db, "Spring Gala", "quoted", panel, 60)
    return ids


def stock_an_estimate(
    db: Database, estimate_id: uuid.UUID, items: int = 40, holders: int = 200
) -> list[uuid.UUID]:
    """Stock for a factory estimate (the benchmarks'): ``items`` stock items, each sold by a catalog
    item its equipment lines name in turn, its project quoted on the scene's week, and ``holders``
    other projects (won and quoted in turn, their weeks overlapping it) of 70 factory lines each,
    whose 10 equipment lines hold ten of the items. Returns the catalog items' ids."""
    catalog = [  # the table's defaults for the rest: an equipment item, 50 % markup
        _record(name=f"Stock item {k}", category="Video", unit_cost=Decimal(10), markup_pct=Decimal(50))
        for k in range(items)
    ]
    with db.write() as conn:
        conn.execute(CATALOG_T.insert(), catalog)
    ids = [row["id"] for row in catalog]
    for k, catalog_id in enumerate(ids):
        add_stock(db, f"Stock item {k}", 500, catalog_id)
    _name_items(db, estimate_id, ids, 0)
    with db.read() as conn:
        project_id = conn.execute(
            select(ESTIMATE_T.c.project_id).where(ESTIMATE_T.c.id == estimate_id)
        ).scalar_one()
    _dated(db, project_id, "quoted", WEEK)
    for h in range(holders):
        project = make_project(db, client_name=f"Holder {h}", project_name=f"Holder {h}")
        held = make_estimate(db, lines=70, sections=1, project_id=project, name="Main")
        _name_items(db, held, ids, h)
        shift = timedelta(days=h % 9 - 4)
        _dated(db, project, "won" if h % 2 else "quoted", (WEEK[0] + shift, WEEK[1] + shift))
    return ids


def _name_items(db: Database, estimate_id: uuid.UUID, items: list[uuid.UUID], start: int) -> None:
    """The estimate's equipment lines name the catalog items in turn, from number ``start``."""
    with db.write() as conn:
        lines = (
            conn.execute(
                select(LINE_T.c.id)
                .join(SECTION_T, LINE_T.c.section_id == SECTION_T.c.id)
                .where(SECTION_T.c.estimate_id == estimate_id, LINE_T.c.kind == "equipment")
                .order_by(SECTION_T.c.position, LINE_T.c.position)
            )
            .scalars()
            .all()
        )
        for n, line_id in enumerate(lines):
            conn.execute(
                LINE_T.update()
                .where(LINE_T.c.id == line_id)
                .values(catalog_item_id=items[(start + n) % len(items)])
            )


def _dated(db: Database, project_id: uuid.UUID, status: str, days: tuple[date, date]) -> None:
    with db.write() as conn:
        conn.execute(
            PROJECT_T.update()
            .where(PROJECT_T.c.id == project_id)
            .values(status=status, start_date=days[0], end_date=days[1])
        )
