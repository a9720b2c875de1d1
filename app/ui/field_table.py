"""The skeleton the master-data editors share (roles, crew, labour rules, and those to come).

:class:`FieldTableModel`, a table over records with one editable column per field, and
:class:`RecordEditorDialog`, the dialog around such a table: Add and Delete, undoable commands on
its own stack, the selected record kept through every reload.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QToolButton,
    QWidget,
)

from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.services.storage.versioned import ConcurrentEditError
from app.services.values import InputError
from app.ui.grid_keys import GridKeys
from app.ui.idle_reload import IdleReload
from app.ui.widgets import error_label, record_table, redo_shortcuts


class _Field(Protocol):
    key: str
    title: str


class FieldTableModel(QAbstractTableModel):
    """Rows are records with a ``values`` dict; columns are ``fields`` (``key``, ``title``).

    Subclasses say how a cell reads (``cell_text``) and saves (``setData``); the
    header, flags and sizes live here once.
    """

    def __init__(self, fields: Sequence[_Field], tips: Mapping[str, str], rows: list[Any],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self.tips = tips
        self.rows = rows

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def key_at(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return self.fields[index.column()].key

    def cell_text(self, key: str, value: Any) -> str:
        raise NotImplementedError

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.fields):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.fields[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tips.get(self.fields[section].key)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        key = self.key_at(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.cell_text(key, self.rows[index.row()].values.get(key))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tips.get(key)
        return None


# What a refused save raises: each is shown as the editor's one-line message, and nothing changes.
EDIT_ERRORS = (InputError, StorageError, ConcurrentEditError)


class CallCommand(QUndoCommand):
    """A command from two plain calls; the first redo happens before the push (see RecordEditorDialog.run)."""

    def __init__(self, text: str, do: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(text)
        self._do, self._undo = do, undo
        self.report: Callable[[str], None] = lambda _m: None
        self.after: Callable[[], None] = lambda: None
        self.skip_first = True

    def redo(self) -> None:
        if self.skip_first:
            self.skip_first = False
            return
        self._guard(self._do)

    def undo(self) -> None:
        self._guard(self._undo)

    def _guard(self, work: Callable[[], None]) -> None:
        try:
            work()
        except EDIT_ERRORS as error:
            self.report(str(error))
            return
        self.after()


def add_undo_buttons(dialog: QDialog, stack: QUndoStack, prefix: str,
                     row: QHBoxLayout) -> tuple[QToolButton, QToolButton]:
    """Undo/Redo buttons for a dialog's own stack, with Ctrl+Z / Ctrl+Shift+Z or Ctrl+Y while it has focus."""
    made = []
    for name, action, keys in (
        ("Undo", stack.createUndoAction(dialog, "Undo"), [QKeySequence(QKeySequence.StandardKey.Undo)]),
        ("Redo", stack.createRedoAction(dialog, "Redo"), redo_shortcuts()),
    ):
        button = QToolButton(dialog)
        button.setObjectName(f"{prefix}{name}Button")
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        dialog.addAction(action)
        button.setDefaultAction(action)
        row.addWidget(button)
        made.append(button)
    return made[0], made[1]


class _RecordModel(Protocol):
    rows: list[Any]

    def set_rows(self, rows: list[Any]) -> None: ...


