"""Questions and messages for the user, behind one small service that tests replace."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class UserDialogs:
    """The real dialogs (modal). Tests pass a fake with the same methods instead."""

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_text(self, parent: QWidget | None, title: str, label: str, default: str = "") -> str | None:
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
        return text if ok else None

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
        return path or None

    def save_file(self, parent: QWidget | None, title: str, filters: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, "", filters)
        return path or None
