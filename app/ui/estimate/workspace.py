"""One estimate, two linked panes: the client view and the production breakdown, side by side,
and under them the find bar (Ctrl+F)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QSplitter, QVBoxLayout, QWidget

from app.services.estimate.document import EstimateDocument
from app.ui.estimate.client_pane import ClientPane
from app.ui.estimate.editor import EstimateEditor
from app.ui.estimate.find_bar import FindBar
from app.ui.estimate.production_columns import ROW_ID_ROLE
from app.ui.estimate.production_pane import ProductionPane


class EstimateWorkspace(QWidget):
    """Selecting a section or line in either pane selects it in the other."""

    def __init__(self, doc: EstimateDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("estimateWorkspace")
        self.doc = doc
        self.editor = EstimateEditor(doc, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("estimateSplitter")
        self.client_pane = ClientPane(self.editor, self.splitter)
        self.production_pane = ProductionPane(self.editor, self.splitter)
        self.splitter.addWidget(self.client_pane)
        self.splitter.addWidget(self.production_pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([600, 1000])
        self.splitter.setChildrenCollapsible(False)
        self.find_bar = FindBar(doc, self.current_id, self.focus_row, self)
        self.find_bar.closed = self.production_view.setFocus
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.find_bar)
        self._syncing = False
        self.production_view.selectionModel().currentRowChanged.connect(self._on_production_current)
        self.client_view.selectionModel().currentRowChanged.connect(self._on_client_current)
        self.client_pane.model.modelReset.connect(self._on_client_reset)
        self.editor.rowFocusRequested.connect(self.focus_row)
        self.editor.rowsSelectionRequested.connect(self.select_rows)

    @property
    def production_view(self) -> QAbstractItemView:
        return self.production_pane.view

    @property
    def client_view(self) -> QAbstractItemView:
        return self.client_pane.view

    # -- what is selected ----------------------------------------------------------

    def current_id(self) -> uuid.UUID | None:
        return _row_id(self.production_view.currentIndex())

    def selected_ids(self) -> list[uuid.UUID]:
        ids: list[uuid.UUID] = []
        for index in self.production_view.selectionModel().selectedRows(0):
            row_id = _row_id(index)
            if row_id is not None and row_id not in ids:
                ids.append(row_id)
        current = self.current_id()
        if not ids and current is not None:
            ids.append(current)
        return ids

    def current_section_id(self) -> uuid.UUID | None:
        """The section of the current row (or the last section when nothing is selected)."""
        row_id = self.current_id()
        if row_id is not None:
            if self.doc.has_line(row_id):
                return self.doc.line(row_id).section_id
            return row_id
        return self.doc.sections[-1].id if self.doc.sections else None

    def insertion_point(self) -> tuple[uuid.UUID | None, int | None]:
        """Where a new line goes: after the current line, or at the end of the current section."""
        row_id = self.current_id()
        if row_id is not None and self.doc.has_line(row_id):
            line = self.doc.line(row_id)
            return line.section_id, line.position + 1
        return self.current_section_id(), None

    # -- linking ------------------------------------------------------------------------

    def focus_row(self, row_id: uuid.UUID) -> None:
        index = self.production_pane.model.index_for_id(row_id)
        if index.isValid():
            self.production_view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.production_view.scrollTo(index)

    def select_rows(self, row_ids: list[uuid.UUID]) -> None:
        """Select several rows (pasted lines), the first one current."""
        if not row_ids:
            return
        self.focus_row(row_ids[0])
        selection = self.production_view.selectionModel()
        for row_id in row_ids[1:]:
            index = self.production_pane.model.index_for_id(row_id)
            if index.isValid():
                selection.select(index, QItemSelectionModel.SelectionFlag.Select
                                 | QItemSelectionModel.SelectionFlag.Rows)

    def _on_production_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._mirror(current, self.client_view, self.client_pane.model.index_for_id)

    def _on_client_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._mirror(current, self.production_view, self.production_pane.model.index_for_id)

    def _on_client_reset(self) -> None:
        self._on_production_current(self.production_view.currentIndex(), QModelIndex())

    def _mirror(self, current: QModelIndex, other: QAbstractItemView, find) -> None:  # type: ignore[no-untyped-def]
        if self._syncing:
            return
        row_id = _row_id(current)
        if row_id is None:
            return
        target = find(row_id)
        if not target.isValid():
            return
        self._syncing = True
        try:
            other.selectionModel().setCurrentIndex(
                target,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            other.scrollTo(target)
        finally:
            self._syncing = False

    def refresh(self) -> None:
        """Reload the estimate from the database, keeping the current row and scroll position.

        Raises ConcurrentEditError when the estimate itself was deleted meanwhile.
        """
        current = self.current_id()
        scroll = self.production_view.verticalScrollBar().value()
        self.doc.reload()
        if current is not None:
            self.focus_row(current)
        self.production_view.verticalScrollBar().setValue(scroll)

    def edited_views(self) -> tuple[QAbstractItemView, ...]:
        """The views whose cells the user types into: a reload waits while one is being edited."""
        return (self.production_view, self.client_view, self.production_pane.parameters.view)

    def detach(self) -> None:
        """Stop following the document (before the workspace is thrown away)."""
        self.client_pane.detach()
        self.production_pane.detach()
        self.find_bar.detach()


def _row_id(index: QModelIndex) -> uuid.UUID | None:
    if not index.isValid():
        return None
    value = index.siblingAtColumn(0).data(ROW_ID_ROLE)
    return uuid.UUID(value) if value else None
