"""Two users on one estimate, each with a document that shows what it loaded: a section one of
them deleted takes no write of the other (issue 9, item 1), a section delete takes only the
lines its user saw, and two live lines never share a position.

Each test runs on SQLite and on PostgreSQL; "theirs" is a second connection to the same
file or schema, as another Tandem would have.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.services.estimate import document
from app.services.estimate.document import ConcurrentEditError, EstimateDocument
from app.services.estimate.section_editing import LINE_T, SECTION_T
from app.services.storage.database import Database, open_database
from tests.factories import make_estimate

D = Decimal


@pytest.fixture
def docs(any_db: Database, db_target: str) -> Iterator[tuple[EstimateDocument, EstimateDocument]]:
    """(mine, theirs): two documents of one estimate (sections “Video”, “Logistics”, 3 lines each),
    on two connections."""
    estimate_id = make_estimate(any_db, lines=6, sections=2)
    mine = EstimateDocument(any_db, estimate_id)
    mine.set_section_fields(mine.sections[0].id, {"name": "Video"})
    mine.set_section_fields(mine.sections[1].id, {"name": "Logistics"})
    other_db = open_database(db_target)
    try:
        yield mine, EstimateDocument(other_db, estimate_id)
    finally:
        other_db.close()


def _stored(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every section and line row as stored, for "nothing was written" checks."""
    with db.read() as conn:
        return {
            table.name: [tuple(r) for r in conn.execute(select(table).order_by(table.c.id))]
            for table in (SECTION_T, LINE_T)
        }


def _live_lines(db: Database, section_id: uuid.UUID) -> list[tuple[uuid.UUID, int]]:
    with db.read() as conn:
        return [
            (r.id, r.position)
            for r in conn.execute(
                select(LINE_T.c.id, LINE_T.c.position)
                .where(LINE_T.c.section_id == section_id, LINE_T.c.deleted_at.is_(None))
                .order_by(LINE_T.c.position, LINE_T.c.created_at)
            )
        ]


def _logistics(doc: EstimateDocument) -> uuid.UUID:
    (section_id,) = [s.id for s in doc.sections if s.name == "Logistics"]
    return section_id


# -- a write into a section someone else deleted --------------------------------------------------


