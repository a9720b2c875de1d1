"""The equipment timeline's rows, bars and day levels, and the capacity view's equipment mode, from
holds written out by hand (the arithmetic in the test), then from a database through the hold index."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.equipment.availability import Hold, HoldIndex, Stock, hold_index
from app.services.equipment.timeline import (
    day_levels,
    equipment_capacity,
    equipment_timeline,
    lanes,
    level_steps,
)
from app.services.storage.database import Database
from tests.timeline_scene import MARCH, build_equipment_scene

D = Decimal
ORBITAL, GALA, EXPO = (uuid.UUID(int=i) for i in (1, 2, 3))
NAMES = {ORBITAL: "Orbital keynote", GALA: "Spring Gala", EXPO: "Expo"}


def stock(
    owned: int = 400,
    out: int = 0,
    out_from: date | None = None,
    out_until: date | None = None,
    name: str = "500 mm LED panel",
    category: str = "LED",
) -> Stock:
    return Stock(
        uuid.uuid5(uuid.NAMESPACE_OID, name),
        name,
        category,
        D(owned),
        D(out),
        out_from,
        out_until,
        0,
        0,
        D("12.50"),
        None,
    )


def hold(item: Stock, project: uuid.UUID, status: str, first: date, last: date, quantity: int) -> Hold:
    return Hold(item.id, project, NAMES[project], status, uuid.uuid4(), first, last, D(quantity))


def test_day_levels_add_the_holds_of_each_day_confirmed_and_tentative_apart() -> None:
    panel = stock(owned=400, out=20, out_from=MARCH(10), out_until=MARCH(11))
    holds = [
        hold(panel, ORBITAL, "won", MARCH(8), MARCH(10), 300),
        hold(panel, GALA, "quoted", MARCH(10), MARCH(12), 60),
        hold(panel, EXPO, "in_production", MARCH(12), MARCH(12), 50),
    ]
    levels = {lv.day: lv for lv in day_levels(panel, holds, MARCH(7), MARCH(13))}
    assert [levels[MARCH(d)].held for d in range(7, 14)] == [0, 300, 300, 300 + 60, 60, 60 + 50, 0]
    assert levels[MARCH(10)].confirmed == 300 and levels[MARCH(10)].tentative == 60
    # Out of service on the 10th and 11th only: 400 - 20 can go out then.
    assert [levels[MARCH(d)].available for d in (9, 10, 11, 12)] == [400, 400 - 20, 400 - 20, 400]
    assert levels[MARCH(10)].short == 0  # 360 held of 380
    assert levels[MARCH(12)].confirmed == 50  # in production holds confirmed


def test_a_day_held_beyond_what_can_go_out_is_short_and_says_by_how_much() -> None:
    panel = stock(owned=400, out=20)  # out of service for good
    holds = [
        hold(panel, ORBITAL, "won", MARCH(8), MARCH(10), 300),
        hold(panel, GALA, "quoted", MARCH(9), MARCH(9), 100),
    ]
    levels = day_levels(panel, holds, MARCH(8), MARCH(10))
    assert [lv.short for lv in levels] == [0, 300 + 100 - (400 - 20), 0]
    nine = levels[1]
    assert nine.short_confirmed == 0  # 300 confirmed of 380: short only if the Gala is won
    assert nine.text() == (
        "400 held of 380 (300 confirmed, 100 tentative) · 20 of 400 out of service"
        " · short 20 (0 if the tentative holds are lost)"
    )


def test_holds_outside_the_range_count_only_on_the_days_shown() -> None:
    panel = stock()
    holds = [
        hold(panel, ORBITAL, "won", MARCH(1), MARCH(20), 10),
        hold(panel, GALA, "quoted", MARCH(25), MARCH(30), 5),
    ]
    assert [lv.held for lv in day_levels(panel, holds, MARCH(19), MARCH(21))] == [10, 10, 0]
    assert day_levels(panel, holds, MARCH(21), MARCH(20)) == []


def test_levels_are_steps_where_a_hold_or_the_out_of_service_period_begins_or_ends() -> None:
    panel = stock(owned=400, out=20, out_from=MARCH(10), out_until=MARCH(11))
    holds = [
        hold(panel, ORBITAL, "won", MARCH(8), MARCH(10), 300),
        hold(panel, GALA, "quoted", MARCH(10), MARCH(12), 60),
    ]
    steps = level_steps(panel, holds, MARCH(7), MARCH(31))
    # The range's start; Orbital from the 8th; Gala and the repair from the 10th; Orbital gone on the
    # 11th; the repair over on the 12th; the Gala gone on the 13th. Nothing changes after: no more steps.
    assert [(s.day.day, s.confirmed, s.tentative, s.out_of_service) for s in steps] == [
        (7, 0, 0, 0),
        (8, 300, 0, 0),
        (10, 300, 60, 20),
        (11, 0, 60, 20),
        (12, 0, 60, 0),
        (13, 0, 0, 0),
    ]
    timeline = equipment_timeline(HoldIndex({panel.id: panel}, holds), MARCH(7), MARCH(31))
    row = timeline.row(panel.id)
    assert row.short == () and not row.short_between(MARCH(1), MARCH(31))
    assert row.level(MARCH(30)).held == 0 and row.level(MARCH(10)).available == 400 - 20


def test_a_timeline_read_again_reuses_the_rows_whose_holds_did_not_change() -> None:
    panel, truss = stock(), stock(owned=40, name="Box truss 3 m", category="Rigging")
    items = {s.id: s for s in (panel, truss)}
    orbital = hold(panel, ORBITAL, "won", MARCH(8), MARCH(10), 300)
    rigging = hold(truss, GALA, "quoted", MARCH(9), MARCH(9), 4)
    before = equipment_timeline(HoldIndex(items, [orbital, rigging]), MARCH(1), MARCH(31))
    more = Hold(
        orbital.item_id,
        ORBITAL,
        orbital.project_name,
        "won",
        orbital.estimate_id,
        orbital.first,
        orbital.last,
        D(450),
    )  # a quantity typed on the keynote's line: 300 → 450
    after = equipment_timeline(HoldIndex(items, [more, rigging]), MARCH(1), MARCH(31), before)
    assert after.row(truss.id) is before.row(truss.id)
    assert after.level(panel.id, MARCH(9)).short == 450 - 400
    assert after.row(panel.id).short == ((MARCH(8), MARCH(10)),)
    moved = equipment_timeline(HoldIndex(items, [more, rigging]), MARCH(2), MARCH(31), after)
    assert moved.row(truss.id) is not after.row(truss.id)  # other days: every row read afresh


def test_overlapping_holds_take_lanes_one_above_the_other() -> None:
    panel = stock()
    a = hold(panel, ORBITAL, "won", MARCH(8), MARCH(10), 300)
    b = hold(panel, GALA, "quoted", MARCH(10), MARCH(12), 60)
    c = hold(panel, EXPO, "won", MARCH(11), MARCH(14), 10)  # free of a from the 11th
    bars, count = lanes([c, b, a])
    assert count == 2
    assert {bar.hold.project_name: bar.lane for bar in bars} == {
        "Orbital keynote": 0,
        "Spring Gala": 1,
        "Expo": 0,
    }
    assert bars[0].label == "Orbital keynote · 300"


def test_the_timeline_lists_every_item_by_category_then_name_with_its_bars() -> None:
    panel, truss, cable = (
        stock(name="500 mm LED panel", category="LED"),
        stock(owned=40, name="Box truss 3 m", category="Rigging"),
        stock(owned=100, name="Cable 10 m", category="Cable"),
    )
    index = HoldIndex(
        {s.id: s for s in (panel, truss, cable)},
        [
            hold(panel, ORBITAL, "won", MARCH(8), MARCH(10), 300),
            hold(truss, GALA, "quoted", MARCH(1), MARCH(2), 4),
        ],
    )
    timeline = equipment_timeline(index, MARCH(5), MARCH(11))
    assert [r.stock.name for r in timeline.rows] == ["Cable 10 m", "500 mm LED panel", "Box truss 3 m"]
    assert timeline.days == 7
    assert timeline.categories() == ["Cable", "LED", "Rigging"]
    assert [b.hold.project_name for b in timeline.row(panel.id).bars] == ["Orbital keynote"]
    assert timeline.row(truss.id).bars == ()  # its hold ends before the range
    assert timeline.level(panel.id, MARCH(9)).held == 300
    assert timeline.project_ids() == {ORBITAL}
    assert timeline.row(panel.id).detail() == "400 owned"


def test_capacity_equipment_mode_is_held_against_available_per_item() -> None:
    panel = stock(owned=400, out=20)
    truss = stock(owned=40, name="Box truss 3 m", category="Rigging")
    index = HoldIndex(
        {s.id: s for s in (panel, truss)},
        [
            hold(panel, ORBITAL, "won", MARCH(8), MARCH(10), 300),
            hold(panel, GALA, "quoted", MARCH(10), MARCH(10), 100),
        ],
    )
    table = equipment_capacity(index, MARCH(8), MARCH(10))
    assert table.roles == [(panel.id, "500 mm LED panel")]  # only the items held in the range
    ten = table.cell(MARCH(10), panel.id)
    assert (ten.demand_confirmed, ten.demand_tentative, ten.supply) == (300, 100, 400 - 20)
    assert [c.day for c in table.over_committed()] == [MARCH(10)]  # 400 held of 380
    weekly = equipment_capacity(index, MARCH(8), MARCH(10), "week")
    # The week of Monday 8 March 2027 is its worst day, the 10th.
    assert weekly.periods == [MARCH(8)]
    assert weekly.cell(MARCH(8), panel.id).day == MARCH(10)
    with pytest.raises(ValueError, match="ends before"):
        equipment_capacity(index, MARCH(10), MARCH(8))


def _brute_force(item: Stock, holds: list[Hold], day: date) -> tuple[Decimal, Decimal]:
    on = [h for h in holds if h.first <= day <= h.last]
    return (
        sum((h.quantity for h in on if h.confirmed), D(0)),
        sum((h.quantity for h in on if not h.confirmed), D(0)),
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 10), st.integers(1, 50), st.booleans()), max_size=25
    ),
    st.integers(0, 30),
    st.integers(0, 20),
)
def test_day_levels_equal_a_day_by_day_count(
    spans: list[tuple[int, int, int, bool]], offset: int, length: int
) -> None:
    panel = stock(owned=100)
    base = MARCH(1)
    holds = [
        hold(
            panel,
            ORBITAL if won else GALA,
            "won" if won else "quoted",
            base + timedelta(days=s),
            base + timedelta(days=s + n),
            q,
        )
        for s, n, q, won in spans
    ]
    start = base + timedelta(days=offset)
    levels = day_levels(panel, holds, start, start + timedelta(days=length))
    assert len(levels) == length + 1
    for level in levels:
        assert (level.confirmed, level.tentative) == _brute_force(panel, holds, level.day)
        assert level.short == max(level.held - level.available, 0) >= 0
    bars, count = lanes(holds)
    for x in bars:  # no two bars of a lane share a day
        assert not any(
            y is not x and y.lane == x.lane and y.hold.first <= x.hold.last and x.hold.first <= y.hold.last
            for y in bars
        )
    assert count == max(
        (sum(1 for h in holds if h.first <= d <= h.last) for d in (h.first for h in holds)), default=0
    )


def test_the_timeline_reads_the_holds_of_the_database(empty_db: Database) -> None:
    scene = build_equipment_scene(empty_db)
    timeline = equipment_timeline(hold_index(empty_db), MARCH(1), MARCH(31))
    panels = timeline.row(scene.panel_id)
    assert sorted((b.hold.project_name, b.hold.quantity, b.hold.confirmed) for b in panels.bars) == [
        ("Orbital keynote", 300, True),
        ("Spring Gala", 60, False),
        ("Vantage booth", 392, False),
    ]
    # 8–10 March: Orbital (won, 300) and Vantage (quoted, 392) both hold: 692 of 400.
    assert timeline.level(scene.panel_id, MARCH(9)).short == 300 + 392 - 400
    assert timeline.level(scene.panel_id, MARCH(9)).short_confirmed == 0
