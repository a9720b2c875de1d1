"""The scenario comparison dialog: estimates of a project side by side, every difference marked.

All numbers come from :func:`app.services.estimate.scenarios.compare_estimates`; the two item models
here only lay them out and colour the cells that differ from the baseline (the first
estimate ticked). matplotlib is imported the first time the Chart tab is shown.

*Export to Excel…* writes the comparison shown for the client (prices only:
:mod:`app.services.excel.comparison`), like the File menu's exports: a proposed file name in
the last export folder, the work off the GUI thread behind a progress dialog.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.services.estimate.file_names import comparison_file_name
from app.services.estimate.scenarios import (
    Comparison,
    Metric,
    compare_estimates,
)
from app.services.projects.counting import project_estimates
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.ui.estimate.scenario_compare_models import LineDifferenceModel, ScenarioComparisonModel
from app.ui.excel.export_actions import ExportPaths, start_export
from app.ui.tasks import Progress, ProgressRun, Task, run_task

MIN_SCENARIOS = 2
W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    """Give a widget its objectName (tests and accessibility tools find it by that)."""
    widget.setObjectName(name)
    return widget


class ScenarioCompareDialog(QDialog):
    """Tick two or more estimates of a project; see them side by side, by section and by line."""

    def __init__(self, db: Database, project_id: uuid.UUID,
                 estimate_ids: Sequence[uuid.UUID] | None = None, parent: QWidget | None = None,
                 paths: ExportPaths | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.paths = paths  # where exports go; without it there is no Export button
        self.exporting: ProgressRun | None = None
        self._comparing: Task | None = None
        self._again = False
        self.project_id = project_id
        self.comparison: Comparison | None = None
        self.figure: Any = None
        self.canvas: Any = None
        self.setObjectName("scenarioCompareDialog")
        self.setWindowTitle("Compare scenarios")
        self.resize(1180, 640)

        self.summary_model = ScenarioComparisonModel(self)
        self.lines_model = LineDifferenceModel(self)
        self._build()
        self._fill_choices(estimate_ids)
        self.refresh()

    # -- building --------------------------------------------------------------------

    def _build(self) -> None:
        self.scenario_list = _named(QListWidget(), "scenarioList")
        self.scenario_list.setAccessibleName("Estimates to compare")
        self.scenario_list.itemChanged.connect(self._on_item_changed)
        picker = QWidget()
        picker_layout = QVBoxLayout(picker)
        picker_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("<b>Estimates</b>")
        hint = _named(QLabel("The first ticked is the baseline."), "baselineHint")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5b6470;")
        picker_layout.addWidget(heading)
        picker_layout.addWidget(self.scenario_list, 1)
        picker_layout.addWidget(hint)

        self.tabs = _named(QTabWidget(), "scenarioTabs")
        self.tabs.addTab(self._summary_tab(), "Summary")
        self.tabs.addTab(self._lines_tab(), "Lines")
        self.chart_page = _named(QWidget(), "scenarioChartPage")
        self.chart_layout = QVBoxLayout(self.chart_page)
        self.tabs.addTab(self.chart_page, "Chart")
        self.tabs.currentChanged.connect(self._on_tab_changed)

        self.status = _named(QLabel(), "scenarioStatus")
        self.status.setStyleSheet("color: #8a4b00;")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.status)
        right_layout.addWidget(self.tabs, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(picker)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 980])
        buttons = _named(QDialogButtonBox(QDialogButtonBox.StandardButton.Close), "scenarioButtons")
        buttons.rejected.connect(self.reject)
        export = buttons.addButton("Export to Excel…", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button = _named(export, "scenarioExportButton")
        self.export_button.setToolTip("Write the options' prices side by side to an Excel workbook for the "
                                      "client: section prices and totals, nothing internal")
        self.export_button.clicked.connect(self.export_to_excel)
        self.export_button.setVisible(self.paths is not None)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

    def _summary_tab(self) -> QWidget:
        self.summary_view = _named(QTreeView(), "scenarioSummary")
        self.summary_view.setModel(self.summary_model)
        self.summary_view.setAlternatingRowColors(True)
        self.summary_view.setUniformRowHeights(True)
        self.summary_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.summary_view.header().setStretchLastSection(False)
        self.summary_model.modelReset.connect(self._after_summary_reset)
        return self.summary_view

    def _lines_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.show_all_lines = _named(QCheckBox("Show all lines, not only the ones that differ"),
                                     "showAllLines")
        self.show_all_lines.toggled.connect(self.lines_model.set_show_all)
        self.lines_view = _named(QTableView(), "scenarioLines")
        self.lines_view.setModel(self.lines_model)
        self.lines_view.setAlternatingRowColors(True)
        self.lines_view.verticalHeader().hide()
        self.lines_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.lines_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.show_all_lines)
        layout.addWidget(self.lines_view, 1)
        return page

    def _fill_choices(self, estimate_ids: Sequence[uuid.UUID] | None) -> None:
        choices = project_estimates(self.db, self.project_id)
        wanted = set(estimate_ids) if estimate_ids else {c.id for c in choices}
        names = {c.id: c.name for c in choices}
        self.scenario_list.blockSignals(True)
        for choice in choices:
            item = QListWidgetItem(choice.name)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if choice.id in wanted else Qt.CheckState.Unchecked)
            if choice.based_on_id in names:
                item.setToolTip(f"A scenario based on {names[choice.based_on_id]}")
            self.scenario_list.addItem(item)
        self.scenario_list.blockSignals(False)

    # -- behaviour -------------------------------------------------------------------

    def checked_ids(self) -> list[uuid.UUID]:
        items = (self.scenario_list.item(i) for i in range(self.scenario_list.count()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items
                if item.checkState() == Qt.CheckState.Checked]

    def refresh(self) -> None:
        """Compare the ticked estimates again (they may have changed since the dialog opened)."""
        ids = self.checked_ids()
        comparison = None
        if len(ids) < MIN_SCENARIOS:
            self.status.setText("Tick at least two estimates to compare them.")
        else:
            try:
                comparison = compare_estimates(self.db, ids)
                self.status.setText("")
            except StorageError as error:
                self.status.setText(str(error))
        self.status.setVisible(bool(self.status.text()))
        self.set_comparison(comparison)

    def refresh_in_background(self) -> None:
        """Compare again off the GUI thread (each estimate is loaded whole), then show it.

        For following edits while the user works: a comparison asked for meanwhile waits
        for the running one, and a result that arrives after the dialog closed is dropped.
        """
        ids = self.checked_ids()
        if len(ids) < MIN_SCENARIOS:
            self.refresh()
            return
        if self._comparing is not None:
            self._again = True
            return
        db = self.db

        def done(comparison: Comparison) -> None:
            if not shiboken6.isValid(self):
                return  # the dialog was closed and deleted meanwhile
            self._comparing = None
            if self.isVisible() and ids == self.checked_ids():
                self.set_comparison(comparison)
            if self._again:
                self._again = False
                self.refresh_in_background()

        def failed(message: str) -> None:
            if not shiboken6.isValid(self):
                return
            self._comparing = None
            self.status.setText(message)
            self.status.setVisible(True)

        # No parent: the task must outlive a dialog closed while it runs (it then does nothing).
        self._comparing = run_task(lambda _progress: compare_estimates(db, ids), done, failed)

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.comparison = comparison
        self.export_button.setEnabled(comparison is not None and self.exporting is None)
        self.summary_model.set_comparison(comparison)
        self.lines_model.set_comparison(comparison)
        if self.figure is not None:
            self.draw_chart()

    def export_to_excel(self) -> None:
        """Ask where, then write the comparison shown (for the client) off the GUI thread."""
        comparison = self.comparison
        if comparison is None or self.paths is None or self.exporting is not None:
            return
        path = self.paths.ask(self, "Export the comparison as",
                              comparison_file_name(comparison.client, comparison.project))
        if path is None:
            return
        db = self.db

        def work(progress: Progress) -> Any:
            from app.services.excel.comparison import export_comparison  # openpyxl: when first used

            return export_comparison(db, comparison, path, progress=progress)

        def over() -> None:
            self.exporting = None
            self.export_button.setEnabled(self.comparison is not None)

        def show(message: str) -> None:
            self.status.setText(message)
            self.status.setVisible(True)

        self.exporting = start_export(self, self.paths.dialogs, "Exporting the comparison…", work,
                                      lambda result: show(f"Exported the comparison to {result.path}."),
                                      over, show)
        self.export_button.setEnabled(False)

    def done(self, result: int) -> None:
        if self.exporting is not None:
            self.exporting.cancel()  # nothing half written: the workbook is renamed into place whole
        super().done(result)

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self.refresh()

    def _after_summary_reset(self) -> None:
        view = self.summary_view
        view.expandAll()
        header = view.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.summary_model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.chart_page and self.canvas is None:
            self._make_canvas()
            self.draw_chart()

    # -- chart -----------------------------------------------------------------------

    def _make_canvas(self) -> None:
        # Lazily: opening the dialog does not pay for matplotlib, only the first look at the chart.
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(9, 4.2), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setObjectName("scenarioCanvas")
        self.canvas.setMinimumSize(520, 300)
        self.chart_layout.addWidget(self.canvas)

    def draw_chart(self) -> None:
        """Grouped bars: price (solid) and cost (light) per section, one colour per scenario."""
        self.figure.clear()
        axes = self.figure.add_subplot(1, 1, 1)
        comparison = self.comparison
        if comparison is None:
            axes.set_axis_off()
            axes.text(0.5, 0.5, "Tick at least two estimates", ha="center", va="center")
            self.canvas.draw_idle()
            return
        sections = comparison.sections
        count = len(comparison.scenarios)
        width = 0.8 / (2 * count)
        palette = ["#2f6db5", "#e07b24", "#3a9a5b", "#8e5bb5", "#c0392b"]
        for s, scenario in enumerate(comparison.scenarios):
            colour = palette[s % len(palette)]
            for k, (metric, alpha) in enumerate(((Metric.PRICE, 1.0), (Metric.COST, 0.45))):
                offset = (2 * s + k - count + 0.5) * width
                heights = [float(row.cell(metric, s).value or 0) for row in sections]  # drawing only
                axes.bar([i + offset for i in range(len(sections))], heights, width, color=colour,
                         alpha=alpha, label=f"{scenario.name} — {metric.label.lower()}")
        axes.set_xticks(range(len(sections)), [row.name for row in sections])
        axes.set_ylabel(f"Amount ({comparison.currency})")
        axes.yaxis.set_major_formatter(lambda value, _pos: f"{value:,.0f}")
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", alpha=0.3)
        axes.set_title("Price and cost by section")
        axes.legend(frameon=False, fontsize="small")
        self.canvas.draw_idle()
