"""The crew calendar panel: roster, filters, zoom, go to a date or a project, the calendar, the conflicts
list and its own undo stack (its toolbar's Undo/Redo always name its own steps)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import AssignmentStatus
from app.services.crew.board import CrewBoard
from app.services.crew.records import BoardChange, BoardChangeKind, OpenPosition
from app.services.projects.dates import ProjectDays, dated_projects, project_days
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.services.storage.versioned import ConcurrentEditError
from app.services.values import InputError
from app.ui.crew.calendar import CrewCalendarView
from app.ui.crew.commands import AssignCrew, DeleteAssignment, MoveAssignment, SetAssignmentStatus
from app.ui.crew.day_grid import GoToDateBox, panel_action, zoom_actions
from app.ui.crew.interactions import BarEdit
from app.ui.crew.roster import CrewRoster
from app.ui.estimate.commands import GuardedCommand

DAYS_SHOWN = 366
ID_ROLE = Qt.ItemDataRole.UserRole


def position_label(position: OpenPosition) -> str:
    return (f"{position.project_name} — {position.role_name}, {position.phase.replace('_', '-')} "
            f"{position.starts_at:%H:%M}–{position.ends_at:%H:%M} "
            f"({position.filled} of {position.needed} filled)")


class CrewCalendarPanel(QWidget):
    """Loads its CrewBoard when first shown (or asked), so a window that never opens it pays nothing."""

    activated = Signal()
    # An assignment added, moved, re-timed, confirmed or deleted here (saved): Staffing and Capacity follow.
    assignmentsChanged = Signal()

    def __init__(self, dialogs: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crewCalendarPanel")
        self.dialogs = dialogs
        self.db: Database | None = None
        self.board: CrewBoard | None = None
        self.project_id: uuid.UUID | None = None  # the project whose days are shaded
        self.start = date.today().replace(day=1) - timedelta(days=31)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("crewUndoStack")

        self.view = CrewCalendarView(self)
        self.roster = CrewRoster(self)
        self.conflicts = QListWidget(self)
        self.conflicts.setObjectName("crewConflicts")
        self.conflicts.setWordWrap(True)
        self.role_filter = QComboBox(self)
        self.role_filter.setObjectName("crewRoleFilter")
        self.name_filter = QLineEdit(self)
        self.name_filter.setObjectName("crewNameFilter")
        self.name_filter.setPlaceholderText("Filter by name")
        self.name_filter.setClearButtonEnabled(True)
        self.conflict_label = QLabel(self)
        self.conflict_label.setObjectName("crewConflictCount")
        self.date_edit = GoToDateBox("crewGoToDate", self)
        self.date_error = self.date_edit.error

        self._build_actions()
        self._build_layout()

        self.view.editRequested.connect(self._on_edit_requested)
        self.view.deleteRequested.connect(self.delete_assignment)
        self.view.crewDropped.connect(self.assign_dropped)
        self.view.statusToggleRequested.connect(self.toggle_status)
        self.view.selectionChanged.connect(self._on_selection_changed)
        self.conflicts.currentItemChanged.connect(self._on_conflict_chosen)
        self.date_edit.dayChosen.connect(self._on_date_entered)
        self.role_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.name_filter.textChanged.connect(self._on_filter_changed)
        self._on_selection_changed(None)

    def _build_actions(self) -> None:
        def action(text: str, name: str, slot: Any, shortcut: str | None = None) -> QAction:
            return panel_action(self, text, name, slot, shortcut)

        self.week_action, self.month_action = zoom_actions(self, "crew", self.set_zoom)
        self.today_action = action("Today", "crewToday", lambda: self.view.scroll_to_day(date.today()))
        self.confirm_action = action("Confirm", "actionConfirmAssignment",
                                     lambda: self.toggle_status(self.view.selected), "Ctrl+Return")
        self.confirm_action.setToolTip("Confirm the selected assignment (or make it tentative again)")
        self.delete_bar_action = action("Delete assignment", "actionDeleteAssignment",
                                        lambda: self.delete_assignment(self.view.selected))
        self.go_to_date_action = action("Go to date", "actionCrewGoToDate", self.date_edit.ask, "Ctrl+G")
        self.go_to_date_action.setToolTip("Go to a date (Ctrl+G)")
        self.go_to_project_action = action("Go to project", "actionCrewGoToProject", self.choose_project,
                                           "Ctrl+Shift+G")
        self.go_to_project_action.setToolTip("Show a project's days, load-in to strike (Ctrl+Shift+G)")
        # The calendar's own steps, whatever the window's Edit menu shows; no shortcut here (the
        # window's Ctrl+Z follows the calendar when the user works in it).
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setObjectName("crewUndo")
        self.redo_action = self.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setObjectName("crewRedo")

    def _build_layout(self) -> None:
        toolbar = QToolBar(self)
        toolbar.setObjectName("crewToolbar")
        for made in (self.undo_action, self.redo_action):
            toolbar.addAction(made)
        toolbar.addSeparator()
        for made in (self.week_action, self.month_action, self.today_action):
            toolbar.addAction(made)
        toolbar.addWidget(self.date_edit)
        toolbar.addWidget(self.date_error)
        toolbar.addAction(self.go_to_project_action)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Role ", self))
        toolbar.addWidget(self.role_filter)
        toolbar.addWidget(QLabel("  ", self))
        toolbar.addWidget(self.name_filter)
        toolbar.addSeparator()
        toolbar.addAction(self.confirm_action)
        toolbar.addAction(self.delete_bar_action)

        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("<b>Roster</b> — drag onto a day", side))
        side_layout.addWidget(self.roster, 3)
        side_layout.addWidget(self.conflict_label)
        side_layout.addWidget(self.conflicts, 2)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("crewSplitter")
        splitter.addWidget(side)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([270, 1400])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        top = QHBoxLayout()
        top.addWidget(toolbar)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    # -- loading ------------------------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        self._drop_board()
        self.project_id, self.view.grid.project_days = None, None
        self.db = db
        if db is not None and self.isVisible():
            self.load()

    def load(self, start: date | None = None) -> None:
        """Read the board for a year from ``start`` (by default a month before this one)."""
        if self.db is None:
            return
        if start is not None:
            self.start = start
        self._drop_board()
        board = CrewBoard(self.db, self.start, self.start + timedelta(days=DAYS_SHOWN - 1))
        board.subscribe(self._on_board_changed)
        self.board = board
        self._fill_filters()
        self.view.set_board(board, self.start, DAYS_SHOWN)
        self._show_board()
        # Open where the work is: the next assignment from today, else today.
        today = date.today()
        upcoming = [a.starts_at.date() for a in board.assignments.values() if a.starts_at.date() >= today]
        self.view.scroll_to_day(min(upcoming, default=today), centre=False)

    # -- going to a date or a project ----------------------------------------------------------

    def go_to_day(self, day: date, centre: bool = True) -> None:
        """Show ``day``; a day outside the year read moves the range there (the undo steps stay)."""
        if self.db is None:
            return
        board = self.board
        try:
            if board is None:
                self.load(self._range_start(day))
            elif not self.start <= day < self.start + timedelta(days=DAYS_SHOWN):
                shown = (board.start, board.end)
                start = self._range_start(day)
                try:
                    board.set_range(start, start + timedelta(days=DAYS_SHOWN - 1))
                except StorageError:
                    board.start, board.end = shown  # its data is still that range's
                    raise
                self.start = start
                self.view.set_board(board, start, DAYS_SHOWN)
        except StorageError as error:  # a failed read: said; the calendar shows the last good one
            self.dialogs.error(self, "Cannot read the calendar", str(error))
            return
        self.view.scroll_to_day(day, centre)

    @staticmethod
    def _range_start(day: date) -> date:
        return day.replace(day=1) - timedelta(days=31)

    def show_project(self, days: ProjectDays | None) -> None:
        """Shade a project's days and start the view a day before its load-in (None: no project)."""
        self.project_id = days.project_id if days is not None else None
        self.view.grid.project_days = (days.first, days.last) if days is not None else None
        if days is not None:
            self.go_to_day(days.first - timedelta(days=1), centre=False)
        self.view.viewport().update()

    def go_to_project(self, project_id: uuid.UUID) -> ProjectDays | None:
        """Open on a project's days (from load-in to strike); a project without days changes nothing."""
        if self.db is None:
            return None
        try:
            days = project_days(self.db, project_id)
        except StorageError as error:
            self.dialogs.error(self, "Cannot read the project", str(error))
            return None
        self.show_project(days)  # a project without days: nothing shaded, the view stays
        return days

    def _on_date_entered(self, day: date) -> None:
        """A date entered in the box: go there and back into the calendar."""
        self.go_to_day(day)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose_project(self) -> None:
        """Go to project…: pick one of the projects with days, the calendar shows them."""
        if self.db is None:
            return
        try:
            projects = dated_projects(self.db)
        except StorageError as error:
            self.dialogs.error(self, "Cannot read the projects", str(error))
            return
        if not projects:
            self.dialogs.info(self, "Go to project", "No project has its days set yet (Project details…).")
            return
        choice = self.dialogs.choose_item(self, "Go to project", "Show the days of:",
                                          [p.label() for p in projects])
        if choice is not None:
            self.show_project(projects[choice])
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self) -> None:
        """Show what others committed (the window calls this on a change elsewhere), the shaded
        project's days too (they may have moved in its details)."""
        if self.board is not None:
            self.board.reload()
        if self.project_id is not None and self.db is not None:
            try:
                days = project_days(self.db, self.project_id)
            except StorageError:
                return  # the board's reload says so; the shading stays as it was
            self.view.grid.project_days = (days.first, days.last) if days is not None else None
            self.view.viewport().update()

    def _drop_board(self) -> None:
        if self.board is not None:
            self.board.unsubscribe(self._on_board_changed)
        self.board = None
        self.undo_stack.clear()
        self.view.set_board(None, self.start, DAYS_SHOWN)
        self.roster.clear()
        self.conflicts.clear()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.board is None and self.db is not None:
            self.load()

    def focusInEvent(self, event: Any) -> None:
        super().focusInEvent(event)
        self.activated.emit()

    def _fill_filters(self) -> None:
        assert self.board is not None
        self.role_filter.blockSignals(True)
        self.role_filter.clear()
        self.role_filter.addItem("All roles", None)
        for role in sorted(self.board.roles.values(), key=lambda r: r.name):
            self.role_filter.addItem(role.name, str(role.id))
        self.role_filter.blockSignals(False)

    def _show_board(self) -> None:
        """Everything that follows the board: calendar, roster, conflicts list."""
        board = self.board
        self.view.refresh()
        if board is None:
            return
        people = []
        for crew in board.crew.values():
            roles = ", ".join(sorted(board.roles[r].name for r in crew.role_ids if r in board.roles))
            people.append((crew.id, crew.name, roles or "No role"))
        self.roster.set_crew(people)
        shown = set(self.view.visible_crew())
        self.roster.apply_filter({c: c in shown for c in board.crew})
        self._fill_conflicts()

    def _fill_conflicts(self) -> None:
        board = self.board
        assert board is not None
        current = self.conflicts.currentItem()
        keep = current.data(ID_ROLE) if current is not None else None
        self.conflicts.blockSignals(True)
        self.conflicts.clear()
        rows = sorted(
            ((board.assignments[a], c) for a, found in board.conflicts.items() if a in board.assignments
             for c in found),
            key=lambda pair: (pair[0].starts_at, pair[1].kind),
        )
        for a, conflict in rows:
            person = board.crew[a.crew_member_id].name if a.crew_member_id in board.crew else "?"
            item = QListWidgetItem(
                f"{person} · {a.starts_at:%a %d %b} · {board.projects.get(a.project_id, '')}\n"
                f"⚠ {conflict.message}", self.conflicts)
            item.setData(ID_ROLE, str(a.id))
            item.setToolTip(conflict.message)
            if keep == str(a.id):
                self.conflicts.setCurrentItem(item)
        self.conflicts.blockSignals(False)
        count = len(rows)
        self.conflict_label.setText(f"<b>Conflicts</b> · {count}" if count else "<b>Conflicts</b> · none")

    # -- edits ----------------------------------------------------------------------------------

    def run(self, command: GuardedCommand) -> bool:
        """Apply a command once, then push it; a refused edit never reaches the undo stack."""
        try:
            command.first_apply()
        except Exception as error:
            self._on_error(error)
            return False
        command.on_error = self._on_error
        self.undo_stack.push(command)
        self.activated.emit()
        return True

    def assign_dropped(self, crew_member_id: uuid.UUID, day: date) -> None:
        """A roster drop: offer the day's open positions, assign the person to the one chosen."""
        board = self.board
        if board is None or crew_member_id not in board.crew:
            return
        person = board.crew[crew_member_id]
        positions = board.open_positions(day)
        if not positions:
            self.dialogs.info(self, "No open positions",
                              f"No project needs crew on {day:%A %d %B %Y}.")
            return
        labels = [position_label(p) + ("" if p.role_id is None or p.role_id in person.role_ids
                                       else " — not one of their roles") for p in positions]
        choice = self.dialogs.choose_item(self, f"Assign {person.name}",
                                          f"Open positions on {day:%a %d %b}:", labels)
        if choice is None:
            return
        command = AssignCrew(board, crew_member_id, positions[choice])
        if self.run(command):
            self.view.select(command.assignment_id)

    def _on_edit_requested(self, edit: BarEdit) -> None:
        if self.board is not None:
            self.run(MoveAssignment(self.board, edit.assignment_id, edit.crew_member_id,
                                    edit.starts_at, edit.ends_at, edit.text))

    def delete_assignment(self, assignment_id: uuid.UUID | None) -> None:
        if self.board is not None and assignment_id in self.board.assignments:
            assert assignment_id is not None
            self.run(DeleteAssignment(self.board, assignment_id))

    def toggle_status(self, assignment_id: uuid.UUID | None) -> None:
        """Confirm a tentative assignment (conflicts do not stop a deliberate confirmation)."""
        if self.board is None or assignment_id not in self.board.assignments:
            return
        assert assignment_id is not None
        current = self.board.assignments[assignment_id].status
        status = (AssignmentStatus.TENTATIVE if current == AssignmentStatus.CONFIRMED
                  else AssignmentStatus.CONFIRMED)
        self.run(SetAssignmentStatus(self.board, assignment_id, status))

    def _on_error(self, error: BaseException) -> None:
        if isinstance(error, ConcurrentEditError):
            if self.board is not None:
                self.board.reload()
            self.undo_stack.clear()
            self.dialogs.info(self, "Changed by someone else",
                              f"{error} The calendar now shows the saved assignments; nothing of "
                              "yours was written.")
        elif isinstance(error, (InputError, StorageError, KeyError)):
            self.dialogs.error(self, "Cannot change the assignment", str(error))
        else:
            raise error

    # -- view state -----------------------------------------------------------------------------

    def set_zoom(self, zoom: str) -> None:
        (self.week_action if zoom == "week" else self.month_action).setChecked(True)
        self.view.set_zoom(zoom)

    def _on_filter_changed(self, *_: Any) -> None:
        role = self.role_filter.currentData()
        self.view.set_filters(uuid.UUID(role) if role else None, self.name_filter.text())
        if self.board is not None:
            shown = set(self.view.visible_crew())
            self.roster.apply_filter({c: c in shown for c in self.board.crew})

    def _on_board_changed(self, change: BoardChange) -> None:
        if change.before:
            return
        self._show_board()
        if change.kind in (BoardChangeKind.ADDED, BoardChangeKind.CHANGED, BoardChangeKind.REMOVED):
            self.assignmentsChanged.emit()

    def _on_selection_changed(self, assignment_id: uuid.UUID | None) -> None:
        has = assignment_id is not None
        self.confirm_action.setEnabled(has)
        self.delete_bar_action.setEnabled(has)
        if has and self.board is not None and assignment_id in self.board.assignments:
            assert assignment_id is not None
            confirmed = self.board.assignments[assignment_id].status == AssignmentStatus.CONFIRMED
            self.confirm_action.setText("Make tentative" if confirmed else "Confirm")

    def _on_conflict_chosen(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is None:
            return
        assignment_id = uuid.UUID(item.data(ID_ROLE))
        self.view.scroll_to_assignment(assignment_id)
        self.view.select(assignment_id)
