"""*Set up my company*: the settings form for a new database, checked field by field.

Nothing is written until OK, and OK is enabled only when every field can be used; what
happens then (a new database file, the company and its starter set written into it) is the
caller's, through ``accepted`` and :meth:`CompanySetupDialog.values`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.models import Company
from app.services.company.settings import COMPANY
from app.ui.company.form import CompanyForm

# What a new company starts from (each can be changed here and later in Company settings).
STARTING_VALUES: dict[str, Any] = {
    **{f.key: getattr(Company(name=""), f.key) for f in COMPANY.fields},
    "default_markup_pct": "30",
    "target_margin_pct": "30",
    "margin_floor_pct": "20",
}


class CompanySetupDialog(QDialog):
    """Non-blocking: open() it; ``accepted`` once OK is pressed on a form with every field good."""

    def __init__(self, dialogs: Any, where: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companySetupDialog")
        self.setWindowTitle("Set up your company")
        intro = QLabel(
            f"<b>Your company in Tandem.</b> These details head every quote, and the defaults are what "
            f"new estimates start from; <i>File › Company settings…</i> changes them later. "
            f"The database will be <code>{where}</code>, with a few common crew roles, one labour rule "
            "set and catalog categories to adapt or delete.", self)
        intro.setObjectName("companySetupIntro")
        intro.setWordWrap(True)
        self.form = CompanyForm(dialogs, self)
        self.form.set_values(STARTING_VALUES)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("companySetupOk")
        self.ok_button.setText("Set up")
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.buttons)
        self.form.changed.connect(self._on_form_changed)
        self._update_ok()
        self.resize(980, 560)

    def values(self) -> dict[str, Any]:
        return self.form.values()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.form.all_good())

    def _on_form_changed(self, key: str) -> None:
        self.form.check(key)
        self._update_ok()

    def _on_accepted(self) -> None:
        if self.form.all_good():  # Enter in a field presses OK even while it is disabled
            self.accept()


def ask_company(dialogs: Any, where: str, parent: QWidget | None,
                on_ok: Callable[[dict[str, Any]], object]) -> CompanySetupDialog:
    """Open the set-up form (non-blocking); ``on_ok`` gets its values when OK is pressed."""
    dialog = CompanySetupDialog(dialogs, where, parent)
    dialog.accepted.connect(lambda: on_ok(dialog.values()))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
