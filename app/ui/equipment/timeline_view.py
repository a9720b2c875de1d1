"""The equipment timeline's grid: items down the side (grouped by category), days across.

Each item has a row of its day levels, a small chart per day: what each project holds stacked in
its colour (tentative hatched, as on the crew calendar), the owned line across, what can go out
that day (owned less out of service) dashed where it is lower, and the part held beyond it red.
Below it, a row per lane of bars: each project's hold from its first day to its last (prep and
return included), labelled with the project and the quantity, red-outlined where a day it spans is
short. It reads an :class:`~app.services.equipment.timeline.EquipmentTimeline` and never writes;
a double click on a bar asks to open that project's estimate.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPen, QStaticText
from PySide6.QtWidgets import QWidget

from app.models.enums import ProjectStatus
from app.services.equipment.timeline import (
    DayLevel,
    EquipmentTimeline,
    TimelineBar,
    TimelineRow,
    quantity_text,
)
from app.ui.crew.calendar_painting import CalendarPainting, draw_bars
from app.ui.crew.calendar_style import (
    CONFLICT,
    GRID,
    GROUP_BG,
    ROW_HEIGHT,
    TEXT,
    CalendarRow,
    faint,
    project_colours,
    tentative_rgb,
)
from app.ui.crew.day_grid import DayGridView

SHORT_DAY = faint(CONFLICT)  # the days an item is short, behind its rows
FIGURES_WIDTH = 90.0  # a day at least this wide says its figures (week zoom)
FIGURE_BG = QColor(255, 255, 255, 220)
CHART_PAD = 3


@dataclass(frozen=True, slots=True)
class RowData:
    """What a grid row shows: a category heading, an item's day levels, or one lane of its bars."""

    item: TimelineRow | None  # None: a category heading
    lane: int | None = None  # None: the item's levels row


class TimelineMarks:
    """The timeline marks nothing (no selection, no drags): what the crew calendar's painting asks."""

    selected = None
    preview = None
    drop_target = None


