"""Offline at the trade show: take a copy to the laptop, merge it back, three ways, on real files."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from app.models import metadata
from app.models.types import utcnow
from app.services.demo import build_demo
from app.services.estimate.document import EstimateDocument
from app.services.storage.database import Database, open_database
from app.services.storage.merge_apply import apply_decisions, decide_all, merge_back, plan_merge
from app.services.storage.offline import (
    DELETED,
    Conflict,
    Explicit,
    MergeCancelled,
    OfflineError,
    record_tables,
)
from app.services.storage.offline_take import base_path_for, take_offline
from tests.factories import estimate_id, make_estimate

Dump = dict[str, dict[uuid.UUID, dict[str, Any]]]
LINE = "lineitem"


# -- helpers ------------------------------------------------------------------------------------


def edit(db: Database, table: str, row_id: uuid.UUID, **values: Any) -> None:
    """Change a row the way every Tandem writer does: new version, new updated_at."""
    t = metadata.tables[table]
    with db.write() as conn:
        result = conn.execute(
            update(t).where(t.c.id == row_id).values(**values, version=t.c.version + 1, updated_at=utcnow())
        )
    assert result.rowcount == 1


def delete(db: Database, table: str, row_id: uuid.UUID) -> None:
    edit(db, table, row_id, deleted_at=utcnow())


def dump(db: Database) -> Dump:
    with db.read() as conn:
        return {
            t.name: {row.id: dict(row._mapping) for row in conn.execute(select(t))} for t in record_tables()
        }


def row(db: Database, table: str, row_id: uuid.UUID) -> dict[str, Any]:
    """One stored row (read alone: the random-edits test asks for one per delete it draws)."""
    t = metadata.tables[table]
    with db.read() as conn:
        return dict(conn.execute(select(t).where(t.c.id == row_id)).one()._mapping)


def fingerprint(path: Path) -> tuple[str, list[str]]:
    """The file's bytes (hashed) and what lies beside it: a write of any kind changes one of them."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(p.name for p in path.parent.iterdir())


def line_ids(db: Database) -> list[uuid.UUID]:
    """The live lines of the Full booth, in order."""
    doc = EstimateDocument(db, estimate_id(db, "Full booth"))
    return [line.id for line in doc.lines()]


@pytest.fixture
def share(demo_db: Database) -> Database:
    return demo_db


@pytest.fixture
def laptop_path(tmp_path: Path, share: Database) -> Path:
    path = tmp_path / "show" / "laptop.db"
    path.parent.mkdir()
    take_offline(share, path)
    return path


@pytest.fixture
def laptop(laptop_path: Path) -> Iterator[Database]:
    db = open_database(laptop_path, create=False)
    try:
        yield db
    finally:
        db.close()


# -- taking offline -----------------------------------------------------------------------------


def test_record_tables_are_every_data_table_from_the_metadata() -> None:
    names = {t.name for t in record_tables()}
    assert names == {
        "client", "contact", "project", "estimate", "section", "lineitem", "catalogitem", "role",
        "supplier", "labourruleset", "company", "labourholiday",
        "crewmember", "crewrole", "crewunavailability", "crewassignment",
        "estimateparameter", "quoterevision", "catalogcategory", "lostreason",
        "equipmentitem", "subrentalrate", "kitcomponent",
        "supplierquote", "supplierquoteitem", "supplierquotebreak", "linequotecandidate",
        "supplierorder", "supplierorderline", "projecttype", "milestonetemplate", "milestone",
        "pipelinestage", "activity",
    }
    order = [t.name for t in record_tables()]
    assert order.index("client") < order.index("project") < order.index("estimate") < order.index("section")
    assert order.index("section") < order.index("lineitem") and order.index("catalogitem") < order.index(LINE)


def test_take_offline_writes_a_checked_copy_and_its_base(share: Database, tmp_path: Path) -> None:
    assert share.path is not None
    before = fingerprint(share.path)
    copy = take_offline(share, tmp_path / "laptop.db")
    assert copy.laptop == (tmp_path / "laptop.db").resolve()
    assert copy.base == base_path_for(copy.laptop) and copy.base.name == "laptop.db.base.db"
    assert copy.rows == sum(len(rows) for rows in dump(share).values())
    for path in (copy.laptop, copy.base):
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        db = open_database(path, create=False)
        try:
            assert dump(db) == dump(share)
        finally:
            db.close()
    # The share was only read: same bytes, no journal or temporary files left anywhere.
    assert fingerprint(share.path)[0] == before[0]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "laptop.db", "laptop.db.base.db", "tandem.db",
    ]


def test_take_offline_from_a_path_leaves_no_presence_behind(share: Database, tmp_path: Path) -> None:
    assert share.path is not None
    with sqlite3.connect(share.path) as conn:
        conn.execute("INSERT INTO presence (id, user_name, host, pid, app_version, started_at, heartbeat_at) "
                     "VALUES (?, 'sam', 'OFFICE-1', 42, '', '2026-01-01', '2026-01-01')", (uuid.uuid4().hex,))
    copy = take_offline(str(share.path), tmp_path / "laptop.db")
    with sqlite3.connect(copy.laptop) as conn:
        assert conn.execute("SELECT count(*) FROM presence").fetchone()[0] == 0


def test_take_offline_never_overwrites(share: Database, tmp_path: Path) -> None:
    laptop = tmp_path / "laptop.db"
    laptop.write_bytes(b"precious")
    with pytest.raises(OfflineError, match="already exists"):
        take_offline(share, laptop)
    assert laptop.read_bytes() == b"precious"
    assert not base_path_for(laptop).exists()
    with pytest.raises(OfflineError, match="does not exist"):
        take_offline(share, tmp_path / "nowhere" / "laptop.db")
    assert share.path is not None
    with pytest.raises(OfflineError, match="already exists"):
        take_offline(share, share.path)


# -- merging: one side at a time ----------------------------------------------------------------


