"""The PM's breakdown as a Qt tree model: sections with their lines, costs, prices and margins."""

from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.models.enums import CallPhase, LineKind, PriceBasis
from app.services.estimate.document import Change, ChangeKind, EstimateDocument, LineRow, SectionRow
from app.services.estimate.parameters import format_range
from app.services.estimate.pricing import EXCLUDED
from app.services.labour.pay import CallSplit, LabourRules
from app.services.money import format_money, format_number, format_percent
from app.ui.estimate.editor import BusyMessage, EstimateEditor

MIME_TYPE = "application/x-tandem-estimate-rows"
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_KIND_ROLE = Qt.ItemDataRole.UserRole + 2
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 3

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_SECTION_BG = QBrush(QColor("#e8eef5"))
_DERIVED_FG = QBrush(QColor("#6b7280"))
_LOSS_FG = QBrush(QColor("#b91c1c"))
# Said of a line whose figures are out of bounds, in both panes.
IN_ERROR_NOTE = "It is priced as zero and left out of the totals until it is corrected."
_OVERRIDE_FG = QBrush(QColor("#9a3412"))


@functools.cache
def _font(style: str) -> QFont:
    """Shared fonts: views ask for a cell's font on every paint."""
    font = QFont()
    font.setBold(style == "bold")
    font.setItalic(style == "italic")
    font.setStrikeOut(style == "struck")
    return font


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    numeric: bool = False
    width: int = 80


