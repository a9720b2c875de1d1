"""The capacity view: crew demand against supply per role and day (or week), drawn with matplotlib;
in its equipment mode, the equipment held against what can go out per item, from the same service
as the equipment timeline (app.services.equipment.timeline.equipment_capacity).

matplotlib is imported the first time the view is shown, so that starting the app
does not pay for it. All roles (items): a heatmap of demand ÷ supply, each cell labelled
"needed/available", over-committed (short) cells red and outlined. One role (item): stacked bars
of confirmed and tentative demand against a line of the crew (the quantity) available.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.crew.capacity import CapacityCell, CapacityTable, Count, capacity
from app.services.equipment.availability import hold_index
from app.services.equipment.timeline import equipment_capacity, quantity_text
from app.services.storage.database import Database
from app.services.storage.errors import StorageError

CONFIRMED = "#2f6db5"
TENTATIVE = "#9cc3ea"
SUPPLY = "#222222"
OVER = "#c62828"
ASSIGNED = "#1b8a3a"
ALL_ROLES = "All roles"


@dataclass(frozen=True)
class Mode:
    """What the view says in a mode: crew (people per role) or equipment (quantities per item)."""

    key: str
    label: str
    all_rows: str
    empty: str
    heatmap_title: str
    bar_title: str  # formatted with the row's name
    supply_label: str
    y_label: str
    over: str  # the word on an over-committed bar
    some_over: str  # formatted with the count of days and its plural "s"
    none_over: str


CREW = Mode("crew", "Crew", ALL_ROLES, "No crew or labour calls in this range",
            "Crew needed / available (quoted and won work); red: over-committed",
            "{}: crew needed against crew available", "Crew available", "People", "over",
            "{} over-committed day{}", "No over-committed days")
EQUIPMENT = Mode("equipment", "Equipment", "All items", "No equipment held in this range",
                 "Equipment held / available (quoted and won work); red: short",
                 "{}: held against what can go out", "Available (owned less out of service)", "Quantity",
                 "short", "{} day{} short", "No shortages")
MODES = {mode.key: mode for mode in (CREW, EQUIPMENT)}


def count_text(value: Count) -> str:
    return quantity_text(value) if isinstance(value, Decimal) else str(value)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def cell_label(cell: CapacityCell) -> str:
    """What a heatmap cell says: people needed / crew available."""
    return f"{count_text(cell.demand)}/{count_text(cell.supply)}" if cell.demand else ""


class CapacityView(QWidget):
    """Date range, day/week and role filters above a matplotlib canvas."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("capacityView")
        self.db: Database | None = None
        self.table: CapacityTable | None = None
        self.canvas: Any = None  # FigureCanvasQTAgg, made on first show
        self.figure: Any = None
        today = date.today()
        self.start_edit = QDateEdit(_qdate(today), self)
        self.start_edit.setObjectName("capacityStart")
        self.end_edit = QDateEdit(_qdate(today + timedelta(days=27)), self)
        self.end_edit.setObjectName("capacityEnd")
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._on_filter_changed)
        self.by_combo = QComboBox(self)
        self.by_combo.setObjectName("capacityBy")
        self.by_combo.addItem("By day", "day")
        self.by_combo.addItem("By week", "week")
        self.by_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.mode_combo = QComboBox(self)  # crew, or equipment: the switch between the two
        self.mode_combo.setObjectName("capacityMode")
        for mode in MODES.values():
            self.mode_combo.addItem(mode.label, mode.key)
        self.mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        self.role_combo = QComboBox(self)
        self.role_combo.setObjectName("capacityRole")
        self.role_combo.addItem(ALL_ROLES, None)
        self.role_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("capacityRefreshButton")
        self.refresh_button.setToolTip("Read the calendar and the estimates again")
        self.refresh_button.clicked.connect(self.refresh)
        self.status = QLabel(self)
        self.status.setObjectName("capacityStatus")
        controls = QHBoxLayout()
        for text, widget in (("", self.mode_combo), ("From", self.start_edit), ("to", self.end_edit),
                             ("", self.by_combo), ("", self.role_combo)):
            if text:
                controls.addWidget(QLabel(text, self))
            controls.addWidget(widget)
        controls.addWidget(self.refresh_button)
        controls.addWidget(self.status, 1)
        self.body = QVBoxLayout(self)
        self.body.addLayout(controls)
        self.placeholder = QLabel("", self)
        self.body.addWidget(self.placeholder, 1)
        self._updating = False

    # -- inputs --------------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self.table = None
        if self.isVisible():
            self.refresh()

    def set_range(self, start: date, end: date, by: str = "day") -> None:
        self._updating = True
        try:
            self.start_edit.setDate(_qdate(start))
            self.end_edit.setDate(_qdate(end))
            self.by_combo.setCurrentIndex(self.by_combo.findData(by))
        finally:
            self._updating = False
        self.refresh()

    def set_role(self, role_id: uuid.UUID | None) -> None:
        index = self.role_combo.findData(str(role_id) if role_id else None)
        self.role_combo.setCurrentIndex(max(index, 0))

    def selected_role(self) -> uuid.UUID | None:
        data = self.role_combo.currentData()
        return uuid.UUID(data) if data else None

    @property
    def mode(self) -> Mode:
        return MODES[self.mode_combo.currentData() or CREW.key]

    def _on_mode_changed(self, *_args: Any) -> None:
        self.role_combo.blockSignals(True)
        self.role_combo.setCurrentIndex(0)
        self.role_combo.setItemText(0, self.mode.all_rows)
        self.role_combo.blockSignals(False)
        self._on_filter_changed()

    def _on_filter_changed(self, *_args: Any) -> None:
        if not self._updating and self.canvas is not None:
            self.refresh()

    # -- drawing ---------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.canvas is None:
            self._make_canvas()
        self.refresh()  # the calendar or the estimates may have changed while it was hidden

    def _make_canvas(self) -> None:
        # Lazily: the first show pays for matplotlib, not the app's start-up.
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(10, 4.5), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setObjectName("capacityCanvas")
        # Constrained layout gives up (with a warning) on a canvas too small for the labels.
        self.canvas.setMinimumSize(560, 320)
        self.canvas.setParent(self)
        self.body.replaceWidget(self.placeholder, self.canvas)
        self.placeholder.deleteLater()
        self.canvas.show()  # added to a window already shown: not shown by itself
        self.body.activate()

    def refresh(self) -> None:
        """Compute the table for the filters and draw it."""
        start, end = _pydate(self.start_edit.date()), _pydate(self.end_edit.date())
        by = self.by_combo.currentData() or "day"
        if self.db is None or end < start:
            self.table = None
            self.status.setText("Choose a range that ends after it starts." if self.db else "")
        else:
            try:
                if self.mode is EQUIPMENT:
                    self.table = equipment_capacity(hold_index(self.db), start, end, by)
                else:
                    self.table = capacity(self.db, start, end, by)
            except StorageError as error:
                self.table = None
                self.status.setText(str(error))
        self._fill_roles()
        if self.table is not None:
            over = {c.day for c in self.table.over_committed() if self._shown(c.role_id)}
            mode = self.mode
            text = mode.some_over.format(len(over), "s" if len(over) != 1 else "") if over else mode.none_over
            staffed = [s for r, s in self.table.staffed.items() if self._shown(r)]
            needed = sum(n for _, n in staffed)
            if needed:  # the calendar's progress: people-days on the calendar of those the calls need
                text += f" · {sum(a for a, _ in staffed)} of {needed} crew-days assigned"
            self.status.setText(text)
        if self.figure is not None:
            self.draw()

    def _fill_roles(self) -> None:
        if self.table is None:
            return
        current = self.role_combo.currentData()
        wanted = [(name, str(role_id) if role_id else "") for role_id, name in self.table.roles]
        have = [(self.role_combo.itemText(i), self.role_combo.itemData(i))
                for i in range(1, self.role_combo.count())]
        if wanted == have:
            return
        self.role_combo.blockSignals(True)
        try:
            while self.role_combo.count() > 1:
                self.role_combo.removeItem(1)
            for name, data in wanted:
                self.role_combo.addItem(name, data)
            self.role_combo.setCurrentIndex(max(self.role_combo.findData(current), 0))
        finally:
            self.role_combo.blockSignals(False)

    def _shown(self, role_id: uuid.UUID | None) -> bool:
        selected = self.role_combo.currentData()
        return not selected or selected == (str(role_id) if role_id else "")

    def shown_roles(self) -> list[tuple[uuid.UUID | None, str]]:
        if self.table is None:
            return []
        return [(r, name) for r, name in self.table.roles if self._shown(r)]

    def draw(self) -> None:
        self.figure.clear()
        roles = self.shown_roles()
        if self.table is None or not roles or not self.table.periods:
            ax = self.figure.add_subplot()
            ax.set_axis_off()
            ax.text(0.5, 0.5, self.mode.empty, ha="center", va="center",
                    fontsize=12, color="#666666", transform=ax.transAxes)
        elif self.role_combo.currentData():
            self._draw_bars(roles[0])
        else:
            self._draw_heatmap(roles)
        self.canvas.draw_idle()

    def _tick_step(self) -> int:
        """Label every period, or every n-th so that labels never overlap on the canvas."""
        assert self.table is not None
        room = max(4, int(self.canvas.width() * 0.8) // 46)
        return max(1, -(-len(self.table.periods) // room))

    def _period_labels(self, step: int) -> list[str]:
        """Labels of every ``step``-th period."""
        assert self.table is not None
        shown = self.table.periods[::step]
        if self.table.by == "week":
            return [f"wk {p.isocalendar().week}\n{p.day} {p:%b}" for p in shown]
        if step > 1:
            return [f"{p.day}\n{p:%b}" for p in shown]
        return [f"{p:%a}\n{p.day}" + (f"\n{p:%b}" if p.day == 1 or i == 0 else "")
                for i, p in enumerate(shown)]

    def _draw_heatmap(self, roles: list[tuple[uuid.UUID | None, str]]) -> None:
        import numpy as np
        from matplotlib.colors import LinearSegmentedColormap
        from matplotlib.patches import Rectangle

        table = self.table
        assert table is not None
        ratio = np.zeros((len(roles), len(table.periods)))
        for i, (role_id, _) in enumerate(roles):
            for j, period in enumerate(table.periods):
                cell = table.cell(period, role_id)
                demand, supply = float(cell.demand), float(cell.supply)
                if cell.over_committed:  # over: always on the red side of "full"
                    ratio[i, j] = min(max(demand / supply, 1.1), 2.0) if supply else 2.0
                elif demand:
                    ratio[i, j] = min(demand / supply, 0.98)
        cmap = LinearSegmentedColormap.from_list(
            "capacity", [(0, "#ffffff"), (0.25, "#dcebf7"), (0.5, "#f6c768"), (0.5001, "#f19a8a"),
                         (1, OVER)])
        ax = self.figure.add_subplot()
        image = ax.imshow(ratio, cmap=cmap, vmin=0, vmax=2, aspect="auto", interpolation="nearest")
        few = self._tick_step() == 1  # room for a label in each cell
        for i, (role_id, _) in enumerate(roles):
            for j, period in enumerate(table.periods):
                cell = table.cell(period, role_id)
                if few:
                    ax.text(j, i, cell_label(cell), ha="center", va="center", fontsize=8,
                            color="white" if cell.over_committed else "#333333",
                            fontweight="bold" if cell.over_committed else "normal")
                if cell.over_committed:
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#7f0000",
                                           linewidth=1.5))
        ax.set_yticks(range(len(roles)), [name for _, name in roles])
        step = self._tick_step()
        ax.set_xticks(range(0, len(table.periods), step), self._period_labels(step), fontsize=8)
        over_periods = {c.period for c in table.over_committed() if self._shown(c.role_id)}
        for label, period in zip(ax.get_xticklabels(), table.periods[::step], strict=True):
            if period in over_periods:
                label.set_color(OVER)
                label.set_fontweight("bold")
        ax.tick_params(length=0)
        ax.set_xticks(np.arange(-0.5, len(table.periods), 1), minor=True)
        ax.set_yticks(np.arange(-0.5, len(roles), 1), minor=True)
        ax.grid(which="minor", color="#e0e0e0", linewidth=0.5)
        ax.tick_params(which="minor", length=0)
        ax.set_title(self.mode.heatmap_title, fontsize=10, loc="left")
        bar = self.figure.colorbar(image, ax=ax, ticks=[0, 1, 2], shrink=0.8, pad=0.01)
        bar.ax.set_yticklabels(["idle", "full", "2× over"], fontsize=8)

    def _draw_bars(self, role: tuple[uuid.UUID | None, str]) -> None:
        table = self.table
        assert table is not None
        cells = [table.cell(p, role[0]) for p in table.periods]
        xs = range(len(cells))
        ax = self.figure.add_subplot()
        mode = self.mode
        confirmed = [float(c.demand_confirmed) for c in cells]
        ax.bar(xs, confirmed, color=CONFIRMED, label="Confirmed (won)")
        ax.bar(xs, [float(c.demand_tentative) for c in cells], bottom=confirmed, color=TENTATIVE,
               label="Tentative (quoted)")
        ax.step(xs, [float(c.supply) for c in cells], where="mid", color=SUPPLY, linewidth=1.5,
                label=mode.supply_label)
        if mode is CREW:
            ax.plot(xs, [c.assigned for c in cells], linestyle="none", marker="_", markersize=14,
                    markeredgewidth=2, color=ASSIGNED, label="Assigned on the calendar")
        for x, c in zip(xs, cells, strict=True):
            if c.over_committed:
                ax.annotate(mode.over, (x, float(c.demand)), ha="center", va="bottom", color=OVER, fontsize=8,
                            fontweight="bold", xytext=(0, 2), textcoords="offset points")
        step = self._tick_step()
        ax.set_xticks(range(0, len(cells), step), self._period_labels(step), fontsize=8)
        ax.set_ylabel(mode.y_label)
        ax.set_title(mode.bar_title.format(role[1]), fontsize=10, loc="left")
        ax.legend(loc="upper right", fontsize=8, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
