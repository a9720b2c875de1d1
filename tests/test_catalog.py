"""Catalog items, catalog categories and labour rule sets as master data, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from app.models import CatalogItem, Company, LineItem
from app.services import master_data
from app.services.catalog.categories import CATEGORIES
from app.services.catalog.items import CATALOG_ITEMS
from app.services.labour.roles import ROLES
from app.services.labour.rules import RULE_SETS
from app.services.lookups import load_catalog
from app.services.storage.database import Database
from app.services.values import InputError

ITEM_T = CatalogItem.__table__  # type: ignore[attr-defined]
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
COMPANY_T = Company.__table__  # type: ignore[attr-defined]


def _row(db: Database, kind: master_data.RecordKind, name: str) -> master_data.RecordRow:
    return next(r for r in master_data.load(db, kind) if r.values["name"] == name)


def test_a_new_item_takes_the_company_default_markup(any_demo_db: Database) -> None:
    with any_demo_db.write() as conn:
        conn.execute(update(COMPANY_T).values(default_markup_pct=Decimal("32.5")))
    item_id = master_data.add(any_demo_db, CATALOG_ITEMS, "Haze machine")
    item = master_data.load_one(any_demo_db, CATALOG_ITEMS, item_id)
    assert (item.values["price_basis"], item.values["markup_pct"]) == ("markup", Decimal("32.5"))
    assert (item.values["kind"], item.values["unit"], item.values["unit_cost"]) == ("equipment", "ea", 0)
    video = _row(any_demo_db, CATEGORIES, "Video")
    assert master_data.save_edit(any_demo_db, CATALOG_ITEMS, item, "category", "Video")
    assert master_data.save_edit(any_demo_db, CATALOG_ITEMS, item, "kind", "Sub-rental")  # its label
    assert master_data.save_edit(any_demo_db, CATALOG_ITEMS, item, "unit_cost", "$1,250.50")
    stored = master_data.load_one(any_demo_db, CATALOG_ITEMS, item_id).values
    assert (stored["category"], stored["kind"]) == ("Video", "subrental")
    assert stored["unit_cost"] == Decimal("1250.50")
    assert video.values["position"] >= 1


def test_an_empty_database_gives_a_new_item_no_markup(any_db: Database) -> None:
    item = master_data.load_one(any_db, CATALOG_ITEMS, master_data.add(any_db, CATALOG_ITEMS, "Drape"))
    assert (item.values["price_basis"], item.values["markup_pct"]) == ("markup", Decimal(0))


@pytest.mark.parametrize(("key", "value", "message"), [
    ("kind", "widget", "Kind must be one of: Equipment, Labour,"),
    ("kind", "labour", "A labour item needs a role: pick its role first."),
    ("price_basis", "List price", "The price basis List price needs its figure: type the list price first."),
    ("markup_pct", "", "The price basis Markup needs its figure"),
    ("unit_cost", "-5", "Unit cost"),
    ("unit", " ", "Unit cannot be empty."),
    ("category", "Pyrotechnics", "There is no catalog category “Pyrotechnics”"),
    ("supplier_id", "SkyPoint", "Default supplier is not a known choice."),
    ("supplier_id", "e9adcc3f-3252-42e6-8a7b-d382a2a0a38e", "That supplier no longer exists."),
])
def test_bad_item_input_is_refused_and_changes_nothing(any_demo_db: Database, key: str, value: str,
                                                       message: str) -> None:
    before = _row(any_demo_db, CATALOG_ITEMS, "Line array element")  # a sub-rental at 35 % markup
    with pytest.raises(InputError) as refused:
        master_data.save_edit(any_demo_db, CATALOG_ITEMS, before, key, value)
    assert str(refused.value).startswith(message)
    assert _row(any_demo_db, CATALOG_ITEMS, "Line array element") == before


def test_a_labour_item_takes_a_role_first(any_demo_db: Database) -> None:
    item = _row(any_demo_db, CATALOG_ITEMS, "Wireless handheld microphone")
    rigger = _row(any_demo_db, ROLES, "Rigger")
    assert master_data.save_edit(any_demo_db, CATALOG_ITEMS, item, "role_id", str(rigger.id))
    assert master_data.save_edit(any_demo_db, CATALOG_ITEMS, item, "kind", "labour")
    with pytest.raises(InputError, match="A labour item needs a role"):
        master_data.save_edit(any_demo_db, CATALOG_ITEMS, item, "role_id", "")
    with pytest.raises(InputError, match="A labour item needs a role"):
        master_data.add(any_demo_db, CATALOG_ITEMS, "Follow spot op", {"kind": "labour"})


def test_an_item_on_estimate_lines_is_not_deleted(any_demo_db: Database) -> None:
    item = _row(any_demo_db, CATALOG_ITEMS, "Motor point (1 t chain hoist)")
    with pytest.raises(master_data.InUse) as refused:
        master_data.delete(any_demo_db, CATALOG_ITEMS, item.id, item.version)
    assert str(refused.value).startswith(
        "The catalog item “Motor point (1 t chain hoist)” is in use, so it was not deleted: ")
    assert "Vantage @ MedTech Expo › Full booth" in str(refused.value)
    assert _row(any_demo_db, CATALOG_ITEMS, "Motor point (1 t chain hoist)") == item


def test_renaming_a_category_carries_its_items_along(any_demo_db: Database) -> None:
    video = _row(any_demo_db, CATEGORIES, "Video")
    with any_demo_db.read() as conn:
        in_video = {e.name for e in load_catalog(conn) if e.category == "Video"}
    assert len(in_video) == 3
    assert master_data.save_edit(any_demo_db, CATEGORIES, video, "name", "LED video")
    with any_demo_db.read() as conn:
        assert {e.name for e in load_catalog(conn) if e.category == "LED video"} == in_video
        assert not any(e.category == "Video" for e in load_catalog(conn))
    with pytest.raises(master_data.InUse) as refused:
        master_data.delete(any_demo_db, CATEGORIES, video.id, video.version)
    assert str(refused.value).startswith("The catalog category “LED video” is in use, so it was not deleted: "
                                         "3 catalog items (")
    empty = master_data.add(any_demo_db, CATEGORIES, "Scenic")
    assert master_data.load_one(any_demo_db, CATEGORIES, empty).values["position"] == 9  # after the demo's 8
    master_data.delete(any_demo_db, CATEGORIES, empty)  # unused: gone
    with pytest.raises(InputError, match="already a catalog category"):
        master_data.add(any_demo_db, CATEGORIES, "audio")


def test_a_rule_set_duplicates_with_its_holidays(any_demo_db: Database) -> None:
    local = _row(any_demo_db, RULE_SETS, "Local 16 stagehands")
    assert local.values["holidays"] == [date(2027, 5, 31), date(2027, 7, 5), date(2027, 9, 6)]
    copy_id = master_data.duplicate(any_demo_db, RULE_SETS, local.id)
    copy = master_data.load_one(any_demo_db, RULE_SETS, copy_id)
    assert copy.values == {**local.values, "name": "Local 16 stagehands (copy)"}
    # The copy's holidays are its own: editing them leaves the original's alone.
    assert master_data.save_edit(any_demo_db, RULE_SETS, copy, "holidays", "2027-12-24, 2027-12-25")
    assert _row(any_demo_db, RULE_SETS, "Local 16 stagehands").values["holidays"] == local.values["holidays"]
    assert master_data.load_one(any_demo_db, RULE_SETS, copy_id).values["holidays"] == [
        date(2027, 12, 24), date(2027, 12, 25)]
    master_data.delete(any_demo_db, RULE_SETS, copy_id)  # nobody uses the copy
    names = {r.values["name"] for r in master_data.load(any_demo_db, RULE_SETS)}
    assert "Local 16 stagehands (copy)" not in names


def test_a_rule_set_a_project_uses_is_not_deleted(any_demo_db: Database) -> None:
    lvcc = _row(any_demo_db, RULE_SETS, "LVCC stagehands")
    with pytest.raises(master_data.InUse) as refused:
        master_data.delete(any_demo_db, RULE_SETS, lvcc.id, lvcc.version)
    assert str(refused.value).startswith(
        "The labour rule set “LVCC stagehands” is in use, so it was not deleted: ")
    assert "1 project (Vantage @ MedTech Expo)" in str(refused.value)
    assert _row(any_demo_db, RULE_SETS, "LVCC stagehands") == lvcc


def test_a_new_rule_set_is_valid_and_its_bad_input_is_refused(any_db: Database) -> None:
    rules_id = master_data.add(any_db, RULE_SETS, "IATSE Local 720", {"min_call_hours": "4",
                                                                     "overtime_after_hours": "8"})
    row = master_data.load_one(any_db, RULE_SETS, rules_id)
    assert (row.values["min_call_hours"], row.values["overtime_after_hours"]) == (4, 8)
    assert row.values["overtime_multiplier"] == Decimal("1.5") and row.values["holidays"] == []
    with pytest.raises(InputError, match="Overtime multiplier must be at least 1"):
        master_data.save_edit(any_db, RULE_SETS, row, "overtime_multiplier", "0.5")
    assert master_data.load_one(any_db, RULE_SETS, rules_id) == row
    with any_db.read() as conn:  # nothing of the refused edit was written
        assert conn.execute(select(LINE_T.c.id)).first() is None
