"""The PM's breakdown as a Qt tree model: sections with their lines, costs, prices and margins."""

from __future__ import annotations

import json
import uuid
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from app.services.equipment.estimate_view import EquipmentWatch
from app.services.estimate.document import Change, ChangeKind, EstimateDocument, LineRow, SectionRow
from app.ui.estimate.delegates import NewName
from app.ui.estimate.editor import BusyMessage, EstimateEditor
from app.ui.estimate.production_cells import line_data, section_data
from app.ui.estimate.production_columns import (
    COLUMN_COUNT,
    COLUMN_INDEX,
    COLUMNS,
    LEFT,
    LINE_FLAGS,
    RIGHT,
    SECTION_FLAGS,
)

MIME_TYPE = "application/x-tandem-estimate-rows"


class ProductionTreeModel(QAbstractItemModel):
    """Two levels: sections (top) and their lines. Fed by an EstimateDocument.

    Child indexes carry a small integer key of their section in internalId, so
    that parent() stays right while sections move.
    """

    editFailed = Signal(QModelIndex, str)
    inputKept = Signal(QModelIndex, str)  # a busy database refused it: reopen with this text
    availabilityChanged = Signal()  # the equipment figures were worked out again

    def __init__(self, editor: EstimateEditor, parent: Any = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.doc: EstimateDocument = editor.doc
        self._key_of: dict[uuid.UUID, int] = {}
        self._section_of_key: dict[int, uuid.UUID] = {}
        # Equipment availability: worked out when asked for after a change; the cells that moved are
        # announced once the event loop runs (a paste of many lines: once).
        self.equipment = EquipmentWatch(self.doc)
        self._shown = self.equipment.shown_keys()
        self._reset = False  # a reset re-reads every cell: nothing to announce but the footer
        self._announce = QTimer(self)
        self._announce.setSingleShot(True)
        self._announce.setInterval(0)
        self._announce.timeout.connect(self._announce_availability)
        self.doc.subscribe(self._on_document_changed)

    def detach(self) -> None:
        self.doc.unsubscribe(self._on_document_changed)
        self._announce.stop()

    # -- structure -----------------------------------------------------------

    def _key(self, section_id: uuid.UUID) -> int:
        key = self._key_of.get(section_id)
        if key is None:
            key = len(self._key_of) + 1
            self._key_of[section_id] = key
            self._section_of_key[key] = section_id
        return key

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self.doc.sections)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self.doc.sections[parent.row()].lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        # Bounds by hand rather than hasIndex(): views call this for every row they lay out.
        if row < 0 or not 0 <= column < COLUMN_COUNT:
            return QModelIndex()
        sections = self.doc.sections
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(sections) else QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0 or parent.row() >= len(sections):
            return QModelIndex()
        section = sections[parent.row()]
        if row >= len(section.lines):
            return QModelIndex()
        return self.createIndex(row, column, self._key(section.id))

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        section_id = self._section_of_key.get(index.internalId())
        if section_id is None:
            return QModelIndex()
        try:
            row = self.doc.section_index(section_id)
        except KeyError:
            return QModelIndex()
        return self.createIndex(row, 0, 0)

    def sibling(self, row: int, column: int, idx: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        """Same parent, other row or column, without going through parent() and index().

        Views call this for every row of a changed range; the default costs two calls into Python.
        """
        if not idx.isValid() or row < 0 or not 0 <= column < COLUMN_COUNT:
            return QModelIndex()
        key = idx.internalId()
        if key == 0:
            count = len(self.doc.sections)
        else:
            section_id = self._section_of_key.get(key)
            if section_id is None:
                return QModelIndex()
            try:
                count = len(self.doc.section(section_id).lines)
            except KeyError:
                return QModelIndex()
        return self.createIndex(row, column, key) if row < count else QModelIndex()

    def row_at(self, index: QModelIndex | QPersistentModelIndex) -> SectionRow | LineRow | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            if index.row() < len(self.doc.sections):
                return self.doc.sections[index.row()]
            return None
        section_id = self._section_of_key.get(index.internalId())
        if section_id is None:
            return None
        try:
            lines = self.doc.section(section_id).lines
        except KeyError:
            return None
        return lines[index.row()] if index.row() < len(lines) else None

    def index_for_id(self, row_id: uuid.UUID, column: int = 0) -> QModelIndex:
        if self.doc.has_line(row_id):
            s, i = self.doc.locate(row_id)
            return self.index(i, column, self.index(s, 0))
        try:
            return self.index(self.doc.section_index(row_id), column)
        except KeyError:
            return QModelIndex()

    # -- data ------------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.numeric else LEFT
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        if index.internalId() == 0:
            return SECTION_FLAGS[index.column()]
        return LINE_FLAGS[index.column()]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        if isinstance(row, SectionRow):
            return section_data(self.doc, row, index.column(), role)
        return line_data(self.doc, row, index.column(), role, self.equipment.line(row.id))


    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_at(index)
        if row is None:
            return False
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
            if key == "optional" and isinstance(row, LineRow):
                message = self.editor.edit_line(row.id, "optional", checked)
            elif key == "optional":
                message = self.editor.edit_section(row.id, "optional", checked)
            elif key == "alternative" and isinstance(row, LineRow) and row.alternative_group and checked:
                message = self.editor.choose_alternative(row.id)
            else:
                return False
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif isinstance(row, SectionRow):
            message = self.editor.edit_section(row.id, "range" if key == "range" else "name", value)
        elif key == "supplier_id" and isinstance(value, NewName):
            message = self.editor.add_supplier_to_line(row.id, value)
        else:
            column = "alternative_group" if key == "alternative" else key
            message = self.editor.edit_line(row.id, column, value)
        if message:
            self.editFailed.emit(QModelIndex(index), message)
            if isinstance(message, BusyMessage) and role == Qt.ItemDataRole.EditRole:
                self.inputKept.emit(QModelIndex(index), "" if value is None else str(value))
            return False
        return True

    # -- drag and drop -------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        rows: list[dict[str, str]] = []
        seen: set[str] = set()
        for index in indexes:
            row = self.row_at(index)
            if row is None or str(row.id) in seen:
                continue
            seen.add(str(row.id))
            rows.append({"kind": "section" if isinstance(row, SectionRow) else "line", "id": str(row.id)})
        mime = QMimeData()
        mime.setData(MIME_TYPE, QByteArray(json.dumps(rows).encode()))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: QModelIndex | QPersistentModelIndex) -> bool:
        return self._drop_plan(data, row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: QModelIndex | QPersistentModelIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        plan = self._drop_plan(data, row, parent)
        if plan is None:
            return False
        kind, row_id, target_section, index = plan
        if kind == "section":
            self.editor.move_section(row_id, index)
        else:
            assert target_section is not None
            self.editor.move_line(row_id, target_section, index)
        # The move is done through the editor; nothing is left for the view to remove.
        return True

    def _drop_plan(self, data: QMimeData, row: int, parent: QModelIndex | QPersistentModelIndex
                   ) -> tuple[str, uuid.UUID, uuid.UUID | None, int] | None:
        """Where a dropped row goes: (kind, id, target section, index after removal)."""
        if not data.hasFormat(MIME_TYPE):
            return None
        try:
            rows = json.loads(bytes(data.data(MIME_TYPE).data()).decode())
            kind, row_id = rows[0]["kind"], uuid.UUID(rows[0]["id"])
        except (ValueError, KeyError, IndexError, TypeError):
            return None
        if len(rows) != 1:
            return None
        target = self.row_at(parent) if parent.isValid() else None
        if kind == "section":
            if target is not None or not self._section_exists(row_id):
                return None
            old = self.doc.section_index(row_id)
            index = len(self.doc.sections) if row < 0 else row
            return kind, row_id, None, index - 1 if index > old else index
        if not self.doc.has_line(row_id):
            return None
        if isinstance(target, LineRow):  # dropped onto a line: go just before it
            section_id, index = target.section_id, target.position
        elif isinstance(target, SectionRow):
            section_id = target.id
            index = len(target.lines) if row < 0 else row
        else:
            return None
        s_from, i_from = self.doc.locate(row_id)
        if self.doc.sections[s_from].id == section_id and index > i_from:
            index -= 1
        return kind, row_id, section_id, index

    def _section_exists(self, section_id: uuid.UUID) -> bool:
        try:
            self.doc.section_index(section_id)
        except KeyError:
            return False
        return True

    # -- following the document ----------------------------------------------------

    def _on_document_changed(self, change: Change) -> None:
        if self.equipment.follow(change):  # first: the views' reads below see fresh figures
            self._reset = self._reset or change.kind is ChangeKind.RESET
            self._announce.start()
        kind = change.kind
        if kind is ChangeKind.RESET:
            if change.before:
                self.beginResetModel()
            else:
                self.endResetModel()
        elif kind is ChangeKind.LINE_INSERTED:
            if change.before:
                self.beginInsertRows(self.index(change.section_index, 0), change.index, change.index)
            else:
                self.endInsertRows()
                self._section_totals_changed(change.section_index)
        elif kind is ChangeKind.LINE_REMOVED:
            if change.before:
                self.beginRemoveRows(self.index(change.section_index, 0), change.index, change.index)
            else:
                self.endRemoveRows()
                self._section_totals_changed(change.section_index)
        elif kind is ChangeKind.SECTION_INSERTED:
            if change.before:
                self.beginInsertRows(QModelIndex(), change.section_index, change.section_index)
            else:
                self.endInsertRows()
        elif kind is ChangeKind.SECTION_REMOVED:
            if change.before:
                self.beginRemoveRows(QModelIndex(), change.section_index, change.section_index)
            else:
                self.endRemoveRows()
        elif kind is ChangeKind.LINE_CHANGED:
            parent = self.index(change.section_index, 0)
            self.dataChanged.emit(self.index(change.index, 0, parent),
                                  self.index(change.index, len(COLUMNS) - 1, parent))
            self._section_totals_changed(change.section_index)
        elif kind is ChangeKind.SECTION_CHANGED:
            self._section_totals_changed(change.section_index)
            section = self.doc.sections[change.section_index]
            if section.lines:  # optional and range colour or change every line below
                parent = self.index(change.section_index, 0)
                self.dataChanged.emit(self.index(0, 0, parent),
                                      self.index(len(section.lines) - 1, COLUMN_COUNT - 1, parent))
        elif kind is ChangeKind.LINES_RECALCULATED:
            self._lines_changed(change.row_ids, first_column=1)
        elif kind is ChangeKind.ALTERNATIVES_CHANGED:
            self._lines_changed(change.row_ids)

    def _announce_availability(self) -> None:
        """The availability cells that show something else now, one by one, then the footer.

        One line's quantity moves the figures of every line of its item; only the cells whose text
        or colour changed are announced, each alone (a range makes the tree view look up every row).
        """
        before, self._shown = self._shown, self.equipment.shown_keys()
        if not self._reset:
            column = COLUMN_INDEX["availability"]
            for line_id in before.keys() | self._shown.keys():
                if before.get(line_id) != self._shown.get(line_id):
                    index = self.index_for_id(line_id, column)
                    if index.isValid():
                        self.dataChanged.emit(index, index)
        self._reset = False
        self.availabilityChanged.emit()

    def _lines_changed(self, row_ids: tuple[uuid.UUID, ...], first_column: int = 0) -> None:
        """One dataChanged per section over the span of its changed lines, and its subtotal row.

        Recalculated quantities leave the description alone: their range starts at column 1,
        since one from column 0 over many rows makes a tree view re-check every row's children.
        """
        spans: dict[int, list[int]] = {}
        for row_id in row_ids:
            if not self.doc.has_line(row_id):
                continue
            s, i = self.doc.locate(row_id)
            span = spans.setdefault(s, [i, i])
            span[0], span[1] = min(span[0], i), max(span[1], i)
        for s, (first, last) in sorted(spans.items()):
            parent = self.index(s, 0)
            self.dataChanged.emit(self.index(first, first_column, parent),
                                  self.index(last, COLUMN_COUNT - 1, parent))
            self._section_totals_changed(s)

    def _section_totals_changed(self, section_index: int) -> None:
        if 0 <= section_index < len(self.doc.sections):
            self.dataChanged.emit(self.index(section_index, 0),
                                  self.index(section_index, len(COLUMNS) - 1))

