"""View › Capacity outlook's panel: the weeks to look at above the grid of roles and items × weeks;
below it, the projects in the chosen cell and the chosen row's chart.

The outlook is read on the thread pool (:func:`app.ui.tasks.run_task`): 2,000 open projects take a
moment. Asked to read again while a read runs, it reads once more after it. The chosen cell survives
a refresh (by row and week). A double click on a cell opens its project when it has one, else puts
the focus in the projects list, where a double click (or Enter) opens one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.services.outlook.build import outlook
from app.services.outlook.table import DEFAULT_WEEKS, Cell, Outlook, Share, amount_text, week_start
from app.services.storage.database import Database
from app.ui.outlook.chart import OutlookChart
from app.ui.outlook.model import OVER_TEXT, OutlookModel, stage_text
from app.ui.tasks import ViewRead
from app.ui.widgets import RowsModel

PROJECT_HEADERS = ("Project", "Stage", "Win %", "Wanted", "Share")
MAX_WEEKS = 52
CHOSEN_FRAME = "#1f4e8c"


def _share_cells(item: tuple[Share, Cell]) -> tuple[str, ...]:
    share, cell = item
    return (
        share.project_name,
        stage_text(share.status),
        amount_text(share.probability_pct),
        amount_text(share.amount, cell.row.unit),
        f"{cell.part_pct(share):.0f} %",
    )


class CellDelegate(QStyledItemDelegate):
    """The chosen cell framed rather than filled, so that a red week stays red when chosen."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        chosen = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[operator]
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QStyle.StateFlag.State_Selected  # type: ignore[assignment,operator]
        plain.state &= ~QStyle.StateFlag.State_HasFocus  # type: ignore[assignment,operator]
        super().paint(painter, plain, index)
        if chosen:
            painter.save()
            painter.setPen(QPen(QColor(CHOSEN_FRAME), 2))
            painter.drawRect(option.rect.adjusted(1, 1, -1, -1))  # type: ignore[attr-defined]
            painter.restore()