def test_laptop_only_edits_are_applied_with_a_new_version(share: Database, laptop: Database,
                                                         laptop_path: Path) -> None:
    line = line_ids(laptop)[0]
    before = row(share, LINE, line)
    edit(laptop, LINE, line, quantity=Decimal(99), description="LED processors, ours now")
    assert share.path is not None
    watcher = open_database(share.path, create=False)
    try:
        watcher.changed_elsewhere()
        report = merge_back(laptop_path, share)
        assert watcher.changed_elsewhere()  # open clients are told
    finally:
        watcher.close()
    assert report.written and not report.conflicts and not report.kept
    assert [(c.table, c.row_id, c.action, c.fields) for c in report.applied] == [
        (LINE, line, "updated", ("description", "quantity"))
    ]
    after = row(share, LINE, line)
    assert after["quantity"] == 99 and after["description"] == "LED processors, ours now"
    assert after["version"] == before["version"] + 1 and after["updated_at"] > before["updated_at"]


def test_share_only_edits_are_kept(share: Database, laptop_path: Path) -> None:
    line = line_ids(share)[0]
    edit(share, LINE, line, quantity=Decimal(5))
    before = dump(share)
    report = merge_back(laptop_path, share)
    assert not report.written and not report.applied and not report.conflicts
    assert [(c.row_id, c.fields) for c in report.kept] == [(line, ("quantity",))]
    assert dump(share) == before


def test_different_fields_of_one_row_merge_cleanly(share: Database, laptop: Database,
                                                  laptop_path: Path) -> None:
    line = line_ids(share)[1]
    edit(laptop, LINE, line, quantity=Decimal(20))
    edit(share, LINE, line, days=Decimal(3))
    report = merge_back(laptop_path, share)
    assert report.written and not report.conflicts
    merged = row(share, LINE, line)
    assert (merged["quantity"], merged["days"]) == (20, 3)


def test_the_same_field_is_a_conflict_and_nothing_is_written(share: Database, laptop: Database,
                                                            laptop_path: Path) -> None:
    line = line_ids(share)[2]  # the motor points, 16 of them
    base = row(share, LINE, line)
    edit(laptop, LINE, line, quantity=Decimal(20), unit="box")
    edit(share, LINE, line, quantity=Decimal(12), days=Decimal(2))
    assert share.path is not None
    before, base_before = fingerprint(share.path), fingerprint(base_path_for(laptop_path))
    report = merge_back(laptop_path, share)
    assert not report.written and not report.complete
    assert fingerprint(share.path) == before and fingerprint(base_path_for(laptop_path)) == base_before
    (conflict,) = report.conflicts
    assert conflict.key == (LINE, line, "quantity")
    assert (conflict.base, conflict.laptop, conflict.share) == (base["quantity"], 20, 12)
    assert conflict.label == f"“{base['description']}”" and conflict.table_label == "Line item"
    assert conflict.where.endswith("Full booth › Rigging")
    assert (conflict.base_text, conflict.laptop_text, conflict.share_text) == ("16", "20", "12")
    assert [c.fields for c in report.applied] == [("unit",)]  # what it would apply
    assert "Nothing was written: 1 conflict(s) need a decision." in report.lines()


def test_decisions_take_mine_theirs_or_a_new_value(share: Database, laptop: Database,
                                                  laptop_path: Path) -> None:
    a, b, c = line_ids(share)[:3]
    for line, mine, theirs in ((a, "1", "2"), (b, "5", "6"), (c, "7", "8")):
        edit(laptop, LINE, line, quantity=Decimal(mine))
        edit(share, LINE, line, quantity=Decimal(theirs))
    edit(laptop, LINE, a, description="mine")
    edit(share, LINE, a, description="theirs")
    report = plan_merge(laptop_path, share)
    assert report.dry_run and len(report.conflicts) == 4
    by_key = {conflict.key: conflict for conflict in report.conflicts}
    decisions: dict[Any, Any] = {
        (LINE, a, "quantity"): "laptop",
        by_key[(LINE, b, "quantity")]: "share",
        (LINE, c, "quantity"): Explicit("7.5"),
        (LINE, str(a), "description"): "both of ours",
    }
    done = apply_decisions(report, decisions)
    assert done.written and done.complete
    assert [row(share, LINE, line)["quantity"] for line in (a, b, c)] == [1, 6, Decimal("7.5")]
    assert row(share, LINE, a)["description"] == "both of ours"
    assert any("→ set to 7.5" in line for line in done.lines())
    again = merge_back(laptop_path, share)
    assert not again.conflicts and not again.applied and not again.written


def test_a_bad_explicit_value_is_refused(share: Database, laptop: Database, laptop_path: Path) -> None:
    line = line_ids(share)[0]
    edit(laptop, LINE, line, quantity=Decimal(1))
    edit(share, LINE, line, quantity=Decimal(2))
    report = plan_merge(laptop_path, share)
    before = dump(share)
    with pytest.raises(OfflineError, match="not a valid quantity"):
        apply_decisions(report, {report.conflicts[0]: Explicit("lots")})
    with pytest.raises(OfflineError, match="not a valid quantity"):
        apply_decisions(report, {report.conflicts[0]: 2.5})  # money and quantities are never floats
    assert dump(share) == before


def test_inserts_on_either_side_both_land(share: Database, laptop: Database, laptop_path: Path) -> None:
    full = estimate_id(share, "Full booth")
    mine = EstimateDocument(laptop, full)
    section = mine.add_section("Special effects")
    mine.add_line(section.id, values={"description": "Haze machine", "unit_cost": Decimal(80)})
    mine.add_line(mine.sections[0].id, 0, {"description": "Spare panels", "quantity": Decimal(4)})
    theirs = EstimateDocument(share, full)
    theirs.add_line(theirs.sections[0].id, None, {"description": "Spare processor"})
    report = merge_back(laptop_path, share)
    assert report.written and not report.conflicts
    assert sorted(c.label for c in report.applied if c.action == "inserted") == [
        "“Haze machine”", "“Spare panels”", "“Special effects”",
    ]
    merged = EstimateDocument(share, full)
    names = [line.description for line in merged.lines()]
    assert {"Haze machine", "Spare panels", "Spare processor"} <= set(names)
    assert [s.name for s in merged.sections][-1] == "Special effects"
    assert merged.sections[0].lines[0].description == "Spare panels"


