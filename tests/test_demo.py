"""The demo company: built from its recipe into an empty database, and only into an empty one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.models import (
    CatalogItem,
    Client,
    Company,
    LabourRuleSet,
    LineItem,
    Role,
    Section,
    Supplier,
)
from app.services.demo import build_demo, is_empty, load_recipe
from app.services.paths import data_dir, default_database, resources_dir
from app.services.storage.database import Database
from app.services.storage.errors import StorageError

EXPECTED_COUNTS = {
    "company": 1,
    "client": 4,
    "contact": 4,
    "project": 3,
    "estimate": 4,
    "section": 17,
    "lineitem": 35,
    "catalogitem": 15,
    "role": 7,
    "labourruleset": 3,
    "supplier": 5,
    "crewmember": 25,
    "crewrole": 29,
    "crewunavailability": 6,
    "crewassignment": 36,
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
