"""The one pattern of every master-data table (app/services/master_data.py), on suppliers and roles."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.models import LineItem, Supplier
from app.services import master_data
from app.services.catalog.suppliers import SUPPLIERS
from app.services.storage.database import Database
from app.services.storage.versioned import EditConflict
from app.services.values import InputError

SUPPLIER_T = Supplier.__table__  # type: ignore[attr-defined]


def _row(db: Database, name: str) -> master_data.RecordRow:
    return next(r for r in master_data.load(db, SUPPLIERS) if r.values["name"] == name)


def test_add_edit_and_load_a_supplier(any_db: Database) -> None:
    supplier_id = master_data.add(any_db, SUPPLIERS, "  Brightline Staging ", {"lead_time_days": "7"})
    row = master_data.load_one(any_db, SUPPLIERS, supplier_id)
    assert row.values["name"] == "Brightline Staging"
    assert row.values["lead_time_days"] == 7
    assert row.values["payment_terms"] == ""
    assert master_data.save_edit(any_db, SUPPLIERS, row, "payment_terms", "Net 30") is True
    assert master_data.save_edit(any_db, SUPPLIERS, row, "payment_terms", "Net 30") is False
    assert master_data.load_one(any_db, SUPPLIERS, supplier_id).values["payment_terms"] == "Net 30"
    assert master_data.load_one(any_db, SUPPLIERS, supplier_id).version == 2


@pytest.mark.parametrize(("key", "value", "message"), [
    ("name", "   ", "Name cannot be empty."),
    ("email", "dana at skypoint", "“dana at skypoint” is not an email address (name@example.com)."),
    ("lead_time_days", "-2", None),
    ("lead_time_days", "lots", None),
])
def test_bad_input_is_refused_and_changes_nothing(empty_db: Database, key: str, value: str,
                                                  message: str | None) -> None:
    supplier_id = master_data.add(empty_db, SUPPLIERS, "SkyPoint Rigging")
    row = master_data.load_one(empty_db, SUPPLIERS, supplier_id)
    with pytest.raises(InputError) as refused:
        master_data.save_edit(empty_db, SUPPLIERS, row, key, value)
    if message:
        assert str(refused.value) == message
    assert master_data.load_one(empty_db, SUPPLIERS, supplier_id) == row


def test_names_are_unique_among_live_rows(empty_db: Database) -> None:
    master_data.add(empty_db, SUPPLIERS, "SkyPoint Rigging")
    with pytest.raises(InputError, match=r"There is already a supplier named “skypoint rigging”\."):
        master_data.add(empty_db, SUPPLIERS, "skypoint rigging")
    other = master_data.add(empty_db, SUPPLIERS, "Other")
    with pytest.raises(InputError, match="already a supplier"):
        master_data.save_edit(empty_db, SUPPLIERS, master_data.load_one(empty_db, SUPPLIERS, other),
                              "name", "SKYPOINT RIGGING")
    master_data.delete(empty_db, SUPPLIERS, _row(empty_db, "SkyPoint Rigging").id)
    master_data.add(empty_db, SUPPLIERS, "SkyPoint Rigging")  # a deleted name is free again


def test_two_editors_of_one_row_conflict_and_nothing_is_lost(any_db: Database) -> None:
    supplier_id = master_data.add(any_db, SUPPLIERS, "SkyPoint Rigging")
    mine = master_data.load_one(any_db, SUPPLIERS, supplier_id)
    theirs = master_data.load_one(any_db, SUPPLIERS, supplier_id)
    master_data.save_edit(any_db, SUPPLIERS, theirs, "phone", "+1 702 555 0142")
    with pytest.raises(EditConflict) as conflict:
        master_data.save_edit(any_db, SUPPLIERS, mine, "phone", "+1 702 555 9999")
    assert conflict.value.mine == {"phone": "+1 702 555 9999"}
    assert conflict.value.theirs == {"phone": "+1 702 555 0142"}
    assert master_data.load_one(any_db, SUPPLIERS, supplier_id).values["phone"] == "+1 702 555 0142"


def test_a_supplier_in_use_is_not_deleted_and_the_message_says_where(demo_db: Database) -> None:
    row = _row(demo_db, "SkyPoint Rigging")
    with pytest.raises(master_data.InUse) as refused:
        master_data.delete(demo_db, SUPPLIERS, row.id, row.version)
    assert str(refused.value) == (
        "The supplier “SkyPoint Rigging” is in use, so it was not deleted: 1 catalog item (Motor point "
        "(1 t chain hoist)); 1 supplier quote (SP-2291); 2 estimate lines (Vantage @ MedTech Expo › Full "
        "booth, Vantage @ MedTech Expo › Half booth).")
    assert master_data.load_one(demo_db, SUPPLIERS, row.id) == row
    with demo_db.read() as conn:
        lines = conn.execute(select(LineItem.__table__.c.id).where(  # type: ignore[attr-defined]
            LineItem.__table__.c.supplier_id == row.id)).all()  # type: ignore[attr-defined]
    assert lines  # the test is about a supplier that is really used


def test_delete_then_restore_and_duplicate(empty_db: Database) -> None:
    supplier_id = master_data.add(empty_db, SUPPLIERS, "Brightline", {"supplies": "Staging, carpet"})
    copy_id = master_data.duplicate(empty_db, SUPPLIERS, supplier_id)
    copy = master_data.load_one(empty_db, SUPPLIERS, copy_id)
    assert (copy.values["name"], copy.values["supplies"]) == ("Brightline (copy)", "Staging, carpet")
    second = master_data.duplicate(empty_db, SUPPLIERS, supplier_id)
    assert master_data.load_one(empty_db, SUPPLIERS, second).values["name"] == "Brightline (copy 2)"
    master_data.delete(empty_db, SUPPLIERS, supplier_id)
    assert supplier_id not in {r.id for r in master_data.load(empty_db, SUPPLIERS)}
    master_data.restore(empty_db, SUPPLIERS, supplier_id)
    assert master_data.load_one(empty_db, SUPPLIERS, supplier_id).values["supplies"] == "Staging, carpet"
    with pytest.raises(InputError, match=r"That supplier no longer exists\."):
        master_data.delete(empty_db, SUPPLIERS, uuid.uuid4())


def test_search_finds_every_word_in_some_field(empty_db: Database) -> None:
    master_data.add(empty_db, SUPPLIERS, "SkyPoint Rigging", {"supplies": "Motors, truss"})
    row = master_data.load(empty_db, SUPPLIERS)[0]
    assert master_data.matches(SUPPLIERS, row, "truss sky")
    assert not master_data.matches(SUPPLIERS, row, "truss carpet")
    assert master_data.format_value(Decimal("12.50")) == "12.50"
