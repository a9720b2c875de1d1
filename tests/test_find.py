"""Find in an estimate (app.services.estimate.find): what it looks at, in what order, round."""

from __future__ import annotations

import uuid

from app.services.estimate.document import EstimateDocument
from app.services.estimate.find import find_rows, next_match, searchable
from app.services.storage.database import Database


def _line(doc: EstimateDocument, description: str) -> uuid.UUID:
    return next(line.id for line in doc.lines() if line.description == description)


def test_find_looks_at_descriptions_wording_suppliers_and_roles(
    demo_db: Database, full_booth_id: uuid.UUID
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    processors = _line(doc, "LED processors, sub-rented from Brightline")
    assert find_rows(doc, "  VIDEO rentals ") == [processors]  # its supplier's name, any case
    assert find_rows(doc, "SkyPoint") == [_line(doc, "Motor points, SkyPoint quote #SP-2291")]
    assert find_rows(doc, "dismantle") == [
        doc.sections[2].id,
        _line(doc, "Stagehands, strike"),
        _line(doc, "Riggers, strike"),
    ]  # client wording
    rigging = set(find_rows(doc, "rigging"))  # a section's name, a supplier's, wording, a role's
    assert {
        doc.sections[1].id,
        _line(doc, "Motor points, SkyPoint quote #SP-2291"),
        _line(doc, "Riggers, load-in"),
    } <= rigging
    stagehands = doc.line(_line(doc, "Stagehands, load-in"))
    stagehands.description = "Crew A"  # only its role's name says stagehand now
    assert stagehands.id in find_rows(doc, "stagehand")
    assert find_rows(doc, "") == [] and find_rows(doc, "   ") == []
    assert find_rows(doc, "nothing like this") == []


def test_next_match_goes_round_from_the_current_row(demo_db: Database, full_booth_id: uuid.UUID) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    rows = searchable(doc)
    order = [row_id for row_id, _words in rows]
    matches = find_rows(doc, "dismantle", rows)
    assert matches == find_rows(doc, "dismantle")  # kept or made anew, the same
    labour, strike, riggers = matches
    assert next_match(matches, order, None, 1) == labour
    assert next_match(matches, order, None, -1) == riggers
    first_line = doc.sections[0].lines[0].id
    assert next_match(matches, order, first_line, 1) == labour
    assert next_match(matches, order, first_line, -1) == riggers  # round, backwards
    assert next_match(matches, order, labour, 1) == strike
    assert next_match(matches, order, riggers, 1) == labour
    assert next_match(matches, order, strike, -1) == labour
    assert next_match([], order, labour, 1) is None
    assert next_match(matches, order, uuid.uuid4(), 1) == labour  # a row gone: from the start
