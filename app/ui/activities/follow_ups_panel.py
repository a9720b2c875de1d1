"""*My follow-ups*: whose list (a chooser, remembered), the table, a Done tick that Edit › Undo takes back.

The list is read off the GUI thread (:func:`~app.ui.tasks.run_task`) whenever the window asks
(:meth:`FollowUpsPanel.refresh`: the database opened, others' changes shown, a step taken
elsewhere); ``dueChanged`` then says how many are due today or overdue (the status bar's
“N follow-ups due”). The owner chooser lists everyone, the person at the keyboard and every name
that owns an activity or is an AM on a project; the choice is kept in the user's settings (one key
for every such list, so the start page and View › My follow-ups show the same person's).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QSettings, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.services.activities.follow_ups import (
    ActivityRow,
    default_owner,
    due_count,
    my_follow_ups,
    owner_names,
)
from app.services.activities.records import set_done
from app.services.storage.database import Database
from app.ui.activities.follow_ups_model import ACTIVITY_ROLE, COLUMNS, SUBJECT, FollowUpsModel
from app.ui.field_table import EDIT_ERRORS, CallCommand
from app.ui.tasks import ViewRead

OWNER_KEY = "follow_ups/owner"
EVERYONE = "\x00everyone"  # the chooser's "Everyone" (no name can be this)


class FollowUpsPanel(QWidget):
    activated = Signal()  # the user works here: Edit › Undo follows this panel's steps
    dueChanged = Signal(int)
    problem = Signal(str)
    rowActivated = Signal(object)  # the ActivityRow double-clicked
    ownerChanged = Signal(str)

    def __init__(
        self, settings: QSettings | None, parent: QWidget | None = None, name: str = "followUps"
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Panel")
        self.settings = settings
        self.db: Database | None = None
        self.today: Callable[[], date] = date.today
        self.undo_stack = QUndoStack(self)
        self.read = ViewRead(self, lambda: (self.db,), self._work, self._read_in, self._failed, self.refresh)
        self.model = FollowUpsModel(self)
        self.model.doneRequested.connect(self._on_done_requested)
        self.owner = QComboBox(self)
        self.owner.setObjectName(f"{name}Owner")
        self.owner.setToolTip("Whose follow-ups: yours, an AM's, or everyone's (kept for next time)")
        self.owner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.owner.currentIndexChanged.connect(self._on_owner_changed)
        self.summary = QLabel(self)
        self.summary.setObjectName(f"{name}Summary")
        self.view = QTableView(self)
        self.view.setObjectName(f"{name}View")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((56, 190, 360, 100, 240, 220)):
            self.view.setColumnWidth(column, width)
        header.setSectionResizeMode(SUBJECT, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self._on_view_doubleClicked)
        self.view.clicked.connect(lambda _index: self.activated.emit())
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setObjectName(f"{name}Undo")
        self.redo_action = self.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setObjectName(f"{name}Redo")
        toolbar = QToolBar(self)
        toolbar.setObjectName(f"{name}Toolbar")
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel("Follow-ups of ", self))
        toolbar.addWidget(self.owner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(toolbar)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)

    # -- whose ----------------------------------------------------------------------------------

    def chosen_owner(self) -> str:
        """The name whose list is shown ("" for everyone): as kept, else the person at the keyboard
        when they own activities or are an AM on a project, else everyone."""
        kept = self.settings.value(OWNER_KEY) if self.settings is not None else None
        if isinstance(kept, str) and kept:
            return "" if kept == EVERYONE else kept
        user = default_owner(self.db)  # an AM's name when the login is one, else everyone's list
        known = owner_names(self.db) if self.db is not None else []
        return user if user in known else ""

    def set_owner(self, owner: str) -> None:
        """Show ``owner``'s list ("" everyone's) and keep the choice."""
        if self.settings is not None:
            self.settings.setValue(OWNER_KEY, owner or EVERYONE)
        self._fill_owners(owner)
        self.refresh()

    def _fill_owners(self, chosen: str, names: list[str] | None = None) -> None:
        if names is None:
            names = owner_names(self.db) if self.db is not None else []
        for extra in (default_owner(self.db), chosen):
            if extra and extra.lower() not in {n.lower() for n in names}:
                names.append(extra)
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem("Everyone", "")
        for name in sorted(names, key=str.lower):
            self.owner.addItem(name, name)
        self.owner.setCurrentIndex(max(self.owner.findData(chosen), 0))
        self.owner.blockSignals(False)

    def _on_owner_changed(self, _index: int) -> None:
        owner = str(self.owner.currentData() or "")
        if self.settings is not None:
            self.settings.setValue(OWNER_KEY, owner or EVERYONE)
        self.ownerChanged.emit(owner)
        self.refresh()

    # -- reading --------------------------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self.undo_stack.clear()
        if db is not None:
            self._fill_owners(self.chosen_owner())
        self.refresh()

    def refresh(self) -> None:
        """Read the list again off the GUI thread; asked again meanwhile: once more after it."""
        db = self.db
        if db is None:
            self._show([], self.today())
            return
        self.read.request()

    def _work(self, target: tuple[Any, ...]) -> Callable[[], tuple[list[ActivityRow], list[str], date]]:
        (db,), today, owner = target, self.today(), str(self.owner.currentData() or "")
        return lambda: (my_follow_ups(db, owner, today), owner_names(db), today)

    def is_loaded(self) -> bool:
        return not self.read.busy

    def _read_in(self, read: tuple[list[ActivityRow], list[str], date]) -> None:
        rows, names, today = read
        self._fill_owners(str(self.owner.currentData() or ""), names)  # new names since
        self._show(rows, today)

    def _failed(self, message: str) -> None:
        self.problem.emit(f"Could not read the follow-ups: {message}")

    def _show(self, rows: list[ActivityRow], today: date) -> None:
        self.model.set_rows(rows, today)
        self._count()

    def _count(self) -> None:
        rows, today = self.model.rows, self.model.today
        due = due_count(rows, today)
        late = sum(1 for r in rows if r.overdue(today))
        open_rows = sum(1 for r in rows if not r.done)
        self.summary.setText(
            f"{open_rows} open, {late} overdue, {due} due by today" if rows else "Nothing to follow up."
        )
        self.dueChanged.emit(due)

    # -- the Done tick ----------------------------------------------------------------------------

    def _on_done_requested(self, row: ActivityRow, done: bool) -> None:
        self.activated.emit()
        db = self.db
        if db is None:
            return
        try:
            version = set_done(db, row.id, row.version, done)
        except EDIT_ERRORS as error:
            self.problem.emit(str(error))
            self.refresh()
            return
        state = {"version": version}

        def write(value: bool) -> None:
            state["version"] = set_done(db, row.id, state["version"], value)
            self._show_done(row, value, state["version"])

        label = row.project_name or row.client_name
        command = CallCommand(
            f"{'Done' if done else 'Not done'}: {row.subject} ({label})",
            lambda: write(done),
            lambda: write(not done),
        )
        command.report = self.problem.emit
        self._show_done(row, done, version)
        self.undo_stack.push(command)

    def _show_done(self, row: ActivityRow, done: bool, version: int) -> None:
        if self.model.mark(row.id, done, version):
            self._count()
        else:
            self.refresh()

    def _on_view_doubleClicked(self, index: QModelIndex) -> None:
        row = index.data(ACTIVITY_ROLE)
        if isinstance(row, ActivityRow) and index.column() != 0:
            self.rowActivated.emit(row)


__all__ = ["COLUMNS", "FollowUpsPanel"]
