"""Undoable edits: each QUndoCommand changes the estimate through EstimateDocument, never a widget.

A command's first application happens in :meth:`EstimateEditor.run` before it is
pushed, so that a refused edit (bad input, a locked file, a concurrent change)
never reaches the undo stack; the stack's first ``redo()`` is then skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.services import master_data
from app.services.catalog.suppliers import SUPPLIERS
from app.services.equipment.subrent import SubRental, apply_subrental, revert_subrental
from app.services.estimate.document import EstimateDocument
from app.services.excel.clipboard import PastePlan, with_new_ids

ErrorSink = Callable[[BaseException], None]


class GuardedCommand(QUndoCommand):
    """Base: ``apply``/``revert`` do the work; failures inside undo/redo go to ``on_error``."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.on_error: ErrorSink | None = None
        self._applied_once = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def first_apply(self) -> None:
        self.apply()
        self._applied_once = True

    def redo(self) -> None:
        if self._applied_once:
            self._applied_once = False
            return
        self._guard(self.apply)

    def undo(self) -> None:
        self._guard(self.revert)

    def _guard(self, work: Callable[[], None]) -> None:
        # Exceptions cannot cross back into C++ (QUndoStack): hand them to the editor.
        try:
            work()
        except Exception as error:
            if self.on_error is None:
                raise
            self.on_error(error)


class DocumentCommand(GuardedCommand):
    """An edit of one estimate through its EstimateDocument."""

    def __init__(self, doc: EstimateDocument, text: str) -> None:
        super().__init__(text)
        self.doc = doc


class SetLineFields(DocumentCommand):
    def __init__(self, doc: EstimateDocument, line_id: uuid.UUID, new: dict[str, Any], text: str) -> None:
        super().__init__(doc, text)
        self.line_id = line_id
        self.new = new
        self.old: dict[str, Any] = {}

    def apply(self) -> None:
        self.old = self.doc.set_line_fields(self.line_id, self.new)

    def revert(self) -> None:
        self.doc.set_line_fields(self.line_id, self.old)


class AddSupplierToLine(DocumentCommand):
    """A new supplier, named in a line's supplier cell, made and set on the line: one undo step
    (undone, the line has its old supplier and the new one is deleted again)."""

    def __init__(self, doc: EstimateDocument, line_id: uuid.UUID, name: str) -> None:
        super().__init__(doc, f"Add supplier {name}")
        self.line_id, self.name = line_id, name
        self.supplier_id: uuid.UUID | None = None
        self.old: dict[str, Any] = {}

    def apply(self) -> None:
        db = self.doc.db
        if self.supplier_id is None:
            self.supplier_id = master_data.add(db, SUPPLIERS, self.name)
        else:
            master_data.restore(db, SUPPLIERS, self.supplier_id)
        self.doc.refresh_lookups()
        try:
            self.old = self.doc.set_line_fields(self.line_id, {"supplier_id": self.supplier_id})
        except Exception:
            master_data.delete(db, SUPPLIERS, self.supplier_id)  # not left behind, unused
            self.doc.refresh_lookups()
            raise

    def revert(self) -> None:
        self.doc.set_line_fields(self.line_id, self.old)
        assert self.supplier_id is not None
        master_data.delete(self.doc.db, SUPPLIERS, self.supplier_id)
        self.doc.refresh_lookups()


class SubRent(DocumentCommand):
    """A short line split into its owned part and a sub-rental line, in one transaction and one undo
    step: undone, the line is exactly what it was and the sub-rental line is deleted (a tombstone);
    redo restores that same row."""

    def __init__(self, doc: EstimateDocument, plan: SubRental, text: str = "Sub-rent the shortage") -> None:
        super().__init__(doc, text)
        self.plan = plan
        self.line_id = uuid.uuid4()  # the sub-rental line's
        self.old: dict[str, Any] = {}
        self._created = False

    def apply(self) -> None:
        self.old = apply_subrental(self.doc, self.plan, self.line_id, restore=self._created)
        self._created = True

    def revert(self) -> None:
        revert_subrental(self.doc, self.plan, self.old, self.line_id)


class SetSectionFields(DocumentCommand):
    def __init__(self, doc: EstimateDocument, section_id: uuid.UUID, new: dict[str, Any], text: str) -> None:
        super().__init__(doc, text)
        self.section_id = section_id
        self.new = new
        self.old: dict[str, Any] = {}

    def apply(self) -> None:
        self.old = self.doc.set_section_fields(self.section_id, self.new)

    def revert(self) -> None:
        self.doc.set_section_fields(self.section_id, self.old)


