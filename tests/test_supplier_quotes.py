"""Suppliers' quotes, their items and quantity breaks as master data (app/services/supply/quotes.py)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from app.models import metadata
from app.models.types import utcnow
from app.services import master_data
from app.services.catalog.suppliers import SUPPLIERS
from app.services.lookups import load_lookups
from app.services.storage.database import Database
from app.services.storage.versioned import EditConflict
from app.services.supply.quote_items import load_quote_items
from app.services.supply.quotes import SUPPLIER_QUOTE_BREAKS, SUPPLIER_QUOTE_ITEMS, SUPPLIER_QUOTES
from app.services.values import InputError
from tests.factories import make_estimate

LINE_T = metadata.tables["lineitem"]
CANDIDATE_T = metadata.tables["linequotecandidate"]


@dataclass
class Quoted:
    db: Database
    supplier: uuid.UUID
    quote: uuid.UUID
    motors: uuid.UUID
    ten_up: uuid.UUID


@pytest.fixture
def quoted(any_db: Database) -> Quoted:
    """SkyPoint Rigging's quote SP-2041: 1-ton motors at 150.00, 140.00 from 10 on."""
    supplier = master_data.add(any_db, SUPPLIERS, "SkyPoint Rigging", {"lead_time_days": "5"})
    quote = master_data.add(
        any_db,
        SUPPLIER_QUOTES,
        "SP-2041",
        {
            "supplier_id": str(supplier),
            "quote_date": "2027-01-12",
            "valid_until": "2027-02-11",
            "transit_days": "2",
            "file_path": "//share/quotes/SP-2041.pdf",
        },
    )
    motors = master_data.add(
        any_db, SUPPLIER_QUOTE_ITEMS, "1-ton chain motor", {"unit_cost": "150.00"}, owner=quote
    )
    ten_up = master_data.add(any_db, SUPPLIER_QUOTE_BREAKS, "10", {"unit_cost": "140"}, owner=motors)
    return Quoted(any_db, supplier, quote, motors, ten_up)


def _quote(q: Quoted) -> master_data.RecordRow:
    return master_data.load_one(q.db, SUPPLIER_QUOTES, q.quote)


def test_a_quote_is_stored_as_typed_and_read_by_the_estimate(quoted: Quoted) -> None:
    row = _quote(quoted)
    assert row.values == {
        "supplier_id": quoted.supplier,
        "number": "SP-2041",
        "quote_date": date(2027, 1, 12),
        "valid_until": date(2027, 2, 11),
        "lead_time_days": None,
        "transit_days": 2,
        "notes": "",
        "file_path": "//share/quotes/SP-2041.pdf",
    }
    with quoted.db.read() as conn:
        item = load_quote_items(conn)[quoted.motors]
    assert (item.description, item.unit, item.unit_cost) == ("1-ton chain motor", "ea", Decimal("150.00"))
    assert (item.unit_cost_at(Decimal(9)), item.unit_cost_at(Decimal(10))) == (Decimal(150), Decimal(140))
    assert item.quote.timing.lead_days == 5  # empty lead time: the supplier's
    assert master_data.save_edit(quoted.db, SUPPLIER_QUOTES, row, "lead_time_days", "12")
    with quoted.db.read() as conn:
        assert load_quote_items(conn)[quoted.motors].quote.timing.lead_days == 12


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("number", "  ", "Number cannot be empty."),
        (
            "valid_until",
            "2027-01-11",
            "Valid until (11 Jan 2027) cannot be before the quote's date (12 Jan 2027).",
        ),
        (
            "quote_date",
            "2027-02-12",
            "Valid until (11 Feb 2027) cannot be before the quote's date (12 Feb 2027).",
        ),
        ("lead_time_days", "366", "Lead time must be at most 365."),
        ("lead_time_days", "-1", "Lead time cannot be negative."),
        ("transit_days", "2.5", "Transit can have at most 0 decimal places."),
        ("supplier_id", "", "Pick the supplier."),
    ],
)
def test_a_bad_value_changes_nothing_and_says_why(quoted: Quoted, key: str, typed: str, message: str) -> None:
    row = _quote(quoted)
    with pytest.raises(InputError) as refused:
        master_data.save_edit(quoted.db, SUPPLIER_QUOTES, row, key, typed)
    assert str(refused.value) == message
    assert _quote(quoted).values == row.values and _quote(quoted).version == row.version