def test_deletions_on_either_side_do_not_come_back(share: Database, laptop: Database,
                                                  laptop_path: Path) -> None:
    full = estimate_id(share, "Full booth")
    a, b = line_ids(share)[3:5]  # the last of the rigging, the first of the labour
    EstimateDocument(laptop, full).delete_line(a)
    EstimateDocument(share, full).delete_line(b)
    report = merge_back(laptop_path, share)
    assert report.written and not report.conflicts
    assert [(c.row_id, c.action) for c in report.applied if c.table == LINE] == [(a, "deleted")]
    assert (b, "deleted") in [(c.row_id, c.action) for c in report.kept]
    live = line_ids(share)
    assert a not in live and b not in live
    assert row(share, LINE, a)[DELETED] is not None  # a tombstone, not a missing row
    again = merge_back(laptop_path, share)
    assert not again.written and not again.applied
    assert a not in line_ids(share) and b not in line_ids(share)


@pytest.mark.parametrize("deleter", ["laptop", "share"])
@pytest.mark.parametrize("choice", ["laptop", "share"])
def test_edit_against_delete_is_a_conflict(share: Database, laptop: Database, laptop_path: Path,
                                           deleter: str, choice: str) -> None:
    line = line_ids(share)[4]
    deleting, editing = (laptop, share) if deleter == "laptop" else (share, laptop)
    delete(deleting, LINE, line)
    edit(editing, LINE, line, quantity=Decimal(11))
    report = merge_back(laptop_path, share)
    assert not report.written
    (conflict,) = report.conflicts
    assert conflict.key == (LINE, line, DELETED) and conflict.is_deletion
    texts = {"laptop": conflict.laptop_text, "share": conflict.share_text}
    assert texts[deleter] == "deleted"
    assert texts["share" if deleter == "laptop" else "laptop"] == "kept, changed"
    done = merge_back(laptop_path, share, {conflict: choice})
    merged = row(share, LINE, line)
    assert (merged[DELETED] is not None) == (choice == deleter)
    assert merged["quantity"] == 11  # the edit is never lost, even on a tombstone
    assert done.complete and not merge_back(laptop_path, share).conflicts


def test_changes_inside_a_section_deleted_on_the_other_side_are_a_conflict(
    share: Database, laptop: Database, laptop_path: Path
) -> None:
    full = estimate_id(share, "Full booth")
    theirs = EstimateDocument(share, full)
    section = theirs.sections[2]  # Labour
    first, second = section.lines[0].id, section.lines[1].id
    theirs.delete_section(section.id)
    mine = EstimateDocument(laptop, full)
    mine.set_line_fields(first, {"hours": Decimal(12)})
    mine.add_line(section.id, 0, {"description": "Forklift driver", "kind": "labour"})
    mine.delete_line(second)  # renumbers the rest: not a change "inside"
    report = merge_back(laptop_path, share)
    (conflict,) = report.conflicts
    assert conflict.key == ("section", section.id, DELETED)
    assert conflict.laptop_text == "kept, 2 rows inside changed or added" and conflict.share_text == "deleted"
    merge_back(laptop_path, share, decide_all(report.conflicts, "laptop"))
    merged = EstimateDocument(share, full)
    labour = merged.section(section.id)
    assert labour.lines[0].description == "Forklift driver"
    assert merged.line(first).hours == 12 and not merged.has_line(second)


def test_a_section_deleted_on_the_laptop_with_nothing_changed_inside_goes(
    share: Database, laptop: Database, laptop_path: Path
) -> None:
    full = estimate_id(share, "Full booth")
    section = EstimateDocument(laptop, full).sections[1]
    EstimateDocument(laptop, full).delete_section(section.id)
    theirs = EstimateDocument(share, full)
    theirs.delete_line(theirs.sections[0].lines[0].id)  # elsewhere; renumbers nothing in that section
    report = merge_back(laptop_path, share)
    assert report.written and not report.conflicts
    assert section.id not in [s.id for s in EstimateDocument(share, full).sections]


# -- dry runs, idempotence --------------------------------------------------------------------


def test_a_dry_run_writes_nothing(share: Database, laptop: Database, laptop_path: Path) -> None:
    a, b = line_ids(share)[:2]
    edit(laptop, LINE, a, quantity=Decimal(1))
    delete(laptop, LINE, b)
    assert share.path is not None
    before, table_dump = fingerprint(share.path), dump(share)
    base_before = fingerprint(base_path_for(laptop_path))
    report = merge_back(laptop_path, share, dry_run=True)
    assert report.dry_run and not report.written and len(report.applied) == 2
    assert "Dry run: nothing was written." in report.lines()
    assert fingerprint(share.path) == before and dump(share) == table_dump
    assert fingerprint(base_path_for(laptop_path)) == base_before


def test_merging_twice_changes_nothing_the_second_time(share: Database, laptop: Database,
                                                       laptop_path: Path) -> None:
    full = estimate_id(share, "Full booth")
    lines = line_ids(share)
    edit(laptop, LINE, lines[0], quantity=Decimal(3))
    edit(share, LINE, lines[0], quantity=Decimal(4))
    edit(share, LINE, lines[1], unit="box")
    EstimateDocument(laptop, full).add_line(EstimateDocument(laptop, full).sections[0].id)
    first = merge_back(laptop_path, share, decide_all(plan_merge(laptop_path, share).conflicts, "share"))
    assert first.written
    assert share.path is not None
    before = fingerprint(share.path)
    second = merge_back(laptop_path, share)
    assert not second.written and not second.applied and not second.conflicts
    assert fingerprint(share.path) == before
    # Later edits on the laptop are merged on their own.
    edit(laptop, LINE, lines[2], days=Decimal(9))
    third = merge_back(laptop_path, share)
    assert [(c.row_id, c.fields) for c in third.applied] == [(lines[2], ("days",))]
    assert row(share, LINE, lines[0])["quantity"] == 4


def test_merging_a_copy_into_itself_changes_nothing(share: Database, laptop: Database,
                                                    laptop_path: Path) -> None:
    edit(laptop, LINE, line_ids(laptop)[0], quantity=Decimal(3))
    delete(laptop, LINE, line_ids(laptop)[1])
    before, table_dump = fingerprint(laptop_path), dump(laptop)
    report = merge_back(laptop_path, laptop_path)
    assert not report.written and not report.applied and not report.conflicts
    assert fingerprint(laptop_path)[0] == before[0] and dump(laptop) == table_dump