class SetEstimateFields(DocumentCommand):
    def __init__(self, doc: EstimateDocument, new: dict[str, Any], text: str) -> None:
        super().__init__(doc, text)
        self.new = new
        self.old: dict[str, Any] = {}

    def apply(self) -> None:
        self.old = self.doc.set_estimate_fields(self.new)

    def revert(self) -> None:
        self.doc.set_estimate_fields(self.old)


class AddLine(DocumentCommand):
    """Add a line (or several together: a kit's line and its components', ``values`` a list, their
    ``line_ids`` given); undo deletes them (tombstones), redo restores those same rows."""

    def __init__(self, doc: EstimateDocument, section_id: uuid.UUID, index: int | None,
                 values: dict[str, Any] | list[dict[str, Any]], text: str = "Add line",
                 line_ids: list[uuid.UUID] | None = None) -> None:
        super().__init__(doc, text)
        self.section_id = section_id
        self.index = index
        self.values = values if isinstance(values, list) else [values]
        self.line_ids = line_ids or [uuid.uuid4() for _ in self.values]
        self.line_id = self.line_ids[0]
        self._created = False

    def apply(self) -> None:
        if self._created:
            index = self.index or 0
            self.doc.restore_lines([(line_id, self.section_id, index + n)
                                    for n, line_id in enumerate(self.line_ids)])
            return
        lines = self.doc.add_lines(self.section_id, self.index, self.values, self.line_ids)
        self.index = lines[0].position
        self._created = True

    def revert(self) -> None:
        self.doc.delete_lines(self.line_ids)


class PasteRows(DocumentCommand):
    """Lines (and sections) pasted or duplicated: one undo step, whatever their number.

    A failure part way takes back what was written before it (nothing is left half pasted).
    Undo deletes the new lines and sections (tombstones); redo restores those same rows.
    """

    def __init__(self, doc: EstimateDocument, plan: PastePlan, text: str) -> None:
        super().__init__(doc, text)
        self.plan = plan
        # Per block: the new section's id (None: into an existing section) and its lines' ids.
        self.made: list[tuple[uuid.UUID | None, list[uuid.UUID]]] = [
            (uuid.uuid4() if block.new_section is not None else None, [uuid.uuid4() for _ in block.lines])
            for block in plan.blocks
        ]
        self.places: list[tuple[uuid.UUID, uuid.UUID, int]] = []  # loose lines: (line, section, index)
        self.section_places: list[tuple[uuid.UUID, int]] = []
        self._created = False

    @property
    def line_ids(self) -> list[uuid.UUID]:
        return [line_id for _, ids in self.made for line_id in ids]

    def apply(self) -> None:
        if self._created:
            for section_id, index in self.section_places:
                self.doc.restore_section(section_id, index)
            if self.places:
                self.doc.restore_lines(self.places)
            return
        try:
            self._create()
        except BaseException:
            self.revert()
            raise
        self._created = True

    def _create(self) -> None:
        written = with_new_ids(self.plan, [line_ids for _, line_ids in self.made])
        for block, lines, (new_id, line_ids) in zip(self.plan.blocks, written, self.made, strict=True):
            section_id = block.section_id
            if new_id is not None:
                section = dict(block.new_section or {})
                made = self.doc.add_section(section.pop("name"), block.section_index,
                                            section.pop("client_description", ""), section_id=new_id)
                self.section_places.append((new_id, made.position))
                extra = {k: v for k, v in section.items() if v not in (None, False)}
                if extra:
                    self.doc.set_section_fields(new_id, extra)
                section_id = new_id
            assert section_id is not None
            added = self.doc.add_lines(section_id, block.index, lines, line_ids)
            if new_id is None:
                self.places.extend((line.id, section_id, line.position) for line in added)

    def revert(self) -> None:
        loose = [line_id for line_id, _, _ in reversed(self.places) if self.doc.has_line(line_id)]
        if loose:
            self.doc.delete_lines(loose)
        for section_id, _ in reversed(self.section_places):
            if any(s.id == section_id for s in self.doc.sections):
                self.doc.delete_section(section_id)


class DeleteLines(DocumentCommand):
    def __init__(self, doc: EstimateDocument, line_ids: list[uuid.UUID], text: str = "") -> None:
        count = len(line_ids)
        super().__init__(doc, text or ("Delete line" if count == 1 else f"Delete {count} lines"))
        self.line_ids = line_ids
        self.places: list[tuple[uuid.UUID, uuid.UUID, int]] = []

    def apply(self) -> None:
        places = self.doc.delete_lines(self.line_ids)  # one transaction
        self.places = [(line_id, *place) for line_id, place in zip(self.line_ids, places, strict=True)]

    def revert(self) -> None:
        self.doc.restore_lines(list(reversed(self.places)))


