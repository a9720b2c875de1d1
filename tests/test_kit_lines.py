"""A line's links to other lines of its estimate (a kit's component, a sub-rental of a shortage)
and the kit line's "client sees components": stored, loaded, and kept right when lines are copied
(clipboard, duplicate, a scenario copy, a Tandem workbook), frozen in a sent revision."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from app.services.estimate.document import EstimateDocument
from app.services.estimate.revision_diff import diff_snapshots
from app.services.estimate.revisions import snapshot_of
from app.services.estimate.scenarios import duplicate_estimate
from app.services.excel import clipboard
from app.services.excel.importing import import_estimate
from app.services.excel.tandem_sheets import DATA_COLUMNS, DATA_SHEET, LINK_DATA_COLUMNS, read_tandem_workbook
from app.services.storage.database import Database
from tests.factories import estimate_id
from tests.test_excel_import import export_tandem

D = Decimal
PANELS = "500 mm LED panels, owned"
PROCESSORS = "LED processors, sub-rented from Brightline"


def _id(doc: EstimateDocument, description: str) -> uuid.UUID:
    return next(line.id for line in doc.lines() if line.description == description)


def _linked(doc: EstimateDocument) -> tuple[uuid.UUID, uuid.UUID]:
    """The panels line made a kit line showing its components, the processors line its component."""
    kit, part = _id(doc, PANELS), _id(doc, PROCESSORS)
    doc.set_line_fields(kit, {"shows_components": True})
    doc.set_line_fields(part, {"kit_line_id": kit, "subrental_of_id": kit})
    return kit, part


def _paste(doc: EstimateDocument, clip: clipboard.Clip, current: uuid.UUID) -> list[uuid.UUID]:
    """What PasteRows does, without Qt: new ids, links moved onto the copies, lines added."""
    plan = clipboard.paste_plan(doc, clip, current)
    ids = [[uuid.uuid4() for _ in block.lines] for block in plan.blocks]
    for block, lines, line_ids in zip(plan.blocks, clipboard.with_new_ids(plan, ids), ids, strict=True):
        assert block.section_id is not None
        doc.add_lines(block.section_id, block.index, lines, line_ids)
    return [line_id for block_ids in ids for line_id in block_ids]


def test_links_are_stored_and_read_back(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    kit, part = _linked(doc)
    again = EstimateDocument(demo_db, doc.estimate_id)
    assert (again.line(kit).shows_components, again.line(kit).kit_line_id) == (True, None)
    assert (again.line(part).kit_line_id, again.line(part).subrental_of_id) == (kit, kit)
    assert again.line(part).shows_components is False


def test_copied_lines_link_to_the_copies_and_a_link_left_behind_is_dropped(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    kit, part = _linked(doc)
    both = clipboard.decode(clipboard.encode(clipboard.copy_rows(doc, [kit, part])))
    new_kit, new_part = _paste(doc, both, part)
    assert doc.line(new_kit).shows_components is True
    assert (doc.line(new_part).kit_line_id, doc.line(new_part).subrental_of_id) == (new_kit, new_kit)
    alone = clipboard.decode(clipboard.encode(clipboard.copy_rows(doc, [part])))
    (lone,) = _paste(doc, alone, part)
    assert (doc.line(lone).kit_line_id, doc.line(lone).subrental_of_id) == (None, None)
    assert doc.line(part).kit_line_id == kit  # the original keeps its kit


def test_a_scenario_copy_links_its_own_lines(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    _linked(doc)
    copy = EstimateDocument(demo_db, duplicate_estimate(demo_db, doc.estimate_id, "Full booth B"))
    new_kit, new_part = _id(copy, PANELS), _id(copy, PROCESSORS)
    assert new_kit not in {line.id for line in doc.lines()}
    assert (copy.line(new_part).kit_line_id, copy.line(new_part).subrental_of_id) == (new_kit, new_kit)
    assert copy.line(new_kit).shows_components is True


def test_a_revision_keeps_the_links_and_one_sent_before_them_reads_unchanged(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    old = snapshot_of(doc)
    for line in old["lines"]:  # a snapshot taken before schema 0007
        for name in ("kit_line_id", "shows_components", "subrental_of_id"):
            del line[name]
    assert diff_snapshots(old, snapshot_of(doc)).is_empty
    kit, part = _linked(doc)
    lines = {line["id"]: line for line in snapshot_of(doc)["lines"]}
    assert lines[str(part)]["kit_line_id"] == str(kit) and lines[str(kit)]["shows_components"] is True
    changed = diff_snapshots(old, snapshot_of(doc)).changed
    assert [(c.description, [(f.name, f.old, f.new) for f in c.changes]) for c in changed] == [
        (PANELS, [("shows_components", False, True)])
    ]


def test_a_tandem_workbook_carries_the_links_and_an_older_one_imports_without(
    demo_db: Database, tmp_path: Path
) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    kit, _part = _linked(doc)
    path = export_tandem(doc, tmp_path / "linked.xlsx")
    copy = EstimateDocument(
        demo_db, import_estimate(demo_db, doc.header.project_id, "From Excel", read_tandem_workbook(path))
    )
    new_kit, new_part = _id(copy, PANELS), _id(copy, PROCESSORS)
    assert new_kit != kit and copy.line(new_kit).shows_components is True
    assert (copy.line(new_part).kit_line_id, copy.line(new_part).subrental_of_id) == (new_kit, new_kit)
    assert copy.totals.total == doc.totals.total
    wb = load_workbook(path)  # as written before the links: without their four columns
    wb[DATA_SHEET].delete_cols(len(DATA_COLUMNS) - len(LINK_DATA_COLUMNS) + 1, len(LINK_DATA_COLUMNS))
    wb.save(tmp_path / "older.xlsx")
    older = EstimateDocument(
        demo_db,
        import_estimate(
            demo_db, doc.header.project_id, "From older Excel", read_tandem_workbook(tmp_path / "older.xlsx")
        ),
    )
    assert all(line.kit_line_id is None and not line.shows_components for line in older.lines())
    assert older.totals.total == doc.totals.total