COLUMNS = (
    # What it is and how much, then the money (visible without scrolling), then the call's
    # schedule and split, then who supplies or fills it.
    Column("description", "Description", width=220),
    Column("kind", "Kind", width=78),
    Column("quantity", "Qty", True, 48),
    Column("unit", "Unit", width=58),
    Column("days", "Days", True, 42),
    Column("hours", "Hours", True, 46),
    Column("unit_cost", "Unit cost", True, 78),
    Column("cost", "Cost", True, 88),
    Column("markup_pct", "Markup", True, 70),
    Column("unit_price", "Unit price", True, 78),
    Column("price", "Price", True, 92),
    Column("margin_pct", "Margin", True, 66),
    Column("range", "Range", width=112),
    Column("phase", "Phase", width=70),
    Column("call_date", "Date", width=84),
    Column("start_time", "Start", width=50),
    Column("end_time", "End", width=50),
    Column("paid", "Paid", width=120),
    Column("supplier_id", "Supplier", width=150),
    Column("role_id", "Role", width=110),
    Column("optional", "Optional", width=64),
    Column("alternative", "Alternative", width=110),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
_LINE_EDITABLE = {c.key for c in COLUMNS} - {"cost", "optional", "paid"}
_CALL_KEYS = {"phase", "call_date", "start_time", "end_time", "paid"}
_SECTION_EDITABLE = {"description", "range"}
_COLUMN_COUNT = len(COLUMNS)
_FORMULA_FG = QBrush(QColor("#1d4ed8"))
_EXCLUDED_FG = QBrush(QColor("#9ca3af"))


def _column_flags(editable: set[str], checkable: set[str], extra: Qt.ItemFlag) -> tuple[Qt.ItemFlag, ...]:
    """Flags per column, computed once: flags() is called for every row on every layout."""
    base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled | extra
    return tuple(
        base
        | (Qt.ItemFlag.ItemIsEditable if c.key in editable else Qt.ItemFlag.NoItemFlags)
        | (Qt.ItemFlag.ItemIsUserCheckable if c.key in checkable else Qt.ItemFlag.NoItemFlags)
        for c in COLUMNS
    )


_SECTION_FLAGS = _column_flags(_SECTION_EDITABLE, {"optional"}, Qt.ItemFlag.ItemIsDropEnabled)
_LINE_FLAGS = _column_flags(_LINE_EDITABLE, {"optional", "alternative"}, Qt.ItemFlag.NoItemFlags)


class ProductionTreeModel(QAbstractItemModel):
    """Two levels: sections (top) and their lines. Fed by an EstimateDocument.

    Child indexes carry a small integer key of their section in internalId, so
    that parent() stays right while sections move.
    """

    editFailed = Signal(QModelIndex, str)
    inputKept = Signal(QModelIndex, str)  # a busy database refused it: reopen with this text

    def __init__(self, editor: EstimateEditor, parent: Any = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.doc: EstimateDocument = editor.doc
        self._key_of: dict[uuid.UUID, int] = {}
        self._section_of_key: dict[int, uuid.UUID] = {}
        self.doc.subscribe(self._on_document_changed)

    def detach(self) -> None:
        self.doc.unsubscribe(self._on_document_changed)

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
        if row < 0 or not 0 <= column < _COLUMN_COUNT:
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
        if not idx.isValid() or row < 0 or not 0 <= column < _COLUMN_COUNT:
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
            return _RIGHT if column.numeric else _LEFT
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        if index.internalId() == 0:
            return _SECTION_FLAGS[index.column()]
        return _LINE_FLAGS[index.column()]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        if isinstance(row, SectionRow):
            return self._section_data(row, index.column(), role)
        return self._line_data(row, index.column(), role)

    def _section_data(self, section: SectionRow, column: int, role: int) -> Any:
        key = COLUMNS[column].key
        if role == ROW_ID_ROLE:
            return str(section.id)
        if role == ROW_KIND_ROLE:
            return "section"
        if role == Qt.ItemDataRole.BackgroundRole:
            return _SECTION_BG
        if role == Qt.ItemDataRole.FontRole:
            return _font("bold")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if COLUMNS[column].numeric else _LEFT
        if role == Qt.ItemDataRole.CheckStateRole and key == "optional":
            return Qt.CheckState.Checked if section.optional else Qt.CheckState.Unchecked
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            return None
        totals = self.doc.totals.groups.get(section.id)
        currency = self.doc.header.currency
        if key == "description":
            if role == Qt.ItemDataRole.ToolTipRole:
                tip = section.client_description
                if section.optional:
                    tip = (tip + "\n" if tip else "") + "Optional section: an add-on, left out of the total."
                return tip or None
            return section.name
        if key == "range":
            if role == Qt.ItemDataRole.ToolTipRole:
                if totals is None or (totals.low == totals.price and totals.high == totals.price):
                    return "Type a range for the section's lines, e.g. ±10% or -5% / +15%."
                return (f"The section's included lines range from {format_money(totals.low, currency)} to "
                        f"{format_money(totals.high, currency)} (lines with a range of their own keep it).")
            return format_range(section.price_range)
        if totals is None or role == Qt.ItemDataRole.EditRole:
            return None
        if key == "cost":
            return format_money(totals.cost, currency)
        if key == "price":
            return format_money(totals.price, currency)
        if key == "margin_pct":
            return format_percent(totals.margin_pct)
        if key == "price" and section.optional and role == Qt.ItemDataRole.DisplayRole:
            return f"({format_money(totals.optional_price, currency)})"
        if key == "unit" and role == Qt.ItemDataRole.DisplayRole:
            count = totals.line_count
            return f"{count} line{'s' if count != 1 else ''}"
        return None

    def _line_data(self, line: LineRow, column: int, role: int) -> Any:
        key = COLUMNS[column].key
        if role == ROW_ID_ROLE:
            return str(line.id)
        if role == ROW_KIND_ROLE:
            return "line"
        if role == Qt.ItemDataRole.CheckStateRole:
            if key == "optional":
                return Qt.CheckState.Checked if line.optional else Qt.CheckState.Unchecked
            if key == "alternative" and line.alternative_group:
                chosen = self.doc.is_chosen_alternative(line)
                return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if COLUMNS[column].numeric else _LEFT
        if role == CHOICES_ROLE:
            return self._choices(key)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._line_foreground(line, key)
        if role == Qt.ItemDataRole.FontRole:
            if key == "price" and self.doc.inclusion(line) == EXCLUDED:
                return _font("struck")
            if key == "price" and line.price.overridden:
                return _font("bold")
            if key in {"markup_pct", "unit_price", "margin_pct"} and self._is_derived(line, key):
                return _font("italic")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._line_tooltip(line, key)
        if role == Qt.ItemDataRole.EditRole:
            return self._line_edit_value(line, key)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._line_display(line, key)
        return None

    def _line_display(self, line: LineRow, key: str) -> str | None:
        priced = line.price
        currency = self.doc.header.currency
        if key == "price" and line.problem is not None:
            return "in error"
        if key == "description":
            return line.description
        if key == "kind":
            return line.kind.label
        if key == "quantity":
            return format_number(line.quantity)
        if key == "unit":
            return line.unit
        if key == "days":
            return format_number(line.days)
        if key == "range":
            return format_range(line.price_range, currency)
        if key == "alternative":
            return line.alternative_group
        if key == "hours":
            return format_number(line.hours) if line.kind is LineKind.LABOUR else ""
        if key in _CALL_KEYS:
            return _call_display(line, key) if line.kind is LineKind.LABOUR else ""
        if key == "unit_cost":
            return format_money(line.unit_cost, currency)
        if key == "cost":
            return format_money(priced.cost, currency)
        if key == "markup_pct":
            return format_percent(priced.markup_pct)
        if key == "unit_price":
            return format_money(priced.unit_price, currency)
        if key == "price":
            return format_money(priced.price, currency)
        if key == "margin_pct":
            return format_percent(priced.margin_pct)
        if key == "supplier_id":
            supplier = self.doc.lookups.suppliers.get(line.supplier_id) if line.supplier_id else None
            return supplier.name if supplier else ""
        if key == "role_id":
            role = self.doc.lookups.roles.get(line.role_id) if line.role_id else None
            return role.name if role else ""
        return None

    def _line_edit_value(self, line: LineRow, key: str) -> Any:
        priced = line.price
        if line.problem is not None and key in {"markup_pct", "margin_pct", "unit_price", "price"}:
            value = getattr(line, "price_override" if key == "price" else key)  # as stored, unrounded
            return "" if value is None else format_number(value)
        if key in {"supplier_id", "role_id"}:
            value = getattr(line, key)
            return str(value) if value else ""
        if key == "kind":
            return line.kind.value
        if key == "price":
            return format_number(priced.price)
        if key == "markup_pct":
            value = line.markup_pct if line.price_basis is PriceBasis.MARKUP else priced.markup_pct
            return "" if value is None else format_number(value.quantize(Decimal("0.01")))
        if key == "margin_pct":
            value = line.margin_pct if line.price_basis is PriceBasis.MARGIN else priced.margin_pct
            return "" if value is None else format_number(value.quantize(Decimal("0.01")))
        if key == "unit_price":
            value = line.unit_price if line.price_basis is PriceBasis.UNIT_PRICE else priced.unit_price
            return "" if value is None else format_number(value.quantize(Decimal("0.0001")).normalize())
        if key == "quantity" and line.quantity_formula:
            return "=" + line.quantity_formula
        if key == "days" and line.days_formula:
            return "=" + line.days_formula
        if key == "range":
            return format_range(line.price_range).replace("$", "")
        if key == "alternative":
            return line.alternative_group
        if key in {"quantity", "days", "hours", "unit_cost"}:
            value = getattr(line, key)
            return "" if value is None else format_number(value).replace(",", "")
        if key in {"description", "unit", "phase"}:
            return getattr(line, key)
        if key == "call_date":
            return line.call_date.isoformat() if line.call_date else ""
        if key in {"start_time", "end_time"}:
            value = getattr(line, key)
            return value.strftime("%H:%M") if value else ""
        return None

    def _is_derived(self, line: LineRow, key: str) -> bool:
        basis_key = {PriceBasis.MARKUP: "markup_pct", PriceBasis.UNIT_PRICE: "unit_price",
                     PriceBasis.MARGIN: "margin_pct"}[line.price_basis]
        return line.price.overridden or key != basis_key

    def _line_foreground(self, line: LineRow, key: str) -> QBrush | None:
        if line.problem is not None:
            return _LOSS_FG
        if key in {"quantity", "days"} and getattr(line, f"{key}_formula"):
            return _LOSS_FG if line.formula_error else _FORMULA_FG
        if self.doc.inclusion(line) == EXCLUDED:
            return _EXCLUDED_FG
        if key == "price" and line.price.overridden:
            return _OVERRIDE_FG
        if key == "margin_pct" and line.price.margin < 0:
            return _LOSS_FG
        if key in {"markup_pct", "unit_price", "margin_pct"} and self._is_derived(line, key):
            return _DERIVED_FG
        if line.optional or not self.doc.counts_in_total(line):
            return _DERIVED_FG
        return None

    def _line_tooltip(self, line: LineRow, key: str) -> str | None:
        priced = line.price
        currency = self.doc.header.currency
        if line.problem is not None and key in {"description", "price", line.problem.field}:
            return f"⚠ {line.problem.message}\n{IN_ERROR_NOTE}"
        if key in {"quantity", "days"} and getattr(line, f"{key}_formula"):
            source = getattr(line, f"{key}_formula")
            if line.formula_error:
                return f"= {source}\n⚠ {line.formula_error}"
            return f"= {source}\n= {format_number(getattr(line, key))} with the estimate's parameters"
        if key == "description" and line.formula_error:
            return f"⚠ {line.formula_error}"
        if key == "range":
            low, high = self.doc.line_span(line)
            if not line.price_range.is_set:
                section = self.doc.section(line.section_id)
                if section.price_range.is_set:
                    return (f"From the section's range {format_range(section.price_range)}: "
                            f"{format_money(low, currency)} – {format_money(high, currency)}")
                return "Type a range: ±10%, -5% / +20%, or amounts 7,000 – 9,500."
            return f"{format_money(low, currency)} – {format_money(high, currency)}"
        if key == "alternative":
            if not line.alternative_group:
                return "Type a group name to make this line one of several alternatives (one counts)."
            chosen = self.doc.chosen_alternative(line.alternative_group)
            if chosen is line:
                return f"The chosen alternative of “{line.alternative_group}”: its price is in the total."
            return (f"An alternative to “{chosen.description if chosen else ''}”: not in the total. "
                    "Tick it to choose it instead.")
        if key == "price" and priced.overridden:
            return (f"Price overridden. The {line.price_basis.value.replace('_', ' ')} basis gives "
                    f"{format_money(priced.basis_price, currency)}. Clear the cell to remove the override.")
        if key in {"paid", "hours", "start_time", "end_time", "call_date"} and priced.call is not None:
            return call_tooltip(priced.call, self.doc.rules_for(line), line)
        if key == "hours" and priced.hours is not None:
            split = priced.hours
            rules = self.doc.rules_for(line)
            parts = [f"{format_number(split.straight)} h straight"]
            if split.overtime:
                mult = rules.overtime_multiplier if rules else Decimal("1.5")
                parts.append(f"{format_number(split.overtime)} h overtime ×{format_number(mult)}")
            if split.double_time:
                mult = rules.double_time_multiplier if rules else Decimal(2)
                parts.append(f"{format_number(split.double_time)} h double time ×{format_number(mult)}")
            name = rules.name if rules else "straight time"
            return (f"Per person per day under {name}: " + " + ".join(parts)
                    + f" = {format_number(split.weighted)} paid hours")
        if key in {"markup_pct", "unit_price", "margin_pct"}:
            if priced.overridden:
                return "Follows from the overridden price."
            if self._is_derived(line, key):
                return "Derived from the price basis; type a value to make this the basis."
            return "Price basis of this line."
        if key == "cost":
            return f"{format_number(priced.units)} units × {format_money(line.unit_cost, currency)}"
        return None

    def _choices(self, key: str) -> list[tuple[str, str]] | None:
        if key == "kind":
            return [(k.label, k.value) for k in LineKind]
        if key == "supplier_id":
            return [("", "")] + [(s.name, str(s.id)) for s in self.doc.lookups.suppliers.values()]
        if key == "role_id":
            return [("", "")] + [(r.name, str(r.id)) for r in self.doc.lookups.roles.values()]
        if key == "phase":
            return [("", "")] + [(p.label, p.value) for p in CallPhase]
        return None

    # -- editing -----------------------------------------------------------------

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
                                      self.index(len(section.lines) - 1, _COLUMN_COUNT - 1, parent))
        elif kind is ChangeKind.LINES_RECALCULATED:
            self._lines_changed(change.row_ids, first_column=1)
        elif kind is ChangeKind.ALTERNATIVES_CHANGED:
            self._lines_changed(change.row_ids)

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
                                  self.index(last, _COLUMN_COUNT - 1, parent))
            self._section_totals_changed(s)

    def _section_totals_changed(self, section_index: int) -> None:
        if 0 <= section_index < len(self.doc.sections):
            self.dataChanged.emit(self.index(section_index, 0),
                                  self.index(section_index, len(COLUMNS) - 1))


