"""EstimateDocument: validated edits saved at once, positions kept in order, changes announced.

The tests that use ``doc`` run on SQLite and on PostgreSQL (see ``any_db`` in conftest.py).
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import astuple
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, event

from app.models.enums import LineKind, PriceBasis
from app.services.estimate.document import (
    Change,
    ChangeKind,
    ConcurrentEditError,
    EstimateDocument,
)
from app.services.lookups import load_catalog
from app.services.storage.database import Database
from app.services.values import InputError
from tests.factories import clear_formulas, make_estimate
from tests.factories import estimate_id as estimate_named

D = Decimal
K = ChangeKind


# -- helpers --------------------------------------------------------------------------------------


def _sql(db: Database, statement: str, *params: object) -> list[tuple[Any, ...]]:
    """Another connection, as another user of the same database would have; ``?`` parameters."""
    engine = create_engine(db.engine.url)  # a pool of its own
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                statement = statement.replace("?", "%s")
            result = conn.exec_driver_sql(statement, params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def _db_rows(db: Database) -> list[list[tuple[Any, ...]]]:
    """Every row of the tables an estimate edit writes, for "nothing was written" checks."""
    return [_sql(db, f"SELECT * FROM {table} ORDER BY id") for table in ("estimate", "section", "lineitem")]


def _memory(doc: EstimateDocument) -> tuple[Any, ...]:
    """A deep, comparable copy of everything the document holds."""
    return (
        astuple(doc.header),
        [(s.id, s.position, s.name, s.client_description, s.version) for s in doc.sections],
        [astuple(line) for line in doc.lines()],
        astuple(doc.totals),
    )


def _structure(doc: EstimateDocument) -> list[tuple[uuid.UUID, list[uuid.UUID]]]:
    return [(s.id, [line.id for line in s.lines]) for s in doc.sections]


def assert_consistent(doc: EstimateDocument) -> None:
    """Memory positions are indexes, the database stores the same, and a reload agrees."""
    for i, section in enumerate(doc.sections):
        assert section.position == i
        for j, line in enumerate(section.lines):
            assert (line.position, line.section_id) == (j, section.id)
            assert doc.locate(line.id) == (i, j)
    assert doc.line_count == sum(len(s.lines) for s in doc.sections)
    stored_sections = {
        uuid.UUID(str(r[0])): (r[1], r[2])  # hex text on SQLite, a UUID on PostgreSQL
        for r in _sql(
            doc.db,
            "SELECT id, position, version FROM section WHERE estimate_id = ? AND deleted_at IS NULL",
            doc.estimate_id.hex,
        )
    }
    assert stored_sections == {s.id: (s.position, s.version) for s in doc.sections}
    stored_lines = {
        uuid.UUID(str(r[0])): (uuid.UUID(str(r[1])), r[2], r[3])
        for r in _sql(
            doc.db,
            "SELECT l.id, l.section_id, l.position, l.version FROM lineitem l "
            "JOIN section s ON s.id = l.section_id "
            "WHERE s.estimate_id = ? AND s.deleted_at IS NULL AND l.deleted_at IS NULL",
            doc.estimate_id.hex,
        )
    }
    assert stored_lines == {line.id: (line.section_id, line.position, line.version) for line in doc.lines()}
    fresh = EstimateDocument(doc.db, doc.estimate_id)
    assert _memory(fresh) == _memory(doc)


@pytest.fixture
def doc(any_demo_db: Database) -> EstimateDocument:
    """The demo's "Full booth", on each backend, with plain quantities (formulas: test_parameters.py)."""
    clear_formulas(any_demo_db)
    return EstimateDocument(any_demo_db, estimate_named(any_demo_db, "Full booth"))


@pytest.fixture
def changes(doc: EstimateDocument) -> list[Change]:
    recorded: list[Change] = []
    doc.subscribe(recorded.append)
    return recorded


def _bracketed(kind: ChangeKind, section_index: int, index: int, row_id: uuid.UUID) -> list[Change]:
    """A structural change as announced: once just before, once after."""
    return [
        Change(kind, section_index, index, row_id, before=True),
        Change(kind, section_index, index, row_id),
    ]


def _line(doc: EstimateDocument, description: str) -> uuid.UUID:
    (line_id,) = [line.id for line in doc.lines() if line.description == description]
    return line_id


