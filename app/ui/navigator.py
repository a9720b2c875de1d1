"""The navigator: clients → projects → estimates, with a filter; opening an estimate shows it.

Each project shows its status (a coloured dot and its label); the status box above the tree
shows only the projects in one status (or the open ones). Double-clicking a project opens its
details, a client its details and contacts.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ProjectStatus
from app.services import directory
from app.services.storage.database import Database
from app.services.values import InputError
from app.ui.idle_reload import IdleReload

KIND_ROLE = Qt.ItemDataRole.UserRole + 10
ID_ROLE = Qt.ItemDataRole.UserRole + 11
STATUS_ROLE = Qt.ItemDataRole.UserRole + 12

S = ProjectStatus
STATUS_COLOURS = {
    S.LEAD: "#94a3b8", S.ESTIMATING: "#3b82f6", S.QUOTED: "#f59e0b", S.WON: "#16a34a",
    S.IN_PRODUCTION: "#0d9488", S.DELIVERED: "#166534", S.LOST: "#dc2626", S.CANCELLED: "#6b7280",
    S.POSTPONED: "#a855f7",
}
OPEN = "open"  # the filter's "Open projects": neither delivered, lost nor cancelled
CLOSED = frozenset({S.DELIVERED, S.LOST, S.CANCELLED})


def status_icon(status: ProjectStatus) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(STATUS_COLOURS[status]))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class NavigatorFilter(QSortFilterProxyModel):
    """The text filter (names, recursively) and the status filter: a project in another status is
    hidden with its estimates, a client with no project left is hidden."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.status: str | None = None

    def set_status(self, status: str | None) -> None:
        self.beginFilterChange()
        self.status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _status_ok(self, value: str | None) -> bool:
        if self.status is None:
            return True
        if value is None:
            return False
        return ProjectStatus(value) not in CLOSED if self.status == OPEN else value == self.status

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self.status is not None:
            kind = index.data(KIND_ROLE)
            if kind == "project" and not self._status_ok(index.data(STATUS_ROLE)):
                return False
            if kind == "estimate" and not self._status_ok(source_parent.data(STATUS_ROLE)):
                return False
            if kind == "client" and not any(self._status_ok(model.index(r, 0, index).data(STATUS_ROLE))
                                            for r in range(model.rowCount(index))):
                return False
        return super().filterAcceptsRow(source_row, source_parent)


class NavigatorPanel(QWidget):
    estimateActivated = Signal(object)  # uuid of the estimate to open
    projectActivated = Signal(object)  # uuid of the project whose details to show (double-click)
    clientActivated = Signal(object)  # uuid of the client whose details to show (double-click)
    renameFailed = Signal(str)
    loaded = Signal()  # the directory was read again (a database opened, others' changes shown)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigator")
        self.db: Database | None = None
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["Clients, projects and estimates", "Status"])
        self.proxy = NavigatorFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("navigatorFilter")
        self.filter.setPlaceholderText("Filter clients, projects, estimates…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter_textChanged)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("navigatorStatusFilter")
        self.status_filter.setToolTip("Show only the projects in one status")
        self.status_filter.addItem("All projects", None)
        self.status_filter.addItem("Open projects", OPEN)
        for status in ProjectStatus:
            self.status_filter.addItem(status_icon(status), status.label, status.value)
        self.status_filter.currentIndexChanged.connect(self._on_status_filter_changed)
        self.view = QTreeView(self)
        self.view.setObjectName("navigatorView")
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.activated.connect(self._on_view_activated)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.header().setStretchLastSection(False)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.model.itemChanged.connect(self._on_itemChanged)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.status_filter)
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
                    project_item = _item(project.name, "project", project.id)
                    project_item.setData(project.status.value, STATUS_ROLE)
                    project_item.setIcon(status_icon(project.status))
                    project_item.setToolTip(
                        " · ".join(p for p in (project.venue, project.status.label,
                                               _dates(project.start_date, project.end_date)) if p)
                    )
                    status_item = QStandardItem(project.status.label)
                    status_item.setEditable(False)
                    status_item.setForeground(QBrush(QColor(STATUS_COLOURS[project.status])))
                    for estimate in project.estimates:
                        project_item.appendRow([_item(estimate.name, "estimate", estimate.id), _blank()])
                    client_item.appendRow([project_item, status_item])
                self.model.appendRow([client_item, _blank()])
        finally:
            self._loading = False
        self.view.expandAll()
        if self.open_estimate_id:
            self.select(self.open_estimate_id)
        self.loaded.emit()

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
        index = self.view.currentIndex().siblingAtColumn(0)
        if not index.isValid():
            return None
        return index.data(KIND_ROLE), uuid.UUID(index.data(ID_ROLE))

    def current_of(self, kind: str) -> uuid.UUID | None:
        """The id of the current item, or of its ancestor, of the given kind."""
        index = self.view.currentIndex().siblingAtColumn(0)
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

    def _on_status_filter_changed(self, _index: int) -> None:
        self.proxy.set_status(self.status_filter.currentData())
        self.view.expandAll()

    def _on_view_activated(self, index: QModelIndex) -> None:
        index = index.siblingAtColumn(0)
        if index.data(KIND_ROLE) == "estimate":
            self.estimateActivated.emit(uuid.UUID(index.data(ID_ROLE)))

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        index = index.siblingAtColumn(0)
        kind = index.data(KIND_ROLE)
        if kind == "estimate":
            self.estimateActivated.emit(uuid.UUID(index.data(ID_ROLE)))
        elif kind == "project":
            self.projectActivated.emit(uuid.UUID(index.data(ID_ROLE)))
        elif kind == "client":
            self.clientActivated.emit(uuid.UUID(index.data(ID_ROLE)))

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        current = current.siblingAtColumn(0)
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


def _blank() -> QStandardItem:
    item = QStandardItem()
    item.setEditable(False)
    return item


def _dates(start, end) -> str:  # type: ignore[no-untyped-def]
    if not start:
        return ""
    if end and end != start:
        return f"{start:%b %d} – {end:%b %d, %Y}"
    return f"{start:%b %d, %Y}"
