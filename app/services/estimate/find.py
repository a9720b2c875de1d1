"""Find in an estimate: the sections and lines whose words hold what was typed, and the next one.

What is searched is what a user reads of a row: a section's name and client wording; a line's
description, client wording, supplier and role (by name). Any case; in the estimate's order.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence

from app.services.estimate.document import EstimateDocument


def row_texts(doc: EstimateDocument) -> Iterator[tuple[uuid.UUID, tuple[str, ...]]]:
    """Every section, then its lines, with the words Find looks at."""
    suppliers, roles = doc.lookups.suppliers, doc.lookups.roles
    for section in doc.sections:
        yield section.id, (section.name, section.client_description)
        for line in section.lines:
            supplier = suppliers.get(line.supplier_id) if line.supplier_id else None
            role = roles.get(line.role_id) if line.role_id else None
            yield (
                line.id,
                (
                    line.description,
                    line.client_text,
                    supplier.name if supplier else "",
                    role.name if role else "",
                ),
            )


def find_rows(doc: EstimateDocument, text: str) -> list[uuid.UUID]:
    """The rows holding ``text`` (stripped, any case) in any of their words; none for empty text."""
    wanted = text.strip().casefold()
    if not wanted:
        return []
    return [row_id for row_id, words in row_texts(doc) if any(wanted in w.casefold() for w in words)]


def next_match(
    doc: EstimateDocument, matches: Sequence[uuid.UUID], current: uuid.UUID | None, step: int
) -> uuid.UUID | None:
    """The match after (step 1) or before (-1) the row ``current``, going round; None when none.

    From no row (or a row gone), step 1 gives the first match and -1 the last."""
    if not matches:
        return None
    order = {row_id: n for n, (row_id, _words) in enumerate(row_texts(doc))}
    here = order.get(current) if current is not None else None
    if here is None:
        return matches[0] if step > 0 else matches[-1]
    placed = sorted(matches, key=lambda row_id: order.get(row_id, -1))
    if step > 0:
        return next((m for m in placed if order.get(m, -1) > here), placed[0])
    return next((m for m in reversed(placed) if order.get(m, -1) < here), placed[-1])