def test_every_record_table_is_merged(share: Database, laptop: Database, laptop_path: Path) -> None:
    changed: dict[str, uuid.UUID] = {}
    rows = dump(laptop)
    for t in record_tables():
        text = next((c.name for c in t.columns if c.name in ("name", "description", "notes", "reason")), None)
        if text is None or not rows[t.name]:
            continue  # no text field to mark, or the demo has no such rows
        row_id = next(iter(rows[t.name]))
        edit(laptop, t.name, row_id, **{text: f"edited {t.name}"})
        changed[t.name] = row_id
    report = merge_back(laptop_path, share)
    assert report.written and not report.conflicts
    assert {c.table for c in report.applied} == set(changed)
    merged = dump(share)
    for table, row_id in changed.items():
        assert f"edited {table}" in merged[table][row_id].values()


def test_the_full_booth_totals_after_a_merge_are_what_the_document_computes(
    share: Database, laptop: Database, laptop_path: Path, tmp_path: Path
) -> None:
    """Both sides edit the Full booth; a reference copy gets every edit through EstimateDocument."""
    full = estimate_id(share, "Full booth")
    assert EstimateDocument(share, full).totals.total == Decimal("95580.00")
    reference = open_database(take_offline(share, tmp_path / "reference.db").laptop, create=False)
    try:
        new_line = uuid.uuid4()

        def laptop_edits(doc: EstimateDocument) -> None:
            led = doc.sections[0].lines[0].id
            doc.set_line_fields(led, doc.parse_line_edit(led, "quantity", "2"))
            doc.add_line(doc.sections[1].id, 0, {"description": "Chain hoist", "unit_cost": Decimal(300),
                                                 "markup_pct": Decimal(30)}, line_id=new_line)
            doc.delete_line(doc.sections[2].lines[-1].id)

        def share_edits(doc: EstimateDocument) -> None:
            doc.set_estimate_fields(doc.parse_estimate_edit("contingency_pct", "7.5"))
            truss = doc.sections[1].lines[-1].id
            doc.set_line_fields(truss, doc.parse_line_edit(truss, "days", "3"))

        laptop_edits(EstimateDocument(laptop, full))
        share_edits(EstimateDocument(share, full))
        expected = EstimateDocument(reference, full)
        laptop_edits(expected)
        share_edits(expected)
        report = merge_back(laptop_path, share)
        assert report.written and not report.conflicts
        merged = EstimateDocument(share, full)
        assert merged.totals == expected.totals
        assert merged.totals.total != Decimal("95580.00")
        assert [line.id for line in merged.lines()] == [line.id for line in expected.lines()]
    finally:
        reference.close()


# -- refusals, progress -------------------------------------------------------------------------


def test_merge_refuses_a_share_the_copy_was_not_taken_from(laptop_path: Path, tmp_path: Path) -> None:
    other = open_database(tmp_path / "other.db")
    try:
        build_demo(other)  # the same company, but other rows
        assert other.path is not None
        before = fingerprint(other.path)
        with pytest.raises(OfflineError, match="not taken from this database"):
            merge_back(laptop_path, other)
        assert fingerprint(other.path) == before
    finally:
        other.close()


def test_merge_needs_the_base_beside_the_laptop_copy(share: Database, laptop_path: Path,
                                                     tmp_path: Path) -> None:
    moved = tmp_path / "moved.db"
    shutil.copy(laptop_path, moved)
    with pytest.raises(OfflineError, match=r"No base snapshot .*moved\.db\.base\.db"):
        merge_back(moved, share)
    with pytest.raises(OfflineError, match="No laptop copy"):
        merge_back(tmp_path / "missing.db", share)


def test_progress_is_reported_and_a_cancel_writes_nothing(share: Database, laptop: Database,
                                                          laptop_path: Path) -> None:
    edit(laptop, LINE, line_ids(laptop)[0], quantity=Decimal(1))
    steps: list[tuple[str, int, int]] = []
    before = dump(share)

    def cancel_when_writing(step: str, done: int, total: int) -> bool:
        steps.append((step, done, total))
        return not step.startswith("Writing")

    with pytest.raises(MergeCancelled):
        merge_back(laptop_path, share, progress=cancel_when_writing)
    assert dump(share) == before
    assert [s[0] for s in steps][-1] == "Writing to the share"
    steps.clear()

    def record(step: str, done: int, total: int) -> None:
        steps.append((step, done, total))

    assert merge_back(laptop_path, share, progress=record).written
    assert steps[-1] == ("Done", 4, 4)


def test_a_postgresql_share_goes_offline_and_merges_back(pg_url: str, tmp_path: Path) -> None:
    share = open_database(pg_url)
    try:
        build_demo(share)
        laptop_path = tmp_path / "laptop.db"
        copy = take_offline(share, laptop_path)
        assert copy.rows == sum(len(rows) for rows in dump(share).values())
        laptop = open_database(laptop_path, create=False)
        try:
            assert dump(laptop) == dump(share)
            a, b, c, d = line_ids(share)[:4]
            edit(laptop, LINE, a, quantity=Decimal(5))
            edit(share, LINE, b, days=Decimal(2))
            edit(laptop, LINE, c, quantity=Decimal(7))
            edit(share, LINE, c, quantity=Decimal(8))
            delete(laptop, LINE, d)
            report = merge_back(laptop_path, share)
            assert not report.written and [x.key for x in report.conflicts] == [(LINE, c, "quantity")]
            done = merge_back(laptop_path, share, decide_all(report.conflicts, "laptop"))
            assert done.written
            merged = dump(share)[LINE]
            assert [merged[x]["quantity"] for x in (a, c)] == [5, 7] and merged[b]["days"] == 2
            assert merged[d][DELETED] is not None
            before = dump(share)
            assert not merge_back(laptop_path, share).written and dump(share) == before
        finally:
            laptop.close()
    finally:
        share.close()


# -- hypothesis: random edit scripts on both sides ------------------------------------------------

FIELD_VALUES: dict[str, list[Any]] = {
    "description": ["alpha", "beta", "gamma"],
    "quantity": [Decimal(1), Decimal("2.5"), Decimal(40)],
    "unit": ["ea", "box"],
    "optional": [True, False],
}
SECTION_VALUES = {"name": ["Left", "Right"], "client_description": ["", "For the client"]}


@dataclass(frozen=True)
class Op:
    kind: str  # "line", "section", "delete", "add"
    target: int
    field: str = ""
    value: Any = None


