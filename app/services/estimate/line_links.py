"""A link column of an estimate's lines, as the open document holds it.

A part built before the document's lines carry a column (the kit link, a followed supplier quote
item) reads it as stored instead, in one query, so it works both before and after the lines learn it.
"""

from __future__ import annotations

import uuid
from dataclasses import fields

from sqlalchemy import select

from app.models import LineItem, Section
from app.services.estimate.document import EstimateDocument
from app.services.estimate.rows import LineRow

LINE_T = LineItem.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
_CARRIED = frozenset(f.name for f in fields(LineRow))


def line_links(doc: EstimateDocument, column: str) -> dict[uuid.UUID, uuid.UUID]:
    """Line id → the id the line's ``column`` names, for the document's lines that name one."""
    if column in _CARRIED:
        links = ((line.id, getattr(line, column)) for line in doc.lines())
        return {line_id: value for line_id, value in links if value is not None}
    value = LINE_T.c[column]
    with doc.db.read() as conn:
        rows = conn.execute(
            select(LINE_T.c.id, value)
            .join(SECTION_T, LINE_T.c.section_id == SECTION_T.c.id)
            .where(
                SECTION_T.c.estimate_id == doc.estimate_id,
                value.is_not(None),
                LINE_T.c.deleted_at.is_(None),
                SECTION_T.c.deleted_at.is_(None),
            )
        )
        return {row[0]: row[1] for row in rows if doc.has_line(row[0])}
