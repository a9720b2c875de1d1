"""The AM's pane: the quote as the client will read it — sections, prices, options, total.

It reads only client-facing values (see ClientQuoteModel); the only numbers the
AM edits here are the discount and the tax rate, beside what the quote shows: contingency as a
line (else in the line prices) and the budget range.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.services.estimate.document import PARAMETER_CHANGES, Change
from app.services.estimate.pricing import say_out_loud
from app.services.money import format_money, format_number, format_whole_money
from app.ui.estimate.client_model import ClientQuoteModel
from app.ui.estimate.delegates import CellMessage
from app.ui.estimate.editor import EstimateEditor
from app.ui.estimate.field_edit import FieldEdit
from app.ui.estimate.production_pane import expand_sections, figure_label, pane_title
from app.ui.grid_keys import GridTree
from app.ui.widgets import error_label


class ClientPane(QWidget):
    def __init__(self, editor: EstimateEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientPane")
        self.editor = editor
        self.doc = editor.doc
        self.model = ClientQuoteModel(self.doc, self.editor, self)
        self.view = GridTree(self)
        self.view.setObjectName("clientView")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # The AM rewords what the client reads: F2, typing or a double-click on a section or line.
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths from the font, not ResizeToContents: that re-measures a thousand
        # rows after every edit (about 200 ms on a 5,000-line estimate).
        metrics = self.view.fontMetrics()
        header.resizeSection(1, metrics.horizontalAdvance("000 person × 10 h × 3 days") + 16)
        header.resizeSection(2, metrics.horizontalAdvance("$9,999,999.00") + 16)
        expand_sections(self.view)
        self.model.modelReset.connect(lambda: expand_sections(self.view))
        self.cell_message = CellMessage(self.view)
        self.model.editFailed.connect(self.cell_message.show_for)
        self.model.editFailed.connect(self.view.refused)

        self.heading = QLabel(self)
        self.heading.setObjectName("clientHeading")
        self.heading.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(pane_title("Client view — what the client sees", "clientTitle"))
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self._build_footer())
        self.doc.subscribe(self._on_document_changed)
        self.refresh()

    def _build_footer(self) -> QWidget:
        footer = QFrame(self)
        footer.setObjectName("clientFooter")
        footer.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(footer)
        grid.setContentsMargins(8, 4, 8, 4)
        self.subtotal = figure_label("clientSubtotal")
        self.contingency = figure_label("clientContingency")
        self.contingency_caption = QLabel("Contingency")
        self.discount = figure_label("clientDiscount")
        self.tax = figure_label("clientTax")
        self.total = figure_label("clientTotal", bold=True)
        self.total.setStyleSheet("QLabel { font-weight: 700; font-size: 14px; }")
        self.addons = figure_label("clientAddons")
        self.addons_caption = QLabel("Optional add-ons (not included)")
        self.with_addons = figure_label("clientWithAddons")
        self.with_addons_caption = QLabel("Total with every option")
        self.range = figure_label("clientRange", bold=True)
        self.range_caption = QLabel("Budget range")
        self.floor_warning = QLabel(footer)
        self.floor_warning.setObjectName("floorWarning")
        self.floor_warning.setWordWrap(True)
        self.floor_warning.setStyleSheet(
            "QLabel { color: #991b1b; background: #fee2e2; border-radius: 3px; padding: 3px 6px; }")
        self.floor_warning.setText(
            "⚠ Below the floor: the discount or a price override takes this quote under the company's "
            "minimum. Check with the PM before it goes out.")
        self.formula_warning = QLabel(footer)
        self.formula_warning.setObjectName("clientFormulaWarning")
        self.formula_warning.setWordWrap(True)
        self.formula_warning.setStyleSheet(
            "QLabel { color: #92400e; background: #fef3c7; border-radius: 3px; padding: 3px 6px; }")
        self.discount_edit = FieldEdit(self.editor, "discount_pct",
                                       lambda: format_number(self.doc.header.discount_pct), footer)
        self.discount_edit.setObjectName("discountEdit")
        self.tax_edit = FieldEdit(self.editor, "tax_pct",
                                  lambda: format_number(self.doc.header.tax_pct), footer)
        self.tax_edit.setObjectName("taxEdit")
        self.field_message = error_label("clientFieldMessage", footer)
        for edit in (self.discount_edit, self.tax_edit):
            edit.refused.connect(self.field_message.setText)
            edit.textEdited.connect(lambda _text: self.field_message.clear())
        # What the client quote shows (Excel, PDF, printed): each tick is one undo step.
        self.contingency_line_check = self._quote_choice(
            "Contingency as a line", "showContingencyLine", "show_contingency_line",
            "On the quote, contingency as a line of its own; unticked, it is in the line prices")
        self.range_check = self._quote_choice(
            "Print the budget range", "showBudgetRange", "show_budget_range",
            "Print the budget range under the quote's total")

        rows: list[tuple[QWidget, QWidget | None, QWidget]] = [
            (QLabel("Subtotal"), None, self.subtotal),
            (self.contingency_caption, None, self.contingency),
            (QLabel("Discount %"), self.discount_edit, self.discount),
            (QLabel("Tax %"), self.tax_edit, self.tax),
            (QLabel("<b>Total</b>"), None, self.total),
            (self.range_caption, None, self.range),
            (self.addons_caption, None, self.addons),
            (self.with_addons_caption, None, self.with_addons),
        ]
        for r, (caption, edit, figure) in enumerate(rows):
            grid.addWidget(caption, r, 0)
            if edit is not None:
                grid.addWidget(edit, r, 1)
            grid.addWidget(figure, r, 2)
        choices = QHBoxLayout()
        choices.addWidget(self.contingency_line_check)
        choices.addWidget(self.range_check)
        choices.addStretch(1)
        grid.addLayout(choices, len(rows), 0, 1, 3)
        grid.addWidget(self.floor_warning, len(rows) + 1, 0, 1, 3)
        grid.addWidget(self.formula_warning, len(rows) + 2, 0, 1, 3)
        grid.addWidget(self.field_message, len(rows) + 3, 0, 1, 3)
        grid.setColumnStretch(2, 1)
        return footer

    def _quote_choice(self, text: str, name: str, field: str, tip: str) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setObjectName(name)
        box.setToolTip(tip)

        def clicked(checked: bool) -> None:
            message = self.editor.edit_estimate(field, checked)
            if message:
                self.field_message.setText(message)
            self.refresh()  # a refused edit puts the tick back

        box.clicked.connect(clicked)
        return box

    def refresh(self) -> None:
        header = self.doc.header
        dates = ""
        if header.start_date:
            dates = header.start_date.strftime("%b %d, %Y")
            if header.end_date and header.end_date != header.start_date:
                dates += " – " + header.end_date.strftime("%b %d, %Y")
        parts = [f"<b>{_esc(header.client_name)}</b> · {_esc(header.project_name)}",
                 _esc(header.venue), dates, f"Estimate: {_esc(header.name)}"]
        self.heading.setText(" · ".join(p for p in parts if p))
        totals = self.doc.totals
        currency = header.currency
        self.subtotal.setText(format_money(totals.subtotal, currency))
        self.contingency.setText(format_money(totals.contingency, currency))
        self.contingency.setVisible(totals.contingency != 0)
        self.contingency_caption.setVisible(totals.contingency != 0)
        # Unless shown as a line, the quote carries contingency in its line prices (the client never
        # reads the word): said here, where the prices above are before it.
        self.contingency_caption.setText("Contingency" if header.show_contingency_line
                                         else "Contingency (in the quote's line prices)")
        self.discount.setText(format_money(-totals.discount, currency) if totals.discount else "")
        self.tax.setText(format_money(totals.tax, currency))
        self.total.setText(format_money(totals.total, currency))
        self.addons.setText(format_money(totals.optional_price, currency))
        self.addons.setVisible(totals.optional_price != 0)
        self.addons_caption.setVisible(totals.optional_price != 0)
        self.with_addons.setText(format_money(totals.with_addons, currency))
        self.with_addons.setVisible(totals.optional_price != 0)
        self.with_addons_caption.setVisible(totals.optional_price != 0)
        # The range the AM can say out loud, and the likely figure; no internal value.
        if totals.has_range:
            low, high = say_out_loud(totals.range_low, totals.range_high)
            self.range.setText(f"{format_whole_money(low, currency)} – {format_whole_money(high, currency)}"
                               f"  (likely {format_money(totals.total, currency)})")
            self.range.setToolTip(f"{format_money(totals.range_low, currency)} – "
                                  f"{format_money(totals.range_high, currency)} before rounding")
        self.range.setVisible(totals.has_range)
        self.range_caption.setVisible(totals.has_range)
        self.floor_warning.setVisible(totals.below_floor)
        figures = sum(1 for line in self.doc.lines_in_error if line.problem is not None)
        broken = len(self.doc.lines_in_error) - figures
        parts = [f"{broken} quantit{'ies' if broken != 1 else 'y'} could not be recalculated"
                 ] if broken else []
        if figures:
            parts.append(f"{figures} line{'s are' if figures != 1 else ' is'} in error and left out of "
                         "the total")
        if parts:
            self.formula_warning.setText(
                f"⚠ {'; '.join(parts)}; the PM needs to look at the estimate before these figures are final.")
        self.formula_warning.setVisible(bool(parts))
        self.discount_edit.refresh()
        self.tax_edit.refresh()
        self.contingency_line_check.setChecked(header.show_contingency_line)
        self.range_check.setChecked(header.show_budget_range)

    def detach(self) -> None:
        self.doc.unsubscribe(self._on_document_changed)
        self.model.detach()

    def _on_document_changed(self, change: Change) -> None:
        # A parameter's own change moves no total (its lines' recalculation is announced apart).
        if not change.before and change.kind not in PARAMETER_CHANGES:
            self.refresh()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
