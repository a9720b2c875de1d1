"""The AM's client view as a Qt tree model: what the client sees, and nothing internal.

Only client-facing fields are read here: section names and client
descriptions, a line's client description (never its internal description,
which may name a supplier), quantities and prices. Optional lines are listed
apart as add-ons, each optional section as an option of its own, and the
alternatives not chosen last, with what they would change; none of them is in
the total. A kit's components and a sub-rental show in their line, as the quote
shows them (app.services.estimate.client_items).
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.models.enums import LineKind
from app.services.estimate.client_items import ClientItem, client_host, client_items, client_price, linked_to
from app.services.estimate.document import (
    PARAMETER_CHANGES,
    Change,
    ChangeKind,
    EstimateDocument,
    LineRow,
)
from app.services.estimate.pricing import ADDON, EXCLUDED
from app.services.money import ZERO, format_money, format_number
from app.ui.estimate.editor import EstimateEditor
from app.ui.estimate.production_cells import IN_ERROR_NOTE, LOSS_FG
from app.ui.estimate.production_columns import ROW_ID_ROLE, ROW_KIND_ROLE

ADDONS_TITLE = "Optional add-ons"
ALTERNATIVES_TITLE = "Alternatives"
SECTION, ADDONS, OPTION, ALTERNATIVES = "section", "addons", "option", "alternatives"
COLUMNS = ("Item", "Quantity", "Price")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_GROUP_BG = QBrush(QColor("#eef5ee"))
_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _READ_ONLY | Qt.ItemFlag.ItemIsEditable
_ADDON_FG = QBrush(QColor("#4b5563"))
_OPTION_BG = QBrush(QColor("#f3f4f6"))


@functools.cache
def _BOLD() -> QFont:  # a constant made on first use (a QFont needs the application)
    font = QFont()
    font.setBold(True)
    return font


@dataclass
class _Group:
    """A top-level row: a section, the add-ons, an optional section, or the alternatives."""

    kind: str
    section_id: uuid.UUID | None = None
    line_ids: list[uuid.UUID] = field(default_factory=list)


class ClientQuoteModel(QAbstractItemModel):
    """Sections → lines as the client reads them, then add-ons, options and alternatives.

    With an editor, the client descriptions are editable here (the AM's words).
    """

    editFailed = Signal(QModelIndex, str)

    def __init__(self, doc: EstimateDocument, editor: EstimateEditor | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.editor = editor
        self._groups: list[_Group] = []
        self._where: dict[uuid.UUID, tuple[int, int]] = {}
        self._placed: dict[uuid.UUID, tuple[str, uuid.UUID | None]] = {}
        self._items: dict[uuid.UUID, ClientItem] = {}  # shown line → it with the lines folded into it
        self._host: dict[uuid.UUID, uuid.UUID] = {}  # folded line → the line it shows in
        self._linked: dict[uuid.UUID, list[uuid.UUID]] = {}
        self._build()
        doc.subscribe(self._on_document_changed)

    def detach(self) -> None:
        self.doc.unsubscribe(self._on_document_changed)

    def _placement(self, line: LineRow) -> tuple[str, uuid.UUID | None]:
        """Which group a line shows in: (kind, section id for a section or an option)."""
        inclusion = self.doc.inclusion(line)
        if inclusion == EXCLUDED:
            return ALTERNATIVES, None
        section = self.doc.section(line.section_id)
        if section.optional:
            return OPTION, section.id
        if inclusion == ADDON:
            return ADDONS, None
        return SECTION, section.id

    def _build(self) -> None:
        sections: list[_Group] = []
        options: list[_Group] = []
        addons, alternatives = _Group(ADDONS), _Group(ALTERNATIVES)
        placed: dict[uuid.UUID, tuple[str, uuid.UUID | None]] = {}
        self._items = {}
        self._host = {}
        for section in self.doc.sections:
            group = _Group(OPTION if section.optional else SECTION, section.id)
            (options if section.optional else sections).append(group)
            by_group: dict[str, list[LineRow]] = {}
            for line in section.lines:
                place = placed[line.id] = self._placement(line)
                by_group.setdefault(place[0], []).append(line)
            for kind, lines in by_group.items():  # a kit's components, a sub-rental: in their line
                target = {SECTION: group, OPTION: group, ADDONS: addons, ALTERNATIVES: alternatives}[kind]
                for item in client_items(self.doc, lines):
                    target.line_ids.append(item.line.id)
                    self._items[item.line.id] = item
                    self._host.update((folded.id, item.line.id) for folded in item.folded)
        self._linked = linked_to(self.doc)
        groups = sections + ([addons] if addons.line_ids else []) + options
        if alternatives.line_ids:
            groups.append(alternatives)
        self._groups = groups
        self._placed = placed
        self._where = {
            line_id: (g, i) for g, group in enumerate(groups) for i, line_id in enumerate(group.line_ids)
        }
        self._where.update({g.section_id: (i, -1) for i, g in enumerate(groups) if g.section_id})

    def _grouped_right(self, line_id: uuid.UUID) -> bool:
        """True while a line sits in the right group (it may have become optional, or not chosen)
        and the lines linked to it still fold as they did (into it, or into nothing)."""
        if not self.doc.has_line(line_id) or (line_id not in self._where and line_id not in self._host):
            return False
        if self._placed.get(line_id) != self._placement(self.doc.line(line_id)):
            return False
        return self._folds_right(line_id)

    def _folds_right(self, line_id: uuid.UUID) -> bool:
        """True while a line and the lines linked to it, and theirs, fold into what they did."""
        todo, seen = [line_id], set()
        while todo:
            current = todo.pop()
            if current in seen or not self.doc.has_line(current):
                continue
            seen.add(current)
            host = client_host(self.doc, self.doc.line(current))
            if (host.id if host is not None else None) != self._host.get(current):
                return False
            todo.extend(self._linked.get(current, ()))
        return True

    def _shown_id(self, line_id: uuid.UUID) -> uuid.UUID:
        """The line the client reads ``line_id`` in (itself when it is shown)."""
        return self._host.get(line_id, line_id)

    def _item(self, line: LineRow) -> ClientItem:
        """The line as the client reads it, with the current rows of the lines folded into it."""
        item = self._items.get(line.id)
        if item is None or item.line is not line:
            return ClientItem(line)
        return item

    # -- structure -----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self._groups[parent.row()].line_ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        if row < 0 or not 0 <= column < len(COLUMNS):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0 or parent.row() >= len(self._groups):
            return QModelIndex()
        if row >= len(self._groups[parent.row()].line_ids):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def sibling(self, row: int, column: int, idx: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        """Same parent, other row or column, without going through parent() and index().

        Views call this for every row of a changed range; the default costs two calls into Python.
        """
        if not idx.isValid() or row < 0 or not 0 <= column < len(COLUMNS):
            return QModelIndex()
        key = idx.internalId()
        count = len(self._groups) if key == 0 else len(self._groups[key - 1].line_ids)
        return self.createIndex(row, column, key) if row < count else QModelIndex()

    def index_for_id(self, row_id: uuid.UUID, column: int = 0) -> QModelIndex:
        place = self._where.get(row_id)
        if place is None:
            return QModelIndex()
        g, i = place
        if i < 0:
            return self.index(g, column)
        return self.index(i, column, self.index(g, 0))

    def id_at(self, index: QModelIndex | QPersistentModelIndex) -> uuid.UUID | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._groups[index.row()].section_id
        return self._groups[index.internalId() - 1].line_ids[index.row()]

    # -- data ------------------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if section == 0 else _RIGHT
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.editor is not None and index.column() == 0 and self.id_at(index) is not None:
            return _EDITABLE
        return _READ_ONLY

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """The AM edits what the client reads: a section's or a line's client description."""
        row_id = self.id_at(index)
        if self.editor is None or role != Qt.ItemDataRole.EditRole or index.column() != 0 or row_id is None:
            return False
        if self.doc.has_line(row_id):
            message = self.editor.edit_line(row_id, "client_description", value)
        else:
            message = self.editor.edit_section(row_id, "client_description", value)
        if message:
            self.editFailed.emit(QModelIndex(index), message)
            return False
        return True

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._group_data(self._groups[index.row()], index.column(), role)
        group = self._groups[index.internalId() - 1]
        line = self.doc.line(group.line_ids[index.row()])
        return self._line_data(line, group.kind, index.column(), role)

    def _group_data(self, group: _Group, column: int, role: int) -> Any:
        if role == ROW_KIND_ROLE:
            return group.kind
        if role == ROW_ID_ROLE:
            return str(group.section_id) if group.section_id else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return _GROUP_BG if group.kind == SECTION else _OPTION_BG
        if role == Qt.ItemDataRole.FontRole:
            return _BOLD()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column == 0 else _RIGHT
        currency = self.doc.header.currency
        if group.kind == ADDONS:
            if role == Qt.ItemDataRole.DisplayRole and column == 0:
                return ADDONS_TITLE
            if role == Qt.ItemDataRole.DisplayRole and column == 2:
                price = sum((self._item(self.doc.line(i)).price for i in group.line_ids), ZERO)
                return format_money(price, currency)
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Options the client can add; not included in the total."
            return None
        if group.kind == ALTERNATIVES:
            if role == Qt.ItemDataRole.DisplayRole and column == 0:
                return ALTERNATIVES_TITLE
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Instead of an item in the quote; the price column says what choosing it would change."
            return None
        assert group.section_id is not None
        section = self.doc.section(group.section_id)
        if role == Qt.ItemDataRole.ToolTipRole:
            if group.kind == OPTION:
                return "An option the client can add; not included in the total."
            return self.doc.fill(section.client_description) or None
        if role == Qt.ItemDataRole.EditRole:
            return section.client_description if column == 0 else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            name = f"Option: {section.name}" if group.kind == OPTION else section.name
            if section.client_description:
                return f"{name} — {self.doc.fill(section.client_description)}"
            return name
        if column == 2:
            totals = self.doc.totals.groups.get(section.id)
            if totals is None:
                return format_money(ZERO, currency)
            return format_money(totals.optional_price if group.kind == OPTION else totals.price, currency)
        return None

    def _line_data(self, line: LineRow, kind: str, column: int, role: int) -> Any:
        item = self._item(line)
        if role == ROW_KIND_ROLE:
            return "line"
        if role == ROW_ID_ROLE:
            return str(line.id)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column == 0 else _RIGHT
        problem = next((ln.problem for ln in item.lines if ln.problem is not None), None)
        if problem is not None and role == Qt.ItemDataRole.ForegroundRole:
            return LOSS_FG
        if problem is not None and role == Qt.ItemDataRole.ToolTipRole and column != 0:
            return f"⚠ {problem.client_message}\n{IN_ERROR_NOTE}"
        if role == Qt.ItemDataRole.ForegroundRole and kind != SECTION:
            return _ADDON_FG
        if role == Qt.ItemDataRole.EditRole:
            return line.client_description if column == 0 else None
        if role == Qt.ItemDataRole.ToolTipRole and kind == ALTERNATIVES and column == 2:
            return f"Its own price: {format_money(item.price, self.doc.header.currency)}"
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            role = Qt.ItemDataRole.DisplayRole  # the whole wording, where the column cuts it short
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            if kind == ALTERNATIVES:
                chosen = self.doc.chosen_alternative(line.alternative_group)
                instead = f" (instead of {self.doc.client_text(chosen)})" if chosen is not None else ""
                return f"{self.doc.client_text(line)}{instead}"
            return self.doc.client_text(line)
        if column == 1:
            return client_quantity(line, item.quantity)
        if column == 2:
            if problem is not None:
                return "in error"
            currency = self.doc.header.currency
            if kind == ALTERNATIVES:
                chosen = self.doc.chosen_alternative(line.alternative_group)
                delta = item.price - (client_price(self.doc, chosen) if chosen is not None else ZERO)
                return ("+" if delta >= 0 else "") + format_money(delta, currency)
            return format_money(item.price, currency)
        return None

    # -- following the document ----------------------------------------------------------

    def _on_document_changed(self, change: Change) -> None:
        kind = change.kind
        structural = kind in (
            ChangeKind.RESET, ChangeKind.LINE_INSERTED, ChangeKind.LINE_REMOVED,
            ChangeKind.SECTION_INSERTED, ChangeKind.SECTION_REMOVED,
        )
        if structural:
            # The client view is a regrouping of the document (add-ons apart), so
            # structural edits rebuild it; they are rare next to value edits.
            if change.before:
                self.beginResetModel()
            else:
                self._build()
                self.endResetModel()
            return
        if kind is ChangeKind.LINE_CHANGED and change.row_id is not None:
            if not self._grouped_right(change.row_id):
                self.beginResetModel()
                self._build()
                self.endResetModel()
                return
            index = self.index_for_id(self._shown_id(change.row_id))  # a folded line: its kit's row
            if index.isValid():
                self.dataChanged.emit(index, index.siblingAtColumn(len(COLUMNS) - 1))
            self._groups_changed()
        elif kind is ChangeKind.SECTION_CHANGED and change.row_id is not None:
            if self._section_kind_changed(change.row_id):
                self.beginResetModel()
                self._build()
                self.endResetModel()
                return
            index = self.index_for_id(change.row_id)
            if index.isValid():
                self.dataChanged.emit(index, index.siblingAtColumn(len(COLUMNS) - 1))
        elif kind in PARAMETER_CHANGES and not change.before:
            self._texts_changed()  # client wording may name parameters: "({panels} panels)"
        elif kind is ChangeKind.LINES_RECALCULATED:  # quantities and prices: no line changes group
            self._lines_changed(change.row_ids)
        elif kind is ChangeKind.ALTERNATIVES_CHANGED:
            if not all(self._grouped_right(i) for i in change.row_ids if self.doc.has_line(i)):
                self.beginResetModel()
                self._build()
                self.endResetModel()
                return
            self._lines_changed(change.row_ids)

    def _texts_changed(self) -> None:
        """Repaint the client wording that names parameters ("({panels} panels)"), row by row.

        Only rows with a placeholder: a dataChanged from column 0 over many rows makes a
        tree view re-check every row's children.
        """
        for g, group in enumerate(self._groups):
            if group.section_id is not None and "{" in self.doc.section(group.section_id).client_description:
                index = self.index(g, 0)
                self.dataChanged.emit(index, index)
            parent = self.index(g, 0)
            for i, line_id in enumerate(group.line_ids):
                if "{" in self.doc.line(line_id).client_description:
                    index = self.index(i, 0, parent)
                    self.dataChanged.emit(index, index)

    def _section_kind_changed(self, section_id: uuid.UUID) -> bool:
        place = self._where.get(section_id)
        if place is None:
            return False
        was_option = self._groups[place[0]].kind == OPTION
        return was_option != self.doc.section(section_id).optional

    def _groups_changed(self) -> None:
        """Group rows carry subtotals; one dataChanged over the price column of them all."""
        if self._groups:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self._groups) - 1, 2))
            last = self._groups[-1]
            if last.kind == ALTERNATIVES:  # their differences follow the chosen lines' prices
                parent = self.index(len(self._groups) - 1, 0)
                self.dataChanged.emit(self.index(0, 0, parent),
                                      self.index(len(last.line_ids) - 1, len(COLUMNS) - 1, parent))

    def _lines_changed(self, row_ids: tuple[uuid.UUID, ...]) -> None:
        spans: dict[int, list[int]] = {}
        for row_id in row_ids:
            place = self._where.get(self._shown_id(row_id))
            if place is None:
                continue
            span = spans.setdefault(place[0], [place[1], place[1]])
            span[0], span[1] = min(span[0], place[1]), max(span[1], place[1])
        for g, (first, last) in sorted(spans.items()):
            # From column 1: quantities and prices change; a range from column 0 would make
            # the tree view re-check every row's children.
            parent = self.index(g, 0)
            self.dataChanged.emit(self.index(first, 1, parent), self.index(last, len(COLUMNS) - 1, parent))
        self._groups_changed()


def client_quantity(line: LineRow, quantity: Decimal | None = None) -> str:
    """Quantity as the client reads it: ``392 panel × 4 days``, ``8 person × 10 h`` (``quantity``:
    the line's with its sub-rentals', when they fold into it)."""
    text = f"{format_number(line.quantity if quantity is None else quantity)} {line.unit}".strip()
    if line.kind is LineKind.LABOUR and line.hours is not None:
        text += f" × {format_number(line.hours)} h"
    if line.days != 1:
        text += f" × {format_number(line.days)} days"
    return text
