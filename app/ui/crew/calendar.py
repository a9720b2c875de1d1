"""The crew calendar: people down the side grouped by role, days across, assignments as bars.

A DayGridView (app/ui/crew/day_grid.py, shared with the equipment timeline) that paints only the
rows and days in view, so a year of hundreds of people scrolls smoothly. It reads a CrewBoard and
never writes: drags and keys become requests (signals) that the panel turns into undo commands.

The view owns the rest: its ``grid`` (a CalendarGeometry: where things are, hit-testing;
not ``geometry``, which is QWidget's), its ``painting`` (which reads the grid and the
view's marks: selection, preview, drop target) and the drags (BarDrag, on a DragSurface).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
)
from PySide6.QtWidgets import QWidget

from app.ui.crew.calendar_painting import CalendarPainting
from app.ui.crew.calendar_style import (
    HEADER_HEIGHT,
    CalendarRow,
    project_colours,
)
from app.ui.crew.day_grid import DayGridView
from app.ui.crew.interactions import BarDrag, BarEdit
from app.ui.crew.roster import crew_from_mime

if TYPE_CHECKING:
    from PySide6.QtCore import QRectF

    from app.services.crew.board import CrewBoard
    from app.services.crew.records import AssignmentInfo


class CrewCalendarView(DayGridView):
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
        self.role_filter: uuid.UUID | None = None
        self.name_filter = ""
        self.selected: uuid.UUID | None = None
        self.preview: BarEdit | None = None
        self.drop_target: tuple[uuid.UUID, date] | None = None
        self._drag: BarDrag | None = None
        self.painting = CalendarPainting(self.grid, self, self.font())

    # -- what the geometry knows, asked of the view ------------------------------------------

    @property
    def board(self) -> CrewBoard | None:
        return self.grid.board

    @property
    def rows(self) -> list[CalendarRow]:
        return self.grid.rows

    @property
    def row_of(self) -> dict[uuid.UUID, int]:
        return self.grid.row_of

    @property
    def hour_width(self) -> float:
        return self.grid.hour_width

    def crew_at_y(self, y: int) -> uuid.UUID | None:
        return self.grid.crew_at_y(y)

    def bar_at(self, pos: QPoint) -> tuple[AssignmentInfo, str] | None:
        return self.grid.bar_at(pos)

    def assignment_rect(self, assignment_id: uuid.UUID) -> QRectF:
        return self.grid.assignment_rect(assignment_id)

    def project_colour(self, project_id: uuid.UUID) -> QColor:
        return self.painting.project_colour(project_id)

    def bar_colour(self, a: AssignmentInfo) -> QColor:
        return self.painting.bar_colour(a)

    # -- data ------------------------------------------------------------------------------

    def set_board(self, board: CrewBoard | None, start: date, days: int) -> None:
        self.grid.board = board
        self.grid.start = start
        self.grid.days = days
        self.refresh()

    def refresh(self) -> None:
        """Re-read the board (after any change) and re-apply the filters."""
        grid = self.grid
        grid.rows = []
        grid.row_of = {}
        grid.by_crew = defaultdict(list)
        board = grid.board
        if board is not None:
            self.painting.colours = project_colours(board.projects)
            for a in board.assignments.values():
                grid.by_crew[a.crew_member_id].append(a)
            for bars in grid.by_crew.values():
                bars.sort(key=lambda a: a.starts_at)
            grid.layout_lanes()
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

    def set_filters(self, role_id: uuid.UUID | None, name: str) -> None:
        self.role_filter = role_id
        self.name_filter = name
        self.refresh()

    def _relayout(self) -> None:
        self.grid.layout_lanes()

    def visible_crew(self) -> list[uuid.UUID]:
        return [r.id for r in self.rows if r.kind == "crew" and r.id is not None]

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
        self.scroll_to_row(row)

    def select(self, assignment_id: uuid.UUID | None) -> None:
        if assignment_id != self.selected:
            self.selected = assignment_id
            self.selectionChanged.emit(assignment_id)
            self.viewport().update()

    def set_preview(self, edit: BarEdit | None) -> None:
        self.preview = edit
        self.viewport().update()

    # -- events ------------------------------------------------------------------------------

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
        day = self.grid.day_at_x(event.position().toPoint().x())
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
        day = self.grid.day_at_x(event.position().toPoint().x())
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
