"""A line following a supplier quote item: its cost at the line's quantity (breaks), worked out
again when the item changes, stopped by a cost typed by hand; the quote on the line, an expired
one said; the candidates side by side with hand-computed figures; the link and the candidates
copied with the line (scenario, clipboard, Tandem workbook)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import LineItem, LineQuoteCandidate
from app.services.estimate.document import EstimateDocument
from app.services.estimate.revisions import snapshot_of
from app.services.estimate.scenarios import duplicate_estimate
from app.services.excel import clipboard
from app.services.excel.importing import import_estimate
from app.services.excel.tandem_sheets import read_tandem_workbook
from app.services.storage.database import Database, open_database
from app.services.supply import line_quotes
from app.services.supply.line_quotes import short_date
from app.services.values import InputError
from tests.supply_scene import add_catalog_item, add_quote, make_supply_scene, set_item_cost
from tests.test_excel_import import export_tandem
from tests.test_kit_lines import _paste

D = Decimal
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
CANDIDATE_T = LineQuoteCandidate.__table__  # type: ignore[attr-defined]


def _follow(doc: EstimateDocument, line_id: uuid.UUID, item_id: uuid.UUID) -> dict:
    doc.refresh_quote_items()
    return doc.set_line_fields(
        line_id, line_quotes.follow_changes(doc.line(line_id), doc.quote_items[item_id])
    )


def _stored(db: Database, line_id: uuid.UUID) -> tuple[Decimal, uuid.UUID | None]:
    with db.read() as conn:
        row = conn.execute(
            select(LINE_T.c.unit_cost, LINE_T.c.supplier_quote_item_id).where(LINE_T.c.id == line_id)
        ).one()
    return row.unit_cost, row.supplier_quote_item_id


def test_a_following_line_takes_the_quote_cost_and_its_quantity_break(any_db: Database) -> None:
    scene = make_supply_scene(any_db)
    doc = EstimateDocument(any_db, scene.estimate_id)
    line = doc.line(scene.line_id)
    old = _follow(doc, line.id, scene.items["AH-77"])
    assert (line.unit_cost, line.supplier_id, line.price.cost) == (
        D(88),
        scene.suppliers["AH-77"],
        D("2112.00"),
    )
    assert old == {"supplier_quote_item_id": None, "unit_cost": D(100), "supplier_id": None}
    doc.set_line_fields(line.id, doc.parse_line_edit(line.id, "quantity", "10"))  # from 10 on: $80.00
    assert (line.unit_cost, line.price.cost) == (D(80), D("2400.00"))  # 10 × 3 days × 80
    assert _stored(any_db, line.id) == (D(80), scene.items["AH-77"])
    undo = doc.set_line_fields(line.id, doc.parse_line_edit(line.id, "quantity", "9"))
    assert line.unit_cost == D(88) and undo == {"quantity": D(10), "unit_cost": D(80)}
    doc.set_line_fields(line.id, undo)  # undone: the quantity and its cost together
    assert (line.quantity, line.unit_cost) == (D(10), D(80))


def test_an_item_requoted_is_followed_at_the_next_read_and_stored(any_db: Database) -> None:
    scene = make_supply_scene(any_db)
    doc = EstimateDocument(any_db, scene.estimate_id)
    _follow(doc, scene.line_id, scene.items["SR-9"])
    set_item_cost(any_db, scene.items["SR-9"], "97.50")
    assert doc.line(scene.line_id).unit_cost == D(102)  # until the poll reads it again
    doc.reload()
    assert doc.line(scene.line_id).unit_cost == D("97.50")
    assert doc.totals.cost == D("2340.00")  # 8 × 3 × 97.50
    assert _stored(any_db, scene.line_id) == (D("97.50"), scene.items["SR-9"])
    doc.set_line_fields(scene.line_id, {"description": "Motors, 1 t"})  # its version moved on with it


def test_a_cost_typed_by_hand_stops_following_in_one_step(empty_db: Database) -> None:
    scene = make_supply_scene(empty_db)
    doc = EstimateDocument(empty_db, scene.estimate_id)
    _follow(doc, scene.line_id, scene.items["AH-77"])
    changes = doc.parse_line_edit(scene.line_id, "unit_cost", "91")
    assert changes == {"unit_cost": D(91), "supplier_quote_item_id": None}
    old = doc.set_line_fields(scene.line_id, changes)
    set_item_cost(empty_db, scene.items["AH-77"], "70")
    doc.reload()
    assert doc.line(scene.line_id).unit_cost == D(91)  # no longer follows
    doc.set_line_fields(scene.line_id, old)  # undone: follows again, at the quote's cost now
    doc.reload()
    assert (doc.line(scene.line_id).unit_cost, doc.line(scene.line_id).supplier_quote_item_id) == (
        D(70),
        scene.items["AH-77"],
    )


def test_a_parameter_moving_the_quantity_crosses_the_break(empty_db: Database) -> None:
    scene = make_supply_scene(empty_db)
    doc = EstimateDocument(empty_db, scene.estimate_id)
    _follow(doc, scene.line_id, scene.items["AH-77"])
    points = doc.add_parameter("points", D(8))
    doc.set_line_fields(scene.line_id, doc.parse_line_edit(scene.line_id, "quantity", "=points + 4"))
    assert doc.line(scene.line_id).unit_cost == D(80)
    doc.set_parameter_fields(points.id, doc.parse_parameter_edit(points.id, "value", "2"))
    assert (doc.line(scene.line_id).quantity, doc.line(scene.line_id).unit_cost) == (D(6), D(88))
    assert _stored(empty_db, scene.line_id)[0] == D(88)


def test_the_line_shows_its_quote_and_an_expired_one_is_said(empty_db: Database) -> None:
    scene = make_supply_scene(empty_db)
    doc = EstimateDocument(empty_db, scene.estimate_id)
    today = date.today()
    assert line_quotes.quote_cell(doc.line(scene.line_id), doc.quote_items, today) is None
    _follow(doc, scene.line_id, scene.items["SP-2041"])
    cell = line_quotes.quote_cell(doc.line(scene.line_id), doc.quote_items, today)
    assert cell is not None and (cell.text, cell.expired) == ("SP-2041", True)
    expired_on = short_date(today - timedelta(days=5))
    assert cell.tooltip.splitlines()[:3] == [
        "SkyPoint Rigging, quote SP-2041: 1 t chain motor",
        f"⚠ Expired {expired_on}",
        "Lead time 10 days, transit 2 days",
    ]
    assert line_quotes.expired_sentence(doc.lines(), doc.quote_items, today) == (
        f"⚠ Supplier quote SP-2041 expired {expired_on}: Motors"
    )
    assert line_quotes.expired_sentence(doc.lines(), doc.quote_items, today - timedelta(days=5)) == ""
    _follow(doc, scene.line_id, scene.items["AH-77"])
    cell = line_quotes.quote_cell(doc.line(scene.line_id), doc.quote_items, today)
    assert (
        cell is not None
        and not cell.expired
        and "Lead time 6 working days, transit 1 working days" in cell.tooltip
    )
    assert line_quotes.expired_sentence(doc.lines(), doc.quote_items, today) == ""


def test_the_candidates_side_by_side_to_the_cent(empty_db: Database) -> None:
    scene = make_supply_scene(empty_db)
    doc = EstimateDocument(empty_db, scene.estimate_id)
    _follow(doc, scene.line_id, scene.items["AH-77"])
    line = doc.line(scene.line_id)
    with empty_db.read() as conn:
        candidates = line_quotes.load_candidates(conn, line.id)
    rows = line_quotes.comparison(
        line, line.price.units, candidates, doc.quote_items, doc.header.start_date, date.today()
    )
    # Load-in Monday 8 March 2027. SkyPoint: every day, transit 2 → need by Sat 6, lead 10 → 24 Feb.
    # Apex, weekdays only: transit 1 → Fri 5 Mar, lead 6 working days → Thu 25 Feb. Summit: 8 − 7 = 1 Mar.
    assert [(r.item.quote.number, r.unit_cost, r.cost, r.order_by, r.expired, r.followed) for r in rows] == [
        ("SP-2041", D(95), D("2280.00"), date(2027, 2, 24), True, False),
        ("AH-77", D(88), D("2112.00"), date(2027, 2, 25), False, True),
        ("SR-9", D(102), D("2448.00"), date(2027, 3, 1), False, False),
    ]


def test_candidates_are_added_once_removed_as_tombstones_and_offered_catalog_first(
    empty_db: Database,
) -> None:
    scene = make_supply_scene(empty_db, candidates=False)
    doc = EstimateDocument(empty_db, scene.estimate_id)
    motor = add_catalog_item(empty_db, "Chain motor 1 t")
    add_quote(empty_db, "Zenith Lifting", "ZL-1", "99", valid_days=30, catalog_item_id=motor)
    doc.refresh_quote_items()
    line = doc.line(scene.line_id)
    offered = [i.quote.number for i in line_quotes.offered_items(line, doc.quote_items)]
    assert offered == ["AH-77", "SP-2041", "SR-9", "ZL-1"]  # by supplier: the line is no catalog item's
    line.catalog_item_id = motor  # as if made from the catalog item: its quotes first
    offered = [
        i.quote.number for i in line_quotes.offered_items(line, doc.quote_items, [scene.items["SR-9"]])
    ]
    assert offered == ["ZL-1", "AH-77", "SP-2041"]
    added = line_quotes.add_candidate(empty_db, scene.line_id, scene.items["SR-9"], doc.quote_items)
    with pytest.raises(InputError, match="already compared on this line"):
        line_quotes.add_candidate(empty_db, scene.line_id, scene.items["SR-9"], doc.quote_items)
    with empty_db.read() as conn:
        assert [c.item_id for c in line_quotes.load_candidates(conn, scene.line_id)] == [scene.items["SR-9"]]
    line_quotes.remove_candidate(empty_db, added)
    with empty_db.read() as conn:
        assert line_quotes.load_candidates(conn, scene.line_id) == []
        assert conn.execute(select(CANDIDATE_T.c.deleted_at).where(CANDIDATE_T.c.id == added)).scalar()


def test_a_scenario_copy_follows_the_same_item_and_keeps_the_candidates(any_db: Database) -> None:
    scene = make_supply_scene(any_db)
    doc = EstimateDocument(any_db, scene.estimate_id)
    _follow(doc, scene.line_id, scene.items["AH-77"])
    copy = EstimateDocument(any_db, duplicate_estimate(any_db, doc.estimate_id, "Rigging B"))
    (line,) = copy.lines()
    assert line.id != scene.line_id
    assert (line.supplier_quote_item_id, line.unit_cost) == (scene.items["AH-77"], D(88))
    with any_db.read() as conn:
        copied = [c.item_id for c in line_quotes.load_candidates(conn, line.id)]
        kept = [c.item_id for c in line_quotes.load_candidates(conn, scene.line_id)]
    assert copied == kept == [scene.items[n] for n in ("SP-2041", "AH-77", "SR-9")]


def test_pasted_and_imported_lines_keep_the_item_this_database_has(
    empty_db: Database, tmp_path: Path
) -> None:
    scene = make_supply_scene(empty_db)
    doc = EstimateDocument(empty_db, scene.estimate_id)
    _follow(doc, scene.line_id, scene.items["AH-77"])
    clip = clipboard.decode(clipboard.encode(clipboard.copy_rows(doc, [scene.line_id])))
    (pasted,) = _paste(doc, clip, scene.line_id)
    assert doc.line(pasted).supplier_quote_item_id == scene.items["AH-77"]
    path = export_tandem(doc, tmp_path / "rigging.xlsx")
    imported = EstimateDocument(
        empty_db, import_estimate(empty_db, doc.header.project_id, "From Excel", read_tandem_workbook(path))
    )
    assert {line.supplier_quote_item_id for line in imported.lines()} == {scene.items["AH-77"]}
    assert imported.totals.total == doc.totals.total
    # Another database has no such item: the copies follow none and keep their cost.
    foreign = dict(clip.blocks[0].lines[0], supplier_quote_item_id=uuid.uuid4())
    clip.blocks[0].lines[0] = foreign
    (orphan,) = _paste(doc, clip, scene.line_id)
    assert (doc.line(orphan).supplier_quote_item_id, doc.line(orphan).unit_cost) == (None, D(88))


def test_a_revision_sent_before_quotes_reads_unchanged(empty_db: Database) -> None:
    from app.services.estimate.revision_diff import diff_snapshots

    scene = make_supply_scene(empty_db)
    doc = EstimateDocument(empty_db, scene.estimate_id)
    old = snapshot_of(doc)
    for line in old["lines"]:
        del line["supplier_quote_item_id"]
    assert diff_snapshots(old, snapshot_of(doc)).is_empty


def test_a_read_only_database_shows_the_quote_cost_and_writes_nothing(empty_db: Database) -> None:
    scene = make_supply_scene(empty_db)
    _follow(EstimateDocument(empty_db, scene.estimate_id), scene.line_id, scene.items["SR-9"])
    set_item_cost(empty_db, scene.items["SR-9"], "99")
    other = open_database(empty_db.path)
    try:
        other.read_only = "Opened read-only for the test."
        doc = EstimateDocument(other, scene.estimate_id)
        assert doc.line(scene.line_id).unit_cost == D(99)
    finally:
        other.close()
    assert _stored(empty_db, scene.line_id) == (D(102), scene.items["SR-9"])
