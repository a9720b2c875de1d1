"""Project › Timeline…: one project's milestones and orders against its load-in, show and strike (matplotlib).

:func:`draw_schedule` draws on any matplotlib Figure (the dialog's canvas, or an Agg figure the
screenshot script saves); matplotlib is imported when the first chart is drawn, never at start-up.
Drawn on the GUI thread, as the capacity view is: one project's few dozen marks take milliseconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.services.schedule.project_timeline import ProjectSchedule, load_project_schedule
from app.services.storage.database import Database

PHASES = (  # (from, to, colour, label) of the project's days, as attribute names of ProjectSchedule
    ("load_in", "show_start", "#dbe9f6", "Load-in"),
    ("show_start", "show_end", "#fde3c8", "Show"),
    ("show_end", "strike", "#e4e4e4", "Strike"),
)
MILESTONE_BLUE, ORDER_GREEN, DONE_GREY, TODAY_RED = "#1f5fa8", "#2e7d32", "#9e9e9e", "#c62828"


def draw_schedule(figure: Any, schedule: ProjectSchedule, today: date) -> None:
    """The chart of ``schedule`` on ``figure`` (cleared first): a row per milestone and order."""
    from matplotlib.dates import DateFormatter, date2num

    figure.clear()
    axes = figure.add_subplot(111)
    span = schedule.span()
    items = schedule.items
    axes.set_title(schedule.name, loc="left", fontsize=11)
    if span is None:
        axes.text(
            0.5,
            0.5,
            "Nothing dated yet: give the project its days (Project details…)",
            ha="center",
            va="center",
            transform=axes.transAxes,
        )
        axes.set_axis_off()
        return
    start, end = span[0] - timedelta(days=2), span[1] + timedelta(days=2)
    for n, (begin, finish, colour, label) in enumerate(PHASES):
        first, last = getattr(schedule, begin), getattr(schedule, finish)
        if first is not None and last is not None and last >= first:
            axes.axvspan(date2num(first), date2num(last + timedelta(days=1)), color=colour, zorder=0)
            axes.text(  # one above the other: a phase of one day is too narrow for its name
                date2num(first), len(items) - 0.15 - 0.3 * n, f" {label}", fontsize=8, va="bottom",
                color="#555555"
            )
    for row, item in enumerate(items):
        y = len(items) - 1 - row
        colour = DONE_GREY if item.done else ORDER_GREEN if item.order else MILESTONE_BLUE
        if item.first is None or item.last is None:
            axes.text(date2num(start), y, "  no date", va="center", fontsize=8, color=DONE_GREY)
        elif item.first == item.last and not item.order:
            axes.plot([date2num(item.first) + 0.5], [y], marker="D", markersize=8, color=colour, zorder=3)
        else:
            width = (item.last - item.first).days + 1
            axes.barh(
                y,
                width,
                left=date2num(item.first),
                height=0.5,
                color=colour,
                zorder=2,
                hatch="//" if item.order else None,
                edgecolor="white" if item.order else colour,
            )
    axes.set_yticks(range(len(items)))
    axes.set_yticklabels([("✓ " if i.done else "") + i.label for i in reversed(items)], fontsize=8)
    axes.set_ylim(-0.8, len(items) + 0.2)
    axes.set_xlim(date2num(start), date2num(end + timedelta(days=1)))
    if start <= today <= end:
        axes.axvline(date2num(today) + 0.5, color=TODAY_RED, linestyle="--", linewidth=1, zorder=4)
        axes.text(date2num(today) + 0.5, -0.75, " today", color=TODAY_RED, fontsize=8)
    axes.xaxis.set_major_formatter(DateFormatter("%d %b"))
    axes.grid(axis="x", color="#dddddd", linewidth=0.5)
    axes.set_axisbelow(True)
    figure.autofmt_xdate()
    figure.tight_layout()


class ProjectTimelineDialog(QDialog):
    """The chart of one project, drawn again on :meth:`refresh`."""

    def __init__(
        self,
        db: Database,
        project_id: uuid.UUID,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.setObjectName("projectTimelineDialog")
        self.db = db
        self.project_id = project_id
        self.today = today  # the day the red line marks (fixed in tests and screenshots)
        self.resize(1000, 560)
        self.figure = Figure(figsize=(10, 5.5))
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setObjectName("projectTimelineCanvas")
        self.legend = QLabel(
            "◆ milestone   ▬ window   ▨ order: order-by → need-by   grey: done or sent   red dashes: today",
            self,
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.canvas)
        layout.addWidget(self.legend)
        layout.addWidget(buttons)
        self.schedule: ProjectSchedule | None = None
        self.refresh()

    def refresh(self) -> None:
        """Read the project again and redraw (InputError or StorageError: the chart stays)."""
        self.schedule = load_project_schedule(self.db, self.project_id)
        self.setWindowTitle(f"Timeline · {self.schedule.name} — Tandem")
        draw_schedule(self.figure, self.schedule, self.today())
        self.canvas.draw_idle()
