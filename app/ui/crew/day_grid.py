"""A grid of rows down the side and days across, painting only what is in view: what the crew
calendar and the equipment timeline share (scrolling, zoom, going to a day, tooltips).

A subclass sets ``painting`` (a :class:`~app.ui.crew.calendar_painting.CalendarPainting` or one
derived from it) and answers :meth:`tooltip_at`; ``grid`` is its
:class:`~app.ui.crew.calendar_geometry.CalendarGeometry` (rows, days, scale, scroll position).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QHelpEvent, QKeySequence, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QLineEdit, QToolTip, QWidget

from app.services.values import InputError, parse_date
from app.ui.crew.calendar_geometry import CalendarGeometry
from app.ui.crew.calendar_style import HEADER_HEIGHT, NAME_WIDTH, ROW_HEIGHT
from app.ui.widgets import error_label

if TYPE_CHECKING:
    from app.ui.crew.calendar_painting import CalendarPainting


class DayGridView(QAbstractScrollArea):
    painting: CalendarPainting

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.grid = CalendarGeometry()
        self.horizontalScrollBar().valueChanged.connect(self._on_hscroll)
        self.verticalScrollBar().valueChanged.connect(self._on_vscroll)

    @property
    def zoom(self) -> str:
        return self.grid.zoom

    @property
    def day_width(self) -> float:
        return self.grid.day_width

    def x_of_day(self, day: date) -> float:
        return self.grid.x_of_day(day)

    def y_of_row(self, row: int) -> int:
        return self.grid.y_of_row(row)

    def _on_hscroll(self, value: int) -> None:
        self.grid.hscroll = value
        self.viewport().update()

    def _on_vscroll(self, value: int) -> None:
        self.grid.vscroll = value
        self.viewport().update()

    def set_zoom(self, zoom: str) -> None:
        """Week or month across the view, keeping the day at its left edge."""
        left = self.grid.day_at_x(NAME_WIDTH + 1)
        self.grid.zoom = zoom
        self._relayout()
        self._update_day_width()
        self._update_scrollbars()
        if left is not None:
            self.scroll_to_day(left, centre=False)
        self.viewport().update()

    def _relayout(self) -> None:
        """What the zoom changes besides the scale (the crew calendar's lanes)."""

    def scroll_to_day(self, day: date, centre: bool = True) -> None:
        x = (day - self.grid.start).days * self.day_width
        if centre:
            x -= (self.viewport().width() - NAME_WIDTH) / 2 - self.day_width / 2
        # Up to the whole pixel: at the left edge, none of the day before peeks in (nor its month's name).
        self.horizontalScrollBar().setValue(math.ceil(x))

    def scroll_to_row(self, row: int) -> None:
        """Bring a row into view (to the middle when it was out of it)."""
        vbar = self.verticalScrollBar()
        top = row * ROW_HEIGHT
        visible = self.viewport().height() - HEADER_HEIGHT
        if not vbar.value() <= top <= vbar.value() + visible - ROW_HEIGHT:
            vbar.setValue(top - visible // 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        try:
            self.painting.paint(painter, self.viewport().rect())
        finally:
            painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_day_width()
        self._update_scrollbars()

    def _update_day_width(self) -> None:
        self.grid.fit_day_width(self.viewport().width())

    def _update_scrollbars(self) -> None:
        grid = self.grid
        vw, vh = self.viewport().width(), self.viewport().height()
        content_w = int(grid.days * grid.day_width)
        hbar = self.horizontalScrollBar()
        hbar.setRange(0, max(0, content_w - (vw - NAME_WIDTH)))
        hbar.setPageStep(max(1, vw - NAME_WIDTH))
        hbar.setSingleStep(max(1, int(grid.day_width / 3)))
        vbar = self.verticalScrollBar()
        vbar.setRange(0, max(0, len(grid.rows) * ROW_HEIGHT - (vh - HEADER_HEIGHT)))
        vbar.setPageStep(max(1, vh - HEADER_HEIGHT))
        vbar.setSingleStep(ROW_HEIGHT // 2)

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
        """What the tooltip says at a point of the viewport ("": none)."""
        return ""


class GoToDateBox(QLineEdit):
    """Go to date (Ctrl+G): typed as every date in Tandem is (values.parse_date); Enter emits
    ``dayChosen``; a date refused is said in ``error`` (a red line beside it) and goes nowhere."""

    dayChosen = Signal(object)  # date

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setPlaceholderText("Go to date (Ctrl+G)")
        self.setToolTip("Type a date (2027-03-08, Mar 8 2027) and press Enter")
        self.setMaximumWidth(170)
        self.error = error_label(f"{name}Error", parent)
        self.returnPressed.connect(self._on_entered)
        self.textEdited.connect(lambda _text: self.error.clear())

    def ask(self) -> None:
        """Ctrl+G: into the box, its text selected, so the user types the date and presses Enter."""
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()

    def _on_entered(self) -> None:
        try:
            day = parse_date(self.text(), "The date")
        except InputError as error:
            self.error.setText(str(error))
            return
        self.error.clear()
        if day is not None:
            self.dayChosen.emit(day)


def panel_action(
    panel: QWidget, text: str, name: str, slot: Callable[[], Any], shortcut: str | None = None
) -> QAction:
    """An action of a place's panel; its key works only while the user is in the panel."""
    made = QAction(text, panel)
    made.setObjectName(name)
    if shortcut:
        made.setShortcut(QKeySequence(shortcut))
        made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    made.triggered.connect(slot)
    panel.addAction(made)
    return made


def zoom_actions(panel: QWidget, prefix: str, set_zoom: Callable[[str], None]) -> tuple[QAction, QAction]:
    """Week and Month, one checked (Month to start with)."""
    week = panel_action(panel, "Week", f"{prefix}ZoomWeek", lambda: set_zoom("week"))
    month = panel_action(panel, "Month", f"{prefix}ZoomMonth", lambda: set_zoom("month"))
    group = QActionGroup(panel)
    for made in (week, month):
        made.setCheckable(True)
        group.addAction(made)
    month.setChecked(True)
    return week, month