PANELS = "500 mm LED panels, owned"  # unit price 35.00 on cost 18.00, 392 × 4 units
PROCESSORS = "LED processors, sub-rented from Brightline"  # markup 40 % on 3 × 4 × 150
TRUCK = "Truck, round trip, RoadRunner Freight"  # markup 20 % on 2,400.00
LOAD_IN = "Stagehands, load-in"  # 8 people × 10 h under LVCC rules, 55.00 / 85.00


# -- parsing edits --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("quantity", "twelve",
         "Quantity must be a number like 1250, 1,250.50, $1,250 or 1.5k; “twelve” is not."),
        ("unit_cost", "-5", "Unit cost cannot be negative."),
        ("unit_price", "-0.01", "Unit price cannot be negative."),
        ("price", "-1", "Price cannot be negative."),
        ("price", "1.005", "Price can have at most 2 decimal places."),
        ("markup_pct", "abc", "Markup must be a number like 35, 12.5 or 12.5%; “abc” is not."),
        ("markup_pct", "-101%", "Markup must be at least -100 %."),
        ("margin_pct", "100", "Margin must be below 100 %."),
        ("days", "", "Days cannot be empty."),
        ("hours", "25", "Hours must be at most 24."),
        (
            "kind",
            "catering",
            "Kind must be one of: equipment, labour, subrental, supplier, purchase, freight, fee.",
        ),
        ("optional", "maybe", "Optional must be yes or no."),
        ("role_id", "not-an-id", "Role is not a known choice."),
        ("role_id", "0262ff74-4e26-4253-b50b-c92eb2b536c0", "That role no longer exists."),
        ("supplier_id", "f020da08-1ed8-43f4-922a-e516948e03ad", "That supplier no longer exists."),
        ("description", "x" * 501, "Description can be at most 500 characters long."),
        ("version", "3", "version cannot be edited."),
    ],
)
def test_bad_input_changes_nothing(
    doc: EstimateDocument, changes: list[Change], column: str, value: str, message: str
) -> None:
    line_id = _line(doc, PANELS)
    memory, stored = _memory(doc), _db_rows(doc.db)
    with pytest.raises(InputError) as caught:
        doc.parse_line_edit(line_id, column, value)
    assert str(caught.value) == message
    assert _memory(doc) == memory
    assert _db_rows(doc.db) == stored
    assert changes == []


def test_parse_gives_only_what_changes(doc: EstimateDocument) -> None:
    line_id = _line(doc, PANELS)
    assert doc.parse_line_edit(line_id, "quantity", "392") == {}
    assert doc.parse_line_edit(line_id, "quantity", "1,000") == {"quantity": D(1000)}
    assert doc.parse_line_edit(line_id, "hours", "24") == {"hours": D(24)}
    assert doc.parse_line_edit(line_id, "optional", "yes") == {"optional": True}
    assert doc.parse_line_edit(line_id, "kind", "labour") == {
        "kind": LineKind.LABOUR,
        "hours": D(8),
    }
    # the unit price is already the basis: only the value changes
    assert doc.parse_line_edit(line_id, "unit_price", "$40") == {"unit_price": D(40)}


@pytest.mark.parametrize(
    ("description", "column", "value", "basis", "price"),
    [
        (PANELS, "markup_pct", "50%", PriceBasis.MARKUP, 392 * 4 * D(18) * D("1.5")),
        (PROCESSORS, "unit_price", "200", PriceBasis.UNIT_PRICE, 3 * 4 * D(200)),
        (TRUCK, "margin_pct", "40", PriceBasis.MARGIN, D(2400) / D("0.6")),
        (LOAD_IN, "markup_pct", "0", PriceBasis.MARKUP, 8 * 11 * D(55)),
    ],
)
def test_editing_a_rate_makes_it_the_price_basis(
    doc: EstimateDocument,
    description: str,
    column: str,
    value: str,
    basis: PriceBasis,
    price: Decimal,
) -> None:
    line_id = _line(doc, description)
    old_price = doc.line(line_id).price.price
    edit = doc.parse_line_edit(line_id, column, value)
    assert edit["price_basis"] is basis
    doc.set_line_fields(line_id, edit)
    line = doc.line(line_id)
    assert (line.price_basis, line.price.price) == (basis, price)
    assert doc.totals.subtotal == D("95580.00") - old_price + price
    reopened = EstimateDocument(doc.db, doc.estimate_id).line(line_id)
    assert (reopened.price_basis, reopened.price.price) == (basis, price)


