"""Column widths and row heights a spreadsheet program cannot work out for a written workbook.

Excel and LibreOffice do not widen a column for a number (they print ``###``) nor grow a row
whose wrapped text was written by a program (the text overprints the rows below). These work
out both from the text as it will show, counting every character as wide as a digit (the
unit of a column's width) and a little more for bold and larger fonts, so they err on the
roomy side. Every sheet Tandem writes (quote, cost sheet, comparison) sizes through here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

LINE_HEIGHT = 15  # points: one line of the default 11 pt font (Excel's default row)
PADDING = 2  # characters of room beside the widest value
# How much wider (and taller) than 11 pt regular text each style's font runs.
SCALE = {"bold": 1.1, "large": 1.25, "title": 1.6}
_ROOM = 1.2  # a column's padding (0.7) and a little air, in Excel's width unit (one digit's width)


def _scale(bold: bool, scale: float | None) -> float:
    return scale if scale is not None else (SCALE["bold"] if bold else 1.0)


def text_width(text: str, bold: bool = False, scale: float | None = None) -> float:
    """How wide a text shows in Excel's width unit (one digit of the default font): its widest line."""
    widest = max((len(line) for line in text.splitlines()), default=0)
    return widest * _scale(bold, scale)


def fitted_width(shown: Iterable[str], heading: str = "", *, cap: float = 60.0, floor: float = 4.5) -> float:
    """A column as wide as the widest value it shows and as the longest word of its heading (the
    heading wraps at its spaces), but at most ``cap``: a longer text wraps, at its spaces, so the
    column still holds its longest word (up to twice ``cap``)."""
    texts = list(shown)
    widest = max((text_width(text) for text in texts), default=0.0)
    word = max((text_width(w) for text in texts for w in text.split()), default=0.0)
    heading_word = max((text_width(w, bold=True) for w in heading.split()), default=0.0)
    fitted = max(min(cap, widest + _ROOM), min(2 * cap, word + _ROOM))
    return round(max(floor, fitted, heading_word + _ROOM), 1)


def width_for(texts: Iterable[str], minimum: float, scale: float = 1.0) -> float:
    """A column width (in characters) that shows the widest of ``texts`` whole, on one line."""
    widest = max((text_width(t, scale=scale) for t in texts), default=0.0)
    return max(minimum, math.ceil(widest) + PADDING)


def wrapped_lines(text: str, width: float, bold: bool = False, scale: float | None = None) -> int:
    """How many lines ``text`` wraps to in a column ``width`` wide (word wrap, as Excel does)."""
    factor = _scale(bold, scale)
    room = max(1.0, width - _ROOM + 0.5)
    space = factor
    count = 0
    for paragraph in text.splitlines() or [""]:
        count += 1
        used = 0.0
        for word in paragraph.split():
            w = len(word) * factor
            if used and used + space + w > room:
                count += 1
                used = w
            else:
                used += (space if used else 0.0) + w
            while used > room:  # a word longer than the column breaks inside it
                count += 1
                used -= room
    return count


def height_for(text: str, width: float, scale: float = 1.0) -> float | None:
    """The row height (points) for ``text`` wrapped in ``width``; None when one line fits."""
    lines = wrapped_lines(text, width, scale=scale)
    return round(lines * LINE_HEIGHT * max(1.0, scale), 2) if lines > 1 else None
