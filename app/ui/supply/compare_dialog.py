"""Compare supplier quotes…: one line's candidate quote items side by side, and the one it follows.

Internal only (costs, suppliers, quote numbers). *Use this one* makes the line's cost follow the
row chosen, one undo step on the estimate's stack (Edit › Undo puts the line back); *Add
candidate* keeps another quote item beside them (the line's catalog item's first), *Remove*
stops comparing one (the record stays). The figures come from
:func:`app.services.supply.line_quotes.comparison`.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.estimate.document import Change, ChangeKind
from app.services.money import format_money, format_number
from app.services.storage.errors import StorageError
from app.services.supply import line_quotes
from app.services.supply.quote_items import QuoteItemInfo, load_quote_items
from app.services.values import InputError
from app.ui.estimate import commands
from app.ui.estimate.editor import EstimateEditor
from app.ui.supply.compare_model import SupplierQuoteComparisonModel
from app.ui.widgets import error_label, record_table


class SupplierQuoteCompareDialog(QDialog):
    """The comparison of one line; it follows the line's edits (and their undo) while open."""

    def __init__(self, editor: EstimateEditor, line_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supplierQuoteCompareDialog")
        self.editor, self.doc, self.line_id = editor, editor.doc, line_id
        self.items: dict[uuid.UUID, QuoteItemInfo] = {}
        self.resize(900, 360)
        self.model = SupplierQuoteComparisonModel(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("supplierQuoteLine")
        self.table = record_table(self.model, "supplierQuoteTable", 0, self)
        self.add_choice = QComboBox(self)
        self.add_choice.setObjectName("addCandidateChoice")
        self.add_button = QPushButton("Add candidate", self)
        self.add_button.setObjectName("addCandidateButton")
        self.add_button.clicked.connect(self.add_candidate)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setObjectName("removeCandidateButton")
        self.remove_button.clicked.connect(self.remove_candidate)
        self.use_button = QPushButton("Use this one", self)
        self.use_button.setObjectName("useSupplierQuoteButton")
        self.use_button.clicked.connect(self.use_selected)
        self.message = error_label("supplierQuoteMessage", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        adding = QHBoxLayout()
        adding.addWidget(QLabel("Compare another:"))
        adding.addWidget(self.add_choice, 1)
        adding.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(adding)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.doc.subscribe(self._on_document_changed)
        self._subscribed = True
        self.finished.connect(lambda _result: self.detach())
        self.refresh()

    def detach(self) -> None:
        if self._subscribed:
            self._subscribed = False
            self.doc.unsubscribe(self._on_document_changed)

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the quote items and the line's candidates again and lay them out."""
        if not self.doc.has_line(self.line_id):
            self.message.setText("This line was deleted; there is nothing to compare.")
            for widget in (self.add_button, self.remove_button, self.use_button, self.add_choice):
                widget.setEnabled(False)
            return
        try:
            with self.doc.db.read() as conn:
                self.items = load_quote_items(conn)
                candidates = line_quotes.load_candidates(conn, self.line_id)
        except StorageError as error:
            self.message.setText(str(error))
            return
        line, header = self.doc.line(self.line_id), self.doc.header
        chosen = self._current_item()
        rows = line_quotes.comparison(
            line, line.price.units, candidates, self.items, header.start_date, date.today()
        )
        self.model.set_rows(rows, header.currency)
        self.setWindowTitle(f"Compare supplier quotes — {line.description}")
        load_in = (
            f"load-in {line_quotes.short_date(header.start_date)}"
            if header.start_date
            else "no load-in date (no order-by dates)"
        )
        self.summary.setText(
            f"{line.description}: {format_number(line.quantity)} {line.unit} × "
            f"{format_number(line.days)} days, {load_in}. Internal: the client sees none of this."
        )
        at = next((i for i, r in enumerate(rows) if r.item.id == chosen), None)
        if at is None:
            at = next((i for i, r in enumerate(rows) if r.followed), 0)
        if rows:
            self.table.selectRow(at)
        compared = [r.item.id for r in rows]
        self.add_choice.clear()
        for item in line_quotes.offered_items(line, self.items, compared):
            late = " (expired)" if item.quote.expired(date.today()) else ""
            self.add_choice.addItem(
                f"{item.quote.label}: {item.description}, "
                f"{format_money(item.unit_cost_at(line.quantity), header.currency)}{late}",
                str(item.id),
            )
        self._update_buttons()

    def _current_row(self) -> line_quotes.Compared | None:
        index = self.table.currentIndex()
        return (
            self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None
        )

    def _current_item(self) -> uuid.UUID | None:
        row = self._current_row()
        return row.item.id if row is not None else None

    def _update_buttons(self) -> None:
        row = self._current_row()
        self.use_button.setEnabled(row is not None and not row.followed)
        self.remove_button.setEnabled(row is not None and row.candidate_id is not None)
        self.add_button.setEnabled(self.add_choice.count() > 0)

    def _on_document_changed(self, change: Change) -> None:
        if change.before:
            return
        if (
            change.kind is ChangeKind.RESET
            or change.row_id == self.line_id
            or self.line_id in change.row_ids
            or change.kind is ChangeKind.LINE_REMOVED
        ):
            self.refresh()

    # -- the buttons ----------------------------------------------------------------------------

    def use_selected(self) -> None:
        """The line's cost follows the row chosen (its supplier too): one undo step."""
        row = self._current_row()
        if row is None or not self.doc.has_line(self.line_id):
            return
        self.doc.refresh_quote_items()  # the document prices quantity breaks from its own read
        item = self.doc.quote_items.get(row.item.id)
        if item is None:
            self.message.setText("That supplier quote item no longer exists.")
            self.refresh()
            return
        changes = line_quotes.follow_changes(self.doc.line(self.line_id), item)
        text = f"Use supplier quote {item.quote.number or item.quote.supplier_name}"
        message = (
            self.editor.run(commands.SetLineFields(self.doc, self.line_id, changes, text))
            if changes
            else None
        )
        self.message.setText(message or "")
        self.refresh()

    def add_candidate(self) -> None:
        value = self.add_choice.currentData()
        if not value:
            return
        try:
            line_quotes.add_candidate(self.doc.db, self.line_id, uuid.UUID(value), self.items)
        except (InputError, StorageError) as error:
            self.message.setText(str(error))
            return
        self.message.clear()
        self.refresh()

    def remove_candidate(self) -> None:
        row = self._current_row()
        if row is None or row.candidate_id is None:
            return
        try:
            line_quotes.remove_candidate(self.doc.db, row.candidate_id)
        except StorageError as error:
            self.message.setText(str(error))
            return
        self.message.clear()
        self.refresh()
