"""The equipment timeline panel: zoom, today, go to a date, filters (category, name, short items
only), the count of shortages, and the timeline itself.

It reads the hold index (:func:`~app.services.equipment.availability.hold_index`) for a year
from a month before this one when first shown; a date outside that year moves the year there.
:meth:`refresh` reads it again: the window calls it on others' changes and on every step of its
own (an estimate's quantity, a project won), so the timeline follows what is held.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.services.equipment.availability import hold_index
from app.services.equipment.timeline import EquipmentTimeline, equipment_timeline
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.ui.crew.day_grid import GoToDateBox, panel_action, zoom_actions
from app.ui.equipment.timeline_view import EquipmentTimelineView

DAYS_SHOWN = 366
ALL_CATEGORIES = "All categories"


class EquipmentTimelinePanel(QWidget):
    """Reads its timeline when first shown (or asked), so a window that never opens it pays nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("equipmentTimelinePanel")
        self.db: Database | None = None
        self.timeline: EquipmentTimeline | None = None
        self.start = date.today().replace(day=1) - timedelta(days=31)
        self.view = EquipmentTimelineView(self)
        self.date_edit = GoToDateBox("equipmentGoToDate", self)
        self.date_edit.dayChosen.connect(self._on_date_entered)
        self.category_filter = QComboBox(self)
        self.category_filter.setObjectName("equipmentCategoryFilter")
        self.category_filter.addItem(ALL_CATEGORIES, "")
        self.name_filter = QLineEdit(self)
        self.name_filter.setObjectName("equipmentNameFilter")
        self.name_filter.setPlaceholderText("Filter by name")
        self.name_filter.setClearButtonEnabled(True)
        self.short_only = QCheckBox("Short items only", self)
        self.short_only.setObjectName("equipmentShortOnly")
        self.status = QLabel(self)
        self.status.setObjectName("equipmentTimelineStatus")
        for signal in (
            self.category_filter.currentIndexChanged,
            self.name_filter.textChanged,
            self.short_only.toggled,
        ):
            signal.connect(self._on_filter_changed)
        self._build()

    def _build(self) -> None:
        def action(text: str, name: str, slot: Any, shortcut: str | None = None) -> QAction:
            return panel_action(self, text, name, slot, shortcut)

        self.week_action, self.month_action = zoom_actions(self, "equipment", self.set_zoom)
        self.today_action = action("Today", "equipmentToday", lambda: self.go_to_day(date.today()))
        self.go_to_date_action = action("Go to date", "actionEquipmentGoToDate", self.date_edit.ask, "Ctrl+G")
        self.go_to_date_action.setToolTip("Go to a date (Ctrl+G)")
        toolbar = QToolBar(self)
        toolbar.setObjectName("equipmentToolbar")
        for made in (self.week_action, self.month_action, self.today_action):
            toolbar.addAction(made)
        toolbar.addWidget(self.date_edit)
        toolbar.addWidget(self.date_edit.error)
        toolbar.addSeparator()
        toolbar.addWidget(self.category_filter)
        toolbar.addWidget(QLabel("  ", self))
        toolbar.addWidget(self.name_filter)
        toolbar.addWidget(QLabel("  ", self))
        toolbar.addWidget(self.short_only)
        top = QHBoxLayout()
        top.addWidget(toolbar)
        top.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    # -- loading -------------------------------------------------------------------------------

    def set_database(self, db: Database | None) -> None:
        self.db = db
        self.timeline = None
        self.view.grid.project_days = None
        self.view.set_timeline(None)
        if db is not None and self.isVisible():
            self.load()

    def load(self, start: date | None = None) -> None:
        """Read a year of the timeline from ``start`` (by default a month before this one)."""
        if start is not None:
            self.start = start
        self.refresh()
        self.view.scroll_to_day(date.today(), centre=False)

    def refresh(self) -> None:
        """Read the holds again and show them; a failed read is said, the last timeline stays."""
        if self.db is None:
            return
        try:  # the rows of items whose holds did not change are the last read's
            timeline = equipment_timeline(
                hold_index(self.db), self.start, self.start + timedelta(days=DAYS_SHOWN - 1), self.timeline
            )
        except StorageError as error:
            self.status.setText(f"Could not read the equipment: {error}")
            return
        self.timeline = timeline
        self._fill_categories()
        self.view.set_timeline(timeline)
        self._show_count()

    def is_loaded(self) -> bool:
        return self.timeline is not None

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.db is not None:
            self.refresh()  # what is held may have changed while it was hidden
            if self.view.horizontalScrollBar().value() == 0:
                self.view.scroll_to_day(date.today(), centre=False)

    def _fill_categories(self) -> None:
        assert self.timeline is not None
        wanted = self.timeline.categories()
        have = [self.category_filter.itemData(i) for i in range(1, self.category_filter.count())]
        if wanted == have:
            return
        current = self.category_filter.currentData()
        self.category_filter.blockSignals(True)
        try:
            while self.category_filter.count() > 1:
                self.category_filter.removeItem(1)
            for category in wanted:
                self.category_filter.addItem(category or "No category", category)
            self.category_filter.setCurrentIndex(max(self.category_filter.findData(current), 0))
        finally:
            self.category_filter.blockSignals(False)

    def _show_count(self) -> None:
        assert self.timeline is not None
        rows = [r for r in self.timeline.rows if r.short]
        if not self.timeline.rows:
            text = "No equipment yet: Edit › Equipment… adds the stock the company owns."
        elif not rows:
            text = "No shortages in this year"
        else:
            days = len(
                {
                    first + timedelta(days=i)
                    for r in rows
                    for first, last in r.short
                    for i in range((last - first).days + 1)
                }
            )
            text = (
                f"{len(rows)} item{'s' if len(rows) != 1 else ''} short on {days} "
                f"day{'s' if days != 1 else ''}: {', '.join(r.stock.name for r in rows[:3])}"
                + ("…" if len(rows) > 3 else "")
            )
        self.status.setText(text)

    # -- going to a date or a project ------------------------------------------------------------

    def go_to_day(self, day: date, centre: bool = True) -> None:
        """Show ``day``; a day outside the year read moves the year there."""
        if self.db is None:
            return
        if self.timeline is None or not self.start <= day < self.start + timedelta(days=DAYS_SHOWN):
            self.start = day.replace(day=1) - timedelta(days=31)
            self.refresh()
        self.view.scroll_to_day(day, centre)

    def show_project(self, days: tuple[date, date] | None) -> None:
        """Shade a project's days (load-in to strike) and start the view a day before them."""
        self.view.grid.project_days = days
        if days is not None:
            self.go_to_day(days[0] - timedelta(days=1), centre=False)
        self.view.viewport().update()

    def show_item(self, item_id: uuid.UUID) -> None:
        self.view.scroll_to_item(item_id)

    def _on_date_entered(self, day: date) -> None:
        self.go_to_day(day)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- view state ------------------------------------------------------------------------------

    def set_zoom(self, zoom: str) -> None:
        (self.week_action if zoom == "week" else self.month_action).setChecked(True)
        self.view.set_zoom(zoom)

    def _on_filter_changed(self, *_: Any) -> None:
        self.view.set_filters(
            self.category_filter.currentData() or "", self.name_filter.text(), self.short_only.isChecked()
        )
