"""The client's page: who the client is, its contacts, every project and scenario with its value,
every quote sent, its activities, its lifetime figures and the categories it has never bought.

The page is read off the GUI thread (:func:`app.ui.tasks.run_task`): a client with 200 projects
prices every scenario. Its tables are :class:`~app.ui.widgets.RowsModel` s. In the AM's view
(:attr:`pm_view` False) no cost or margin appears anywhere on the page, in any role; the PM's
view adds each project's margin and the lifetime margin. A double click on a scenario opens it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ActivityKind, ProjectStatus
from app.services.accounts.client_page import ClientPage, EstimateRow, ProjectRow, client_page
from app.services.accounts.growth import growth_grid
from app.services.estimate.pricing import margin_share
from app.services.money import format_money, format_percent
from app.services.storage.database import Database
from app.services.values import format_day
from app.ui.tasks import ViewRead
from app.ui.widgets import RowsModel

NEVER = "never"
FIT_ROWS = 12  # a table shows this many rows before it scrolls
ROW_HEIGHT = 26


@dataclass(frozen=True, slots=True)
class ScenarioLine:
    """One row of Projects & estimates: a project's scenario (the first row of a project names it)."""

    project: ProjectRow
    estimate: EstimateRow | None
    first: bool


def _status(value: str) -> str:
    try:
        return ProjectStatus(value).label
    except ValueError:
        return value


def _kind(value: str) -> str:
    try:
        return ActivityKind(value).label
    except ValueError:
        return value


def _span(start: Any, end: Any) -> str:
    if start is None:
        return format_day(end)
    return format_day(start) if end in (None, start) else f"{format_day(start)} – {format_day(end)}"


def scenario_lines(page: ClientPage) -> list[ScenarioLine]:
    out: list[ScenarioLine] = []
    for project in page.projects:
        estimates: Sequence[EstimateRow | None] = project.estimates or (None,)
        out.extend(ScenarioLine(project, e, n == 0) for n, e in enumerate(estimates))
    return out