def _ops() -> st.SearchStrategy[list[Op]]:
    line_edit = st.sampled_from(sorted(FIELD_VALUES)).flatmap(
        lambda f: st.builds(Op, st.just("line"), st.integers(0, 2), st.just(f),
                            st.sampled_from(FIELD_VALUES[f]))
    )
    section_edit = st.sampled_from(sorted(SECTION_VALUES)).flatmap(
        lambda f: st.builds(Op, st.just("section"), st.integers(0, 1), st.just(f),
                            st.sampled_from(SECTION_VALUES[f]))
    )
    deletion = st.builds(Op, st.just("delete"), st.integers(0, 2))
    addition = st.builds(Op, st.just("add"), st.integers(0, 1), st.just("description"),
                         st.sampled_from(FIELD_VALUES["description"]))
    return st.lists(st.one_of(line_edit, line_edit, section_edit, deletion, addition), min_size=1, max_size=8)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed share with one estimate of 6 lines in 2 sections, copied for every example."""
    path = tmp_path_factory.mktemp("template") / "share.db"
    db = open_database(path)
    try:
        make_estimate(db, lines=6, sections=2)
    finally:
        db.close()
    return path


def _run(db: Database, ops: list[Op], lines: list[uuid.UUID], sections: list[uuid.UUID]) -> None:
    for op in ops:
        if op.kind == "line":
            edit(db, LINE, lines[op.target], **{op.field: op.value})
        elif op.kind == "section":
            edit(db, "section", sections[op.target], **{op.field: op.value})
        elif op.kind == "delete":
            if row(db, LINE, lines[op.target])[DELETED] is None:
                delete(db, LINE, lines[op.target])
        else:
            doc = EstimateDocument(db, estimate_id(db, "Factory estimate"))
            doc.add_line(sections[op.target], None, {"description": op.value})


def _expect(base: Dump, laptop: Dump, share: Dump, choose: dict[Any, str]) -> tuple[set[Any], Dump]:
    """The oracle: which conflicts a merge must report, and the share it must leave (by value)."""
    conflicts: set[Any] = set()
    result: Dump = {}
    for table in share:
        result[table] = {}
        for row_id in laptop[table].keys() | share[table].keys():
            b, lap, sh = base[table].get(row_id), laptop[table].get(row_id), share[table].get(row_id)
            if lap is None or sh is None:
                result[table][row_id] = dict(lap or sh or {})
                continue
            assert b is not None
            merged = dict(sh)
            for name in lap:
                if name in ("id", "version", "updated_at", "created_at", DELETED):
                    continue
                if lap[name] != b[name] and sh[name] != b[name] and lap[name] != sh[name]:
                    if name == "position":
                        continue  # both renumbered: the share's order stands
                    conflicts.add((table, row_id, name))
                    merged[name] = lap[name] if choose.get((table, row_id, name)) == "laptop" else sh[name]
                elif lap[name] != b[name]:
                    merged[name] = lap[name]
            alive = {side: r[DELETED] is None for side, r in (("base", b), ("laptop", lap), ("share", sh))}
            ignored = ("id", "version", "updated_at", "position", DELETED)
            edited = {side: any(r[f] != b[f] for f in r if f not in ignored)
                      for side, r in (("laptop", lap), ("share", sh))}
            if alive["laptop"] != alive["share"]:
                deleter = "laptop" if not alive["laptop"] else "share"
                other = "share" if deleter == "laptop" else "laptop"
                if edited[other]:
                    conflicts.add((table, row_id, DELETED))
                    winner = lap if choose.get((table, row_id, DELETED)) == "laptop" else sh
                    merged[DELETED] = winner[DELETED]
                elif deleter == "laptop":
                    merged[DELETED] = lap[DELETED]
            result[table][row_id] = merged
    return conflicts, result


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(laptop_ops=_ops(), share_ops=_ops(), data=st.data())
def test_random_edits_on_both_sides_merge_as_promised(template: Path, laptop_ops: list[Op],
                                                      share_ops: list[Op], data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        share_path = Path(folder) / "share.db"
        shutil.copy(template, share_path)
        take_offline(share_path, Path(folder) / "laptop.db")
        share, laptop = open_database(share_path, create=False), open_database(Path(folder) / "laptop.db")
        try:
            base = dump(share)
            lines = sorted(base[LINE], key=lambda i: base[LINE][i]["description"])
            sections = sorted(base["section"], key=lambda i: base["section"][i]["position"])
            _run(laptop, laptop_ops, lines, sections)
            _run(share, share_ops, lines, sections)
            laptop_rows, share_rows = dump(laptop), dump(share)

            report = plan_merge(Path(folder) / "laptop.db", share)
            reported = {c.key for c in report.conflicts}
            choose = {key: data.draw(st.sampled_from(["laptop", "share"]), label=str(key[1:]))
                      for key in sorted(reported, key=str)}
            expected_conflicts, expected = _expect(base, laptop_rows, share_rows, choose)
            assert reported == expected_conflicts  # every conflict is reported, and only those
            event(f"conflicts: {min(len(reported), 3)}")
            event(f"edit-against-delete conflicts: {sum(1 for k in reported if k[2] == DELETED) > 0}")
            assert dump(share) == share_rows  # the dry run wrote nothing

            done = merge_back(Path(folder) / "laptop.db", share, choose)
            assert done.complete
            merged = dump(share)
            for table, rows in expected.items():
                assert merged[table].keys() == rows.keys()
                for row_id, want in rows.items():
                    got = merged[table][row_id]
                    for name, value in want.items():
                        if name == DELETED:
                            assert (got[name] is None) == (value is None), (table, row_id)
                        elif name not in ("version", "updated_at"):
                            assert got[name] == value, (table, row_id, name)
                    was = share_rows[table].get(row_id)
                    if was is not None:  # a row the merge changed has a new version; others are as they were
                        same = all(got[f] == was[f] for f in got if f not in ("version", "updated_at"))
                        assert got == was if same else got["version"] == was["version"] + 1
            after = dump(share)
            again = merge_back(Path(folder) / "laptop.db", share)
            assert not again.written and not again.applied and not again.conflicts
            assert dump(share) == after
        finally:
            share.close()
            laptop.close()


def test_conflict_keys_accept_conflicts_or_tuples() -> None:
    conflict = Conflict(LINE, "Line item", uuid.uuid4(), "“x”", "", "quantity", 1, 2, 3, "1", "2", "3")
    assert decide_all([conflict], "laptop") == {conflict.key: "laptop"}
    with pytest.raises(ValueError):
        decide_all([conflict], "mine")  # type: ignore[arg-type]


# -- the command line, as a real process ----------------------------------------------------------


@pytest.mark.slow
def test_offline_take_and_merge_on_the_command_line(tmp_path: Path, tandem_home: Path) -> None:
    from tests.test_cli import assert_one_line_error, tandem

    share_path, laptop_path = tmp_path / "share.db", tmp_path / "laptop.db"
    assert tandem("demo", "--db", str(share_path), home=tandem_home).returncode == 0
    took = tandem("offline", "take", "--db", str(share_path), "--out", str(laptop_path), home=tandem_home)
    assert took.returncode == 0, took.stderr
    assert "rows copied to" in took.stdout and base_path_for(laptop_path).exists()
    assert_one_line_error(
        tandem("offline", "take", "--db", str(share_path), "--out", str(laptop_path), home=tandem_home),
        "already exists",
    )

    share, laptop = open_database(share_path, create=False), open_database(laptop_path, create=False)
    try:
        processors, motors = line_ids(share)[1:3]
        edit(laptop, LINE, processors, quantity=Decimal(5))
        edit(share, LINE, processors, quantity=Decimal(6))
        edit(laptop, LINE, motors, description="Motor points, our own")
    finally:
        share.close()
        laptop.close()
    before = fingerprint(share_path)

    stopped = tandem("offline", "merge", "--db", str(laptop_path), "--into", str(share_path),
                     home=tandem_home)
    assert_one_line_error(stopped, "1 conflict(s) need a decision", "--prefer")
    assert "quantity: base 3; laptop 5; share 6" in stopped.stdout
    assert "updated   Line item “Motor points, SkyPoint quote #SP-2291”" in stopped.stdout
    dry = tandem("offline", "merge", "--db", str(laptop_path), "--into", str(share_path), "--dry-run",
                 "--prefer", "laptop", home=tandem_home)
    assert dry.returncode == 0, dry.stderr
    assert "Dry run: nothing was written." in dry.stdout and "→ laptop" in dry.stdout
    assert fingerprint(share_path) == before

    merged = tandem("offline", "merge", "--db", str(laptop_path), "--into", str(share_path),
                    "--prefer", "laptop", home=tandem_home)
    assert merged.returncode == 0, merged.stderr
    assert "Applied from the laptop: 2 rows" in merged.stdout
    assert "Written to the share in one transaction." in merged.stdout
    share = open_database(share_path, create=False)
    try:
        assert row(share, LINE, processors)["quantity"] == 5
        assert row(share, LINE, motors)["description"] == "Motor points, our own"
    finally:
        share.close()
    after = fingerprint(share_path)
    again = tandem("offline", "merge", "--db", str(laptop_path), "--into", str(share_path), home=tandem_home)
    assert again.returncode == 0, again.stderr
    assert "Nothing to write" in again.stdout and fingerprint(share_path) == after

    assert_one_line_error(
        tandem("offline", "merge", "--db", str(share_path), "--into", str(laptop_path), home=tandem_home),
        "No base snapshot",
    )
    assert_one_line_error(
        tandem("offline", "merge", "--db", str(laptop_path), "--into", str(tmp_path / "gone.db"),
               home=tandem_home),
        "No database at",
    )
    assert_one_line_error(tandem("offline", home=tandem_home), "take or merge")


def test_master_data_edited_offline_merges_back_with_the_new_tables(share: Database, laptop: Database,
                                                                   laptop_path: Path) -> None:
    """Suppliers, catalog categories and lost reasons (schema 0005) travel like every other table."""
    from app.services import master_data
    from app.services.catalog.suppliers import SUPPLIERS

    supplier = next(r for r in master_data.load(laptop, SUPPLIERS) if r.values["name"] == "SkyPoint Rigging")
    master_data.save_edit(laptop, SUPPLIERS, supplier, "payment_terms", "Net 15, agreed at the show")
    category = uuid.uuid4()
    with laptop.write() as conn:
        now = utcnow()
        conn.execute(metadata.tables["catalogcategory"].insert().values(
            id=category, created_at=now, updated_at=now, version=1, deleted_at=None, name="Scenic",
            position=9))
    reason = uuid.uuid4()
    with share.write() as conn:
        now = utcnow()
        conn.execute(metadata.tables["lostreason"].insert().values(
            id=reason, created_at=now, updated_at=now, version=1, deleted_at=None, name="Budget cut",
            position=5))
    edit(share, "supplier", supplier.id, notes="Call Dana before 10")
    report = merge_back(laptop_path, share)
    assert report.written and not report.conflicts
    merged = row(share, "supplier", supplier.id)
    assert (merged["payment_terms"], merged["notes"]) == ("Net 15, agreed at the show", "Call Dana before 10")
    assert row(share, "catalogcategory", category)["name"] == "Scenic"
    assert row(share, "lostreason", reason)["name"] == "Budget cut"


def test_the_quote_choices_edited_offline_merge_back(share: Database, laptop: Database, laptop_path: Path,
                                                     full_booth_id: uuid.UUID) -> None:
    """The estimate's quote choices (schema 0006) travel: ticked on the laptop, the share's own edit
    of another field of the same estimate kept beside them."""
    doc = EstimateDocument(laptop, full_booth_id)
    assert not doc.header.show_contingency_line and not doc.header.show_budget_range
    doc.set_estimate_fields({"show_contingency_line": True, "show_budget_range": True})
    edit(share, "estimate", full_booth_id, notes="Check the rigging plot")
    report = merge_back(laptop_path, share)
    assert report.written and not report.conflicts
    merged = row(share, "estimate", full_booth_id)
    assert (merged["show_contingency_line"], merged["show_budget_range"], merged["notes"]) == (
        True, True, "Check the rigging plot")
    assert EstimateDocument(share, full_booth_id).header.show_budget_range


def test_stock_rates_and_kits_edited_offline_merge_back(share: Database, laptop: Database,
                                                        laptop_path: Path) -> None:
    """The equipment tables (schema 0007) travel: stock edited on both sides (different fields
    merge, the same field is a conflict named by the stock item), a rate added on the laptop, a kit
    component added on the share, a line's kit link set on the laptop."""
    from app.services import master_data
    from app.services.equipment.items import EQUIPMENT_ITEMS, SUBRENTAL_RATES

    panels = next(r for r in master_data.load(laptop, EQUIPMENT_ITEMS)
                  if r.values["name"] == "500 mm LED panel")
    master_data.save_edit(laptop, EQUIPMENT_ITEMS, panels, "owned_quantity", "420")
    rate = master_data.add(laptop, SUBRENTAL_RATES, str(panels.id), {"day_cost": "19.75"})
    edit(share, "equipmentitem", panels.id, notes="20 bought at the show")
    catalog = {r["name"]: r["id"] for r in dump(share)["catalogitem"].values()}
    component = uuid.uuid4()
    with share.write() as conn:
        now = utcnow()
        conn.execute(metadata.tables["kitcomponent"].insert().values(
            id=component, created_at=now, updated_at=now, version=1, deleted_at=None,
            kit_id=catalog["500 mm LED panel"], component_id=catalog["10 ft box truss"],
            quantity_per_kit=Decimal("0.5"), position=0))
    panel_line, truss_line = line_ids(laptop)[0], line_ids(laptop)[3]
    edit(laptop, LINE, truss_line, kit_line_id=panel_line)
    report = merge_back(laptop_path, share)
    assert report.written and not report.conflicts
    merged = row(share, "equipmentitem", panels.id)
    assert (merged["owned_quantity"], merged["notes"]) == (420, "20 bought at the show")
    apex = next(r["id"] for r in dump(share)["supplier"].values() if r["name"] == "Apex Audio Rental")
    added = row(share, "subrentalrate", rate)
    assert (added["equipment_item_id"], added["supplier_id"]) == (panels.id, apex)
    assert added["day_cost"] == Decimal("19.75")
    assert row(share, "kitcomponent", component)["quantity_per_kit"] == Decimal("0.5")
    assert row(share, LINE, truss_line)["kit_line_id"] == panel_line


