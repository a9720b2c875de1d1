"""Where the crew calendar lives: a tab beside the estimate, or a window of its own (the user's
choice, kept in QSettings), never a dock that squeezes the estimate.

:class:`CrewCalendarPlace` moves the one :class:`~app.ui.crew.panel.CrewCalendarPanel` between
the main window's central tabs and a :class:`CrewCalendarWindow`. In its own window the
calendar has no Edit menu, so its toolbar's Undo/Redo take the keys there (Ctrl+Z,
Ctrl+Shift+Z, Ctrl+Y); in a tab the main window's Edit › Undo follows it instead (two
Ctrl+Z in one window would be ambiguous, and Qt would run neither).
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QTabBar, QTabWidget, QVBoxLayout, QWidget

from app.ui.crew.panel import CrewCalendarPanel

LAYOUT_KEY = "crew_calendar/layout"
GEOMETRY_KEY = "crew_calendar/geometry"
TITLE = "Crew calendar"


class CalendarLayout(StrEnum):
    TAB = "tab"  # a tab beside the estimate, in the main window's central area
    WINDOW = "window"  # a window of its own (a second screen)


CHOICES = (
    (CalendarLayout.TAB, "In a tab beside the estimate"),
    (CalendarLayout.WINDOW, "In a window of its own"),
)


class CrewCalendarWindow(QWidget):
    """The calendar's own top-level window; closing it hides it (the panel and its undo steps stay)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("crewCalendarWindow")
        self.setWindowTitle(f"{TITLE} — Tandem")
        self.resize(1400, 760)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.hide()
        event.ignore()


class CrewCalendarPlace(QObject):
    """Shows the calendar in the chosen place and moves it when the choice changes."""

    def __init__(
        self, panel: CrewCalendarPanel, tabs: QTabWidget, settings: QSettings | None, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.panel = panel
        self.tabs = tabs
        self.settings = settings
        self.window = CrewCalendarWindow(parent)
        tabs.tabCloseRequested.connect(self._on_tab_close)
        saved = settings.value(LAYOUT_KEY) if settings is not None else None
        self.choice = CalendarLayout(saved) if saved in set(CalendarLayout) else CalendarLayout.TAB
        geometry = settings.value(GEOMETRY_KEY) if settings is not None else None
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        panel.hide()
        # View › Crew calendar opens: in a tab / in a window of its own (one checked).
        group = QActionGroup(self)
        self.choice_actions: dict[CalendarLayout, QAction] = {}
        for choice, text in CHOICES:
            action = QAction(text, parent)
            action.setObjectName(f"actionCrewCalendarIn{choice.value.capitalize()}")
            action.setCheckable(True)
            action.setChecked(self.choice == choice)
            action.triggered.connect(lambda _=False, c=choice: self.set_choice(c))
            group.addAction(action)
            self.choice_actions[choice] = action

    def is_shown(self) -> bool:
        return self.panel.isVisible()

    def in_tab(self) -> bool:
        return self.tabs.indexOf(self.panel) >= 0

    def show(self) -> None:
        """Bring the calendar up where the user chose: its tab made current, or its window raised."""
        if self.choice == CalendarLayout.TAB:
            self._take_from_window()
            if not self.in_tab():
                index = self.tabs.addTab(self.panel, TITLE)
                self.tabs.setTabToolTip(
                    index,
                    "The crew calendar (Ctrl+Shift+C); View › Crew calendar "
                    "opens in… puts it in a window of its own",
                )
            self.tabs.setCurrentWidget(self.panel)
            self.panel.show()
        else:
            self._take_from_tabs()
            if self.panel.parent() is not self.window:
                self.window.body.addWidget(self.panel)
            self.panel.show()
            if self.window.isVisible():  # behind others: to the front (a new one is shown on top)
                self.window.raise_()
            self.window.show()
            self.window.activateWindow()
        self._own_keys(self.choice == CalendarLayout.WINDOW)

    def set_choice(self, choice: CalendarLayout) -> None:
        """Remember the choice; an open calendar moves there at once."""
        shown = self.is_shown()
        self.choice = choice
        if self.settings is not None:
            self.settings.setValue(LAYOUT_KEY, choice.value)
        if shown:
            self.show()

    def close(self) -> None:
        """The main window closes: keep where the window was, and close it."""
        if self.settings is not None:
            self.settings.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        self.window.hide()

    def _take_from_tabs(self) -> None:
        index = self.tabs.indexOf(self.panel)
        if index >= 0:
            self.tabs.removeTab(index)

    def _take_from_window(self) -> None:
        if self.panel.parent() is self.window:
            self.window.body.removeWidget(self.panel)
            self.window.hide()

    def _on_tab_close(self, index: int) -> None:
        if self.tabs.widget(index) is self.panel:
            self.tabs.removeTab(index)
            self.panel.hide()

    def _own_keys(self, own: bool) -> None:
        """Ctrl+Z and redo on the calendar's own actions in its window only (see the module doc)."""
        undo, redo = self.panel.undo_action, self.panel.redo_action
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)] if own else [])
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")] if own else [])


def fixed_first_tab(tabs: QTabWidget) -> None:
    """The estimate's tab cannot be closed (only the calendar's can)."""
    tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.RightSide, None)  # type: ignore[arg-type]
    tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.LeftSide, None)  # type: ignore[arg-type]
