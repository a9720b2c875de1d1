"""Project › Clone for next year…: the copy's name, and how far its dates move (days, or the new load-in).

The offset and the new load-in follow each other; the name's year follows the offset until the user
types a name of their own. The copying is the service's (app/services/projects/clone.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.services.projects.clone import MAX_OFFSET_DAYS, NAME_MAX, NEXT_YEAR_DAYS, suggest_name


class CloneProjectDialog(QDialog):
    def __init__(self, name: str, load_in: date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cloneProjectDialog")
        self.setWindowTitle("Clone for next year")
        self._source, self._load_in = name, load_in
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("cloneNameEdit")
        self.name_edit.setMaxLength(NAME_MAX)
        self.offset_box = QSpinBox(self)
        self.offset_box.setObjectName("cloneOffsetBox")
        self.offset_box.setRange(-MAX_OFFSET_DAYS, MAX_OFFSET_DAYS)
        self.offset_box.setSuffix(" days")
        self.offset_box.setToolTip("364 days = 52 weeks: every day falls on the same weekday")
        self.load_in_edit = QDateEdit(self)
        self.load_in_edit.setObjectName("cloneLoadInEdit")
        self.load_in_edit.setCalendarPopup(True)
        self.load_in_edit.setDisplayFormat("ddd d MMM yyyy")
        self.load_in_edit.setEnabled(load_in is not None)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"A copy of “{name}” with its estimate, every date moved.", self))
        form.addRow("Name:", self.name_edit)
        form.addRow("Move dates by:", self.offset_box)
        form.addRow("New load-in:", self.load_in_edit)
        form.addRow(self.buttons)
        self._suggested = ""
        self.offset_box.valueChanged.connect(self._offset_changed)
        self.load_in_edit.dateChanged.connect(self._load_in_changed)
        self.offset_box.setValue(NEXT_YEAR_DAYS)
        self._offset_changed(NEXT_YEAR_DAYS)

    @property
    def offset_days(self) -> int:
        return self.offset_box.value()

    @property
    def new_name(self) -> str:
        return self.name_edit.text()

    def _offset_changed(self, days: int) -> None:
        if self._load_in is not None:
            moved = self._load_in + timedelta(days=days)
            self.load_in_edit.blockSignals(True)
            self.load_in_edit.setDate(QDate(moved.year, moved.month, moved.day))
            self.load_in_edit.blockSignals(False)
        if self.name_edit.text() in ("", self._suggested):  # the user's own name stays
            self._suggested = suggest_name(self._source, self._load_in, days)
            self.name_edit.setText(self._suggested)

    def _load_in_changed(self, day: QDate) -> None:
        if self._load_in is not None:
            self.offset_box.setValue(
                date(day.year(), day.month(), day.day()).toordinal() - self._load_in.toordinal()
            )
