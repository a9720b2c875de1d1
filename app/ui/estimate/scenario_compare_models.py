"""The scenario comparison as Qt models: metrics per section and scenario (a tree), differing lines.

Both are fed a plain :class:`~app.services.estimate.scenarios.Comparison`; cells carry their exact
value and whether they differ from the baseline (the first ticked estimate).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.estimate.scenarios import (
    Cell,
    Comparison,
    EquipmentRow,
    LineComparison,
    LineMetric,
    Metric,
)
from app.services.money import format_money, format_number, format_percent

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
# The exact value behind a cell (Decimal or None) and whether it differs from the baseline.
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
DIFFERS_ROLE = Qt.ItemDataRole.UserRole + 2

HIGHER = QColor("#dcf2e3")  # price above the baseline
LOWER = QColor("#f9dede")  # price below the baseline
CHANGED = QColor("#fbf0cf")  # any other difference
TOTAL_BACKGROUND = QColor("#eef1f5")
NUMBER_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CHILD_METRICS = (Metric.COST, Metric.MARGIN, Metric.MARGIN_PCT, Metric.HOURS, Metric.CREW_DAYS)
MISSING = "—"
_SHORT_TIP = ("Units of stock short over the project's days against the other projects' holds "
              "(tentative holds counted); internal, not in the client's export")
_COST_TIP = ("The sub-rental lines' cost plus the cheapest sub-hire of what is still short "
             "(rate × units × the line's days); internal, not in the client's export")


def _format(value: Decimal | None, money: bool, percent: bool, currency: str, signed: bool = False) -> str:
    """One number as the app shows it; a sign in front of a difference, a dash for "not there"."""
    if value is None:
        return MISSING
    if percent:
        text = format_percent(value)
    elif money:
        text = format_money(value, currency)
    else:
        text = format_number(value)
    return f"+{text}" if signed and value > 0 else text


def _bold(font: QFont | None = None) -> QFont:
    font = QFont(font) if font is not None else QFont()
    font.setBold(True)
    return font


def _difference_brush(cell: Cell, directional: bool) -> QBrush | None:
    """Green/red when a directional figure (price) went up/down, amber for any other change."""
    if not cell.differs:
        return None
    delta = cell.delta
    if directional and delta is not None and delta != 0:
        return QBrush(HIGHER if delta > 0 else LOWER)
    return QBrush(CHANGED)


def _number_data(cell: Cell, is_delta: bool, role: int, directional: bool) -> Any:
    """A number cell's value, difference flag, alignment, colour and weight."""
    if role == VALUE_ROLE:
        return cell.delta if is_delta else cell.value
    if role == DIFFERS_ROLE:
        return cell.differs
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(NUMBER_ALIGN)
    if role == Qt.ItemDataRole.BackgroundRole:
        return _difference_brush(cell, directional)
    if role == Qt.ItemDataRole.FontRole and cell.differs:
        return _bold()
    return None