class MoveLine(DocumentCommand):
    def __init__(self, doc: EstimateDocument, line_id: uuid.UUID, section_id: uuid.UUID, index: int) -> None:
        super().__init__(doc, "Move line")
        self.line_id = line_id
        self.target = (section_id, index)
        self.origin: tuple[uuid.UUID, int] | None = None

    def apply(self) -> None:
        self.origin = self.doc.move_line(self.line_id, *self.target)

    def revert(self) -> None:
        assert self.origin is not None
        self.doc.move_line(self.line_id, *self.origin)


class AddSection(DocumentCommand):
    def __init__(self, doc: EstimateDocument, name: str, index: int | None) -> None:
        super().__init__(doc, "Add section")
        self.name = name
        self.index = index
        self.section_id = uuid.uuid4()
        self._created = False

    def apply(self) -> None:
        if self._created:
            self.doc.restore_section(self.section_id, self.index or 0)
            return
        section = self.doc.add_section(self.name, self.index, section_id=self.section_id)
        self.index = section.position
        self._created = True

    def revert(self) -> None:
        self.doc.delete_section(self.section_id)


class DeleteSection(DocumentCommand):
    def __init__(self, doc: EstimateDocument, section_id: uuid.UUID, text: str = "Delete section") -> None:
        super().__init__(doc, text)
        self.section_id = section_id
        self.index = 0

    def apply(self) -> None:
        self.index = self.doc.delete_section(self.section_id)

    def revert(self) -> None:
        self.doc.restore_section(self.section_id, self.index)


class RestoreSection(DocumentCommand):
    """Bring back a section someone else deleted (with its lines); undo deletes it again."""

    def __init__(self, doc: EstimateDocument, section_id: uuid.UUID, index: int, text: str) -> None:
        super().__init__(doc, text)
        self.section_id = section_id
        self.index = index

    def apply(self) -> None:
        self.doc.restore_section(self.section_id, self.index)

    def revert(self) -> None:
        self.index = self.doc.delete_section(self.section_id)


class MoveSection(DocumentCommand):
    def __init__(self, doc: EstimateDocument, section_id: uuid.UUID, index: int) -> None:
        super().__init__(doc, "Move section")
        self.section_id = section_id
        self.index = index
        self.origin = 0

    def apply(self) -> None:
        self.origin = self.doc.move_section(self.section_id, self.index)

    def revert(self) -> None:
        self.doc.move_section(self.section_id, self.origin)


class SetAlternativeFlags(DocumentCommand):
    """Choose one line of a group of alternatives; undo restores which one was chosen."""

    def __init__(self, doc: EstimateDocument, line_id: uuid.UUID) -> None:
        super().__init__(doc, "Choose alternative")
        self.line_id = line_id
        self.old: dict[uuid.UUID, bool] = {}

    def apply(self) -> None:
        self.old = self.doc.choose_alternative(self.line_id)

    def revert(self) -> None:
        self.doc.set_alternative_flags(self.old)


class SetParameterFields(DocumentCommand):
    def __init__(self, doc: EstimateDocument, parameter_id: uuid.UUID, new: dict[str, Any],
                 text: str) -> None:
        super().__init__(doc, text)
        self.parameter_id = parameter_id
        self.new = new
        self.old: dict[str, Any] = {}

    def apply(self) -> None:
        self.old = self.doc.set_parameter_fields(self.parameter_id, self.new)

    def revert(self) -> None:
        self.doc.set_parameter_fields(self.parameter_id, self.old)


class AddParameter(DocumentCommand):
    """Add a parameter; undo deletes it (a tombstone), redo restores that same row."""

    def __init__(self, doc: EstimateDocument, name: str, value: Any, index: int | None = None) -> None:
        super().__init__(doc, f"Add parameter {name}")
        self.name = name
        self.value = value
        self.index = index
        self.parameter_id = uuid.uuid4()
        self._created = False

    def apply(self) -> None:
        if self._created:
            self.doc.restore_parameter(self.parameter_id, self.index or 0)
            return
        row = self.doc.add_parameter(self.name, self.value, index=self.index, parameter_id=self.parameter_id)
        self.index = row.position
        self._created = True

    def revert(self) -> None:
        self.doc.delete_parameter(self.parameter_id)


class DeleteParameter(DocumentCommand):
    def __init__(self, doc: EstimateDocument, parameter_id: uuid.UUID) -> None:
        super().__init__(doc, f"Delete parameter {doc.parameter(parameter_id).name}")
        self.parameter_id = parameter_id
        self.index = 0

    def apply(self) -> None:
        self.index = self.doc.delete_parameter(self.parameter_id)

    def revert(self) -> None:
        self.doc.restore_parameter(self.parameter_id, self.index)
