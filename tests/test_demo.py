"""The demo company: built from its recipe into an empty database, and only into an empty one."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.models import (
    CatalogItem,
    Client,
    Company,
    EquipmentItem,
    LabourRuleSet,
    LineItem,
    LineQuoteCandidate,
    Project,
    Role,
    Section,
    Supplier,
)
from app.models.enums import ProjectStatus
from app.services.demo import build_demo, is_empty, load_recipe
from app.services.equipment.availability import estimate_availability, hold_index
from app.services.equipment.rates import load_rates
from app.services.estimate.document import EstimateDocument
from app.services.paths import data_dir, default_database, resources_dir
from app.services.projects import lifecycle
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.services.supply.quote_items import load_quote_items
from app.services.supply.timing import Timing
from tests.factories import estimate_id

EXPECTED_COUNTS = {
    "company": 1,
    "client": 4,
    "contact": 4,
    "project": 4,
    "estimate": 5,
    "section": 18,
    "lineitem": 36,
    "catalogitem": 15,
    "role": 7,
    "labourruleset": 3,
    "supplier": 7,
    "crewmember": 25,
    "crewrole": 29,
    "crewunavailability": 6,
    "crewassignment": 36,
    "equipmentitem": 5,
    "subrentalrate": 3,
    "supplierquote": 3,
    "supplierquoteitem": 3,
    "supplierquotebreak": 1,
    "linequotecandidate": 3,
    "activity": 4,
}


def _counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {
            table: conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in EXPECTED_COUNTS
        }


def _names(db: Database, table: Any) -> list[str]:  # a table with a name column
    with db.session() as session:
        return sorted(row.name for row in session.scalars(select(table)))


def test_demo_builds_the_company(demo_db: Database) -> None:
    assert _counts(demo_db) == EXPECTED_COUNTS
    with demo_db.session() as session:
        company = session.scalars(select(Company)).one()
    assert (company.name, company.currency, company.default_tax_pct) == (
        "Northlight Productions",
        "USD",
        0,
    )
    assert "50% deposit" in company.quote_terms
    assert _names(demo_db, Client) == [
        "Harbor City Symphony",
        "Orbital Software",
        "Pinecrest Outdoor Co.",
        "Vantage Medical",
    ]
    assert _names(demo_db, Supplier) == [
        "Apex Audio Rental",
        "Brightline Video Rentals",
        "Desert Staging Co.",
        "RoadRunner Freight",
        "SkyPoint Rigging",
        "Summit Hoist & Rigging",
        "Vegas Rigging Services",
    ]
    assert "Stagehand" in _names(demo_db, Role) and "Rigger" in _names(demo_db, Role)
    assert _names(demo_db, LabourRuleSet) == [
        "LVCC stagehands",
        "Local 16 stagehands",
        "Staff, straight time",
    ]


def test_demo_catalog_links_suppliers_and_roles(demo_db: Database) -> None:
    with demo_db.session() as session:
        suppliers = {row.id: row.name for row in session.scalars(select(Supplier))}
        roles = {row.id: row.name for row in session.scalars(select(Role))}
        items = session.scalars(select(CatalogItem)).all()
    supplier_of = {item.name: suppliers[item.supplier_id] for item in items if item.supplier_id}
    role_of = {item.name: roles[item.role_id] for item in items if item.role_id}
    assert supplier_of["LED processor (sub-rental)"] == "Brightline Video Rentals"
    assert supplier_of["Motor point (1 t chain hoist)"] == "SkyPoint Rigging"
    assert supplier_of["Truck, round trip"] == "RoadRunner Freight"
    assert role_of["Stagehand"] == "Stagehand"
    assert role_of["Project management"] == "Project manager"


def test_demo_lines_are_positioned_in_recipe_order(demo_db: Database) -> None:
    with demo_db.session() as session:
        sections = session.scalars(select(Section)).all()
        lines = session.scalars(select(LineItem)).all()
    for section in sections:
        positions = sorted(line.position for line in lines if line.section_id == section.id)
        assert positions == list(range(len(positions)))
    recipe = load_recipe()
    full = recipe["clients"][0]["projects"][0]["estimates"][0]
    assert full["name"] == "Full booth"
    assert [s["name"] for s in full["sections"]] == [
        "LED screen",
        "Rigging",
        "Labour",
        "Logistics",
        "Management",
    ]


def test_demo_stock_is_sold_by_its_catalog_items_with_sub_rental_rates(demo_db: Database) -> None:
    with demo_db.session() as session:
        catalog = {row.id: row.name for row in session.scalars(select(CatalogItem))}
        stock = {row.name: row for row in session.scalars(select(EquipmentItem))}
    assert {name: catalog[item.catalog_item_id] for name, item in stock.items() if item.catalog_item_id} == {
        name: name for name in stock
    }
    panels = stock["500 mm LED panel"]
    assert (panels.owned_quantity, panels.out_of_service_quantity, panels.prep_days) == (400, 8, 1)
    with demo_db.read() as conn:
        rates = load_rates(conn)
    assert [(r.supplier_name, r.day_cost) for r in rates[panels.id]] == [("Brightline Video Rentals", 22)]


def _panels(db: Database, estimate: str):  # type: ignore[no-untyped-def]
    doc = EstimateDocument(db, estimate_id(db, estimate))
    (panels,) = [a for a in estimate_availability(hold_index(db), doc).lines.values()
                 if a.stock.name == "500 mm LED panel"]
    return panels


def test_demo_full_booth_is_short_of_panels_in_the_partner_summit_week(any_demo_db: Database) -> None:
    """392 panels needed (EXAMPLE.md); the Orbital partner summit (quoted, 9–10 Mar) holds 300 of
    the 400 during the MedTech week (8–11 Mar): 400 − 300 = 100 free, short 392 − 100 = 292 while it
    is quoted (tentative), confirmed once it is won, none once it is cancelled. The 8 panels in repair
    are back by 3 Mar, before the booth's prep day (7 Mar)."""
    panels = _panels(any_demo_db, "Full booth")
    assert (panels.needed, panels.owned, panels.free) == (392, 400, 400 - 300)
    assert (panels.short, panels.short_confirmed) == (392 - 100, 0)
    assert panels.cell() == "100 / 400"
    assert "300 tentatively by Orbital partner summit (quoted)" in panels.explain()
    with any_demo_db.session() as session:
        summit = session.scalars(select(Project).where(Project.name == "Orbital partner summit")).one()
        summit_id, version = summit.id, summit.version
    scenario = lifecycle.estimate_choices(any_demo_db, summit_id)[0][0]
    lifecycle.change_status(any_demo_db, summit_id, version, ProjectStatus.WON, chosen_estimate_id=scenario)
    panels = _panels(any_demo_db, "Full booth")
    assert (panels.free, panels.short, panels.short_confirmed) == (100, 292, 292)
    state = lifecycle.load_state(any_demo_db, summit_id)
    lifecycle.change_status(any_demo_db, summit_id, state.version, ProjectStatus.CANCELLED)
    panels = _panels(any_demo_db, "Full booth")
    assert (panels.free, panels.short) == (400, 0)
    # The Orbital keynote (May, a lead) holds nothing, and its 144 panels are free.
    keynote = _panels(any_demo_db, "Keynote package")
    assert (keynote.needed, keynote.short) == (144, 0)


