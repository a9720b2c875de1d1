"""Activities on projects and clients, My follow-ups' order, done/undone, and Send quote's log."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from app.models import Activity, QuoteRevision
from app.services import master_data
from app.services.activities.brief import BUDGET, load_brief, save_brief
from app.services.activities.follow_ups import (
    client_activities,
    default_owner,
    due_count,
    my_follow_ups,
    owner_names,
    project_activities,
)
from app.services.activities.records import CLIENT_ACTIVITIES, PROJECT_ACTIVITIES, for_owner, set_done
from app.services.estimate.document import EditConflict, EstimateDocument
from app.services.estimate.revisions import send_quote
from app.services.storage.database import Database
from app.services.values import InputError
from tests.factories import make_project

ACTIVITY_T = Activity.__table__  # type: ignore[attr-defined]
TODAY = date(2027, 3, 1)


def _client_of(db: Database, project_id: uuid.UUID) -> uuid.UUID:
    from app.models import Project

    with db.read() as conn:
        return conn.execute(select(Project.client_id).where(Project.id == project_id)).scalar_one()  # type: ignore[arg-type]


def _add(
    db: Database,
    project: uuid.UUID,
    subject: str,
    due: str = "",
    *,
    owner: str = "Dana",
    kind: str = "follow_up",
    done: bool = False,
) -> uuid.UUID:
    values = {"due_date": due, "owner": owner, "kind": kind, "done": done}
    return master_data.add(db, PROJECT_ACTIVITIES, subject, values, owner=project)


def test_my_follow_ups_overdue_first_then_by_due_date_then_undated(empty_db: Database) -> None:
    db = empty_db
    gala = make_project(db, client_name="Harbor", project_name="Gala")
    expo = make_project(db, client_name="Vantage", project_name="Expo", with_rules=False)
    _add(db, gala, "Next month", "2027-04-02")
    _add(db, expo, "Undated follow-up")
    _add(db, gala, "Long overdue", "2027-02-01")
    _add(db, expo, "Due today", "2027-03-01")
    _add(db, gala, "Yesterday", "2027-02-28")
    _add(db, expo, "Someone else's", "2027-01-01", owner="Priya")
    _add(db, expo, "Done already", "2027-01-15", done=True)
    _add(db, gala, "An undated note is no follow-up", kind="note")
    client_id = _client_of(db, gala)
    master_data.add(
        db,
        CLIENT_ACTIVITIES,
        "Season lunch",
        {"due_date": "2027-03-10", "owner": "dana", "kind": "meeting"},
        owner=client_id,
    )

    rows = my_follow_ups(db, "Dana", TODAY)

    assert [r.subject for r in rows] == [
        "Long overdue",
        "Yesterday",
        "Due today",
        "Season lunch",
        "Next month",
        "Undated follow-up",
    ]
    assert [r.overdue(TODAY) for r in rows] == [True, True, False, False, False, False]
    assert due_count(rows, TODAY) == 3  # the overdue two and today's
    by_subject = {r.subject: r for r in rows}
    assert (by_subject["Yesterday"].project_name, by_subject["Yesterday"].client_name) == ("Gala", "Harbor")
    assert (by_subject["Season lunch"].project_name, by_subject["Season lunch"].client_name) == ("", "Harbor")
    assert [r.subject for r in my_follow_ups(db, "Priya", TODAY)] == ["Someone else's"]
    assert len(my_follow_ups(db, "", TODAY)) == 7  # everyone's open ones


def test_done_stamps_the_day_and_undone_clears_it(empty_db: Database) -> None:
    db = empty_db
    project = make_project(db)
    row_id = _add(db, project, "Call back", "2027-03-03")
    version = master_data.load_one(db, PROJECT_ACTIVITIES, row_id).version

    version = set_done(db, row_id, version, True)
    with db.read() as conn:
        done, done_at = conn.execute(
            select(ACTIVITY_T.c.done, ACTIVITY_T.c.done_at).where(ACTIVITY_T.c.id == row_id)
        ).one()
    assert done and done_at is not None
    assert my_follow_ups(db, "Dana", TODAY) == []
    with pytest.raises(EditConflict):  # a stale tick (someone ticked it meanwhile) changes nothing
        set_done(db, row_id, version - 1, False)
    set_done(db, row_id, version, False)
    with db.read() as conn:
        done, done_at = conn.execute(
            select(ACTIVITY_T.c.done, ACTIVITY_T.c.done_at).where(ACTIVITY_T.c.id == row_id)
        ).one()
    assert (done, done_at) == (False, None)
    assert [r.subject for r in my_follow_ups(db, "Dana", TODAY)] == ["Call back"]


def test_the_editor_stamps_done_too_and_delete_tombstones(empty_db: Database) -> None:
    db = empty_db
    project = make_project(db)
    row_id = _add(db, project, "Send the floor plan", "2027-03-03")
    row = master_data.load_one(db, PROJECT_ACTIVITIES, row_id)
    master_data.save_edit(db, PROJECT_ACTIVITIES, row, "done", "yes")
    with db.read() as conn:
        assert (
            conn.execute(select(ACTIVITY_T.c.done_at).where(ACTIVITY_T.c.id == row_id)).scalar() is not None
        )
    master_data.delete(db, PROJECT_ACTIVITIES, row_id)
    with db.read() as conn:
        assert project_activities(conn, project) == []
        assert conn.execute(select(ACTIVITY_T.c.deleted_at).where(ACTIVITY_T.c.id == row_id)).scalar()
    master_data.restore(db, PROJECT_ACTIVITIES, row_id)
    with db.read() as conn:
        assert [r.subject for r in project_activities(conn, project)] == ["Send the floor plan"]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("due_date", "next tuesday", "Due date must be a date like 2027-03-08"),
        ("due_date", "2027-02-30", "Due date must be a date"),
        ("subject", "", "Subject cannot be empty."),
        ("subject", "x" * 201, "Subject can be at most 200 characters long."),
        ("kind", "fax", "Kind must be one of: Call, Meeting, Email, Quote sent, Follow up, Note."),
    ],
)
def test_a_refused_value_says_why_in_one_line_and_changes_nothing(
    empty_db: Database, key: str, value: str, message: str
) -> None:
    project = make_project(empty_db)
    row_id = _add(empty_db, project, "Call", "2027-03-03")
    row = master_data.load_one(empty_db, PROJECT_ACTIVITIES, row_id)
    with pytest.raises(InputError) as refused:
        master_data.save_edit(empty_db, PROJECT_ACTIVITIES, row, key, value)
    assert str(refused.value).startswith(message) and "\n" not in str(refused.value)
    stored = master_data.load_one(empty_db, PROJECT_ACTIVITIES, row_id).values
    assert (stored["subject"], stored["due_date"], stored["kind"]) == ("Call", date(2027, 3, 3), "follow_up")


def test_an_activity_needs_a_project_or_a_client(empty_db: Database) -> None:
    with empty_db.write() as conn, pytest.raises(InputError, match="needs a project or a client"):
        assert PROJECT_ACTIVITIES.check is not None
        PROJECT_ACTIVITIES.check(conn, {"project_id": None, "client_id": None})
    with pytest.raises(InputError, match="Subject cannot be empty"):
        master_data.add(empty_db, PROJECT_ACTIVITIES, "  ", owner=make_project(empty_db))


def test_a_new_activity_is_its_owner_s_and_the_names_come_from_activities_and_projects(
    empty_db: Database,
) -> None:
    db = empty_db
    project = make_project(db)  # its AM is "AM"
    row_id = master_data.add(db, for_owner(PROJECT_ACTIVITIES, "Priya"), "Call", owner=project)
    assert master_data.load_one(db, PROJECT_ACTIVITIES, row_id).values["owner"] == "Priya"
    assert owner_names(db) == ["AM", "Priya"]
    assert default_owner(None)  # the OS user name
    with db.write() as conn:  # a user whose login is an AM's name (any case) gets the name as written
        conn.execute(update(Activity.__table__).values(owner=default_owner(None).upper()))  # type: ignore[attr-defined]
    assert default_owner(db) == default_owner(None).upper()


def test_client_activities_cover_the_client_and_its_projects(empty_db: Database) -> None:
    db = empty_db
    gala = make_project(db, client_name="Harbor", project_name="Gala")
    other = make_project(db, client_name="Elsewhere", project_name="Other", with_rules=False)
    client = _client_of(db, gala)
    _add(db, gala, "On the gala", "2027-03-05")
    _add(db, other, "Another client's")
    done = _add(db, gala, "Done call", kind="call", done=True)
    master_data.add(db, CLIENT_ACTIVITIES, "Season lunch", {"due_date": "2027-03-02"}, owner=client)
    with db.read() as conn:
        rows = client_activities(conn, client)
    assert [r.subject for r in rows] == [
        "Season lunch",
        "On the gala",
        "Done call",
    ]  # open by date, then done
    assert rows[-1].id == done
    assert [r.values["subject"] for r in master_data.load(db, CLIENT_ACTIVITIES, client)] == ["Season lunch"]


def test_send_quote_logs_a_done_quote_sent_activity_in_its_transaction(
    demo_db: Database, full_booth_id: uuid.UUID
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    info = send_quote(demo_db, doc, "Dana Ortiz", "first round")
    with demo_db.read() as conn:
        logged = conn.execute(select(ACTIVITY_T).where(ACTIVITY_T.c.kind == "quote_sent")).all()
        project_rows = project_activities(conn, doc.header.project_id)
    assert len(logged) == 1
    row = logged[0]
    assert row.subject == f"Quote {info.quote_number} rev 1 sent"
    assert (row.done, row.owner, row.estimate_id, row.revision_id) == (
        True,
        "Dana Ortiz",
        full_booth_id,
        info.id,
    )
    assert row.done_at is not None and row.project_id == doc.header.project_id and row.notes == "first round"
    assert row.subject in [r.subject for r in project_rows]
    assert all(r.kind != "quote_sent" for r in my_follow_ups(demo_db, "Dana Ortiz", TODAY))  # done: not due


def test_a_send_that_fails_leaves_no_activity_behind(
    demo_db: Database, full_booth_id: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    EstimateDocument(demo_db, full_booth_id).set_estimate_fields({"tax_pct": Decimal(8)})  # someone else
    with pytest.raises(EditConflict):
        send_quote(demo_db, doc, "Dana Ortiz")
    doc.reload()
    import app.services.estimate.revisions as revisions

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(revisions, "quote_sent", broken)  # fails after the revision and the log are written
    with pytest.raises(RuntimeError):
        send_quote(demo_db, doc, "Dana Ortiz")
    with demo_db.read() as conn:
        assert conn.execute(select(ACTIVITY_T).where(ACTIVITY_T.c.kind == "quote_sent")).all() == []
        assert conn.execute(select(QuoteRevision.__table__)).all() == []  # type: ignore[attr-defined]


def test_the_brief_saves_version_checked_with_the_budget_as_money(empty_db: Database) -> None:
    db = empty_db
    project = make_project(db)
    brief = load_brief(db, project)
    assert brief.is_empty()
    version = save_brief(
        db, project, brief.version, {"brief_goals": "400 leads\nA quiet room", BUDGET: "$45,000.50"}
    )
    stored = load_brief(db, project)
    assert stored.values["brief_goals"] == "400 leads\nA quiet room"
    assert stored.values[BUDGET] == Decimal("45000.50") and isinstance(stored.values[BUDGET], Decimal)
    assert stored.version == version
    with pytest.raises(EditConflict):
        save_brief(db, project, brief.version, {"brief_goals": "stale"})
    with pytest.raises(InputError, match="Budget the client mentioned must be a number"):
        save_brief(db, project, version, {"brief_goals": "changed", BUDGET: "about 40"})
    with pytest.raises(InputError, match="Budget the client mentioned cannot be negative"):
        save_brief(db, project, version, {BUDGET: "-5"})
    assert load_brief(db, project).values["brief_goals"] == "400 leads\nA quiet room"  # nothing written
    save_brief(db, project, version, {**stored.values, BUDGET: "45k"})
    assert load_brief(db, project).values[BUDGET] == Decimal("45000")


def test_the_demo_has_an_overdue_follow_up_a_done_call_and_a_brief(demo_db: Database) -> None:
    today = date.today()
    rows = my_follow_ups(demo_db, "Dana Ortiz", today)
    assert rows[0].overdue(today) and rows[0].project_name == "Vantage @ MedTech Expo"
    with demo_db.read() as conn:
        calls = conn.execute(select(ACTIVITY_T).where(ACTIVITY_T.c.kind == "call")).all()
    assert [(c.done, c.due_date < today) for c in calls] == [(True, True)]
    assert rows[0].due_date == today - timedelta(days=2)
    expo = rows[0].project_id
    assert expo is not None and load_brief(demo_db, expo).values[BUDGET] == Decimal("120000")
