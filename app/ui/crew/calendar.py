"""The crew calendar: people down the side grouped by role, days across, assignments as bars.

A QAbstractScrollArea that paints only the rows and days in view, so a year of
hundreds of people scrolls smoothly. It reads a CrewBoard and never writes: drags
and keys become requests (signals) that the panel turns into undo commands.
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QStaticText,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from app.models.enums import AssignmentStatus
from app.ui.crew.interactions import BarDrag, BarEdit
from app.ui.crew.roster import crew_from_mime

if TYPE_CHECKING:
    from app.services.crew.board import CrewBoard
    from app.services.crew.records import AssignmentInfo

NAME_WIDTH = 210
HEADER_HEIGHT = 48
ROW_HEIGHT = 34
EDGE = 5
WEEK_DAY_START = 6.0  # hours before it are drawn at the day's left edge
WEEK_DAY_HOURS = 18.0
ZOOM_DAYS = {"week": 7, "month": 31}
MIN_DAY_WIDTH = {"week": 90.0, "month": 30.0}

# Distinct, calm hues that stay readable with white text; a project keeps its colour for good.
PALETTE = [QColor(c) for c in (
    "#2f6fdf", "#d97706", "#1b9e77", "#9d4edd", "#0e8a9e", "#c2418a",
    "#5a7d1a", "#3b5bab", "#b45309", "#0f766e", "#8a5a44", "#7b5cd6",
)]
CONFLICT = QColor("#d93025")
GRID = QColor("#e3e6eb")
WEEK_LINE = QColor("#c5cad3")
WEEKEND = QColor("#f4f5f8")
TODAY = QColor("#e8f0fe")
GROUP_BG = QColor("#eef1f6")
TEXT = QColor("#1f2733")
MUTED = QColor("#6b7482")
UNAVAILABLE = QColor("#c9ced6")


def project_colours(project_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, QColor]:
    """A colour per project from its id; a taken colour passes to the next free one, so up to a
    dozen projects never share one and a project keeps its colour while the set stays the same."""
    found: dict[uuid.UUID, QColor] = {}
    taken: set[int] = set()
    size = len(PALETTE)
    for project_id in sorted(project_ids, key=lambda p: p.int):
        slot = project_id.int % size
        if len(taken) < size:
            while slot in taken:
                slot = (slot + 1) % size
            taken.add(slot)
        found[project_id] = PALETTE[slot]
    return found


def _tentative(colour: QColor) -> tuple[QColor, QBrush, QColor]:
    return _tentative_rgb(colour.rgba())


@functools.cache
def _tentative_rgb(rgba: int) -> tuple[QColor, QBrush, QColor]:
    colour = QColor.fromRgba(rgba)
    tint = QColor(colour)
    tint.setAlpha(40)
    stripes = QColor(colour)
    stripes.setAlpha(90)
    return tint, QBrush(stripes, Qt.BrushStyle.BDiagPattern), colour.darker(160)


def _draw_rects(p: QPainter, rects: list[QRectF], radius: float) -> None:
    if radius:
        for rect in rects:
            p.drawRoundedRect(rect, radius, radius)
    else:
        p.drawRects(rects)


def _faint(colour: QColor) -> QColor:
    faint = QColor(colour)
    faint.setAlpha(60)
    return faint


@dataclass(frozen=True, slots=True)
class CalendarRow:
    kind: str  # "group" or "crew"
    id: uuid.UUID | None  # the crew member's id, or the role's id for a group (None: no role)
    label: str
    detail: str = ""


class CrewCalendarView(QAbstractScrollArea):
    selectionChanged = Signal(object)  # assignment id or None
    editRequested = Signal(object)  # BarEdit
    deleteRequested = Signal(object)  # assignment id
    crewDropped = Signal(object, object)  # crew member id, day
    statusToggleRequested = Signal(object)  # assignment id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crewCalendar")
        self.viewport().setObjectName("crewCalendarViewport")
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.board: CrewBoard | None = None
        self.start = date.today().replace(day=1)
        self.days = 365
        self.today = date.today()
        self.zoom = "month"
        self.day_width = MIN_DAY_WIDTH["month"]
        self.role_filter: uuid.UUID | None = None
        self.name_filter = ""
        self.rows: list[CalendarRow] = []
        self.row_of: dict[uuid.UUID, int] = {}
        self.by_crew: dict[uuid.UUID, list[AssignmentInfo]] = {}
        self.selected: uuid.UUID | None = None
        self.preview: BarEdit | None = None
        self.drop_target: tuple[uuid.UUID, date] | None = None
        self._drag: BarDrag | None = None
        self._elide_cache: dict[tuple[str, int], str] = {}
        self._text_cache: dict[tuple[str, int], QStaticText] = {}
        self.colours: dict[uuid.UUID, QColor] = {}
        self.lanes: dict[uuid.UUID, tuple[int, int]] = {}  # assignment id -> (lane, lanes in its cluster)
        self._font = QFont(self.font())
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(6.5, self._font.pointSizeF() - 1.5))
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        # Painting asks for the scroll position per bar: keep it here rather than ask Qt each time.
        self._hscroll = 0
        self._vscroll = 0
        self.horizontalScrollBar().valueChanged.connect(self._on_hscroll)
        self.verticalScrollBar().valueChanged.connect(self._on_vscroll)

    # -- data ------------------------------------------------------------------------------

    def _on_hscroll(self, value: int) -> None:
        self._hscroll = value
        self.viewport().update()

    def _on_vscroll(self, value: int) -> None:
        self._vscroll = value
        self.viewport().update()

    def set_board(self, board: CrewBoard | None, start: date, days: int) -> None:
        self.board = board
        self.start = start
        self.days = days
        self.refresh()

    def refresh(self) -> None:
        """Re-read the board (after any change) and re-apply the filters."""
        self.rows = []
        self.row_of = {}
        self.by_crew = defaultdict(list)
        board = self.board
        if board is not None:
            self.colours = project_colours(board.projects)
            for a in board.assignments.values():
                self.by_crew[a.crew_member_id].append(a)
            for bars in self.by_crew.values():
                bars.sort(key=lambda a: a.starts_at)
            self._layout_lanes()
            self._build_rows(board)
            if self.selected is not None and self.selected not in board.assignments:
                self.selected = None
                self.selectionChanged.emit(None)
        self._update_scrollbars()
        self.viewport().update()

    def _build_rows(self, board: CrewBoard) -> None:
        groups: dict[str, list[CalendarRow]] = {}
        group_ids: dict[str, uuid.UUID | None] = {}
        needle = self.name_filter.strip().casefold()
        for crew in board.crew.values():
            if needle and needle not in crew.name.casefold():
                continue
            if self.role_filter is not None:
                if self.role_filter not in crew.role_ids:
                    continue
                role_id: uuid.UUID | None = self.role_filter
            else:
                role_id = min(crew.role_ids, key=lambda r: board.roles[r].name if r in board.roles else "",
                              default=None)
            group = board.roles[role_id].name if role_id in board.roles else "No role"
            roles = ", ".join(sorted(board.roles[r].name for r in crew.role_ids if r in board.roles))
            groups.setdefault(group, []).append(
                CalendarRow("crew", crew.id, crew.name, f"{crew.kind.capitalize()} · {roles}"))
            group_ids[group] = role_id
        for group in sorted(groups):
            people = groups[group]
            self.rows.append(CalendarRow("group", group_ids[group], group, f"{len(people)}"))
            for row in people:
                assert row.id is not None
                self.row_of[row.id] = len(self.rows)
                self.rows.append(row)

    def _layout_lanes(self) -> None:
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

    def set_filters(self, role_id: uuid.UUID | None, name: str) -> None:
        self.role_filter = role_id
        self.name_filter = name
        self.refresh()

    def set_zoom(self, zoom: str) -> None:
        left = self.day_at_x(NAME_WIDTH + 1)
        self.zoom = zoom
        self._layout_lanes()
        self._update_day_width()
        self._update_scrollbars()
        if left is not None:
            self.scroll_to_day(left, centre=False)
        self.viewport().update()

    def visible_crew(self) -> list[uuid.UUID]:
        return [r.id for r in self.rows if r.kind == "crew" and r.id is not None]

    # -- geometry ---------------------------------------------------------------------------

    @property
    def hour_width(self) -> float:
        return self.day_width / (WEEK_DAY_HOURS if self.zoom == "week" else 24)

    def _update_day_width(self) -> None:
        span = max(1, self.viewport().width() - NAME_WIDTH)
        self.day_width = max(MIN_DAY_WIDTH[self.zoom], span / ZOOM_DAYS[self.zoom])

    def _update_scrollbars(self) -> None:
        vw, vh = self.viewport().width(), self.viewport().height()
        content_w = int(self.days * self.day_width)
        hbar = self.horizontalScrollBar()
        hbar.setRange(0, max(0, content_w - (vw - NAME_WIDTH)))
        hbar.setPageStep(max(1, vw - NAME_WIDTH))
        hbar.setSingleStep(max(1, int(self.day_width / 3)))
        vbar = self.verticalScrollBar()
        vbar.setRange(0, max(0, len(self.rows) * ROW_HEIGHT - (vh - HEADER_HEIGHT)))
        vbar.setPageStep(max(1, vh - HEADER_HEIGHT))
        vbar.setSingleStep(ROW_HEIGHT // 2)

    def x_of(self, moment: datetime) -> float:
        """Week zoom shows each day's working hours (06:00 to midnight) across its column."""
        hours = moment.hour + moment.minute / 60 + moment.second / 3600
        within = min(max(hours - WEEK_DAY_START, 0.0), WEEK_DAY_HOURS) / WEEK_DAY_HOURS
        return self.x_of_day(moment.date()) + within * self.day_width

    def x_of_day(self, day: date) -> float:
        return NAME_WIDTH + (day - self.start).days * self.day_width - self._hscroll

    def y_of_row(self, row: int) -> int:
        return HEADER_HEIGHT + row * ROW_HEIGHT - self._vscroll

    def day_at_x(self, x: int) -> date | None:
        if x < NAME_WIDTH:
            return None
        index = int((x - NAME_WIDTH + self.horizontalScrollBar().value()) // self.day_width)
        return self.start + timedelta(days=index) if 0 <= index < self.days else None

    def row_at_y(self, y: int) -> int | None:
        if y < HEADER_HEIGHT:
            return None
        row = (y - HEADER_HEIGHT + self.verticalScrollBar().value()) // ROW_HEIGHT
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

    def scroll_to_day(self, day: date, centre: bool = True) -> None:
        x = (day - self.start).days * self.day_width
        if centre:
            x -= (self.viewport().width() - NAME_WIDTH) / 2 - self.day_width / 2
        self.horizontalScrollBar().setValue(int(x))

    def scroll_to_assignment(self, assignment_id: uuid.UUID) -> None:
        if self.board is None or assignment_id not in self.board.assignments:
            return
        a = self.board.assignments[assignment_id]
        row = self.row_of.get(a.crew_member_id)
        if row is None:  # filtered out: show everyone again so the bar can be seen
            self.set_filters(None, "")
            row = self.row_of.get(a.crew_member_id)
            if row is None:
                return
        self.scroll_to_day(a.starts_at.date())
        vbar = self.verticalScrollBar()
        top = row * ROW_HEIGHT
        visible = self.viewport().height() - HEADER_HEIGHT
        if not vbar.value() <= top <= vbar.value() + visible - ROW_HEIGHT:
            vbar.setValue(top - visible // 2)

    def select(self, assignment_id: uuid.UUID | None) -> None:
        if assignment_id != self.selected:
            self.selected = assignment_id
            self.selectionChanged.emit(assignment_id)
            self.viewport().update()

    def set_preview(self, edit: BarEdit | None) -> None:
        self.preview = edit
        self.viewport().update()

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        try:
            self.paint(painter, self.viewport().rect())
        finally:
            painter.end()

    def paint(self, p: QPainter, area: QRect) -> None:
        p.fillRect(area, Qt.GlobalColor.white)
        width, height = area.width(), area.height()
        hscroll = self.horizontalScrollBar().value()
        first_day = max(0, int(hscroll // self.day_width))
        last_day = min(self.days, int((hscroll + width - NAME_WIDTH) // self.day_width) + 1)
        first_row = max(0, (self.verticalScrollBar().value()) // ROW_HEIGHT)
        last_row = min(len(self.rows), first_row + (height - HEADER_HEIGHT) // ROW_HEIGHT + 2)
        days = [self.start + timedelta(days=i) for i in range(first_day, last_day)]

        p.setClipRect(QRect(NAME_WIDTH, HEADER_HEIGHT, width - NAME_WIDTH, height - HEADER_HEIGHT))
        self._paint_day_columns(p, days, height)
        self._paint_rows(p, first_row, last_row, days, width)
        self._paint_bars(p, first_row, last_row, days)
        p.setClipping(False)
        self._paint_names(p, first_row, last_row, height)
        self._paint_header(p, days, width)

    def _paint_day_columns(self, p: QPainter, days: list[date], height: int) -> None:
        for day in days:
            x = self.x_of_day(day)
            if day == self.today:
                p.fillRect(QRectF(x, HEADER_HEIGHT, self.day_width, height), TODAY)
            elif day.weekday() >= 5:
                p.fillRect(QRectF(x, HEADER_HEIGHT, self.day_width, height), WEEKEND)
        for day in days:
            x = int(self.x_of_day(day))
            p.setPen(WEEK_LINE if day.weekday() == 0 else GRID)
            p.drawLine(x, HEADER_HEIGHT, x, height)

    def _paint_rows(self, p: QPainter, first: int, last: int, days: list[date], width: int) -> None:
        board = self.board
        hatch = QBrush(UNAVAILABLE, Qt.BrushStyle.BDiagPattern)
        for row in range(first, last):
            info = self.rows[row]
            y = self.y_of_row(row)
            if info.kind == "group":
                p.fillRect(QRect(NAME_WIDTH, y, width - NAME_WIDTH, ROW_HEIGHT), GROUP_BG)
            elif board is not None and info.id in board.crew:
                off = board.crew[info.id].unavailable
                for day in days:
                    if day in off:
                        p.fillRect(QRectF(self.x_of_day(day), y, self.day_width, ROW_HEIGHT), hatch)
            if self.drop_target is not None and info.id == self.drop_target[0] and info.kind == "crew":
                p.fillRect(QRectF(self.x_of_day(self.drop_target[1]), y, self.day_width, ROW_HEIGHT),
                           QColor(47, 111, 223, 60))
            p.setPen(GRID)
            p.drawLine(NAME_WIDTH, y + ROW_HEIGHT - 1, width, y + ROW_HEIGHT - 1)

    def _paint_bars(self, p: QPainter, first: int, last: int, days: list[date]) -> None:
        """Bars batched by colour (one drawRects per colour) and labels as cached static text."""
        board = self.board
        if board is None or not days:
            return
        lo = datetime.combine(days[0], time())
        hi = datetime.combine(days[-1], time()) + timedelta(days=1)
        metrics = QFontMetrics(self._small)
        p.setFont(self._small)
        # Rounded, antialiased bars only where few are in view; a month of hundreds stays crisp and fast.
        smooth = self.zoom == "week"
        radius = 4.0 if smooth else 0.0
        p.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)
        moving = self.preview.assignment_id if self.preview is not None else None
        filled: dict[int, list[QRectF]] = defaultdict(list)
        hatched: dict[int, list[QRectF]] = defaultdict(list)
        labels: dict[int, list[tuple[QPointF, QStaticText]]] = defaultdict(list)
        ghosts: list[AssignmentInfo] = []
        conflicts = board.conflicts
        text_height = metrics.height()
        for row in range(first, last):
            info = self.rows[row]
            if info.kind != "crew" or info.id is None:
                continue
            for a in self.by_crew.get(info.id, ()):
                if a.ends_at <= lo or a.starts_at >= hi:
                    continue
                if a.id == moving:
                    ghosts.append(a)
                    continue
                rect = self.bar_rect(info.id, a.starts_at, a.ends_at, a.id)
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
                    text_key = 0xFFFFFFFF if confirmed else _tentative_rgb(key)[2].rgba()
                    at = QPointF(rect.x() + 5, rect.y() + (rect.height() - text_height) / 2)
                    labels[text_key].append((at, self._static(metrics, label, int(rect.width()) - 9)))
        p.setPen(Qt.PenStyle.NoPen)
        for key, rects in filled.items():
            p.setBrush(QColor.fromRgba(key))
            _draw_rects(p, rects, radius)
        for key, rects in hatched.items():
            tint, stripes, _ = _tentative_rgb(key)
            p.setPen(QPen(QColor.fromRgba(key), 1.5 if smooth else 1))
            p.setBrush(tint)
            _draw_rects(p, [r.adjusted(0.5, 0.5, -0.5, -0.5) for r in rects], radius)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(stripes)
            p.drawRects([r.adjusted(1.5, 1.5, -1.5, -1.5) for r in rects])
        for key, items in labels.items():
            p.setPen(QColor.fromRgba(key))
            for point, text in items:
                p.drawStaticText(point, text)
        for a in ghosts:
            rect = self.bar_rect(a.crew_member_id, a.starts_at, a.ends_at, a.id)
            self._paint_bar(p, a, rect, metrics, smooth, ghost=True)
        if self.selected in board.assignments and self.selected != moving:
            assert self.selected is not None
            rect = self.assignment_rect(self.selected)
            p.setPen(QPen(TEXT, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), radius + 1, radius + 1)
        if self.preview is not None and self.preview.assignment_id in board.assignments:
            edit = self.preview
            rect = self.bar_rect(edit.crew_member_id, edit.starts_at, edit.ends_at)
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
        assert self.board is not None
        conflicted = a.id in self.board.conflicts and bool(self.board.conflicts[a.id])
        colour = CONFLICT if conflicted else self.project_colour(a.project_id)
        radius = 4.0 if smooth else 0.0
        if ghost:
            p.setPen(QPen(_faint(colour), 1, Qt.PenStyle.DashLine))
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
            tint, stripes, text_colour = _tentative(colour)
            p.setPen(QPen(colour, 1.5 if smooth else 1))
            p.setBrush(tint)
            p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
            p.fillRect(rect.adjusted(1.5, 1.5, -1.5, -1.5), stripes)
        if a.id == self.selected or hours is not None:
            p.setPen(QPen(TEXT, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), radius + 1, radius + 1)
        if rect.width() < 18:
            return
        label = self.board.projects.get(a.project_id, "")
        if hours is not None:
            span = (hours.ends_at - hours.starts_at).total_seconds() / 3600
            label = f"{hours.starts_at:%a %H:%M}–{hours.ends_at:%H:%M} · {span:g} h"
        elif self.zoom == "week":
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
        assert self.board is not None
        return CONFLICT if self.board.conflicts.get(a.id) else self.project_colour(a.project_id)

    def _paint_names(self, p: QPainter, first: int, last: int, height: int) -> None:
        p.fillRect(QRect(0, HEADER_HEIGHT, NAME_WIDTH, height - HEADER_HEIGHT), QColor("#fbfbfd"))
        p.setClipRect(QRect(0, HEADER_HEIGHT, NAME_WIDTH, height - HEADER_HEIGHT))
        small = QFontMetrics(self._small)
        for row in range(first, last):
            info = self.rows[row]
            y = self.y_of_row(row)
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
            x = max(self.x_of_day(day), float(NAME_WIDTH))
            if day.day != 1 and day != days[0]:
                continue
            p.setPen(TEXT)
            p.drawText(QRectF(x + 6, 0, 200, half), Qt.AlignmentFlag.AlignVCenter, f"{day:%B %Y}")
        p.setFont(self._small)
        for day in days:
            x = self.x_of_day(day)
            cell = QRectF(x, half, self.day_width, half)
            if day == self.today:
                p.fillRect(cell, QColor("#2f6fdf"))
                p.setPen(Qt.GlobalColor.white)
            else:
                p.setPen(MUTED if day.weekday() >= 5 else TEXT)
            text = f"{day:%a} {day.day}" if self.day_width >= 60 else f"{day:%a}"[0] + f"\n{day.day}"
            if self.day_width >= 60:
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
        count = sum(1 for r in self.rows if r.kind == "crew")
        p.drawText(QRect(10, 0, NAME_WIDTH - 20, HEADER_HEIGHT), Qt.AlignmentFlag.AlignVCenter,
                   f"Crew · {count}")
        p.drawLine(NAME_WIDTH - 1, 0, NAME_WIDTH - 1, HEADER_HEIGHT)

    # -- events ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_day_width()
        self._update_scrollbars()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, pos: QPoint) -> str:
        hit = self.bar_at(pos)
        if hit is None or self.board is None:
            return ""
        return self.describe(hit[0].id)

    def describe(self, assignment_id: uuid.UUID) -> str:
        """The bar's tooltip: who, where, when, and every conflict in words."""
        assert self.board is not None
        board = self.board
        a = board.assignments[assignment_id]
        person = board.crew[a.crew_member_id].name if a.crew_member_id in board.crew else ""
        role = board.roles[a.role_id].name if a.role_id in board.roles else ""
        hours = a.hours
        lines = [f"<b>{board.projects.get(a.project_id, '')}</b>",
                 f"{person}{' · ' + role if role else ''}",
                 f"{a.starts_at:%a %d %b %H:%M}–{a.ends_at:%H:%M} ({hours:g} h) · {a.status.capitalize()}"]
        for conflict in board.conflicts.get(assignment_id, []):
            lines.append(f"<span style='color:#d93025'>⚠ {conflict.message}</span>")
        return "<br>".join(lines)

    def event(self, event: QEvent) -> bool:
        # Delete here means the selected bar, not the window's "delete lines" shortcut.
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected is not None:
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected is not None:
            self.deleteRequested.emit(self.selected)
            return
        if event.key() == Qt.Key.Key_Escape and self._drag is not None:
            self._drag.cancel()
            self._drag = None
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position().toPoint()
        hit = self.bar_at(pos)
        self.select(hit[0].id if hit else None)
        self._drag = BarDrag(self, hit[0], hit[1], pos) if hit else None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._drag is not None:
            self._drag.update(pos)
            return
        hit = self.bar_at(pos)
        shape = Qt.CursorShape.ArrowCursor
        if hit is not None:
            shape = Qt.CursorShape.SizeHorCursor if hit[1] != "body" else Qt.CursorShape.OpenHandCursor
        self.viewport().setCursor(shape)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        edit = drag.finish(event.position().toPoint())
        if edit is not None:
            self.editRequested.emit(edit)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self.bar_at(event.position().toPoint())
        if hit is not None:
            self.statusToggleRequested.emit(hit[0].id)

    # -- drops from the roster: enter → move (highlight the person's cell) → drop ----------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if crew_from_mime(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        crew_id = crew_from_mime(event.mimeData())
        day = self.day_at_x(event.position().toPoint().x())
        if crew_id is None or day is None or event.position().y() < HEADER_HEIGHT:
            self._set_drop_target(None)
            event.ignore()
            return
        self._set_drop_target((crew_id, day))
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_drop_target(None)

    def dropEvent(self, event: QDropEvent) -> None:
        crew_id = crew_from_mime(event.mimeData())
        day = self.day_at_x(event.position().toPoint().x())
        self._set_drop_target(None)
        if crew_id is None or day is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.crewDropped.emit(crew_id, day)

    def _set_drop_target(self, target: tuple[uuid.UUID, date] | None) -> None:
        if target != self.drop_target:
            self.drop_target = target
            self.viewport().update()
