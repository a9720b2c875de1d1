"""Questions and messages for the user, behind one small service that tests replace."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from app.ui.estimate.editor import EDIT, KEEP_MINE, TAKE_THEIRS, ConflictView


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class UserDialogs:
    """The real dialogs (modal). Tests pass a fake with the same methods instead."""

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def resolve_conflict(self, parent: QWidget | None, view: ConflictView) -> str:
        """Mine against theirs, field by field: keep mine, take theirs, or edit again.

        A view with a message and choices of its own (a section deleted under the line)
        shows the message and a button for each choice.
        """
        box = QMessageBox(parent)
        box.setObjectName("conflictDialog")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Changed by someone else")
        if view.message:
            box.setText(_esc(view.message))
        else:
            rows = "".join(
                f"<tr><td>{_esc(field)}</td><td><b>{_esc(mine)}</b></td><td>{_esc(theirs)}</td></tr>"
                for field, mine, theirs in view.fields
            )
            box.setText(
                f"{_esc(view.title)} was changed by someone else while you edited it.<br><br>"
                f"<table cellspacing=6><tr><th align=left>Field</th><th align=left>Yours</th>"
                f"<th align=left>Theirs (saved)</th></tr>{rows}</table>"
            )
        choices = view.choices or ((KEEP_MINE, "Keep mine"), (EDIT, "Edit…"), (TAKE_THEIRS, "Take theirs"))
        default = view.default or TAKE_THEIRS
        buttons = {}
        for n, (choice, text) in enumerate(choices):
            role = (QMessageBox.ButtonRole.RejectRole if choice == default  # Escape picks the default
                    else QMessageBox.ButtonRole.AcceptRole if n == 0 else QMessageBox.ButtonRole.ActionRole)
            buttons[choice] = box.addButton(text, role)
        box.setDefaultButton(buttons[default])
        box.exec()
        clicked = box.clickedButton()
        return next((choice for choice, button in buttons.items() if button is clicked), default)

    def ask_text(self, parent: QWidget | None, title: str, label: str, default: str = "") -> str | None:
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
        return text if ok else None

    def choose_item(self, parent: QWidget | None, title: str, label: str, items: list[str]) -> int | None:
        """The index of the item the user picked, or None."""
        text, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return items.index(text) if ok and text in items else None

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
        return path or None

    def save_file(self, parent: QWidget | None, title: str, filters: str, proposed: str = "") -> str | None:
        """The path the user chose to save to; ``proposed`` is the folder and file name it starts with."""
        path, _ = QFileDialog.getSaveFileName(parent, title, proposed, filters)
        return path or None

    def choose_printer(self, parent: QWidget | None) -> QPrinter | None:
        """The printer (and its settings) the user chose in the print dialog, or None."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        dialog.setObjectName("printDialog")
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None
