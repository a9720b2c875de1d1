"""Quote revisions: a send freezes the estimate as a numbered revision; diffs say what changed.

Runs on SQLite and on PostgreSQL (see ``any_db`` in conftest.py).
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.models import Estimate, QuoteRevision
from app.services.estimate.document import EditConflict, EstimateDocument, LineRow
from app.services.estimate.revision_diff import diff_snapshots
from app.services.estimate.revisions import (
    current_revision_label,
    list_revisions,
    load_revision,
    send_quote,
    snapshot_of,
)
from app.services.storage.database import Database
from tests.factories import estimate_id as estimate_named

D = Decimal
PANELS = "500 mm LED panels, owned"


@pytest.fixture
def db(any_demo_db: Database) -> Database:
    return any_demo_db


@pytest.fixture
def doc(db: Database) -> EstimateDocument:
    """The demo's "Full booth", on each backend."""
    return EstimateDocument(db, estimate_named(db, "Full booth"))


def _line(doc: EstimateDocument, description: str) -> LineRow:
    return next(line for line in doc.lines() if line.description == description)


def _stored_quote_number(db: Database, estimate_id: uuid.UUID) -> str:
    table = Estimate.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return str(conn.execute(select(table.c.quote_number).where(table.c.id == estimate_id)).scalar_one())


def _edit_panels_and_discount(doc: EstimateDocument) -> None:
    """392 panels → 294 (three sides' worth) and a 5 % discount."""
    doc.set_line_fields(_line(doc, PANELS).id, {"quantity": D(294), "quantity_formula": ""})
    doc.set_estimate_fields({"discount_pct": D(5)})


def test_snapshot_is_json_with_exact_money(doc: EstimateDocument) -> None:
    snap = snapshot_of(doc)
    assert json.loads(json.dumps(snap)) == snap  # no Decimal, date or UUID left behind
    assert snap["totals"]["total"] == "95580.00"
    assert snap["totals"]["cost"] == "55044.00"
    assert [s["name"] for s in snap["sections"]] == ["LED screen", "Rigging", "Labour", "Logistics",
                                                     "Management"]
    panels = snap["lines"][0]
    assert panels["description"] == PANELS
    assert (panels["quantity"], panels["days"], panels["unit_cost"]) == ("392", "4", "18")
    assert (panels["kind"], panels["price_basis"]) == ("equipment", "unit_price")
    assert (panels["cost"], panels["price"]) == ("28224.00", "54880.00")
    assert panels["counts_in_total"] is True and panels["overridden"] is False
    processors = snap["lines"][1]
    assert processors["supplier"] == "Brightline Video Rentals"
    assert snap["section_totals"][snap["sections"][2]["id"]]["price"] == "21400.00"
    assert snap["header"]["client_name"] == "Vantage Medical"
    assert snap["header"]["start_date"] == "2027-03-08"


def test_first_send_numbers_the_quote_and_freezes_rev_1(db: Database, doc: EstimateDocument) -> None:
    assert current_revision_label(db, doc.estimate_id) == "Not sent yet"
    assert _stored_quote_number(db, doc.estimate_id) == ""
    rev = send_quote(db, doc, "Dana Ortiz", "Budget for the full ribbon")
    year = rev.sent_at.year
    assert (rev.number, rev.quote_number, rev.total) == (1, f"Q{year}-0001", D("95580.00"))
    assert rev.sent_at.tzinfo is not None and rev.sent_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert _stored_quote_number(db, doc.estimate_id) == f"Q{year}-0001"
    snap = load_revision(db, rev.id)
    assert snap["totals"]["total"] == "95580.00"
    assert len(snap["lines"]) == 11
    assert snap["revision"]["number"] == 1 and snap["revision"]["sent_by"] == "Dana Ortiz"
    assert list_revisions(db, doc.estimate_id) == [rev]
    assert current_revision_label(db, doc.estimate_id).startswith(f"Q{year}-0001 rev 2 (draft; rev 1 sent ")
    # The document's lock followed the version bump: the next estimate edit is not a conflict.
    doc.set_estimate_fields({"notes": "after the send"})