def _insert(db: Database, table: str, **values: Any) -> uuid.UUID:
    """A new row the way every Tandem writer makes one: fresh id, version 1."""
    row_id, now = uuid.uuid4(), utcnow()
    with db.write() as conn:
        conn.execute(metadata.tables[table].insert().values(
            id=row_id, created_at=now, updated_at=now, version=1, deleted_at=None, **values))
    return row_id


def test_supplier_quotes_orders_and_milestones_edited_offline_merge_back(share: Database, laptop: Database,
                                                                         laptop_path: Path) -> None:
    """The nine tables of schema 0008 travel. On the laptop: SkyPoint's quote held longer, a break
    added to Vegas Rigging's item, the motor line following it, Summit's expired candidate dropped, a
    project type with a milestone template, a milestone. On the share meanwhile: the same quote's notes,
    SkyPoint's item cost, an order with its line. Everything merges; nothing is a conflict."""
    from app.services import master_data
    from app.services.supply.quote_items import load_quote_items
    from app.services.supply.quotes import SUPPLIER_QUOTE_BREAKS, SUPPLIER_QUOTE_ITEMS, SUPPLIER_QUOTES

    quotes = {r.values["number"]: r for r in master_data.load(laptop, SUPPLIER_QUOTES)}
    master_data.save_edit(laptop, SUPPLIER_QUOTES, quotes["SP-2291"], "valid_until", "2030-06-30")
    (vegas,) = master_data.load(laptop, SUPPLIER_QUOTE_ITEMS, quotes["VRS-5120"].id)
    ten_up = master_data.add(laptop, SUPPLIER_QUOTE_BREAKS, "12", {"unit_cost": "455"}, owner=vegas.id)
    (skypoint,) = master_data.load(laptop, SUPPLIER_QUOTE_ITEMS, quotes["SP-2291"].id)
    (summit,) = master_data.load(laptop, SUPPLIER_QUOTE_ITEMS, quotes["SH-0488"].id)
    doc = EstimateDocument(laptop, estimate_id(laptop, "Full booth"))
    motors = next(ln.id for ln in doc.lines() if ln.description.startswith("Motor points"))
    edit(laptop, LINE, motors, supplier_quote_item_id=vegas.id)
    (dropped,) = [r["id"] for r in dump(laptop)["linequotecandidate"].values()
                  if r["supplier_quote_item_id"] == summit.id]
    delete(laptop, "linequotecandidate", dropped)
    project = next(r["id"] for r in dump(laptop)["project"].values() if r["name"] == "Vantage @ MedTech Expo")
    booth = _insert(laptop, "projecttype", name="Exhibit booth", position=0)
    template = _insert(laptop, "milestonetemplate", project_type_id=booth, position=0, name="Ship",
                       kind="ship", anchor="load_in", offset_days=-5, duration_days=0, owner="PM")
    edit(laptop, "project", project, project_type_id=booth)
    milestone = _insert(laptop, "milestone", project_id=project, position=0, name="Ship", kind="ship",
                        anchor="load_in", offset_days=-5, fixed_date=None, duration_days=0, owner="PM",
                        done=False, done_at=None, notes="")

    edit(share, "supplierquote", quotes["SP-2291"].id, notes="Ana: motors held for us")
    edit(share, "supplierquoteitem", skypoint.id, unit_cost=Decimal("445.00"))
    order = _insert(share, "supplierorder", project_id=project, estimate_id=estimate_id(share, "Full booth"),
                    supplier_id=quotes["SP-2291"].values["supplier_id"], kind="subrental",
                    number="PO-2027-0001", status="draft", need_by=date(2027, 3, 7),
                    order_by=date(2027, 2, 23), delivery_address="Las Vegas Convention Center", notes="",
                    sent_at=None)
    order_line = _insert(share, "supplierorderline", order_id=order, line_item_id=motors, position=0,
                         description="Motor points", quantity=Decimal(16), unit="point", days=Decimal(1),
                         unit_cost=Decimal("450.00"), cost=Decimal("7200.00"))

    report = merge_back(laptop_path, share)
    assert report.written and not report.conflicts
    merged = row(share, "supplierquote", quotes["SP-2291"].id)
    assert (merged["valid_until"], merged["notes"]) == (date(2030, 6, 30), "Ana: motors held for us")
    assert row(share, LINE, motors)["supplier_quote_item_id"] == vegas.id
    assert row(share, "linequotecandidate", dropped)["deleted_at"] is not None
    with share.read() as conn:
        items = load_quote_items(conn)
    assert items[vegas.id].unit_cost_at(Decimal(16)) == Decimal(455)  # the laptop's break
    assert items[skypoint.id].unit_cost == Decimal("445.00")  # the share's cost
    assert row(share, "supplierquotebreak", ten_up)["min_quantity"] == 12
    assert row(share, "milestonetemplate", template)["project_type_id"] == booth
    assert row(share, "project", project)["project_type_id"] == booth
    assert row(share, "milestone", milestone)["offset_days"] == -5
    assert row(share, "supplierorderline", order_line)["cost"] == Decimal("7200.00")
    assert row(share, "supplierorder", order)["number"] == "PO-2027-0001"


