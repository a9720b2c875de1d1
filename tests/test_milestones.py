"""Project types, their milestone templates and a project's milestones (app/services/schedule/), on
SQLite and PostgreSQL: the starter types of a new company, dates worked by hand relative to a show
that moves (a fixed one stays), done stamped and cleared, owners, From template once per name and
its undo, and every refusal in one line with nothing changed."""

from __future__ import annotations

import threading
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from app.services import master_data
from app.services.company.setup import set_up_company
from app.services.master_data import InUse
from app.services.projects.details import PROJECTS
from app.services.schedule.milestones import (
    MILESTONES,
    apply_template,
    bring_back,
    due_text,
    take_back,
    template_of,
)
from app.services.schedule.templates import MILESTONE_TEMPLATES, PROJECT_TYPES, STARTER_TYPES
from app.services.storage.database import Database, open_database
from app.services.values import InputError
from tests.factories import make_project

KINDS = ["design_approval", "freight_window", "ship", "load_in", "show_open", "strike", "invoice"]


@pytest.fixture
def company(any_db: Database) -> Database:
    set_up_company(any_db, {"name": "Brightside Events"})
    return any_db


def type_id(db: Database, name: str) -> uuid.UUID:
    return next(r.id for r in master_data.load(db, PROJECT_TYPES) if r.values["name"] == name)


def set_project(db: Database, project_id: uuid.UUID, **values: object) -> None:
    for key, value in values.items():
        master_data.save_edit(db, PROJECTS, master_data.load_one(db, PROJECTS, project_id), key, value)


def booth(db: Database) -> uuid.UUID:
    """An exhibit booth: load-in Mon 8 Mar 2027, show 9–10 Mar, strike 11 Mar."""
    project = make_project(db, project_name="MedTech booth")
    set_project(
        db,
        project,
        start_date="2027-03-08",
        show_start_date="2027-03-09",
        show_end_date="2027-03-10",
        end_date="2027-03-11",
        project_type_id=type_id(db, "Exhibit booth"),
    )
    return project


def dues(db: Database, project: uuid.UUID) -> dict[str, str]:
    return {r.values["name"]: due_text(r.values["due"]) for r in master_data.load(db, MILESTONES, project)}


def milestone(db: Database, project: uuid.UUID, name: str) -> master_data.RecordRow:
    return next(r for r in master_data.load(db, MILESTONES, project) if r.values["name"] == name)


def test_a_new_company_starts_with_three_project_types_and_their_templates(company: Database) -> None:
    types = master_data.load(company, PROJECT_TYPES)
    assert [t.values["name"] for t in types] == ["Exhibit booth", "Conference", "Concert"]
    for kind in types:
        rows = master_data.load(company, MILESTONE_TEMPLATES, kind.id)
        assert [r.values["kind"] for r in rows] == KINDS, kind.values["name"]
        owners = {r.values["kind"]: r.values["owner"] for r in rows}
        assert owners["design_approval"] == owners["invoice"] == "AM"
        assert {owners[k] for k in KINDS[1:-1]} == {"PM"}
        window = next(r for r in rows if r.values["kind"] == "freight_window")
        assert window.values["duration_days"] > 0 and window.values["offset_days"] < 0
    assert len(STARTER_TYPES) == 3


def test_template_fields_are_checked_in_one_line_and_nothing_changes(company: Database) -> None:
    kind = type_id(company, "Concert")
    row = master_data.load(company, MILESTONE_TEMPLATES, kind)[0]
    for key, value, message in (
        ("offset_days", "-800", "Offset must be at least -730"),
        ("offset_days", "1.5", "Offset can have at most 0 decimal places"),
        ("duration_days", "-1", "Window cannot be negative"),
        ("owner", "XM", "Owner must be AM (the account manager) or PM (the project manager)."),
        ("anchor", "Fixed date", "Counts from must be one of: Load-in, Show start, Show end, Strike."),
        ("kind", "order_by", "Kind must be one of: Design approval, Ship, Advance freight, Load-in"),
        ("name", "", "Milestone cannot be empty."),
    ):
        with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
            master_data.save_edit(company, MILESTONE_TEMPLATES, row, key, value)
    assert master_data.load(company, MILESTONE_TEMPLATES, kind)[0].values == row.values
    assert master_data.save_edit(company, MILESTONE_TEMPLATES, row, "anchor", "show end")
    assert master_data.save_edit(company, MILESTONE_TEMPLATES, row, "owner", "pm")
    stored = master_data.load(company, MILESTONE_TEMPLATES, kind)[0].values
    assert (stored["anchor"], stored["owner"]) == ("show_end", "PM")


