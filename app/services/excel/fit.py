"""Column widths and row heights a spreadsheet program cannot work out for a written workbook.

Excel and LibreOffice do not widen a column for a number (they print ``###``) nor grow a row
whose wrapped text was written by a program (the text overprints the rows below). These work
out both from the text as it will show, counting every character as wide as a digit (the
unit of a column's width) and a little more for bold and larger fonts, so they err on the
roomy side.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable

PADDING = 2  # characters of room beside the widest value
LINE_POINTS = 15.0  # the height of one line of 11 pt text (Excel's default row)
# How much wider (and taller) than 11 pt regular text each style's font runs.
SCALE = {"bold": 1.1, "large": 1.25, "title": 1.6}


def width_for(texts: Iterable[str], minimum: float, scale: float = 1.0) -> float:
    """A column width (in characters) that shows the widest of ``texts`` whole."""
    widest = max((len(t) for t in texts), default=0)
    return max(minimum, math.ceil(widest * scale) + PADDING)


def wrapped_lines(text: str, width: float, scale: float = 1.0) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide."""
    per_line = max(1, int((width - 1) / scale))
    if len(text) <= per_line and "\n" not in text:
        return 1  # most texts: one line, without wrapping them to find out
    return sum(
        max(1, len(textwrap.wrap(paragraph, per_line, break_long_words=True)))
        for paragraph in (text.splitlines() or [""])
    )


def height_for(text: str, width: float, scale: float = 1.0) -> float | None:
    """The row height (points) for ``text`` wrapped in ``width``; None when one line fits."""
    lines = wrapped_lines(text, width, scale)
    return round(lines * LINE_POINTS * max(1.0, scale), 2) if lines > 1 else None
