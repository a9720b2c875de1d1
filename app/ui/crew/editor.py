"""Crew members: who they are, the roles they can fill (and their own rates), the days they cannot work.

A non-blocking dialog over app.services.crew.people; every change is saved at once and is an
undoable command on the dialog's own stack (Ctrl+Z / Ctrl+Shift+Z while it has focus).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import CrewKind
from app.services.crew import people as crew
from app.services.crew.records import CrewInfo
from app.services.lookups import load_lookups
from app.services.money import format_number
from app.services.storage.database import Database
from app.services.values import InputError
from app.ui.field_table import CallCommand, RecordEditorDialog

_COLUMNS = ("Name", "Kind", "Max h/week", "Roles", "Days off")
_EDITABLE = {0: "name", 1: "kind", 2: "max_weekly_hours"}


class CrewTableModel(QAbstractTableModel):
    def __init__(self, dialog: CrewEditorDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.rows: list[CrewInfo] = []

    def set_rows(self, rows: list[CrewInfo]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def update_rows(self, stored: dict[uuid.UUID, CrewInfo]) -> None:
        """The rows shown take their stored values in place (no reset: an open cell editor stays)."""
        if not self.rows:
            return
        self.rows = [stored.get(m.id, m) for m in self.rows]
        self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(_COLUMNS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _COLUMNS[section] if 0 <= section < len(_COLUMNS) else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() in _EDITABLE else flags

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        member = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return member.name
        if column == 1:
            return member.kind.value
        if column == 2:
            return format_number(member.max_weekly_hours) if member.max_weekly_hours else ""
        if column == 3:
            names = sorted(self.dialog.role_names.get(r, "?") for r in member.role_ids)
            return ", ".join(names)
        return str(len(member.unavailable))

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in _EDITABLE:
            return False
        member = self.rows[index.row()]
        field = _EDITABLE[index.column()]
        old: Any = {"name": member.name, "kind": member.kind.value,
                    "max_weekly_hours": member.max_weekly_hours}[field]
        return self.dialog.run(CallCommand(
            f"Edit {_COLUMNS[index.column()].lower()}",
            lambda: self.dialog.update_member(member.id, **{field: value}),
            lambda: self.dialog.update_member(member.id, **{field: "" if old is None else old}),
        ))


class CrewEditorDialog(RecordEditorDialog):
    crewChanged = Signal()
    noun = "crew member"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, "crew", parent)
        self.setWindowTitle("Crew members")
        self.resize(980, 560)
        self.role_names: dict[uuid.UUID, str] = {}
        self.model = CrewTableModel(self)
        self.place_table(self.model, 3)

        self.roles = QTableWidget(0, 3, self)
        self.roles.setObjectName("crewRoles")
        self.roles.setHorizontalHeaderLabels(["Can fill", "Role", "Own cost rate /h"])
        self.roles.verticalHeader().hide()
        self.roles.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.days_off = QListWidget(self)
        self.days_off.setObjectName("crewDaysOff")
        self.day_edit = QDateEdit(QDate.currentDate(), self)
        self.day_edit.setObjectName("crewDayEdit")
        self.day_edit.setCalendarPopup(True)
        self.add_day_button = QPushButton("Add day off", self)
        self.add_day_button.setObjectName("crewAddDayButton")
        self.remove_day_button = QPushButton("Remove day off", self)
        self.remove_day_button.setObjectName("crewRemoveDayButton")

        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(self.buttons)
        right = QVBoxLayout()
        right.addWidget(QLabel("Roles this person can fill", self))
        right.addWidget(self.roles, 2)
        right.addWidget(QLabel("Days they cannot work", self))
        right.addWidget(self.days_off, 1)
        day_row = QHBoxLayout()
        day_row.addWidget(self.day_edit)
        day_row.addWidget(self.add_day_button)
        day_row.addWidget(self.remove_day_button)
        right.addLayout(day_row)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)

        self.add_day_button.clicked.connect(lambda: self._toggle_day(True))
        self.remove_day_button.clicked.connect(lambda: self._toggle_day(False))
        self.roles.itemChanged.connect(self._on_roles_itemChanged)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.shown())
        self.start(self.table, self.roles)

    # -- the records ---------------------------------------------------------------------

    def load_rows(self) -> list[CrewInfo]:
        with self.db.read() as conn:  # the roles as stored now (one may have been added or renamed)
            self.role_names = {r.id: r.name for r in load_lookups(conn).roles.values()}
        return sorted(crew.load_crew(self.db).values(), key=lambda m: m.name.lower())

    def add_record(self, name: str) -> uuid.UUID:
        return crew.add_crew_member(self.db, name, CrewKind.FREELANCE)

    def delete_record(self, record_id: uuid.UUID, version: int | None = None) -> None:
        # Always as stored now: the assignments keep the member's history, and an undo brings all back.
        crew.delete_crew_member(self.db, record_id, self.member(record_id).version)

    def restore_record(self, record_id: uuid.UUID) -> None:
        crew.restore_crew_member(self.db, record_id)

    def delete_question(self, row: CrewInfo) -> str:
        return f"Delete {row.name}? Their assignments stay on the calendar's history; you can undo this."

    def member(self, member_id: uuid.UUID) -> CrewInfo:
        fresh = crew.load_crew(self.db).get(member_id)
        if fresh is None:
            raise InputError("That crew member no longer exists.")
        return fresh

    def shown(self) -> None:
        """The current member's roles and days off."""
        member = self.current()
        self.roles.blockSignals(True)
        self.roles.setRowCount(0)
        self.days_off.clear()
        if member is not None:
            for row, (role_id, name) in enumerate(sorted(self.role_names.items(), key=lambda r: r[1])):
                self.roles.insertRow(row)
                check = QTableWidgetItem()
                check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                check.setCheckState(Qt.CheckState.Checked if role_id in member.role_ids
                                    else Qt.CheckState.Unchecked)
                check.setData(Qt.ItemDataRole.UserRole, str(role_id))
                label = QTableWidgetItem(name)
                label.setFlags(Qt.ItemFlag.ItemIsEnabled)
                rate = member.cost_rate_overrides.get(role_id)
                rate_item = QTableWidgetItem("" if rate is None else f"{rate:.2f}")
                rate_item.setData(Qt.ItemDataRole.UserRole, str(role_id))
                self.roles.setItem(row, 0, check)
                self.roles.setItem(row, 1, label)
                self.roles.setItem(row, 2, rate_item)
            for day in sorted(member.unavailable):
                item = QListWidgetItem(day.strftime("%a %d %b %Y"))
                item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
                self.days_off.addItem(item)
        self.roles.blockSignals(False)
        self.delete_button.setEnabled(member is not None)

    # -- after a save ----------------------------------------------------------------------

    def after_save(self) -> None:
        # The next edit reads the rows (its undo step keeps the old value): stored values at once.
        self.model.update_rows(crew.load_crew(self.db))

    def announce(self) -> None:
        self.crewChanged.emit()

    def update_member(self, member_id: uuid.UUID, **changes: Any) -> None:
        crew.update_crew_member(self.db, member_id, self.member(member_id).version, **changes)

    # -- slots ---------------------------------------------------------------------------------

    def _on_roles_itemChanged(self, item: QTableWidgetItem) -> None:
        member = self.current()
        if member is None:
            return
        role_id = uuid.UUID(item.data(Qt.ItemDataRole.UserRole))
        had = role_id in member.role_ids
        old_rate = member.cost_rate_overrides.get(role_id)
        if item.column() == 0:
            wanted = item.checkState() == Qt.CheckState.Checked
            if wanted == had:
                return
            self.run(self._role_command(member.id, role_id, wanted, old_rate, old_rate, had))
        elif item.column() == 2:
            text = item.text().strip()
            self.run(self._role_command(member.id, role_id, True, text or None, old_rate, had))

    def _role_command(self, member_id: uuid.UUID, role_id: uuid.UUID, fill: bool,
                      rate: Decimal | str | None, old_rate: Decimal | None, had: bool) -> CallCommand:
        def apply(on: bool, value: Decimal | str | None) -> None:
            if on:
                crew.set_crew_role(self.db, member_id, role_id, value)
            else:
                crew.remove_crew_role(self.db, member_id, role_id)

        return CallCommand("Change roles", lambda: apply(fill, rate), lambda: apply(had, old_rate))

    def _toggle_day(self, off: bool) -> None:
        member = self.current()
        if member is None:
            return
        if off:
            qdate = self.day_edit.date()
            day = date(qdate.year(), qdate.month(), qdate.day())
        else:
            item = self.days_off.currentItem()
            if item is None:
                return
            day = date.fromisoformat(item.data(Qt.ItemDataRole.UserRole))
        member_id = member.id
        self.run(CallCommand("Day off" if off else "Remove day off",
                       lambda: crew.set_unavailable(self.db, member_id, day, off),
                       lambda: crew.set_unavailable(self.db, member_id, day, not off)))
