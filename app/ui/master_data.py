"""The one editor of every master-data table: catalog, suppliers, categories, roles, labour rule sets.

A non-blocking dialog over a :class:`~app.services.master_data.RecordKind`: a searchable,
sortable table, one column per field (a list to pick from where the field has choices,
numbers right-aligned, notes on several lines). Every cell is validated and saved at once;
a refused value keeps the cell as it was and the message line says why; someone else's
change of the same row is shown (their value named, the row reloaded, what was typed
quoted so nothing is lost). Add, Duplicate and Delete (refused while the row is in use,
saying where) and each cell edit are one step on the dialog's undo stack. Others' changes
reload the table once no cell is being edited (:class:`IdleReload`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.services import master_data
from app.services.estimate.rows import EditConflict
from app.services.master_data import RecordKind, RecordRow
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.services.values import InputError
from app.ui.crew.editor import CallCommand, add_undo_buttons
from app.ui.estimate.delegates import ChoiceDelegate
from app.ui.estimate.production_columns import CHOICES_ROLE, LEFT, MULTILINE_ROLE, RIGHT
from app.ui.field_table import FieldTableModel
from app.ui.idle_reload import IdleReload
from app.ui.widgets import error_label, record_table

# What an edit can meet besides success: each leaves the stored row as it was.
_REFUSED = (InputError, StorageError, EditConflict)
NOTE_STYLE = "QLabel { color: #92400e; }"


def _sort_key(value: Any) -> tuple[bool, Any]:
    """Empty cells last; text without regard to case."""
    if value is None or value == "":
        return (True, "")
    return (False, value.lower() if isinstance(value, str) else value)


class RecordTableModel(FieldTableModel):
    """Rows are one kind's records as shown (searched, sorted); setData saves through the dialog."""

    def __init__(self, dialog: MasterDataDialog) -> None:
        super().__init__(dialog.kind.fields, {f.key: f.tip for f in dialog.kind.fields if f.tip}, [], dialog)
        self.dialog = dialog
        self.kind = dialog.kind
        self.choices: dict[str, list[tuple[Any, str]]] = {}
        self.labels: dict[str, dict[Any, str]] = {}
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder
        self._stored_order: dict[uuid.UUID, int] = {}

    # -- contents ----------------------------------------------------------------------------

    def set_choices(self, choices: dict[str, list[tuple[Any, str]]]) -> None:
        self.choices = choices
        self.labels = {key: dict(options) for key, options in choices.items()}

    def set_rows(self, rows: list[Any]) -> None:
        self._stored_order = {row.id: n for n, row in enumerate(rows)}
        super().set_rows(self._arranged(rows))

    def row_of(self, row_id: uuid.UUID | None) -> int | None:
        return next((n for n, row in enumerate(self.rows) if row.id == row_id), None)

    def cell_text(self, key: str, value: Any) -> str:
        if key in self.labels:
            return self.labels[key].get(value, "" if value is None else str(value))
        return self.kind.field_by_key[key].format(value)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        spec = self.fields[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if spec.numeric else LEFT  # type: ignore[attr-defined]
        if role == CHOICES_ROLE:
            options = self.choices.get(spec.key)
            return None if options is None else [(label, _choice_data(value)) for value, label in options]
        if role == MULTILINE_ROLE:
            return spec.multiline  # type: ignore[attr-defined]
        value = self.rows[index.row()].values.get(spec.key)
        if role == Qt.ItemDataRole.EditRole and spec.key in self.choices:
            return _choice_data(value)
        if role == Qt.ItemDataRole.EditRole:
            return spec.format(value)  # type: ignore[attr-defined]
        if role == Qt.ItemDataRole.DisplayRole and spec.multiline:  # type: ignore[attr-defined]
            text = self.cell_text(spec.key, value)
            return text.split("\n", 1)[0] + (" …" if "\n" in text else "")
        if role == Qt.ItemDataRole.ToolTipRole and spec.multiline:  # type: ignore[attr-defined]
            return self.cell_text(spec.key, value) or spec.tip or None  # type: ignore[attr-defined]
        return super().data(index, role)

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.dialog.edit(self.rows[index.row()].id, self.key_at(index), value)

    def refresh_row(self, row_id: uuid.UUID) -> None:
        """The row's cells repainted from its values (changed in place by a save)."""
        number = self.row_of(row_id)
        if number is not None:
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(self.fields) - 1))

    # -- sorting -----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """By a column's shown value (a supplier by its name), or, with no column, as stored."""
        self.sort_column, self.sort_order = column, order
        before = list(self.rows)
        self.layoutAboutToBeChanged.emit()
        self.rows = self._arranged(self.rows)
        position = {row.id: n for n, row in enumerate(self.rows)}
        for index in self.persistentIndexList():
            if index.isValid():
                moved = position[before[index.row()].id]
                self.changePersistentIndex(index, self.index(moved, index.column()))
        self.layoutChanged.emit()

    def _arranged(self, rows: list[RecordRow]) -> list[RecordRow]:
        stored = sorted(rows, key=lambda r: self._stored_order.get(r.id, len(self._stored_order)))
        if not 0 <= self.sort_column < len(self.fields):
            return stored
        key = self.fields[self.sort_column].key

        def shown(row: RecordRow) -> Any:
            value = row.values.get(key)
            return self.labels[key].get(value, "") if key in self.labels else value

        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        return sorted(stored, key=lambda r: _sort_key(shown(r)), reverse=descending)