def test_pipeline_stages_activities_and_briefs_edited_offline_merge_back(share: Database, laptop: Database,
                                                                        laptop_path: Path) -> None:
    """Schema 0009 travels. On the laptop: the quoted stage counts at 55 %, a call logged, a
    follow-up made and ticked done on the project, its brief's goals written. On the share meanwhile: the
    quoted stage goes stale after 5 days, the project's own probability and decision date, a client
    note. Everything merges; nothing is a conflict; the stage rows are one set, not two."""
    from app.models import stage_id

    project = next(r for r in dump(laptop)["project"].values() if r["name"] == "Vantage @ MedTech Expo")
    quoted = stage_id("quoted")
    follow_up = _insert(laptop, "activity", project_id=project["id"], client_id=None, contact_id=None,
                        kind="follow_up", subject="Chase", notes="", owner="Sam", due_date=date(2027, 1, 8),
                        done=False, done_at=None, estimate_id=None, revision_id=None)
    edit(laptop, "pipelinestage", quoted, win_probability_pct=Decimal(55))
    call = _insert(laptop, "activity", project_id=project["id"], client_id=None, contact_id=None,
                   kind="call", subject="Venue walk-through", notes="Dock 4", owner="Sam", due_date=None,
                   done=True, done_at=None, estimate_id=None, revision_id=None)
    edit(laptop, "activity", follow_up, done=True)
    edit(laptop, "project", project["id"], brief_goals="Launch the scanner")

    edit(share, "pipelinestage", quoted, stale_after_days=5)
    edit(share, "project", project["id"], win_probability_pct=Decimal(80), decision_date=date(2027, 1, 15))
    note = _insert(share, "activity", project_id=None, client_id=project["client_id"], contact_id=None,
                   kind="note", subject="New buyer", notes="", owner="", due_date=None, done=False,
                   done_at=None, estimate_id=None, revision_id=None)

    report = merge_back(laptop_path, share)
    assert report.written and not report.conflicts
    stage = row(share, "pipelinestage", quoted)
    assert (stage["win_probability_pct"], stage["stale_after_days"]) == (Decimal(55), 5)
    assert len(dump(share)["pipelinestage"]) == 5
    merged = row(share, "project", project["id"])
    assert (merged["brief_goals"], merged["win_probability_pct"], merged["decision_date"]) == (
        "Launch the scanner", Decimal(80), date(2027, 1, 15))
    assert row(share, "activity", call)["subject"] == "Venue walk-through"
    assert row(share, "activity", follow_up)["done"] is True
    assert row(share, "activity", note)["client_id"] == project["client_id"]

