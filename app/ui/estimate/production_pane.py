"""The PM's pane: every line with its cost basis, and the estimate's cost, price and margin."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolTip,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.services.bounds import ESTIMATE_LIMITS
from app.services.estimate.document import PARAMETER_CHANGES, Change
from app.services.estimate.pricing import say_out_loud
from app.services.money import format_money, format_number, format_percent, format_whole_money
from app.services.supply.line_quotes import expired_sentence
from app.ui.estimate.delegates import CellMessage, ChoiceDelegate
from app.ui.estimate.editor import EstimateEditor
from app.ui.estimate.field_edit import FieldEdit
from app.ui.estimate.parameters_panel import ParametersPanel
from app.ui.estimate.production_columns import COLUMN_INDEX, COLUMNS, ROW_ID_ROLE
from app.ui.estimate.production_model import ProductionTreeModel
from app.ui.grid_keys import GridTree
from app.ui.widgets import error_label


def pane_title(text: str, object_name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setStyleSheet("QLabel { font-size: 14px; font-weight: 600; padding: 4px 2px; }")
    return label


def figure_label(object_name: str, bold: bool = False) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        label.setStyleSheet("QLabel { font-weight: 600; }")
    return label


def expand_sections(view: QTreeView) -> None:
    """Open every top-level row (expandAll would also walk the thousands of lines below)."""
    model = view.model()
    for row in range(model.rowCount()):
        view.expand(model.index(row, 0))


class TipLabel(QLabel):
    """A label whose tooltip is made only when it is asked for (it may walk every line)."""

    def __init__(self, tip: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tip = tip

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tip()
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class ProductionView(GridTree):
    """The breakdown table: spreadsheet keys (see app.ui.grid_keys), rows dragged to reorder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("productionView")
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # DragDrop rather than InternalMove: the model accepts only its own MIME type, and
        # synthetic drops (tests, automation) are not refused for lacking a QDrag source.
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setItemDelegate(ChoiceDelegate(self))