def test_later_edits_make_rev_2_and_rev_1_stays_as_sent(db: Database, doc: EstimateDocument) -> None:
    rev1 = send_quote(db, doc, "Dana Ortiz")
    sent = load_revision(db, rev1.id)
    _edit_panels_and_discount(doc)
    rev2 = send_quote(db, doc, "Dana Ortiz", "Three sides, 5 % off")
    assert (rev2.number, rev2.quote_number) == (2, rev1.quote_number)
    assert rev2.total == D("77767.00")
    assert load_revision(db, rev1.id) == sent  # frozen
    assert sent["totals"]["total"] == "95580.00" and sent["lines"][0]["quantity"] == "392"
    assert [r.number for r in list_revisions(db, doc.estimate_id)] == [1, 2]
    assert _stored_quote_number(db, doc.estimate_id) == rev1.quote_number  # given once
    # Stored total is exact on both backends.
    table = QuoteRevision.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        totals = conn.execute(select(table.c.total).order_by(table.c.number)).scalars().all()
    assert totals == [D("95580.00"), D("77767.00")]


def test_diff_lists_the_changed_line_and_totals_to_the_cent(db: Database, doc: EstimateDocument) -> None:
    rev1 = send_quote(db, doc, "Dana Ortiz")
    panels_id = str(_line(doc, PANELS).id)
    _edit_panels_and_discount(doc)
    rev2 = send_quote(db, doc, "Dana Ortiz")
    diff = diff_snapshots(load_revision(db, rev1.id), load_revision(db, rev2.id))

    assert diff.added == [] and diff.removed == [] and diff.sections == []
    assert len(diff.changed) == 1
    change = diff.changed[0]
    assert (change.line_id, change.description, change.section, change.moved) == (
        panels_id, PANELS, "LED screen", False)
    assert [(c.label, c.old, c.new) for c in change.changes] == [
        ("Quantity", "392", "294"),
        ("Quantity formula", "panels", ""),
        ("Line cost", "28224.00", "21168.00"),
        ("Line price", "54880.00", "41160.00"),
    ]
    assert [(f.label, f.old, f.new) for f in diff.header] == [("Discount", "0", "5")]
    totals = {t.name: (t.old, t.new, t.delta) for t in diff.changed_totals}
    assert totals == {
        "subtotal": (D("95580.00"), D("81860.00"), D("-13720.00")),
        "discount": (D("0.00"), D("4093.00"), D("4093.00")),
        "net": (D("95580.00"), D("77767.00"), D("-17813.00")),
        "total": (D("95580.00"), D("77767.00"), D("-17813.00")),
        "cost": (D("55044.00"), D("47988.00"), D("-7056.00")),
        "margin": (D("40536.00"), D("29779.00"), D("-10757.00")),
    }
    assert diff_snapshots(load_revision(db, rev2.id), load_revision(db, rev2.id)).is_empty


def test_added_removed_and_moved_lines(db: Database, doc: EstimateDocument) -> None:
    before = snapshot_of(doc)
    led = doc.sections[0]
    labour = doc.sections[2]
    added = doc.add_line(led.id, values={"description": "Spare panels", "quantity": D(8), "days": D(4),
                                         "unit_cost": D(18), "markup_pct": D(50)})
    truck = _line(doc, "Truck, round trip, RoadRunner Freight")
    doc.delete_line(truck.id)
    strike = _line(doc, "Stagehands, strike")
    doc.move_line(strike.id, labour.id, 0)  # within its section
    pm = _line(doc, "Project management")
    doc.move_line(pm.id, led.id, 0)  # to another section
    diff = diff_snapshots(before, snapshot_of(doc))

    assert [(e.line_id, e.description, e.section, e.price) for e in diff.added] == [
        (str(added.id), "Spare panels", "LED screen", D("864.00"))]
    assert [(e.line_id, e.description, e.price) for e in diff.removed] == [
        (str(truck.id), "Truck, round trip, RoadRunner Freight", D("2880.00"))]
    moved = {c.line_id: c for c in diff.moved}
    assert set(moved) == {str(strike.id), str(pm.id)}  # the lines it passed are not "moved"
    assert moved[str(strike.id)].changes == () and moved[str(strike.id)].section == "Labour"
    assert (moved[str(pm.id)].old_section, moved[str(pm.id)].section) == ("Management", "LED screen")
    assert moved[str(pm.id)].changes == ()
    assert len(diff.changed) == 2
    total = next(t for t in diff.totals if t.name == "total")
    assert total.delta == D("864.00") - D("2880.00")