WRITES = {
    "add_line": lambda doc, logistics, video: doc.add_line(logistics, 1, {"description": "Forklift"}),
    "set_line_fields": lambda doc, logistics, video: doc.set_line_fields(
        doc.section(logistics).lines[0].id, {"quantity": D(7)}
    ),
    "move_line": lambda doc, logistics, video: doc.move_line(doc.section(video).lines[0].id, logistics, 0),
    "move_line_out": lambda doc, logistics, video: doc.move_line(
        doc.section(logistics).lines[0].id, video, 0
    ),
    "set_alternative_flags": lambda doc, logistics, video: doc.set_alternative_flags(
        {doc.section(logistics).lines[0].id: True}
    ),
    "delete_line": lambda doc, logistics, video: doc.delete_line(doc.section(logistics).lines[0].id),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_into_a_section_deleted_elsewhere_is_a_conflict_and_writes_nothing(
    docs: tuple[EstimateDocument, EstimateDocument], write: str
) -> None:
    mine, theirs = docs
    logistics, video = _logistics(mine), mine.sections[0].id
    theirs.delete_section(logistics)
    stored = _stored(mine.db)
    with pytest.raises(ConcurrentEditError, match="“Logistics” was deleted by another user") as caught:
        WRITES[write](mine, logistics, video)
    assert isinstance(caught.value, document.ParentDeleted)
    assert (caught.value.table, caught.value.parent_id) == ("section", logistics)
    assert _stored(mine.db) == stored  # nothing was written
    assert logistics in {s.id for s in mine.sections}  # nor changed in memory: the user decides


def test_restoring_the_section_brings_it_back_with_the_line(
    docs: tuple[EstimateDocument, EstimateDocument],
) -> None:
    mine, theirs = docs
    logistics = _logistics(mine)
    seen = [line.id for line in mine.section(logistics).lines]
    theirs.delete_section(logistics)
    with pytest.raises(ConcurrentEditError, match="was deleted"):
        mine.add_line(logistics, 1, {"description": "Forklift"})
    mine.reload()
    mine.restore_section(logistics, 1)
    added = mine.add_line(logistics, 1, {"description": "Forklift"})
    assert [line.id for line in mine.section(logistics).lines] == [seen[0], added.id, *seen[1:]]
    theirs.reload()
    assert [line.description for line in theirs.section(logistics).lines][1] == "Forklift"


def test_a_write_into_a_deleted_estimate_is_a_conflict(
    docs: tuple[EstimateDocument, EstimateDocument],
) -> None:
    from app.services import directory

    mine, theirs = docs
    directory.set_deleted(theirs.db, "estimate", theirs.estimate_id, True)
    stored = _stored(mine.db)
    line_id = mine.sections[0].lines[0].id
    for write in (
        lambda: mine.set_line_fields(line_id, {"quantity": D(3)}),
        lambda: mine.add_section("Catering"),
        lambda: mine.add_parameter("guests", "40"),
    ):
        with pytest.raises(ConcurrentEditError, match="“Factory estimate” was deleted by another") as caught:
            write()
        assert isinstance(caught.value, document.ParentDeleted) and caught.value.table == "estimate"
    assert _stored(mine.db) == stored


# -- a section delete takes only what its user saw --------------------------------------------------


def _move_in(doc: EstimateDocument, logistics: uuid.UUID, video: uuid.UUID) -> uuid.UUID:
    line_id = doc.section(video).lines[0].id
    doc.move_line(line_id, logistics, 3)
    return line_id


def _change(doc: EstimateDocument, logistics: uuid.UUID, video: uuid.UUID) -> uuid.UUID:
    line_id = doc.section(logistics).lines[2].id
    doc.set_line_fields(line_id, {"quantity": D(9)})
    return line_id


UNSEEN = {
    "added": lambda doc, logistics, video: doc.add_line(logistics, 0, {"description": "Forklift"}).id,
    "moved in": _move_in,
    "changed": _change,
}


@pytest.mark.parametrize("how", list(UNSEEN))
def test_a_section_delete_does_not_take_a_line_it_never_saw(
    docs: tuple[EstimateDocument, EstimateDocument], how: str
) -> None:
    mine, theirs = docs
    logistics, video = _logistics(mine), mine.sections[0].id
    unseen = UNSEEN[how](theirs, logistics, video)
    stored = _stored(mine.db)
    with pytest.raises(ConcurrentEditError, match="added or changed 1 line in “Logistics”") as caught:
        mine.delete_section(logistics)
    assert isinstance(caught.value, document.UnseenLines)
    assert caught.value.descriptions == [theirs.line(unseen).description]
    assert _stored(mine.db) == stored
    mine.reload()  # now the user has seen it: the delete goes through
    mine.delete_section(logistics)
    theirs.reload()
    assert "Logistics" not in [s.name for s in theirs.sections]


def test_a_line_deleted_or_moved_out_elsewhere_does_not_stop_a_section_delete(
    docs: tuple[EstimateDocument, EstimateDocument],
) -> None:
    mine, theirs = docs
    logistics, video = _logistics(mine), mine.sections[0].id
    theirs.delete_line(theirs.section(logistics).lines[0].id)
    moved = theirs.section(logistics).lines[0].id
    theirs.move_line(moved, video, 0)
    mine.delete_section(logistics)
    theirs.reload()
    assert [s.name for s in theirs.sections] == ["Video"]
    assert theirs.section(video).lines[0].id == moved  # what was moved out stays


# -- positions -------------------------------------------------------------------------------------


def test_two_stale_documents_adding_and_moving_never_share_a_position(
    docs: tuple[EstimateDocument, EstimateDocument],
) -> None:
    mine, theirs = docs
    logistics, video = _logistics(mine), mine.sections[0].id
    first, second, third = (line.id for line in mine.section(logistics).lines)
    a = mine.add_line(logistics, 1, {"description": "A"})
    b = theirs.add_line(logistics, 1, {"description": "B"})  # theirs has not seen A
    moved = theirs.section(video).lines[0].id
    theirs.move_line(moved, logistics, 0)
    d = mine.add_line(logistics, 3, {"description": "D"})  # mine has seen neither B nor the move
    stored = _live_lines(mine.db, logistics)
    assert [p for _, p in stored] == list(range(len(stored)))  # one line per position, no gap
    # Each document's order holds, and a line it never saw stays after the line it followed.
    assert [i for i, _ in stored] == [moved, first, a.id, b.id, second, d.id, third]
    mine.reload()
    theirs.reload()
    assert [line.id for line in mine.section(logistics).lines] == [i for i, _ in stored]
    assert [line.position for line in theirs.section(logistics).lines] == list(range(len(stored)))


def test_two_stale_documents_adding_sections_never_share_a_position(
    docs: tuple[EstimateDocument, EstimateDocument],
) -> None:
    mine, theirs = docs
    mine.add_section("Catering", 1)
    theirs.add_section("Power", 1)
    with mine.db.read() as conn:
        positions = [
            r.position
            for r in conn.execute(
                select(SECTION_T.c.position)
                .where(SECTION_T.c.estimate_id == mine.estimate_id, SECTION_T.c.deleted_at.is_(None))
                .order_by(SECTION_T.c.position)
            )
        ]
    assert positions == [0, 1, 2, 3]
    mine.reload()
    assert [s.name for s in mine.sections] == ["Video", "Catering", "Power", "Logistics"]
