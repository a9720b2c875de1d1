"""A read that does not hang together, or fails, changes nothing in memory and says so in one line."""

from __future__ import annotations

import pytest

from app.services.estimate.document import Change, EstimateDocument
from app.services.storage.check import check_database
from app.services.storage.database import Database
from app.services.storage.errors import DamagedRead, StorageError
from tests.damage import duplicate_row_behind_the_index, failing_reads
from tests.factories import make_estimate


@pytest.mark.parametrize("table", ["section", "lineitem"])
def test_a_reload_over_a_row_stored_twice_fails_cleanly(empty_db: Database, table: str) -> None:
    # Before: AttributeError: 'NoneType' object has no attribute 'cost' (pricing.summarize),
    # after the document had announced a reset and swapped its rows.
    doc = EstimateDocument(empty_db, make_estimate(empty_db, lines=6, sections=2))
    totals, sections = doc.totals, [(s.id, [ln.id for ln in s.lines]) for s in doc.sections]
    changes: list[Change] = []
    doc.subscribe(changes.append)
    twice = doc.sections[0] if table == "section" else doc.sections[1].lines[0]
    duplicate_row_behind_the_index(empty_db.path, table, twice.id)  # type: ignore[arg-type]
    assert check_database(empty_db.path).integrity != "ok"  # `tandem check` sees it  # type: ignore[arg-type]

    with pytest.raises(DamagedRead) as failure:
        doc.reload()
    what = (
        "a section appears twice" if table == "section" else f"the line “{twice.description}” appears twice"
    )  # type: ignore[union-attr]
    assert str(failure.value) == (
        f"{empty_db.path} could not be read consistently ({what}): it is damaged, or being written over a "
        "share that does not lock files. Nothing was changed; `tandem check` tells which."
    )
    assert changes == []  # nothing announced
    assert doc.totals == totals and [(s.id, [ln.id for ln in s.lines]) for s in doc.sections] == sections
    with pytest.raises(DamagedRead):
        EstimateDocument(empty_db, doc.estimate_id)  # a fresh open says the same


def test_a_reload_that_hits_a_disk_io_error_changes_nothing(empty_db: Database) -> None:
    doc = EstimateDocument(empty_db, make_estimate(empty_db, lines=6, sections=2))
    totals = doc.totals
    changes: list[Change] = []
    doc.subscribe(changes.append)
    with (
        failing_reads(empty_db, when=lambda sql: "lineitem" in sql) as failed,
        pytest.raises(StorageError, match="disk I/O error"),
    ):
        doc.reload()
    assert failed and changes == [] and doc.totals == totals
    doc.reload()  # and the next try goes through
    assert doc.totals == totals