def test_price_override_and_clearing_it(doc: EstimateDocument) -> None:
    line_id = _line(doc, TRUCK)
    edit = doc.parse_line_edit(line_id, "price", "$3,000")
    assert edit == {"price_override": D(3000)}
    old = doc.set_line_fields(line_id, edit)
    assert old == {"price_override": None}
    priced = doc.line(line_id).price
    assert (priced.price, priced.basis_price, priced.overridden) == (3000, 2880, True)
    assert doc.totals.subtotal == D("95580.00") - 2880 + 3000
    assert EstimateDocument(doc.db, doc.estimate_id).line(line_id).price.price == 3000

    clear = doc.parse_line_edit(line_id, "price", "")
    assert clear == {"price_override": None}
    doc.set_line_fields(line_id, clear)
    assert (doc.line(line_id).price.price, doc.line(line_id).price.overridden) == (2880, False)
    assert EstimateDocument(doc.db, doc.estimate_id).totals.subtotal == D("95580.00")


def test_picking_a_role_takes_its_rates(doc: EstimateDocument) -> None:
    line_id = _line(doc, LOAD_IN)
    (rigger,) = [r for r in doc.lookups.roles.values() if r.name == "Rigger"]
    edit = doc.parse_line_edit(line_id, "role_id", str(rigger.id))
    assert edit == {"role_id": rigger.id, "unit_cost": D(65), "unit_price": D(105)}
    doc.set_line_fields(line_id, edit)
    assert (doc.line(line_id).price.cost, doc.line(line_id).price.price) == (
        8 * 11 * 65,
        8 * 11 * 105,
    )


def test_set_line_fields_persists(doc: EstimateDocument) -> None:
    line_id = _line(doc, PANELS)
    edit = {
        "description": "Panels, rev B",
        "client_description": "LED video panels",
        "quantity": D("400.5"),
        "days": D(3),
        "unit_cost": D("18.25"),
        "optional": True,
        "kind": LineKind.SUBRENTAL,
        "unit": "tile",
    }
    old = doc.set_line_fields(line_id, edit)
    assert old == {
        "description": PANELS,
        "client_description": "LED video panels, 500 mm ({panels} panels)",
        "quantity": 392,
        "days": 4,
        "unit_cost": 18,
        "optional": False,
        "kind": LineKind.EQUIPMENT,
        "unit": "panel",
    }
    assert doc.line(line_id).version == 2
    assert doc.totals.optional_price == D("400.5") * 3 * 35
    assert doc.totals.subtotal == D("95580.00") - D("54880.00")
    assert_consistent(doc)
    # and undo is the same call with the old values
    doc.set_line_fields(line_id, old)
    assert EstimateDocument(doc.db, doc.estimate_id).totals.total == D("95580.00")


def test_set_line_fields_refuses_unknown_columns(doc: EstimateDocument) -> None:
    with pytest.raises(ValueError, match="not line columns"):
        doc.set_line_fields(_line(doc, PANELS), {"version": 7})


def test_estimate_level_edits(doc: EstimateDocument, changes: list[Change]) -> None:
    with pytest.raises(InputError, match=re.escape("Discount must be below 100 %.")):
        doc.parse_estimate_edit("discount_pct", "100")
    edit: dict[str, Any] = {}
    for column, value in [("contingency_pct", "5%"), ("discount_pct", "3"), ("tax_pct", "8.625")]:
        edit.update(doc.parse_estimate_edit(column, value))
    doc.set_estimate_fields(edit)
    assert changes == [Change(K.ESTIMATE_CHANGED)]
    t = EstimateDocument(doc.db, doc.estimate_id).totals
    assert t.contingency == D("4779.00")  # 5 % of 95,580.00
    assert t.discount == D("3010.77")  # 3 % of 100,359.00
    assert t.net == D("95580.00") + D("4779.00") - D("3010.77")
    assert t.tax == D("8396.28")  # 8.625 % of 97,348.23 = 8,396.2848…
    assert t.total == D("105744.51") == doc.totals.total


