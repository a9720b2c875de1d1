"""The company's settings as a form: one editor per field, its message beside it, a logo with preview.

The same form serves *Set up my company* (values collected, OK only once every field is
good) and *File › Company settings…* (each field saved as its editing finishes). It only
shows and checks: every value is parsed by the field's parser in
:mod:`app.services.company.settings`, so the form and the core refuse the same things
with the same message.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import master_data
from app.services.company.settings import COMPANY, example_quote_number, logo_bytes, logo_from_file
from app.services.values import InputError
from app.ui.widgets import error_label

LOGO_FILTER = "Images (*.png *.jpg *.jpeg);;All files (*)"
# The form's groups: (title, field keys). Every field of COMPANY is in one.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Company", ("name", "address", "phone", "email", "logo")),
    ("Pricing defaults for new work", ("default_markup_pct", "target_margin_pct", "margin_floor_pct",
                                       "contingency_pct")),
    ("Quotes", ("currency", "tax_label", "default_tax_pct", "quote_number_pattern", "quote_validity_days",
                "quote_terms")),
)
_MULTILINE = {"address": 3, "quote_terms": 8}  # rows of text each shows
_PLACEHOLDERS = {
    "name": "Your company's name, as the client reads it",
    "address": "Street, suite\nCity, region, postcode",
    "phone": "+1 555 0100",
    "email": "quotes@yourcompany.com",
    "currency": "USD",
    "tax_label": "Tax, Sales tax, VAT, GST…",
    "quote_number_pattern": "Q{year}-{seq:04}",
    "quote_terms": "Payment terms, deposit, cancellation — printed at the foot of every quote.",
}
_PERCENT = {"default_tax_pct", "default_markup_pct", "target_margin_pct", "margin_floor_pct",
            "contingency_pct"}


class TextBox(QPlainTextEdit):
    """A few lines of text that say when editing is finished (focus leaves), like a QLineEdit."""

    editingFinished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)


Editor = QLineEdit | TextBox


class CompanyForm(QWidget):
    """Editors for every company setting. ``changed(key)`` as the user types, ``edited(key)`` when a
    field's editing is finished (or the logo is chosen or removed)."""

    changed = Signal(str)
    edited = Signal(str)

    def __init__(self, dialogs: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companyForm")
        self.dialogs = dialogs
        self.editors: dict[str, Editor] = {}
        self.messages: dict[str, QLabel] = {}
        self.logo = ""
        self._filling = False
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(16)
        left, right = QVBoxLayout(), QVBoxLayout()
        for title, keys in GROUPS:
            (right if title == "Quotes" else left).addWidget(self._group(title, keys))
        left.addStretch(1)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

    # -- building ----------------------------------------------------------------------------

    def _group(self, title: str, keys: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(title, self)
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        row = 0
        for key in keys:
            spec = COMPANY.field_by_key[key]
            label = QLabel(spec.title.replace(" %", "") + ":", box)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            label.setContentsMargins(0, 4, 0, 0)
            if spec.tip:
                label.setToolTip(spec.tip)
            grid.addWidget(label, row, 0)
            grid.addWidget(self._field(key, box), row, 1)
            row += 1
            message = error_label(f"company_{key}_message", box)
            message.hide()
            self.messages[key] = message
            grid.addWidget(message, row, 1)
            row += 1
            if key == "quote_number_pattern":
                self.example = QLabel(box)
                self.example.setObjectName("companyPatternExample")
                self.example.setStyleSheet("QLabel { color: #4b5563; }")
                grid.addWidget(self.example, row, 1)
                row += 1
        return box

    def _field(self, key: str, parent: QWidget) -> QWidget:
        if key == "logo":
            return self._logo_field(parent)
        spec = COMPANY.field_by_key[key]
        editor: Editor
        if key in _MULTILINE:
            editor = TextBox(parent)
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(editor.fontMetrics().lineSpacing() * _MULTILINE[key] + 14)
            editor.setPlaceholderText(_PLACEHOLDERS.get(key, ""))
            editor.textChanged.connect(lambda k=key: self._on_changed(k))
        else:
            editor = QLineEdit(parent)
            editor.setPlaceholderText(_PLACEHOLDERS.get(key, ""))
            editor.textChanged.connect(lambda _t, k=key: self._on_changed(k))
        editor.setObjectName(f"company_{key}")
        editor.setToolTip(spec.tip)
        editor.editingFinished.connect(lambda k=key: self.edited.emit(k))
        self.editors[key] = editor
        if key in _PERCENT or key == "quote_validity_days":
            assert isinstance(editor, QLineEdit)
            editor.setMaximumWidth(90)
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
            cell = QWidget(parent)
            row = QHBoxLayout(cell)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(editor)
            row.addWidget(QLabel("%" if key in _PERCENT else "days", cell))
            row.addStretch(1)
            return cell
        if key in ("currency", "tax_label"):
            assert isinstance(editor, QLineEdit)
            editor.setMaximumWidth(90 if key == "currency" else 160)
        return editor

    def _logo_field(self, parent: QWidget) -> QWidget:
        cell = QWidget(parent)
        row = QHBoxLayout(cell)
        row.setContentsMargins(0, 0, 0, 0)
        self.logo_preview = QLabel(cell)
        self.logo_preview.setObjectName("companyLogoPreview")
        self.logo_preview.setFixedSize(QSize(180, 56))
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.choose_logo_button = QPushButton("Choose…", cell)
        self.choose_logo_button.setObjectName("companyChooseLogo")
        self.choose_logo_button.setToolTip(COMPANY.field_by_key["logo"].tip)
        self.choose_logo_button.clicked.connect(self._on_choose_logo_clicked)
        self.remove_logo_button = QPushButton("Remove", cell)
        self.remove_logo_button.setObjectName("companyRemoveLogo")
        self.remove_logo_button.clicked.connect(self._on_remove_logo_clicked)
        row.addWidget(self.logo_preview)
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose_logo_button)
        buttons.addWidget(self.remove_logo_button)
        row.addLayout(buttons)
        row.addStretch(1)
        self._show_logo()
        return cell

    # -- values ----------------------------------------------------------------------------------

    def text_of(self, key: str) -> str:
        return self.logo if key == "logo" else self.editors[key].text()

    def values(self) -> dict[str, Any]:
        """What the form holds now, as typed (the core parses it)."""
        return {key: self.text_of(key) for key in COMPANY.field_by_key}

    def set_value(self, key: str, value: Any) -> None:
        """Show a stored value (no ``changed``/``edited`` signals)."""
        self._filling = True
        try:
            if key == "logo":
                self.logo = str(value or "")
                self._show_logo()
            else:
                text = COMPANY.field_by_key[key].format(value) if not isinstance(value, str) else value
                editor = self.editors[key]
                if editor.text() != text:
                    editor.setText(text)
            self.show_message(key, "")
        finally:
            self._filling = False
        if key == "quote_number_pattern":
            self._show_example()

    def set_values(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if key in COMPANY.field_by_key:
                self.set_value(key, value)

    def parsed(self, key: str) -> Any:
        """The field's value parsed by the core; InputError says why it cannot be used."""
        return master_data.parse_edit(COMPANY, key, self.text_of(key))

    def check(self, key: str, *, show: bool = True) -> bool:
        """Whether the field's value can be used, its message shown beside it (or cleared)."""
        try:
            self.parsed(key)
        except InputError as error:
            if show:
                self.show_message(key, str(error))
            return False
        if show:
            self.show_message(key, "")
        return True

    def all_good(self) -> bool:
        return all(self.check(key, show=False) for key in COMPANY.field_by_key)

    def show_message(self, key: str, text: str) -> None:
        message = self.messages[key]
        message.setText(text)
        message.setVisible(bool(text))

    # -- the logo ---------------------------------------------------------------------------------

    def _show_logo(self) -> None:
        data = logo_bytes(self.logo)
        pixmap = QPixmap()
        if data is not None and pixmap.loadFromData(data):
            size = self.logo_preview.size() - QSize(8, 8)
            self.logo_preview.setPixmap(pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                                      Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo")
        self.remove_logo_button.setEnabled(bool(self.logo))

    def choose_logo(self, path: str) -> bool:
        """Take the logo from ``path``; a file that is not a small PNG or JPEG is refused beside it."""
        try:
            self.logo = logo_from_file(path)
        except InputError as error:
            self.show_message("logo", str(error))
            return False
        self.show_message("logo", "")
        self._show_logo()
        self.changed.emit("logo")
        self.edited.emit("logo")
        return True

    def _on_choose_logo_clicked(self) -> None:
        path = self.dialogs.open_file(self, "Choose the company logo", LOGO_FILTER)
        if path:
            self.choose_logo(path)

    def _on_remove_logo_clicked(self) -> None:
        self.logo = ""
        self.show_message("logo", "")
        self._show_logo()
        self.changed.emit("logo")
        self.edited.emit("logo")

    # -- slots -------------------------------------------------------------------------------------

    def _on_changed(self, key: str) -> None:
        if key == "quote_number_pattern":
            self._show_example()
        if not self._filling:
            self.changed.emit(key)

    def _show_example(self) -> None:
        try:
            example = example_quote_number(self.text_of("quote_number_pattern"))
            self.example.setText(f"The first quote this year would be {example}.")
        except InputError:
            self.example.setText("")
