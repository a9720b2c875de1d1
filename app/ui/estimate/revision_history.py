"""The revision history of a quote: the sent revisions, and what changed between any two of them.

The dialog only reads: sending is :func:`app.services.estimate.revisions.send_quote`, wired to a menu by
the main window. The differences are a tree (:class:`RevisionDiffModel`) fed by a
:class:`~app.services.estimate.revision_diff.RevisionDiff`: totals first, then the estimate's terms,
sections, and the added, removed and changed lines with the fields that changed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.services.estimate.document import EstimateDocument
from app.services.estimate.revision_diff import FieldChange, RevisionDiff, diff_snapshots
from app.services.estimate.revisions import (
    RevisionInfo,
    current_revision_label,
    list_revisions,
    load_revision,
    snapshot_of,
)
from app.services.money import format_money
from app.services.storage.database import Database

ADDED, REMOVED, CHANGED, FIELD, GROUP, TOTAL = "added", "removed", "changed", "field", "group", "total"
TONE_ROLE = Qt.ItemDataRole.UserRole + 1  # which kind of row: tests and delegates ask this

_COLOURS = {
    ADDED: QColor("#1b7f3b"),
    REMOVED: QColor("#c62828"),
    CHANGED: QColor("#a35f00"),
}
_GROUP_BG = QBrush(QColor("#eef1f6"))
_FIELD_LABEL = QColor("#4b5563")
_MONEY_FIELDS = frozenset({"cost", "price", "unit_cost", "unit_price", "price_override", "range_low",
                           "range_high"})
DRAFT = "Current draft"


# -- the tree model -------------------------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    texts: list[str]
    tone: str = ""
    tip: str = ""
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)

    def add(self, child: _Node) -> _Node:
        child.parent = self
        self.children.append(child)
        return child

    def row(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)


def _value_text(name: str, value: Any, currency: str) -> str:
    """A snapshot value as a reader expects it: money with cents, percentages, yes/no."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    if text == "":
        return "(empty)"
    if name in _MONEY_FIELDS:
        try:
            return format_money(Decimal(text), currency)
        except InvalidOperation:
            return text
    if name.endswith("_pct"):
        return f"{text} %"
    if name in {"kind", "price_basis", "phase"}:
        return text.replace("_", " ").capitalize()
    return text


def _delta_text(delta: Decimal, currency: str) -> str:
    if delta == 0:
        return ""
    return ("+" if delta > 0 else "") + format_money(delta, currency)


