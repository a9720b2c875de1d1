"""Sub-rent the shortage…: how many, from which supplier, at what day cost, for one short line.

The dialog only asks; the split is planned by app.services.equipment.subrent and run by the
estimate's editor as one undo step. A refusal is said in the dialog, which stays open.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.equipment.availability import Availability
from app.services.equipment.subrent import SubRental, SupplierChoice, plan_subrental
from app.services.estimate.document import LINE_FIELDS, EstimateDocument
from app.services.money import format_money, format_number
from app.services.values import InputError
from app.ui.widgets import error_label


class SubRentDialog(QDialog):
    """One short line: the shortage explained, then quantity, supplier and day cost; OK splits it.

    ``run`` is the editor's ``sub_rent``: None when done, else the refusal to show.
    """

    def __init__(
        self,
        doc: EstimateDocument,
        line_id: uuid.UUID,
        availability: Availability,
        quantity: Decimal,
        choices: list[SupplierChoice],
        run: Callable[[SubRental], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("subRentDialog")
        self.setWindowTitle("Sub-rent the shortage")
        self.doc, self.line_id, self.choices, self._run = doc, line_id, choices, run
        self.done_plan: SubRental | None = None
        currency = doc.header.currency
        line = doc.line(line_id)
        about = QLabel(f"“{line.description}”: {availability.explain()}.", self)
        about.setObjectName("subRentExplain")
        about.setWordWrap(True)
        self.quantity_edit = QLineEdit(format_number(quantity), self)
        self.quantity_edit.setObjectName("subRentQuantity")
        self.supplier_box = QComboBox(self)
        self.supplier_box.setObjectName("subRentSupplier")
        for choice in choices:
            self.supplier_box.addItem(choice.label(currency))
        self.day_cost_edit = QLineEdit(self)
        self.day_cost_edit.setObjectName("subRentDayCost")
        self.day_cost_edit.setPlaceholderText("the supplier's cost per unit per day")
        self.preview = QLabel(self)
        self.preview.setObjectName("subRentPreview")
        self.preview.setWordWrap(True)
        self.error = error_label("subRentError", self)
        form = QFormLayout()
        form.addRow("Sub-rent", self.quantity_edit)
        form.addRow("From", self.supplier_box)
        form.addRow("Day cost", self.day_cost_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.supplier_box.currentIndexChanged.connect(self._on_supplier)
        self.quantity_edit.textEdited.connect(lambda _text: self._update_preview())
        self.day_cost_edit.textEdited.connect(lambda _text: self._update_preview())
        self.resize(560, 0)
        self._on_supplier(0)

    def _on_supplier(self, index: int) -> None:
        """A supplier's own rate fills the day cost (a supplier without one leaves it to be typed)."""
        if 0 <= index < len(self.choices):
            cost = self.choices[index].day_cost
            self.day_cost_edit.setText("" if cost is None else format_number(cost))
        self._update_preview()

    def _plan(self) -> SubRental:
        if not self.choices:
            raise InputError("Add the supplier first (Edit › Suppliers…): there is none to sub-rent from.")
        quantity = LINE_FIELDS["quantity"].parse(self.quantity_edit.text())
        if not self.day_cost_edit.text().strip():
            raise InputError("Type the supplier's day cost (per unit per day): it has no rate for this item.")
        day_cost = LINE_FIELDS["unit_cost"].parse(self.day_cost_edit.text())
        supplier = self.choices[self.supplier_box.currentIndex()]
        return plan_subrental(self.doc, self.line_id, quantity, supplier, day_cost)

    def _update_preview(self) -> None:
        try:
            plan = self._plan()
        except InputError as error:
            self.preview.setText("")
            self.error.setText(str(error))
            return
        self.error.setText("")
        currency = self.doc.header.currency
        self.preview.setText(
            f"Cost of the sub-rental: {format_money(plan.cost, currency)}. The client price stays "
            f"{format_money(self.doc.line(self.line_id).price.price, currency)}, "
            f"{format_money(plan.price, currency)} of it on the sub-rental line."
        )

    def _accept(self) -> None:
        try:
            plan = self._plan()
        except InputError as error:
            self.error.setText(str(error))
            return
        refused = self._run(plan)
        if refused:
            self.error.setText(refused)
            return
        self.done_plan = plan
        self.accept()