def test_empty_lead_and_transit_mean_the_suppliers_and_none(quoted: Quoted) -> None:
    row = _quote(quoted)
    master_data.save_edit(quoted.db, SUPPLIER_QUOTES, row, "lead_time_days", "7")
    master_data.save_edit(quoted.db, SUPPLIER_QUOTES, row, "lead_time_days", "")
    master_data.save_edit(quoted.db, SUPPLIER_QUOTES, row, "transit_days", "")
    assert (_quote(quoted).values["lead_time_days"], _quote(quoted).values["transit_days"]) == (None, 0)


def test_a_suppliers_quote_numbers_differ_but_another_supplier_may_reuse_one(quoted: Quoted) -> None:
    with pytest.raises(InputError, match=r"^SkyPoint Rigging already has a quote numbered “sp-2041”\.$"):
        master_data.add(quoted.db, SUPPLIER_QUOTES, "sp-2041", {"supplier_id": str(quoted.supplier)})
    other = master_data.add(quoted.db, SUPPLIERS, "Apex Rigging")
    master_data.add(quoted.db, SUPPLIER_QUOTES, "SP-2041", {"supplier_id": str(other)})
    assert len(master_data.load(quoted.db, SUPPLIER_QUOTES)) == 2


def test_items_and_breaks_are_checked(quoted: Quoted) -> None:
    item = master_data.load_one(quoted.db, SUPPLIER_QUOTE_ITEMS, quoted.motors)
    for key, typed, message in [
        ("description", "", "Description cannot be empty."),
        ("unit_cost", "-1", "Unit cost cannot be negative."),
        ("unit", "", "Unit cannot be empty."),
    ]:
        with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
            master_data.save_edit(quoted.db, SUPPLIER_QUOTE_ITEMS, item, key, typed)
    with pytest.raises(
        InputError, match=r"^From quantity must be more than 0 \(10: the cost from 10 units on\)\.$"
    ):
        master_data.add(quoted.db, SUPPLIER_QUOTE_BREAKS, "0", owner=quoted.motors)
    with pytest.raises(InputError, match=r"^This item already has a break from 10 units\.$"):
        master_data.add(quoted.db, SUPPLIER_QUOTE_BREAKS, "10.00", {"unit_cost": "130"}, owner=quoted.motors)
    master_data.add(quoted.db, SUPPLIER_QUOTE_BREAKS, "20", {"unit_cost": "130"}, owner=quoted.motors)
    breaks = master_data.load(quoted.db, SUPPLIER_QUOTE_BREAKS, quoted.motors)
    assert [(b.values["min_quantity"], b.values["unit_cost"]) for b in breaks] == [(10, 140), (20, 130)]
    with quoted.db.read() as conn:
        assert load_quote_items(conn)[quoted.motors].unit_cost_at(Decimal(25)) == Decimal(130)


def _line_follows(q: Quoted, *, candidate: bool) -> uuid.UUID:
    """The first line of a new estimate follows SP-2041's motors, or keeps them as a candidate."""
    make_estimate(q.db, lines=2, sections=1, name="Motors estimate")
    with q.db.write() as conn:
        line = conn.execute(select(LINE_T.c.id).order_by(LINE_T.c.position).limit(1)).scalar_one()
        if candidate:
            now = utcnow()
            conn.execute(
                CANDIDATE_T.insert().values(
                    id=uuid.uuid4(),
                    created_at=now,
                    updated_at=now,
                    version=1,
                    deleted_at=None,
                    line_item_id=line,
                    supplier_quote_item_id=q.motors,
                    position=0,
                    notes="",
                )
            )
        else:
            conn.execute(update(LINE_T).where(LINE_T.c.id == line).values(supplier_quote_item_id=q.motors))
    return line


