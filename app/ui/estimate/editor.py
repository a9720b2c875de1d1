"""The one door through which the panes change an estimate: parse, run as an undoable command, report."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.services import master_data
from app.services.catalog.suppliers import SUPPLIERS
from app.services.equipment.subrent import SubRental
from app.services.estimate.catalog_lines import catalog_lines, with_components
from app.services.estimate.document import (
    ESTIMATE_FIELDS,
    LINE_FIELDS,
    PARAMETER_FIELDS,
    SECTION_FIELDS,
    ConcurrentEditError,
    EditConflict,
    EstimateDocument,
    ParentDeleted,
    UnseenLines,
)
from app.services.excel.clipboard import Clip, paste_plan
from app.services.lookups import CatalogEntry
from app.services.money import format_number
from app.services.storage.errors import DatabaseLocked, ReadOnlyDatabase, StorageError
from app.services.values import InputError
from app.ui.estimate import commands


@dataclass(frozen=True)
class ConflictView:
    """A conflict as the user reads it: what, and field by field mine against theirs.

    A conflict that is not about values (a section deleted under the user's line) has a
    ``message`` instead of fields, and its own ``choices``: (choice, button text), in
    button order, ``default`` being the one Enter or Escape picks.
    """

    title: str
    fields: list[tuple[str, str, str]]  # (field, mine, theirs)
    deleted: bool
    message: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    default: str = ""


class BusyMessage(str):
    """A refusal that is no fault of the input (the database busy, or opened read-only): it is kept."""

    __slots__ = ()


# What the user chose: keep mine (write it over theirs), take theirs, or edit again.
KEEP_MINE, TAKE_THEIRS, EDIT = "mine", "theirs", "edit"
# A section deleted under the user's line: restore it with the line, or discard the line.
RESTORE, DISCARD = "restore", "discard"
# A section delete that met lines the user never saw: delete them too, or keep the section.
DELETE_TOO, KEEP_SECTION = "delete", "keep"
_VALUE_EDITS = (commands.SetLineFields, commands.SetSectionFields, commands.SetEstimateFields,
                commands.SetParameterFields)
# The writes into a section that can bring a deleted section back, and what the user loses otherwise.
_INTO_SECTION = {commands.AddLine: "your line", commands.SetLineFields: "your change",
                 commands.MoveLine: "your move"}


class EstimateEditor(QObject):
    """Owns an open estimate's undo stack; every pane edit goes through here.

    Methods that take user input return ``None`` on success or the message to
    show; a refused edit changes nothing and is not put on the undo stack. When
    someone else changed the same row meanwhile, ``resolve_conflict`` (set by the
    window to a dialog) is shown both values and chooses.
    """

    errorRaised = Signal(str)
    rowFocusRequested = Signal(object)  # a line or section id the views should select
    editRequested = Signal(object, str, str)  # row id, column, text to put back in the editor
    masterDataChanged = Signal()  # a supplier was added from a cell: the open lists reload
    rowsSelectionRequested = Signal(list)  # row ids (pasted lines, new sections) the views should select

    def __init__(self, doc: EstimateDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.undo_stack = QUndoStack(self)
        self.resolve_conflict: Callable[[ConflictView], str] = lambda _view: TAKE_THEIRS
        # A question to the user (title, text) → Yes; the window asks through its dialogs.
        self.confirm: Callable[[str, str], bool] = lambda _title, _text: False

    # -- running commands ------------------------------------------------------

    def run(self, command: commands.DocumentCommand) -> str | None:
        command.on_error = self._on_command_error
        try:
            command.first_apply()
        except EditConflict as conflict:
            if isinstance(command, _VALUE_EDITS):
                return self._settle(command, conflict)
            self._on_command_error(conflict)
            return str(conflict)
        except InputError as error:
            return str(error)
        except ParentDeleted as gone:
            return self._settle_deleted_parent(command, gone)
        except UnseenLines as unseen:
            return self._settle_unseen_lines(command, unseen)
        except (ConcurrentEditError, StorageError) as error:
            if isinstance(error, DatabaseLocked):
                return BusyMessage(f"{error} Your input was kept: press Enter to try again.")
            if isinstance(error, ReadOnlyDatabase):
                return BusyMessage(f"{error} Your input was kept in the cell.")
            if not isinstance(error, ConcurrentEditError):
                return str(error)
            self._on_command_error(error)
            return str(error)
        self.undo_stack.push(command)
        return None

    def _settle(self, command: commands.DocumentCommand, conflict: EditConflict) -> str | None:
        """Show mine against theirs, refresh to theirs, then do what the user chose."""
        choice = self.resolve_conflict(self.describe(conflict))
        try:
            if conflict.table == "lineitem":
                self.doc.refresh_line(conflict.row_id)
            elif conflict.table == "estimateparameter":
                self.doc.refresh_parameters()
            else:
                self.doc.reload()
        except (ConcurrentEditError, StorageError) as gone:
            self.errorRaised.emit(str(gone))
            return str(gone)
        if conflict.deleted:
            self.errorRaised.emit("Someone else deleted this; their deletion was kept.")
            return None
        if choice == KEEP_MINE:
            try:
                command.first_apply()
            except (ConcurrentEditError, StorageError, InputError) as error:
                self.errorRaised.emit(str(error))
                return str(error)
            self.undo_stack.push(command)
        elif choice == EDIT:
            column, value = _first_edit(conflict.mine)
            self.editRequested.emit(conflict.row_id, column, value)
        return None

    def _settle_deleted_parent(self, command: commands.DocumentCommand, gone: ParentDeleted) -> str | None:
        """A write into a section someone else deleted: restore it with the write, or discard the write.

        Either way the document first shows what is stored (the section gone). Restoring
        is one undo step: undo removes the line and the section again.
        """
        what = _INTO_SECTION.get(type(command))
        if what is None or gone.table != "section":
            self._on_command_error(gone)
            return str(gone)
        doc = self.doc
        try:
            index = doc.section_index(gone.parent_id)  # where it was shown: it comes back there
        except KeyError:
            index = len(doc.sections)
        if (lost := self._show_stored()) is not None:
            return lost
        view = ConflictView(
            f"Section {gone.name}", [], True,
            message=f"{gone.name} was deleted by another user; restore it with {what}, or discard {what}.",
            choices=((RESTORE, f"Restore {gone.name} with {what}"), (DISCARD, f"Discard {what}")),
            default=RESTORE,
        )
        if self.resolve_conflict(view) != RESTORE:
            self.errorRaised.emit(f"{what.capitalize()} was discarded; {gone.name} stays deleted.")
            return None
        if any(s.id == gone.parent_id for s in doc.sections):  # restored by someone while we asked
            return self.run(command)
        restore = commands.RestoreSection(doc, gone.parent_id, index, f"Restore {gone.name} with {what}")
        for step in (restore, command):
            step.on_error = self._on_command_error
        try:
            restore.first_apply()
        except (ConcurrentEditError, StorageError) as error:
            self.errorRaised.emit(str(error))
            return str(error)
        try:
            command.first_apply()
        except (ConcurrentEditError, StorageError, InputError) as error:
            self.undo_stack.push(restore)  # the section is back: undoable on its own
            self.errorRaised.emit(str(error))
            return str(error)
        self.undo_stack.beginMacro(restore.text())
        self.undo_stack.push(restore)
        self.undo_stack.push(command)
        self.undo_stack.endMacro()
        return None

    def _settle_unseen_lines(self, command: commands.DocumentCommand, unseen: UnseenLines) -> str | None:
        """A section delete that met lines the user never saw: show them, then delete them too or keep."""
        if not isinstance(command, commands.DeleteSection):
            self._on_command_error(unseen)
            return str(unseen)
        if (lost := self._show_stored()) is not None:
            return lost
        listed = ", ".join(f"“{d}”" for d in unseen.descriptions[:5])
        if len(unseen.descriptions) > 5:
            listed += f" and {len(unseen.descriptions) - 5} more"
        count = len(unseen.descriptions)
        them = "it" if count == 1 else "them"
        view = ConflictView(
            f"Section {unseen.name}", [], False,
            message=f"{unseen} Now shown: {listed}. Delete {unseen.name} with {them}, or keep it?",
            choices=((DELETE_TOO, f"Delete {unseen.name} with {them}"), (KEEP_SECTION, "Keep the section")),
            default=KEEP_SECTION,
        )
        if self.resolve_conflict(view) != DELETE_TOO:
            self.errorRaised.emit(f"{unseen.name} was kept, with what another user added.")
            return None
        return self.run(commands.DeleteSection(self.doc, command.section_id))

    def _show_stored(self) -> str | None:
        """Reload the estimate as stored (before asking); the message if it is gone altogether."""
        try:
            self.doc.reload()
        except ConcurrentEditError as gone:
            self.errorRaised.emit(str(gone))
            return str(gone)
        return None

    def describe(self, conflict: EditConflict) -> ConflictView:
        if conflict.table == "lineitem" and self.doc.has_line(conflict.row_id):
            title = f"Line “{self.doc.line(conflict.row_id).description}”"
        elif conflict.table == "section":
            title = "Section"
        elif conflict.table == "estimateparameter":
            title = "Parameter"
        else:
            title = "Estimate settings"
        rows = []
        for name, mine in conflict.mine.items():
            if name in {"price_basis", "version", "updated_at"}:
                continue
            spec = (LINE_FIELDS.get(name) or SECTION_FIELDS.get(name) or ESTIMATE_FIELDS.get(name)
                    or PARAMETER_FIELDS.get(name))
            theirs = conflict.theirs.get(name) if conflict.theirs is not None else None
            if conflict.theirs is not None and theirs == mine and len(conflict.mine) > 1:
                continue  # the same on both sides (a formula both cleared): nothing to choose
            shown_theirs = "(deleted)" if conflict.theirs is None else self._show(name, theirs)
            rows.append((spec.label if spec else name, self._show(name, mine), shown_theirs))
        return ConflictView(title, rows, conflict.deleted)

    def _show(self, name: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, Decimal):
            return format_number(value)
        if name == "supplier_id":
            supplier = self.doc.lookups.suppliers.get(value)
            return supplier.name if supplier else str(value)
        if name == "role_id":
            role = self.doc.lookups.roles.get(value)
            return role.name if role else str(value)
        return str(getattr(value, "label", value))

    def _on_command_error(self, error: BaseException) -> None:
        if isinstance(error, ConcurrentEditError):
            # Someone else changed the estimate: show theirs, and drop undo steps
            # that were recorded against the old state.
            self.undo_stack.clear()
            try:
                self.doc.reload()
            except ConcurrentEditError as gone:
                error = gone
        elif not isinstance(error, StorageError | InputError):
            raise error
        self.errorRaised.emit(str(error))

    # -- edits -----------------------------------------------------------------

    def edit_line(self, line_id: uuid.UUID, column: str, value: Any) -> str | None:
        try:
            changes = self.doc.parse_line_edit(line_id, column, value)
        except InputError as error:
            return str(error)
        if not changes:
            return None
        spec = LINE_FIELDS.get("price_override" if column == "price" else column)
        label = spec.label if spec else column
        return self.run(commands.SetLineFields(self.doc, line_id, changes, f"Edit {label.lower()}"))

    def add_supplier_to_line(self, line_id: uuid.UUID, name: str) -> str | None:
        """A name typed into a line's supplier cell that is no supplier yet: asked, then made and set
        on the line as one undo step; answered No, the line is left as it was."""
        try:
            name = master_data.parse_edit(SUPPLIERS, "name", name)
        except InputError as error:
            return str(error)
        if not self.confirm("New supplier", f"“{name}” is not a supplier yet. Add it to the suppliers "
                            "and set it on this line?"):
            return None
        message = self.run(commands.AddSupplierToLine(self.doc, line_id, name))
        if message is None:
            self.masterDataChanged.emit()
        return message

    def edit_section(self, section_id: uuid.UUID, column: str, value: Any) -> str | None:
        try:
            changes = self.doc.parse_section_edit(section_id, column, value)
        except InputError as error:
            return str(error)
        if not changes:
            return None
        return self.run(commands.SetSectionFields(self.doc, section_id, changes, "Edit section"))

    def edit_estimate(self, column: str, value: Any) -> str | None:
        try:
            changes = self.doc.parse_estimate_edit(column, value)
        except InputError as error:
            return str(error)
        if not changes:
            return None
        return self.run(commands.SetEstimateFields(self.doc, changes, "Edit estimate"))

    def sub_rent(self, plan: SubRental) -> str | None:
        """Split a short line as ``plan`` says (one undo step); the sub-rental line becomes current.
        A refusal is returned for the dialog to show (it stays open), not raised."""
        command = commands.SubRent(self.doc, plan)
        message = self.run(command)
        if message is None:
            self.rowFocusRequested.emit(command.line_id)
        return message

    def choose_alternative(self, line_id: uuid.UUID) -> str | None:
        return self.run(commands.SetAlternativeFlags(self.doc, line_id))

    def show_components(self, kit_line_id: uuid.UUID, shown: bool) -> str | None:
        """Whether the client reads a kit line's components (else the kit as one line): one step."""
        text = "Show the kit's components" if shown else "Show the kit as one line"
        return self.run(commands.SetLineFields(self.doc, kit_line_id, {"shows_components": shown}, text))

    # -- parameters --------------------------------------------------------------

    def edit_parameter(self, parameter_id: uuid.UUID, column: str, value: Any) -> str | None:
        try:
            changes = self.doc.parse_parameter_edit(parameter_id, column, value)
        except InputError as error:
            return str(error)
        if not changes:
            return None
        name = self.doc.parameter(parameter_id).name
        text = f"Rename {name}" if "name" in changes else f"Edit {name}"
        return self.run(commands.SetParameterFields(self.doc, parameter_id, changes, text))

    def add_parameter(self, name: str | None = None, value: Any = "0") -> uuid.UUID | None:
        """Add a parameter (``new_parameter``, ``new_parameter_2``… when no name is given)."""
        if name is None:
            taken = {p.name.lower() for p in self.doc.parameters}
            name, n = "new_parameter", 1
            while name in taken:
                n += 1
                name = f"new_parameter_{n}"
        command = commands.AddParameter(self.doc, name, value)
        if self._report(self.run(command)):
            return None
        return command.parameter_id

    def delete_parameter(self, parameter_id: uuid.UUID) -> str | None:
        return self._report(self.run(commands.DeleteParameter(self.doc, parameter_id)))

    def add_line(self, section_id: uuid.UUID, index: int | None = None,
                 values: dict[str, Any] | None = None) -> uuid.UUID | None:
        command = commands.AddLine(self.doc, section_id, index, values or self.doc.blank_line_values())
        if self._report(self.run(command)):
            return None
        self.rowFocusRequested.emit(command.line_id)
        return command.line_id

    def add_catalog_line(self, section_id: uuid.UUID, entry: CatalogEntry,
                         index: int | None = None) -> uuid.UUID | None:
        kit_id = uuid.uuid4()  # a kit: its line and its components' lines, linked to it, one step
        try:
            with self.doc.db.read() as conn:
                values = catalog_lines(conn, entry, kit_id)
        except StorageError as error:
            self._report(str(error))
            return None
        ids = [kit_id, *(uuid.uuid4() for _ in values[1:])]
        command = commands.AddLine(self.doc, section_id, index, values, f"Add {entry.name}", ids)
        if self._report(self.run(command)):
            return None
        self.rowFocusRequested.emit(command.line_id)
        return command.line_id

    def add_section(self, name: str, index: int | None = None) -> uuid.UUID | None:
        command = commands.AddSection(self.doc, name, index)
        if self._report(self.run(command)):
            return None
        self.rowFocusRequested.emit(command.section_id)
        return command.section_id

    def paste(self, clip: Clip, current_id: uuid.UUID | None, verb: str = "Paste") -> str | None:
        """Rows from the clipboard (or copied for a duplicate) as new lines after ``current_id``:
        one undo step ("Paste 3 lines"). What the database lacks (a supplier) is said after."""
        try:
            plan = paste_plan(self.doc, clip, current_id)
        except StorageError as error:
            return self._report(str(error))
        command = commands.PasteRows(self.doc, plan, f"{verb} {clip.describe()}")
        message = self._report(self.run(command))
        if message:
            return message
        made = [section_id or line_ids[0] for section_id, line_ids in command.made if section_id or line_ids]
        loose = [i for section_id, line_ids in command.made if section_id is None for i in line_ids]
        self.rowsSelectionRequested.emit([*dict.fromkeys([*made, *loose])])
        if plan.notes:
            self.errorRaised.emit("; ".join(dict.fromkeys(plan.notes)).capitalize() + ".")
        return None

    def delete_lines(self, line_ids: list[uuid.UUID], text: str = "") -> None:
        """Delete lines, a kit's components with it (one undo step)."""
        if line_ids:
            ids = with_components(self.doc.lines(), line_ids)
            self._report(self.run(commands.DeleteLines(self.doc, ids, text)))

    def delete_section(self, section_id: uuid.UUID, text: str = "Delete section") -> None:
        self._report(self.run(commands.DeleteSection(self.doc, section_id, text)))

    def move_line(self, line_id: uuid.UUID, section_id: uuid.UUID, index: int) -> None:
        if not self._report(self.run(commands.MoveLine(self.doc, line_id, section_id, index))):
            self.rowFocusRequested.emit(line_id)

    def move_section(self, section_id: uuid.UUID, index: int) -> None:
        if not self._report(self.run(commands.MoveSection(self.doc, section_id, index))):
            self.rowFocusRequested.emit(section_id)

    def nudge(self, row_id: uuid.UUID, step: int) -> None:
        """Move a line or section one place up (-1) or down (+1); lines cross into the next section."""
        if self.doc.has_line(row_id):
            s, i = self.doc.locate(row_id)
            lines = self.doc.sections[s].lines
            target = i + step
            if 0 <= target < len(lines):
                self.move_line(row_id, self.doc.sections[s].id, target)
            elif target < 0 and s > 0:
                prev = self.doc.sections[s - 1]
                self.move_line(row_id, prev.id, len(prev.lines))
            elif target >= len(lines) and s + 1 < len(self.doc.sections):
                self.move_line(row_id, self.doc.sections[s + 1].id, 0)
            return
        index = self.doc.section_index(row_id)
        if 0 <= index + step < len(self.doc.sections):
            self.move_section(row_id, index + step)

    def _report(self, message: str | None) -> str | None:
        if message:
            self.errorRaised.emit(message)
        return message


def _first_edit(changes: dict[str, Any]) -> tuple[str, str]:
    """The column a user typed into, and the text they typed, from a command's changes."""
    for name, value in changes.items():
        if name == "price_basis":
            continue
        column = "price" if name == "price_override" else name
        text = "" if value is None else format_number(value) if isinstance(value, Decimal) else str(value)
        return column, text
    return "", ""
