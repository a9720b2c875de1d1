"""An estimate's sections being edited: their fields, and sections added, deleted, restored, moved.

:class:`SectionEditing` is a part of :class:`app.services.estimate.document.EstimateDocument`,
kept in its own file: each edit is written in one transaction (the sections renumbered when
they are rearranged), then applied in memory and announced.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import LineItem, Section
from app.models.types import utcnow
from app.services.estimate.document_state import DocumentState
from app.services.estimate.fields import SECTION_FIELDS
from app.services.estimate.parameters import parse_range
from app.services.estimate.rows import (
    Change,
    ChangeKind,
    ConcurrentEditError,
    SectionRow,
    UnseenLines,
    _line_from_row,
    _section_from_row,
    write_order,
)
from app.services.values import InputError, parse_text

LINE_T = LineItem.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]


class SectionEditing(DocumentState):
    """The section half of an EstimateDocument (the state it uses: DocumentState)."""
    # -- section edits ---------------------------------------------------------

    def set_section_fields(self, section_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
        section = self.section(section_id)
        old = {k: getattr(section, k) for k in changes}
        if not changes:
            return old
        with self._write() as conn:
            self._update_row(conn, SECTION_T, section.id, section.version, changes)
        for k, v in changes.items():
            setattr(section, k, v)
            self.estimate_problems.pop(f"{section.id}:{k}", None)
        section.version += 1
        self._retotal()
        self._emit(Change(ChangeKind.SECTION_CHANGED, self.section_index(section_id), -1, section_id))
        return old

    def parse_section_edit(self, section_id: uuid.UUID, column: str, value: Any) -> dict[str, Any]:
        section = self.section(section_id)
        if column == "range":
            span = parse_range(value, allow_amounts=False)
            changes = {"range_low_pct": span.low_pct, "range_high_pct": span.high_pct}
            return {k: v for k, v in changes.items() if getattr(section, k) != v}
        spec = SECTION_FIELDS.get(column)
        if spec is None:
            raise InputError(f"{column} cannot be edited.")
        parsed = spec.parse(value)
        return {} if getattr(section, column) == parsed else {column: parsed}

    def add_section(
        self, name: str, index: int | None = None, client_description: str = "",
        section_id: uuid.UUID | None = None,
    ) -> SectionRow:
        name = parse_text(name, "Section name", max_length=200, required=True)
        index = len(self.sections) if index is None else max(0, min(index, len(self.sections)))
        data = Section(estimate_id=self.estimate_id, position=index, name=name,
                       client_description=client_description)
        if section_id is not None:
            data.id = section_id
        row = SectionRow(data.id, self.estimate_id, index, name, client_description, data.version)
        new_order = [*self.sections[:index], row, *self.sections[index:]]
        with self._write(reorder=True) as conn:
            conn.execute(SECTION_T.insert().values(**{
                c.name: getattr(data, c.name) for c in SECTION_T.columns
            }))
            self._write_sections(conn, new_order, moved=row.id)
        change = Change(ChangeKind.SECTION_INSERTED, index, -1, row.id)
        self._replace_rows(change, self.sections, new_order)
        self._retotal()
        self._emit(change)
        return row

    def delete_section(self, section_id: uuid.UUID) -> int:
        """Delete (tombstone) a section with its lines; return its index for restore.

        Only the lines this document shows, as it shows them: when someone else added,
        moved in or changed a line of the section meanwhile, :class:`UnseenLines` is
        raised and nothing is deleted.
        """
        index = self.section_index(section_id)
        section = self.sections[index]
        remaining = [*self.sections[:index], *self.sections[index + 1:]]
        seen = {line.id: line.version for line in section.lines}
        with self._write(reorder=True) as conn:
            self._update_row(conn, SECTION_T, section.id, section.version, {"deleted_at": utcnow()})
            # Read after the update: on a server it waited for any writer still inside the section.
            unseen = [row.description for row in conn.execute(
                select(LINE_T.c.id, LINE_T.c.version, LINE_T.c.description)
                .where(LINE_T.c.section_id == section.id, LINE_T.c.deleted_at.is_(None))
                .order_by(LINE_T.c.position, LINE_T.c.created_at)
            ) if seen.get(row.id) != row.version]
            if unseen:
                raise UnseenLines(section.id, f"“{section.name}”", unseen)
            self._write_sections(conn, remaining)  # close the gap, as for lines
        section.version += 1
        change = Change(ChangeKind.SECTION_REMOVED, index, -1, section_id)
        self._replace_rows(change, self.sections, remaining)
        for line in section.lines:
            del self._lines[line.id]
        self._retotal()
        self._emit(change)
        return index

    def restore_section(self, section_id: uuid.UUID, index: int) -> SectionRow:
        index = max(0, min(index, len(self.sections)))
        with self._write(reorder=True) as conn:
            row = conn.execute(select(SECTION_T).where(SECTION_T.c.id == section_id)).first()
            if row is None:
                raise ConcurrentEditError("That section no longer exists.")
            self._update_row(conn, SECTION_T, section_id, row.version, {"deleted_at": None})
            section = _section_from_row(row)
            section.version += 1
            lines = conn.execute(
                select(LINE_T)
                .where(LINE_T.c.section_id == section_id, LINE_T.c.deleted_at.is_(None))
                .order_by(LINE_T.c.position, LINE_T.c.created_at)
            )
            section.lines = [_line_from_row(r) for r in lines]
            new_order = [*self.sections[:index], section, *self.sections[index:]]
            self._write_sections(conn, new_order, moved=section_id)
        for line in section.lines:
            self._price(line)
        change = Change(ChangeKind.SECTION_INSERTED, index, -1, section_id)
        self._replace_rows(change, self.sections, new_order)
        self._lines.update((line.id, line) for line in section.lines)
        self._retotal()
        self._emit(change)
        return section

    def move_section(self, section_id: uuid.UUID, index: int) -> int:
        """Move a section to ``index`` (counted after removal); return its old index."""
        old = self.section_index(section_id)
        section = self.sections[old]
        without = [*self.sections[:old], *self.sections[old + 1:]]
        index = max(0, min(index, len(without)))
        if index == old:
            return old
        new_order = [*without[:index], section, *without[index:]]
        with self._write(reorder=True) as conn:
            self._update_row(conn, SECTION_T, section.id, section.version, {"position": index})
            self._write_sections(conn, new_order, moved=section_id)
        section.version += 1
        removed = Change(ChangeKind.SECTION_REMOVED, old, -1, section_id)
        self._replace_rows(removed, self.sections, without)
        self._emit(removed)
        inserted = Change(ChangeKind.SECTION_INSERTED, index, -1, section_id)
        self._replace_rows(inserted, self.sections, new_order)
        self._emit(inserted)
        return old

    def _write_sections(self, conn: Connection, sections: list[SectionRow],
                        moved: uuid.UUID | None = None) -> None:
        write_order(conn, SECTION_T, "estimate_id", self.estimate_id, sections, moved)

