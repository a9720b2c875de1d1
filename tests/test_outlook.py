"""The capacity outlook on hand-built data, every figure computed by hand to the person-hour.

Two weeks of March 2027: week A is Mon 8 – Sun 14, week B Mon 15 – Sun 21. A person-day of supply is
8 h (HOURS_PER_PERSON_DAY).

Crew:
  Ana   Rigger + Stagehand, away Wed 10 and Thu 11     week A 5 days = 40 h, week B 56 h (in both roles)
  Ben   Rigger                                          56 h a week
  Cy    Stagehand, at most 20 h a week                   min(56, 20) = 20 h a week
  Supply: Rigger A 40 + 56 = 96, B 56 + 56 = 112; Stagehand A 40 + 20 = 60, B 56 + 20 = 76.

Projects:
  Gala    won (100 %)                 Rigger 4 people × 12 h × 3 days from Sat 13 — spans two weeks:
                                      A: Sat + Sun = 4 × 12 × 2 = 96 h; B: Mon = 48 h
  Expo    quoted, its stage's 50 %    Rigger 3 × 10 h on Wed 10: 0.5 × 30 = 15 h (week A)
  Launch  lead, its own 35 %          Stagehand 5 × 8 h × 2 days from Thu 11: 0.35 × 80 = 28 h (week A)
  Dud     lost                        Rigger 9 × 10 h on Wed 10: asks for nothing
  Rigger week A: 96 + 15 = 111 h wanted against 96 on hand: over. Every other cell is under.

Equipment: 10 moving heads, 2 of them out of service from Fri 12. Held over each project's days:
  Gala 7 (Sat 13 – Mon 15), Expo 4 × 0.5 = 2 (Wed 10), Launch 4 × 0.35 = 1.4 (Thu 11 – Sat 13).
  Week A's worst day is Sat 13: 7 won + 1.4 open = 8.4 against 10 − 2 = 8: over.
  Week B's is Mon 15: 7 against 8.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import update

from app.models import CatalogItem, CrewMember, EquipmentItem, Estimate, PipelineStage, Project, Section
from app.models.account import stage_id
from app.models.enums import LineKind
from app.services.estimate.document import EstimateDocument
from app.services.outlook.build import outlook
from app.services.outlook.flags import overbooked_projects
from app.services.outlook.table import HOURS_PER_PERSON_DAY, amount_text, week_start
from app.services.storage.database import Database
from tests.equipment_scene import add, panel_line
from tests.staffing_data import add_call, add_crew, add_estimate, add_project, add_role

D = Decimal
WEEK_A, WEEK_B = date(2027, 3, 8), date(2027, 3, 15)
_P = Project.__table__  # type: ignore[attr-defined]


def _hold(db: Database, section, catalog_id, quantity: str) -> None:  # type: ignore[no-untyped-def]
    estimate = EstimateDocument(db, _estimate_of(db, section))
    estimate.add_line(section, None, panel_line(catalog_id, quantity, description="Moving head"))


def _estimate_of(db: Database, section):  # type: ignore[no-untyped-def]
    with db.read() as conn:
        table = Section.__table__  # type: ignore[attr-defined]
        return conn.execute(table.select().where(table.c.id == section)).one().estimate_id


def _job(
    db: Database,
    name: str,
    status: str,
    span: tuple[int, int],
    role,
    people: int,  # type: ignore[no-untyped-def]
    call_day: int,
    heads: str,
    *,
    days: int = 1,
    hours: str = "10",
):
    """A project on March 2027 days ``span`` with one labour call and a hold of moving heads."""
    project = add_project(db, name, status, date(2027, 3, span[0]), date(2027, 3, span[1]))
    _, section = add_estimate(db, project)
    add_call(db, section, role, people, date(2027, 3, call_day), days=days, hours=hours)
    _hold(db, section, _catalog(db), heads)
    return project


def _catalog(db: Database):  # type: ignore[no-untyped-def]
    with db.read() as conn:
        return conn.execute(CatalogItem.__table__.select()).one().id  # type: ignore[attr-defined]


def _section_of(db: Database, project):  # type: ignore[no-untyped-def]
    table = Section.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return (
            conn.execute(
                table.select().join(Estimate.__table__).where(Estimate.__table__.c.project_id == project)  # type: ignore[attr-defined]
            )
            .first()
            .id
        )


@pytest.fixture
def scene(any_db: Database):  # type: ignore[no-untyped-def]
    """The scene on SQLite and on PostgreSQL."""
    return any_db, build_scene(any_db)


def build_scene(db: Database) -> dict[str, uuid.UUID]:
    """The crew, stock and projects of the module's docstring; their ids by name."""
    rigger, hand = add_role(db, "Rigger"), add_role(db, "Stagehand")
    add_crew(db, "Ana", [rigger, hand], away=[date(2027, 3, 10), date(2027, 3, 11)])
    add_crew(db, "Ben", [rigger])
    cy = add_crew(db, "Cy", [hand])
    with db.write() as conn:
        table = CrewMember.__table__  # type: ignore[attr-defined]
        conn.execute(update(table).where(table.c.id == cy).values(max_weekly_hours=D(20)))
    catalog = CatalogItem(
        name="Moving head",
        category="Lighting",
        kind=LineKind.EQUIPMENT.value,
        unit_cost=D(40),
        markup_pct=D(30),
    )
    add(db, catalog)
    heads = EquipmentItem(
        name="Moving head",
        category="Lighting",
        owned_quantity=D(10),
        out_of_service_quantity=D(2),
        out_of_service_from=date(2027, 3, 12),
        catalog_item_id=catalog.id,
        day_cost=D(5),
    )
    add(db, heads)

    gala = _job(db, "Gala", "won", (13, 15), rigger, 4, 13, "7", days=3, hours="12")
    expo = _job(db, "Expo", "quoted", (10, 10), rigger, 3, 10, "4")
    add_call(db, _section_of(db, expo), None, 6, date(2027, 3, 10), hours="10", description="Whoever")
    launch = _job(db, "Launch", "lead", (11, 13), hand, 5, 11, "4", days=2, hours="8")
    with db.write() as conn:
        conn.execute(update(_P).where(_P.c.id == launch).values(win_probability_pct=D(35)))
    dud = _job(db, "Dud", "lost", (10, 10), rigger, 9, 10, "9")
    return {
        "rigger": rigger,
        "hand": hand,
        "heads": heads.id,
        "gala": gala,
        "expo": expo,
        "launch": launch,
        "dud": dud,
    }


