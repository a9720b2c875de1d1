"""StaffingTableModel: a project's labour calls by day, filled vs needed, planned vs estimated hours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.models.enums import CallPhase
from app.services.crew.staffing import CallStaffing, ProjectStaffing, StaffingDay
from app.services.money import format_number

HEADERS = ("Call", "Role", "Phase", "Day", "Needed", "Filled", "Estimated h", "Planned h")
_FILLED, _PLANNED = 5, 7
SHORT = QColor("#f8d7d3")  # fewer people or hours on the calendar than the estimate prices
OVER = QColor("#fdebc8")  # more on the calendar than the estimate prices


def _hours(value: Decimal) -> str:
    return format_number(value) or "0"


class StaffingTableModel(QAbstractTableModel):
    """One row per call and day; cells where the calendar and the estimate differ are tinted."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[CallStaffing, StaffingDay]] = []

    def set_staffing(self, staffing: ProjectStaffing | None) -> None:
        self.beginResetModel()
        self._rows = [(c, d) for c in staffing.calls for d in c.days] if staffing else []
        self.endResetModel()

    def row(self, row: int) -> tuple[CallStaffing, StaffingDay]:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        call, day = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(call, day, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            pair = {_FILLED: (day.filled, day.needed), _PLANNED: (day.planned_hours, day.estimated_hours)}
            if column in pair and pair[column][0] != pair[column][1]:
                return QBrush(SHORT if pair[column][0] < pair[column][1] else OVER)
        if role == Qt.ItemDataRole.ToolTipRole and column in (_FILLED, _PLANNED) and day.differs:
            return (f"Calendar: {day.filled} people, {_hours(day.planned_hours)} h; "
                    f"estimate: {day.needed} people, {_hours(day.estimated_hours)} h")
        return None

    @staticmethod
    def _display(call: CallStaffing, day: StaffingDay, column: int) -> str:
        phase = call.call.phase
        values = (
            call.call.description,
            call.role_name or "—",
            CallPhase(phase).label if phase in CallPhase._value2member_map_ else "",
            day.day.strftime("%a %d %b") if day.day else "undated",
            str(day.needed),
            str(day.filled),
            _hours(day.estimated_hours),
            _hours(day.planned_hours),
        )
        return values[column]