def test_demo_refuses_a_database_that_holds_a_company(demo_db: Database) -> None:
    before = _counts(demo_db)
    with pytest.raises(
        StorageError, match="already holds a company; the demo needs an empty database"
    ):
        build_demo(demo_db)
    assert _counts(demo_db) == before


def test_is_empty(empty_db: Database) -> None:
    assert is_empty(empty_db)
    build_demo(empty_db)
    assert not is_empty(empty_db)


def test_paths_follow_tandem_home(tandem_home: Path) -> None:
    assert data_dir() == tandem_home
    assert default_database() == tandem_home / "tandem.db"
    assert (resources_dir() / "demo" / "northlight.json").is_file()


def test_demo_motor_points_follow_one_of_three_rigging_quotes(any_demo_db: Database) -> None:
    """The Full booth's 16 motor points follow SkyPoint's SP-2291 at the line's own 450.00 (so every
    demo total stays), 420.00 only from 20 points; SkyPoint's quote holds 20 more days, less than the
    client quote's 30; Summit's expired 15 days ago; Vegas Rigging's holds 85 days. The line keeps all
    three as candidates, SkyPoint's first."""
    today = date.today()
    doc = EstimateDocument(any_demo_db, estimate_id(any_demo_db, "Full booth"))
    (motors,) = [ln for ln in doc.lines() if ln.description == "Motor points, SkyPoint quote #SP-2291"]
    with any_demo_db.read() as conn:
        items = load_quote_items(conn)
        followed = conn.execute(
            select(LineItem.supplier_quote_item_id).where(LineItem.id == motors.id)  # type: ignore[arg-type]
        ).scalar()
        candidates = conn.execute(
            select(LineQuoteCandidate.supplier_quote_item_id)
            .where(LineQuoteCandidate.line_item_id == motors.id)
            .order_by(LineQuoteCandidate.position)
        ).scalars().all()
        validity = conn.execute(select(Company.quote_validity_days)).scalar_one()
    item = items[followed]
    assert (item.quote.number, item.quote.supplier_name) == ("SP-2291", "SkyPoint Rigging")
    assert motors.quantity == 16
    assert item.unit_cost_at(motors.quantity) == motors.unit_cost == Decimal("450.00")
    assert item.unit_cost_at(Decimal(20)) == Decimal("420.00")
    assert item.quote.timing == Timing(10, 1, False)
    shown = [(items[c].quote.number, items[c].quote.valid_until - today, items[c].quote.expired(today))
             for c in candidates]
    assert shown == [
        ("SP-2291", timedelta(days=20), False),
        ("SH-0488", timedelta(days=-15), True),
        ("VRS-5120", timedelta(days=85), False),
    ]
    assert item.quote.valid_until < today + timedelta(days=validity)
