"""When a milestone is due: its anchor day of the project plus its offset, or its fixed date.

A relative milestone moves with the show: it is worked out from the project's days each time it
is read, never stored. A milestone whose anchor day the project does not have yet is undated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.models.enums import DateAnchor

# The Project column each anchor names.
ANCHOR_COLUMNS: Mapping[DateAnchor, str] = {
    DateAnchor.LOAD_IN: "start_date",
    DateAnchor.SHOW_START: "show_start_date",
    DateAnchor.SHOW_END: "show_end_date",
    DateAnchor.STRIKE: "end_date",
}
# By the anchor's stored value: the deadlines list asks this for 30,000 milestones at a time.
_COLUMN_OF = {anchor.value: column for anchor, column in ANCHOR_COLUMNS.items()}
_FIXED = DateAnchor.FIXED.value


@dataclass(frozen=True, slots=True)
class Due:
    """The first day a milestone is due and the last (the same day unless it is a window)."""

    first: date
    last: date


def due(
    anchor: str,
    offset_days: int,
    fixed_date: date | None,
    duration_days: int,
    project: Mapping[str, Any] | Any,
) -> Due | None:
    """The milestone's days, from ``project``'s days (a mapping or a row with the Project columns).

    ``anchor`` empty: ``fixed_date`` (None: undated). Otherwise the anchor day + ``offset_days``
    (negative: before it); a window of ``duration_days`` > 0 ends that many days later.
    """
    if anchor == _FIXED:
        start = fixed_date
    else:
        column = _COLUMN_OF.get(anchor) or ANCHOR_COLUMNS[DateAnchor(anchor)]  # unknown: ValueError
        day = project.get(column) if isinstance(project, Mapping) else getattr(project, column)
        start = day + timedelta(days=offset_days) if day is not None else None
    if start is None:
        return None
    return Due(start, start + timedelta(days=max(duration_days, 0)))
