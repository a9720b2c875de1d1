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

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.services import master_data
from app.services.master_data import RecordKind, RecordRow
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.services.storage.versioned import EditConflict
from app.services.values import InputError
from app.ui.estimate.delegates import ChoiceDelegate
from app.ui.estimate.production_columns import CHOICES_ROLE, LEFT, MULTILINE_ROLE, RIGHT
from app.ui.field_table import EDIT_ERRORS, CallCommand, FieldTableModel, RecordEditorDialog

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

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """A column worked out on reading (a milestone's due day) is shown, never typed into."""
        flags = super().flags(index)
        if index.isValid() and self.fields[index.column()].derived is not None:  # type: ignore[attr-defined]
            flags &= ~Qt.ItemFlag.ItemIsEditable
        return flags

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
        self.rows = self.arranged(self.rows)
        position = {row.id: n for n, row in enumerate(self.rows)}
        for index in self.persistentIndexList():
            if index.isValid():
                moved = position[before[index.row()].id]
                self.changePersistentIndex(index, self.index(moved, index.column()))
        self.layoutChanged.emit()

    def arranged(self, rows: list[RecordRow], stored: list[RecordRow] | None = None) -> list[RecordRow]:
        """``rows`` in the order chosen: by the sorted column, else as ``stored`` (once given) lists them."""
        if stored is not None:
            self._stored_order = {row.id: n for n, row in enumerate(stored)}
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