def test_section_edits(doc: EstimateDocument, changes: list[Change]) -> None:
    section = doc.sections[1]
    with pytest.raises(InputError, match=re.escape("Section name cannot be empty.")):
        doc.parse_section_edit(section.id, "name", "  ")
    assert doc.parse_section_edit(section.id, "name", "Rigging") == {}
    doc.set_section_fields(section.id, doc.parse_section_edit(section.id, "name", "Flying"))
    assert changes == [Change(K.SECTION_CHANGED, 1, -1, section.id)]
    assert EstimateDocument(doc.db, doc.estimate_id).sections[1].name == "Flying"


# -- structure: add, delete, restore, move --------------------------------------------------------


def test_add_line_and_catalog_line(doc: EstimateDocument) -> None:
    rigging = doc.sections[1]
    line = doc.add_line(
        rigging.id,
        1,
        {"description": "Spreader beam", "quantity": D(2), "unit_cost": D(40), "markup_pct": D(50)},
    )
    assert [x.description for x in rigging.lines][1] == "Spreader beam"
    assert (line.price.cost, line.price.price) == (80, 120)
    (stagehand,) = [e for e in _catalog(doc) if e.name == "Stagehand"]
    crew = doc.add_catalog_line(doc.sections[2].id, stagehand, 0)
    assert (crew.kind, crew.hours, crew.quantity, crew.catalog_item_id) == (
        LineKind.LABOUR,
        8,
        1,
        stagehand.id,
    )
    assert (crew.price.cost, crew.price.price) == (8 * 55, 8 * 85)
    assert doc.totals.subtotal == D("95580.00") + 120 + 8 * 85
    assert_consistent(doc)


def _catalog(doc: EstimateDocument) -> list[Any]:
    with doc.db.read() as conn:
        return load_catalog(conn)


def test_add_line_refuses_negative_values(doc: EstimateDocument, changes: list[Change]) -> None:
    stored = _db_rows(doc.db)
    with pytest.raises(InputError, match=re.escape("Quantity cannot be negative.")):
        doc.add_line(doc.sections[0].id, values={"quantity": D(-1)})
    assert _db_rows(doc.db) == stored
    assert changes == []
    assert doc.line_count == 11


def test_delete_and_restore_line(doc: EstimateDocument) -> None:
    line_id = _line(doc, PROCESSORS)
    section_id, index = doc.delete_line(line_id)
    assert (section_id, index) == (doc.sections[0].id, 1)
    assert not doc.has_line(line_id)
    assert doc.totals.subtotal == D("95580.00") - 2520
    assert_consistent(doc)
    restored = doc.restore_line(line_id, section_id, index)
    assert restored.price.price == 2520
    assert doc.totals.subtotal == D("95580.00")
    assert_consistent(doc)


def test_delete_and_restore_section(doc: EstimateDocument) -> None:
    labour = doc.sections[2]
    lines = [line.id for line in labour.lines]
    index = doc.delete_section(labour.id)
    assert index == 2 and doc.line_count == 11 - 5
    assert doc.totals.subtotal == D("95580.00") - D("21400.00")
    assert_consistent(doc)
    section = doc.restore_section(labour.id, index)
    assert [line.id for line in section.lines] == lines
    assert doc.totals.groups[labour.id].price == D("21400.00")
    assert_consistent(doc)


def test_move_line_within_and_across_sections(doc: EstimateDocument) -> None:
    labour = doc.sections[2]
    first = labour.lines[0].id
    assert doc.move_line(first, labour.id, 3) == (labour.id, 0)
    assert [line.id for line in labour.lines].index(first) == 3
    assert_consistent(doc)
    back = doc.move_line(first, doc.sections[4].id, 0)
    assert back == (labour.id, 3)
    assert doc.locate(first) == (4, 0)
    assert doc.totals.groups[labour.id].price == D("21400.00") - 7480
    assert_consistent(doc)
    doc.move_line(first, *back)  # undo
    assert doc.locate(first) == (2, 3)
    assert_consistent(doc)


def test_move_section(doc: EstimateDocument) -> None:
    names = [s.name for s in doc.sections]
    assert doc.move_section(doc.sections[0].id, 4) == 0
    assert [s.name for s in doc.sections] == [*names[1:], names[0]]
    assert_consistent(doc)
    assert doc.move_section(doc.sections[4].id, 0) == 4
    assert [s.name for s in doc.sections] == names
    assert_consistent(doc)


