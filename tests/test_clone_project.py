"""Clone for next year (app/services/projects/clone.py), on SQLite and PostgreSQL.

The orders' scene (tests/orders_scene.py: a won project, load-in Mon 8 Mar 2027, show 10–12, strike
13) with a second scenario the client chose, a parameter a line's formula uses, a dated labour call,
a relative and a fixed (ticked) milestone, a sent quote, a crew assignment and prepared orders.
Moved by 364 days (52 weeks, 2028 being a leap year), by hand: load-in Mon 6 Mar 2028, show
Wed 8 – Fri 10 Mar, strike Sat 11 Mar, the call Mon 6 Mar, the fixed invoice Wed 31 Mar 2027 →
Wed 29 Mar 2028; the milestone at load-in − 21 keeps its anchor and falls on Mon 14 Feb 2028.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from app.models import (
    CrewAssignment,
    CrewMember,
    Estimate,
    EstimateParameter,
    Milestone,
    QuoteRevision,
    SupplierOrder,
)
from app.models.enums import ProjectStatus
from app.models.supply import LineQuoteCandidate
from app.services.estimate.document import EstimateDocument
from app.services.estimate.revisions import send_quote
from app.services.estimate.scenarios import duplicate_estimate
from app.services.projects.clone import (
    bring_back_clone,
    clone_project,
    parse_offset,
    source_of,
    suggest_name,
    take_back_clone,
)
from app.services.projects.counting import counting_estimate
from app.services.storage.database import Database
from app.services.supply.orders import prepare_orders
from app.services.values import InputError
from tests.factories import LINE_T, PROJECT_T, _record, make_project
from tests.orders_scene import TODAY, make_scene
from tests.supply_scene import make_supply_scene
from tests.test_line_quotes import _follow

ESTIMATE_TABLE = Estimate.__table__  # type: ignore[attr-defined]
PARAMETER_T = EstimateParameter.__table__  # type: ignore[attr-defined]
MILESTONE_T = Milestone.__table__  # type: ignore[attr-defined]
REVISION_T = QuoteRevision.__table__  # type: ignore[attr-defined]
ASSIGNMENT_T = CrewAssignment.__table__  # type: ignore[attr-defined]
MEMBER_T = CrewMember.__table__  # type: ignore[attr-defined]
ORDER_T = SupplierOrder.__table__  # type: ignore[attr-defined]
CANDIDATE_T = LineQuoteCandidate.__table__  # type: ignore[attr-defined]
D = Decimal


def _scene(db: Database) -> tuple[uuid.UUID, uuid.UUID]:
    """The project and its chosen scenario ("Half booth": 6 motors by a parameter instead of 8)."""
    scene = make_scene(db)
    half = duplicate_estimate(db, scene.estimate_id, "Half booth")
    doc = EstimateDocument(db, half)
    motors = next(line for line in doc.lines() if line.description == "Motors")
    rigger = next(line for line in doc.lines() if line.description == "Rigger (own crew)")
    member = _record(name="Ana Rigger", kind="freelance", email="", phone="", max_weekly_hours=None, notes="")
    with db.write() as conn:
        conn.execute(
            PARAMETER_T.insert(),
            [
                _record(
                    estimate_id=half,
                    position=0,
                    name="motors",
                    value=D(6),
                    formula="",
                    unit="",
                    description="",
                )
            ],
        )
        conn.execute(
            update(LINE_T).where(LINE_T.c.id == motors.id).values(quantity=D(6), quantity_formula="motors")
        )
        conn.execute(update(LINE_T).where(LINE_T.c.id == rigger.id).values(call_date=date(2027, 3, 8)))
        conn.execute(
            update(PROJECT_T)
            .where(PROJECT_T.c.id == scene.project_id)
            .values(chosen_estimate_id=half, lost_reason="Price", notes="Hall 4 again")
        )
        conn.execute(
            MILESTONE_T.insert(),
            [
                _record(
                    project_id=scene.project_id,
                    position=0,
                    name="Design approval",
                    kind="design_approval",
                    anchor="load_in",
                    offset_days=-21,
                    fixed_date=None,
                    duration_days=0,
                    owner="pm",
                    done=False,
                    done_at=None,
                    notes="",
                ),
                _record(
                    project_id=scene.project_id,
                    position=1,
                    name="Invoice",
                    kind="invoice",
                    anchor="load_in",
                    offset_days=0,
                    fixed_date=date(2027, 3, 31),
                    duration_days=0,
                    owner="am",
                    done=True,
                    done_at=datetime(2027, 4, 1, 9, 0, tzinfo=UTC),
                    notes="Net 30",
                ),
            ],
        )
        conn.execute(MEMBER_T.insert(), [member])
        conn.execute(
            ASSIGNMENT_T.insert(),
            [
                _record(
                    crew_member_id=member["id"],
                    project_id=scene.project_id,
                    line_item_id=rigger.id,
                    role_id=None,
                    starts_at=datetime(2027, 3, 8, 8),
                    ends_at=datetime(2027, 3, 8, 18),
                    status="confirmed",
                    notes="",
                )
            ],
        )
    send_quote(db, EstimateDocument(db, half), "AM")
    prepare_orders(db, scene.project_id, today=TODAY)
    return scene.project_id, half


def _count(db: Database, table: object, where: object) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(where)).scalar_one())


def test_a_clone_moves_every_date_and_copies_the_chosen_scenario_to_the_cent(any_db: Database) -> None:
    project_id, half = _scene(any_db)
    original = EstimateDocument(any_db, half)
    new_id = clone_project(any_db, project_id, 364, "Vantage booth 2028")
    with any_db.read() as conn:
        old = conn.execute(select(PROJECT_T).where(PROJECT_T.c.id == project_id)).one()
        new = conn.execute(select(PROJECT_T).where(PROJECT_T.c.id == new_id)).one()
        copied = counting_estimate(conn, new_id)
    assert (new.name, new.status, new.lost_reason, new.chosen_estimate_id) == (
        "Vantage booth 2028",
        ProjectStatus.ESTIMATING.value,
        "",
        None,
    )
    for column in (
        "client_id",
        "contact_id",
        "venue",
        "project_type_id",
        "account_manager",
        "project_manager",
        "labour_rule_set_id",
        "notes",
    ):
        assert new._mapping[column] == old._mapping[column], column
    assert (new.start_date, new.show_start_date, new.show_end_date, new.end_date) == (
        date(2028, 3, 6),
        date(2028, 3, 8),
        date(2028, 3, 10),
        date(2028, 3, 11),
    )
    assert new.start_date.weekday() == old.start_date.weekday() == 0  # Mondays both
    assert copied is not None and copied != half
    clone = EstimateDocument(any_db, copied)
    assert clone.header.name == "Half booth" and clone.header.quote_number == ""
    assert original.header.quote_number != ""  # the original was sent; the copy was not
    assert (clone.totals.subtotal, clone.totals.total) == (original.totals.subtotal, original.totals.total)
    assert clone.totals.total == original.totals.total != D(0)
    by_name = {line.description: line for line in clone.lines()}
    assert (by_name["Motors"].quantity, by_name["Motors"].quantity_formula) == (D(6), "motors")
    assert by_name["Rigger (own crew)"].call_date == date(2028, 3, 6)
    assert by_name["Truss towers (chosen)"].alternative_chosen
    assert not by_name["Ground stacks (not chosen)"].alternative_chosen
    assert by_name["Spare motor"].optional
    assert [(p.name, p.value) for p in clone.parameters] == [("motors", D(6))]
    # Only the counting scenario came along; the original project keeps both.
    assert _count(any_db, ESTIMATE_TABLE, ESTIMATE_TABLE.c.project_id == new_id) == 1
    assert _count(any_db, ESTIMATE_TABLE, ESTIMATE_TABLE.c.project_id == project_id) == 2
    # Milestones: the relative one keeps its anchor, the fixed one moves, neither is done.
    with any_db.read() as conn:
        milestones = conn.execute(
            select(MILESTONE_T).where(MILESTONE_T.c.project_id == new_id).order_by(MILESTONE_T.c.position)
        ).all()
    assert [
        (m.name, m.anchor, m.offset_days, m.fixed_date, m.done, m.done_at, m.notes) for m in milestones
    ] == [
        ("Design approval", "load_in", -21, None, False, None, ""),
        ("Invoice", "load_in", 0, date(2028, 3, 29), False, None, "Net 30"),
    ]
    # Left behind: revisions, crew assignments, orders.
    assert _count(any_db, REVISION_T, REVISION_T.c.estimate_id == copied) == 0
    assert _count(any_db, REVISION_T, REVISION_T.c.estimate_id == half) == 1
    assert _count(any_db, ASSIGNMENT_T, ASSIGNMENT_T.c.project_id == new_id) == 0
    assert _count(any_db, ASSIGNMENT_T, ASSIGNMENT_T.c.project_id == project_id) == 1
    assert _count(any_db, ORDER_T, ORDER_T.c.project_id == new_id) == 0
    assert _count(any_db, ORDER_T, ORDER_T.c.project_id == project_id) > 0


def test_the_copy_follows_the_same_supplier_quote_with_its_candidates(any_db: Database) -> None:
    scene = make_supply_scene(any_db)
    doc = EstimateDocument(any_db, scene.estimate_id)
    _follow(doc, scene.line_id, scene.items["AH-77"])
    project_id = doc.header.project_id
    copied = counting_estimate_of(any_db, clone_project(any_db, project_id, 364, "Rigging 2028"))
    (line,) = EstimateDocument(any_db, copied).lines()
    assert line.id != scene.line_id
    assert (line.supplier_quote_item_id, line.unit_cost) == (scene.items["AH-77"], D(88))
    with any_db.read() as conn:
        candidates = (
            conn.execute(
                select(CANDIDATE_T.c.supplier_quote_item_id).where(CANDIDATE_T.c.line_item_id == line.id)
            )
            .scalars()
            .all()
        )
    assert sorted(candidates) == sorted(scene.items[n] for n in ("SP-2041", "AH-77", "SR-9"))


def counting_estimate_of(db: Database, project_id: uuid.UUID) -> uuid.UUID:
    with db.read() as conn:
        found = counting_estimate(conn, project_id)
    assert found is not None
    return found


def test_undo_tombstones_the_clone_and_redo_brings_it_back(any_db: Database) -> None:
    project_id, half = _scene(any_db)
    new_id = clone_project(any_db, project_id, 364, "Vantage booth 2028")
    copied = counting_estimate_of(any_db, new_id)
    total = EstimateDocument(any_db, copied).totals.total
    live_lines = _count(any_db, LINE_T, LINE_T.c.deleted_at.is_(None))
    removed = take_back_clone(any_db, new_id)
    assert _count(any_db, PROJECT_T, (PROJECT_T.c.id == new_id) & PROJECT_T.c.deleted_at.is_(None)) == 0
    assert (
        _count(any_db, MILESTONE_T, (MILESTONE_T.c.project_id == new_id) & MILESTONE_T.c.deleted_at.is_(None))
        == 0
    )
    assert (
        live_lines - _count(any_db, LINE_T, LINE_T.c.deleted_at.is_(None))
        == len(removed.ids["lineitem"])
        == 9
    )
    assert _count(any_db, PROJECT_T, PROJECT_T.c.id == new_id) == 1  # a tombstone: nothing is lost
    assert EstimateDocument(any_db, half).totals.total == total  # the original untouched
    bring_back_clone(any_db, removed)
    assert _count(any_db, LINE_T, LINE_T.c.deleted_at.is_(None)) == live_lines
    assert EstimateDocument(any_db, copied).totals.total == total
    assert (
        _count(any_db, MILESTONE_T, (MILESTONE_T.c.project_id == new_id) & MILESTONE_T.c.deleted_at.is_(None))
        == 2
    )


def test_names_years_and_offsets() -> None:
    monday = date(2027, 3, 8)
    assert suggest_name("Vantage booth 2027", monday, 364) == "Vantage booth 2028"
    assert suggest_name("Gala", monday, 364) == "Gala 2028"
    assert suggest_name("Gala 2019 revival 2027", monday, 364) == "Gala 2019 revival 2028"
    assert suggest_name("Gala 2027", monday, 7) == "Gala 2027 (copy)"
    assert suggest_name("Gala 2027", date(2027, 12, 30), 7) == "Gala 2028"
    assert parse_offset(" 364 ") == 364 and parse_offset(-7) == -7
    with pytest.raises(InputError, match="not a whole number"):
        parse_offset("52 weeks")
    with pytest.raises(InputError, match="more than ten years"):
        parse_offset(4000)


def test_bad_input_changes_nothing(empty_db: Database) -> None:
    project_id, _half = _scene(empty_db)
    assert source_of(empty_db, project_id) == ("Vantage booth", date(2027, 3, 8))
    before = (
        _count(empty_db, PROJECT_T, PROJECT_T.c.id.is_not(None)),
        _count(empty_db, LINE_T, LINE_T.c.id.is_not(None)),
    )
    with pytest.raises(InputError, match="Name of the copy"):
        clone_project(empty_db, project_id, 364, "   ")
    with pytest.raises(InputError, match="not a whole number"):
        clone_project(empty_db, project_id, "soon", "Gala")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="no longer exists"):
        clone_project(empty_db, uuid.uuid4(), 364, "Gala")
    after = (
        _count(empty_db, PROJECT_T, PROJECT_T.c.id.is_not(None)),
        _count(empty_db, LINE_T, LINE_T.c.id.is_not(None)),
    )
    assert after == before


def test_undo_refuses_once_the_copy_was_sent_and_a_bare_project_copies(empty_db: Database) -> None:
    project_id, _half = _scene(empty_db)
    new_id = clone_project(empty_db, project_id, 364, "Vantage booth 2028")
    send_quote(empty_db, EstimateDocument(empty_db, counting_estimate_of(empty_db, new_id)), "AM")
    with pytest.raises(InputError, match="a quote was sent from it"):
        take_back_clone(empty_db, new_id)
    assert _count(empty_db, PROJECT_T, (PROJECT_T.c.id == new_id) & PROJECT_T.c.deleted_at.is_(None)) == 1
    assert _count(empty_db, LINE_T, LINE_T.c.deleted_at.is_not(None)) == 0  # nothing tombstoned
    bare = make_project(empty_db, project_name="Walk-in")  # no days, no estimate, no milestones
    copy = clone_project(empty_db, bare, 364, "Walk-in again")
    assert source_of(empty_db, copy) == ("Walk-in again", None)
    with empty_db.read() as conn:
        assert counting_estimate(conn, copy) is None
    take_back_clone(empty_db, copy)
    assert _count(empty_db, PROJECT_T, (PROJECT_T.c.id == copy) & PROJECT_T.c.deleted_at.is_(None)) == 0
