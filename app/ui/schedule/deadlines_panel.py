"""The deadlines list's panel: filters above the table of groups, a Done tick that Edit › Undo takes back.

Every filter change walks the rows read once (:class:`~app.services.schedule.deadlines.DeadlineList`)
and resets the model; reading the database again is :meth:`DeadlinesPanel.refresh` (on the thread
pool: a big company's list takes a second to read), which the window's actions call after a step
and when others' changes are shown. The filters the user set
survive a refresh (a project or person that left the list falls back to "all").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import MilestoneKind, MilestoneOwner
from app.services.schedule.deadlines import Deadline, DeadlineList, Filter, counted, load_deadlines, set_done
from app.services.storage.database import Database
from app.ui.field_table import EDIT_ERRORS, CallCommand
from app.ui.schedule.deadlines_model import COLUMNS, DEADLINE_ROLE, DeadlinesTableModel
from app.ui.tasks import ViewRead


class DeadlinesPanel(QWidget):
    activated = Signal()  # the user works here: Edit › Undo follows this panel's steps
    overdueChanged = Signal(int)
    problem = Signal(str)  # a one-line message for the status bar
    deadlineActivated = Signal(object)  # the Deadline double-clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deadlinesPanel")
        self.db: Database | None = None
        self.today: Callable[[], date] = date.today
        self.listing = DeadlineList([], date.today())
        self.undo_stack = QUndoStack(self)
        self.read = ViewRead(self, lambda: (self.db,), self._work, self._show, self._failed, self.refresh)
        self.model = DeadlinesTableModel(self)
        self.model.doneRequested.connect(self._on_done_requested)
        self.text_filter = QLineEdit(self)
        self.text_filter.setObjectName("deadlinesFilter")
        self.text_filter.setPlaceholderText("Filter: project, client, deadline, person, notes…")
        self.text_filter.setClearButtonEnabled(True)
        self.owner_filter = self._combo(
            "deadlinesOwner", "Whose deadlines: the AM's, the PM's, or one person's"
        )
        self.project_filter = self._combo("deadlinesProject", "One project's deadlines")
        self.kind_filter = self._combo("deadlinesKind", "One kind of deadline")
        self.kind_filter.addItem("All kinds", "")
        for kind in MilestoneKind:
            self.kind_filter.addItem(kind.label, kind.value)
        self.summary = QLabel(self)
        self.summary.setObjectName("deadlinesSummary")
        self.view = QTableView(self)
        self.view.setObjectName("deadlinesView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((110, 230, 300, 130, 220, 180, 150)[: len(COLUMNS)]):
            self.view.setColumnWidth(column, width)
        self.view.doubleClicked.connect(self._on_view_doubleClicked)
        self.view.clicked.connect(lambda _index: self.activated.emit())
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setObjectName("deadlinesUndo")
        self.redo_action = self.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setObjectName("deadlinesRedo")
        toolbar = QToolBar(self)
        toolbar.setObjectName("deadlinesToolbar")
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        toolbar.addSeparator()
        toolbar.addWidget(self.text_filter)
        for combo in (self.owner_filter, self.project_filter, self.kind_filter):
            toolbar.addWidget(combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(toolbar)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        self.text_filter.textChanged.connect(lambda _text: self.apply_filter())
        for combo in (self.owner_filter, self.project_filter, self.kind_filter):
            combo.currentIndexChanged.connect(lambda _index: self.apply_filter())

    def _combo(self, name: str, tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    # -- reading ------------------------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self.undo_stack.clear()
        self.refresh()

    def refresh(self) -> None:
        """Read every deadline again, off the GUI thread (40,000 rows take a second); the list and
        the count follow when the read is in. Asked again meanwhile: read once more after it."""
        db = self.db
        if db is None:
            self._show(DeadlineList([], self.today()))
            return
        self.read.request()

    def _work(self, target: tuple[Any, ...]) -> Callable[[], DeadlineList]:
        (db,), today = target, self.today()
        return lambda: load_deadlines(db, today)

    def is_loaded(self) -> bool:
        """No read under way (what tests wait for)."""
        return not self.read.busy

    def _failed(self, message: str) -> None:
        self.problem.emit(f"Could not read the deadlines: {message}")

    def _show(self, listing: DeadlineList) -> None:
        self.listing = listing
        self._fill_choices()
        self.apply_filter()
        self.overdueChanged.emit(listing.overdue())

    def _fill_choices(self) -> None:
        owners: list[tuple[str, str]] = [
            ("Everyone", ""),
            ("AM", MilestoneOwner.AM.value),
            ("PM", MilestoneOwner.PM.value),
        ]
        owners += [(name, name) for name in self.listing.people()]
        projects: list[tuple[str, Any]] = [
            ("All projects", None),
            *((n, i) for i, n in self.listing.projects()),
        ]
        for combo, items in ((self.owner_filter, owners), (self.project_filter, projects)):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, value in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
            combo.blockSignals(False)

    def current_filter(self) -> Filter:
        return Filter(
            owner=self.owner_filter.currentData() or "",
            project_id=self.project_filter.currentData(),
            kind=self.kind_filter.currentData() or "",
            text=self.text_filter.text(),
        )

    def apply_filter(self) -> None:
        groups = self.listing.filtered(self.current_filter())
        self.model.set_groups(groups)
        self.view.clearSpans()
        for row in self.model.header_rows():
            self.view.setSpan(row, 0, 1, len(COLUMNS))
        shown, total = counted(groups), len(self.listing.rows)
        self.summary.setText(f"{shown} of {total} deadlines" if shown != total else f"{total} deadlines")

    # -- the Done tick --------------------------------------------------------------------------

    def _on_done_requested(self, row: Deadline, done: bool) -> None:
        self.activated.emit()
        db = self.db
        if db is None:
            return
        try:
            version = set_done(db, row.row_id, row.version, done)
        except EDIT_ERRORS as error:
            self.problem.emit(str(error))
            return
        state = {"version": version}

        def write(value: bool) -> None:
            state["version"] = set_done(db, row.row_id, state["version"], value)
            self._show_done(row.row_id, value, state["version"])

        command = CallCommand(
            f"{'Done' if done else 'Not done'}: {row.name} ({row.project_name})",
            lambda: write(done),
            lambda: write(not done),
        )
        command.report = self.problem.emit
        self._show_done(row.row_id, done, version)
        self.undo_stack.push(command)

    def _show_done(self, row_id: uuid.UUID, done: bool, version: int) -> None:
        """The tick shown: on the row kept in the list, or the list read again when it is gone."""
        if self.listing.mark(row_id, done, version):
            self.model.mark(row_id, done, version)
            self.overdueChanged.emit(self.listing.overdue())
        else:
            self.refresh()

    def _on_view_doubleClicked(self, index: QModelIndex) -> None:
        row = index.data(DEADLINE_ROLE)
        if isinstance(row, Deadline):
            self.deadlineActivated.emit(row)