@pytest.mark.parametrize(
    ("candidate", "what"), [(False, "1 estimate line"), (True, "1 line's candidate quote")]
)
def test_a_quote_item_a_line_uses_is_not_deleted_nor_its_quote(
    quoted: Quoted, candidate: bool, what: str
) -> None:
    line = _line_follows(quoted, candidate=candidate)
    place = "(Motors estimate project › Motors estimate)"
    with pytest.raises(InputError) as refused:
        master_data.delete(quoted.db, SUPPLIER_QUOTE_ITEMS, quoted.motors)
    assert str(refused.value) == (
        f"The quote item “1-ton chain motor” is in use, so it was not deleted: {what} {place}."
    )
    with pytest.raises(InputError) as refused:
        master_data.delete(quoted.db, SUPPLIER_QUOTES, quoted.quote)
    assert (
        str(refused.value)
        == f"The supplier quote “SP-2041” is in use, so it was not deleted: {what} {place}."
    )
    with pytest.raises(InputError) as refused:
        master_data.delete(quoted.db, SUPPLIERS, quoted.supplier)
    assert str(refused.value) == (
        "The supplier “SkyPoint Rigging” is in use, so it was not deleted: 1 supplier quote (SP-2041)."
    )
    assert _quote(quoted).values["number"] == "SP-2041"
    with quoted.db.write() as conn:  # the line deleted: nothing keeps the item
        conn.execute(update(LINE_T).where(LINE_T.c.id == line).values(deleted_at=utcnow()))
    master_data.delete(quoted.db, SUPPLIER_QUOTE_ITEMS, quoted.motors)


def test_a_quote_copies_deletes_and_restores_with_its_items_and_breaks(quoted: Quoted) -> None:
    copy = master_data.duplicate(quoted.db, SUPPLIER_QUOTES, quoted.quote)
    assert master_data.load_one(quoted.db, SUPPLIER_QUOTES, copy).values["number"] == "SP-2041 (copy)"
    (item,) = master_data.load(quoted.db, SUPPLIER_QUOTE_ITEMS, copy)
    assert item.id != quoted.motors and item.values["unit_cost"] == 150
    (ten_up,) = master_data.load(quoted.db, SUPPLIER_QUOTE_BREAKS, item.id)
    assert ten_up.id != quoted.ten_up and (ten_up.values["min_quantity"], ten_up.values["unit_cost"]) == (
        10,
        140,
    )

    master_data.delete(quoted.db, SUPPLIER_QUOTES, quoted.quote)
    assert master_data.load(quoted.db, SUPPLIER_QUOTE_BREAKS, quoted.motors) == []
    with quoted.db.read() as conn:
        assert set(load_quote_items(conn)) == {item.id}
    master_data.restore(quoted.db, SUPPLIER_QUOTES, quoted.quote)
    assert [b.id for b in master_data.load(quoted.db, SUPPLIER_QUOTE_BREAKS, quoted.motors)] == [
        quoted.ten_up
    ]
    with quoted.db.read() as conn:
        assert load_quote_items(conn)[quoted.motors].unit_cost_at(Decimal(10)) == 140


def test_a_supplier_works_weekdays_only(quoted: Quoted) -> None:
    row = master_data.load_one(quoted.db, SUPPLIERS, quoted.supplier)
    assert row.values["weekdays_only"] is False
    with pytest.raises(InputError, match=r"^Works weekdays only must be yes or no\.$"):
        master_data.save_edit(quoted.db, SUPPLIERS, row, "weekdays_only", "sometimes")
    assert master_data.save_edit(quoted.db, SUPPLIERS, row, "weekdays_only", "Yes")
    with quoted.db.read() as conn:
        assert load_lookups(conn).suppliers[quoted.supplier].weekdays_only
        assert load_quote_items(conn)[quoted.motors].quote.timing.weekdays_only


def test_a_quote_changed_meanwhile_is_not_written_over(quoted: Quoted) -> None:
    """Two people edit the same quote: the second save, against the version it saw, is refused."""
    mine, theirs = _quote(quoted), _quote(quoted)
    assert master_data.save_edit(quoted.db, SUPPLIER_QUOTES, theirs, "valid_until", "2027-02-28")
    with pytest.raises(EditConflict):
        master_data.save_edit(quoted.db, SUPPLIER_QUOTES, mine, "valid_until", "2027-03-15")
    assert _quote(quoted).values["valid_until"] == date(2027, 2, 28)
    with pytest.raises(EditConflict):
        master_data.delete(quoted.db, SUPPLIER_QUOTES, quoted.quote, version=mine.version)
    assert _quote(quoted).values["number"] == "SP-2041"
