"""The dashboard's panel: the date range and AM filter above the charts, the figures table beside them.

The figures are read off the GUI thread (:class:`app.ui.tasks.ViewRead`); a read that a newer one
overtook is dropped. The panel keeps the PM's figures and shows the AM's copy of them
(:meth:`~app.services.dashboard.figures.Dashboard.prices_only`) unless ``pm_view``: what is drawn,
listed and exported is ``shown``, so an AM's canvas, table and files have no cost or margin in them.
matplotlib is imported on the first show, as the capacity view does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models import ProjectStatus
from app.services.dashboard.figures import Dashboard, DashboardFilters, dashboard
from app.services.money import format_money, format_percent
from app.services.storage.database import Database
from app.ui.dashboard.charts import draw_dashboard
from app.ui.tasks import ViewRead
from app.ui.widgets import RowsModel

EVERYONE = "Every account manager"
HEADERS = ("Figure", "Projects", "Amount")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def default_range(today: date) -> tuple[date, date]:
    """Five months back to six ahead, whole months: what was sold and what is coming."""
    first = today.replace(day=1)
    start = date(first.year - (first.month <= 5), (first.month - 6) % 12 + 1, 1)
    year, month = first.year + (first.month + 6) // 12, (first.month + 6) % 12 + 1
    return start, date(year, month, 1) - timedelta(days=1)


def figure_rows(board: Dashboard) -> list[tuple[str, str, str]]:
    """The table beside the charts: (figure, projects, amount) — costs only in the PM's figures."""
    money = board.currency
    rows = [(ProjectStatus(s.status).label, str(s.count), format_money(s.value, money)) for s in board.stages]
    rows.append(
        ("Pipeline value (tax incl.)", str(board.pipeline_count), format_money(board.pipeline_value, money))
    )
    rows.append(("Weighted pipeline", "", format_money(board.pipeline_weighted, money)))
    rate = "—" if board.win_rate is None else format_percent(board.win_rate)
    rows.append(("Win rate", f"{board.won} of {board.won + board.lost}", rate))
    rows += [(f"Lost: {r.reason}", str(r.count), format_money(r.value, money)) for r in board.lost_reasons]
    total = board.revenue_total
    rows.append(("Revenue (before tax)", str(total.count), format_money(total.revenue, money)))
    if total.cost is not None and total.margin is not None:
        rows.append(("Cost", "", format_money(total.cost, money)))
        rows.append(("Margin", "", format_money(total.margin, money)))
        rows.append(("Margin %", "", format_percent(total.margin_pct)))
    rows += [
        (f"Revenue: {r.key}", str(r.count), format_money(r.revenue, money)) for r in board.revenue_by_client
    ]
    return rows