class ClientPagePanel(QWidget):
    estimateActivated = Signal(object)  # the estimate double-clicked
    projectActivated = Signal(object)  # a project with no estimate, double-clicked
    problem = Signal(str)
    loaded = Signal()
    neverLoaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientPagePanel")
        self.db: Database | None = None
        self.client_id: uuid.UUID | None = None
        self.page: ClientPage | None = None
        self.never: tuple[str, ...] = ()
        self._never_for: uuid.UUID | None = None  # the client self.never is of
        self.pm_view = False
        self.read = ViewRead(self, self._target, self._work, self._read_in, self._failed, self.refresh)
        # The never-bought list needs the whole company's sales: read apart, shown when it is in.
        self.never_read = ViewRead(self, self._target, self._never_work, self._never_in, self._never_failed,
                                   self._read_never)
        self.title = QLabel(self)
        self.title.setObjectName("clientPageTitle")
        self.title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.details = QLabel(self)
        self.details.setObjectName("clientPageDetails")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setWordWrap(True)
        self.contact = QLabel(self)
        self.contact.setObjectName("clientPageMainContact")
        self.contact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.contact.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.figures = QLabel(self)
        self.figures.setObjectName("clientPageFigures")
        self.never_label = QLabel(self)
        self.never_label.setObjectName("clientPageNeverBought")
        self.never_label.setWordWrap(True)

        self.contacts = RowsModel(
            ("Name", "Title", "Email", "Phone", "Main"),
            lambda c: (c.name, c.title, c.email, c.phone, "Main" if c.is_main else ""),
            set(),
            self,
        )
        self.projects = self._projects_model(False)
        self.quotes = RowsModel(
            ("Sent", "Project", "Scenario", "Quote", "Revision", "Total", "Sent by"),
            lambda q: (
                format_day(q.sent_at.date()),
                q.project_name,
                q.estimate_name,
                q.quote_number,
                str(q.revision),
                self._money(q.total),
                q.sent_by,
            ),
            {4, 5},
            self,
        )
        self.activities = RowsModel(
            ("Logged", "Kind", "Subject", "Project", "Owner", "Due", "Done"),
            lambda a: (
                format_day(a.created_at.date()),
                _kind(a.kind),
                a.subject,
                a.project_name or "(client)",
                a.owner,
                format_day(a.due_date),
                "Done" if a.done else "",
            ),
            set(),
            self,
        )
        self.contacts_view = self._table("clientContactsView", self.contacts, 2)
        self.projects_view = self._table("clientProjectsView", self.projects, 0)
        self.projects_view.doubleClicked.connect(self._on_project_double_clicked)
        self.quotes_view = self._table("clientQuotesView", self.quotes, 1)
        self.activities_view = self._table("clientActivitiesView", self.activities, 2)

        header = QGridLayout()
        header.addWidget(self.title, 0, 0)
        header.addWidget(self.details, 1, 0)
        header.addWidget(self.contact, 0, 1, 2, 1)
        header.setColumnStretch(0, 1)
        body = QWidget(self)
        body.setObjectName("clientPageBody")
        column = QVBoxLayout(body)
        column.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # scrolls rather than squeezes
        column.addLayout(header)
        figures = QGroupBox("Figures", body)
        QVBoxLayout(figures).addWidget(self.figures)
        figures.setMinimumWidth(380)
        never = QGroupBox("Never bought", body)
        never.setToolTip(
            "Categories the company sells that this client has never bought on won work, "
            "the company's most sold first: what to suggest next"
        )
        QVBoxLayout(never).addWidget(self.never_label)
        side = QGridLayout()
        side.addWidget(figures, 0, 0)
        side.addWidget(never, 0, 1)
        side.setColumnStretch(1, 1)
        column.addLayout(side)
        self.never_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for name, view in (
            ("Projects && estimates", self.projects_view),
            ("Quotes sent", self.quotes_view),
            ("Activities", self.activities_view),
            ("Contacts", self.contacts_view),
        ):
            box = QGroupBox(name, body)
            QVBoxLayout(box).addWidget(view)
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("clientPageScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(scroll)
        self._show(None)

    # -- models and views --------------------------------------------------------------------------

    def _projects_model(self, pm: bool) -> RowsModel:
        headers = ["Project", "Scenario", "Status", "Show days", "Load-in – strike", "AM", "PM", "Value"]
        if pm:
            headers.append("Margin")
        model = RowsModel(headers, lambda row: self._project_cells(row, pm), {7, 8}, self)
        model.flag = lambda row: f"Lost: {row.project.lost_reason}" if row.project.lost_reason else ""
        return model

    def _project_cells(self, row: ScenarioLine, pm: bool) -> list[str]:
        project, estimate = row.project, row.estimate
        first = row.first
        cells = [
            project.name if first else "",
            (estimate.name + (" (counts)" if estimate.counts and len(project.estimates) > 1 else ""))
            if estimate
            else "No estimate",
            _status(project.status) if first else "",
            _span(project.show_start_date, project.show_end_date) if first else "",
            _span(project.start_date, project.end_date) if first else "",
            project.account_manager if first else "",
            project.project_manager if first else "",
            self._money(estimate.total) if estimate else "",
        ]
        if pm:
            share = margin_share(estimate.net, estimate.cost) if estimate else None
            cells.append(
                f"{self._money(estimate.margin)} ({format_percent(share)})"
                if estimate and share is not None
                else ""
            )
        return cells

    def _table(self, name: str, model: RowsModel, stretch: int) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return view

    @staticmethod
    def _fit(view: QTableView) -> None:
        """As tall as its rows (one empty row at least, FIT_ROWS at most: then it scrolls)."""
        rows = min(max(view.model().rowCount(), 1), FIT_ROWS)
        height = view.horizontalHeader().sizeHint().height() + rows * ROW_HEIGHT
        view.setFixedHeight(height + 2 * view.frameWidth() + 2)

    def models(self) -> list[RowsModel]:
        return [self.contacts, self.projects, self.quotes, self.activities]

    def _money(self, value: Any) -> str:
        return format_money(value, self.page.currency if self.page else "")

    # -- reading -----------------------------------------------------------------------------------

    def show_client(self, db: Database | None, client_id: uuid.UUID | None) -> None:
        self.db, self.client_id = db, client_id
        self.refresh()

    def set_pm_view(self, pm: bool) -> None:
        if pm == self.pm_view:
            return
        self.pm_view = pm
        old = self.projects
        self.projects = self._projects_model(pm)
        self.projects_view.setModel(self.projects)
        old.deleteLater()
        self._show(self.page)

    def refresh(self) -> None:
        """Read the page again off the GUI thread; asked again meanwhile, once more after it."""
        db, client_id = self.db, self.client_id
        if db is None or client_id is None:
            self._show(None)
            return
        self._never_for = None
        self.read.request()
        self._read_never()

    def _target(self) -> tuple[Any, ...]:
        return (self.db, self.client_id)

    def _work(self, target: tuple[Any, ...]) -> Callable[[], ClientPage]:
        db, client_id = target
        return lambda: client_page(db, client_id)

    def _read_never(self) -> None:
        if self.db is not None and self.client_id is not None:
            self.never_read.request()

    def _never_work(self, target: tuple[Any, ...]) -> Callable[[], tuple[uuid.UUID, tuple[str, ...]]]:
        db, client_id = target
        return lambda: (client_id, never_bought(db, client_id))

    def is_loaded(self) -> bool:
        return not self.read.busy

    def _read_in(self, page: ClientPage) -> None:
        self.page = page
        self._show(self.page)
        self.loaded.emit()

    def _never_in(self, read: tuple[uuid.UUID, tuple[str, ...]]) -> None:
        self._never_for, self.never = read
        self._show_never()
        self.neverLoaded.emit()

    def _never_failed(self, _message: str) -> None:
        # The page says so rather than showing an old list.
        self.never_label.setText(
            "The company's sales could not be read; they are read again at the next change."
        )

    def is_complete(self) -> bool:
        """The page and its never-bought list both read (what tests wait for)."""
        return not self.read.busy and self._never_for == self.client_id and self.page is not None

    def _failed(self, message: str) -> None:
        self.problem.emit(message)
        self.loaded.emit()

    # -- showing -----------------------------------------------------------------------------------

    def _show(self, page: ClientPage | None) -> None:
        if page is None:
            self.title.setText("Client page")
            self.details.setText("Choose a client in the navigator, then View › Client page.")
            self.contact.setText("")
            self.figures.setText("")
            self.never_label.setText("")
            for model in self.models():
                model.set_rows([])
            for view in (self.contacts_view, self.projects_view, self.quotes_view, self.activities_view):
                self._fit(view)
            return
        self.title.setText(page.name)
        address = page.billing_address.replace("\n", ", ")
        self.details.setText(
            " · ".join(p for p in (page.industry, address) if p) or "No industry or address yet"
        )
        main = page.main_contact
        self.contact.setText(
            "\n".join(p for p in (main.name, main.title, main.email, main.phone) if p)
            if main
            else "No contact yet"
        )
        self.contact.setToolTip("The main contact: the one the quote is addressed to")
        self.contacts.set_rows(page.contacts)
        self.projects.set_rows(scenario_lines(page))
        self.quotes.set_rows(page.quotes)
        self.activities.set_rows(page.activities)
        f = page.figures
        decided = f.won + f.lost
        rate = (
            f"{format_percent(f.win_rate)} ({f.won} won of {decided} decided)"
            if f.win_rate is not None
            else "nothing decided yet"
        )
        lines = [
            f"Lifetime won value: {self._money(f.won_value)} (before tax)",
            f"Win rate: {rate}",
            f"Projects: {f.projects}",
        ]
        if self.pm_view:
            share = margin_share(f.won_value, f.won_value - f.won_margin)
            lines.insert(
                1,
                f"Lifetime margin: {self._money(f.won_margin)}"
                + (f" ({format_percent(share)})" if share is not None else ""),
            )
        self.figures.setText("\n".join(lines))
        self._show_never()
        for view in (self.contacts_view, self.projects_view, self.quotes_view, self.activities_view):
            self._fit(view)

    def _show_never(self) -> None:
        page = self.page
        if page is None or page.id != self._never_for:
            self.never_label.setText("Reading the company's sales…")
        elif self.never:
            self.never_label.setText(", ".join(self.never))
        elif page.figures.won:
            self.never_label.setText("Every category the company sells.")
        else:
            self.never_label.setText("The company has sold nothing yet.")

    def _on_project_double_clicked(self, index: Any) -> None:
        row: ScenarioLine = self.projects.row_at(index.row())
        if row.estimate is not None:
            self.estimateActivated.emit(row.estimate.id)
        else:
            self.projectActivated.emit(row.project.id)


def never_bought(db: Database, client_id: uuid.UUID) -> tuple[str, ...]:
    grown = growth_grid(db).of(client_id)
    return grown.never if grown is not None else ()
