"""Stock items and sub-rental rates edited as master data (app/services/equipment/items.py)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from app.models.enums import LineKind
from app.services import master_data
from app.services.catalog.categories import CATEGORIES
from app.services.catalog.items import CATALOG_ITEMS
from app.services.catalog.suppliers import SUPPLIERS
from app.services.equipment.availability import load_stock
from app.services.equipment.items import EQUIPMENT_ITEMS, SUBRENTAL_RATES
from app.services.equipment.rates import load_rates
from app.services.storage.database import Database
from app.services.values import InputError


def _catalog_item(db: Database, name: str, kind: LineKind = LineKind.EQUIPMENT) -> uuid.UUID:
    return master_data.add(db, CATALOG_ITEMS, name, {"kind": kind.value, "unit": "ea", "unit_cost": "10"})


@pytest.fixture
def panels(any_db: Database) -> tuple[Database, uuid.UUID, uuid.UUID]:
    """A 500 mm LED panel sold by the catalog, stocked 400 in the category Video."""
    master_data.add(any_db, CATEGORIES, "Video")
    catalog_id = _catalog_item(any_db, "500 mm LED panel")
    master_data.save_edit(
        any_db, CATALOG_ITEMS, master_data.load_one(any_db, CATALOG_ITEMS, catalog_id), "category", "Video"
    )
    item_id = master_data.add(
        any_db,
        EQUIPMENT_ITEMS,
        "500 mm LED panel",
        {
            "category": "Video",
            "catalog_item_id": catalog_id,
            "owned_quantity": "400",
            "out_of_service_quantity": "8",
            "out_of_service_from": "2027-03-01",
            "out_of_service_until": "2027-03-20",
            "day_cost": "4.50",
            "replacement_value": "1,200",
            "list_price": "35",
            "weight_kg": "7.8",
            "prep_days": "1",
            "return_days": "2",
        },
    )
    return any_db, catalog_id, item_id


def _item(db: Database, item_id: uuid.UUID) -> master_data.RecordRow:
    return master_data.load_one(db, EQUIPMENT_ITEMS, item_id)


def test_a_stock_item_is_stored_as_typed_and_availability_reads_it(panels: tuple) -> None:
    db, catalog_id, item_id = panels
    row = _item(db, item_id)
    assert row.values["owned_quantity"] == Decimal(400)
    assert row.values["out_of_service_from"] == date(2027, 3, 1)
    assert row.values["replacement_value"] == Decimal(1200)
    assert row.values["weight_kg"] == Decimal("7.8")
    assert (row.values["prep_days"], row.values["return_days"]) == (1, 2)
    with db.read() as conn:
        stock = load_stock(conn)
    (found,) = stock.values()
    assert found.catalog_item_id == catalog_id
    assert (found.owned, found.out_of_service, found.day_cost) == (Decimal(400), Decimal(8), Decimal("4.50"))
    cells = {f.key: f.format(row.values[f.key]) for f in EQUIPMENT_ITEMS.fields}
    assert cells["owned_quantity"] == "400"
    assert cells["out_of_service_from"] == "1 Mar 2027"
    assert cells["replacement_value"] == "1,200.00"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("owned_quantity", "-1", None),
        ("owned_quantity", "lots", None),
        ("owned_quantity", "7", "Out of service (8) cannot be more than owned (7)."),
        ("out_of_service_quantity", "401", "Out of service (401) cannot be more than owned (400)."),
        (
            "out_of_service_until",
            "2027-02-28",
            "The out-of-service period cannot end (28 Feb 2027) before it starts (1 Mar 2027).",
        ),
        ("prep_days", "-1", None),
        ("return_days", "1.5", None),
        (
            "category",
            "Audio",
            "There is no catalog category “Audio”: add it under Edit › Catalog categories….",
        ),
        ("name", " ", "Name cannot be empty."),
    ],
)
def test_bad_input_is_refused_with_one_line_and_changes_nothing(
    panels: tuple, key: str, value: str, message: str | None
) -> None:
    db, _catalog_id, item_id = panels
    before = _item(db, item_id)
    with pytest.raises(InputError) as refused:
        master_data.save_edit(db, EQUIPMENT_ITEMS, _item(db, item_id), key, value)
    if message:
        assert str(refused.value) == message
    assert "\n" not in str(refused.value)
    assert _item(db, item_id) == before


def test_a_catalog_item_sells_at_most_one_stock_item(panels: tuple) -> None:
    db, catalog_id, item_id = panels
    with pytest.raises(InputError) as refused:
        master_data.add(db, EQUIPMENT_ITEMS, "Spare panels", {"catalog_item_id": str(catalog_id)})
    assert str(refused.value) == (
        "The catalog item “500 mm LED panel” already sells the stock item “500 mm LED panel”: "
        "a catalog item is linked to one stock item."
    )
    assert [r.id for r in master_data.load(db, EQUIPMENT_ITEMS)] == [item_id]
    spare = master_data.add(db, EQUIPMENT_ITEMS, "Spare panels")
    with pytest.raises(InputError, match="already sells"):
        master_data.save_edit(db, EQUIPMENT_ITEMS, _item(db, spare), "catalog_item_id", catalog_id)
    assert _item(db, spare).values["catalog_item_id"] is None
    # A copy starts unlinked (else it would be refused); the rest comes along.
    copy = _item(db, master_data.duplicate(db, EQUIPMENT_ITEMS, item_id))
    assert copy.values["name"] == "500 mm LED panel (copy)"
    assert copy.values["catalog_item_id"] is None
    assert copy.values["owned_quantity"] == Decimal(400)
    # The undo of a delete that would link a second one is refused too.
    master_data.delete(db, EQUIPMENT_ITEMS, item_id)
    master_data.save_edit(db, EQUIPMENT_ITEMS, _item(db, spare), "catalog_item_id", catalog_id)
    with pytest.raises(InputError, match="already sells the stock item “Spare panels”"):
        master_data.restore(db, EQUIPMENT_ITEMS, item_id)


def test_only_an_equipment_catalog_item_sells_stock(panels: tuple) -> None:
    db, _catalog_id, item_id = panels
    fee = _catalog_item(db, "Delivery", LineKind.FEE)
    with pytest.raises(InputError) as refused:
        master_data.save_edit(db, EQUIPMENT_ITEMS, _item(db, item_id), "catalog_item_id", fee)
    assert str(refused.value) == (
        "The catalog item “Delivery” is fee, not equipment: stock is sold by an equipment item."
    )
    choices = EQUIPMENT_ITEMS.field_by_key["catalog_item_id"].choices(db)  # type: ignore[misc]
    assert [label for _id, label in choices] == ["", "500 mm LED panel"]


def test_what_stock_and_rates_use_is_not_deleted_and_a_category_rename_carries_stock(panels: tuple) -> None:
    db, catalog_id, item_id = panels
    supplier = master_data.add(db, SUPPLIERS, "Brightline Staging")
    rate = master_data.add(db, SUBRENTAL_RATES, str(item_id), {"day_cost": "6.25"})
    assert master_data.load_one(db, SUBRENTAL_RATES, rate).values["supplier_id"] == supplier
    with pytest.raises(master_data.InUse, match=r"1 stock item \(500 mm LED panel\)"):
        master_data.delete(db, CATALOG_ITEMS, catalog_id)
    with pytest.raises(master_data.InUse, match="1 sub-rental rate"):
        master_data.delete(db, SUPPLIERS, supplier)
    with pytest.raises(master_data.InUse, match="1 sub-rental rate"):
        master_data.delete(db, EQUIPMENT_ITEMS, item_id)
    video = next(r for r in master_data.load(db, CATEGORIES) if r.values["name"] == "Video")
    with pytest.raises(master_data.InUse, match=r"1 stock item \(500 mm LED panel\)"):
        master_data.delete(db, CATEGORIES, video.id)
    master_data.save_edit(db, CATEGORIES, video, "name", "LED video")
    assert _item(db, item_id).values["category"] == "LED video"
    # Once the rate goes, the item can go; then the catalog item and the supplier.
    master_data.delete(db, SUBRENTAL_RATES, rate)
    master_data.delete(db, EQUIPMENT_ITEMS, item_id)
    master_data.delete(db, CATALOG_ITEMS, catalog_id)
    master_data.delete(db, SUPPLIERS, supplier)


def test_a_rate_needs_a_supplier_and_reads_cheapest_first(panels: tuple) -> None:
    db, _catalog_id, item_id = panels
    with pytest.raises(InputError) as refused:
        master_data.add(db, SUBRENTAL_RATES, str(item_id))
    assert str(refused.value) == (
        "A sub-rental rate needs a supplier: add one under Edit › Suppliers… first."
    )
    brightline = master_data.add(db, SUPPLIERS, "Brightline Staging")
    apex = master_data.add(db, SUPPLIERS, "Apex Video")
    first = master_data.add(db, SUBRENTAL_RATES, str(item_id), {"day_cost": "7"})
    assert master_data.load_one(db, SUBRENTAL_RATES, first).values["supplier_id"] == apex  # A→Z
    second = master_data.add(db, SUBRENTAL_RATES, str(item_id), {"supplier_id": str(brightline)})
    master_data.save_edit(
        db, SUBRENTAL_RATES, master_data.load_one(db, SUBRENTAL_RATES, second), "day_cost", "6.25"
    )
    with pytest.raises(InputError, match="Day cost"):
        master_data.save_edit(
            db, SUBRENTAL_RATES, master_data.load_one(db, SUBRENTAL_RATES, second), "day_cost", "-1"
        )
    with pytest.raises(InputError, match="Pick the supplier"):
        master_data.save_edit(
            db, SUBRENTAL_RATES, master_data.load_one(db, SUBRENTAL_RATES, second), "supplier_id", ""
        )
    with db.read() as conn:
        rates = load_rates(conn)[item_id]
    assert [(r.supplier_name, r.day_cost) for r in rates] == [
        ("Brightline Staging", Decimal("6.25")),
        ("Apex Video", Decimal(7)),
    ]
    # A duplicate keeps its item (a rate is named by it, not renamed "(copy)").
    copy = master_data.duplicate(db, SUBRENTAL_RATES, second)
    assert master_data.load_one(db, SUBRENTAL_RATES, copy).values["equipment_item_id"] == item_id