class MasterDataDialog(RecordEditorDialog):
    """Non-modal: open() it. ``changed`` after every saved change (estimates reprice, lists reload).

    ``prefix`` names the widgets tests and style sheets find ("catalogTable", …); ``note`` may
    say something about the saved rows that is allowed but worth knowing (a bill rate below cost).
    """

    changed = Signal()

    def __init__(
        self,
        db: Database,
        kind: RecordKind,
        dialogs: Any,
        prefix: str,
        title: str,
        parent: QWidget | None = None,
        *,
        stretch: str | None = None,
        note: Callable[[list[RecordRow]], str] | None = None,
        size: tuple[int, int] = (900, 480),
        owner: uuid.UUID | None = None,
    ) -> None:
        super().__init__(db, prefix, parent)
        # The editors of rows its rows own, by prefix (a kit's components, a quote's items): see open_child.
        self.child_editors: dict[str, MasterDataDialog] = {}
        self.setWindowTitle(title)
        self.resize(*size)
        self.kind, self.note, self.noun = kind, note, kind.noun
        self.owner = owner  # a kind with an owner (a kit's components): the rows of this one
        self.dialogs = dialogs
        self.ask_name = lambda: dialogs.ask_text(self, f"Add {kind.noun}", "Name:")
        if kind.field_by_key[kind.name_key].choices is not None:  # named by a pick: a component's item
            self.ask_name = self._pick_name
        self.confirm = lambda text: dialogs.confirm(self, f"Delete {kind.noun}", text)
        keys = [f.key for f in kind.fields]
        self.place_table(RecordTableModel(self), keys.index(stretch or kind.name_key))
        self.model: RecordTableModel
        self.add_button.setText(f"Add {kind.noun}…")
        self.table.setItemDelegate(ChoiceDelegate(self.table))
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSortIndicatorClearable(True)
        self.table.setSortingEnabled(True)
        self.search = QLineEdit(self)
        self.search.setObjectName(f"{prefix}Search")
        self.search.setPlaceholderText(f"Search {title.lower()}…")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName(f"{prefix}Count")
        self.note_label = QLabel(self)
        self.note_label.setObjectName(f"{prefix}Note")
        self.note_label.setStyleSheet(NOTE_STYLE)
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(note is not None)
        self.duplicate_button = QPushButton("Duplicate", self)
        self.duplicate_button.setObjectName(f"{prefix}DuplicateButton")
        self.duplicate_button.clicked.connect(self._on_duplicate_button_clicked)
        self.buttons.insertWidget(1, self.duplicate_button)
        self.close_button = QPushButton("Close", self)
        self.close_button.setObjectName(f"{prefix}CloseButton")
        self.close_button.clicked.connect(self.close)
        for button in (self.add_button, self.duplicate_button, self.delete_button, self.close_button):
            button.setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.note_label)
        layout.addLayout(self.buttons)
        self.search.textChanged.connect(lambda _text: self.reload())
        self._sized = False
        self._stored: list[RecordRow] = []
        self.start(self.table)
        self.buttons.addWidget(self.close_button)

    # -- what the skeleton asks ------------------------------------------------------------------

    def load_rows(self) -> list[RecordRow]:
        """The rows as stored, those the search finds, in the order chosen (a column, else stored)."""
        self._stored = master_data.load(self.db, self.kind, self.owner)
        self.model.set_choices({f.key: f.choices(self.db) for f in self.kind.fields if f.choices})
        typed = self.search.text()
        found = [r for r in self._stored if master_data.matches(self.kind, r, typed, self.model.labels)]
        return self.model.arranged(found, stored=self._stored)

    def add_record(self, name: str) -> uuid.UUID:
        return master_data.add(self.db, self.kind, name, owner=self.owner)

    def _pick_name(self) -> str | None:
        """The new row's name picked from its field's choices (its value, as text), or None."""
        spec = self.kind.field_by_key[self.kind.name_key]
        assert spec.choices is not None
        options = [(value, label) for value, label in spec.choices(self.db) if value not in (None, "")]
        picked = self.dialogs.choose_item(self, f"Add {self.kind.noun}", f"{spec.title}:",
                                          [label for _, label in options])
        return None if picked is None else str(options[picked][0])

    def delete_record(self, record_id: uuid.UUID, version: int | None = None) -> None:
        master_data.delete(self.db, self.kind, record_id, version)

    def restore_record(self, record_id: uuid.UUID) -> None:
        master_data.restore(self.db, self.kind, record_id)

    def delete_question(self, row: RecordRow) -> str:
        return f"Delete the {self.kind.noun} “{self.name_of(row)}”? You can undo this."

    def name_of(self, row: RecordRow) -> str:
        """The row's name as its cell shows it (a rate's stock item by name, not its id)."""
        return self.model.cell_text(self.kind.name_key, row.values.get(self.kind.name_key))

    def shown(self) -> None:
        super().shown()
        self.duplicate_button.setEnabled(self.current() is not None)
        total, plural = len(self._stored), self._plural(len(self._stored))
        typed = bool(self.search.text())
        self.count_label.setText(
            f"{len(self.model.rows)} of {total} {plural}" if typed else f"{total} {plural}"
        )
        if self.note is not None:
            self.note_label.setText(self.note(self._stored))
        if not self._sized:
            self._sized = True
            self.table.resizeColumnsToContents()
            for column in range(self.model.columnCount()):
                self.table.setColumnWidth(column, min(max(self.table.columnWidth(column), 70), 260))

    def announce(self) -> None:
        self.changed.emit()

    def reload(self, keep: uuid.UUID | None = None) -> None:
        """As stored, and so are the open editors of its rows' rows (others' changes reach them too)."""
        super().reload(keep)
        for child in self.child_editors.values():
            if child.isVisible():
                child.reload()

    def open_child(self, editor: MasterDataDialog) -> MasterDataDialog:
        """Open ``editor`` (made with this one as parent, over the rows one of its rows owns) in place of
        the one before with its prefix: reloaded with this one, its saves this one's ``changed``."""
        old = self.child_editors.pop(editor.prefix, None)
        if old is not None:
            old.close()
            old.deleteLater()
        editor.changed.connect(self.changed)
        self.child_editors[editor.prefix] = editor
        editor.open()
        return editor

    def _plural(self, count: int) -> str:
        noun = self.kind.noun
        return noun if count == 1 else noun[:-1] + "ies" if noun.endswith("y") else noun + "s"

    # -- rows ------------------------------------------------------------------------------------

    def row(self, row_id: uuid.UUID) -> RecordRow:
        """The row as this editor last saw it (its version is what a save checks against)."""
        number = self.model.row_of(row_id)
        return (
            self.model.rows[number]
            if number is not None
            else master_data.load_one(self.db, self.kind, row_id)
        )

    def edit(self, row_id: uuid.UUID, key: str, value: Any) -> bool:
        """One cell: saved now (an undo step) or refused with the reason on the message line."""
        row = self.row(row_id)
        old = row.values.get(key)
        if old == _parsed_or_none(self.kind, key, value):
            return True  # nothing to save: no undo step
        back = "" if old is None else old  # as a user empties the cell
        title = self.kind.field_by_key[key].title.lower()
        return self.run(
            CallCommand(
                f"Edit {title}", lambda: self._save(row_id, key, value), lambda: self._save(row_id, key, back)
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
        """Theirs named, mine quoted (to type again): the row then shows what is stored."""
        title = self.kind.field_by_key[key].title.lower()
        what = f"the {self.kind.noun} “{self.name_of(row)}”"
        if conflict.theirs is None:
            return f"Someone else deleted {what} meanwhile; your {title} was not saved."
        stored = master_data.load_one(self.db, self.kind, row.id).values.get(key)
        mine = self.model.cell_text(key, _parsed_or_none(self.kind, key, value))
        return (
            f"Someone else changed {what} meanwhile: its {title} is now "
            f"“{self.model.cell_text(key, stored)}”. Yours, “{mine}”, was not saved; "
            "the row shows theirs — type yours again to keep it."
        )

    def _on_duplicate_button_clicked(self) -> None:
        row = self.current()
        if row is not None:
            row_id = row.id
            self.run(
                self.creation(
                    f"Duplicate {self.kind.noun}", lambda: master_data.duplicate(self.db, self.kind, row_id)
                )
            )

    def _on_delete_button_clicked(self) -> None:
        """A row in use is refused at once, saying where (not asked about first)."""
        row = self.current()
        if row is None:
            return
        try:
            uses = master_data.uses(self.db, self.kind, row.id)
        except StorageError as error:
            self._report(str(error))
            return
        if uses:
            self._report(str(master_data.InUse(self.kind, self.name_of(row), uses)))
            return
        super()._on_delete_button_clicked()


class OwnedEditors(QObject):
    """One non-blocking editor per owner (a project's milestones, a client's activities), reloaded on
    others' changes; ``changed`` after any of them saves."""

    changed = Signal()

    def __init__(self, dialogs: Any, parent: QWidget) -> None:
        super().__init__(parent)
        self.dialogs, self.parent_widget = dialogs, parent
        self.editors: dict[uuid.UUID, MasterDataDialog] = {}

    def open_for(
        self, db: Database, owner: uuid.UUID, make: Callable[[], MasterDataDialog], title: str
    ) -> MasterDataDialog | None:
        """The owner's editor (made by ``make`` the first time, or for another database), opened;
        None when it cannot be made (the reason shown under ``title``)."""
        editor = self.editors.get(owner)
        if editor is None or editor.db is not db:
            try:
                editor = make()
            except EDIT_ERRORS as error:
                self.dialogs.error(self.parent_widget, title, str(error))
                return None
            editor.changed.connect(self.changed)
            self.editors[owner] = editor
        else:
            editor.reload()
        editor.open()
        return editor

    def refresh(self) -> None:
        """Others' changes: the open editors as stored."""
        for editor in self.editors.values():
            if editor.isVisible():
                editor.reload()

    def close(self) -> None:
        for editor in self.editors.values():
            editor.close()
            editor.deleteLater()
        self.editors.clear()


def _parsed_or_none(kind: RecordKind, key: str, value: Any) -> Any:
    """What a typed value would be stored as, or a marker that never equals a stored value."""
    try:
        return master_data.parse_edit(kind, key, value)
    except InputError:
        return _UNPARSED


_UNPARSED = object()
