"""A form over one record of a master-data kind: each field saved when left, undoable, or held until create.

The client and project dialogs lay out fields, not table cells, but they save the way every
editor does: the typed value is parsed by the kind's FieldSpec (a refusal says why in the
dialog's message line and changes nothing), written at once with the version check, and
pushed as a command on the dialog's undo stack. A record that does not exist yet (File ›
New client…) keeps what was typed until :meth:`RecordForm.create`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.services import master_data
from app.services.master_data import RecordKind, RecordRow
from app.services.storage.database import Database
from app.services.storage.versioned import ConcurrentEditError, EditConflict
from app.services.values import InputError
from app.ui.field_table import CallCommand


class NotesEdit(QPlainTextEdit):
    """Text of several lines, saved when the user leaves it (like a line edit's editingFinished)."""

    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None, lines: int = 4) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 12)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


def _data(value: Any) -> str:
    """A choice as a combo box keeps it: text (a UUID's, or "" for none), so that findData finds it."""
    return "" if value is None else str(value)


class RecordForm(QObject):
    """Widgets bound to fields of one row of ``kind``; ``row`` is None until the record exists."""

    def __init__(
        self,
        kind: RecordKind,
        db: Database,
        run: Callable[[CallCommand], bool],
        report: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.kind, self.db = kind, db
        # The dialog's: do a command and push it if that worked (RecordEditorDialog.run); say why not.
        self.run, self.report = run, report
        self.row: RecordRow | None = None
        self.widgets: dict[str, QWidget] = {}
        self._shown: dict[str, str] = {}  # what each text field last showed (or was saved with)
        self.parent_widget = parent

    # -- building --------------------------------------------------------------------------------

    def _bind(self, key: str, widget: QWidget) -> None:
        spec = self.kind.field_by_key[key]
        widget.setObjectName(f"{self.kind.model.__name__.lower()}_{key}")
        widget.setToolTip(spec.tip)
        self.widgets[key] = widget

    def line(self, key: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self.parent_widget)
        edit.setPlaceholderText(placeholder)
        edit.editingFinished.connect(lambda: self.commit(key))
        self._bind(key, edit)
        return edit

    def notes(self, key: str, lines: int = 4) -> NotesEdit:
        edit = NotesEdit(self.parent_widget, lines)
        edit.editingFinished.connect(lambda: self.commit(key))
        self._bind(key, edit)
        return edit

    def choice(self, key: str) -> QComboBox:
        combo = QComboBox(self.parent_widget)
        combo.activated.connect(lambda _i: self.commit(key))
        self._bind(key, combo)
        return combo

    def set_choices(self, key: str, choices: Sequence[tuple[Any, str]], current: Any) -> None:
        combo = self.widgets[key]
        assert isinstance(combo, QComboBox)
        combo.blockSignals(True)
        combo.clear()
        for value, label in choices:
            combo.addItem(label, _data(value))
        found = combo.findData(_data(current))
        combo.setCurrentIndex(found if found >= 0 else (0 if choices else -1))
        combo.blockSignals(False)

    # -- values ----------------------------------------------------------------------------------

    def value(self, key: str) -> Any:
        widget = self.widgets[key]
        if isinstance(widget, QLineEdit):
            return widget.text()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        assert isinstance(widget, QComboBox)
        return widget.currentData()

    def typed(self) -> dict[str, Any]:
        """Every field's value as shown (for :meth:`create`)."""
        return {key: self.value(key) for key in self.widgets}

    def _text(self, widget: QWidget) -> str | None:
        if isinstance(widget, QLineEdit):
            return widget.text()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return None

    def show_row(self, row: RecordRow | None) -> None:
        """Show a row's stored values; a field with typing not yet saved keeps what is typed."""
        self.row = row
        focused = self.parent_widget.focusWidget()
        for key, widget in self.widgets.items():
            current = self._text(widget)
            if current is None or (widget is focused and current != self._shown.get(key, current)):
                continue
            text = "" if row is None else self.kind.field_by_key[key].format(row.values.get(key))
            self._shown[key] = text
            if current == text:
                continue
            if isinstance(widget, QLineEdit):
                widget.setText(text)
                widget.setCursorPosition(0)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(text)

    # -- saving ----------------------------------------------------------------------------------

    def commit(self, key: str) -> None:
        """The user left a field: parse it, and save it (undoably) if it changed."""
        value = self.value(key)
        if isinstance(value, str) and key in self._shown:
            self._shown[key] = value  # handled: a reload may show the stored value again
        try:
            parsed = master_data.parse_edit(self.kind, key, value)
        except InputError as error:
            self.report(str(error))
            return
        if self.row is None:
            self.report("")
            return
        old = self.row.values.get(key)
        if parsed == old:
            return
        row_id, title = self.row.id, self.kind.field_by_key[key].title
        first = [self.row]  # the first save is against the row as the user saw it; undo and redo as stored

        def save(to: Any) -> None:
            seen = first.pop() if first else master_data.load_one(self.db, self.kind, row_id)
            try:
                master_data.save_edit(self.db, self.kind, seen, key, to)
            except EditConflict as conflict:  # theirs is shown on the reload; say what was not saved
                theirs = (conflict.theirs or {}).get(key)
                spec = self.kind.field_by_key[key]
                raise ConcurrentEditError(
                    f"Someone else changed this {self.kind.noun} since you opened it, so your "
                    f"{spec.title.lower()} “{spec.format(to)}” was not saved"
                    + (f"; theirs is “{spec.format(theirs)}”." if conflict.theirs else ".")
                    + " Type it again to keep yours."
                ) from None

        self.report("")
        self.run(
            CallCommand(
                f"Edit {title.lower()}", lambda: save(value), lambda: save("" if old is None else old)
            )
        )

    def create(self, name_key: str = "name", **extra: Any) -> uuid.UUID | None:
        """Add the record from what is typed (undoable: undo deletes it, redo brings it back)."""
        values = {k: v for k, v in self.typed().items() if k != name_key and v not in ("", None)}
        values.update(extra)
        name = self.value(name_key)
        made: list[uuid.UUID] = []

        def do() -> None:
            if made:
                master_data.restore(self.db, self.kind, made[0])
            else:
                made.append(master_data.add(self.db, self.kind, name, values))

        def undo() -> None:
            master_data.delete(self.db, self.kind, made[0])

        self.report("")
        if not self.run(CallCommand(f"New {self.kind.noun}", do, undo)):
            return None
        return made[0]
