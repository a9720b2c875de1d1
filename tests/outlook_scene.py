"""A pipeline on top of the demo database that over-books April 2027, for the outlook's GUI tests and
tools/screenshot.py.

Week of Mon 12 April 2027 (the demo's crew: Riggers 223 h on hand that week):
  Harbour Festival   won            Riggers 4 × 10 h × 4 days = 160 h; 20 moving heads
  NovaTech launch    quoted (50 %)  Riggers 4 × 12 h × 3 days = 144 h → 72 h; 16 moving heads → 8
  Marathon expo      estimating     Stagehands 10 × 10 h × 4 days = 400 h → 100 h (25 %)
  Riggers: 160 + 72 = 232 h wanted, 223 h on hand: over; moving heads 20 + 8 = 28 against 24: over.
Aurora Awards (a lead the AM rates at 60 %) asks for riggers in the week of 22 March, within supply.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select, update

from app.models import EquipmentItem, Project, Role
from app.services.estimate.document import EstimateDocument
from app.services.storage.database import Database
from tests.equipment_scene import panel_line
from tests.staffing_data import add_call, add_estimate, add_project

OVER_WEEK = date(2027, 4, 12)
# name, status, own probability, (first, last), [(role, people, hours, first day, days)], moving heads
JOBS = [
    (
        "Harbour Festival",
        "won",
        None,
        (date(2027, 4, 13), date(2027, 4, 16)),
        [("Rigger", 4, "10", date(2027, 4, 13), 4), ("Stagehand", 8, "10", date(2027, 4, 13), 4)],
        "20",
    ),
    (
        "NovaTech launch",
        "quoted",
        None,
        (date(2027, 4, 14), date(2027, 4, 16)),
        [("Rigger", 4, "12", date(2027, 4, 14), 3), ("LED technician", 2, "10", date(2027, 4, 14), 3)],
        "16",
    ),
    (
        "Marathon expo",
        "estimating",
        None,
        (date(2027, 4, 14), date(2027, 4, 17)),
        [("Stagehand", 10, "10", date(2027, 4, 14), 4)],
        "",
    ),
    (
        "Aurora Awards",
        "lead",
        "60",
        (date(2027, 3, 23), date(2027, 3, 26)),
        [("Rigger", 3, "10", date(2027, 3, 23), 4), ("Carpenter", 4, "10", date(2027, 3, 21), 3)],
        "",
    ),
]
_P = Project.__table__  # type: ignore[attr-defined]


def build_outlook_scene(db: Database) -> dict[str, uuid.UUID]:
    """The four projects above (their names → ids), on the demo's roles and moving heads."""
    from decimal import Decimal

    with db.read() as conn:
        roles = {r.name: r.id for r in conn.execute(select(Role.__table__.c.id, Role.__table__.c.name))}  # type: ignore[attr-defined]
        item = EquipmentItem.__table__  # type: ignore[attr-defined]
        heads = conn.execute(select(item.c.catalog_item_id).where(item.c.name == "Moving head wash")).scalar()
    made = {}
    for name, status, own, (first, last), calls, held in JOBS:
        project = add_project(db, name, status, first, last)
        if own is not None:
            with db.write() as conn:
                conn.execute(update(_P).where(_P.c.id == project).values(win_probability_pct=Decimal(own)))
        _, section = add_estimate(db, project, "Main")
        for role, people, hours, day, days in calls:
            add_call(db, section, roles[role], people, day, days=days, hours=hours, description=f"{role}s")
        if held and heads is not None:
            doc = EstimateDocument(db, _estimate(db, project))
            doc.add_line(section, None, panel_line(heads, held, description="Moving head wash"))
        made[name] = project
    return made


def _estimate(db: Database, project: uuid.UUID) -> uuid.UUID:
    from app.models import Estimate

    table = Estimate.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return conn.execute(select(table.c.id).where(table.c.project_id == project)).scalar_one()  # type: ignore[no-any-return]