class ProductionPane(QWidget):
    def __init__(self, editor: EstimateEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("productionPane")
        self.editor = editor
        self.doc = editor.doc
        self.model = ProductionTreeModel(editor, self)
        self.view = ProductionView(self)
        self.view.setModel(self.model)
        self.view.append_row = self._append_line
        for i, column in enumerate(COLUMNS):
            self.view.setColumnWidth(i, column.width)
        expand_sections(self.view)
        self.cell_message = CellMessage(self.view)
        self.model.editFailed.connect(self._on_editFailed)
        self.model.editFailed.connect(self.view.refused)
        self.model.inputKept.connect(self.reopen_editor)
        editor.editRequested.connect(self._on_editRequested)
        self.model.rowsInserted.connect(self._on_rowsInserted)
        self.model.modelReset.connect(lambda: expand_sections(self.view))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(pane_title("Production — cost basis, suppliers and margin", "productionTitle"))
        self.parameters = ParametersPanel(editor, self)
        layout.addWidget(self.parameters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self._build_footer())
        self.doc.subscribe(self._on_document_changed)
        self.model.availabilityChanged.connect(self.refresh_equipment)
        self.refresh_totals()
        self.refresh_equipment()

    def _build_footer(self) -> QWidget:
        footer = QFrame(self)
        footer.setObjectName("productionFooter")
        footer.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(footer)
        grid.setContentsMargins(8, 4, 8, 4)
        self.total_cost = figure_label("productionTotalCost")
        self.total_price = figure_label("productionTotalPrice", bold=True)
        self.total_margin = figure_label("productionMargin", bold=True)
        self.target_edit = FieldEdit(self.editor, "target_margin_pct",
                                     lambda: format_number(self.doc.header.target_margin_pct), footer)
        self.target_edit.setObjectName("targetMarginEdit")
        self.contingency_edit = FieldEdit(self.editor, "contingency_pct",
                                          lambda: format_number(self.doc.header.contingency_pct), footer)
        self.contingency_edit.setObjectName("contingencyEdit")
        self.floor_edit = FieldEdit(self.editor, "margin_floor_pct",
                                    lambda: format_number(self.doc.header.margin_floor_pct), footer)
        self.floor_edit.setObjectName("marginFloorEdit")
        self.floor_edit.setToolTip("Below this margin the AM is warned in the client view "
                                   "(without the cost).")
        self.field_message = error_label("productionFieldMessage", footer)
        self.field_message.setWordWrap(False)  # one line beside the settings
        self.range_label = TipLabel(self._range_sources, footer)
        self.range_label.setObjectName("productionRange")
        self.formula_warning = QLabel(footer)
        self.formula_warning.setObjectName("formulaWarning")
        self.formula_warning.setStyleSheet(
            "QLabel { color: #991b1b; background: #fee2e2; border-radius: 3px; padding: 2px 6px; }"
        )
        self.equipment_warning = QLabel(footer)  # "Short: 352 × 500 mm LED panel (…)"
        self.equipment_warning.setObjectName("equipmentShortage")
        self.equipment_warning.setStyleSheet(self.formula_warning.styleSheet())
        self.quote_warning = QLabel(footer)  # "⚠ Supplier quote SP-2041 expired 11 Feb: Motors"
        self.quote_warning.setObjectName("supplierQuoteWarning")
        self.quote_warning.setStyleSheet(self.formula_warning.styleSheet())
        for edit in (self.target_edit, self.contingency_edit, self.floor_edit):
            edit.refused.connect(self.field_message.setText)
            edit.textEdited.connect(lambda _text: self.field_message.clear())
        self.margin_warning = QLabel(footer)
        self.margin_warning.setObjectName("marginWarning")
        self.margin_warning.setStyleSheet(
            "QLabel { color: #991b1b; background: #fee2e2; border-radius: 3px; padding: 2px 6px; }"
        )
        grid.addWidget(QLabel("Total cost"), 0, 0)
        grid.addWidget(self.total_cost, 0, 1)
        grid.addWidget(QLabel("Total price"), 0, 2)
        grid.addWidget(self.total_price, 0, 3)
        grid.addWidget(QLabel("Margin"), 0, 4)
        grid.addWidget(self.total_margin, 0, 5)
        settings = QHBoxLayout()
        settings.addWidget(QLabel("Target margin %"))
        settings.addWidget(self.target_edit)
        settings.addSpacing(12)
        settings.addWidget(QLabel("Floor %"))
        settings.addWidget(self.floor_edit)
        settings.addSpacing(12)
        settings.addWidget(QLabel("Contingency %"))
        settings.addWidget(self.contingency_edit)
        settings.addSpacing(12)
        settings.addWidget(self.margin_warning)
        settings.addWidget(self.field_message, 1)
        grid.addLayout(settings, 1, 0, 1, 6)
        notes = QHBoxLayout()
        notes.addWidget(self.range_label)
        notes.addWidget(self.formula_warning)
        notes.addStretch(1)
        grid.addLayout(notes, 2, 0, 1, 6)
        grid.addWidget(self.equipment_warning, 3, 0, 1, 6)
        grid.addWidget(self.quote_warning, 4, 0, 1, 6)
        return footer

    def refresh_totals(self) -> None:
        totals = self.doc.totals
        currency = self.doc.header.currency
        self.total_cost.setText(format_money(totals.cost, currency))
        self.total_price.setText(format_money(totals.net, currency))
        self.total_margin.setText(
            f"{format_money(totals.margin, currency)} ({format_percent(totals.margin_pct) or '—'})"
        )
        if totals.below_floor:
            self.margin_warning.setText(
                f"⚠ Margin {format_percent(totals.margin_pct) or '—'} is below the floor "
                f"{format_percent(totals.margin_floor_pct)}"
            )
            self.margin_warning.show()
        elif totals.below_target:
            self.margin_warning.setText(
                f"⚠ Margin {format_percent(totals.margin_pct) or '—'} is below the target "
                f"{format_percent(totals.target_margin_pct)}"
            )
            self.margin_warning.show()
        else:
            self.margin_warning.clear()
            self.margin_warning.hide()
        self._refresh_range(currency)
        broken, estimate = self.doc.lines_in_error, self.doc.estimate_problems
        if broken or estimate:
            figures = sum(1 for line in broken if line.problem is not None)
            formulas = len(broken) - figures
            parts = [f"{formulas} line{'s' if formulas != 1 else ''} with a formula error "
                     "(keeping the last quantity)"] if formulas else []
            if figures:
                parts.append(f"{figures} line{'s' if figures != 1 else ''} in error: figures out of range, "
                             "priced as zero")
            if estimate:
                labels = ", ".join(ESTIMATE_LIMITS[name].label.lower() if name in ESTIMATE_LIMITS
                                   else "a section's range" for name in estimate)
                parts.append(f"the estimate's {labels} in error (counted as 0 % or none)")
            self.formula_warning.setText("⚠ " + "; ".join(parts))
            reasons = [f"{line.description}: {line.error}" for line in broken[:10]]
            self.formula_warning.setToolTip("\n".join([*estimate.values(), *reasons]))
            self.formula_warning.show()
        else:
            self.formula_warning.hide()
        expired = expired_sentence(self.doc.lines(), self.doc.quote_items, date.today())
        self.quote_warning.setText(expired)
        self.quote_warning.setVisible(bool(expired))
        self.target_edit.refresh()
        self.contingency_edit.refresh()
        self.floor_edit.refresh()

    def refresh_equipment(self) -> None:
        """The estimate's equipment shortages, and what an add-on or an alternative would leave short."""
        watch = self.model.equipment
        said = [text for text in (watch.shortage_sentence(), *watch.if_chosen_sentences()) if text]
        if watch.problem:
            said.append(f"Stock not read: {watch.problem}")
        self.equipment_warning.setText("⚠ " + "; ".join(said) if said else "")
        self.equipment_warning.setToolTip("\n".join(a.explain() for a in watch.found.shortages))
        self.equipment_warning.setVisible(bool(said))

    def _refresh_range(self, currency: str) -> None:
        """The budget range and where it comes from: the lines and sections that carry one."""
        totals = self.doc.totals
        if not totals.has_range:
            self.range_label.setText("Budget range: none (type one in a line's or section's Range)")
            return
        said_low, said_high = say_out_loud(totals.range_low, totals.range_high)
        self.range_label.setText(
            f"Budget range {format_money(totals.range_low, currency)} – "
            f"{format_money(totals.range_high, currency)} (said: {format_whole_money(said_low, currency)} – "
            f"{format_whole_money(said_high, currency)})"
        )

    def _range_sources(self) -> str:
        """The range label's tooltip, made when asked: every line and section that carries a range."""
        totals, currency = self.doc.totals, self.doc.header.currency
        if not totals.has_range:
            return ""
        sources = []
        for section in self.doc.sections:
            if section.price_range.is_set:
                group = totals.groups.get(section.id)
                if group is not None:
                    sources.append(f"{section.name} (section): {format_money(group.low, currency)} – "
                                   f"{format_money(group.high, currency)}")
            for line in section.lines:
                if line.price_range.is_set and self.doc.counts_in_total(line):
                    low, high = self.doc.line_span(line)
                    sources.append(f"{line.description}: {format_money(low, currency)} – "
                                   f"{format_money(high, currency)}")
        more = f"\n… and {len(sources) - 20} more" if len(sources) > 20 else ""
        return "Where the range comes from:\n" + "\n".join(sources[:20]) + more

    def detach(self) -> None:
        self.doc.unsubscribe(self._on_document_changed)
        self.model.detach()
        self.parameters.detach()

    def _on_document_changed(self, change: Change) -> None:
        # A parameter's own change moves no total (its lines' recalculation is announced apart).
        if not change.before and change.kind not in PARAMETER_CHANGES:
            self.refresh_totals()

    def _on_editFailed(self, index: QModelIndex, message: str) -> None:
        self.cell_message.show_for(index, message)

    def reopen_editor(self, index: QModelIndex, text: str) -> None:
        """Open the cell's editor again holding ``text`` (after the closing edit has finished).

        Found again by its row's id: a reload meanwhile (others' changes) leaves no row number valid.
        """
        value = index.siblingAtColumn(0).data(ROW_ID_ROLE)
        row_id, column = uuid.UUID(value) if value else None, index.column()

        def reopen() -> None:
            target = self.model.index_for_id(row_id, column) if row_id is not None else QModelIndex()
            if not target.isValid():
                return
            self.view.setCurrentIndex(target)
            self.view.edit(target)
            editor = self.view.indexWidget(target) or self.view.focusWidget()
            if isinstance(editor, QLineEdit):
                editor.setText(text)
                editor.selectAll()

        QTimer.singleShot(0, reopen)

    def _on_editRequested(self, row_id: object, column: str, text: str) -> None:
        if column not in COLUMN_INDEX or not isinstance(row_id, uuid.UUID):
            return
        index = self.model.index_for_id(row_id, COLUMN_INDEX[column])
        if index.isValid():
            self.reopen_editor(index, text)

    def _append_line(self, origin: QModelIndex) -> QModelIndex:
        """Tab past the grid's last cell: a new line at the end of the last section, its description next."""
        row_id = _row_id(origin)
        if row_id is None:
            return QModelIndex()
        section_id = self.doc.line(row_id).section_id if self.doc.has_line(row_id) else row_id
        new_id = self.editor.add_line(section_id)
        if new_id is None:
            return QModelIndex()
        return self.model.index_for_id(new_id, COLUMN_INDEX["description"])

    def _on_rowsInserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            for row in range(first, last + 1):
                self.view.expand(self.model.index(row, 0))


def _row_id(index: QModelIndex) -> uuid.UUID | None:
    value = index.siblingAtColumn(0).data(ROW_ID_ROLE) if index.isValid() else None
    return uuid.UUID(value) if value else None