class DashboardPanel(QWidget):
    """Filters, a matplotlib canvas of :func:`draw_dashboard` and the figures table."""

    problem = Signal(str)
    drawn = Signal()  # a read arrived and is shown (tests wait on it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPanel")
        self.db: Database | None = None
        self.pm_view = False
        self.figures: Dashboard | None = None  # the PM's, as read
        self.canvas: Any = None
        self.figure: Any = None
        self.read = ViewRead(self, lambda: (self.db,), self._work, self._read_in, self._failed, self.refresh)
        start, end = default_range(date.today())
        self.start_edit = self._date_edit("dashboardStart", start)
        self.end_edit = self._date_edit("dashboardEnd", end)
        self.am_combo = QComboBox(self)
        self.am_combo.setObjectName("dashboardAccountManager")
        self.am_combo.addItem(EVERYONE, None)
        self.am_combo.setToolTip("Only this account manager's projects")
        self.am_combo.currentIndexChanged.connect(self.refresh)
        self.refresh_button = self._button("dashboardRefreshButton", "Refresh", "Read the projects again")
        self.refresh_button.clicked.connect(self.refresh)
        self.png_button = self._button("dashboardPngButton", "Export PNG…", "Save the charts as a picture")
        self.excel_button = self._button(
            "dashboardExcelButton", "Export Excel…", "Write the figures to a workbook with live totals"
        )
        self.status = QLabel(self)
        self.status.setObjectName("dashboardStatus")
        controls = QHBoxLayout()
        for text, widget in (
            ("From", self.start_edit),
            ("to", self.end_edit),
            ("", self.am_combo),
            ("", self.refresh_button),
        ):
            if text:
                controls.addWidget(QLabel(text, self))
            controls.addWidget(widget)
        controls.addWidget(self.status, 1)
        controls.addWidget(self.png_button)
        controls.addWidget(self.excel_button)
        self.model = RowsModel(HEADERS, lambda row: row, {1, 2}, self)
        self.table = QTableView(self)
        self.table.setObjectName("dashboardFigures")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumWidth(320)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.placeholder = QLabel("", self.splitter)
        self.splitter.addWidget(self.placeholder)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 1)
        body = QVBoxLayout(self)
        body.addLayout(controls)
        body.addWidget(self.splitter, 1)
        self._set_exports()

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(_qdate(day), self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.dateChanged.connect(self.refresh)
        return edit

    def _button(self, name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        return button

    # -- inputs -----------------------------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self.figures = None
        self.refresh()

    def set_pm_view(self, on: bool) -> None:
        """The PM's view (costs and margins) or the AM's; what is shown is drawn again."""
        self.pm_view = on
        self._show()

    def set_range(self, start: date, end: date) -> None:
        for edit, day in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.refresh()

    def range(self) -> tuple[date, date]:
        return _pydate(self.start_edit.date()), _pydate(self.end_edit.date())

    @property
    def shown(self) -> Dashboard | None:
        """The figures drawn, listed and exported: the AM's copy unless in the PM's view."""
        if self.figures is None:
            return None
        return self.figures if self.pm_view else self.figures.prices_only()

    # -- reading ----------------------------------------------------------------------------------

    def refresh(self, *_args: Any) -> None:
        """Read the figures for the range and filter, off the GUI thread (when shown)."""
        if self.db is None or not self.isVisible():
            return
        start, end = self.range()
        if end < start:
            self.status.setText("Choose a range that ends after it starts.")
            return
        self.read.request()

    def _work(self, target: tuple[Any, ...]) -> Callable[[], Dashboard]:
        (db,), (start, end), who = target, self.range(), self.am_combo.currentData()
        self.status.setText("Reading…")
        return lambda: dashboard(db, start=start, end=end, filters=DashboardFilters(who))

    def _read_in(self, board: Dashboard) -> None:
        self.figures = board
        self._show()
        self.drawn.emit()

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        self.problem.emit(message)

    def _show(self) -> None:
        board = self.shown
        self._set_exports()
        if board is None:
            self.model.set_rows([])
            return
        self._fill_managers(board.account_managers)
        self.model.set_rows(figure_rows(board))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.status.setText(
            f"{board.pipeline_count} open projects · "
            f"{format_money(board.pipeline_weighted, board.currency)} weighted"
        )
        if self.figure is not None:
            draw_dashboard(self.figure, board)
            self.canvas.draw_idle()

    def _fill_managers(self, names: list[str]) -> None:
        have = [self.am_combo.itemText(i) for i in range(1, self.am_combo.count())]
        if have == names:
            return
        current = self.am_combo.currentData()
        self.am_combo.blockSignals(True)
        while self.am_combo.count() > 1:
            self.am_combo.removeItem(1)
        for name in names:
            self.am_combo.addItem(name, name)
        self.am_combo.setCurrentIndex(max(self.am_combo.findData(current), 0) if current else 0)
        self.am_combo.blockSignals(False)

    def _set_exports(self) -> None:
        for button in (self.png_button, self.excel_button):
            button.setEnabled(self.figures is not None)

    # -- drawing ----------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.canvas is None:
            self._make_canvas()
        self.refresh()  # others' changes may have arrived while it was hidden

    def _make_canvas(self) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(12, 6.5), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setObjectName("dashboardCanvas")
        self.canvas.setMinimumSize(720, 420)  # constrained layout gives up (a warning) below this
        self.splitter.replaceWidget(0, self.canvas)
        self.placeholder.deleteLater()
        self.splitter.setStretchFactor(0, 1)
        if self.shown is not None:
            draw_dashboard(self.figure, self.shown)