class OutlookPanel(QWidget):
    problem = Signal(str)  # a one-line message for the status bar
    projectActivated = Signal(object)  # the project's id: open it
    loaded = Signal()  # a read is shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outlookPanel")
        self.db: Database | None = None
        self.table: Outlook | None = None
        self.read = ViewRead(self, lambda: (self.db,), self._work, self._show, self._failed, self.refresh)
        monday = week_start(date.today())
        self.start_edit = QDateEdit(QDate(monday.year, monday.month, monday.day), self)
        self.start_edit.setObjectName("outlookStart")
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("d MMM yyyy")
        self.start_edit.setToolTip("The first week shown (its Monday)")
        self.weeks_spin = QSpinBox(self)
        self.weeks_spin.setObjectName("outlookWeeks")
        self.weeks_spin.setRange(1, MAX_WEEKS)
        self.weeks_spin.setValue(DEFAULT_WEEKS)
        self.weeks_spin.setSuffix(" weeks")
        self.weeks_spin.setToolTip("How many weeks ahead to look")
        self.equipment_check = QCheckBox("Equipment", self)
        self.equipment_check.setObjectName("outlookEquipment")
        self.equipment_check.setChecked(True)
        self.equipment_check.setToolTip("Show the stocked items too, below the roles")
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("outlookRefresh")
        self.refresh_button.setToolTip("Read the pipeline, the crew and the stock again")
        self.summary = QLabel(self)
        self.summary.setObjectName("outlookSummary")
        toolbar = QToolBar(self)
        toolbar.setObjectName("outlookToolbar")
        toolbar.addWidget(QLabel("From ", self))
        toolbar.addWidget(self.start_edit)
        toolbar.addWidget(QLabel("  for ", self))
        toolbar.addWidget(self.weeks_spin)
        toolbar.addSeparator()
        toolbar.addWidget(self.equipment_check)
        toolbar.addWidget(self.refresh_button)
        toolbar.addSeparator()
        toolbar.addWidget(self.summary)

        self.model = OutlookModel(self)
        self.grid = QTableView(self)
        self.grid.setObjectName("outlookGrid")
        self.grid.setModel(self.model)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setWordWrap(False)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.horizontalHeader().setDefaultSectionSize(84)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.verticalHeader().setDefaultSectionSize(26)
        self.grid.setItemDelegate(CellDelegate(self.grid))
        self.grid.doubleClicked.connect(self._on_grid_double_clicked)
        self.grid.selectionModel().currentChanged.connect(lambda current, _old: self._show_cell(current))

        self.projects_title = QLabel("Projects in the chosen week", self)
        self.projects_title.setObjectName("outlookProjectsTitle")
        self.projects_title.setStyleSheet("font-weight: bold;")
        self.projects_title.setToolTip("A double click (or Enter) on a project opens it")
        self.projects_model = RowsModel(PROJECT_HEADERS, _share_cells, {2, 3, 4}, self)
        self.projects = QTableView(self)
        self.projects.setObjectName("outlookProjects")
        self.projects.setModel(self.projects_model)
        self.projects.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.projects.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.projects.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.projects.verticalHeader().hide()
        header = self.projects.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.projects.activated.connect(self._on_project_activated)
        self.chart = OutlookChart(self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.projects_title)
        left_layout.addWidget(self.projects)
        below = QSplitter(Qt.Orientation.Horizontal, self)
        below.setObjectName("outlookBelow")
        below.addWidget(left)
        below.addWidget(self.chart)
        below.setStretchFactor(0, 2)
        below.setStretchFactor(1, 5)
        below.setSizes([420, 1050])
        self.split = split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("outlookSplit")
        split.addWidget(self.grid)
        split.addWidget(below)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        self._sized = False  # the grid fitted to its rows once, then the user's splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(toolbar)
        layout.addWidget(split, 1)

        self.start_edit.dateChanged.connect(lambda _d: self.refresh())
        self.weeks_spin.valueChanged.connect(lambda _n: self.refresh())
        self.equipment_check.toggled.connect(lambda _on: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)

    # -- reading ------------------------------------------------------------------------------

    def start(self) -> date:
        chosen = self.start_edit.date()
        return week_start(date(chosen.year(), chosen.month(), chosen.day()))

    def set_range(self, start: date, weeks: int) -> None:
        """Show ``weeks`` weeks from ``start``'s Monday (one read)."""
        for widget in (self.start_edit, self.weeks_spin):
            widget.blockSignals(True)
        self.start_edit.setDate(QDate(start.year, start.month, start.day))
        self.weeks_spin.setValue(weeks)
        for widget in (self.start_edit, self.weeks_spin):
            widget.blockSignals(False)
        self.refresh()

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self.refresh()

    def is_loaded(self) -> bool:
        """No read under way (what tests wait for)."""
        return not self.read.busy

    def refresh(self) -> None:
        db = self.db
        if db is None:
            self._show(None)
            return
        self.read.request()

    def _work(self, target: tuple[Any, ...]) -> Callable[[], Outlook]:
        (db,) = target
        start, weeks, equipment = self.start(), self.weeks_spin.value(), self.equipment_check.isChecked()
        self.summary.setText("Reading…")
        return lambda: outlook(db, start, weeks, equipment=equipment)

    def _failed(self, message: str) -> None:
        self.summary.setText("")
        self.problem.emit(f"Could not read the capacity outlook: {message}")

    def _show(self, table: Outlook | None) -> None:
        chosen = self.model.cell_at(self.grid.currentIndex())
        self.table = table
        self.model.set_outlook(table)
        self.summary.setText(self._summary(table))
        over = table.over() if table is not None else []
        self.summary.setStyleSheet(f"color: {OVER_TEXT.name()}; font-weight: bold;" if over else "")
        index = self.model.index_of(chosen.row.id, chosen.week) if chosen is not None else QModelIndex()
        if not index.isValid() and table is not None and table.rows:  # the first over cell, else the first
            first = over[0] if over else table.cell(table.rows[0].id, table.weeks[0])
            index = self.model.index_of(first.row.id, first.week)
        if index.isValid():
            self.grid.setCurrentIndex(index)
        if table is not None and table.rows and not self._sized:
            self._fit_grid()
        self._show_cell(self.grid.currentIndex())
        self.loaded.emit()

    def _fit_grid(self) -> None:
        """The grid as tall as its rows (up to half the panel), the chart and the list below."""
        self._sized = True
        grid = self.grid
        rows = grid.verticalHeader().length() + grid.horizontalHeader().height() + 2 * grid.frameWidth()
        rows += grid.horizontalScrollBar().sizeHint().height()
        total = sum(self.split.sizes())
        wanted = min(rows, max(total // 2, 160))
        self.split.setSizes([wanted, max(total - wanted, 200)])

    @staticmethod
    def _summary(table: Outlook | None) -> str:
        if table is None:
            return ""
        if not table.rows:
            return "No crew, labour calls or held equipment in these weeks"
        over = table.over()
        if not over:
            return "  Every week is within what we have"
        weeks = len({c.week for c in over})
        names = ", ".join(dict.fromkeys(c.row.name for c in over))
        return f"  {weeks} week{'s' if weeks != 1 else ''} over-booked: {names}"

    # -- the chosen cell ----------------------------------------------------------------------

    def _show_cell(self, index: QModelIndex) -> None:
        cell = self.model.cell_at(index)
        if cell is None:
            self.projects_model.set_rows([])
            self.projects_title.setText("Projects in the chosen week")
            self.chart.show_row(self.table, None)
            return
        self.projects_model.set_rows([(share, cell) for share in cell.shares])
        self.projects_title.setText(cell.reason() + (" — over" if cell.over else ""))
        self.chart.show_row(self.table, cell.row.id)

    def select_cell(self, row_id: uuid.UUID, week: date) -> None:
        index = self.model.index_of(row_id, week)
        if index.isValid():
            self.grid.setCurrentIndex(index)

    def _on_grid_double_clicked(self, index: QModelIndex) -> None:
        cell = self.model.cell_at(index)
        if cell is None or not cell.shares:
            return
        if len(cell.shares) == 1:
            self.projectActivated.emit(cell.shares[0].project_id)
            return
        self.projects.setFocus()
        self.projects.setCurrentIndex(self.projects_model.index(0, 0))

    def _on_project_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            share, _cell = self.projects_model.row_at(index.row())
            self.projectActivated.emit(share.project_id)

    def project_rows(self) -> list[Any]:
        return [share for share, _ in self.projects_model.rows()]
