"""The outlook's grid: a row per role (person-hours) and per stocked item (units), a column per week.

Each cell reads "wanted / on hand" (won plus probability-weighted open work, against supply); a week
over supply is red and bold, its tooltip naming the projects that cause it and their share. An
item's cell is its worst day's. No money in any role: the outlook counts hours and units only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.models.enums import ProjectStatus
from app.services.outlook.table import ITEM, Cell, Outlook, Row, Share, amount_text

CELL_ROLE = Qt.ItemDataRole.UserRole + 1  # the Cell itself
OVER_BACKGROUND = QColor("#f6c9c4")
OVER_TEXT = QColor("#8e1b12")
FULL_BACKGROUND = QColor("#fcefd2")  # within 10 % of supply: selling more is a risk
IDLE_TEXT = QColor("#9a9a9a")
FULL_SHARE = Decimal("0.9")
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def week_label(week: date) -> str:
    return f"Wk {week.isocalendar().week}\n{week.day} {week:%b}"


def row_label(row: Row) -> str:
    return f"{row.name} (units)" if row.kind == ITEM else f"{row.name} (h)"


def stage_text(status: str) -> str:
    return ProjectStatus(status).value.replace("_", " ")


def share_text(share: Share, cell: Cell) -> str:
    """ "Gala — won, 100 %: 96 h (86 %)"."""
    return (
        f"{share.project_name} — {stage_text(share.status)}, {amount_text(share.probability_pct)} %: "
        f"{amount_text(share.amount, cell.row.unit)} ({cell.part_pct(share):.0f} %)"
    )


def cell_tip(cell: Cell) -> str:
    unit = cell.row.unit
    when = f"week of {cell.week.day} {cell.week:%b %Y}"
    if cell.day is not None:  # an item: its worst day
        when += f", worst on {cell.day:%a} {cell.day.day} {cell.day:%b}"
    lines = [
        f"{cell.row.name}, {when}",
        f"Wanted {amount_text(cell.demand, unit)}: won {amount_text(cell.won, unit)} + open "
        f"{amount_text(cell.open, unit)} weighted by win probability",
        f"On hand {amount_text(cell.supply, unit)}"
        + (f" — over by {amount_text(cell.shortfall, unit)}" if cell.over else ""),
    ]
    if cell.shares:
        lines.append("Projects:" if not cell.over else "Projects causing it:")
        lines += [f"  {share_text(s, cell)}" for s in cell.shares]
    return "\n".join(lines)


def cell_text(cell: Cell) -> str:
    return f"{amount_text(cell.demand)} / {amount_text(cell.supply)}"


class OutlookModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table: Outlook | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_outlook(self, table: Outlook | None) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.table is None else len(self.table.weeks)

    def cell_at(self, index: QModelIndex | QPersistentModelIndex) -> Cell | None:
        table = self.table
        if table is None or not index.isValid():
            return None
        if not (0 <= index.row() < len(table.rows) and 0 <= index.column() < len(table.weeks)):
            return None
        return table.cell(table.rows[index.row()].id, table.weeks[index.column()])

    def index_of(self, row_id: Any, week: date) -> QModelIndex:
        table = self.table
        if table is None:
            return QModelIndex()
        rows = [r.id for r in table.rows]
        if row_id not in rows or week not in table.weeks:
            return QModelIndex()
        return self.index(rows.index(row_id), table.weeks.index(week))

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        cell = self.cell_at(index)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tip(cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRE
        if role == Qt.ItemDataRole.BackgroundRole:
            if cell.over:
                return QBrush(OVER_BACKGROUND)
            if cell.supply and cell.demand >= cell.supply * FULL_SHARE:
                return QBrush(FULL_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if cell.over:
                return QBrush(OVER_TEXT)
            return QBrush(IDLE_TEXT) if not cell.demand else None
        if role == Qt.ItemDataRole.FontRole and cell.over:
            return self._bold
        if role == CELL_ROLE:
            return cell
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        table = self.table
        if table is None:
            return None
        horizontal = orientation == Qt.Orientation.Horizontal
        count = len(table.weeks) if horizontal else len(table.rows)
        if not 0 <= section < count:
            return None
        if horizontal:
            week = table.weeks[section]
            over = any(table.cell(r.id, week).over for r in table.rows)
            if role == Qt.ItemDataRole.DisplayRole:
                return week_label(week)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Week of Monday {week.day} {week:%b %Y}" + (": over-booked" if over else "")
            if role == Qt.ItemDataRole.ForegroundRole and over:
                return QBrush(OVER_TEXT)
            if role == Qt.ItemDataRole.FontRole and over:
                return self._bold
            return None
        row = table.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return row_label(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{row.name}: units held on the worst day of each week, against owned less out of service"
                if row.kind == ITEM
                else f"{row.name}: person-hours wanted each week, against the hours of the crew who can do it"
            )
        return None
