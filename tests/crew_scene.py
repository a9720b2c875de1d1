"""A crew scene on top of the demo database: people, dated labour calls and a week of assignments.

Used by the calendar's GUI tests and by tools/screenshot.py. Vantage @ MedTech Expo
(quoted) gets dated calls: load-in Sat 6 and Sun 7 March 2027, LED show days 8–10,
strike on the 11th. Marco Diaz is already on the Spring Gala's rehearsal on 6 March,
so putting him on the Vantage load-in that day is a double booking.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select, update

from app.models import CrewAssignment, CrewMember, CrewRole, CrewUnavailability, LineItem, Project, Role
from app.services.crew.people import add_crew_member, set_crew_role, set_unavailable
from app.services.storage.database import Database

LOAD_IN = date(2027, 3, 6)

CREW: list[tuple[str, str, list[str]]] = [
    ("Marco Diaz", "union", ["Stagehand"]),
    ("Aisha Khan", "union", ["Stagehand", "Carpenter"]),
    ("Tom Becker", "union", ["Stagehand"]),
    ("Lena Vogel", "freelance", ["Stagehand"]),
    ("Raj Patel", "union", ["Stagehand", "Rigger"]),
    ("Chris Ortega", "union", ["Rigger"]),
    ("Jana Novak", "freelance", ["Rigger"]),
    ("Kim Nguyen", "staff", ["LED technician"]),
    ("Dev Malhotra", "staff", ["LED technician", "Lighting programmer"]),
    ("Ellie Ross", "freelance", ["Audio A1"]),
    ("Noah Kim", "freelance", ["Lighting programmer"]),
    ("Beth Cole", "staff", ["Carpenter"]),
    ("Omar Haddad", "freelance", ["Carpenter"]),
    ("Sam Reyes", "staff", ["Project manager"]),
]

# description of a Vantage "Full booth" labour line -> (call date, phase, start)
CALLS = {
    "Stagehands, load-in": (date(2027, 3, 6), "load_in", time(7, 0)),
    "Riggers, load-in": (date(2027, 3, 6), "load_in", time(6, 0)),
    "LED technicians (staff), show": (date(2027, 3, 8), "show", time(9, 0)),
    "Stagehands, strike": (date(2027, 3, 11), "strike", time(17, 0)),
    "Riggers, strike": (date(2027, 3, 11), "strike", time(17, 0)),
}


@dataclass
class CrewScene:
    crew: dict[str, uuid.UUID] = field(default_factory=dict)
    roles: dict[str, uuid.UUID] = field(default_factory=dict)
    projects: dict[str, uuid.UUID] = field(default_factory=dict)
    assignments: dict[str, uuid.UUID] = field(default_factory=dict)


def _at(day: date, start: int, end: int) -> tuple[datetime, datetime]:
    return datetime.combine(day, time(start)), datetime.combine(day, time(end))


def build_crew_scene(db: Database) -> CrewScene:
    """The scene alone: any crew the demo brings is deleted first, so tests see exactly this."""
    scene = CrewScene()
    now = datetime.now(UTC)
    with db.write() as conn:
        for table in (CrewAssignment, CrewRole, CrewUnavailability, CrewMember):
            t = table.__table__  # type: ignore[attr-defined]
            conn.execute(update(t).where(t.c.deleted_at.is_(None)).values(deleted_at=now))
    with db.read() as conn:
        scene.roles = {r.name: r.id for r in conn.execute(select(Role.__table__.c.id,  # type: ignore[attr-defined]
                                                                 Role.__table__.c.name))}  # type: ignore[attr-defined]
        scene.projects = {p.name: p.id for p in conn.execute(
            select(Project.__table__.c.id, Project.__table__.c.name))}  # type: ignore[attr-defined]
    for name, kind, roles in CREW:
        member = add_crew_member(db, name, kind, max_weekly_hours="50" if kind != "staff" else "")
        for role in roles:
            set_crew_role(db, member, scene.roles[role], "")
        scene.crew[name] = member
    set_unavailable(db, scene.crew["Lena Vogel"], date(2027, 3, 6), reason="Another job")
    set_unavailable(db, scene.crew["Ellie Ross"], date(2027, 3, 9))
    set_unavailable(db, scene.crew["Ellie Ross"], date(2027, 3, 10))
    _date_the_calls(db, scene.projects["Vantage @ MedTech Expo"])
    vantage, gala = scene.projects["Vantage @ MedTech Expo"], scene.projects["Spring Gala 2027"]
    orbital = scene.projects["Orbital Summit keynote"]
    plan: list[tuple[str, str, uuid.UUID, str, date, int, int, str]] = [
        ("gala rehearsal", "Marco Diaz", gala, "Stagehand", date(2027, 3, 6), 9, 15, "tentative"),
        ("aisha load-in", "Aisha Khan", vantage, "Stagehand", date(2027, 3, 6), 7, 17, "confirmed"),
        ("tom load-in", "Tom Becker", vantage, "Stagehand", date(2027, 3, 6), 7, 17, "confirmed"),
        ("raj rig", "Raj Patel", vantage, "Rigger", date(2027, 3, 6), 6, 16, "confirmed"),
        ("chris rig", "Chris Ortega", vantage, "Rigger", date(2027, 3, 6), 6, 16, "tentative"),
        ("kim show 1", "Kim Nguyen", vantage, "LED technician", date(2027, 3, 8), 9, 19, "confirmed"),
        ("kim show 2", "Kim Nguyen", vantage, "LED technician", date(2027, 3, 9), 9, 19, "confirmed"),
        ("kim show 3", "Kim Nguyen", vantage, "LED technician", date(2027, 3, 10), 9, 19, "confirmed"),
        ("dev show 1", "Dev Malhotra", vantage, "LED technician", date(2027, 3, 8), 9, 19, "tentative"),
        ("ellie audio", "Ellie Ross", orbital, "Audio A1", date(2027, 3, 9), 10, 18, "tentative"),
        ("noah prog", "Noah Kim", orbital, "Lighting programmer", date(2027, 3, 3), 9, 17, "confirmed"),
        ("noah prog 2", "Noah Kim", orbital, "Lighting programmer", date(2027, 3, 4), 9, 17, "confirmed"),
        ("beth set", "Beth Cole", gala, "Carpenter", date(2027, 3, 4), 8, 16, "confirmed"),
        ("omar set", "Omar Haddad", gala, "Carpenter", date(2027, 3, 5), 8, 16, "tentative"),
        ("sam pm", "Sam Reyes", vantage, "Project manager", date(2027, 3, 6), 8, 18, "confirmed"),
        ("jana strike", "Jana Novak", vantage, "Rigger", date(2027, 3, 11), 17, 23, "tentative"),
    ]
    rows: list[dict[str, Any]] = []
    for key, person, project, role, day, start, end, status in plan:
        starts, ends = _at(day, start, end)
        record = CrewAssignment(crew_member_id=scene.crew[person], project_id=project,
                                role_id=scene.roles[role], starts_at=starts, ends_at=ends, status=status)
        scene.assignments[key] = record.id
        rows.append({c.name: getattr(record, c.name) for c in CrewAssignment.__table__.columns})  # type: ignore[attr-defined]
    with db.write() as conn:
        conn.execute(CrewAssignment.__table__.insert(), rows)  # type: ignore[attr-defined]
    return scene


def _date_the_calls(db: Database, project_id: uuid.UUID) -> None:
    from app.models import Estimate, Section

    line = LineItem.__table__  # type: ignore[attr-defined]
    with db.write() as conn:
        first = conn.execute(
            select(Estimate.__table__.c.id).where(Estimate.__table__.c.project_id == project_id)  # type: ignore[attr-defined]
            .order_by(Estimate.__table__.c.position)  # type: ignore[attr-defined]
        ).first()
        assert first is not None
        sections = select(Section.__table__.c.id).where(Section.__table__.c.estimate_id == first.id)  # type: ignore[attr-defined]
        for description, (day, phase, start) in CALLS.items():
            conn.execute(update(line)
                         .where(line.c.section_id.in_(sections), line.c.description == description)
                         .values(call_date=day, phase=phase, start_time=start))
