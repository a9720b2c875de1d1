"""Edit → Labour rules…: a table over the labour rule sets, each edit validated and saved at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableView, QVBoxLayout, QWidget

from app.services.labour.rules import (
    RULE_FIELDS,
    format_rule_value,
    load_rule_sets,
    save_rule_edit,
)
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.services.storage.versioned import ConcurrentEditError
from app.services.values import InputError
from app.ui.field_table import FieldTableModel

_TIPS = {
    "min_call_hours": "Each person is paid at least this many hours on any day they work.",
    "overtime_after_hours": "Hours a day after which time is overtime (empty: none).",
    "double_time_after_hours": "Hours a day after which time is double time (empty: none).",
    "weekly_overtime_after_hours": "Straight hours in a Mon–Sun week after which every hour is overtime.",
    "weekend_multiplier": "Saturday and Sunday: straight time × this; overtime pays the larger multiplier.",
    "holiday_multiplier": "Holidays (last column): straight time × this; overtime pays the larger.",
    "meal_break_after_hours": "A day longer than this loses the unpaid meal break.",
    "min_turnaround_hours": "Minimum rest between two calls of one person (the crew calendar checks it).",
    "holidays": "Dates paid at the holiday multiplier, e.g. 2027-05-31, 2027-07-05.",
}


class LabourRulesModel(FieldTableModel):
    """Rows are rule sets, columns their fields. setData saves at once or says why not."""

    editFailed = Signal(str)
    saved = Signal()

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(RULE_FIELDS, _TIPS, load_rule_sets(db), parent)
        self.db = db
        self.undo_stack = QUndoStack(self)

    def cell_text(self, key: str, value: Any) -> str:
        return format_rule_value(key, value)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self.rows[index.row()]
        key = RULE_FIELDS[index.column()].key
        old = row.values.get(key)
        if not self._save(index.row(), key, value):
            return False
        if row.values.get(key) != old:
            self.undo_stack.push(_RuleEdit(self, index.row(), key, old, row.values.get(key)))
        return True

    def _save(self, row_index: int, key: str, value: Any) -> bool:
        row = self.rows[row_index]
        try:
            changed = save_rule_edit(self.db, row, key, value)
        except (InputError, ConcurrentEditError, StorageError) as error:
            self.editFailed.emit(str(error))
            return False
        if changed:
            column = next(i for i, f in enumerate(RULE_FIELDS) if f.key == key)
            self.dataChanged.emit(self.index(row_index, column), self.index(row_index, column))
            self.saved.emit()
        return True


class _RuleEdit(QUndoCommand):
    def __init__(self, model: LabourRulesModel, row: int, key: str, old: Any, new: Any) -> None:
        super().__init__(f"Edit {key.replace('_', ' ')}")
        self.model, self.row, self.key, self.old, self.new = model, row, key, old, new
        self._first = True

    def redo(self) -> None:
        if self._first:  # already saved by setData
            self._first = False
            return
        self.model._save(self.row, self.key, self.new)

    def undo(self) -> None:
        self.model._save(self.row, self.key, self.old)


class LabourRulesDialog(QDialog):
    """Non-modal: open() it; each cell is saved when its editor closes."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labourRulesDialog")
        self.setWindowTitle("Labour rules")
        self.model = LabourRulesModel(db, self)
        self.table = QTableView(self)
        self.table.setObjectName("labourRulesTable")
        self.table.setModel(self.model)
        self.table.resizeColumnsToContents()
        self.message = QLabel(self)
        self.message.setObjectName("labourRulesMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b91c1c")
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.model.editFailed.connect(self._show_message)
        self.model.saved.connect(self.message.hide)
        for keys, slot in ((QKeySequence.StandardKey.Undo, self.model.undo_stack.undo),
                           (QKeySequence.StandardKey.Redo, self.model.undo_stack.redo)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        self.resize(980, 260)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