class RevisionDiffModel(QAbstractItemModel):
    """A read-only tree over one RevisionDiff: Change · Before · After · Δ."""

    HEADERS = ("Change", "Before", "After", "Δ")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Node(["", "", "", ""])
        self.diff: RevisionDiff | None = None

    # -- feeding -------------------------------------------------------------

    def set_diff(self, diff: RevisionDiff | None, currency: str = "USD") -> None:
        self.beginResetModel()
        self.diff = diff
        self._root = _Node(["", "", "", ""])
        if diff is not None:
            self._build(diff, currency)
        self.endResetModel()

    def _group(self, title: str, tone: str = GROUP) -> _Node:
        return self._root.add(_Node([title, "", "", ""], tone))

    def _fields(self, parent: _Node, changes: tuple[FieldChange, ...] | list[FieldChange], currency: str,
                tone: str = FIELD) -> None:
        for c in changes:
            parent.add(_Node([c.label, _value_text(c.name, c.old, currency),
                              _value_text(c.name, c.new, currency), ""], tone))

    def _build(self, diff: RevisionDiff, currency: str) -> None:
        totals = self._group("Totals")
        for t in diff.totals:
            if t.changed or t.name == "total":
                totals.add(_Node([t.label, format_money(t.old, currency), format_money(t.new, currency),
                                  _delta_text(t.delta, currency)], TOTAL))
        if diff.header:
            self._fields(self._group("Estimate terms"), diff.header, currency)
        if diff.parameters:
            self._fields(self._group("Parameters"), diff.parameters, currency)
        if diff.sections:
            group = self._group(f"Sections ({len(diff.sections)})")
            for s in diff.sections:
                tone = {"added": ADDED, "removed": REMOVED}.get(s.status, CHANGED)
                node = group.add(_Node([s.name, "", "", ""], tone, tip=f"Section {s.status}"))
                node.texts[1 if s.status == "removed" else 2] = s.status.capitalize()
                self._fields(node, s.changes, currency)
        if diff.added:
            group = self._group(f"Added lines ({len(diff.added)})")
            for e in diff.added:
                group.add(_Node([e.description, "", format_money(e.price, currency),
                                 _delta_text(e.price, currency)], ADDED, tip=f"Added to {e.section}"))
        if diff.removed:
            group = self._group(f"Removed lines ({len(diff.removed)})")
            for e in diff.removed:
                group.add(_Node([e.description, format_money(e.price, currency), "",
                                 _delta_text(-e.price, currency)], REMOVED, tip=f"Was in {e.section}"))
        if diff.changed:
            group = self._group(f"Changed lines ({len(diff.changed)})")
            for c in diff.changed:
                node = group.add(_Node([c.description, format_money(c.old_price, currency),
                                        format_money(c.new_price, currency),
                                        _delta_text(c.new_price - c.old_price, currency)],
                                       CHANGED, tip=f"In {c.section}"))
                if c.moved:
                    where = (f"{c.old_section} → {c.section}" if c.old_section != c.section
                             else f"within {c.section}")
                    node.add(_Node(["Moved", c.old_section, c.section, ""], FIELD, tip=f"Moved {where}"))
                self._fields(node, c.changes, currency)
        if diff.is_empty:
            self._root.add(_Node(["No differences", "", "", ""]))

    # -- Qt ------------------------------------------------------------------

    def _node(self, index: QModelIndex | QPersistentModelIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self._root  # type: ignore[no-any-return]

    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        node = self._node(parent)
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        if not (0 <= row < len(node.children) and 0 <= column < len(self.HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = self._node(index).parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row(), 0, up)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft if section == 0 else Qt.AlignmentFlag.AlignRight) | int(
                Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.texts[col]
        if role == TONE_ROLE:
            return node.tone
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignLeft if col == 0 else Qt.AlignmentFlag.AlignRight
            return int(horizontal) | int(Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if node.tone == FIELD:
                return QBrush(_FIELD_LABEL if col == 0 else _COLOURS[CHANGED])
            colour = _COLOURS.get(node.tone)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.BackgroundRole and node.tone == GROUP:
            return _GROUP_BG
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            if node.tone == GROUP or (node.tone == TOTAL and node.texts[0] == "Total"):
                font.setBold(True)
            if node.tone == REMOVED and col < 3 and node.parent is not None and node.parent.tone == GROUP:
                font.setStrikeOut(True)
            return font
        return None


# -- the dialog -----------------------------------------------------------------------------------


def _sent_text(info: RevisionInfo) -> str:
    return info.sent_at.astimezone().strftime("%d %b %Y %H:%M")


class RevisionHistoryDialog(QDialog):
    """Quote → Revision history…: the sent revisions of one estimate, and a From/To comparison.

    ``doc`` is the open document, so "Current draft" is exactly what the panes show; without
    one the estimate is loaded afresh.
    """

    def __init__(self, db: Database, estimate_id: uuid.UUID, doc: EstimateDocument | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("revisionHistoryDialog")
        self.db = db
        self.estimate_id = estimate_id
        self.doc = doc if doc is not None else EstimateDocument(db, estimate_id)
        self.revisions: list[RevisionInfo] = list_revisions(db, estimate_id)
        self._snapshots: dict[uuid.UUID, dict[str, Any]] = {}
        self._draft = snapshot_of(self.doc)
        currency = self.doc.header.currency
        self._currency = currency
        quote = self.revisions[0].quote_number if self.revisions else ""
        self.setWindowTitle(f"Revision history — {self.doc.header.name}")

        title = QLabel(f"{quote or 'Quote'} · {self.doc.header.name}")
        title.setObjectName("revisionTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        status = QLabel(f"{self.doc.header.client_name} — {self.doc.header.project_name}. "
                        f"{current_revision_label(db, estimate_id)}")
        status.setObjectName("revisionStatus")
        status.setStyleSheet("color: #4b5563;")

        self.table = QTableWidget(len(self.revisions) + 1, 5)
        self.table.setObjectName("revisionTable")
        self.table.setHorizontalHeaderLabels(["Rev", "Sent", "By", "Total", "Note"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a record to read; the combos pick
        for row, info in enumerate(self.revisions):
            self._set_row(row, [str(info.number), _sent_text(info), info.sent_by,
                                format_money(info.total, currency), info.note])
        self._set_row(len(self.revisions), ["—", DRAFT, "", format_money(self.doc.totals.total, currency),
                                            "Not sent"], italic=True)
        header = self.table.horizontalHeader()
        for col, mode in enumerate([QHeaderView.ResizeMode.ResizeToContents] * 4
                                   + [QHeaderView.ResizeMode.Stretch]):
            header.setSectionResizeMode(col, mode)
        rows_shown = min(len(self.revisions) + 1, 6)
        self.table.setFixedHeight(header.sizeHint().height() + rows_shown * self.table.verticalHeader()
                                  .defaultSectionSize() + 2 * self.table.frameWidth() + 2)

        self.from_combo = QComboBox()
        self.from_combo.setObjectName("revisionFrom")
        self.to_combo = QComboBox()
        self.to_combo.setObjectName("revisionTo")
        for combo in (self.from_combo, self.to_combo):
            for info in self.revisions:
                combo.addItem(f"Rev {info.number} — {info.sent_at.astimezone():%d %b %Y} — "
                              f"{format_money(info.total, currency)}", info.id)
            combo.addItem(DRAFT, None)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.from_combo.setCurrentIndex(max(0, len(self.revisions) - 1))
        self.to_combo.setCurrentIndex(len(self.revisions))

        picker = QGridLayout()
        from_label, to_label = QLabel("&From:"), QLabel("&To:")
        from_label.setBuddy(self.from_combo)
        to_label.setBuddy(self.to_combo)
        picker.addWidget(from_label, 0, 0)
        picker.addWidget(self.from_combo, 0, 1)
        picker.addWidget(to_label, 0, 2)
        picker.addWidget(self.to_combo, 0, 3)
        picker.setColumnStretch(4, 1)

        self.model = RevisionDiffModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("revisionDiffTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setStyleSheet("QTreeView::item { padding: 2px 4px; }")
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            self.tree.header().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

        self.summary = QLabel()
        self.summary.setObjectName("revisionSummary")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(status)
        sent_label = QLabel("Sent revisions")
        sent_label.setStyleSheet("font-weight: 600;")
        layout.addWidget(sent_label)
        layout.addWidget(self.table)
        layout.addWidget(line)
        compare_label = QLabel("Compare")
        compare_label.setStyleSheet("font-weight: 600;")
        layout.addWidget(compare_label)
        layout.addLayout(picker)
        layout.addWidget(self.tree, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(860, 720)

        self.from_combo.currentIndexChanged.connect(self._on_pick_changed)
        self.to_combo.currentIndexChanged.connect(self._on_pick_changed)
        self._on_pick_changed()

    def _set_row(self, row: int, texts: list[str], italic: bool = False) -> None:
        for col, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if col in (0, 3):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if italic:
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
            self.table.setItem(row, col, item)

    def _snapshot(self, revision_id: uuid.UUID | None) -> dict[str, Any]:
        if revision_id is None:
            return self._draft
        if revision_id not in self._snapshots:
            self._snapshots[revision_id] = load_revision(self.db, revision_id)
        return self._snapshots[revision_id]

    def _on_pick_changed(self, _index: int = -1) -> None:
        old = self._snapshot(self.from_combo.currentData())
        new = self._snapshot(self.to_combo.currentData())
        diff = diff_snapshots(old, new)
        self.model.set_diff(diff, self._currency)
        self.tree.expandAll()
        total = next(t for t in diff.totals if t.name == "total")
        parts = [f"{len(diff.changed)} changed", f"{len(diff.added)} added", f"{len(diff.removed)} removed"]
        change = _delta_text(total.delta, self._currency) or "unchanged"
        self.summary.setText(f"Lines: {' · '.join(parts)}. Total {format_money(total.new, self._currency)} "
                             f"({change}).")