class ScenarioComparisonModel(QAbstractItemModel):
    """Sections then Total; each row shows the price, its children the other metrics. When the
    company keeps stock, "Equipment short" and "Sub-rental cost" follow the Total (no children).

    Columns: the name, one per scenario, then "Δ vs <baseline>" per other scenario.
    Internal ids: 0 for a top row, ``section row + 1`` for a metric row under it.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.equipment: tuple[EquipmentRow, ...] = ()

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self.equipment = comparison.equipment_rows() if comparison is not None else ()
        self.endResetModel()

    def equipment_row(self, index: AnyIndex) -> EquipmentRow | None:
        """The equipment row an index is on (None for a section, the Total or a metric)."""
        if self.comparison is None or index.internalId() != 0:
            return None
        offset = index.row() - len(self.comparison.rows)
        return self.equipment[offset] if 0 <= offset < len(self.equipment) else None

    # -- shape ---------------------------------------------------------------------

    @property
    def scenario_count(self) -> int:
        return 0 if self.comparison is None else len(self.comparison.scenarios)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if self.comparison is None or parent.column() > 0:
            return 0
        if not parent.isValid():
            return len(self.comparison.rows) + len(self.equipment)
        if parent.internalId() != 0 or parent.row() >= len(self.comparison.rows):
            return 0
        return len(CHILD_METRICS)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        n = self.scenario_count
        return 1 + n + max(n - 1, 0) if n else 1

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, 0 if not parent.isValid() else parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.comparison is None:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            return int(NUMBER_ALIGN if section > 0 else left)
        if role != DISPLAY:
            return None
        names = [s.name for s in self.comparison.scenarios]
        if section == 0:
            return "Section"
        if section <= len(names):
            return names[section - 1]
        return f"Δ {names[section - len(names)]} vs {names[0]}"

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- cells ---------------------------------------------------------------------

    def locate(self, index: AnyIndex) -> tuple[int, Metric]:
        """(comparison row, metric) of an index: a section row is its price."""
        if index.internalId() == 0:
            return index.row(), Metric.PRICE
        return index.internalId() - 1, CHILD_METRICS[index.row()]

    def cell(self, index: AnyIndex) -> tuple[Cell, bool] | None:
        """The cell behind a number column and whether it is a Δ column; None for the name column."""
        assert self.comparison is not None
        row, metric = self.locate(index)
        n = self.scenario_count
        column = index.column()
        if column == 0:
            return None
        scenario = column - 1 if column <= n else column - n
        return self.comparison.rows[row].cell(metric, scenario), column > n

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or self.comparison is None:
            return None
        equipment = self.equipment_row(index)
        if equipment is not None:
            return self._equipment_data(equipment, index.column(), role)
        row, metric = self.locate(index)
        is_total = self.comparison.rows[row].is_total
        found = self.cell(index)
        if found is None:
            return self._name_data(index, row, metric, role)
        cell, is_delta = found
        if role in (DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return self._text(cell, metric, is_delta, tooltip=role != DISPLAY)
        total_row = is_total and index.internalId() == 0
        if role == Qt.ItemDataRole.BackgroundRole and total_row and not cell.differs:
            return QBrush(TOTAL_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and total_row:
            return _bold()
        return _number_data(cell, is_delta, role, metric is Metric.PRICE)

    def _equipment_data(self, row: EquipmentRow, column: int, role: int) -> Any:
        assert self.comparison is not None
        n = self.scenario_count
        if column == 0:
            tip = _COST_TIP if row.is_money else _SHORT_TIP
            names = {DISPLAY: row.name, Qt.ItemDataRole.ToolTipRole: tip, DIFFERS_ROLE: row.differs}
            return names.get(role)
        scenario = column - 1 if column <= n else column - n
        cell, is_delta = row.cell(scenario), column > n
        currency = self.comparison.currency
        if role == DISPLAY:
            if is_delta:
                return _format(cell.delta, row.is_money, False, currency, signed=True) if cell.delta else ""
            return _format(cell.value, row.is_money, False, currency)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.notes[scenario] or None
        return _number_data(cell, is_delta, role, False)

    def _name_data(self, index: AnyIndex, row: int, metric: Metric, role: int) -> Any:
        assert self.comparison is not None
        comparison_row = self.comparison.rows[row]
        top = index.internalId() == 0
        if role == DISPLAY:
            return comparison_row.name if top else metric.label
        if role == Qt.ItemDataRole.ToolTipRole and top:
            return f"{comparison_row.name}: price; expand for cost, margin and labour"
        if role == Qt.ItemDataRole.FontRole and top and comparison_row.is_total:
            return _bold()
        if role == Qt.ItemDataRole.BackgroundRole and top and comparison_row.is_total:
            return QBrush(TOTAL_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and not top:
            return QBrush(QColor("#5b6470"))
        if role == DIFFERS_ROLE:
            return comparison_row.differs(metric)
        return None

    def _text(self, cell: Cell, metric: Metric, is_delta: bool, tooltip: bool) -> str:
        assert self.comparison is not None
        money, percent = metric.is_money, metric is Metric.MARGIN_PCT
        currency = self.comparison.currency
        if is_delta:
            if cell.delta is None:
                return MISSING if cell.differs else ""
            text = _format(cell.delta, money, percent, currency, signed=True)
            return "" if not tooltip and cell.delta == 0 else text
        text = _format(cell.value, money, percent, currency)
        if tooltip and cell.differs:
            base = _format(cell.baseline, money, percent, currency)
            return f"{text} (baseline {self.comparison.baseline.name}: {base})"
        return text


class LineDifferenceModel(QAbstractTableModel):
    """Matched lines: section, description, then quantity, days and price per scenario.

    Only lines that differ somewhere are shown unless ``show_all`` is set.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.show_all = False
        self.lines: tuple[LineComparison, ...] = ()

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self._filter()
        self.endResetModel()

    def set_show_all(self, show_all: bool) -> None:
        self.beginResetModel()
        self.show_all = show_all
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        if self.comparison is None:
            self.lines = ()
        else:
            self.lines = self.comparison.lines if self.show_all else self.comparison.differing_lines()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        n = 0 if self.comparison is None else len(self.comparison.scenarios)
        return 2 + n * len(LineMetric)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != DISPLAY:
            return None
        if section < 2:
            return ("Section", "Line")[section]
        if self.comparison is None:
            return None
        scenario, metric = self._locate(section)
        return f"{self.comparison.scenarios[scenario].name}\n{metric.label}"

    @staticmethod
    def _locate(column: int) -> tuple[int, LineMetric]:
        scenario, which = divmod(column - 2, len(LineMetric))
        return scenario, list(LineMetric)[which]

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or self.comparison is None:
            return None
        line = self.lines[index.row()]
        if index.column() < 2:
            if role == DISPLAY:
                return line.section if index.column() == 0 else line.description
            return None
        scenario, metric = self._locate(index.column())
        cell = line.cell(metric, scenario)
        if role == DISPLAY:
            return _format(cell.value, metric.is_money, False, self.comparison.currency)
        return _number_data(cell, False, role, metric is LineMetric.PRICE)

