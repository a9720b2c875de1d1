"""Catalog kits: components edited as master data (quantity per kit > 0, fractions allowed, no kit
inside a kit); adding a kit adds its line and its components' lines in one transaction, each a
formula of ``kit``; the kit's quantity drives theirs until a number is typed over one."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from app.models.enums import LineKind
from app.services import master_data
from app.services.catalog.items import CATALOG_ITEMS
from app.services.catalog.kits import KIT_COMPONENTS, component_formula
from app.services.estimate.catalog_lines import with_components
from app.services.estimate.document import EstimateDocument
from app.services.lookups import CatalogEntry, load_catalog
from app.services.storage.database import Database
from app.services.values import InputError

D = Decimal


def _item(db: Database, name: str) -> uuid.UUID:
    return next(r.id for r in master_data.load(db, CATALOG_ITEMS) if r.values["name"] == name)


def _entry(db: Database, item_id: uuid.UUID) -> CatalogEntry:
    with db.read() as conn:
        return next(e for e in load_catalog(conn) if e.id == item_id)


def make_kit(db: Database) -> uuid.UUID:
    """ "LED wall kit": 150 panels, one processor per two kits, 2 LED technicians and 3 h of project
    management per kit; sold at 4,000.00 a kit."""
    kit = master_data.add(
        db,
        CATALOG_ITEMS,
        "LED wall kit",
        {
            "kind": "equipment",
            "category": "Video",
            "unit": "kit",
            "client_description": "LED wall, 10 × 15",
            "price_basis": "unit_price",
            "unit_price": "4000",
            "is_kit": "yes",
        },
    )
    for name, per in (
        ("500 mm LED panel", "150"),
        ("LED processor (sub-rental)", "0.5"),
        ("LED technician", "2"),
        ("Project management", "3"),
    ):
        master_data.add(db, KIT_COMPONENTS, _item(db, name), {"quantity_per_kit": per}, owner=kit)
    return kit


def test_component_formulas_round_equipment_up_and_keep_the_rest_exact() -> None:
    assert component_formula(LineKind.EQUIPMENT, D("0.5")) == "ceil(kit * 0.5)"
    assert component_formula(LineKind.EQUIPMENT, D("150")) == "kit * 150"
    assert component_formula(LineKind.EQUIPMENT, D(1)) == "kit"
    assert component_formula(LineKind.LABOUR, D("0.5")) == "kit * 0.5"
    assert component_formula(LineKind.FEE, D("2.50")) == "kit * 2.5"


def test_components_are_checked_as_they_are_typed(demo_db: Database) -> None:
    kit = make_kit(demo_db)
    rows = master_data.load(demo_db, KIT_COMPONENTS, kit)
    assert [r.values["quantity_per_kit"] for r in rows] == [D(150), D("0.5"), D(2), D(3)]
    for per, message in (("0", "Per kit must be more than 0"), ("-1", "Per kit"), ("lots", "Per kit")):
        with pytest.raises(InputError, match=message):
            master_data.save_edit(demo_db, KIT_COMPONENTS, rows[0], "quantity_per_kit", per)
    with pytest.raises(InputError, match="A kit cannot be a component of itself"):
        master_data.add(demo_db, KIT_COMPONENTS, kit, owner=kit)
    other = master_data.add(demo_db, CATALOG_ITEMS, "Audio kit", {"unit": "kit", "is_kit": True})
    with pytest.raises(InputError, match="“LED wall kit” is a kit itself"):
        master_data.add(demo_db, KIT_COMPONENTS, kit, owner=other)
    assert len(master_data.load(demo_db, KIT_COMPONENTS, kit)) == 4  # nothing changed
    assert master_data.load(demo_db, KIT_COMPONENTS, other) == []
    in_use = master_data.uses(demo_db, CATALOG_ITEMS, _item(demo_db, "LED technician"))
    assert [str(u) for u in in_use if "kit" in str(u)] == ["1 kit component"]


def test_adding_a_kit_adds_its_components_linked_to_it(demo_db: Database, full_booth_id: uuid.UUID) -> None:
    kit_item = make_kit(demo_db)
    doc = EstimateDocument(demo_db, full_booth_id)
    section = doc.sections[0]
    before = len(section.lines)
    kit = doc.add_catalog_line(section.id, _entry(demo_db, kit_item))
    lines = section.lines[before:]
    assert [(ln.description, ln.quantity_formula, ln.quantity) for ln in lines] == [
        ("LED wall kit", "", D(1)),
        ("500 mm LED panel", "kit * 150", D(150)),
        ("LED processor (sub-rental)", "ceil(kit * 0.5)", D(1)),  # one processor for up to two kits
        ("LED technician", "kit * 2", D(2)),
        ("Project management", "kit * 3", D(3)),
    ]
    assert [ln.kit_line_id for ln in lines] == [None, kit.id, kit.id, kit.id, kit.id]
    assert lines[3].hours == D(8)  # a crew call, as the catalog adds one
    again = EstimateDocument(demo_db, full_booth_id)  # stored so, in one transaction
    assert [ln.kit_line_id for ln in again.section(section.id).lines[before:]] == [None, *[kit.id] * 4]


def test_the_kit_quantity_drives_its_components_until_one_is_typed_over(
    demo_db: Database, full_booth_id: uuid.UUID
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    section = doc.sections[0]
    kit = doc.add_catalog_line(section.id, _entry(demo_db, make_kit(demo_db)))
    panels, processors, techs, pm = section.lines[-4:]
    old = doc.set_line_fields(kit.id, {"quantity": D(3)})
    # 3 kits: 3 × 150 = 450 panels, ceil(3 × 0.5) = 2 processors, 3 × 2 = 6 techs, 3 × 3 = 9 h
    assert (panels.quantity, processors.quantity, techs.quantity, pm.quantity) == (D(450), D(2), D(6), D(9))
    stored = EstimateDocument(demo_db, full_booth_id)
    assert [stored.line(ln.id).quantity for ln in (panels, processors, techs, pm)] == [
        D(450),
        D(2),
        D(6),
        D(9),
    ]
    assert doc.totals == stored.totals  # priced the same as a fresh read
    doc.set_line_fields(kit.id, old)  # its undo: back to one kit
    assert (panels.quantity, processors.quantity, techs.quantity, pm.quantity) == (D(150), D(1), D(2), D(3))
    doc.set_line_fields(processors.id, {"quantity": D(4)})  # typed: the processors are the AM's now
    assert processors.quantity_formula == ""
    doc.set_line_fields(kit.id, {"quantity": D(2)})
    assert (panels.quantity, processors.quantity) == (D(300), D(4))
    doc.set_line_fields(techs.id, doc.parse_line_edit(techs.id, "quantity", "=kit * 3 + 1"))
    assert techs.quantity == D(7)
    with pytest.raises(InputError, match="kit"):  # a line of no kit has no ``kit``
        doc.parse_line_edit(kit.id, "quantity", "=kit * 2")


def test_a_parameter_moving_the_kit_moves_its_components(demo_db: Database, full_booth_id: uuid.UUID) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    section = doc.sections[0]
    kit = doc.add_catalog_line(section.id, _entry(demo_db, make_kit(demo_db)))
    doc.add_parameter("walls", D(2))
    doc.set_line_fields(kit.id, doc.parse_line_edit(kit.id, "quantity", "=walls"))
    panels = section.lines[-4]
    assert (kit.quantity, panels.quantity) == (D(2), D(300))
    walls = next(p for p in doc.parameters if p.name == "walls")
    doc.set_parameter_fields(walls.id, {"value": D(5)})
    assert (kit.quantity, panels.quantity) == (D(5), D(750))
    assert EstimateDocument(demo_db, full_booth_id).line(panels.id).quantity == D(750)
    with pytest.raises(InputError, match="“kit” is a kit's quantity"):
        doc.add_parameter("kit", D(1))


def test_deleting_a_kit_takes_its_components(demo_db: Database, full_booth_id: uuid.UUID) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    section = doc.sections[0]
    kit = doc.add_catalog_line(section.id, _entry(demo_db, make_kit(demo_db)))
    parts = [ln.id for ln in section.lines[-4:]]
    first = section.lines[0].id
    assert with_components(doc.lines(), [first, kit.id]) == [first, kit.id, *parts]
    assert with_components(doc.lines(), [parts[0]]) == [parts[0]]  # a component alone goes alone


def test_a_kit_is_copied_and_deleted_with_its_components_and_a_component_stays_in_use(
    demo_db: Database,
) -> None:
    kit = make_kit(demo_db)
    copy = master_data.duplicate(demo_db, CATALOG_ITEMS, kit)
    assert [r.values["quantity_per_kit"] for r in master_data.load(demo_db, KIT_COMPONENTS, copy)] == [
        D(150),
        D("0.5"),
        D(2),
        D(3),
    ]
    master_data.delete(demo_db, CATALOG_ITEMS, copy)  # its own components do not keep it, and go with it
    assert master_data.load(demo_db, KIT_COMPONENTS, copy) == []
    master_data.restore(demo_db, CATALOG_ITEMS, copy)  # the undo: back with them
    assert len(master_data.load(demo_db, KIT_COMPONENTS, copy)) == 4
    master_data.delete(demo_db, CATALOG_ITEMS, copy)
    with pytest.raises(master_data.InUse, match="1 kit component"):  # the items they take are kept
        master_data.delete(demo_db, CATALOG_ITEMS, _item(demo_db, "LED technician"))
