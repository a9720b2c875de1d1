"""Painting the crew calendar: only the rows and days in view, bars with cached text.

It draws what the geometry places and what the view marks (the selected bar, a drag's preview, a drop's
cell); the view hands it its painter and the area to draw.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPen,
    QStaticText,
)

from app.models.enums import AssignmentStatus
from app.ui.crew.interactions import BarEdit

if TYPE_CHECKING:
    from app.services.crew.records import AssignmentInfo
    from app.ui.crew.calendar_geometry import CalendarGeometry

from app.ui.crew.calendar_style import (
    CONFLICT,
    GRID,
    GROUP_BG,
    HEADER_HEIGHT,
    MUTED,
    NAME_WIDTH,
    PALETTE,
    PROJECT_BAND,
    PROJECT_DAYS,
    ROW_HEIGHT,
    TEXT,
    TODAY,
    UNAVAILABLE,
    WEEK_LINE,
    WEEKEND,
    draw_rects,
    faint,
    tentative,
    tentative_rgb,
)


def draw_bars(p: QPainter, filled: dict[int, list[QRectF]], hatched: dict[int, list[QRectF]],
              labels: dict[int, list[tuple[QPointF, QStaticText]]], radius: float, smooth: bool) -> None:
    """Bars batched by colour (rgba → rects): confirmed ones filled, tentative ones a tint, an outline
    and diagonal hatching in their colour; then the labels, batched by their text colour."""
    p.setPen(Qt.PenStyle.NoPen)
    for key, rects in filled.items():
        p.setBrush(QColor.fromRgba(key))
        draw_rects(p, rects, radius)
    for key, rects in hatched.items():
        tint, stripes, _ = tentative_rgb(key)
        p.setPen(QPen(QColor.fromRgba(key), 1.5 if smooth else 1))
        p.setBrush(tint)
        draw_rects(p, [r.adjusted(0.5, 0.5, -0.5, -0.5) for r in rects], radius)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(stripes)
        p.drawRects([r.adjusted(1.5, 1.5, -1.5, -1.5) for r in rects])
    for key, items in labels.items():
        p.setPen(QColor.fromRgba(key))
        for point, text in items:
            p.drawStaticText(point, text)


class CalendarMarks(Protocol):
    """What the view marks on the calendar (the view is one)."""

    @property
    def selected(self) -> uuid.UUID | None: ...

    @property
    def preview(self) -> BarEdit | None:
        """Where a bar being dragged would go."""
        ...

    @property
    def drop_target(self) -> tuple[uuid.UUID, date] | None:
        """The person and day a crew member dragged from the roster would be dropped on."""
        ...


class CalendarPainting:
    """The calendar's paint routines: day columns, rows, bars, names and the header."""

    def __init__(self, geometry: CalendarGeometry, marks: CalendarMarks, font: QFont) -> None:
        self.geometry = geometry
        self.marks = marks
        self.today = date.today()
        self.colours: dict[uuid.UUID, QColor] = {}
        self._elide_cache: dict[tuple[str, int], str] = {}
        self._text_cache: dict[tuple[str, int], QStaticText] = {}
        self._font = QFont(font)
        self._small = QFont(font)
        self._small.setPointSizeF(max(6.5, self._font.pointSizeF() - 1.5))
        self._bold = QFont(font)
        self._bold.setBold(True)

    def paint(self, p: QPainter, area: QRect) -> None:
        p.fillRect(area, Qt.GlobalColor.white)
        width, height = area.width(), area.height()
        hscroll = self.geometry.hscroll
        first_day = max(0, int(hscroll // self.geometry.day_width))
        last_day = min(self.geometry.days, int((hscroll + width - NAME_WIDTH) // self.geometry.day_width) + 1)
        first_row = max(0, self.geometry.vscroll // ROW_HEIGHT)
        last_row = min(len(self.geometry.rows), first_row + (height - HEADER_HEIGHT) // ROW_HEIGHT + 2)
        days = [self.geometry.start + timedelta(days=i) for i in range(first_day, last_day)]

        p.setClipRect(QRect(NAME_WIDTH, HEADER_HEIGHT, width - NAME_WIDTH, height - HEADER_HEIGHT))
        self._paint_day_columns(p, days, height)
        self._paint_rows(p, first_row, last_row, days, width)
        self._paint_bars(p, first_row, last_row, days)
        p.setClipping(False)
        self._paint_names(p, first_row, last_row, height)
        self._paint_header(p, days, width)

    def in_project(self, day: date) -> bool:
        span = self.geometry.project_days
        return span is not None and span[0] <= day <= span[1]

    def _paint_day_columns(self, p: QPainter, days: list[date], height: int) -> None:
        for day in days:
            x = self.geometry.x_of_day(day)
            if self.in_project(day):
                p.fillRect(QRectF(x, HEADER_HEIGHT, self.geometry.day_width, height), PROJECT_DAYS)
            elif day == self.today:
                p.fillRect(QRectF(x, HEADER_HEIGHT, self.geometry.day_width, height), TODAY)
            elif day.weekday() >= 5:
                p.fillRect(QRectF(x, HEADER_HEIGHT, self.geometry.day_width, height), WEEKEND)
        for day in days:
            x = int(self.geometry.x_of_day(day))
            p.setPen(WEEK_LINE if day.weekday() == 0 else GRID)
            p.drawLine(x, HEADER_HEIGHT, x, height)

    def _paint_rows(self, p: QPainter, first: int, last: int, days: list[date], width: int) -> None:
        geometry, drop_target = self.geometry, self.marks.drop_target
        board = geometry.board
        hatch = QBrush(UNAVAILABLE, Qt.BrushStyle.BDiagPattern)
        for row in range(first, last):
            info = geometry.rows[row]
            y = geometry.y_of_row(row)
            if info.kind == "group":
                p.fillRect(QRect(NAME_WIDTH, y, width - NAME_WIDTH, ROW_HEIGHT), GROUP_BG)
            elif board is not None and info.id in board.crew:
                off = board.crew[info.id].unavailable
                for day in days:
                    if day in off:
                        p.fillRect(QRectF(geometry.x_of_day(day), y, geometry.day_width, ROW_HEIGHT), hatch)
            if drop_target is not None and info.id == drop_target[0] and info.kind == "crew":
                p.fillRect(QRectF(geometry.x_of_day(drop_target[1]), y, geometry.day_width, ROW_HEIGHT),
                           QColor(47, 111, 223, 60))
            p.setPen(GRID)
            p.drawLine(NAME_WIDTH, y + ROW_HEIGHT - 1, width, y + ROW_HEIGHT - 1)

    def _paint_bars(self, p: QPainter, first: int, last: int, days: list[date]) -> None:
        """Bars batched by colour (one drawRects per colour) and labels as cached static text."""
        board = self.geometry.board
        if board is None or not days:
            return
        lo = datetime.combine(days[0], time())
        hi = datetime.combine(days[-1], time()) + timedelta(days=1)
        metrics = QFontMetrics(self._small)
        p.setFont(self._small)
        # Rounded, antialiased bars only where few are in view; a month of hundreds stays crisp and fast.
        smooth = self.geometry.zoom == "week"
        radius = 4.0 if smooth else 0.0
        p.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)
        moving = self.marks.preview.assignment_id if self.marks.preview is not None else None
        filled: dict[int, list[QRectF]] = defaultdict(list)
        hatched: dict[int, list[QRectF]] = defaultdict(list)
        labels: dict[int, list[tuple[QPointF, QStaticText]]] = defaultdict(list)
        ghosts: list[AssignmentInfo] = []
        conflicts = board.conflicts
        text_height = metrics.height()
        for row in range(first, last):
            info = self.geometry.rows[row]
            if info.kind != "crew" or info.id is None:
                continue
            for a in self.geometry.by_crew.get(info.id, ()):
                if a.ends_at <= lo or a.starts_at >= hi:
                    continue
                if a.id == moving:
                    ghosts.append(a)
                    continue
                rect = self.geometry.bar_rect(info.id, a.starts_at, a.ends_at, a.id)
                conflicted = bool(conflicts.get(a.id))
                key = (CONFLICT if conflicted else self.project_colour(a.project_id)).rgba()
                confirmed = a.status == AssignmentStatus.CONFIRMED
                (filled if confirmed else hatched)[key].append(rect)
                if rect.width() >= 18 and rect.height() >= text_height - 1:
                    label = board.projects.get(a.project_id, "")
                    if smooth:
                        label = f"{label} · {a.starts_at:%H:%M}–{a.ends_at:%H:%M}"
                    if conflicted:
                        label = f"! {label}"
                    text_key = 0xFFFFFFFF if confirmed else tentative_rgb(key)[2].rgba()
                    at = QPointF(rect.x() + 5, rect.y() + (rect.height() - text_height) / 2)
                    labels[text_key].append((at, self._static(metrics, label, int(rect.width()) - 9)))
        draw_bars(p, filled, hatched, labels, radius, smooth)
        for a in ghosts:
            rect = self.geometry.bar_rect(a.crew_member_id, a.starts_at, a.ends_at, a.id)
            self._paint_bar(p, a, rect, metrics, smooth, ghost=True)
        if self.marks.selected in board.assignments and self.marks.selected != moving:
            assert self.marks.selected is not None
            rect = self.geometry.assignment_rect(self.marks.selected)
            p.setPen(QPen(TEXT, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), radius + 1, radius + 1)
        if self.marks.preview is not None and self.marks.preview.assignment_id in board.assignments:
            edit = self.marks.preview
            rect = self.geometry.bar_rect(edit.crew_member_id, edit.starts_at, edit.ends_at)
            self._paint_bar(p, board.assignments[edit.assignment_id], rect, metrics, smooth, hours=edit)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _static(self, metrics: QFontMetrics, text: str, width: int) -> QStaticText:
        key = (text, width)
        found = self._text_cache.get(key)
        if found is None:
            if len(self._text_cache) > 20_000:
                self._text_cache.clear()
            found = QStaticText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, width)))
            found.setTextFormat(Qt.TextFormat.PlainText)
            found.prepare(font=self._small)
            self._text_cache[key] = found
        return found

    def _paint_bar(self, p: QPainter, a: AssignmentInfo, rect: QRectF, metrics: QFontMetrics,
                   smooth: bool, ghost: bool = False, hours: BarEdit | None = None) -> None:
        assert self.geometry.board is not None
        conflicted = a.id in self.geometry.board.conflicts and bool(self.geometry.board.conflicts[a.id])
        colour = CONFLICT if conflicted else self.project_colour(a.project_id)
        radius = 4.0 if smooth else 0.0
        if ghost:
            p.setPen(QPen(faint(colour), 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect, radius, radius)
            return
        if a.status == AssignmentStatus.CONFIRMED:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawRoundedRect(rect, radius, radius)
            text_colour = QColor(Qt.GlobalColor.white)
        else:
            # Tentative: a pale tint, diagonal hatching and an outline in the project's colour.
            tint, stripes, text_colour = tentative(colour)
            p.setPen(QPen(colour, 1.5 if smooth else 1))
            p.setBrush(tint)
            p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
            p.fillRect(rect.adjusted(1.5, 1.5, -1.5, -1.5), stripes)
        if a.id == self.marks.selected or hours is not None:
            p.setPen(QPen(TEXT, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), radius + 1, radius + 1)
        if rect.width() < 18:
            return
        label = self.geometry.board.projects.get(a.project_id, "")
        if hours is not None:
            span = (hours.ends_at - hours.starts_at).total_seconds() / 3600
            label = f"{hours.starts_at:%a %H:%M}–{hours.ends_at:%H:%M} · {span:g} h"
        elif self.geometry.zoom == "week":
            label = f"{label} · {a.starts_at:%H:%M}–{a.ends_at:%H:%M}"
        if conflicted:
            label = f"! {label}"
        p.setPen(text_colour)
        text_rect = rect.adjusted(5, 0, -4, 0)
        p.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                   self._elided(metrics, label, int(text_rect.width())))

    def _elided(self, metrics: QFontMetrics, text: str, width: int) -> str:
        key = (text, width)
        found = self._elide_cache.get(key)
        if found is None:
            if len(self._elide_cache) > 20_000:
                self._elide_cache.clear()
            found = self._elide_cache[key] = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        return found

    def project_colour(self, project_id: uuid.UUID) -> QColor:
        return self.colours.get(project_id) or PALETTE[project_id.int % len(PALETTE)]

    def bar_colour(self, a: AssignmentInfo) -> QColor:
        """Red when the assignment has a conflict, else its project's colour."""
        assert self.geometry.board is not None
        return CONFLICT if self.geometry.board.conflicts.get(a.id) else self.project_colour(a.project_id)

    def _paint_names(self, p: QPainter, first: int, last: int, height: int) -> None:
        p.fillRect(QRect(0, HEADER_HEIGHT, NAME_WIDTH, height - HEADER_HEIGHT), QColor("#fbfbfd"))
        p.setClipRect(QRect(0, HEADER_HEIGHT, NAME_WIDTH, height - HEADER_HEIGHT))
        small = QFontMetrics(self._small)
        for row in range(first, last):
            info = self.geometry.rows[row]
            y = self.geometry.y_of_row(row)
            if info.kind == "group":
                p.fillRect(QRect(0, y, NAME_WIDTH, ROW_HEIGHT), GROUP_BG)
                p.setFont(self._bold)
                p.setPen(TEXT)
                p.drawText(QRect(10, y, NAME_WIDTH - 50, ROW_HEIGHT), Qt.AlignmentFlag.AlignVCenter,
                           info.label)
                p.setFont(self._small)
                p.setPen(MUTED)
                p.drawText(QRect(0, y, NAME_WIDTH - 10, ROW_HEIGHT),
                           Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, info.detail)
            else:
                p.setFont(self._font)
                p.setPen(TEXT)
                p.drawText(QRect(18, y + 1, NAME_WIDTH - 24, ROW_HEIGHT // 2 + 2),
                           Qt.AlignmentFlag.AlignBottom, info.label)
                p.setFont(self._small)
                p.setPen(MUTED)
                p.drawText(QRect(18, y + ROW_HEIGHT // 2 + 1, NAME_WIDTH - 24, ROW_HEIGHT // 2 - 1),
                           Qt.AlignmentFlag.AlignTop,
                           small.elidedText(info.detail, Qt.TextElideMode.ElideRight, NAME_WIDTH - 24))
            p.setPen(GRID)
            p.drawLine(0, y + ROW_HEIGHT - 1, NAME_WIDTH, y + ROW_HEIGHT - 1)
        p.setClipping(False)
        p.setPen(WEEK_LINE)
        p.drawLine(NAME_WIDTH - 1, 0, NAME_WIDTH - 1, height)

    def header_title(self) -> str:
        """What the corner above the names says."""
        return f"Crew · {sum(1 for r in self.geometry.rows if r.kind == 'crew')}"

    def _paint_header(self, p: QPainter, days: list[date], width: int) -> None:
        p.fillRect(QRect(0, 0, width, HEADER_HEIGHT), QColor("#f7f8fa"))
        p.setClipRect(QRect(NAME_WIDTH, 0, width - NAME_WIDTH, HEADER_HEIGHT))
        half = HEADER_HEIGHT // 2
        p.setFont(self._bold)
        shown_months: set[tuple[int, int]] = set()
        for day in days:
            month = (day.year, day.month)
            if month in shown_months:
                continue
            shown_months.add(month)
            x = max(self.geometry.x_of_day(day), float(NAME_WIDTH))
            if day.day != 1 and day != days[0]:
                continue
            p.setPen(TEXT)
            p.drawText(QRectF(x + 6, 0, 200, half), Qt.AlignmentFlag.AlignVCenter, f"{day:%B %Y}")
        p.setFont(self._small)
        for day in days:
            x = self.geometry.x_of_day(day)
            cell = QRectF(x, half, self.geometry.day_width, half)
            if day == self.today:
                p.fillRect(cell, QColor("#2f6fdf"))
                p.setPen(Qt.GlobalColor.white)
            else:
                p.setPen(MUTED if day.weekday() >= 5 else TEXT)
            if self.in_project(day):
                p.fillRect(QRectF(x, HEADER_HEIGHT - 4, self.geometry.day_width, 4), PROJECT_BAND)
            text = f"{day:%a} {day.day}" if self.geometry.day_width >= 60 else f"{day:%a}"[0] + f"\n{day.day}"
            if self.geometry.day_width >= 60:
                p.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)
            else:
                p.drawText(cell, Qt.AlignmentFlag.AlignCenter, f"{day.day}")
            p.setPen(WEEK_LINE if day.weekday() == 0 or day.day == 1 else GRID)
            p.drawLine(int(x), half if day.day != 1 else 0, int(x), HEADER_HEIGHT)
        p.setClipping(False)
        p.setPen(WEEK_LINE)
        p.drawLine(0, HEADER_HEIGHT - 1, width, HEADER_HEIGHT - 1)
        p.setFont(self._bold)
        p.setPen(TEXT)
        p.drawText(QRect(10, 0, NAME_WIDTH - 20, HEADER_HEIGHT), Qt.AlignmentFlag.AlignVCenter,
                   self.header_title())
        p.drawLine(NAME_WIDTH - 1, 0, NAME_WIDTH - 1, HEADER_HEIGHT)

