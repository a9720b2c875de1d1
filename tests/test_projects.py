"""Clients and contacts, project details and the status lifecycle, and the estimate that counts.

Runs on SQLite and on PostgreSQL (``any_db``) where it touches storage.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import Contact, Estimate, Project
from app.models.enums import ProjectStatus
from app.services import master_data
from app.services.crew.board import CrewBoard
from app.services.crew.capacity import load_calls
from app.services.crew.staffing import project_staffing
from app.services.demo import build_demo
from app.services.estimate.document import EstimateDocument
from app.services.estimate.revisions import send_quote
from app.services.projects import lifecycle
from app.services.projects.clients import CLIENTS, CONTACTS, contact_choices, main_contact
from app.services.projects.counting import counting_estimate, counting_estimates
from app.services.projects.dates import dated_projects, project_days
from app.services.projects.details import PROJECTS
from app.services.projects.lifecycle import LOST_REASONS, change_status, restore_state
from app.services.storage.database import Database
from app.services.storage.versioned import EditConflict
from app.services.values import InputError
from tests.factories import estimate_id as estimate_named
from tests.factories import make_project

S = ProjectStatus
CONTACT_T = Contact.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]
LOAD_IN = date(2027, 5, 10)


def _mains(db: Database, client_id: uuid.UUID) -> list[str]:
    return [r.values["name"] for r in master_data.load(db, CONTACTS, client_id) if r.values["is_main"]]


def _client_with_project(db: Database) -> tuple[uuid.UUID, uuid.UUID]:
    client = master_data.add(
        db, CLIENTS, "Harbor Labs", {"industry": "Biotech", "billing_address": "1 Pier Way\nOakland CA"}
    )
    project = master_data.add(db, PROJECTS, "Harbor Labs @ BIO", {"client_id": client, "venue": "Moscone"})
    return client, project


# -- clients and contacts --------------------------------------------------------------------------


def test_a_client_has_exactly_one_main_contact_once_it_has_any(any_db: Database) -> None:
    client, _ = _client_with_project(any_db)
    other = master_data.add(any_db, CLIENTS, "Other client")
    first = master_data.add(any_db, CONTACTS, "Ada Byrne", {"title": "Events lead"}, owner=client)
    assert _mains(any_db, client) == ["Ada Byrne"]  # the first contact is the main one
    second = master_data.add(any_db, CONTACTS, "Ben Cole", {"email": "ben@harbor.example"}, owner=client)
    master_data.add(any_db, CONTACTS, "Someone else", owner=other)
    assert _mains(any_db, client) == ["Ada Byrne"]
    ben = master_data.load_one(any_db, CONTACTS, second)
    assert master_data.save_edit(any_db, CONTACTS, ben, "is_main", True)
    assert _mains(any_db, client) == ["Ben Cole"]  # setting one cleared the other, in one write
    assert _mains(any_db, other) == ["Someone else"]
    ada = master_data.load_one(any_db, CONTACTS, first)
    with pytest.raises(InputError, match="make another contact the main one instead"):
        master_data.save_edit(
            any_db, CONTACTS, master_data.load_one(any_db, CONTACTS, second), "is_main", False
        )
    assert master_data.load_one(any_db, CONTACTS, first) == ada  # nothing changed
    master_data.delete(any_db, CONTACTS, second)
    assert _mains(any_db, client) == ["Ada Byrne"]  # the main one deleted: the first remaining is main
    master_data.restore(any_db, CONTACTS, second)
    assert _mains(any_db, client) == ["Ben Cole"]  # undoing the delete gives it back its place
    with any_db.read() as conn:
        assert main_contact(conn, client) == second
        assert [name for _, name in contact_choices(conn, client)] == ["Ben Cole", "Ada Byrne — Events lead"]


def test_contact_cells_are_validated(empty_db: Database) -> None:
    client, _ = _client_with_project(empty_db)
    contact = master_data.add(empty_db, CONTACTS, "Ada Byrne", owner=client)
    row = master_data.load_one(empty_db, CONTACTS, contact)
    with pytest.raises(InputError, match=r"“ada at harbor” is not an email address"):
        master_data.save_edit(empty_db, CONTACTS, row, "email", "ada at harbor")
    with pytest.raises(InputError, match="Contact name cannot be empty"):
        master_data.save_edit(empty_db, CONTACTS, row, "name", "  ")
    assert master_data.load_one(empty_db, CONTACTS, contact) == row


def test_client_details_save_with_a_version_check(any_db: Database) -> None:
    client, _ = _client_with_project(any_db)
    mine = master_data.load_one(any_db, CLIENTS, client)
    theirs = master_data.load_one(any_db, CLIENTS, client)
    master_data.save_edit(any_db, CLIENTS, theirs, "industry", "Pharma")
    with pytest.raises(EditConflict):
        master_data.save_edit(any_db, CLIENTS, mine, "industry", "Medical devices")
    stored = master_data.load_one(any_db, CLIENTS, client).values
    assert (stored["industry"], stored["billing_address"]) == ("Pharma", "1 Pier Way\nOakland CA")


# -- project details -------------------------------------------------------------------------------


def test_project_days_keep_their_order(any_db: Database) -> None:
    _, project = _client_with_project(any_db)
    row = master_data.load_one(any_db, PROJECTS, project)
    for key, day in (
        ("start_date", "2027-05-10"),
        ("show_start_date", "May 11 2027"),
        ("show_end_date", "2027-05-13"),
        ("end_date", "2027-05-14"),
    ):
        master_data.save_edit(any_db, PROJECTS, row, key, day)
    with pytest.raises(InputError) as refused:
        master_data.save_edit(any_db, PROJECTS, row, "end_date", "2027-05-12")
    assert str(refused.value) == "Strike (Wed 12 May 2027) cannot be before show end (Thu 13 May 2027)."
    with pytest.raises(InputError, match=r"Show start \(Sun 9 May 2027\) cannot be before load-in"):
        master_data.save_edit(any_db, PROJECTS, row, "show_start_date", "2027-05-09")
    with pytest.raises(InputError, match="must be a date like"):
        master_data.save_edit(any_db, PROJECTS, row, "start_date", "next monday")
    stored = master_data.load_one(any_db, PROJECTS, project)
    assert stored == row  # nothing changed
    assert (stored.values["start_date"], stored.values["end_date"]) == (LOAD_IN, date(2027, 5, 14))
    with pytest.raises(InputError, match=r"Strike .* cannot be before load-in"):
        master_data.add(
            any_db,
            PROJECTS,
            "Backwards",
            {"client_id": stored.values["client_id"], "start_date": "2027-05-10", "end_date": "2027-05-01"},
        )


def test_the_contact_is_one_of_the_clients_and_follows_a_new_client(any_db: Database) -> None:
    client, project = _client_with_project(any_db)
    ada = master_data.add(any_db, CONTACTS, "Ada Byrne", owner=client)
    other = master_data.add(any_db, CLIENTS, "Orbital")
    marco = master_data.add(any_db, CONTACTS, "Marco Ruiz", owner=other)
    row = master_data.load_one(any_db, PROJECTS, project)
    master_data.save_edit(any_db, PROJECTS, row, "contact_id", ada)
    assert master_data.load_one(any_db, PROJECTS, project).values["contact_id"] == ada
    master_data.save_edit(
        any_db, PROJECTS, master_data.load_one(any_db, PROJECTS, project), "contact_id", marco
    )
    assert (
        master_data.load_one(any_db, PROJECTS, project).values["contact_id"] == ada
    )  # not Harbor's: its main
    with pytest.raises(master_data.InUse) as refused:
        master_data.delete(any_db, CONTACTS, ada)
    assert str(refused.value) == (
        "The contact “Ada Byrne” is in use, so it was not deleted: 1 project (Harbor Labs @ BIO)."
    )
    row = master_data.load_one(any_db, PROJECTS, project)
    master_data.save_edit(any_db, PROJECTS, row, "client_id", other)
    assert master_data.load_one(any_db, PROJECTS, project).values["contact_id"] == marco


def test_two_editors_of_one_project_conflict(any_db: Database) -> None:
    _, project = _client_with_project(any_db)
    mine = master_data.load_one(any_db, PROJECTS, project)
    theirs = master_data.load_one(any_db, PROJECTS, project)
    master_data.save_edit(any_db, PROJECTS, theirs, "venue", "LVCC North Hall")
    with pytest.raises(EditConflict) as conflict:
        master_data.save_edit(any_db, PROJECTS, mine, "venue", "LVCC South Hall")
    assert conflict.value.theirs == {"venue": "LVCC North Hall"}
    assert master_data.load_one(any_db, PROJECTS, project).values["venue"] == "LVCC North Hall"


# -- the lifecycle ---------------------------------------------------------------------------------


def _version(db: Database, project: uuid.UUID) -> int:
    return lifecycle.load_state(db, project).version


def test_allowed_moves_and_refused_ones_say_where_it_can_go(any_db: Database) -> None:
    _, project = _client_with_project(any_db)
    with pytest.raises(InputError) as refused:
        change_status(any_db, project, _version(any_db, project), S.IN_PRODUCTION)
    assert str(refused.value) == (
        "A lead project cannot become in production: it can become Estimating, Quoted, Lost, Cancelled "
        "or Postponed."
    )
    change_status(any_db, project, _version(any_db, project), S.ESTIMATING)
    stale = _version(any_db, project) - 1
    with pytest.raises(EditConflict):
        change_status(any_db, project, stale, S.QUOTED)
    change_status(any_db, project, _version(any_db, project), S.CANCELLED)
    with pytest.raises(InputError, match="it can become Lead"):
        change_status(any_db, project, _version(any_db, project), S.WON)
    assert lifecycle.load_state(any_db, project).status is S.CANCELLED


def test_mark_won_takes_the_chosen_scenario_and_undo_puts_it_back(any_demo_db: Database) -> None:
    db = any_demo_db
    half = estimate_named(db, "Half booth")
    project = _project_of(db, half)
    with pytest.raises(InputError, match="Pick the scenario the client chose"):
        change_status(db, project, _version(db, project), S.WON, chosen_estimate_id=uuid.uuid4())
    before = change_status(db, project, _version(db, project), S.WON, chosen_estimate_id=half)
    state = lifecycle.load_state(db, project)
    assert (state.status, state.chosen_estimate_id) == (S.WON, half)
    restore_state(db, project, before)
    state = lifecycle.load_state(db, project)
    assert (state.status, state.chosen_estimate_id) == (S.QUOTED, None)


def test_mark_lost_takes_a_reason_from_the_list(any_db: Database) -> None:
    _, project = _client_with_project(any_db)
    reason = master_data.add(any_db, LOST_REASONS, "Price")
    master_data.add(any_db, LOST_REASONS, "Timing")
    assert lifecycle.reason_choices(any_db) == ["Price", "Timing"]
    with pytest.raises(InputError, match="Say why the project was lost"):
        change_status(any_db, project, _version(any_db, project), S.LOST)
    with pytest.raises(InputError, match=r"“Weather” is not one of the lost reasons \(Price, Timing\)"):
        change_status(any_db, project, _version(any_db, project), S.LOST, reason="Weather")
    change_status(any_db, project, _version(any_db, project), S.LOST, reason="Price")
    assert lifecycle.load_state(any_db, project).lost_reason == "Price"
    with pytest.raises(
        master_data.InUse, match=r"in use, so it was not deleted: 1 project \(Harbor Labs @ BIO\)"
    ):
        master_data.delete(any_db, LOST_REASONS, reason)
    master_data.save_edit(
        any_db, LOST_REASONS, master_data.load_one(any_db, LOST_REASONS, reason), "name", "Budget"
    )
    assert lifecycle.load_state(any_db, project).lost_reason == "Budget"  # the rename follows
    change_status(any_db, project, _version(any_db, project), S.ESTIMATING)  # the client came back
    assert lifecycle.load_state(any_db, project).lost_reason == ""


def test_sending_a_quote_makes_a_lead_project_quoted(any_db: Database) -> None:
    build_demo(any_db)
    estimate = estimate_named(any_db, "Keynote package")
    project = _project_of(any_db, estimate)
    assert lifecycle.load_state(any_db, project).status is S.LEAD
    send_quote(any_db, EstimateDocument(any_db, estimate), "Dana Ortiz")
    assert lifecycle.load_state(any_db, project).status is S.QUOTED
    won = _project_of(any_db, estimate_named(any_db, "Gala AV"))
    send_quote(any_db, EstimateDocument(any_db, estimate_named(any_db, "Gala AV")), "Priya Shah")
    assert lifecycle.load_state(any_db, won).status is S.WON  # a won project stays won


# -- the estimate that counts ----------------------------------------------------------------------


def _project_of(db: Database, estimate: uuid.UUID) -> uuid.UUID:
    with db.read() as conn:
        return conn.execute(select(ESTIMATE_T.c.project_id).where(ESTIMATE_T.c.id == estimate)).scalar_one()


def _positions(board: CrewBoard, project: uuid.UUID) -> set[uuid.UUID]:
    """The lines of the project's calls on the calendar, 7–12 March 2027."""
    days = [date(2027, 3, 7) + timedelta(d) for d in range(6)]
    return {
        p.line_item_id for day in days for p in board.open_positions(day, True) if p.project_id == project
    }


