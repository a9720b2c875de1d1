"""The deadlines list worked by hand (tests/deadlines_scene.py): groups from today, filters, the Done tick."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from app.services.schedule.deadlines import (
    MILESTONE,
    MILESTONE_T,
    ORDER,
    Filter,
    Group,
    group_of,
    load_deadlines,
    set_done,
)
from app.services.storage.database import Database
from app.services.storage.versioned import EditConflict
from tests.deadlines_scene import MARCH, TODAY, DeadlinesScene, build_deadlines_scene
from tests.factories import PROJECT_T

G = Group


def names(groups: list[tuple[Group, list]]) -> list[tuple[Group, list[str]]]:
    return [(g, [f"{r.project_name}/{r.name}" for r in rows]) for g, rows in groups]


@pytest.fixture
def scene(any_db: Database) -> DeadlinesScene:
    return build_deadlines_scene(any_db)


def test_every_open_milestone_and_draft_order_by_in_its_group_from_today(
    any_db: Database, scene: DeadlinesScene
) -> None:
    listing = load_deadlines(any_db, TODAY)
    assert names(listing.filtered()) == [
        (G.OVERDUE, ["Vantage booth/Design approval", "Spring gala/Deposit invoice"]),
        (
            G.THIS_WEEK,
            [
                "Vantage booth/Advance freight",
                "Vantage booth/Order PO-2027-0001 · Skyline Rigging (sub-rental)",
                "Vantage booth/Ship",
            ],
        ),
        (G.NEXT_WEEK, ["Vantage booth/Load-in", "Vantage booth/Show open", "Vantage booth/Strike"]),
        (G.LATER, ["Vantage booth/Invoice"]),
        (
            G.NO_DATE,
            [
                "Spring gala/Design approval",
                "Vantage booth/Order PO-2027-0003 · Skyline Rigging (purchase)",
                "Vantage booth/Rigging plot",
            ],
        ),
    ]
    assert listing.overdue() == 2
    by_name = {r.name: r for r in listing.rows}
    assert (by_name["Advance freight"].first, by_name["Advance freight"].last) == (date(2027, 2, 26), TODAY)
    assert by_name["Invoice"].first == MARCH(15) and by_name["Invoice"].person == "Ana Ruiz"
    order = by_name["Order PO-2027-0001 · Skyline Rigging (sub-rental)"]
    assert (order.source, order.kind, order.owner, order.person) == (ORDER, "order_by", "PM", "Sam Lee")


def test_the_groups_at_their_boundary_days() -> None:
    wednesday = TODAY
    assert group_of(MARCH(2), MARCH(2), wednesday) is G.OVERDUE  # yesterday
    assert group_of(MARCH(3), MARCH(3), wednesday) is G.THIS_WEEK  # today is not overdue
    assert group_of(MARCH(7), MARCH(7), wednesday) is G.THIS_WEEK  # Sunday ends the week
    assert group_of(MARCH(8), MARCH(8), wednesday) is G.NEXT_WEEK
    assert group_of(MARCH(14), MARCH(14), wednesday) is G.NEXT_WEEK
    assert group_of(MARCH(15), MARCH(15), wednesday) is G.LATER
    assert group_of(date(2027, 2, 20), MARCH(9), wednesday) is G.THIS_WEEK  # a window open today
    assert group_of(None, None, wednesday) is G.NO_DATE
    sunday = MARCH(7)
    assert group_of(MARCH(8), MARCH(8), sunday) is G.NEXT_WEEK  # Monday is next week's


def test_a_moved_show_moves_its_deadlines_between_groups(any_db: Database, scene: DeadlinesScene) -> None:
    with any_db.write() as conn:  # the booth loads in a week later
        conn.execute(
            update(PROJECT_T)
            .where(PROJECT_T.c.id == scene.projects["Vantage booth"])
            .values(start_date=MARCH(15))
        )
    listing = load_deadlines(any_db, TODAY)
    groups = {r.name: r.group(TODAY) for r in listing.rows if r.project_name == "Vantage booth"}
    assert groups["Design approval"] is G.OVERDUE  # 15 March − 14 = 1 March
    assert groups["Ship"] is G.NEXT_WEEK and groups["Load-in"] is G.LATER
    assert groups["Show open"] is G.NEXT_WEEK  # its own anchor did not move


def test_filters_by_owner_role_or_person_project_kind_and_text(
    any_db: Database, scene: DeadlinesScene
) -> None:
    listing = load_deadlines(any_db, TODAY)

    def shown(spec: Filter) -> list[str]:
        return [f"{r.project_name}/{r.name}" for _, rows in listing.filtered(spec) for r in rows]

    assert shown(Filter(owner="AM")) == [
        "Vantage booth/Design approval",
        "Vantage booth/Invoice",
        "Spring gala/Design approval",
    ]
    assert shown(Filter(owner="Kit Moss")) == ["Spring gala/Deposit invoice"]  # the gala's PM
    assert shown(Filter(owner="Ana Ruiz")) == shown(Filter(owner="AM"))
    assert len(shown(Filter(owner="Sam Lee"))) == 8  # the booth's six PM milestones and two orders
    assert shown(Filter(project_id=scene.projects["Spring gala"])) == [
        "Spring gala/Deposit invoice",
        "Spring gala/Design approval",
    ]
    assert shown(Filter(kind="invoice")) == ["Spring gala/Deposit invoice", "Vantage booth/Invoice"]
    assert shown(Filter(kind="order_by", text="sub-rental")) == [
        "Vantage booth/Order PO-2027-0001 · Skyline Rigging (sub-rental)"
    ]
    assert shown(Filter(text="ACCOUNTS net")) == ["Vantage booth/Invoice"]  # its notes, any case, all words
    assert shown(Filter(owner="AM", project_id=scene.projects["Spring gala"], text="design")) == [
        "Spring gala/Design approval"
    ]
    assert shown(Filter(text="nobody")) == [] and listing.filtered(Filter(text="nobody")) == []
    assert listing.people() == ["Ana Ruiz", "Kit Moss", "Sam Lee"]
    assert [name for _, name in listing.projects()] == ["Spring gala", "Vantage booth"]


def test_done_is_a_version_checked_write_and_leaves_the_list(any_db: Database, scene: DeadlinesScene) -> None:
    listing = load_deadlines(any_db, TODAY)
    row = next(r for r in listing.rows if r.name == "Deposit invoice")
    assert row.source == MILESTONE
    at = datetime(2027, 3, 3, 9, 30, tzinfo=UTC)
    version = set_done(any_db, row.row_id, row.version, True, at)
    with any_db.read() as conn:
        stored = conn.execute(select(MILESTONE_T).where(MILESTONE_T.c.id == row.row_id)).one()
    assert (stored.done, stored.done_at, stored.version) == (True, at, version)
    after = load_deadlines(any_db, TODAY)
    assert "Deposit invoice" not in {r.name for r in after.rows} and after.overdue() == 1
    with pytest.raises(EditConflict):  # the version read before the tick: someone got there first
        set_done(any_db, row.row_id, row.version, False)
    set_done(any_db, row.row_id, version, False)  # opened again: done_at cleared
    with any_db.read() as conn:
        stored = conn.execute(select(MILESTONE_T).where(MILESTONE_T.c.id == row.row_id)).one()
    assert (stored.done, stored.done_at) == (False, None)
    assert load_deadlines(any_db, TODAY).overdue() == 2


def test_typing_on_narrows_to_what_a_fresh_filter_keeps(any_db: Database, scene: DeadlinesScene) -> None:
    listing = load_deadlines(any_db, TODAY)
    fresh = load_deadlines(any_db, TODAY)
    for typed in ("s", "sh", "sho", "show", "sh", "", "i", "in", "inv o", "in"):  # on, back, on again
        spec = Filter(owner="PM", text=typed)
        assert listing.filtered(spec) == fresh.filtered(spec), typed
        fresh = load_deadlines(any_db, TODAY)  # never filtered before: no earlier keystroke to narrow
    assert names(listing.filtered(Filter(owner="PM", text="inv o"))) == [
        (G.OVERDUE, ["Spring gala/Deposit invoice"])
    ]


def test_a_projects_timeline_shows_its_milestones_by_day_then_its_orders(
    any_db: Database, scene: DeadlinesScene
) -> None:
    from app.services.schedule.project_timeline import load_project_schedule

    schedule = load_project_schedule(any_db, scene.projects["Vantage booth"])
    assert (schedule.load_in, schedule.strike) == (MARCH(8), MARCH(13))
    assert [(i.label, i.first, i.done) for i in schedule.items if not i.order] == [
        ("Design approval", date(2027, 2, 22), False),
        ("Advance freight", date(2027, 2, 26), False),
        ("Venue walk", MARCH(1), True),  # done: on the chart, ticked
        ("Ship", MARCH(7), False),
        ("Load-in", MARCH(8), False),
        ("Show open", MARCH(10), False),
        ("Strike", MARCH(13), False),
        ("Invoice", MARCH(15), False),
        ("Rigging plot", None, False),
    ]
    orders = [(i.label, i.first, i.last, i.done) for i in schedule.items if i.order]
    assert orders == [
        ("Order PO-2027-0002 · Skyline Rigging (purchase) — sent", MARCH(1), MARCH(1), True),
        ("Order PO-2027-0001 · Skyline Rigging (sub-rental) — draft", MARCH(4), MARCH(8), False),
        ("Order PO-2027-0003 · Skyline Rigging (purchase) — draft", None, None, False),
    ]
    assert schedule.span() == (date(2027, 2, 22), MARCH(15))
