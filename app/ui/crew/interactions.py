"""Mouse drags on the crew calendar as small state machines: press, drag (a preview), release (one edit).

A drag never writes: it only shows where the bar would go. Its ``finish`` returns
the edit to make, which the panel turns into one undo command.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from app.services.crew.records import AssignmentInfo

SNAP = timedelta(minutes=30)
MIN_LENGTH = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class BarEdit:
    assignment_id: uuid.UUID
    crew_member_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    text: str


def _snap(delta: timedelta) -> timedelta:
    steps = round(delta / SNAP)
    return steps * SNAP


class DragSurface(Protocol):
    """What a drag needs of the calendar (the view is one): its scale, who is under a point, the preview."""

    @property
    def day_width(self) -> float: ...

    @property
    def hour_width(self) -> float: ...

    def crew_at_y(self, y: int) -> uuid.UUID | None: ...

    def set_preview(self, edit: BarEdit | None) -> None: ...


class BarDrag:
    """Pressed on a bar: below the drag distance it is a click; beyond it, a move or a resize.

    ``zone`` is "body" (move to another day or person), "start" or "end" (change hours).
    """

    def __init__(self, view: DragSurface, bar: AssignmentInfo, zone: str, pressed_at: QPoint) -> None:
        self.view = view
        self.bar = bar
        self.zone = zone
        self.pressed_at = pressed_at
        self.dragging = False
        self.edit: BarEdit | None = None

    def update(self, pos: QPoint) -> None:
        if not self.dragging:
            if (pos - self.pressed_at).manhattanLength() < QApplication.startDragDistance():
                return
            self.dragging = True
        self.edit = self._edit_for(pos)
        self.view.set_preview(self.edit)

    def finish(self, pos: QPoint) -> BarEdit | None:
        """The edit to make on release, or None for a plain click or a drag back to the start."""
        if self.dragging:
            self.edit = self._edit_for(pos)
        self.view.set_preview(None)
        edit = self.edit
        bar = self.bar
        if edit is None or (edit.crew_member_id, edit.starts_at, edit.ends_at) == (
                bar.crew_member_id, bar.starts_at, bar.ends_at):
            return None
        return edit

    def cancel(self) -> None:
        self.view.set_preview(None)
        self.edit = None

    def _edit_for(self, pos: QPoint) -> BarEdit:
        bar = self.bar
        dx = pos.x() - self.pressed_at.x()
        if self.zone == "body":
            days = round(dx / self.view.day_width)
            crew_id = self.view.crew_at_y(pos.y()) or bar.crew_member_id
            shift = timedelta(days=days)
            return BarEdit(bar.id, crew_id, bar.starts_at + shift, bar.ends_at + shift, "Move assignment")
        delta = _snap(timedelta(hours=dx / self.view.hour_width))
        if self.zone == "end":
            ends = max(bar.starts_at + MIN_LENGTH, bar.ends_at + delta)
            return BarEdit(bar.id, bar.crew_member_id, bar.starts_at, ends, "Change hours")
        starts = min(bar.ends_at - MIN_LENGTH, bar.starts_at + delta)
        return BarEdit(bar.id, bar.crew_member_id, starts, bar.ends_at, "Change hours")
