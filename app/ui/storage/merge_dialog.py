"""Merge back, field by field: what the laptop brings, what the share keeps, and each conflict to decide."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.storage.offline import Conflict, MergeReport

LAPTOP, SHARE = "laptop", "share"
_HEADERS = ("What", "Field", "When it left", "On this laptop", "On the share", "Keep")


class MergeDialog(QDialog):
    """Shows a dry run's report; the user picks a side for each conflict, then merges."""

    def __init__(self, report: MergeReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle("Merge back")
        self.report = report
        self.resize(900, 520)
        summary = QLabel(
            f"<b>{len(report.applied)}</b> change(s) from this laptop will be written to the share; "
            f"<b>{len(report.kept)}</b> of the share's own are kept; "
            f"<b>{len(report.conflicts)}</b> field(s) changed on both sides need your decision.",
            self,
        )
        summary.setObjectName("mergeSummary")
        summary.setWordWrap(True)
        details = QPlainTextEdit("\n".join(report.lines()), self)
        details.setObjectName("mergeDetails")
        details.setReadOnly(True)
        details.setMaximumHeight(140)

        self.table = QTableWidget(len(report.conflicts), len(_HEADERS), self)
        self.table.setObjectName("mergeConflicts")
        self.table.setHorizontalHeaderLabels(list(_HEADERS))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.choices: list[QComboBox] = []
        for row, conflict in enumerate(report.conflicts):
            where = f" ({conflict.where})" if conflict.where else ""
            label = conflict.field_label
            texts = (f"{conflict.table_label} {conflict.label}{where}", label[:1].upper() + label[1:],
                     conflict.base_text, conflict.laptop_text, conflict.share_text)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
            choice = QComboBox(self.table)
            choice.addItem("— choose —", None)
            choice.addItem("This laptop's", LAPTOP)
            choice.addItem("The share's", SHARE)
            choice.currentIndexChanged.connect(self._update_buttons)
            self.table.setCellWidget(row, len(_HEADERS) - 1, choice)
            self.choices.append(choice)

        self.all_laptop = QPushButton("All from this laptop", self)
        self.all_laptop.setObjectName("mergeAllLaptop")
        self.all_laptop.clicked.connect(lambda: self._choose_all(LAPTOP))
        self.all_share = QPushButton("All from the share", self)
        self.all_share.setObjectName("mergeAllShare")
        self.all_share.clicked.connect(lambda: self._choose_all(SHARE))
        bulk = QHBoxLayout()
        bulk.addWidget(self.all_laptop)
        bulk.addWidget(self.all_share)
        bulk.addStretch(1)

        self.buttons = QDialogButtonBox(self)
        self.merge_button = self.buttons.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("mergeButton")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(details)
        if report.conflicts:
            layout.addWidget(QLabel("Changed on both sides — choose which value to keep:", self))
            layout.addWidget(self.table, 1)
            layout.addLayout(bulk)
        else:
            self.table.hide()
        layout.addWidget(self.buttons)
        self._update_buttons()

    def _choose_all(self, side: str) -> None:
        for choice in self.choices:
            choice.setCurrentIndex(choice.findData(side))

    def _update_buttons(self) -> None:
        self.merge_button.setEnabled(all(c.currentData() is not None for c in self.choices))

    def decisions(self) -> dict[Any, str]:
        out: dict[Any, str] = {}
        for conflict, choice in zip(self.report.conflicts, self.choices, strict=True):
            side = choice.currentData()
            if side is not None:
                out[_key(conflict)] = side
        return out


def _key(conflict: Conflict) -> Any:
    return conflict.key