def test_stock_quantity_edited_on_both_sides_is_a_conflict(share: Database, laptop: Database,
                                                           laptop_path: Path) -> None:
    stock = next(r for r in dump(share)["equipmentitem"].values() if r["name"] == "500 mm LED panel")
    edit(laptop, "equipmentitem", stock["id"], owned_quantity=Decimal(420))
    edit(share, "equipmentitem", stock["id"], owned_quantity=Decimal(380))
    report = merge_back(laptop_path, share)
    assert not report.written
    (conflict,) = report.conflicts
    assert conflict.key == ("equipmentitem", stock["id"], "owned_quantity")
    assert (conflict.base_text, conflict.laptop_text, conflict.share_text) == ("400", "420", "380")
    assert conflict.label == "“500 mm LED panel”"
    assert row(share, "equipmentitem", stock["id"])["owned_quantity"] == 380


def test_a_merge_leaving_more_out_of_service_than_owned_loses_nothing_and_says_what_to_fix(
        share: Database, laptop: Database, laptop_path: Path) -> None:
    """Two fields merged cleanly can break a rule across them: 5 owned (laptop) but 10 out of
    service (share). Both are kept as merged; availability reads 0 free, never negative; the
    editor refuses other edits of the row saying what to fix, and fixing it is saved."""
    from app.services import master_data
    from app.services.equipment.availability import estimate_availability, hold_index
    from app.services.equipment.items import EQUIPMENT_ITEMS
    from app.services.values import InputError

    stock = next(r for r in dump(share)["equipmentitem"].values() if r["name"] == "500 mm LED panel")
    edit(laptop, "equipmentitem", stock["id"], owned_quantity=Decimal(5))
    edit(share, "equipmentitem", stock["id"], out_of_service_quantity=Decimal(10))
    report = merge_back(laptop_path, share)
    assert report.written and not report.conflicts
    merged = row(share, "equipmentitem", stock["id"])
    assert (merged["owned_quantity"], merged["out_of_service_quantity"]) == (5, 10)
    doc = EstimateDocument(share, estimate_id(share, "Full booth"))
    (panels,) = [a for a in estimate_availability(hold_index(share), doc).lines.values()
                 if a.stock.name == "500 mm LED panel"]
    assert (panels.free, panels.short) == (0, 392)
    item = master_data.load_one(share, EQUIPMENT_ITEMS, stock["id"])
    with pytest.raises(InputError, match=r"^Out of service \(10\) cannot be more than owned \(5\)\.$"):
        master_data.save_edit(share, EQUIPMENT_ITEMS, item, "notes", "Check the cases")
    assert master_data.save_edit(share, EQUIPMENT_ITEMS, item, "owned_quantity", "410")
    assert master_data.save_edit(share, EQUIPMENT_ITEMS, item, "notes", "Check the cases")
