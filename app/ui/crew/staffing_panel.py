"""The staffing panel: the open estimate's project, calendar against estimate, and the one-step update."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.crew.staffing import (
    LineUpdate,
    ProjectStaffing,
    labour_updates_from_calendar,
    project_staffing,
)
from app.services.estimate.document import Change, EstimateDocument
from app.services.money import format_number
from app.services.storage.errors import StorageError
from app.ui.crew.staffing_model import StaffingTableModel
from app.ui.estimate.commands import DocumentCommand
from app.ui.estimate.editor import EstimateEditor


class UpdateLabourFromCalendar(DocumentCommand):
    """Several lines' headcount and hours set from the calendar: one undo step."""

    def __init__(self, doc: EstimateDocument, updates: list[LineUpdate]) -> None:
        super().__init__(doc, "Update labour from calendar")
        self.updates = updates
        self.old: list[tuple[uuid.UUID, dict[str, Any]]] = []

    def apply(self) -> None:
        self.old = []
        try:
            for line_id, changes in self.updates:
                self.old.append((line_id, self.doc.set_line_fields(line_id, changes)))
        except Exception:
            self.revert()  # all or nothing: a refused line leaves the estimate as it was
            raise

    def revert(self) -> None:
        for line_id, old in reversed(self.old):
            self.doc.set_line_fields(line_id, old)
        self.old = []


class StaffingPanel(QWidget):
    """Shows the staffing of the open estimate's project; follows the estimate's edits."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffingPanel")
        self.editor: EstimateEditor | None = None
        self.staffing: ProjectStaffing | None = None
        self.summary = QLabel("Open an estimate to see its crew.", self)
        self.summary.setObjectName("staffingSummary")
        self.summary.setWordWrap(True)
        self.update_button = QPushButton("Update estimate from calendar", self)
        self.update_button.setObjectName("updateFromCalendarButton")
        self.update_button.setToolTip("Set each staffed call's headcount and hours to what the calendar "
                                      "plans (one undo step)")
        self.update_button.clicked.connect(self._on_update_clicked)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("staffingRefreshButton")
        self.refresh_button.clicked.connect(self.refresh)
        self.model = StaffingTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("staffingView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.update_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        self._update_enabled()

    def set_editor(self, editor: EstimateEditor | None) -> None:
        if self.editor is not None:
            self.editor.doc.unsubscribe(self._on_document_changed)
        self.editor = editor
        if editor is not None:
            editor.doc.subscribe(self._on_document_changed)
        self.refresh()

    def refresh(self) -> None:
        """Read the staffing again (the calendar may have changed since)."""
        if self.editor is None:
            self.staffing = None
            self.summary.setText("Open an estimate to see its crew.")
        else:
            doc = self.editor.doc
            try:
                self.staffing = project_staffing(doc.db, doc.header.project_id, doc.estimate_id)
            except StorageError as error:
                self.staffing = None
                self.summary.setText(str(error))
            else:
                self.summary.setText(self._summary_text(self.staffing))
        self.model.set_staffing(self.staffing)
        self._update_enabled()

    @staticmethod
    def _summary_text(s: ProjectStaffing) -> str:
        hours = (f"planned {format_number(s.planned_hours) or '0'} h of "
                 f"{format_number(s.estimated_hours) or '0'} h estimated")
        text = f"{s.project_name}: {s.filled} of {s.needed} positions filled, {hours}"
        if s.other_shifts:
            text += f" ({len(s.other_shifts)} shifts on no call of this estimate)"
        if s.counting_name:
            text += f". This scenario asks for no crew: the calendar staffs “{s.counting_name}”"
        return text

    def _update_enabled(self) -> None:
        staffed = self.staffing is not None and any(c.shifts and c.differs for c in self.staffing.calls)
        self.update_button.setEnabled(self.editor is not None and staffed)
        self.refresh_button.setEnabled(self.editor is not None)

    def _on_update_clicked(self) -> None:
        self.update_from_calendar()

    def update_from_calendar(self) -> str | None:
        """Apply the calendar's headcount and hours to the estimate as one undoable command."""
        if self.editor is None:
            return None
        doc = self.editor.doc
        try:
            updates = labour_updates_from_calendar(doc.db, doc.estimate_id)
        except StorageError as error:
            self.editor.errorRaised.emit(str(error))
            return str(error)
        if not updates:
            self.refresh()
            return None
        message = self.editor.run(UpdateLabourFromCalendar(doc, updates))
        if message:
            self.editor.errorRaised.emit(message)
        self.refresh()
        return message

    def _on_document_changed(self, change: Change) -> None:
        if change.before:
            return
        if self.isVisible():  # a hidden panel reads when it is shown, and costs no queries till then
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # the calendar may have changed while it was hidden
