"""The navigator: clients → projects → estimates, with a filter; opening an estimate shows it."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from app.services import directory
from app.services.storage.database import Database
from app.services.values import InputError
from app.ui.idle_reload import IdleReload

KIND_ROLE = Qt.ItemDataRole.UserRole + 10
ID_ROLE = Qt.ItemDataRole.UserRole + 11


class NavigatorPanel(QWidget):
    estimateActivated = Signal(object)  # uuid of the estimate to open
    renameFailed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigator")
        self.db: Database | None = None
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["Clients, projects and estimates"])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("navigatorFilter")
        self.filter.setPlaceholderText("Filter clients, projects, estimates…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter_textChanged)
        self.view = QTreeView(self)
        self.view.setObjectName("navigatorView")
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.activated.connect(self._on_view_activated)
        self.view.doubleClicked.connect(self._on_view_activated)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.model.itemChanged.connect(self._on_itemChanged)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        self._loading = False
        self.open_estimate_id: uuid.UUID | None = None
        self.reloader = IdleReload(self._fill, lambda: (self.view,), self)

    def load(self, db: Database) -> None:
        """Show the directory of ``db``; while a name is being typed in, once it is saved."""
        self.db = db
        self.reloader.request()

    def _fill(self) -> None:
        if self.db is None:
            return
        clients = directory.load_directory(self.db)  # read first: a failed read leaves the tree as it was
        self._loading = True
        try:
            self.model.removeRows(0, self.model.rowCount())
            for client in clients:
                client_item = _item(client.name, "client", client.id)
                for project in client.projects:
                    label = project.name
                    project_item = _item(label, "project", project.id)
                    project_item.setToolTip(
                        " · ".join(p for p in (project.venue, project.status.label,
                                               _dates(project.start_date, project.end_date)) if p)
                    )
                    for estimate in project.estimates:
                        project_item.appendRow(_item(estimate.name, "estimate", estimate.id))
                    client_item.appendRow(project_item)
                self.model.appendRow(client_item)
        finally:
            self._loading = False
        self.view.expandAll()
        if self.open_estimate_id:
            self.select(self.open_estimate_id)

    def first_estimate_ids(self) -> list[uuid.UUID]:
        ids: list[uuid.UUID] = []
        for item in self._walk():
            if item.data(KIND_ROLE) == "estimate":
                ids.append(uuid.UUID(item.data(ID_ROLE)))
        return ids

    def select(self, row_id: uuid.UUID) -> bool:
        for item in self._walk():
            if item.data(ID_ROLE) == str(row_id):
                index = self.proxy.mapFromSource(item.index())
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
                return True
        return False

    def current(self) -> tuple[str, uuid.UUID] | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return index.data(KIND_ROLE), uuid.UUID(index.data(ID_ROLE))

    def current_of(self, kind: str) -> uuid.UUID | None:
        """The id of the current item, or of its ancestor, of the given kind."""
        index = self.view.currentIndex()
        while index.isValid():
            if index.data(KIND_ROLE) == kind:
                return uuid.UUID(index.data(ID_ROLE))
            index = index.parent()
        return None

    def _walk(self):  # type: ignore[no-untyped-def]
        stack = [self.model.item(r) for r in range(self.model.rowCount())]
        while stack:
            item = stack.pop(0)
            yield item
            stack[0:0] = [item.child(r) for r in range(item.rowCount())]

    def _on_filter_textChanged(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self.view.expandAll()

    def _on_view_activated(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) == "estimate":
            self.estimateActivated.emit(uuid.UUID(index.data(ID_ROLE)))

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.data(KIND_ROLE) == "estimate":
            estimate_id = uuid.UUID(current.data(ID_ROLE))
            if estimate_id != self.open_estimate_id:
                self.estimateActivated.emit(estimate_id)

    def _on_itemChanged(self, item: QStandardItem) -> None:
        if self._loading or self.db is None:
            return
        kind, row_id = item.data(KIND_ROLE), uuid.UUID(item.data(ID_ROLE))
        try:
            directory.rename(self.db, kind, row_id, item.text())
        except InputError as error:
            self.renameFailed.emit(str(error))
            self.load(self.db)


def _item(text: str, kind: str, row_id: uuid.UUID) -> QStandardItem:
    item = QStandardItem(text)
    item.setData(kind, KIND_ROLE)
    item.setData(str(row_id), ID_ROLE)
    item.setEditable(True)
    if kind == "client":
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item


def _dates(start, end) -> str:  # type: ignore[no-untyped-def]
    if not start:
        return ""
    if end and end != start:
        return f"{start:%b %d} – {end:%b %d, %Y}"
    return f"{start:%b %d, %Y}"