def test_weighted_demand_and_supply_per_role_and_week_to_the_person_hour(scene) -> None:  # type: ignore[no-untyped-def]
    db, ids = scene
    table = outlook(db, date(2027, 3, 10), weeks=2)  # a Wednesday: its week's Monday starts
    assert D(8) == HOURS_PER_PERSON_DAY
    assert table.weeks == (WEEK_A, WEEK_B)
    assert [(r.kind, r.name) for r in table.rows] == [
        ("role", "Rigger"),
        ("role", "Stagehand"),
        ("item", "Moving head"),
    ]
    got = {(table.row(key).name, week): (c.won, c.open, c.supply) for (key, week), c in table.cells.items()}
    assert got == {
        ("Rigger", WEEK_A): (D(96), D(15), D(96)),
        ("Rigger", WEEK_B): (D(48), D(0), D(112)),
        ("Stagehand", WEEK_A): (D(0), D(28), D(60)),
        ("Stagehand", WEEK_B): (D(0), D(0), D(76)),
        ("Moving head", WEEK_A): (D(7), D("1.4"), D(8)),
        ("Moving head", WEEK_B): (D(7), D(0), D(8)),
    }
    rigger_a = table.cell(ids["rigger"], WEEK_A)
    assert rigger_a.over and rigger_a.demand == D(111) and rigger_a.shortfall == D(15)
    assert [(s.project_name, s.status, s.probability_pct, s.amount) for s in rigger_a.shares] == [
        ("Gala", "won", D(100), D(96)),
        ("Expo", "quoted", D(50), D(15)),
    ]
    assert [s.project_name for s in table.cell(ids["hand"], WEEK_A).shares] == ["Launch"]
    heads_a = table.cell(ids["heads"], WEEK_A)
    assert heads_a.day == date(2027, 3, 13) and heads_a.over
    assert [(s.project_name, s.amount) for s in heads_a.shares] == [("Gala", D(7)), ("Launch", D("1.4"))]
    assert table.cell(ids["heads"], WEEK_B).day == WEEK_B
    assert [(c.row.name, c.week) for c in table.over()] == [("Rigger", WEEK_A), ("Moving head", WEEK_A)]


