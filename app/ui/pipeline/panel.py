"""The pipeline's panel: the filter bar, the board or the table, and the folded statuses' strip.

:meth:`PipelinePanel.refresh` reads the pipeline on the thread pool
(:func:`app.services.pipeline.board.load_pipeline`); a filter change only walks what was read.
The filters the user set survive a refresh (a person or client that left falls back to "all").
The strip under the board counts lost, cancelled, postponed and delivered projects; a click opens
that group's list, and a card dropped on one of its buttons asks for that move.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ProjectStatus
from app.services.money import ZERO
from app.services.pipeline.board import (
    BoardFilter,
    Card,
    Pipeline,
    columns,
    folded_groups,
    load_pipeline,
    people,
)
from app.services.pipeline.values import FOLDED
from app.services.storage.database import Database
from app.ui.pipeline.board_view import BoardView
from app.ui.pipeline.cells import show_dates, whole
from app.ui.pipeline.table_model import PipelineTableModel
from app.ui.tasks import ViewRead
from app.ui.widgets import RowsModel

ANY_DAY = QDate(2000, 1, 1)  # a date edit at its minimum reads "any"
FOLDED_HEADERS = ("Client", "Project", "Status", "AM", "PM", "Show", "Lost reason")


class PipelinePanel(QWidget):
    moveRequested = Signal(object, object)  # Card, ProjectStatus
    cardActivated = Signal(object)  # Card
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pipelinePanel")
        self.db: Database | None = None
        self.today: Callable[[], date] = date.today
        self.warnings: Callable[[Database], Mapping[uuid.UUID, str]] | None = (
            None  # the lead wires the outlook
        )
        self.pm_view = False
        self.pipeline = Pipeline((), (), {}, date.today())
        self.read = ViewRead(self, lambda: (self.db,), self._work, self._show, self._failed, self.refresh)
        # The filter bar.
        self.text_filter = QLineEdit(self)
        self.text_filter.setObjectName("pipelineFilter")
        self.text_filter.setPlaceholderText("Filter: client, project, person, follow-up…")
        self.text_filter.setClearButtonEnabled(True)
        self.am_filter = self._combo("pipelineAm", "One account manager's projects")
        self.pm_filter = self._combo("pipelinePm", "One project manager's projects")
        self.client_filter = self._combo("pipelineClient", "One client's projects")
        self.from_date = self._date("pipelineFrom", "Show dates from (any: no limit)")
        self.to_date = self._date("pipelineTo", "Show dates until (any: no limit)")
        # Board or table.
        self.board = BoardView(self)
        self.board.moveRequested.connect(self.moveRequested)
        self.board.cardActivated.connect(self.cardActivated)
        self.model = PipelineTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("pipelineTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(
            lambda index: self.cardActivated.emit(self.model.card_at(index.row()))
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.board)
        self.stack.addWidget(self.table)
        group = QActionGroup(self)
        self.board_action = QAction("Board", self)
        self.board_action.setObjectName("pipelineBoardMode")
        self.table_action = QAction("Table", self)
        self.table_action.setObjectName("pipelineTableMode")
        for action, page in ((self.board_action, self.board), (self.table_action, self.table)):
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda _=False, w=page: self.stack.setCurrentWidget(w))
        self.board_action.setChecked(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("pipelineSummary")
        toolbar = QToolBar(self)
        toolbar.setObjectName("pipelineToolbar")
        toolbar.addAction(self.board_action)
        toolbar.addAction(self.table_action)
        toolbar.addSeparator()
        toolbar.addWidget(self.text_filter)
        for widget in (self.am_filter, self.pm_filter, self.client_filter):
            toolbar.addWidget(widget)
        toolbar.addWidget(QLabel(" Show from ", self))
        toolbar.addWidget(self.from_date)
        toolbar.addWidget(QLabel(" to ", self))
        toolbar.addWidget(self.to_date)
        # The folded statuses: a strip of buttons (drop targets too) and the open group's list.
        strip = QHBoxLayout()
        strip.setContentsMargins(0, 0, 0, 0)
        strip.addWidget(QLabel("Folded:", self))
        self.folded_buttons: dict[ProjectStatus, QToolButton] = {}
        for status in FOLDED:
            button = QToolButton(self)
            button.setObjectName(f"pipelineFolded_{status.value}")
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolTip(
                f"The {status.label.lower()} projects; drop a card here to mark it {status.label.lower()}"
            )
            button.toggled.connect(lambda on, s=status: self._show_folded(s if on else None))
            self.folded_buttons[status] = button
            self.board.targets[status] = button
            strip.addWidget(button)
        strip.addStretch(1)
        strip.addWidget(self.summary)
        self.folded_model = RowsModel(FOLDED_HEADERS, self._folded_cells, set(), self)
        self.folded_view = QTableView(self)
        self.folded_view.setObjectName("pipelineFoldedList")
        self.folded_view.setModel(self.folded_model)
        self.folded_view.verticalHeader().hide()
        self.folded_view.horizontalHeader().setStretchLastSection(True)
        self.folded_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.folded_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.folded_view.setMaximumHeight(180)
        self.folded_view.hide()
        self.folded_view.doubleClicked.connect(
            lambda index: self.cardActivated.emit(self.folded_model.row_at(index.row()))
        )
        self._folded_open: ProjectStatus | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(toolbar)
        layout.addWidget(self.stack, 1)
        layout.addLayout(strip)
        layout.addWidget(self.folded_view)
        self.text_filter.textChanged.connect(lambda _text: self.apply_filter())
        for combo in (self.am_filter, self.pm_filter, self.client_filter):
            combo.currentIndexChanged.connect(lambda _index: self.apply_filter())
        for edit in (self.from_date, self.to_date):
            edit.dateChanged.connect(lambda _day: self.apply_filter())
        self.apply_filter()

    def _combo(self, name: str, tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _date(self, name: str, tip: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setToolTip(tip)
        edit.setCalendarPopup(True)
        edit.setMinimumDate(ANY_DAY)
        edit.setSpecialValueText("any")
        edit.setDisplayFormat("d MMM yyyy")
        edit.setDate(ANY_DAY)
        return edit

    @staticmethod
    def _folded_cells(card: Card) -> list[str]:
        return [
            card.client,
            card.project,
            card.status.label,
            card.account_manager,
            card.project_manager,
            show_dates(card),
            card.lost_reason,
        ]

    # -- reading ------------------------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self.refresh()

    def refresh(self) -> None:
        """Read the pipeline again off the GUI thread; asked again meanwhile: once more after it."""
        db = self.db
        if db is None:
            self._show(Pipeline((), (), {}, self.today()))
            return
        self.read.request()

    def _work(self, target: tuple[Any, ...]) -> Callable[[], Pipeline]:
        (db,), today, warnings = target, self.today(), self.warnings
        return lambda: load_pipeline(db, today, warnings(db) if warnings else None)

    def is_loaded(self) -> bool:
        return not self.read.busy

    def _failed(self, message: str) -> None:
        self.problem.emit(f"The pipeline could not be read: {message}")

    def _show(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        ams, pms, clients = people(pipeline)
        self._fill(self.am_filter, "All AMs", [(a, a) for a in ams])
        self._fill(self.pm_filter, "All PMs", [(p, p) for p in pms])
        self._fill(self.client_filter, "All clients", [(str(i), name) for i, name in clients])
        self.apply_filter()

    @staticmethod
    def _fill(combo: QComboBox, everyone: str, items: list[tuple[str, str]]) -> None:
        kept = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everyone, "")
        for data, text in items:
            combo.addItem(text, data)
        at = combo.findData(kept) if kept else 0
        combo.setCurrentIndex(max(0, at))
        combo.blockSignals(False)

    # -- filtering ----------------------------------------------------------------------------

    def current_filter(self) -> BoardFilter:
        client = self.client_filter.currentData()
        start, end = self.from_date.date(), self.to_date.date()
        return BoardFilter(
            account_manager=self.am_filter.currentData() or "",
            project_manager=self.pm_filter.currentData() or "",
            client_id=uuid.UUID(client) if client else None,
            start=None if start == ANY_DAY else start.toPython(),  # type: ignore[arg-type]
            end=None if end == ANY_DAY else end.toPython(),  # type: ignore[arg-type]
            text=self.text_filter.text().strip(),
        )

    def set_pm_view(self, on: bool) -> None:
        self.pm_view = on
        self.apply_filter()

    def apply_filter(self) -> None:
        board_filter, pipeline = self.current_filter(), self.pipeline
        shown = columns(pipeline, board_filter)
        self.board.show_columns(shown, pipeline.currency, pipeline.today, self.pm_view)
        cards = [card for column in shown for card in column.cards]
        self.model.set_cards(cards, pipeline.currency, pipeline.today, self.pm_view)
        self._groups = {g.status: g for g in folded_groups(pipeline, board_filter)}
        for status, button in self.folded_buttons.items():
            button.setText(f"{status.label} {self._groups[status].count}")
        self._show_folded(self._folded_open)
        value = sum((c.price for c in cards), ZERO)
        weighted = sum((c.weighted for c in cards), ZERO)
        self.summary.setText(
            f"{len(cards)} open · {whole(value, pipeline.currency)} · weighted "
            f"{whole(weighted, pipeline.currency)}"
        )

    def _show_folded(self, status: ProjectStatus | None) -> None:
        self._folded_open = status
        for other, button in self.folded_buttons.items():
            button.blockSignals(True)
            button.setChecked(other == status)
            button.blockSignals(False)
        group = self._groups.get(status) if status is not None else None
        self.folded_model.set_rows(list(group.cards) if group else [])
        self.folded_view.setVisible(group is not None)
