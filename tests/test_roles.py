"""Roles: hourly and day rates edited one field at a time; day rates price a labour line in unit "day"."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from app.services import master_data
from app.services.estimate.document import EditConflict, EstimateDocument
from app.services.labour import roles
from app.services.labour.roles import ROLES
from app.services.lookups import load_lookups
from app.services.storage.database import Database
from app.services.values import InputError
from tests.factories import estimate_id

D = Decimal

LED_SHOW = "LED technicians (staff), show"  # 2 people × 3 days × 10 h (8 + 2 at OT × 1.5), 45 / 95 an hour
LOAD_IN = "Stagehands, load-in"  # Stagehand: hourly only


@pytest.fixture
def db(demo_db: Database) -> Database:
    return demo_db


@pytest.fixture
def doc(db: Database) -> EstimateDocument:
    return EstimateDocument(db, estimate_id(db, "Full booth"))


def _row(db: Database, name: str) -> master_data.RecordRow:
    return next(r for r in master_data.load(db, ROLES) if r.values["name"] == name)


def _line(doc: EstimateDocument, description: str) -> uuid.UUID:
    return next(line.id for line in doc.lines() if line.description == description)


def _role_id(doc: EstimateDocument, name: str) -> uuid.UUID:
    return next(r.id for r in doc.lookups.roles.values() if r.name == name)


# -- the service ------------------------------------------------------------------------------


def test_demo_roles_and_day_rates(db: Database) -> None:
    led = _row(db, "LED technician")
    assert (led.values["cost_rate"], led.values["bill_rate"]) == (D(45), D(95))
    assert (led.values["day_cost_rate"], led.values["day_bill_rate"]) == (D(400), D(850))
    assert _row(db, "Stagehand").values["day_cost_rate"] is None
    with db.read() as conn:
        info = next(r for r in load_lookups(conn).roles.values() if r.name == "LED technician")
    assert info.has_day_rates and (info.day_cost_rate, info.day_bill_rate) == (D(400), D(850))


def test_save_a_field_with_a_version_check(db: Database) -> None:
    row = _row(db, "Rigger")
    version = row.version
    assert master_data.save_edit(db, ROLES, row, "cost_rate", "$70.50")
    assert row.version == version + 1
    assert _row(db, "Rigger").values["cost_rate"] == D("70.50")
    assert not master_data.save_edit(db, ROLES, row, "cost_rate", "70.5")  # no change, nothing written
    assert master_data.save_edit(db, ROLES, row, "day_bill_rate", "900")
    assert master_data.save_edit(db, ROLES, row, "day_bill_rate", "")  # emptied: hourly only again
    assert _row(db, "Rigger").values["day_bill_rate"] is None
    stale = master_data.RecordRow(row.id, version, dict(row.values))
    with pytest.raises(EditConflict):
        master_data.save_edit(db, ROLES, stale, "bill_rate", "120")
    assert _row(db, "Rigger").values["bill_rate"] == D(105)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("name", "  ", "Name"),
    ("cost_rate", "lots", "Hourly cost rate must be a number"),
    ("bill_rate", "", "Hourly bill rate"),
    ("day_cost_rate", "-5", "Day cost rate"),
    ("colour", "red", "cannot be edited"),
])
def test_bad_input_saves_nothing(db: Database, key: str, value: str, message: str) -> None:
    row = _row(db, "Rigger")
    before = dict(row.values), row.version
    with pytest.raises(InputError, match=message):
        master_data.save_edit(db, ROLES, row, key, value)
    fresh = _row(db, "Rigger")
    assert (fresh.values, fresh.version) == before


def test_bill_below_cost_is_saved_with_a_warning(db: Database) -> None:
    row = _row(db, "Rigger")
    assert roles.rate_warning(row.values) == ""
    master_data.save_edit(db, ROLES, row, "bill_rate", "60")  # cost 65
    assert _row(db, "Rigger").values["bill_rate"] == D(60)
    assert "hourly bill rate is below the hourly cost rate" in roles.rate_warning(row.values)
    master_data.save_edit(db, ROLES, row, "day_cost_rate", "500")
    master_data.save_edit(db, ROLES, row, "day_bill_rate", "450")
    assert "day bill rate is below the day cost rate" in roles.rate_warning(row.values)


def test_add_delete_restore(db: Database) -> None:
    role_id = master_data.add(db, ROLES, "Follow spot operator", {"cost_rate": "48", "bill_rate": "90"})
    assert _row(db, "Follow spot operator").values["bill_rate"] == D(90)
    with pytest.raises(InputError):
        master_data.add(db, ROLES, "")
    master_data.delete(db, ROLES, role_id, _row(db, "Follow spot operator").version)
    assert "Follow spot operator" not in {r.values["name"] for r in master_data.load(db, ROLES)}
    with db.read() as conn:
        assert role_id not in load_lookups(conn).roles
    master_data.restore(db, ROLES, role_id)
    assert _row(db, "Follow spot operator").id == role_id
    with pytest.raises(EditConflict):
        master_data.delete(db, ROLES, role_id, 1)  # stale version
    with pytest.raises(InputError):
        master_data.restore(db, ROLES, uuid.uuid4())


def test_a_role_in_use_is_not_deleted(db: Database) -> None:
    """Changed behaviour: a used role was tombstoned (its lines kept their rates); now it stays."""
    rigger = _row(db, "Rigger")
    with pytest.raises(master_data.InUse) as refused:
        master_data.delete(db, ROLES, rigger.id, rigger.version)
    assert str(refused.value).startswith("The role “Rigger” is in use, so it was not deleted: ")
    assert "estimate line" in str(refused.value)
    assert _row(db, "Rigger") == rigger


# -- day rates on labour lines ------------------------------------------------------------------


def test_full_booth_totals_unchanged(doc: EstimateDocument) -> None:
    assert (doc.totals.cost, doc.totals.total) == (D("55044.00"), D("95580.00"))


def test_unit_day_on_a_role_line_takes_the_day_rates(doc: EstimateDocument) -> None:
    line_id = _line(doc, LED_SHOW)
    before = doc.line(line_id).price
    assert (before.cost, before.price) == (2 * 3 * 11 * 45, 2 * 3 * 11 * 95)  # 2,970 / 6,270
    edit = doc.parse_line_edit(line_id, "unit", "day")
    assert edit == {"unit": "day", "unit_cost": D(400), "unit_price": D(850),
                    "hours": None, "start_time": None, "end_time": None}
    doc.set_line_fields(line_id, edit)
    price = doc.line(line_id).price
    # 2 people × 3 days = 6 person-days, no hourly split
    assert (price.units, price.cost, price.price) == (D(6), D(2400), D(5100))
    assert price.hours is None and price.call is None
    assert doc.totals.cost == D("55044.00") - 2970 + 2400
    assert doc.totals.total == D("95580.00") - 6270 + 5100


def test_picking_a_role_on_a_day_line(doc: EstimateDocument) -> None:
    line_id = _line(doc, LOAD_IN)
    stagehand = doc.line(line_id).role_id
    doc.set_line_fields(line_id, {"unit": "day"})  # Stagehand has no day rates: still hourly
    assert doc.line(line_id).hours is not None
    led = _role_id(doc, "LED technician")
    edit = doc.parse_line_edit(line_id, "role_id", str(led))
    assert edit["unit_cost"] == D(400) and edit["unit_price"] == D(850) and edit["hours"] is None
    doc.set_line_fields(line_id, edit)
    line = doc.line(line_id)
    units = line.quantity * line.days
    assert (line.price.units, line.price.cost, line.price.price) == (units, units * 400, units * 850)
    # back to an hourly-only role on a day line: the hourly rates (still priced per unit)
    edit = doc.parse_line_edit(line_id, "role_id", str(stagehand))
    assert (edit["unit_cost"], edit["unit_price"]) == (D(55), D(85))
    assert "hours" not in edit


def test_hourly_unit_keeps_hourly_rates(doc: EstimateDocument) -> None:
    line_id = _line(doc, LED_SHOW)
    led = _role_id(doc, "LED technician")
    rigger = _role_id(doc, "Rigger")
    doc.set_line_fields(line_id, doc.parse_line_edit(line_id, "role_id", str(rigger)))
    edit = doc.parse_line_edit(line_id, "role_id", str(led))
    assert edit == {"role_id": led, "unit_cost": D(45), "unit_price": D(95)}
