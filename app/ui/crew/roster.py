"""The crew roster: people to drag onto the calendar, carrying their id in Tandem's own MIME type."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

CREW_MIME = "application/x-tandem-crew-member"
ID_ROLE = Qt.ItemDataRole.UserRole


def crew_mime(crew_member_id: uuid.UUID) -> QMimeData:
    mime = QMimeData()
    mime.setData(CREW_MIME, str(crew_member_id).encode())
    return mime


def crew_from_mime(mime: QMimeData) -> uuid.UUID | None:
    if not mime.hasFormat(CREW_MIME):
        return None
    try:
        return uuid.UUID(bytes(mime.data(CREW_MIME).data()).decode())
    except ValueError:
        return None


class CrewRoster(QListWidget):
    """One row per crew member (name and roles); drags carry the member's id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crewRoster")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)

    def set_crew(self, people: Sequence[tuple[uuid.UUID, str, str]]) -> None:
        """``people``: (id, name, roles text) in display order."""
        self.clear()
        for crew_id, name, roles in people:
            item = QListWidgetItem(f"{name}  ·  {roles}", self)
            item.setData(ID_ROLE, str(crew_id))
            item.setToolTip(f"{name}: {roles}. Drag onto a day to assign them.")

    def apply_filter(self, visible: Mapping[uuid.UUID, bool]) -> None:
        for row in range(self.count()):
            item = self.item(row)
            item.setHidden(not visible.get(uuid.UUID(item.data(ID_ROLE)), False))

    def mimeTypes(self) -> list[str]:
        return [CREW_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:  # type: ignore[override]
        if not items:
            return QMimeData()
        return crew_mime(uuid.UUID(items[0].data(ID_ROLE)))

    def mime_for_row(self, row: int) -> QMimeData:
        """What dragging that row carries (tests and keyboard assignment use it)."""
        return self.mimeData([self.item(row)])