def test_insert_after_deleting_the_first_lines_keeps_order(doc: EstimateDocument) -> None:
    """Regression: deleting did not renumber the rest, so a later insert sorted before them."""
    labour = doc.sections[2]
    for line in list(labour.lines[:3]):
        doc.delete_line(line.id)
    doc.add_line(labour.id, None, {"description": "last"})
    assert [x.description for x in labour.lines][-1] == "last"
    assert_consistent(doc)
    doc.delete_section(doc.sections[0].id)
    doc.delete_section(doc.sections[0].id)
    doc.add_section("Appendix")
    assert [s.name for s in doc.sections] == ["Labour", "Logistics", "Management", "Appendix"]
    assert_consistent(doc)


@pytest.mark.parametrize("seed", range(4))
def test_random_structural_edits_stay_consistent(any_db: Database, seed: int) -> None:
    doc = EstimateDocument(any_db, make_estimate(any_db, lines=12, sections=3))
    rng = random.Random(seed)
    deleted_lines: list[tuple[uuid.UUID, uuid.UUID]] = []
    deleted_sections: list[uuid.UUID] = []
    for step in range(40):
        op = rng.choice(
            [
                "add",
                "delete",
                "restore",
                "move",
                "add_section",
                "delete_section",
                "restore_section",
                "move_section",
            ]
        )
        sections = doc.sections
        lines = list(doc.lines())
        if op == "add" and sections:
            doc.add_line(
                rng.choice(sections).id,
                rng.randint(0, 5),
                {"description": f"step {step}", "unit_cost": D(step)},
            )
        elif op == "delete" and lines:
            line = rng.choice(lines)
            deleted_lines.append((line.id, doc.delete_line(line.id)[0]))
        elif op == "restore" and deleted_lines:
            line_id, section_id = deleted_lines.pop()
            if any(s.id == section_id for s in sections):
                doc.restore_line(line_id, section_id, rng.randint(0, 5))
        elif op == "move" and lines:
            doc.move_line(rng.choice(lines).id, rng.choice(sections).id, rng.randint(0, 5))
        elif op == "add_section":
            doc.add_section(f"Section at step {step}", rng.randint(0, len(sections)))
        elif op == "delete_section" and len(sections) > 1:
            section = rng.choice(sections)
            doc.delete_section(section.id)
            deleted_sections.append(section.id)
        elif op == "restore_section" and deleted_sections:
            doc.restore_section(deleted_sections.pop(), rng.randint(0, len(sections)))
        elif op == "move_section" and sections:
            doc.move_section(rng.choice(sections).id, rng.randint(0, len(sections)))
        assert_consistent(doc)


# -- concurrency ----------------------------------------------------------------------------------


def test_concurrent_change_is_refused_and_writes_nothing(
    doc: EstimateDocument, changes: list[Change]
) -> None:
    line_id = _line(doc, PANELS)
    _sql(
        doc.db,
        "UPDATE lineitem SET version = version + 1, quantity = '100' WHERE id = ?",
        line_id.hex,
    )
    memory, stored = _memory(doc), _db_rows(doc.db)
    with pytest.raises(ConcurrentEditError, match="Someone else changed this"):
        doc.set_line_fields(line_id, doc.parse_line_edit(line_id, "quantity", "500"))
    with pytest.raises(ConcurrentEditError):
        doc.delete_line(line_id)
    with pytest.raises(ConcurrentEditError):
        doc.move_line(line_id, doc.sections[1].id, 0)
    assert _memory(doc) == memory
    assert _db_rows(doc.db) == stored
    assert changes == []
    doc.reload()
    assert doc.line(line_id).quantity == 100
    assert [c.kind for c in changes] == [K.RESET, K.RESET]


def test_concurrent_change_to_section_and_estimate(doc: EstimateDocument) -> None:
    section = doc.sections[0]
    _sql(doc.db, "UPDATE section SET version = version + 1 WHERE id = ?", section.id.hex)
    _sql(doc.db, "UPDATE estimate SET version = version + 1 WHERE id = ?", doc.estimate_id.hex)
    stored = _db_rows(doc.db)
    with pytest.raises(ConcurrentEditError):
        doc.set_section_fields(section.id, {"name": "Video"})
    with pytest.raises(ConcurrentEditError):
        doc.delete_section(section.id)
    with pytest.raises(ConcurrentEditError):
        doc.set_estimate_fields({"tax_pct": D(5)})
    assert _db_rows(doc.db) == stored
    assert (section.name, doc.header.tax_pct) == ("LED screen", 0)


