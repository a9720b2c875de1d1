"""*My follow-ups* as a table: a Done tick, the due day (red once overdue), subject, kind, project, client.

A thin adapter over :func:`~app.services.activities.follow_ups.my_follow_ups`' rows. Ticking Done asks
(``doneRequested``); the panel's undoable command writes it and calls :meth:`mark`, which keeps the
row (struck through) until the list is read again, so an unticked mistake is one click away.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.activities.follow_ups import ActivityRow
from app.services.activities.records import kind_label
from app.services.values import format_day

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Done", "Due", "Subject", "Kind", "Project", "Client")
DONE, DUE, SUBJECT, KIND, PROJECT, CLIENT = range(len(COLUMNS))
OVERDUE_RED = QColor("#c62828")
ACTIVITY_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's ActivityRow


class FollowUpsModel(QAbstractTableModel):
    doneRequested = Signal(object, bool)  # the ActivityRow, done or open again

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ActivityRow] = []
        self.today = date.today()

    def set_rows(self, rows: list[ActivityRow], today: date) -> None:
        self.beginResetModel()
        self.rows, self.today = list(rows), today
        self.endResetModel()

    def row_of(self, activity_id: uuid.UUID) -> int:
        return next((n for n, r in enumerate(self.rows) if r.id == activity_id), -1)

    def mark(self, activity_id: uuid.UUID, done: bool, version: int) -> bool:
        """The row ticked (or opened again) in place; False when it is not in the list."""
        row = self.row_of(activity_id)
        if row < 0:
            return False
        self.rows[row] = replace(self.rows[row], done=done, version=version)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return True

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == DONE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != DONE or role != Qt.ItemDataRole.CheckStateRole:
            return False
        self.doneRequested.emit(self.rows[index.row()], Qt.CheckState(value) == Qt.CheckState.Checked)
        return True

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == ACTIVITY_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == DONE:
            return Qt.CheckState.Checked if row.done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.FontRole and row.done:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == DUE and row.overdue(self.today):
            return QBrush(OVERDUE_RED)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == DONE:
                return "Tick when done (Edit › Undo takes it back)"
            return row.notes or None
        return None

    def _text(self, row: ActivityRow, column: int) -> str:
        if column == DUE:
            if row.due_date is None:
                return "no date"
            late = (self.today - row.due_date).days if row.overdue(self.today) else 0
            return f"{format_day(row.due_date)}" + (f" ({late} d late)" if late else "")
        return {
            DONE: "",
            SUBJECT: row.subject,
            KIND: kind_label(row.kind),
            PROJECT: row.project_name or "(the client)",
            CLIENT: row.client_name,
        }[column]
