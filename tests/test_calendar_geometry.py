"""The crew calendar's geometry is a plain object: it places and hit-tests bars without a widget or a view."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from PySide6.QtCore import QPoint

from app.models.enums import AssignmentStatus
from app.services.crew.records import AssignmentInfo
from app.ui.crew.calendar_geometry import CalendarGeometry
from app.ui.crew.calendar_style import HEADER_HEIGHT, NAME_WIDTH, ROW_HEIGHT, CalendarRow


def test_the_grid_places_overlapping_bars_in_lanes_and_finds_them_under_a_point() -> None:
    person, project = uuid.uuid4(), uuid.uuid4()
    morning = AssignmentInfo(uuid.uuid4(), person, project, None, None, datetime(2026, 3, 2, 8),
                             datetime(2026, 3, 2, 12), AssignmentStatus.CONFIRMED, 1)
    double = AssignmentInfo(uuid.uuid4(), person, project, None, None, datetime(2026, 3, 2, 10),
                            datetime(2026, 3, 3, 18), AssignmentStatus.TENTATIVE, 1)
    grid = CalendarGeometry()
    grid.start, grid.days, grid.day_width = date(2026, 3, 1), 31, 40.0
    grid.rows = [CalendarRow("group", None, "Riggers"), CalendarRow("crew", person, "Ana")]
    grid.row_of = {person: 1}
    grid.by_crew = {person: [morning, double]}
    grid.layout_lanes()
    assert grid.lanes == {morning.id: (0, 2), double.id: (1, 2)}  # a double booking, one above the other

    top = grid.bar_rect(person, morning.starts_at, morning.ends_at, morning.id)
    bottom = grid.bar_rect(person, double.starts_at, double.ends_at, double.id)
    assert top.left() == NAME_WIDTH + 40 + 2 and top.bottom() < bottom.top()
    assert bottom.width() == 2 * 40 - 4  # month zoom: whole days, Monday and Tuesday
    inside = QPoint(int(bottom.center().x()), int(bottom.center().y()))
    assert grid.bar_at(inside) == (double, "body")
    assert grid.crew_at_y(HEADER_HEIGHT + ROW_HEIGHT + 1) == person
    assert grid.day_at_x(NAME_WIDTH + 40 * 3 + 1) == date(2026, 3, 4)

    grid.hscroll = 40  # scrolled one day to the right: everything moves one day to the left
    assert grid.day_at_x(NAME_WIDTH + 1) == date(2026, 3, 2)
    assert grid.bar_rect(person, morning.starts_at, morning.ends_at, morning.id).left() == NAME_WIDTH + 2