def test_section_changes(db: Database, doc: EstimateDocument) -> None:
    before = snapshot_of(doc)
    doc.set_section_fields(doc.sections[1].id, {"name": "Rigging and truss"})
    extra = doc.add_section("Scenic")
    after = snapshot_of(doc)
    diff = diff_snapshots(before, after)
    assert [(s.name, s.status) for s in diff.sections] == [("Rigging and truss", "changed"),
                                                           ("Scenic", "added")]
    assert [(c.label, c.old, c.new) for c in diff.sections[0].changes] == [
        ("Section name", "Rigging", "Rigging and truss")]
    doc.delete_section(extra.id)
    assert [(s.name, s.status) for s in diff_snapshots(after, snapshot_of(doc)).sections] == [
        ("Scenic", "removed")]


def test_two_estimates_get_different_quote_numbers(db: Database, doc: EstimateDocument) -> None:
    half = EstimateDocument(db, estimate_named(db, "Half booth"))
    first = send_quote(db, doc, "Dana Ortiz")
    second = send_quote(db, half, "Dana Ortiz")
    again = send_quote(db, doc, "Dana Ortiz")
    year = first.sent_at.year
    assert (first.quote_number, second.quote_number, again.quote_number) == (
        f"Q{year}-0001", f"Q{year}-0002", f"Q{year}-0001")
    assert (second.number, again.number) == (1, 2)
    assert second.total != first.total
    assert [r.number for r in list_revisions(db, half.estimate_id)] == [1]


def test_a_stale_document_cannot_number_the_quote(db: Database, doc: EstimateDocument) -> None:
    other = EstimateDocument(db, doc.estimate_id)  # another user's window on the same estimate
    other.set_estimate_fields({"tax_pct": D(8)})
    with pytest.raises(EditConflict):
        send_quote(db, doc, "Dana Ortiz")
    assert list_revisions(db, doc.estimate_id) == []  # nothing written
    assert _stored_quote_number(db, doc.estimate_id) == ""
    doc.reload()
    rev = send_quote(db, doc, "Dana Ortiz")
    assert rev.total == D("103226.40")  # 95,580.00 + 8 % tax


def test_snapshot_takes_every_line_column(doc: EstimateDocument) -> None:
    """A column added to LineRow is frozen without touching the revisions module."""
    from app.services.estimate.document import LINE_COLUMNS

    line: dict[str, Any] = snapshot_of(doc)["lines"][0]
    assert set(LINE_COLUMNS) <= set(line)


def test_parameter_changes_are_listed_by_name() -> None:
    """Parameters are matched by id: "What if we did it on half the booth?" reads 160 → 80."""
    old = {"parameters": [{"id": "a", "name": "screen_length_ft", "value": "160", "formula": ""},
                          {"id": "b", "name": "rental_days", "value": "4", "formula": ""}]}
    new = {"parameters": [{"id": "a", "name": "screen_length_ft", "value": "80", "formula": ""},
                          {"id": "c", "name": "show_days", "value": "3", "formula": ""}]}
    diff = diff_snapshots(old, new)
    assert [(c.label, c.old, c.new) for c in diff.parameters] == [
        ("screen_length_ft", "160", "80"), ("show_days", None, "3"), ("rental_days", "4", None)]
    assert not diff.is_empty
    assert diff_snapshots(new, new).is_empty


def test_a_revision_sent_before_the_quote_choices_is_still_what_was_sent(doc: EstimateDocument) -> None:
    """A snapshot from before schema 0006 has no quote choices: its quote showed contingency as a line
    and printed its range, which is what an upgraded estimate keeps, so nothing reads as changed."""
    old = snapshot_of(doc)
    for name in ("show_contingency_line", "show_budget_range"):
        del old["header"][name]
    doc.set_estimate_fields({"show_contingency_line": True, "show_budget_range": True})  # as upgraded
    assert diff_snapshots(old, snapshot_of(doc)).is_empty
    doc.set_estimate_fields({"show_budget_range": False})
    changed = diff_snapshots(old, snapshot_of(doc)).header
    assert [(c.label, c.old, c.new) for c in changed] == [("Print the budget range", True, False)]