def test_a_deleted_estimate_cannot_be_opened(doc: EstimateDocument) -> None:
    _sql(
        doc.db,
        "UPDATE estimate SET deleted_at = '2027-01-01 00:00:00' WHERE id = ?",
        doc.estimate_id.hex,
    )
    with pytest.raises(ConcurrentEditError, match="no longer exists"):
        EstimateDocument(doc.db, doc.estimate_id)


# -- announcements --------------------------------------------------------------------------------


def test_line_change_is_announced_with_its_place(doc: EstimateDocument, changes: list[Change]) -> None:
    line_id = _line(doc, "Riggers, strike")
    doc.set_line_fields(line_id, {"quantity": D(3)})
    assert changes == [Change(K.LINE_CHANGED, 2, 3, line_id)]


def test_structural_changes_are_bracketed(doc: EstimateDocument, changes: list[Change]) -> None:
    seen: list[tuple[bool, int, bool]] = []  # (before?, lines in section 1, row stored?)

    def watch(change: Change) -> None:
        stored = (
            bool(
                _sql(
                    doc.db,
                    "SELECT 1 FROM lineitem WHERE id = ? AND deleted_at IS NULL",
                    change.row_id.hex,
                )
            )
            if change.row_id
            else False
        )
        seen.append((change.before, len(doc.sections[1].lines), stored))

    doc.subscribe(watch)
    rigging = doc.sections[1].id
    line = doc.add_line(rigging, 1, {"description": "Beam"})
    assert changes == _bracketed(K.LINE_INSERTED, 1, 1, line.id)
    # before: memory unchanged yet, but the database already has the row; after: both
    assert seen == [(True, 2, True), (False, 3, True)]

    changes.clear()
    doc.delete_line(line.id)
    assert changes == _bracketed(K.LINE_REMOVED, 1, 1, line.id)

    changes.clear()
    moved = doc.sections[0].lines[0].id
    doc.move_line(moved, rigging, 2)
    assert changes == [
        *_bracketed(K.LINE_REMOVED, 0, 0, moved),
        *_bracketed(K.LINE_INSERTED, 1, 2, moved),
    ]
    doc.unsubscribe(watch)


def test_section_changes_are_bracketed(doc: EstimateDocument, changes: list[Change]) -> None:
    section = doc.add_section("Audio", 1)
    assert changes == _bracketed(K.SECTION_INSERTED, 1, -1, section.id)
    changes.clear()
    doc.move_section(section.id, 5)
    assert changes == [
        *_bracketed(K.SECTION_REMOVED, 1, -1, section.id),
        *_bracketed(K.SECTION_INSERTED, 5, -1, section.id),
    ]
    changes.clear()
    assert doc.delete_section(section.id) == 5
    assert changes == _bracketed(K.SECTION_REMOVED, 5, -1, section.id)
    changes.clear()
    doc.restore_section(section.id, 0)
    assert changes == _bracketed(K.SECTION_INSERTED, 0, -1, section.id)


def test_reset_is_bracketed(doc: EstimateDocument, changes: list[Change]) -> None:
    counts: list[int] = []
    doc.subscribe(lambda change: counts.append(doc.line_count))
    _sql(
        doc.db,
        "UPDATE lineitem SET deleted_at = '2027-01-01 00:00:00' WHERE id = ?",
        _line(doc, TRUCK).hex,
    )
    doc.reload()
    assert changes == [Change(K.RESET, before=True), Change(K.RESET)]
    assert counts == [11, 10]


# -- loading cost ---------------------------------------------------------------------------------


@pytest.fixture
def statements(empty_db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(empty_db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(empty_db.engine, "before_cursor_execute", count)


def test_loading_takes_the_same_queries_whatever_the_size(empty_db: Database, statements: list[str]) -> None:
    small = make_estimate(empty_db, lines=10, sections=2, name="Small")
    large = make_estimate(empty_db, lines=1000, sections=40, name="Large")
    counts = []
    for estimate_id, size in [(small, 10), (large, 1000)]:
        statements.clear()
        assert EstimateDocument(empty_db, estimate_id).line_count == size
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert counts[0] <= 12, statements
