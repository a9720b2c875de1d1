"""Equipment availability: holds derived from projects, the sweep index, its cache, kits, scenarios.

Every figure is worked out by hand in the test, as arithmetic over the days it covers, and the
sweep is checked against a brute-force day-by-day count (kept here, never in the app).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlmodel import SQLModel

from app.models import (
    CatalogItem,
    Client,
    EquipmentItem,
    Estimate,
    KitComponent,
    LineItem,
    Project,
    Section,
    SubRentalRate,
    Supplier,
)
from app.services.equipment.availability import (
    Hold,
    HoldIndex,
    Stock,
    estimate_availability,
    hold_index,
    load_holds,
    load_stock,
    scenario_equipment,
)
from app.services.estimate.document import EstimateDocument
from app.services.storage.database import Database, open_database
from tests.factories import line_values

D = Decimal
MAR = [date(2027, 2, 28) + timedelta(days=d) for d in range(32)]  # MAR[12] is 12 March 2027
ZERO = D(0)


def _add(db: Database, *records: SQLModel) -> None:
    with db.write() as conn:
        for record in records:
            conn.execute(type(record).__table__.insert().values(**record.model_dump()))  # type: ignore[attr-defined]


@dataclass
class Company:
    """A small company built row by row: catalog items, stock, projects with dated estimates."""

    db: Database
    client: Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = Client(name="Vantage Corp")
        _add(self.db, self.client)

    def catalog(self, name: str, **values: Any) -> uuid.UUID:
        item = CatalogItem(name=name, **values)
        _add(self.db, item)
        return item.id

    def stock(self, name: str, owned: int, **values: Any) -> uuid.UUID:
        sells = self.catalog(name)
        item = EquipmentItem(name=name, owned_quantity=D(owned), catalog_item_id=sells, **values)
        _add(self.db, item)
        return item.id

    def sells(self, item_id: uuid.UUID) -> uuid.UUID:
        with self.db.read() as conn:
            query = select(EquipmentItem.catalog_item_id).where(EquipmentItem.id == item_id)  # type: ignore[arg-type]
            return conn.execute(query).scalar_one()

    def project(self, name: str, status: str, first: date, last: date, **values: Any) -> uuid.UUID:
        project = Project(
            client_id=self.client.id, name=name, status=status, start_date=first, end_date=last, **values
        )
        _add(self.db, project)
        return project.id

    def estimate(self, project_id: uuid.UUID, name: str, position: int = 0) -> tuple[uuid.UUID, uuid.UUID]:
        """(estimate id, its one section's id)."""
        estimate = Estimate(project_id=project_id, name=name, position=position)
        section = Section(estimate_id=estimate.id, name="Equipment", position=0)
        _add(self.db, estimate, section)
        return estimate.id, section.id

    def line(
        self, section_id: uuid.UUID, item_id: uuid.UUID | None, quantity: int | str, **values: Any
    ) -> uuid.UUID:
        base = line_values(0)  # an equipment line
        catalog = values.pop("catalog_item_id", None) or (self.sells(item_id) if item_id else None)
        base.update(
            description=f"line of {quantity}", quantity=D(quantity), catalog_item_id=catalog, **values
        )
        with self.db.read() as conn:
            position = len(conn.execute(select(LineItem.id).where(LineItem.section_id == section_id)).all())  # type: ignore[arg-type]
        line = LineItem(section_id=section_id, position=position, **base)
        _add(self.db, line)
        return line.id

    def set(self, model: type[SQLModel], row_id: uuid.UUID, **values: Any) -> None:
        table = model.__table__  # type: ignore[attr-defined]
        with self.db.write() as conn:
            conn.execute(update(table).where(table.c.id == row_id).values(**values))

    def holding(
        self, name: str, status: str, first: date, last: date, item_id: uuid.UUID, quantity: int
    ) -> uuid.UUID:
        """A project on ``first``–``last`` whose one estimate has one line of ``quantity`` of the item."""
        project = self.project(name, status, first, last)
        _, section = self.estimate(project, "Main")
        self.line(section, item_id, quantity)
        return project


def availability_of(db: Database, estimate_id: uuid.UUID, line_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return estimate_availability(hold_index(db), EstimateDocument(db, estimate_id)).lines[line_id]


# -- the sentence, by hand -----------------------------------------------------------------


def _booth_week(db: Database) -> tuple[Company, uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID]:
    """400 panels, prep 1 day and return 2. Vantage (being estimated) 10–14 March, 392 panels, so it
    needs them 9–16 March. Orbital keynote (won) 12–13 March, 300: held 11–15. Spring Gala (quoted)
    17–20 March, 60: held 16–22. Early show (won) 3–6 March, 100: held 2–8, the day before Vantage's
    prep. Late show (won) 19–25 March, 100: held 18–27, two days after Vantage's return."""
    co = Company(db)
    panels = co.stock("500 mm LED panel", 400, prep_days=1, return_days=2)
    co.holding("Orbital keynote", "won", MAR[12], MAR[13], panels, 300)
    co.holding("Spring Gala", "quoted", MAR[17], MAR[20], panels, 60)
    co.holding("Early show", "won", MAR[3], MAR[6], panels, 100)
    co.holding("Late show", "won", MAR[19], MAR[25], panels, 100)
    vantage = co.project("Vantage booth", "estimating", MAR[10], MAR[14])
    estimate, section = co.estimate(vantage, "Full booth")
    line = co.line(section, panels, 392)
    return co, panels, vantage, estimate, line


def test_the_booth_week_by_hand(empty_db: Database) -> None:
    _, _, _, estimate, line = _booth_week(empty_db)
    got = availability_of(empty_db, estimate, line)
    assert (got.first, got.last) == (MAR[9], MAR[16])  # 10 March − 1 prep day, 14 March + 2 return days
    # 9–10 March: 0; 11–15: Orbital 300; 16: Orbital gone, Gala's prep 60 (Orbital ended the 15th).
    # Early ended the 8th, Late starts the 18th: neither touches 9–16.
    assert got.busy == D(300) and got.busy_confirmed == D(300)
    assert got.free == 400 - 300 and got.short == 392 - 100
    assert got.free_if_tentative_lost == 400 - 300 and not got.tentative_matters


def test_a_tentative_hold_overlapping_a_confirmed_one_counts_apart(empty_db: Database) -> None:
    co, panels, _, estimate, line = _booth_week(empty_db)
    co.holding("Spring fair", "quoted", MAR[14], MAR[15], panels, 60)  # held 13–17: overlaps Orbital 13–15
    got = availability_of(empty_db, estimate, line)
    # 13–15 March: Orbital 300 + Spring fair 60 = 360; 16: Gala 60 + fair 60 = 120.
    assert got.busy == 300 + 60 and got.busy_confirmed == 300
    assert got.free == 400 - 360 == 40 and got.free_if_tentative_lost == 100
    assert got.short == 392 - 40 == 352 and got.short_confirmed == 392 - 100 == 292
    assert got.cell() == "40 / 400"
    assert got.explain() == (
        "392 needed: 400 owned, 300 held by Orbital keynote (won), 60 tentatively by "
        "Spring Gala (quoted), 60 tentatively by Spring fair (quoted) → 40 free, "
        "short 352 / 292 if the tentative holds are lost"
    )


def test_prep_and_return_days_reach_the_neighbours(empty_db: Database) -> None:
    co, panels, _, estimate, line = _booth_week(empty_db)
    co.set(EquipmentItem, panels, prep_days=2, return_days=3)
    got = availability_of(empty_db, estimate, line)
    # Vantage now needs 8–17 March; Early is held 1–9 (6 March + 3), Late 17–28 (19 March − 2),
    # Orbital 10–16, Gala 15–23. 15–16 March: Orbital 300 + Gala 60 = 360, all confirmed but Gala;
    # 17 March: Late 100 + Gala 60; 8–9: Early 100.
    assert (got.first, got.last) == (MAR[8], MAR[17])
    assert got.busy == 300 + 60 and got.busy_confirmed == 300
    assert [h.project_name for h in got.holders] == [
        "Orbital keynote",
        "Early show",
        "Late show",
        "Spring Gala",
    ]


def test_out_of_service_counts_only_during_its_dates_and_free_never_goes_negative(empty_db: Database) -> None:
    co, panels, _, estimate, line = _booth_week(empty_db)
    co.set(
        EquipmentItem,
        panels,
        out_of_service_quantity=D(150),
        out_of_service_from=MAR[14],
        out_of_service_until=None,
    )
    got = availability_of(empty_db, estimate, line)
    # 14–15 March: Orbital 300 + 150 in repair = 450 > 400 owned: none free (not −50).
    assert got.busy == 300 + 150 and got.out_of_service == 150
    assert got.free == 0 and got.short == 392
    co.set(EquipmentItem, panels, out_of_service_from=MAR[1], out_of_service_until=MAR[8])
    got = availability_of(empty_db, estimate, line)
    assert got.busy == 300 and got.out_of_service == 0  # back from repair the day before prep
    co.set(EquipmentItem, panels, out_of_service_from=None, out_of_service_until=MAR[9])
    assert availability_of(empty_db, estimate, line).busy == 300  # 9 March: 150; 11–15: 300
    co.set(EquipmentItem, panels, out_of_service_until=MAR[11])
    assert availability_of(empty_db, estimate, line).busy == 300 + 150  # 11 March: both


def test_a_lost_project_releases_its_hold_and_a_quoted_one_holds_tentatively(empty_db: Database) -> None:
    co, _, _, estimate, line = _booth_week(empty_db)
    with empty_db.read() as conn:
        orbital = conn.execute(select(Project.id).where(Project.name == "Orbital keynote")).scalar_one()  # type: ignore[arg-type]
    co.set(Project, orbital, status="quoted")
    got = availability_of(empty_db, estimate, line)
    assert (got.busy, got.busy_confirmed) == (D(300), ZERO) and got.short_confirmed == 0
    for released in ("lost", "cancelled", "delivered", "lead", "estimating"):
        co.set(Project, orbital, status=released)
        got = availability_of(empty_db, estimate, line)
        # Left: Spring Gala's 60 on 16 March (its prep day), tentatively.
        assert (released, got.busy, got.free, got.short) == (released, D(60), D(400 - 60), D(392 - 340))
    co.set(Project, orbital, status="in_production")
    assert availability_of(empty_db, estimate, line).busy_confirmed == 300


def test_add_ons_and_unchosen_alternatives_hold_nothing(empty_db: Database) -> None:
    co = Company(empty_db)
    panels = co.stock("Panel", 400)
    other = co.project("Other", "won", MAR[10], MAR[12])
    other_estimate, section = co.estimate(other, "Main")
    co.line(section, panels, 100)
    co.line(section, panels, 50, optional=True)  # an add-on
    co.line(section, panels, 30, alternative_group="wall")  # no line marked chosen: the first counts
    co.line(section, panels, 70, alternative_group="wall")
    co.line(section, panels, 11, alternative_group="floor")
    co.line(section, panels, 13, alternative_group="floor", alternative_chosen=True)
    co.line(section, None, 1, kind="labour", alternative_group="rig", alternative_chosen=True)  # crew chosen
    co.line(section, panels, 40, alternative_group="rig")  # so these panels are not taken
    co.line(section, panels, 0)  # nothing held by an empty line
    addons = Section(estimate_id=other_estimate, name="Add-ons", position=1, optional=True)  # all add-ons
    _add(empty_db, addons)
    co.line(addons.id, panels, 999)
    _, later_section = co.estimate(other, "Later scenario", position=1)  # not the one that counts
    co.line(later_section, panels, 77)
    with empty_db.read() as conn:
        stock = load_stock(conn)
        [hold] = load_holds(conn, stock)
    assert hold.quantity == 100 + 30 + 13 and (hold.first, hold.last) == (MAR[10], MAR[12])
    # The estimate's own add-on, shown with it: "if chosen" adds the line to what the estimate needs.
    mine = co.project("Mine", "lead", MAR[11], MAR[11])
    estimate, section = co.estimate(mine, "Main")
    need = co.line(section, panels, 200)
    option = co.line(section, panels, 120, optional=True)
    found = estimate_availability(hold_index(empty_db), EstimateDocument(empty_db, estimate))
    assert found.lines[need].free == 400 - 143 and found.lines[need].short == 0
    assert set(found.if_chosen) == {option} and found.if_chosen[option].needed == 200 + 120
    assert found.if_chosen[option].short == 320 - 257 == 63


def test_the_other_scenario_of_the_same_project_counts_only_against_itself(empty_db: Database) -> None:
    co = Company(empty_db)
    panels = co.stock("Panel", 400)
    vantage = co.project("Vantage", "quoted", MAR[10], MAR[14])
    full, full_section = co.estimate(vantage, "Full booth", 0)
    half, half_section = co.estimate(vantage, "Half booth", 1)
    full_line, half_line = co.line(full_section, panels, 392), co.line(half_section, panels, 200)
    co.holding("Orbital", "won", MAR[12], MAR[13], panels, 300)
    # Vantage's scenarios are not checked against each other, only against Orbital's 300.
    assert availability_of(empty_db, full, full_line).busy == 300
    assert availability_of(empty_db, half, half_line).busy == 300
    # Orbital sees the scenario that counts: the first until one is chosen, never both.
    orbital_estimate = estimate_of(empty_db, "Orbital")
    orbital_line = only_line(empty_db, orbital_estimate)
    assert availability_of(empty_db, orbital_estimate, orbital_line).busy_confirmed == 0
    assert availability_of(empty_db, orbital_estimate, orbital_line).busy == 392
    co.set(Project, vantage, chosen_estimate_id=half, status="won")
    assert availability_of(empty_db, orbital_estimate, orbital_line).busy_confirmed == 200


def estimate_of(db: Database, project_name: str) -> uuid.UUID:
    with db.read() as conn:
        return conn.execute(
            select(Estimate.id)
            .join(Project, Estimate.project_id == Project.id)  # type: ignore[arg-type]
            .where(Project.name == project_name)
        ).scalar_one()


def only_line(db: Database, estimate_id: uuid.UUID) -> uuid.UUID:
    return next(iter(EstimateDocument(db, estimate_id).lines())).id


def test_leaving_a_project_out_subtracts_its_holds_day_by_day() -> None:
    """Not max(busy) − max(its own): A holds 100 on 1 March only, B 80 on 2 March. Without A the
    peak is B's 80 (the naive 100 − 100 would say 0)."""
    a, b = uuid.uuid4(), uuid.uuid4()
    item = Stock(uuid.uuid4(), "Panel", "", D(100), ZERO, None, None, 0, 0, ZERO, None)
    holds = [
        Hold(item.id, a, "A", "won", uuid.uuid4(), MAR[1], MAR[1], D(100)),
        Hold(item.id, a, "A", "won", uuid.uuid4(), MAR[3], MAR[4], D(10)),
        Hold(item.id, b, "B", "quoted", uuid.uuid4(), MAR[2], MAR[3], D(80)),
    ]
    index = HoldIndex({item.id: item}, holds)
    # By day: 1 March A 100; 2 March B 80; 3 March B 80 + A 10; 4 March A 10.
    assert index.availability(item.id, MAR[1], MAR[4]).busy == 100
    without_a = index.availability(item.id, MAR[1], MAR[4], exclude_project=a)
    assert (without_a.busy, without_a.busy_confirmed) == (D(80), ZERO)
    assert [h.project_name for h in without_a.holders] == ["B"]
    # Asked from 4 March, the last day of A's longest hold: A still holds (10), B does not.
    late = index.availability(item.id, MAR[4], MAR[6])
    assert [(h.project_name, h.quantity) for h in late.holders] == [("A", D(10))] and late.busy == 10
    without_b = index.availability(item.id, MAR[1], MAR[4], exclude_project=b)
    assert (without_b.busy, without_b.busy_confirmed) == (D(100), D(100))
    assert index.busy_runs(item.id, MAR[1], MAR[5]) == [
        (MAR[1], MAR[1], D(100), D(100)),
        (MAR[2], MAR[2], D(80), ZERO),
        (MAR[3], MAR[3], D(90), D(10)),
        (MAR[4], MAR[4], D(10), D(10)),
        (MAR[5], MAR[5], ZERO, ZERO),
    ]


# -- the sweep against a brute-force day count ---------------------------------------------------


def brute_force(
    stock: Stock, holds: list[Hold], first: date, last: date, exclude: uuid.UUID | None
) -> tuple[D, D]:
    """Day by day: out of service that day plus every hold covering it (the first version's scan)."""
    busy = busy_confirmed = ZERO
    day = first
    while day <= last:
        out = stock.out_of_service_on(day, day)
        covering = [h for h in holds if h.project_id != exclude and h.first <= day <= h.last]
        busy = max(busy, out + sum((h.quantity for h in covering), ZERO))
        busy_confirmed = max(busy_confirmed, out + sum((h.quantity for h in covering if h.confirmed), ZERO))
        day += timedelta(days=1)
    return busy, busy_confirmed


PROJECTS = [uuid.UUID(int=n) for n in range(1, 5)]
RawHold = tuple[uuid.UUID, str, date, int, Decimal]  # project, status, first day, days more, quantity
_day = st.integers(min_value=1, max_value=20).map(lambda n: date(2027, 3, 1) + timedelta(days=n))
_hold = st.tuples(
    st.sampled_from(PROJECTS),
    st.sampled_from(["won", "quoted", "in_production"]),
    _day,
    st.integers(0, 6),
    st.decimals(min_value=0, max_value=80, places=1, allow_nan=False, allow_infinity=False),
)


# 500 examples: a project's own peak off the busiest day (what exact exclusion is about) is rare
@settings(max_examples=500)
@given(
    owned=st.integers(0, 200),
    out=st.integers(0, 60),
    out_from=st.none() | _day,
    out_until=st.none() | _day,
    raw=st.lists(_hold, max_size=16),
    first=_day,
    length=st.integers(0, 12),
    exclude=st.none() | st.sampled_from(PROJECTS),
)
def test_the_sweep_equals_a_day_by_day_count(
    owned: int,
    out: int,
    out_from: date | None,
    out_until: date | None,
    raw: list[RawHold],
    first: date,
    length: int,
    exclude: uuid.UUID | None,
) -> None:
    stock = Stock(uuid.uuid4(), "Item", "", D(owned), D(out), out_from, out_until, 0, 0, ZERO, None)
    holds = [
        Hold(stock.id, p, str(p), status, uuid.uuid4(), start, start + timedelta(days=n), q)
        for p, status, start, n, q in raw
    ]
    last = first + timedelta(days=length)
    got = HoldIndex({stock.id: stock}, holds).availability(stock.id, first, last, D(10), exclude)
    assert (got.busy, got.busy_confirmed) == brute_force(stock, holds, first, last, exclude)
    # free = owned − (out of service + the most held at once), never below 0 nor above owned
    assert got.free == max(D(owned) - got.busy, ZERO) and ZERO <= got.free <= owned
    assert got.busy >= got.busy_confirmed >= ZERO
    assert ZERO <= got.free <= got.free_if_tentative_lost <= owned
    assert {h.project_id for h in got.holders} == {
        h.project_id for h in holds if h.project_id != exclude and h.first <= last and h.last >= first
    }


# -- load_holds on both backends, and the cache ----------------------------------------------------


def test_holds_are_read_alike_from_sqlite_and_postgresql(any_db: Database) -> None:
    _, panels, _, _, _ = _booth_week(any_db)
    with any_db.read() as conn:
        holds = sorted(load_holds(conn, load_stock(conn)), key=lambda h: h.first)
    assert [(h.project_name, h.status, h.first, h.last, h.quantity) for h in holds] == [
        ("Early show", "won", MAR[2], MAR[8], D(100)),
        ("Orbital keynote", "won", MAR[11], MAR[15], D(300)),
        ("Spring Gala", "quoted", MAR[16], MAR[22], D(60)),
        ("Late show", "won", MAR[18], MAR[27], D(100)),
    ]
    assert all(h.item_id == panels for h in holds)


def test_a_shared_database_sees_the_other_user_s_new_hold_at_the_next_call(db_target: str) -> None:
    mine, theirs = open_database(db_target), open_database(db_target)
    try:
        _, panels, _, estimate, line = _booth_week(mine)
        first = hold_index(mine)
        assert hold_index(mine) is first  # nothing committed: the same index, not read again
        doc = EstimateDocument(mine, estimate)
        assert estimate_availability(first, doc).lines[line].busy == 300
        # The other user wins a job that week: 50 more panels held 11–15 March.
        Company(theirs).holding("Their gig", "won", MAR[12], MAR[13], panels, 50)
        second = hold_index(mine)
        assert second is not first and estimate_availability(second, doc).lines[line].busy == 300 + 50
        assert hold_index(theirs).counter == second.counter
    finally:
        mine.close()
        theirs.close()


# -- kits, and a scenario's equipment --------------------------------------------------------------


def test_a_kit_is_as_free_as_its_scarcest_component(empty_db: Database) -> None:
    co = Company(empty_db)
    panels, processors = co.stock("Panel", 400), co.stock("Processor", 3)
    kit = co.catalog("LED wall kit", is_kit=True)
    _add(
        empty_db,
        KitComponent(kit_id=kit, component_id=co.sells(panels), quantity_per_kit=D(50)),
        KitComponent(kit_id=kit, component_id=co.sells(processors), quantity_per_kit=D("0.5")),
    )
    co.holding("Orbital", "won", MAR[12], MAR[13], panels, 300)
    co.holding("Gala", "quoted", MAR[12], MAR[12], processors, 1)
    mine = co.project("Mine", "lead", MAR[12], MAR[12])
    estimate, section = co.estimate(mine, "Main")
    kit_line = co.line(section, None, 4, catalog_item_id=kit)
    panel_line = co.line(section, panels, 200, kit_line_id=kit_line)
    co.line(section, processors, 2, kit_line_id=kit_line)
    co.line(section, panels, 5, kit_line_id=uuid.uuid4())  # names no live line: counts as none
    found = estimate_availability(hold_index(empty_db), EstimateDocument(empty_db, estimate))
    assert set(found.kits) == {kit_line}
    got = found.kits[kit_line]
    # Panels: 400 − 300 = 100 free → 100 ÷ 50 = 2 kits; processors: 3 − 1 = 2 free → 2 ÷ 0.5 = 4 kits.
    assert (got.free, got.scarcest.line_id, got.short) == (D(2), panel_line, D(4 - 2))
    # Were Gala lost: processors 3 → 6 kits, panels still 2. Owned: min(400 ÷ 50, 3 ÷ 0.5) = 6.
    assert (got.free_if_tentative_lost, got.owned, got.cell()) == (D(2), D(6), "2 / 6")
    assert got.explain() == "4 kits needed: 2 free (Panel: 100 free, 50 per kit), short 2"


def test_a_scenario_s_shortage_and_what_sub_hiring_it_costs(empty_db: Database) -> None:
    co, panels, _, estimate, line = _booth_week(empty_db)
    co.holding("Spring fair", "quoted", MAR[14], MAR[15], panels, 60)  # 40 free, as in the issue
    cheap, dear = Supplier(name="Cheap rentals"), Supplier(name="Dear rentals")
    _add(
        empty_db,
        cheap,
        dear,
        SubRentalRate(equipment_item_id=panels, supplier_id=dear.id, day_cost=D("4.00")),
        SubRentalRate(equipment_item_id=panels, supplier_id=cheap.id, day_cost=D("3.50")),
    )
    hoists = co.stock("Chain hoist", 2)
    section = EstimateDocument(empty_db, estimate).line(line).section_id
    co.line(section, hoists, 6, days=D(2))  # 2 owned, none held: short 4, and nobody rents hoists
    co.line(section, None, 10, kind="subrental", unit_cost=D("20.00"), days=D(3))
    co.set(LineItem, line, days=D(3))
    doc = EstimateDocument(empty_db, estimate)
    [sub] = [x for x in doc.lines() if x.kind.value == "subrental"]
    assert sub.priced is not None and sub.priced.cost == 10 * 3 * D("20.00")
    got = scenario_equipment(hold_index(empty_db), doc)
    assert got.short == 352 + 4 and got.short_confirmed == 292 + 4
    # 600.00 already sub-rented + 352 panels × 3 days × 3.50 (the cheaper rate); hoists: no rate.
    assert got.subrental_cost == D("600.00") + 352 * 3 * D("3.50") == D("4296.00")
    assert got.no_rate == ("Chain hoist",)
    short, cost = got
    assert (short, cost) == (D(356), D("4296.00"))