class TimelinePainting(CalendarPainting):
    """The crew calendar's day columns, names and header; the timeline's own levels and bars."""

    def __init__(self, view: EquipmentTimelineView) -> None:
        super().__init__(view.grid, TimelineMarks(), view.font())
        self.view = view

    def header_title(self) -> str:
        return f"Equipment · {sum(1 for r in self.view.row_data if r.item is not None and r.lane is None)}"

    def _paint_rows(self, p: QPainter, first: int, last: int, days: list[date], width: int) -> None:
        grid = self.geometry
        for row in range(first, last):
            data = self.view.row_data[row]
            y = grid.y_of_row(row)
            if data.item is None:
                p.fillRect(QRect(0, y, width, ROW_HEIGHT), GROUP_BG)
            else:
                for day in days:
                    if data.item.short_between(day, day):
                        p.fillRect(QRectF(grid.x_of_day(day), y, grid.day_width, ROW_HEIGHT), SHORT_DAY)
            p.setPen(GRID)
            p.drawLine(0, y + ROW_HEIGHT - 1, width, y + ROW_HEIGHT - 1)

    def _paint_bars(self, p: QPainter, first: int, last: int, days: list[date]) -> None:
        if not days:
            return
        metrics = QFontMetrics(self._small)
        p.setFont(self._small)
        filled: dict[int, list[QRectF]] = defaultdict(list)
        hatched: dict[int, list[QRectF]] = defaultdict(list)
        labels: dict[int, list[tuple[QPointF, QStaticText]]] = defaultdict(list)
        over: list[QRectF] = []  # held beyond what can go out
        short_bars: list[QRectF] = []
        owned_lines: list[tuple[float, float, float]] = []  # (x0, x1, y)
        available_lines: list[tuple[float, float, float]] = []
        for row in range(first, last):
            data = self.view.row_data[row]
            if data.item is None:
                continue
            if data.lane is None:
                self._chart(data.item, row, days, filled, hatched, over, owned_lines, available_lines)
            else:
                self._lane(data.item, data.lane, row, days, metrics, filled, hatched, labels, short_bars)
        draw_bars(p, filled, hatched, {}, 0.0, False)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(CONFLICT)
        p.drawRects(over)
        p.setPen(QPen(TEXT, 1.5))
        for x0, x1, y in owned_lines:
            p.drawLine(QPointF(x0, y), QPointF(x1, y))
        p.setPen(QPen(TEXT, 1, Qt.PenStyle.DashLine))
        for x0, x1, y in available_lines:
            p.drawLine(QPointF(x0, y), QPointF(x1, y))
        p.setPen(QPen(CONFLICT, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRects(short_bars)
        draw_bars(p, {}, {}, labels, 0.0, False)
        if self.geometry.day_width >= FIGURES_WIDTH:
            self._figures(p, first, last, days, metrics)

    def _figures(self, p: QPainter, first: int, last: int, days: list[date], metrics: QFontMetrics) -> None:
        """Wide days (week zoom): each levels cell says "692 of 400" in its corner, red when short."""
        for row in range(first, last):
            data = self.view.row_data[row]
            if data.item is None or data.lane is not None:
                continue
            for day in days:
                level = data.item.level(day)
                if not level.held:
                    continue
                text = f"{quantity_text(level.held)} of {quantity_text(level.available)}"
                width = metrics.horizontalAdvance(text) + 6
                box = QRectF(
                    self.geometry.x_of_day(day) + self.geometry.day_width - width - 3,
                    self.geometry.y_of_row(row) + 2,
                    width,
                    metrics.height(),
                )
                p.fillRect(box, CONFLICT if level.short else FIGURE_BG)
                p.setPen(QColor(Qt.GlobalColor.white) if level.short else TEXT)
                p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _chart(
        self,
        item: TimelineRow,
        row: int,
        days: list[date],
        filled: dict[int, list[QRectF]],
        hatched: dict[int, list[QRectF]],
        over: list[QRectF],
        owned_lines: list[tuple[float, float, float]],
        available_lines: list[tuple[float, float, float]],
    ) -> None:
        """The item's day levels: the holds stacked per day to scale, the owned line, red beyond."""
        grid = self.geometry
        bottom = grid.y_of_row(row) + ROW_HEIGHT - CHART_PAD
        unit = (ROW_HEIGHT - 2 * CHART_PAD) / self.view.scale(item)
        owned_y = bottom - float(item.stock.owned) * unit
        owned_lines.append((grid.x_of_day(days[0]), grid.x_of_day(days[-1]) + grid.day_width, owned_y))
        for day in days:
            level = self.view.level(item, day)
            x = grid.x_of_day(day) + 1
            width = max(grid.day_width - 2, 1.0)
            top = float(bottom)
            for bar in self.view.bars_on(item, day):
                height = float(bar.hold.quantity) * unit
                key = self.project_colour(bar.hold.project_id).rgba()
                (filled if bar.hold.confirmed else hatched)[key].append(
                    QRectF(x, top - height, width, height)
                )
                top -= height
            available_y = bottom - float(level.available) * unit
            if level.available < level.owned:
                available_lines.append((x - 1, x + width + 1, available_y))
            if level.short > 0:
                over.append(
                    QRectF(
                        x,
                        max(top, bottom - ROW_HEIGHT + CHART_PAD),
                        width,
                        available_y - max(top, bottom - ROW_HEIGHT + CHART_PAD),
                    )
                )

    def _lane(
        self,
        item: TimelineRow,
        lane: int,
        row: int,
        days: list[date],
        metrics: QFontMetrics,
        filled: dict[int, list[QRectF]],
        hatched: dict[int, list[QRectF]],
        labels: dict[int, list[tuple[QPointF, QStaticText]]],
        short_bars: list[QRectF],
    ) -> None:
        grid = self.geometry
        y = grid.y_of_row(row) + 4
        text_height = metrics.height()
        for bar in item.bars:
            hold = bar.hold
            if bar.lane != lane or hold.last < days[0] or hold.first > days[-1]:
                continue
            rect = self.view.bar_rect(bar, y)
            key = self.project_colour(hold.project_id).rgba()
            (filled if hold.confirmed else hatched)[key].append(rect)
            if self.view.bar_is_short(item, bar):
                short_bars.append(rect.adjusted(-1, -1, 1, 1))
            if rect.width() >= 18:
                text_key = 0xFFFFFFFF if hold.confirmed else tentative_rgb(key)[2].rgba()
                at = QPointF(
                    max(rect.x(), grid.x_of_day(days[0])) + 5, rect.y() + (rect.height() - text_height) / 2
                )
                labels[text_key].append((at, self._static(metrics, bar.label, int(rect.width()) - 9)))


class EquipmentTimelineView(DayGridView):
    barActivated = Signal(object)  # the Hold double-clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("equipmentTimeline")
        self.viewport().setObjectName("equipmentTimelineViewport")
        self.timeline: EquipmentTimeline | None = None
        self.row_data: list[RowData] = []
        self.category = ""  # "": every category
        self.name_filter = ""
        self.short_only = False
        self._scales: dict[uuid.UUID, float] = {}
        self._on_day: dict[uuid.UUID, dict[date, list[TimelineBar]]] = {}
        self.painting = TimelinePainting(self)

    # -- data ----------------------------------------------------------------------------------

    def set_timeline(self, timeline: EquipmentTimeline | None) -> None:
        self.timeline = timeline
        if timeline is not None:
            self.grid.start, self.grid.days = timeline.start, timeline.days
            self.painting.colours = project_colours(timeline.project_ids())
        self.refresh()

    def set_filters(self, category: str, name: str, short_only: bool) -> None:
        self.category, self.name_filter, self.short_only = category, name, short_only
        self.refresh()

    def refresh(self) -> None:
        """Rows from the timeline and the filters: a heading per category, then per item its levels
        row and a row per lane of its bars."""
        self.row_data, self.grid.rows, self.grid.row_of = [], [], {}
        self._scales, self._on_day = {}, {}
        needle = self.name_filter.strip().casefold()
        groups: dict[str, list[TimelineRow]] = {}
        for item in self.timeline.rows if self.timeline is not None else ():
            if self.category and item.stock.category != self.category:
                continue
            if (needle and needle not in item.stock.name.casefold()) or (self.short_only and not item.short):
                continue
            groups.setdefault(item.stock.category, []).append(item)
        for category, items in groups.items():
            self._add(RowData(None), CalendarRow("group", None, category or "No category", f"{len(items)}"))
            for item in items:
                self.grid.row_of[item.stock.id] = len(self.row_data)
                self._add(RowData(item), CalendarRow("item", item.stock.id, item.stock.name, item.detail()))
                for lane in range(item.lanes):
                    self._add(RowData(item, lane), CalendarRow("lane", item.stock.id, "", ""))
        self._update_scrollbars()
        self.viewport().update()

    def _add(self, data: RowData, row: CalendarRow) -> None:
        self.row_data.append(data)
        self.grid.rows.append(row)

    def visible_items(self) -> list[uuid.UUID]:
        return [d.item.stock.id for d in self.row_data if d.item is not None and d.lane is None]

    def level(self, item: TimelineRow, day: date) -> DayLevel:
        return item.level(day)

    def scale(self, item: TimelineRow) -> float:
        """The quantity a levels row is tall: the owned or the most held on a day, whichever is more."""
        found = self._scales.get(item.stock.id)
        if found is None:
            found = self._scales[item.stock.id] = float(max(item.stock.owned, item.peak_held)) or 1.0
        return found

    def bars_on(self, item: TimelineRow, day: date) -> list[TimelineBar]:
        """The bars of an item that hold on ``day``, confirmed first, then by lane (the stacking of its
        levels chart: what is short whatever the quotes do sits at the bottom)."""
        by_day = self._on_day.get(item.stock.id)
        if by_day is None:
            by_day = self._on_day[item.stock.id] = defaultdict(list)
            assert self.timeline is not None
            for bar in sorted(item.bars, key=lambda b: (not b.hold.confirmed, b.lane)):
                d = max(bar.hold.first, self.timeline.start)
                while d <= min(bar.hold.last, self.timeline.end):
                    by_day[d].append(bar)
                    d += timedelta(days=1)
        return by_day.get(day, [])

    def bar_is_short(self, item: TimelineRow, bar: TimelineBar) -> bool:
        return item.short_between(bar.hold.first, bar.hold.last)

    def bar_rect(self, bar: TimelineBar, y: float) -> QRectF:
        x0 = self.grid.x_of_day(bar.hold.first) + 2
        x1 = self.grid.x_of_day(bar.hold.last) + self.grid.day_width - 2
        return QRectF(x0, y, x1 - x0, ROW_HEIGHT - 8)

    # -- what is under a point ------------------------------------------------------------------

    def bar_at(self, pos: QPoint) -> TimelineBar | None:
        row = self.grid.row_at_y(pos.y())
        day = self.grid.day_at_x(pos.x())
        if row is None or day is None:
            return None
        data = self.row_data[row]
        if data.item is None or data.lane is None:
            return None
        return next(
            (b for b in data.item.bars if b.lane == data.lane and b.hold.first <= day <= b.hold.last), None
        )

    def tooltip_at(self, pos: QPoint) -> str:
        row, day = self.grid.row_at_y(pos.y()), self.grid.day_at_x(pos.x())
        if row is None or day is None or self.row_data[row].item is None:
            return ""
        data = self.row_data[row]
        assert data.item is not None
        if data.lane is None:
            return f"<b>{data.item.stock.name}</b> · {day:%a %d %b %Y}<br>{self.level(data.item, day).text()}"
        bar = self.bar_at(pos)
        if bar is None:
            return ""
        hold = bar.hold
        how = "confirmed" if hold.confirmed else "tentative"
        text = (
            f"<b>{hold.project_name}</b> ({ProjectStatus(hold.status).label.lower()}, {how})<br>"
            f"{quantity_text(hold.quantity)} × {data.item.stock.name}<br>"
            f"{hold.first:%a %d %b} – {hold.last:%a %d %b %Y}"
        )
        if self.bar_is_short(data.item, bar):
            text += f"<br><span style='color:{CONFLICT.name()}'>⚠ short on some of these days</span>"
        return text + "<br><i>Double-click: open its estimate</i>"

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        bar = self.bar_at(event.position().toPoint())
        if bar is not None:
            self.barActivated.emit(bar.hold)

    def scroll_to_item(self, item_id: uuid.UUID) -> None:
        row = self.grid.row_of.get(item_id)
        if row is not None:
            self.scroll_to_row(row)