def test_the_chosen_scenario_counts_for_capacity_calendar_and_staffing(any_demo_db: Database) -> None:
    db = any_demo_db
    full, half = estimate_named(db, "Full booth"), estimate_named(db, "Half booth")
    project = _project_of(db, full)
    with db.read() as conn:
        assert counting_estimate(conn, project) == full  # no choice yet: the first scenario
        assert {c.estimate_id for c in load_calls(conn, project_id=project)} == {full}
    board = CrewBoard(db, date(2027, 3, 7), date(2027, 3, 12))
    before = _positions(board, project)
    assert project_staffing(db, project).estimate_id == full

    change_status(db, project, _version(db, project), S.WON, chosen_estimate_id=half)

    with db.read() as conn:
        assert counting_estimates(conn)[project] == half
        calls = load_calls(conn, project_id=project)
    assert calls and {c.estimate_id for c in calls} == {half}
    board.reload()
    after = _positions(board, project)
    assert after and not after & before  # the full booth's calls stopped counting
    assert {c.line_id for c in calls} >= after
    staffing = project_staffing(db, project)
    assert staffing.estimate_id == half
    assert {c.call.estimate_id for c in staffing.calls} == {half}
    assert staffing.counting_name == ""
    assert project_staffing(db, project, full).counting_name == "Half booth"  # the one that asks for crew
    # A chosen scenario deleted: the first one counts again.
    with db.write() as conn:
        conn.execute(
            ESTIMATE_T.update().where(ESTIMATE_T.c.id == half).values(deleted_at=ESTIMATE_T.c.updated_at)
        )
        assert counting_estimate(conn, project) == full


def test_a_projects_days_for_the_crew_calendar(empty_db: Database) -> None:
    """The span the calendar opens on: load-in to strike, whichever of the four days are set."""
    db = empty_db
    first, late, undated = (make_project(db, project_name=n, client_name=f"{n} co") for n in "BAC")
    with db.write() as conn:
        for pid, days in ((first, (date(2027, 3, 6), date(2027, 3, 8), None, date(2027, 3, 11))),
                          (late, (None, date(2027, 5, 2), date(2027, 5, 3), None))):
            conn.execute(PROJECT_T.update().where(PROJECT_T.c.id == pid).values(
                start_date=days[0], show_start_date=days[1], show_end_date=days[2], end_date=days[3]))
    found = project_days(db, first)
    assert found is not None and (found.first, found.last) == (date(2027, 3, 6), date(2027, 3, 11))
    assert found.label() == "B — Sat 6 Mar 2027 to Thu 11 Mar 2027"
    assert project_days(db, undated) is None
    assert [(d.name, d.first, d.last) for d in dated_projects(db)] == [
        ("B", date(2027, 3, 6), date(2027, 3, 11)), ("A", date(2027, 5, 2), date(2027, 5, 3))]
