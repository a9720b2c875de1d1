"""Small widgets several windows build the same way: a refusal message, a table of records."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

ERROR_STYLE = "QLabel { color: #b91c1c; }"


def error_label(object_name: str, parent: QWidget | None = None) -> QLabel:
    """A red, word-wrapped line that says why a value was refused (empty until then)."""
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def record_table(model: QAbstractItemModel, object_name: str, stretch_column: int,
                 parent: QWidget | None = None) -> QTableView:
    """A table of records edited one at a time: whole rows selected, one column takes the spare width."""
    table = QTableView(parent)
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().hide()
    return table
