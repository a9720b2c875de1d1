"""Activities edited as master data: Project › Activities… and the navigator's client › Activities….

One :class:`~app.services.master_data.RecordKind`, owned by a project (``PROJECT_ACTIVITIES``) or
by a client with no project (``CLIENT_ACTIVITIES``): the subject is the row's name (any number of
rows may share one), then the kind, due date, owner, done and notes. Every change is validated
first (a clear one-line message, nothing written) and version-checked; ticking done stamps
``done_at`` in the same write, unticking clears it (:func:`set_done` does it for *My follow-ups*).
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import Activity
from app.models.enums import ActivityKind
from app.models.types import utcnow
from app.services.catalog.items import YES_NO
from app.services.master_data import FieldSpec, RecordKind, done_stamper, format_value, text
from app.services.storage.database import Database
from app.services.storage.versioned import update_versioned
from app.services.values import InputError, choice_of, flag, format_day, parse_date

ACTIVITY_T = Activity.__table__  # type: ignore[attr-defined]
SUBJECT_LENGTH = 200
KIND_CHOICES: list[tuple[Any, str]] = [(k.value, k.label) for k in ActivityKind]


def parse_subject(value: Any) -> str:
    return text("Subject", SUBJECT_LENGTH, required=True)(value)


def parse_due(value: Any) -> Any:
    return parse_date(value, "Due date")


def kind_label(value: str) -> str:
    try:
        return ActivityKind(value).label
    except ValueError:
        return value


def _check(_conn: Connection, values: dict[str, Any]) -> None:
    """A new row (whose values name its owner) needs a project or a client; an edit keeps its own."""
    owned = "project_id" in values or "client_id" in values
    if owned and values.get("project_id") is None and values.get("client_id") is None:
        raise InputError("An activity needs a project or a client: add it from one of them.")


PROJECT_ACTIVITIES = RecordKind(
    model=Activity,
    noun="activity",
    fields=(
        FieldSpec("subject", "Subject", parse_subject, tip="What it is about, in one line."),
        FieldSpec(
            "kind",
            "Kind",
            choice_of("Kind", ActivityKind),
            kind_label,
            choices=lambda _db: KIND_CHOICES,
            tip="Call, meeting, email, quote sent (Send quote logs these), follow-up or note.",
        ),
        FieldSpec(
            "due_date",
            "Due",
            parse_due,
            format_day,
            tip="When to do it: it is on its owner's My follow-ups until it is done.",
        ),
        FieldSpec("owner", "Owner", text("Owner", 100), tip="Whose follow-up it is (View › My follow-ups)."),
        FieldSpec("done", "Done", flag("Done"), choices=lambda _db: YES_NO, tip="Yes once it is done."),
        FieldSpec("notes", "Notes", text("Notes", 4000, multiline=True), format_value, multiline=True),
    ),
    order_by=("due_date", "created_at"),
    name_key="subject",
    unique_names=False,
    owner_key="project_id",
    check=_check,
    settle=done_stamper(ACTIVITY_T),
)
# A client's own activities (on no project): the same editor, owned by the client.
CLIENT_ACTIVITIES = dataclasses.replace(PROJECT_ACTIVITIES, owner_key="client_id")


def for_owner(kind: RecordKind, owner: str) -> RecordKind:
    """The kind whose new rows are ``owner``'s (the person at the keyboard, the project's AM)."""
    return dataclasses.replace(kind, new_values=lambda _db: {"owner": owner})


def set_done(db: Database, activity_id: uuid.UUID, version: int, done: bool) -> int:
    """Tick an activity done (``done_at`` now) or open again (cleared); the new version.

    EditConflict when someone changed it since ``version``; InputError when it is gone.
    """
    with db.write() as conn:
        if (
            conn.execute(
                select(ACTIVITY_T.c.id).where(
                    ACTIVITY_T.c.id == activity_id, ACTIVITY_T.c.deleted_at.is_(None)
                )
            ).first()
            is None
        ):
            raise InputError("That activity no longer exists; someone may have deleted it.")
        update_versioned(
            conn, ACTIVITY_T, activity_id, version, {"done": done, "done_at": utcnow() if done else None}
        )
    return version + 1
