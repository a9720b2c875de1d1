"""The breakdown tree's columns: keys, titles, widths, item roles and each column's flags."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_KIND_ROLE = Qt.ItemDataRole.UserRole + 2
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 3
MULTILINE_ROLE = Qt.ItemDataRole.UserRole + 4  # True: the cell is edited on several lines (notes)
NEW_NAME_ROLE = Qt.ItemDataRole.UserRole + 5  # True: a name typed into the choice list may be new

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    numeric: bool = False
    width: int = 80


COLUMNS = (
    # What it is and how much (and how many of it are free), then the money (visible without
    # scrolling), then the call's schedule and split, then who supplies or fills it.
    Column("description", "Description", width=220),
    Column("kind", "Kind", width=78),
    Column("quantity", "Qty", True, 48),
    Column("unit", "Unit", width=58),
    Column("availability", "Availability", True, 88),  # free / owned of stock over the project's days
    Column("days", "Days", True, 42),
    Column("hours", "Hours", True, 46),
    Column("unit_cost", "Unit cost", True, 78),
    Column("cost", "Cost", True, 88),
    Column("markup_pct", "Markup", True, 70),
    Column("unit_price", "Unit price", True, 78),
    Column("price", "Price", True, 92),
    Column("margin_pct", "Margin", True, 66),
    Column("range", "Range", width=112),
    Column("phase", "Phase", width=70),
    Column("call_date", "Date", width=84),
    Column("start_time", "Start", width=50),
    Column("end_time", "End", width=50),
    Column("paid", "Paid", width=120),
    Column("supplier_id", "Supplier", width=150),
    Column("quote", "Quote", width=80),  # the supplier quote the unit cost follows (red: expired)
    Column("role_id", "Role", width=110),
    Column("optional", "Optional", width=64),
    Column("alternative", "Alternative", width=110),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
_LINE_EDITABLE = {c.key for c in COLUMNS} - {"cost", "optional", "paid", "availability", "quote"}
_SECTION_EDITABLE = {"description", "range"}
COLUMN_COUNT = len(COLUMNS)


def _column_flags(editable: set[str], checkable: set[str], extra: Qt.ItemFlag) -> tuple[Qt.ItemFlag, ...]:
    """Flags per column, computed once: flags() is called for every row on every layout."""
    base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled | extra
    return tuple(
        base
        | (Qt.ItemFlag.ItemIsEditable if c.key in editable else Qt.ItemFlag.NoItemFlags)
        | (Qt.ItemFlag.ItemIsUserCheckable if c.key in checkable else Qt.ItemFlag.NoItemFlags)
        for c in COLUMNS
    )


SECTION_FLAGS = _column_flags(_SECTION_EDITABLE, {"optional"}, Qt.ItemFlag.ItemIsDropEnabled)
LINE_FLAGS = _column_flags(_LINE_EDITABLE, {"optional", "alternative"}, Qt.ItemFlag.NoItemFlags)
