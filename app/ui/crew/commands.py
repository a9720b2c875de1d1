"""Undoable crew calendar edits: each command changes the crew through CrewBoard, never a widget."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from app.models.enums import AssignmentStatus
from app.ui.estimate.commands import GuardedCommand

if TYPE_CHECKING:
    from app.services.crew.board import CrewBoard
    from app.services.crew.records import OpenPosition


class BoardCommand(GuardedCommand):
    def __init__(self, board: CrewBoard, text: str) -> None:
        super().__init__(text)
        self.board = board


class AssignCrew(BoardCommand):
    """Put a person on an open position; undo deletes the assignment, redo restores that same row."""

    def __init__(self, board: CrewBoard, crew_member_id: uuid.UUID, position: OpenPosition) -> None:
        super().__init__(board, f"Assign to {position.project_name}")
        self.crew_member_id = crew_member_id
        self.position = position
        self.assignment_id = uuid.uuid4()
        self._created = False

    def apply(self) -> None:
        if self._created:
            self.board.restore(self.assignment_id)
            return
        self.board.assign(self.crew_member_id, self.position, assignment_id=self.assignment_id)
        self._created = True

    def revert(self) -> None:
        self.board.delete(self.assignment_id)


class MoveAssignment(BoardCommand):
    """Another person, day or hours for an assignment (a moved or resized bar)."""

    def __init__(self, board: CrewBoard, assignment_id: uuid.UUID, crew_member_id: uuid.UUID,
                 starts_at: datetime, ends_at: datetime, text: str = "Move assignment") -> None:
        super().__init__(board, text)
        self.assignment_id = assignment_id
        self.target = (crew_member_id, starts_at, ends_at)
        self.origin: tuple[uuid.UUID, datetime, datetime] | None = None

    def apply(self) -> None:
        self.origin = self.board.move(self.assignment_id, *self.target)

    def revert(self) -> None:
        assert self.origin is not None
        self.board.move(self.assignment_id, *self.origin)


class SetAssignmentStatus(BoardCommand):
    def __init__(self, board: CrewBoard, assignment_id: uuid.UUID, status: AssignmentStatus) -> None:
        text = "Confirm assignment" if status == AssignmentStatus.CONFIRMED else "Make assignment tentative"
        super().__init__(board, text)
        self.assignment_id = assignment_id
        self.status = status
        self.old = status

    def apply(self) -> None:
        self.old = self.board.set_status(self.assignment_id, self.status)

    def revert(self) -> None:
        self.board.set_status(self.assignment_id, self.old)


class DeleteAssignment(BoardCommand):
    def __init__(self, board: CrewBoard, assignment_id: uuid.UUID) -> None:
        super().__init__(board, "Delete assignment")
        self.assignment_id = assignment_id

    def apply(self) -> None:
        self.board.delete(self.assignment_id)

    def revert(self) -> None:
        self.board.restore(self.assignment_id)
