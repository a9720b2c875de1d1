"""A table over records, one editable column per field: the skeleton the small editor dialogs share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt


class _Field(Protocol):
    key: str
    title: str


class FieldTableModel(QAbstractTableModel):
    """Rows are records with a ``values`` dict; columns are ``fields`` (``key``, ``title``).

    Subclasses say how a cell reads (``cell_text``) and saves (``setData``); the
    header, flags and sizes live here once.
    """

    def __init__(self, fields: Sequence[_Field], tips: Mapping[str, str], rows: list[Any],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self.tips = tips
        self.rows = rows

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def key_at(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return self.fields[index.column()].key

    def cell_text(self, key: str, value: Any) -> str:
        raise NotImplementedError

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.fields):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.fields[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tips.get(self.fields[section].key)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        key = self.key_at(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.cell_text(key, self.rows[index.row()].values.get(key))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tips.get(key)
        return None