def _choice_data(value: Any) -> Any:
    """A choice as the combo box holds it: ids as text (a Qt variant compares them), none as ""."""
    if value is None:
        return ""
    return str(value) if isinstance(value, uuid.UUID) else value


class MasterDataDialog(QDialog):
    """Non-modal: open() it. ``changed`` after every saved change (estimates reprice, lists reload).

    ``name`` prefixes the object names tests and style sheets find ("catalogTable", …);
    ``note`` may say something about the saved rows that is allowed but worth knowing.
    """

    changed = Signal()

    def __init__(
        self,
        db: Database,
        kind: RecordKind,
        dialogs: Any,
        name: str,
        title: str,
        parent: QWidget | None = None,
        *,
        stretch: str | None = None,
        note: Callable[[list[RecordRow]], str] | None = None,
        size: tuple[int, int] = (900, 480),
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Editor")
        self.setWindowTitle(title)
        self.resize(*size)
        self.db, self.kind, self.dialogs, self.note = db, kind, dialogs, note
        self.undo_stack = QUndoStack(self)
        self.model = RecordTableModel(self)
        keys = [f.key for f in kind.fields]
        self.table = record_table(self.model, f"{name}Table", keys.index(stretch or kind.name_key), self)
        self.table.setItemDelegate(ChoiceDelegate(self.table))
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSortIndicatorClearable(True)
        self.table.setSortingEnabled(True)
        self.search = QLineEdit(self)
        self.search.setObjectName(f"{name}Search")
        self.search.setPlaceholderText(f"Search {title.lower()}…")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName(f"{name}Count")
        self.message = error_label(f"{name}Message", self)
        self.note_label = QLabel(self)
        self.note_label.setObjectName(f"{name}Note")
        self.note_label.setStyleSheet(NOTE_STYLE)
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(note is not None)
        noun = kind.noun
        self.add_button = self._button(f"Add {noun}…", f"{name}AddButton", self._on_add_button_clicked)
        self.duplicate_button = self._button(
            "Duplicate", f"{name}DuplicateButton", self._on_duplicate_button_clicked
        )
        self.delete_button = self._button("Delete", f"{name}DeleteButton", self._on_delete_button_clicked)
        self.close_button = self._button("Close", f"{name}CloseButton", self.close)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        self.undo_button, self.redo_button = add_undo_buttons(self, self.undo_stack, name, buttons)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.note_label)
        layout.addLayout(buttons)
        self.search.textChanged.connect(lambda _text: self.reload())
        self._keep: uuid.UUID | None = None
        self._sized = False
        self.rebuild = IdleReload(self._rebuild, lambda: (self.table,), self)
        self.reload()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # -- state -------------------------------------------------------------------------------

    def reload(self, keep: uuid.UUID | None = None) -> None:
        """Show the rows as stored, ``keep`` (else the current row) selected; waits for an open cell."""
        self._keep = keep or self._keep
        self.rebuild.request()

    def _rebuild(self) -> None:
        keep, self._keep = self._keep or self.current_id(), None
        try:
            rows = master_data.load(self.db, self.kind)
            self.model.set_choices({f.key: f.choices(self.db) for f in self.kind.fields if f.choices})
        except StorageError as error:
            self.message.setText(str(error))
            return
        typed = self.search.text()
        shown = [r for r in rows if master_data.matches(self.kind, r, typed, self.model.labels)]
        self.model.set_rows(shown)
        noun = self.kind.noun
        plural = noun if len(rows) == 1 else noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
        self.count_label.setText(
            f"{len(shown)} of {len(rows)} {plural}" if typed else f"{len(rows)} {plural}"
        )
        number = self.model.row_of(keep)
        if number is None and shown:
            number = 0
        if number is not None:
            self.table.selectRow(number)
        if not self._sized:
            self._sized = True
            self.table.resizeColumnsToContents()
            for column in range(self.model.columnCount()):
                self.table.setColumnWidth(column, min(max(self.table.columnWidth(column), 70), 260))
        self._update_buttons()
        if self.note is not None:
            self.note_label.setText(self.note(rows))

    def _update_buttons(self) -> None:
        has_row = self.current() is not None
        self.duplicate_button.setEnabled(has_row)
        self.delete_button.setEnabled(has_row)

    def current(self) -> RecordRow | None:
        index = self.table.currentIndex() if hasattr(self, "table") else QModelIndex()
        return (
            self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None
        )

    def current_id(self) -> uuid.UUID | None:
        row = self.current()
        return row.id if row else None

    def row(self, row_id: uuid.UUID) -> RecordRow:
        """The row as this editor last saw it (its version is what a save checks against)."""
        number = self.model.row_of(row_id)
        return (
            self.model.rows[number]
            if number is not None
            else master_data.load_one(self.db, self.kind, row_id)
        )

    # -- edits -------------------------------------------------------------------------------

    def edit(self, row_id: uuid.UUID, key: str, value: Any) -> bool:
        """One cell: saved now (an undo step) or refused with the reason on the message line."""
        row = self.row(row_id)
        old = row.values.get(key)
        if old is None:
            old = ""  # as a user empties the cell
        if row.values.get(key) == _parsed_or_none(self.kind, key, value):
            return True  # nothing to save: no undo step
        title = self.kind.field_by_key[key].title.lower()
        return self.run(
            CallCommand(
                f"Edit {title}", lambda: self._save(row_id, key, value), lambda: self._save(row_id, key, old)
            )
        )

    def _save(self, row_id: uuid.UUID, key: str, value: Any) -> None:
        row = self.row(row_id)
        try:
            master_data.save_edit(self.db, self.kind, row, key, value)
        except EditConflict as conflict:
            raise InputError(self.conflict_text(conflict, row, key, value)) from conflict
        self.model.refresh_row(row_id)

    def conflict_text(self, conflict: EditConflict, row: RecordRow, key: str, value: Any) -> str:
        spec = self.kind.field_by_key[key]
        what = f"the {self.kind.noun} “{row.name(self.kind)}”"
        if conflict.theirs is None:
            return f"Someone else deleted {what} meanwhile; your {spec.title.lower()} was not saved."
        stored = master_data.load_one(self.db, self.kind, row.id).values.get(key)
        mine = self.model.cell_text(key, _parsed_or_none(self.kind, key, value))
        return (
            f"Someone else changed {what} meanwhile: its {spec.title.lower()} is now "
            f"“{self.model.cell_text(key, stored)}”. Yours, “{mine}”, was not saved; "
            "the row shows theirs — type yours again to keep it."
        )

    def run(self, command: CallCommand) -> bool:
        """Do the command's first step now; push it only if that worked."""
        command.report = self._report
        command.after = self._saved
        try:
            command._do()
        except _REFUSED as error:
            self._report(str(error))
            return False
        self.message.clear()
        self.undo_stack.push(command)
        self._saved()
        return True

    def _saved(self) -> None:
        # The rebuild not from inside the save: a cell editor may still be committing into the table.
        QTimer.singleShot(0, self, self._changed)

    def _changed(self) -> None:
        self.reload()
        self.changed.emit()

    def _report(self, message: str) -> None:
        self.message.setText(message)
        QTimer.singleShot(0, self, self.reload)

    # -- rows --------------------------------------------------------------------------------

    def _created(self, text: str, create: Callable[[], uuid.UUID]) -> CallCommand:
        """Add or duplicate: the row made once, then deleted and restored by undo and redo."""
        made: dict[str, uuid.UUID] = {}

        def do() -> None:
            if "id" in made:
                master_data.restore(self.db, self.kind, made["id"])
            else:
                made["id"] = create()
            self.reload(made["id"])

        def undo() -> None:
            master_data.delete(self.db, self.kind, made["id"])

        return CallCommand(text, do, undo)

    def _on_add_button_clicked(self) -> None:
        name = self.dialogs.ask_text(self, f"Add {self.kind.noun}", "Name:")
        if name is None:
            return
        self.run(self._created(f"Add {self.kind.noun}", lambda: master_data.add(self.db, self.kind, name)))

    def _on_duplicate_button_clicked(self) -> None:
        row = self.current()
        if row is not None:
            row_id = row.id
            self.run(
                self._created(
                    f"Duplicate {self.kind.noun}", lambda: master_data.duplicate(self.db, self.kind, row_id)
                )
            )

    def _on_delete_button_clicked(self) -> None:
        row = self.current()
        if row is None:
            return
        try:  # in use: said at once, without asking first
            uses = master_data.uses(self.db, self.kind, row.id)
        except StorageError as error:
            self._report(str(error))
            return
        if uses:
            self._report(str(master_data.InUse(self.kind, row.name(self.kind), uses)))
            return
        if not self.dialogs.confirm(
            self,
            f"Delete {self.kind.noun}",
            f"Delete the {self.kind.noun} “{row.name(self.kind)}”? You can undo this.",
        ):
            return
        row_id, seen = row.id, [row.version]

        def do() -> None:  # first against the version shown; on redo, as stored now
            master_data.delete(self.db, self.kind, row_id, seen.pop() if seen else None)

        self.run(
            CallCommand(
                f"Delete {self.kind.noun}", do, lambda: master_data.restore(self.db, self.kind, row_id)
            )
        )


def _parsed_or_none(kind: RecordKind, key: str, value: Any) -> Any:
    """What a typed value would be stored as, or a marker that never equals a stored value."""
    try:
        return master_data.parse_edit(kind, key, value)
    except InputError:
        return _UNPARSED


_UNPARSED = object()
