"""A project's status moved along its lifecycle as one undoable command: Mark won asks which scenario,
Mark lost asks why; the move itself and what may follow what are the service's (lifecycle)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.models.enums import ProjectStatus
from app.services.projects import lifecycle
from app.services.storage.database import Database
from app.services.values import InputError
from app.ui.dialogs import UserDialogs
from app.ui.field_table import EDIT_ERRORS, CallCommand

S = ProjectStatus
VERBS = {
    S.LEAD: "Reopen as lead",
    S.ESTIMATING: "Back to estimating",
    S.QUOTED: "Mark quoted",
    S.WON: "Mark won…",
    S.IN_PRODUCTION: "Start production",
    S.DELIVERED: "Mark delivered",
    S.LOST: "Mark lost…",
    S.CANCELLED: "Cancel project",
    S.POSTPONED: "Postpone project",
}


def status_command(
    db: Database, project_id: uuid.UUID, target: ProjectStatus, dialogs: UserDialogs, parent: QWidget
) -> CallCommand | None:
    """The command that moves the project to ``target``, after asking what the move needs;
    None when the user cancelled. InputError when the move is not allowed (nothing asked)."""
    state = lifecycle.load_state(db, project_id)
    lifecycle.check_move(state.status, target)
    chosen: uuid.UUID | None = None
    reason = ""
    if target is S.WON:
        scenarios = lifecycle.estimate_choices(db, project_id)
        if not scenarios:
            raise InputError("Add the estimate the client accepted before marking the project won.")
        picked = dialogs.choose_item(
            parent, "Mark won", "Which scenario did the client choose?", [name for _, name in scenarios]
        )
        if picked is None:
            return None
        chosen = scenarios[picked][0]
    elif target is S.LOST:
        reasons = lifecycle.reason_choices(db)
        if reasons:
            index = dialogs.choose_item(parent, "Mark lost", "Why was the project lost?", reasons)
            if index is None:
                return None
            reason = reasons[index]
        else:
            typed = dialogs.ask_text(parent, "Mark lost", "Why was the project lost?")
            if typed is None:
                return None
            reason = typed
    before: list[lifecycle.ProjectState] = []

    def do() -> None:
        version = lifecycle.load_state(db, project_id).version if before else state.version
        before[:] = [
            lifecycle.change_status(db, project_id, version, target, chosen_estimate_id=chosen, reason=reason)
        ]

    return CallCommand(
        VERBS[target].rstrip("…"), do, lambda: lifecycle.restore_state(db, project_id, before[0])
    )



def move_project(
    db: Database, project_id: uuid.UUID, target: ProjectStatus, dialogs: UserDialogs, parent: QWidget,
    stack: QUndoStack, after: Callable[[], None], check: Callable[[], None] = lambda: None,
) -> bool:
    """The one way a project is moved from the window: ``check`` (the caller's own condition), the
    move's questions (:func:`status_command`), its first step, then pushed on ``stack``; each
    refusal is one message. True when the project moved."""
    title = VERBS[target].rstrip("…")

    def report(text: str) -> None:
        dialogs.error(parent, title, text)

    try:
        check()
        command = status_command(db, project_id, target, dialogs, parent)
    except EDIT_ERRORS as error:
        report(str(error))
        return False
    if command is None:
        return False
    command.report, command.after = report, after
    try:  # its first step now, pushed only if that worked (undo and redo report the same way)
        command._do()
    except EDIT_ERRORS as error:
        report(str(error))
        return False
    stack.push(command)
    return True
