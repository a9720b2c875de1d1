"""The crew calendar's look: sizes, the project palette, tentative and faint colours, its rows."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
)

if TYPE_CHECKING:
    pass



NAME_WIDTH = 210
HEADER_HEIGHT = 48
ROW_HEIGHT = 34
EDGE = 5
WEEK_DAY_START = 6.0  # hours before it are drawn at the day's left edge
WEEK_DAY_HOURS = 18.0
ZOOM_DAYS = {"week": 7, "month": 31}
MIN_DAY_WIDTH = {"week": 90.0, "month": 30.0}

# Distinct, calm hues that stay readable with white text; a project keeps its colour for good.
PALETTE = [QColor(c) for c in (
    "#2f6fdf", "#d97706", "#1b9e77", "#9d4edd", "#0e8a9e", "#c2418a",
    "#5a7d1a", "#3b5bab", "#b45309", "#0f766e", "#8a5a44", "#7b5cd6",
)]
CONFLICT = QColor("#d93025")
GRID = QColor("#e3e6eb")
WEEK_LINE = QColor("#c5cad3")
WEEKEND = QColor("#f4f5f8")
TODAY = QColor("#e8f0fe")
PROJECT_DAYS = QColor("#fff4d6")  # the days of the project the calendar opened on
PROJECT_BAND = QColor("#e0a100")
GROUP_BG = QColor("#eef1f6")
TEXT = QColor("#1f2733")
MUTED = QColor("#6b7482")
UNAVAILABLE = QColor("#c9ced6")


def project_colours(project_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, QColor]:
    """A colour per project from its id; a taken colour passes to the next free one, so up to a
    dozen projects never share one and a project keeps its colour while the set stays the same."""
    found: dict[uuid.UUID, QColor] = {}
    taken: set[int] = set()
    size = len(PALETTE)
    for project_id in sorted(project_ids, key=lambda p: p.int):
        slot = project_id.int % size
        if len(taken) < size:
            while slot in taken:
                slot = (slot + 1) % size
            taken.add(slot)
        found[project_id] = PALETTE[slot]
    return found


def tentative(colour: QColor) -> tuple[QColor, QBrush, QColor]:
    return tentative_rgb(colour.rgba())


@functools.cache
def tentative_rgb(rgba: int) -> tuple[QColor, QBrush, QColor]:
    colour = QColor.fromRgba(rgba)
    tint = QColor(colour)
    tint.setAlpha(40)
    stripes = QColor(colour)
    stripes.setAlpha(90)
    return tint, QBrush(stripes, Qt.BrushStyle.BDiagPattern), colour.darker(160)


def draw_rects(p: QPainter, rects: list[QRectF], radius: float) -> None:
    if radius:
        for rect in rects:
            p.drawRoundedRect(rect, radius, radius)
    else:
        p.drawRects(rects)


def faint(colour: QColor) -> QColor:
    faint = QColor(colour)
    faint.setAlpha(60)
    return faint


@dataclass(frozen=True, slots=True)
class CalendarRow:
    kind: str  # "group" or "crew"
    id: uuid.UUID | None  # the crew member's id, or the role's id for a group (None: no role)
    label: str
    detail: str = ""

