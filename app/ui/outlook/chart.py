"""One row of the outlook as a chart: won demand and weighted open demand stacked per week, supply as a
line, over-booked weeks marked — drawn with matplotlib as the capacity view draws, imported on the
first show so that starting the app does not pay for it."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.services.outlook.table import ITEM, Outlook
from app.ui.crew.capacity_view import CONFIRMED, OVER, SUPPLY, TENTATIVE


class OutlookChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outlookChart")
        self.canvas: Any = None  # FigureCanvasQTAgg, made on first show
        self.figure: Any = None
        self.table: Outlook | None = None
        self.row_id: uuid.UUID | None = None
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel("", self)
        self.body.addWidget(self.placeholder, 1)

    def show_row(self, table: Outlook | None, row_id: uuid.UUID | None) -> None:
        self.table, self.row_id = table, row_id
        if self.figure is not None:
            self.draw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            self.figure = Figure(figsize=(8, 3), layout="constrained")
            self.canvas = FigureCanvasQTAgg(self.figure)
            self.canvas.setObjectName("outlookCanvas")
            self.canvas.setMinimumSize(420, 220)  # constrained layout warns on a canvas too small
            self.canvas.setParent(self)
            self.body.replaceWidget(self.placeholder, self.canvas)
            self.placeholder.deleteLater()
            self.canvas.show()
            self.body.activate()
        self.draw()

    def draw(self) -> None:
        self.figure.clear()
        ax = self.figure.add_subplot()
        table, row_id = self.table, self.row_id
        rows = {r.id: r for r in table.rows} if table is not None else {}
        if table is None or row_id not in rows:
            ax.set_axis_off()
            ax.text(
                0.5,
                0.5,
                "Choose a role or an item in the grid",
                ha="center",
                va="center",
                fontsize=11,
                color="#666666",
                transform=ax.transAxes,
            )
            self.canvas.draw_idle()
            return
        row = rows[row_id]
        cells = [table.cell(row_id, week) for week in table.weeks]
        xs = list(range(len(cells)))
        won = [float(c.won) for c in cells]
        ax.bar(xs, won, color=CONFIRMED, width=0.7, label="Won")
        ax.bar(
            xs,
            [float(c.open) for c in cells],
            bottom=won,
            color=TENTATIVE,
            width=0.7,
            label="Open, weighted by win probability",
        )
        ax.step(
            xs,
            [float(c.supply) for c in cells],
            where="mid",
            color=SUPPLY,
            linewidth=1.6,
            label="On hand" if row.kind == ITEM else "Crew hours on hand",
        )
        for x, c in zip(xs, cells, strict=True):
            if c.over:
                ax.annotate(
                    "over",
                    (x, float(c.demand)),
                    ha="center",
                    va="bottom",
                    color=OVER,
                    fontsize=8,
                    fontweight="bold",
                    xytext=(0, 2),
                    textcoords="offset points",
                )
        step = max(1, -(-len(cells) // max(4, int(self.canvas.width() * 0.8) // 52)))
        ax.set_xticks(xs[::step], [f"{w.day} {w:%b}" for w in table.weeks[::step]], fontsize=8)
        ax.set_ylabel("Units" if row.kind == ITEM else "Person-hours")
        what = "units held on each week's worst day" if row.kind == ITEM else "person-hours a week"
        ax.set_title(f"{row.name}: {what}", fontsize=10, loc="left")
        top = max(max(float(c.demand) for c in cells), max(float(c.supply) for c in cells), 1.0)
        ax.set_ylim(0, top * 1.18)  # room for the "over" marks
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=8, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(x=0.01)
        self.canvas.draw_idle()
