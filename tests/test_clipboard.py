"""Lines on the clipboard, Qt-free: Tandem rows round-trip every column; a spreadsheet's rows are read
through the import's column mapping, with its per-row problems."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest

from app.models.enums import LineKind, PriceBasis
from app.services.estimate.document import LINE_COLUMNS, EstimateDocument
from app.services.excel import clipboard
from app.services.excel.clipboard import ClipboardError
from app.services.storage.database import Database
from tests.factories import estimate_id

D = Decimal


def _line(doc: EstimateDocument, description: str) -> uuid.UUID:
    return next(line.id for line in doc.lines() if line.description == description)


def _columns(doc: EstimateDocument, line_id: uuid.UUID) -> dict[str, object]:
    line = doc.line(line_id)
    return {name: getattr(line, name) for name in LINE_COLUMNS}


def _paste(doc: EstimateDocument, clip: clipboard.Clip, current: uuid.UUID | None) -> list[uuid.UUID]:
    """What PasteRows does, without Qt: each planned line added where the plan says."""
    made = []
    for block in clipboard.paste_plan(doc, clip, current).blocks:
        section_id = block.section_id
        if block.new_section is not None:
            values = dict(block.new_section)
            section_id = doc.add_section(
                values.pop("name"), block.section_index, values.pop("client_description", "")
            ).id
            extra = {k: v for k, v in values.items() if v not in (None, False)}
            if extra:
                doc.set_section_fields(section_id, extra)
        assert section_id is not None
        index = block.index
        for values in block.lines:
            line = doc.add_line(section_id, index, values)
            index = None if index is None else line.position + 1
            made.append(line.id)
    return made


def test_tandem_rows_round_trip_every_column_of_a_line(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    # A formula in both Qty and Days, a supplier, the sub-rental kind; and a crew call with a role,
    # a date and times; and a line with a range and a price override.
    led = _line(doc, "LED processors, sub-rented from Brightline")
    crew = _line(doc, "Stagehands, load-in")
    doc.set_line_fields(
        crew,
        {
            "range_low_pct": D("10"),
            "range_high_pct": D("15"),
            "optional": True,
            "price_override": D("1234.56"),
        },
    )
    payload = clipboard.encode(clipboard.copy_rows(doc, [led, crew]))
    clip = clipboard.decode(payload.encode("utf-8"))
    assert clip.line_count == 2
    made = _paste(doc, clip, crew)
    assert [_columns(doc, m) for m in made] == [_columns(doc, led), _columns(doc, crew)]
    assert doc.line(made[0]).quantity_formula == "ceil(panels / 260) + 1"
    assert doc.line(made[0]).supplier_id is not None
    section, index = doc.locate(crew)
    assert doc.sections[section].lines[index + 1].id == made[0]  # after the current line


def test_a_copied_section_comes_back_as_a_new_section_with_its_lines(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    labour = next(s for s in doc.sections if s.name == "Labour")
    clip = clipboard.decode(clipboard.encode(clipboard.copy_rows(doc, [labour.id])))
    assert clip.describe() == "1 section (5 lines)"
    _paste(doc, clip, labour.id)
    copy = doc.sections[doc.section_index(labour.id) + 1]
    assert (copy.name, copy.client_description, copy.range_low_pct, copy.range_high_pct) == (
        labour.name,
        labour.client_description,
        labour.range_low_pct,
        labour.range_high_pct,
    )
    assert [{k: getattr(line, k) for k in LINE_COLUMNS} for line in copy.lines] == [
        {k: getattr(line, k) for k in LINE_COLUMNS} for line in labour.lines
    ]


def test_a_copy_of_the_chosen_alternative_is_not_chosen_too(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    led = _line(doc, "500 mm LED panels, owned")
    doc.set_line_fields(led, {"alternative_group": "screen", "alternative_chosen": True})
    [copy] = _paste(doc, clipboard.copy_rows(doc, [led]), led)
    assert doc.line(copy).alternative_group == "screen"
    assert doc.line(copy).alternative_chosen is False
    assert doc.line(led).alternative_chosen is True


def test_damaged_or_foreign_rows_are_refused_with_one_line(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    good = json.loads(clipboard.encode(clipboard.copy_rows(doc, [_line(doc, "500 mm LED panels, owned")])))
    for broken in (
        "{not json",
        json.dumps({"format": "other"}),
        json.dumps({**good, "blocks": [{"lines": [{"quantity": "lots"}]}]}),
        json.dumps({**good, "blocks": [{"lines": [{"kind": "hovercraft"}]}]}),
    ):
        with pytest.raises(ClipboardError, match="damaged"):
            clipboard.decode(broken)
    too_long = json.dumps({**good, "blocks": [{"lines": [{"description": "x" * 600}]}]})
    with pytest.raises(ClipboardError, match="Description"):
        clipboard.decode(too_long)
    with pytest.raises(ClipboardError, match="newer Tandem"):
        clipboard.decode(json.dumps({**good, "version": 99}))


def test_the_text_form_is_read_back_through_the_import_mapping(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    motor = _line(doc, "Motor points, SkyPoint quote #SP-2291")
    clip = clipboard.copy_rows(doc, [motor])
    text = clipboard.to_tsv(clip)
    assert text.splitlines()[0].split("\t")[:4] == ["Description", "Section", "Kind", "Qty"]
    back = clipboard.from_tsv(text)
    assert back.source == "spreadsheet" and back.problems == []
    [values] = clipboard.paste_plan(doc, back, motor).blocks[0].lines
    line = doc.line(motor)
    assert (
        values["kind"],
        values["quantity"],
        values["unit"],
        values["unit_cost"],
        values["markup_pct"],
        values["price_basis"],
        values["supplier_id"],
    ) == (
        LineKind.SUPPLIER.value,
        line.quantity,
        line.unit,
        line.unit_cost,
        line.markup_pct,
        PriceBasis.MARKUP.value,
        line.supplier_id,
    )


SHEET = (
    "Item\tQty\tDays\tRate\tVendor\n"
    "Wireless mic kit\t6\t3\t$85.00\tSkyPoint Rigging\n"
    "Lectern\tabc\t1\t40\t\n"
    "Confidence monitor\t2\t3\t1,250.50\t\n"
    "Total\t\t\t\t\n"
)


def test_spreadsheet_rows_are_lines_and_a_bad_row_is_refused_with_its_reason(demo_db: Database) -> None:
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    clip = clipboard.from_tsv(SHEET)
    assert clip.line_count == 2
    [problem] = clip.problems
    assert problem.row_number == 3 and "Qty" in problem.reason and "abc" in problem.reason
    assert "row 3: Qty" in clipboard.problems_text(clip.problems)
    plan = clipboard.paste_plan(doc, clip, _line(doc, "500 mm LED panels, owned"))
    [block] = plan.blocks
    mic, monitor = block.lines
    assert (mic["description"], mic["quantity"], mic["days"], mic["unit_price"]) == (
        "Wireless mic kit",
        D(6),
        D(3),
        D(85),
    )
    assert mic["supplier_id"] is not None  # a supplier this database knows, by name
    assert monitor["unit_price"] == D("1250.50")


def test_text_without_a_header_row_is_refused(demo_db: Database) -> None:
    with pytest.raises(ClipboardError, match="header row"):
        clipboard.from_tsv("Wireless mic kit\t6\t3\n")
    with pytest.raises(ClipboardError, match="no rows"):
        clipboard.from_tsv("just a word")


def test_lines_pasted_into_an_estimate_without_sections_get_a_general_section(empty_db: Database) -> None:
    from app.services import directory

    client = directory.create_client(empty_db, "Maple Health")
    project = directory.create_project(empty_db, client, "Summit")
    doc = EstimateDocument(empty_db, directory.create_estimate(empty_db, project, "Main room"))
    for section in list(doc.sections):
        doc.delete_section(section.id)
    clip = clipboard.from_tsv("Description\tQty\tUnit cost\nPodium\t1\t120\nRiser\t4\t75\n")
    [block] = clipboard.paste_plan(doc, clip, None).blocks
    assert block.new_section == {"name": "General"} and len(block.lines) == 2
    made = _paste(doc, clip, None)
    assert [s.name for s in doc.sections] == ["General"]
    assert [doc.line(m).description for m in made] == ["Podium", "Riser"]


def test_more_lines_than_a_paste_takes_are_refused_whole() -> None:
    rows = "Description\tQty\n" + "".join(f"Item {n}\t1\n" for n in range(clipboard.PASTE_LINES_MAX + 1))
    with pytest.raises(ClipboardError, match="paste at most 1,000 at once"):
        clipboard.from_tsv(rows)


def test_a_thousand_lines_are_added_deleted_and_restored_in_one_transaction_each(demo_db: Database) -> None:
    """The paste's and its undo's writes: one commit each, however many lines (figures printed)."""
    import time

    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Full booth"))
    rows = "Description\tQty\tUnit cost\n" + "".join(
        f"Item {n}\t{n % 7 + 1}\t{n % 50 + 3}\n" for n in range(1000)
    )
    [block] = clipboard.paste_plan(doc, clipboard.from_tsv(rows), doc.sections[0].lines[0].id).blocks
    assert block.section_id is not None
    commits = []
    original = demo_db.write

    def counted(*args: object, **kwargs: object) -> object:
        commits.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    demo_db.write = counted  # type: ignore[method-assign]
    started = time.perf_counter()
    lines = doc.add_lines(block.section_id, block.index, block.lines)
    added = time.perf_counter() - started
    places = doc.delete_lines([line.id for line in lines])
    doc.restore_lines([(line.id, *place) for line, place in reversed(list(zip(lines, places, strict=True)))])
    elapsed = time.perf_counter() - started
    demo_db.write = original  # type: ignore[method-assign]
    print(f"\n1,000 pasted lines: added in {added:.2f} s; added, deleted and restored in {elapsed:.2f} s")
    assert len(commits) == 3
    fresh = EstimateDocument(demo_db, doc.estimate_id)
    assert [line.id for line in fresh.sections[0].lines] == [line.id for line in doc.sections[0].lines]
    assert [line.description for line in fresh.sections[0].lines][:3] == [
        "500 mm LED panels, owned",
        "Item 0",
        "Item 1",
    ]