def test_the_stage_probability_and_the_projects_own_move_the_weighted_demand(scene) -> None:  # type: ignore[no-untyped-def]
    db, ids = scene
    stages = PipelineStage.__table__  # type: ignore[attr-defined]
    with db.write() as conn:  # the company now thinks a quote wins 20 % of the time
        conn.execute(
            update(stages).where(stages.c.id == stage_id("quoted")).values(win_probability_pct=D(20))
        )
    table = outlook(db, WEEK_A, weeks=1, equipment=False)
    cell = table.cell(ids["rigger"], WEEK_A)
    assert (cell.won, cell.open) == (D(96), D(6))  # 0.2 × 3 × 10
    assert cell.over and cell.demand == D(102)
    assert [r.kind for r in table.rows] == ["role", "role"]
    with db.write() as conn:  # the AM knows better: Expo will not happen
        conn.execute(update(_P).where(_P.c.id == ids["expo"]).values(win_probability_pct=D(0)))
    cell = outlook(db, WEEK_A, weeks=1).cell(ids["rigger"], WEEK_A)
    assert (cell.won, cell.open, cell.supply, cell.over) == (D(96), D(0), D(96), False)  # full, not over
    assert [s.project_name for s in cell.shares] == ["Gala"]


def test_overbooked_projects_name_their_earliest_week_with_a_reason(scene) -> None:  # type: ignore[no-untyped-def]
    db, ids = scene
    flags = overbooked_projects(db, WEEK_A, weeks=2)
    assert flags == {
        ids["gala"]: "Wk of 8 Mar: Rigger 111 h wanted, 96 h on hand (and 1 more)",
        ids["expo"]: "Wk of 8 Mar: Rigger 111 h wanted, 96 h on hand",
        ids["launch"]: "Wk of 8 Mar: Moving head 8.4 wanted, 8 on hand",
    }
    assert overbooked_projects(db, WEEK_B, weeks=1) == {}  # the week after is fine


def test_weeks_start_on_monday_and_figures_show_to_a_tenth() -> None:
    assert week_start(date(2027, 3, 14)) == WEEK_A and week_start(WEEK_B) == WEEK_B
    assert amount_text(D("132.00"), "h") == "132 h"
    assert amount_text(D("10.5"), "h") == "10.5 h"
    assert amount_text(D("1234.56")) == "1,234.6"


def test_an_empty_database_has_an_empty_outlook(empty_db: Database) -> None:
    table = outlook(empty_db, WEEK_A, weeks=3)
    assert table.rows == () and table.over() == [] and len(table.weeks) == 3
    with pytest.raises(ValueError):
        outlook(empty_db, WEEK_A, weeks=0)


def test_the_flags_are_read_again_only_after_a_change(scene, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db, ids = scene
    from app.services.outlook import flags as module

    reads: list[date] = []
    real = module.outlook
    monkeypatch.setattr(
        module, "outlook", lambda db, start, weeks: reads.append(start) or real(db, start, weeks)
    )
    first = overbooked_projects(db, WEEK_A, weeks=2)
    assert overbooked_projects(db, date(2027, 3, 12), weeks=2) == first  # the same week: kept
    assert len(reads) == 1
    with db.write() as conn:  # someone marks Expo lost: it asks for nothing, Rigger is full, not over
        conn.execute(update(_P).where(_P.c.id == ids["expo"]).values(status="lost"))
    assert set(overbooked_projects(db, WEEK_A, weeks=2)) == {ids["gala"], ids["launch"]}
    assert len(reads) == 2