_PHASE_LABELS = {p.value: p.label for p in CallPhase}


def _call_display(line: LineRow, key: str) -> str:
    if key == "phase":
        return _PHASE_LABELS.get(line.phase, line.phase)
    if key == "call_date":
        return line.call_date.strftime("%a %b %d").replace(" 0", " ") if line.call_date else ""
    if key in {"start_time", "end_time"}:
        value = line.start_time if key == "start_time" else line.end_time
        return value.strftime("%H:%M") if value else ""
    call = line.price.call
    return paid_summary(call) if call is not None else ""


def paid_summary(call: CallSplit) -> str:
    """One person's paid hours over a call, e.g. "8 ST + 2 OT" or "40 ST + 8 OT + 2 DT"."""
    return paid_summary_day(call.straight, call.overtime, call.double_time)


def call_tooltip(call: CallSplit, rules: LabourRules | None, line: LineRow) -> str:
    """The arithmetic of one person's call, line by line, as the estimator would check it."""
    rules = rules or LabourRules(name="straight time")
    ot, dt = format_number(rules.overtime_multiplier), format_number(rules.double_time_multiplier)
    day = call.first_day
    lines = [f"Under {rules.name or 'these rules'}, per person:"]
    if day is not None:
        when = ""
        if line.start_time is not None and line.end_time is not None:
            when = f" ({line.start_time.strftime('%H:%M')}–{line.end_time.strftime('%H:%M')})"
        text = f"a day of {format_number(day.worked)} h{when}"
        if day.meal_break:
            text += f" − {format_number(day.meal_break)} h unpaid meal break"
        if day.paid != day.worked - day.meal_break:
            text += f", paid the {format_number(rules.min_call_hours)} h minimum call"
        lines.append(text + f" = {paid_summary_day(day.straight, day.overtime, day.double_time)}")
    days = f"{format_number(call.days)} day{'s' if call.days != 1 else ''}"
    lines.append(f"{days}: {format_number(call.straight)} h straight"
                 f" + {format_number(call.overtime)} h overtime ×{ot}"
                 + (f" + {format_number(call.double_time)} h double time ×{dt}" if call.double_time else "")
                 + f" = {format_number(call.paid)} paid hours")
    if call.weekly_overtime:
        lines.append(f"{format_number(call.weekly_overtime)} h of the overtime are over the "
                     f"{format_number(rules.weekly_overtime_after_hours or 0)} h weekly threshold")
    if call.weekend:
        mult = format_number(rules.weekend_multiplier)
        lines.append(f"{format_number(call.weekend)} h on a weekend: straight time ×{mult}, "
                     f"overtime at the larger of ×{ot} and ×{mult}")
    if call.holiday:
        mult = format_number(rules.holiday_multiplier)
        lines.append(f"{format_number(call.holiday)} h on a holiday: straight time ×{mult}, "
                     f"overtime at the larger of ×{ot} and ×{mult}")
    lines.append(f"weighted: {format_number(call.weighted)} h × {format_number(line.quantity)} people "
                 f"= {format_number(call.weighted * line.quantity)} paid-rate hours")
    return "\n".join(lines)


def paid_summary_day(straight: Decimal, overtime: Decimal, double_time: Decimal) -> str:
    parts = [f"{format_number(straight)} ST"]
    if overtime:
        parts.append(f"{format_number(overtime)} OT")
    if double_time:
        parts.append(f"{format_number(double_time)} DT")
    return " + ".join(parts)
