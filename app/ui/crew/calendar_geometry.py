"""Where things are on the crew calendar: lanes for overlapping bars, days and rows to pixels, hit-testing.

A plain object, no widget: the view sets what is shown (the board, its rows, the zoom, the day width, the
scroll position) and asks it where things are; the painting reads it too. It never paints.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRectF

if TYPE_CHECKING:
    from app.services.crew.board import CrewBoard
    from app.services.crew.records import AssignmentInfo

from app.ui.crew.calendar_style import (
    EDGE,
    HEADER_HEIGHT,
    MIN_DAY_WIDTH,
    NAME_WIDTH,
    ROW_HEIGHT,
    WEEK_DAY_HOURS,
    WEEK_DAY_START,
    ZOOM_DAYS,
    CalendarRow,
)


class CalendarGeometry:
    """Lanes, coordinates and hit-testing: the rows shown, the scale and the scroll position."""

    def __init__(self) -> None:
        self.board: CrewBoard | None = None
        self.start = date.today().replace(day=1)
        self.days = 365
        self.zoom = "month"
        self.project_days: tuple[date, date] | None = None  # the project gone to: its days are shaded
        self.day_width = MIN_DAY_WIDTH["month"]
        self.rows: list[CalendarRow] = []
        self.row_of: dict[uuid.UUID, int] = {}
        self.by_crew: dict[uuid.UUID, list[AssignmentInfo]] = {}
        self.lanes: dict[uuid.UUID, tuple[int, int]] = {}  # assignment id -> (lane, lanes in its cluster)
        # The scroll position, kept here as the view's scroll bars move (painting asks for it per bar).
        self.hscroll = 0
        self.vscroll = 0

    def layout_lanes(self) -> None:
        """Overlapping bars of one person (a double booking) go one above the other, not on top.

        Month zoom draws whole days, so there bars on the same day overlap whatever their hours.
        """
        self.lanes = {}

        def span(a: AssignmentInfo) -> tuple[datetime, datetime]:
            if self.zoom == "week":
                return a.starts_at, a.ends_at
            first = datetime.combine(a.starts_at.date(), time())
            last = datetime.combine((a.ends_at - timedelta(microseconds=1)).date(), time())
            return first, max(first, last) + timedelta(days=1)

        for bars in self.by_crew.values():
            cluster: list[tuple[AssignmentInfo, datetime, datetime]] = []
            cluster_end = datetime.min
            for a in bars:
                start, end = span(a)
                if cluster and start >= cluster_end:
                    self._place(cluster)
                    cluster = []
                cluster_end = max(cluster_end, end) if cluster else end
                cluster.append((a, start, end))
            if cluster:
                self._place(cluster)

    def _place(self, cluster: list[tuple[AssignmentInfo, datetime, datetime]]) -> None:
        ends: list[datetime] = []
        placed: list[tuple[uuid.UUID, int]] = []
        for a, start, end in cluster:
            lane = next((i for i, e in enumerate(ends) if e <= start), len(ends))
            if lane == len(ends):
                ends.append(end)
            else:
                ends[lane] = end
            placed.append((a.id, lane))
        for assignment_id, lane in placed:
            self.lanes[assignment_id] = (lane, len(ends))

    @property
    def hour_width(self) -> float:
        return self.day_width / (WEEK_DAY_HOURS if self.zoom == "week" else 24)

    def fit_day_width(self, viewport_width: int) -> None:
        """The zoom's days across the viewport, never narrower than the zoom's smallest day."""
        span = max(1, viewport_width - NAME_WIDTH)
        self.day_width = max(MIN_DAY_WIDTH[self.zoom], span / ZOOM_DAYS[self.zoom])

    def x_of(self, moment: datetime) -> float:
        """Week zoom shows each day's working hours (06:00 to midnight) across its column."""
        hours = moment.hour + moment.minute / 60 + moment.second / 3600
        within = min(max(hours - WEEK_DAY_START, 0.0), WEEK_DAY_HOURS) / WEEK_DAY_HOURS
        return self.x_of_day(moment.date()) + within * self.day_width

    def x_of_day(self, day: date) -> float:
        return NAME_WIDTH + (day - self.start).days * self.day_width - self.hscroll

    def y_of_row(self, row: int) -> int:
        return HEADER_HEIGHT + row * ROW_HEIGHT - self.vscroll

    def day_at_x(self, x: int) -> date | None:
        if x < NAME_WIDTH:
            return None
        index = int((x - NAME_WIDTH + self.hscroll) // self.day_width)
        return self.start + timedelta(days=index) if 0 <= index < self.days else None

    def row_at_y(self, y: int) -> int | None:
        if y < HEADER_HEIGHT:
            return None
        row = (y - HEADER_HEIGHT + self.vscroll) // ROW_HEIGHT
        return row if 0 <= row < len(self.rows) else None

    def crew_at_y(self, y: int) -> uuid.UUID | None:
        row = self.row_at_y(y)
        return self.rows[row].id if row is not None and self.rows[row].kind == "crew" else None

    def bar_rect(self, crew_id: uuid.UUID, starts_at: datetime, ends_at: datetime,
                 assignment_id: uuid.UUID | None = None) -> QRectF:
        """Where a bar is drawn: its hours to scale in week zoom, whole days in month zoom; bars that
        overlap share the row's height in lanes."""
        row = self.row_of.get(crew_id)
        if row is None:
            return QRectF()
        lane, lanes = self.lanes.get(assignment_id, (0, 1)) if assignment_id is not None else (0, 1)
        height = (ROW_HEIGHT - 8) / lanes
        y = self.y_of_row(row) + 4 + lane * height
        if self.zoom == "week":
            x0, x1 = self.x_of(starts_at), self.x_of(ends_at)
            x1 = max(x1, x0 + 6)
        else:
            last = (ends_at - timedelta(microseconds=1)).date()
            x0 = self.x_of_day(starts_at.date()) + 2
            x1 = self.x_of_day(max(last, starts_at.date())) + self.day_width - 2
        return QRectF(x0, y, x1 - x0, height - (1 if lanes > 1 else 0))

    def assignment_rect(self, assignment_id: uuid.UUID) -> QRectF:
        assert self.board is not None
        a = self.board.assignments[assignment_id]
        return self.bar_rect(a.crew_member_id, a.starts_at, a.ends_at, a.id)

    def bar_at(self, pos: QPoint) -> tuple[AssignmentInfo, str] | None:
        """The bar under a point and where on it: "start" or "end" edge, or "body"."""
        crew_id = self.crew_at_y(pos.y())
        if crew_id is None or pos.x() < NAME_WIDTH:
            return None
        for a in reversed(self.by_crew.get(crew_id, [])):
            rect = self.bar_rect(crew_id, a.starts_at, a.ends_at, a.id)
            if rect.left() - 1 <= pos.x() <= rect.right() + 1 and rect.top() <= pos.y() <= rect.bottom():
                if rect.width() >= 3 * EDGE:
                    if pos.x() >= rect.right() - EDGE:
                        return a, "end"
                    if pos.x() <= rect.left() + EDGE:
                        return a, "start"
                return a, "body"
        return None

