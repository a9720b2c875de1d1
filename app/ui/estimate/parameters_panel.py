"""The estimate's parameters (``screen_length_ft = 160``) as a small editable table above the breakdown.

Changing a value recalculates every line whose quantity or days is a formula of it,
in both panes at once; ``=…`` typed in Value makes the parameter a formula of others.
Every edit goes through the EstimateEditor, so it is undoable like any other.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.estimate.document import Change, ChangeKind, EstimateDocument, ParameterRow
from app.services.estimate.formulas import FormulaError, compile_formula
from app.services.money import format_number
from app.ui.estimate.delegates import CellMessage
from app.ui.estimate.editor import EstimateEditor
from app.ui.grid_keys import GridTable

COLUMNS = (("name", "Parameter"), ("value", "Value"), ("unit", "Unit"), ("description", "Description"),
           ("used_by", "Used by"))
COLUMN_INDEX = {key: i for i, (key, _title) in enumerate(COLUMNS)}
PARAMETER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_EDITABLE = {"name", "value", "unit", "description"}
_ERROR_FG = QBrush(QColor("#b91c1c"))
_FORMULA_FG = QBrush(QColor("#1d4ed8"))
_TIPS = {
    "name": "The name formulas use: letters, digits and _, e.g. screen_length_ft.",
    "value": "A number, or =formula of other parameters (e.g. =ceil(screen_length_ft / panel_ft) * 4).",
    "used_by": "How many lines' quantities or days, and other parameters, use this one.",
}


class ParametersModel(QAbstractTableModel):
    """One row per parameter of the open estimate."""

    editFailed = Signal(QModelIndex, str)

    def __init__(self, editor: EstimateEditor, parent: Any = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.doc: EstimateDocument = editor.doc
        self._usage: dict[str, tuple[int, int]] | None = None
        self.doc.subscribe(self._on_document_changed)

    def detach(self) -> None:
        self.doc.unsubscribe(self._on_document_changed)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.doc.parameters)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _TIPS.get(COLUMNS[section][0])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()][0] in _EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def parameter_at(self, index: QModelIndex | QPersistentModelIndex) -> ParameterRow | None:
        if not index.isValid() or not 0 <= index.row() < len(self.doc.parameters):
            return None
        return self.doc.parameters[index.row()]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        parameter = self.parameter_at(index)
        if parameter is None:
            return None
        key = COLUMNS[index.column()][0]
        if role == PARAMETER_ID_ROLE:
            return str(parameter.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(parameter, key)
        if role == Qt.ItemDataRole.EditRole:
            if key == "value":
                return "=" + parameter.formula if parameter.formula else format_number(parameter.value)
            return getattr(parameter, key) if key in _EDITABLE else None
        if role == Qt.ItemDataRole.ForegroundRole and key in {"name", "value"}:
            if parameter.error:
                return _ERROR_FG
            if parameter.formula and key == "value":
                return _FORMULA_FG
            return None
        if role == Qt.ItemDataRole.FontRole and key == "name":
            font = QFont()
            font.setFamily("monospace")
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in {"value", "used_by"}:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(parameter, key)
        return None

    def _display(self, parameter: ParameterRow, key: str) -> str:
        if key == "value":
            text = format_number(parameter.value)
            return f"⚠ {text}" if parameter.error else text
        if key == "used_by":
            lines, params = self._usage_of(parameter.name)
            parts = []
            if lines:
                parts.append(f"{lines} line{'s' if lines != 1 else ''}")
            if params:
                parts.append(f"{params} param.")
            return ", ".join(parts) or "—"
        return str(getattr(parameter, key))

    def _tooltip(self, parameter: ParameterRow, key: str) -> str | None:
        if parameter.error:
            return f"⚠ {parameter.error}. Lines using {parameter.name} keep its last value."
        if key == "value" and parameter.formula:
            return f"= {parameter.formula}\n= {format_number(parameter.value)}"
        if key == "used_by":
            lines, params = self.doc.users_of(parameter.name)
            if not lines and not params:
                return "No formula uses this parameter yet."
            names = [line.description for line in lines[:12]] + [p.name for p in params]
            more = f"\n… and {len(lines) - 12} more" if len(lines) > 12 else ""
            return "Used by:\n" + "\n".join(names) + more
        return _TIPS.get(key)

    def _usage_of(self, name: str) -> tuple[int, int]:
        if self._usage is None:
            self._usage = _count_usage(self.doc)
        return self._usage.get(name, (0, 0))

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        parameter = self.parameter_at(index)
        key = COLUMNS[index.column()][0] if index.isValid() else ""
        if parameter is None or role != Qt.ItemDataRole.EditRole or key not in _EDITABLE:
            return False
        message = self.editor.edit_parameter(parameter.id, key, value)
        if message:
            self.editFailed.emit(QModelIndex(index), message)
            return False
        return True

    def index_for_id(self, parameter_id: uuid.UUID, column: int = 0) -> QModelIndex:
        for row, parameter in enumerate(self.doc.parameters):
            if parameter.id == parameter_id:
                return self.index(row, column)
        return QModelIndex()

    def _on_document_changed(self, change: Change) -> None:
        kind = change.kind
        if kind in (ChangeKind.RESET, ChangeKind.PARAMETER_INSERTED, ChangeKind.PARAMETER_REMOVED):
            if change.before:
                if kind is ChangeKind.RESET:
                    self.beginResetModel()
                elif kind is ChangeKind.PARAMETER_INSERTED:
                    self.beginInsertRows(QModelIndex(), change.index, change.index)
                else:
                    self.beginRemoveRows(QModelIndex(), change.index, change.index)
                return
            self._usage = None
            if kind is ChangeKind.RESET:
                self.endResetModel()
            elif kind is ChangeKind.PARAMETER_INSERTED:
                self.endInsertRows()
            else:
                self.endRemoveRows()
            self._all_changed()
        elif kind in (ChangeKind.PARAMETER_CHANGED, ChangeKind.LINES_RECALCULATED, ChangeKind.LINE_CHANGED,
                      ChangeKind.LINE_INSERTED, ChangeKind.LINE_REMOVED, ChangeKind.SECTION_REMOVED,
                      ChangeKind.SECTION_INSERTED) and not change.before:
            self._usage = None  # a formula may have been typed, renamed or removed
            self._all_changed()

    def _all_changed(self) -> None:
        if self.doc.parameters:
            last = self.index(len(self.doc.parameters) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)


def _count_usage(doc: EstimateDocument) -> dict[str, tuple[int, int]]:
    """name → (lines using it, parameters using it), in one pass over the formulas."""
    lines: dict[str, int] = {}
    params: dict[str, int] = {}
    for line in doc.lines():
        if not line.has_formula:
            continue
        names: set[str] = set()
        for source in (line.quantity_formula, line.days_formula):
            if source:
                try:
                    names.update(compile_formula(source).names)
                except FormulaError:
                    continue
        for name in names:
            lines[name] = lines.get(name, 0) + 1
    for parameter in doc.parameters:
        if parameter.formula:
            try:
                used = set(compile_formula(parameter.formula).names) - {parameter.name}
            except FormulaError:
                continue
            for name in used:
                params[name] = params.get(name, 0) + 1
    return {p.name: (lines.get(p.name, 0), params.get(p.name, 0)) for p in doc.parameters}


class ParametersPanel(QWidget):
    """A header ("Parameters (5)", Add, Delete) over the table; the table folds away."""

    def __init__(self, editor: EstimateEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parametersPanel")
        self.editor = editor
        self.doc = editor.doc
        self.model = ParametersModel(editor, self)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("parametersToggle")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self._on_toggled)
        self.add_button = QPushButton("Add", self)
        self.add_button.setObjectName("addParameterButton")
        self.add_button.setToolTip("Add a parameter that quantities and days can use in formulas.")
        self.add_button.clicked.connect(self.add_parameter)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("deleteParameterButton")
        self.delete_button.clicked.connect(self.delete_current)
        # The same two commands on the table's right-click menu.
        self.add_action = QAction("Add parameter", self)
        self.add_action.setObjectName("actionAddParameter")
        self.add_action.triggered.connect(self.add_parameter)
        self.delete_action = QAction("Delete parameter", self)
        self.delete_action.setObjectName("actionDeleteParameter")
        self.delete_action.triggered.connect(self.delete_current)
        self.summary = QLabel(self)
        self.summary.setObjectName("parametersSummary")
        self.summary.setStyleSheet("QLabel { color: #4b5563; }")

        self.view = GridTable(self)
        self.view.setObjectName("parametersView")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.view.horizontalHeader()
        for column, width in (("name", 150), ("value", 90), ("unit", 60), ("used_by", 110)):
            header.resizeSection(COLUMN_INDEX[column], width)
        header.setSectionResizeMode(COLUMN_INDEX["description"], QHeaderView.ResizeMode.Stretch)
        self.view.setMaximumHeight(self.view.verticalHeader().defaultSectionSize() * 6 + header.height() + 4)
        self.cell_message = CellMessage(self.view)
        self.model.editFailed.connect(self.cell_message.show_for)
        self.model.editFailed.connect(self.view.refused)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.toggle)
        top.addWidget(self.summary, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self.doc.subscribe(self._on_document_changed)
        self.refresh()

    def detach(self) -> None:
        self.doc.unsubscribe(self._on_document_changed)
        self.model.detach()

    def refresh(self) -> None:
        count = len(self.doc.parameters)
        self.toggle.setText(f"Parameters ({count})")
        errors = [p for p in self.doc.parameters if p.error]
        shown = ", ".join(f"{p.name} = {format_number(p.value)}" for p in self.doc.parameters[:4])
        if count > 4:
            shown += ", …"
        text = shown if not self.toggle.isChecked() else ""
        if errors:
            text = f"⚠ {len(errors)} with an error" + (f" · {text}" if text else "")
        self.summary.setText(text)
        self.delete_button.setEnabled(count > 0 and self.toggle.isChecked())
        self.delete_action.setEnabled(count > 0)

    def _on_toggled(self, shown: bool) -> None:
        self.view.setVisible(shown)
        self.add_button.setVisible(shown)
        self.delete_button.setVisible(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.refresh()

    def add_parameter(self) -> None:
        parameter_id = self.editor.add_parameter()
        if parameter_id is None:
            return
        index = self.model.index_for_id(parameter_id, COLUMN_INDEX["name"])
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def delete_current(self) -> None:
        parameter = self.model.parameter_at(self.view.currentIndex())
        if parameter is None:
            return
        users, params = self.doc.users_of(parameter.name)
        message = self.editor.delete_parameter(parameter.id)
        if message is None and (users or params):
            self.editor.errorRaised.emit(
                f"Deleted {parameter.name}; {len(users) + len(params)} formula(s) that used it now show an "
                "error and keep their last value. Edit > Undo brings it back."
            )

    def _on_document_changed(self, change: Change) -> None:
        if not change.before:
            self.refresh()