def test_template_dates_follow_a_moved_show_and_fixed_ones_stay(company: Database) -> None:
    project = booth(company)
    assert template_of(company, project) == "Exhibit booth"
    added = apply_template(company, project)
    assert len(added) == 7
    master_data.add(
        company,
        MILESTONES,
        "Exhibitor forms due",
        {"anchor": "Fixed date", "fixed_date": "2027-01-15", "owner": "AM"},
        owner=project,
    )
    assert dues(company, project) == {  # worked by hand from Mon 8 Mar 2027
        "Design approval": "25 Jan 2027",  # 42 days before load-in
        "Advance freight window": "6 Feb – 3 Mar 2027",  # 30 days before, 25 days long
        "Ship to the advance warehouse": "26 Feb 2027",
        "Load-in": "8 Mar 2027",
        "Show open": "9 Mar 2027",
        "Strike": "11 Mar 2027",
        "Invoice": "14 Mar 2027",
        "Exhibitor forms due": "15 Jan 2027",
    }
    # The show moves four weeks on (strike first, so the days keep their order at each step).
    set_project(
        company,
        project,
        end_date="2027-04-08",
        show_end_date="2027-04-07",
        show_start_date="2027-04-06",
        start_date="2027-04-05",
    )
    moved = dues(company, project)
    assert moved["Design approval"] == "22 Feb 2027"
    assert moved["Advance freight window"] == "6–31 Mar 2027"
    assert moved["Show open"] == "6 Apr 2027"
    assert moved["Invoice"] == "11 Apr 2027"
    assert moved["Exhibitor forms due"] == "15 Jan 2027"  # fixed: it stays
    assert milestone(company, project, "Load-in").values["due"] == (date(2027, 4, 5), date(2027, 4, 5))


def test_from_template_adds_only_what_the_project_lacks_and_its_undo_takes_back_just_those(
    company: Database,
) -> None:
    project = booth(company)
    first = apply_template(company, project)
    assert apply_template(company, project) == []  # it has them all
    ship = milestone(company, project, "Ship to the advance warehouse")
    master_data.delete(company, MILESTONES, ship.id)
    master_data.add(company, MILESTONES, "Rigging plot to the venue", {"offset_days": "-21"}, owner=project)
    again = apply_template(company, project)
    assert len(again) == 1 and again[0] not in first
    assert milestone(company, project, "Ship to the advance warehouse").id == again[0]
    take_back(company, again)  # the undo
    assert "Ship to the advance warehouse" not in dues(company, project)
    assert len(dues(company, project)) == 7  # six of the template's and the one added by hand
    bring_back(company, again)  # the redo
    assert len(dues(company, project)) == 8
    take_back(company, again)
    master_data.add(company, MILESTONES, "ship to the advance warehouse", owner=project)
    with pytest.raises(InputError, match="has a milestone “Ship to the advance warehouse” again"):
        bring_back(company, again)
    assert len(dues(company, project)) == 8


def test_from_template_needs_a_type(company: Database) -> None:
    project = make_project(company, project_name="No type yet")
    with pytest.raises(InputError, match=r"no type yet: pick one in Project details \(Type\)"):
        apply_template(company, project)
    assert master_data.load(company, MILESTONES, project) == []


def test_done_is_stamped_and_cleared_and_the_owner_is_am_or_pm(company: Database) -> None:
    project = booth(company)
    apply_template(company, project)
    approval = milestone(company, project, "Design approval")
    assert approval.values["owner"] == "AM" and not approval.values["done"]
    master_data.save_edit(company, MILESTONES, approval, "done", "yes")
    stamped = milestone(company, project, "Design approval")
    with company.read() as conn:
        done_at = conn.execute(
            select(MILESTONES.table.c.done_at).where(MILESTONES.table.c.id == approval.id)
        ).scalar()
    assert stamped.values["done"] is True and done_at is not None
    master_data.save_edit(company, MILESTONES, stamped, "done", "no")
    with company.read() as conn:
        assert (
            conn.execute(
                select(MILESTONES.table.c.done_at).where(MILESTONES.table.c.id == approval.id)
            ).scalar()
            is None
        )
    row = milestone(company, project, "Load-in")
    master_data.save_edit(company, MILESTONES, row, "owner", "am")
    with pytest.raises(InputError, match="Owner must be AM"):
        master_data.save_edit(company, MILESTONES, row, "owner", "someone")
    assert milestone(company, project, "Load-in").values["owner"] == "AM"


