"""The one optimistic-locking write of every table, and the errors that say someone else got there first.

Every service that edits stored rows (estimates, roles, labour rules, crew) writes through
:func:`update_versioned`; it sits with the storage so that none of them needs another's module.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.engine import Connection

from app.models.types import utcnow


class ConcurrentEditError(Exception):
    """Someone else changed or deleted the row since it was loaded; nothing was written."""


class EditConflict(ConcurrentEditError):
    """An update found the row changed (or deleted) by someone else; nothing was written.

    ``mine`` holds the values this edit wanted to write; ``theirs`` the values now
    stored for the same columns (None when the row was deleted), so the user can
    see both and choose.
    """

    def __init__(self, table: str, row_id: uuid.UUID, mine: dict[str, Any],
                 theirs: dict[str, Any] | None) -> None:
        what = "deleted" if theirs is None else "changed"
        super().__init__(f"Someone else {what} this since you opened it; nothing was saved.")
        self.table = table
        self.row_id = row_id
        self.mine = mine
        self.theirs = theirs

    @property
    def deleted(self) -> bool:
        return self.theirs is None


def update_versioned(conn: Connection, table: Any, row_id: uuid.UUID, version: int,
                     values: dict[str, Any]) -> None:
    """``UPDATE … WHERE id = ? AND version = ?``, bumping version and updated_at.

    The one optimistic-locking write of every table: when the row changed (or was
    deleted) since ``version`` was read, nothing is written and EditConflict says
    what is stored now.
    """
    result = conn.execute(
        update(table)
        .where(and_(table.c.id == row_id, table.c.version == version))
        .values(**values, version=version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:
        current = conn.execute(select(table).where(table.c.id == row_id)).first()
        theirs = None
        if current is not None and current.deleted_at is None:
            theirs = {k: getattr(current, k) for k in values if k in table.c}
        raise EditConflict(table.name, row_id, dict(values), theirs)