class RecordEditorDialog(QDialog):
    """The skeleton of a master-data editor: a table of stored records with Add and Delete, Undo/Redo
    on the dialog's own stack, and a one-line message. Non-modal: open() it.

    Every change is a :class:`CallCommand` done through :meth:`run`: its first step at once, pushed
    only if that worked; the table then shows the records as stored again (after any open cell
    editor has closed, see IdleReload), the selected record kept. A subclass gives its model (rows
    with an ``id``, ``set_rows``) to :meth:`place_table`, lays out ``table``, ``buttons`` and
    ``message`` with its own widgets, then calls :meth:`start`. It says how records load, are added,
    deleted and restored (the hooks below), and what follows a save (:meth:`after_save`, :meth:`announce`).
    """

    noun = "record"  # the buttons' and the commands' word: "Add role", "Delete crew member"

    def __init__(self, db: Database, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{prefix}Editor")
        self.prefix = prefix
        self.db = db
        self.undo_stack = QUndoStack(self)
        self.ask_name: Callable[[], str | None] = lambda: None
        self.confirm: Callable[[str], bool] = lambda _text: True
        self._keep: uuid.UUID | None = None

    def place_table(self, model: Any, stretch_column: int) -> None:
        """The table over ``model``, then the message and the row of Add and Delete (in that tab order)."""
        self.model: _RecordModel = model
        self.table = record_table(model, f"{self.prefix}Table", stretch_column, self)
        self.message = error_label(f"{self.prefix}EditorMessage", self)
        self.add_button = QPushButton(f"Add {self.noun}", self)
        self.add_button.setObjectName(f"{self.prefix}AddButton")
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName(f"{self.prefix}DeleteButton")
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.delete_button)
        self.buttons.addStretch(1)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)

    def start(self, *views: QAbstractItemView) -> None:
        """Undo and Redo at the end of the buttons' row (and of the tab order), then the records shown;
        ``views`` (the table first) are waited for while one of their cells is being edited."""
        self.undo_button, self.redo_button = add_undo_buttons(self, self.undo_stack, self.prefix,
                                                              self.buttons)
        self.rebuild = IdleReload(self._rebuild, lambda: views, self)
        self.reload()

    # -- what a subclass says --------------------------------------------------------------

    def load_rows(self) -> list[Any]:
        """The records as stored, in the order shown."""
        raise NotImplementedError

    def add_record(self, name: str) -> uuid.UUID:
        raise NotImplementedError

    def delete_record(self, record_id: uuid.UUID, version: int | None = None) -> None:
        """Delete against ``version`` (the one shown, on a first delete), or as stored now (None)."""
        raise NotImplementedError

    def restore_record(self, record_id: uuid.UUID) -> None:
        """Bring a deleted record back (the undo of a delete, the redo of an add)."""
        raise NotImplementedError

    def delete_question(self, row: Any) -> str:
        raise NotImplementedError

    def shown(self) -> None:
        """After the rows are shown, the current one selected."""
        self.delete_button.setEnabled(self.current() is not None)

    def after_save(self) -> None:
        """At once after a save (before the table is rebuilt): e.g. the stored values shown in place."""

    def announce(self) -> None:
        """After a save and the reload it asks for: the dialog's changed signal."""

    # -- state -----------------------------------------------------------------------------

    def reload(self, keep: uuid.UUID | None = None) -> None:
        """Show the records as stored, ``keep`` (else the current one) selected; waits for an open cell."""
        self._keep = keep or self._keep
        self.rebuild.request()

    def _rebuild(self) -> None:
        keep, self._keep = self._keep or self.current_id(), None
        column = max(self.table.currentIndex().column(), 0)  # Enter went down a column: stay in it
        rows = self.load_rows()
        self.model.set_rows(rows)
        number = next((n for n, row in enumerate(rows) if row.id == keep), 0)
        if rows:
            self.table.selectRow(number)
            self.table.selectionModel().setCurrentIndex(self.table.model().index(number, column),
                                                        QItemSelectionModel.SelectionFlag.NoUpdate)
        self.shown()

    def current(self) -> Any:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def current_id(self) -> uuid.UUID | None:
        row = self.current() if hasattr(self, "table") else None
        return row.id if row else None

    # -- running undoable changes ---------------------------------------------------------

    def run(self, command: CallCommand) -> bool:
        """Do the command's first step now; push it only if that worked."""
        command.report = self._report
        command.after = self._saved
        try:
            command._do()
        except EDIT_ERRORS as error:
            self._report(str(error))
            return False
        self.message.clear()
        self.undo_stack.push(command)
        self._saved()
        return True

    def _saved(self) -> None:
        self.after_save()
        # The rebuild not from inside the save: a cell editor may still be committing into the table.
        QTimer.singleShot(0, self, self._changed)

    def _changed(self) -> None:
        self.reload()
        self.announce()

    def _report(self, message: str) -> None:
        self.message.setText(message)
        table = getattr(self, "table", None)
        if isinstance(table, GridKeys):
            table.refused()  # a cell's value refused: the cursor stays on it
        QTimer.singleShot(0, self, self.reload)

    # -- Add and Delete ----------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        name = self.ask_name()
        if name is None:
            return
        self.run(self.creation(f"Add {self.noun}", lambda: self.add_record(name)))

    def creation(self, text: str, make: Callable[[], uuid.UUID]) -> CallCommand:
        """A command that makes a record (an add, a duplicate): undone by deleting it, redone by
        restoring it; the new record selected."""
        created: dict[str, uuid.UUID] = {}

        def do() -> None:
            if "id" in created:
                self.restore_record(created["id"])
            else:
                created["id"] = make()
            self.reload(created["id"])

        def undo() -> None:
            self.delete_record(created["id"])
            self.reload()

        return CallCommand(text, do, undo)

    def _on_delete_button_clicked(self) -> None:
        row = self.current()
        if row is None or not self.confirm(self.delete_question(row)):
            return
        record_id, seen = row.id, [row.version]

        def do() -> None:  # first time against the version shown; on redo, as stored now
            self.delete_record(record_id, seen.pop() if seen else None)

        self.run(CallCommand(f"Delete {self.noun}", do, lambda: self.restore_record(record_id)))