def test_a_fixed_milestone_needs_its_date_and_the_due_day_is_not_typed(company: Database) -> None:
    project = make_project(company, project_name="Gala")
    set_project(
        company,
        project,
        start_date="2027-04-24",
        end_date="2027-04-24",
        project_type_id=type_id(company, "Concert"),
    )
    apply_template(company, project)
    show = milestone(company, project, "Show open")
    assert show.values["due"] is None and due_text(show.values["due"]) == "no date"  # no show start yet
    with pytest.raises(InputError, match="A milestone on a fixed date needs its date"):
        master_data.save_edit(company, MILESTONES, show, "anchor", "Fixed date")
    with pytest.raises(InputError, match="Due is worked out, not typed"):
        master_data.save_edit(company, MILESTONES, show, "due", "2027-04-24")
    master_data.save_edit(company, MILESTONES, show, "fixed_date", "24 Apr 2027")
    master_data.save_edit(company, MILESTONES, show, "anchor", "Fixed date")
    assert milestone(company, project, "Show open").values["due"] == (date(2027, 4, 24), date(2027, 4, 24))
    with pytest.raises(InputError, match="There is already a milestone named “strike”"):
        master_data.add(company, MILESTONES, "strike", owner=project)


def test_a_type_in_use_stays_and_a_copy_takes_its_template(company: Database) -> None:
    project = booth(company)
    booth_type = type_id(company, "Exhibit booth")
    with pytest.raises(InUse, match="1 project \\(MedTech booth\\)"):
        master_data.delete(company, PROJECT_TYPES, booth_type)
    copy = master_data.duplicate(company, PROJECT_TYPES, booth_type)
    assert len(master_data.load(company, MILESTONE_TEMPLATES, copy)) == 7
    set_project(company, project, project_type_id=copy)
    master_data.delete(company, PROJECT_TYPES, booth_type)
    choices = PROJECTS.field_by_key["project_type_id"].choices
    assert choices is not None
    assert [label for _, label in choices(company)] == [
        "(none)",
        "Exhibit booth (copy)",
        "Conference",
        "Concert",
    ]
    with pytest.raises(InputError, match="That project type no longer exists"):
        set_project(company, project, project_type_id=booth_type)


def test_two_people_taking_the_template_at_once_add_it_once(db_target: str, company: Database) -> None:
    project = booth(company)
    dbs = [open_database(db_target) for _ in range(3)]
    added: list[int | str] = []
    start = threading.Barrier(len(dbs))

    def take(db: Database) -> None:
        start.wait(10)
        try:
            added.append(len(apply_template(db, project)))
        except BaseException as error:  # handed to the test thread
            added.append(repr(error))

    threads = [threading.Thread(target=take, args=(db,)) for db in dbs]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for db in dbs:
            db.close()
    assert sorted(added, key=str) == [0, 0, 7]
    assert len(master_data.load(company, MILESTONES, project)) == 7


def test_the_demos_projects_have_their_types_and_milestones(any_demo_db: Database) -> None:
    projects = {r.values["name"]: r for r in master_data.load(any_demo_db, PROJECTS)}
    types = {r.id: r.values["name"] for r in master_data.load(any_demo_db, PROJECT_TYPES)}
    assert {n: types[p.values["project_type_id"]] for n, p in projects.items()} == {
        "Vantage @ MedTech Expo": "Exhibit booth",
        "Orbital partner summit": "Conference",
        "Orbital Summit keynote": "Conference",
        "Spring Gala 2027": "Concert",
    }
    booth_id = projects["Vantage @ MedTech Expo"].id
    medtech = dues(any_demo_db, booth_id)
    assert medtech["Show open"] == "9 Mar 2027" and medtech["Exhibitor services forms"] == "29 Jan 2027"
    assert len(medtech) == 8
    approval = milestone(any_demo_db, projects["Spring Gala 2027"].id, "Design approval")
    assert approval.values["done"] is True
    assert apply_template(any_demo_db, booth_id) == []  # the demo's are the template's
