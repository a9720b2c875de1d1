"""The deadlines list as a table: a header row per group (overdue, this week…), then its deadlines.

A thin adapter over :meth:`DeadlineList.filtered <app.services.schedule.deadlines.DeadlineList.filtered>`:
each filter change resets the model with the groups it keeps (the rows are plain objects, so a
reset is cheap). The Done column is a checkbox on milestones; ticking one asks (``doneRequested``)
and the panel's undoable command writes it and calls :meth:`mark`, which keeps the row (struck
through) until the list is read again.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.schedule.deadlines import MILESTONE, Deadline, Group
from app.ui.widgets import TitledModel

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Done", "Due", "Deadline", "Kind", "Project", "Client", "Owner")
DONE, DUE, NAME, KIND, PROJECT, CLIENT, OWNER = range(len(COLUMNS))
OVERDUE_RED = QColor("#c62828")
DEADLINE_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's Deadline (None on a group header)


def day_text(day: date) -> str:
    return day.strftime("%a %d %b %Y").replace(" 0", " ")


def due_text(row: Deadline) -> str:
    """ "Mon 22 Feb 2027", a window "Fri 26 Feb 2027 – Wed 3 Mar 2027", or "no date"."""
    if row.first is None or row.last is None:
        return "no date"
    if row.first == row.last:
        return day_text(row.first)
    return f"{day_text(row.first)} – {day_text(row.last)}"


class DeadlinesTableModel(TitledModel):
    titles = COLUMNS
    doneRequested = Signal(object, bool)  # the milestone's Deadline, done or open again

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[Group | Deadline] = []
        self.counts: dict[Group, int] = {}
        self.headers: list[int] = []  # the rows that are group headers

    def set_groups(self, groups: list[tuple[Group, list[Deadline]]]) -> None:
        self.beginResetModel()
        self.entries = []
        self.counts = {}
        self.headers = []
        for group, rows in groups:
            self.headers.append(len(self.entries))
            self.entries.append(group)
            self.entries.extend(rows)
            self.counts[group] = len(rows)
        self.endResetModel()

    def header_rows(self) -> list[int]:
        return list(self.headers)

    def group_of_row(self, row: int) -> Group | None:
        at = bisect_right(self.headers, row) - 1
        entry = self.entries[self.headers[at]] if at >= 0 else None
        return entry if isinstance(entry, Group) else None

    def row_of(self, deadline_id: Any) -> int:
        return next(
            (i for i, e in enumerate(self.entries) if isinstance(e, Deadline) and e.row_id == deadline_id), -1
        )

    def mark(self, deadline_id: Any, done: bool, version: int) -> None:
        """The milestone was ticked done (or opened again): its row says so, struck through."""
        row = self.row_of(deadline_id)
        if row < 0:
            return
        entry = self.entries[row]
        assert isinstance(entry, Deadline)
        self.entries[row] = replace(entry, done=done, version=version)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- Qt -----------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)


    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        entry = self.entries[index.row()]
        if isinstance(entry, Group):
            return Qt.ItemFlag.ItemIsEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == DONE and entry.source == MILESTONE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if isinstance(entry, Group):
            return self._group_data(entry, column, role)
        if role == DEADLINE_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == DONE and entry.source == MILESTONE:
            return Qt.CheckState.Checked if entry.done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.FontRole and entry.done:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == DUE
            and not entry.done
            and self.group_of_row(index.row()) is Group.OVERDUE
        ):
            return QBrush(OVERDUE_RED)
        if role == Qt.ItemDataRole.ToolTipRole and column == DONE:
            return (
                "Tick when done (Edit › Undo takes it back)"
                if entry.source == MILESTONE
                else "Met when the order is sent (Project › Orders…)"
            )
        return None

    def _group_data(self, group: Group, column: int, role: int) -> Any:
        if column != DONE:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{group.label} ({self.counts.get(group, 0)})"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and group is Group.OVERDUE:
            return QBrush(OVERDUE_RED)
        return None

    @staticmethod
    def _text(entry: Deadline, column: int) -> str:
        if column == DUE:
            return due_text(entry)
        if column == NAME:
            return entry.name
        if column == KIND:
            return entry.kind_label
        if column == PROJECT:
            return entry.project_name
        if column == CLIENT:
            return entry.client_name
        if column == OWNER:
            return f"{entry.owner} · {entry.person}" if entry.person else entry.owner
        return ""

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or index.column() != DONE:
            return False
        entry = self.entries[index.row()]
        if isinstance(entry, Group) or entry.source != MILESTONE:
            return False
        done = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        if done != entry.done:
            self.doneRequested.emit(entry, done)
        return True
