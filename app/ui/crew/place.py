"""Where a calendar-like view lives: a tab beside the estimate, or a window of its own (the user's
choice, kept in QSettings), never a dock that squeezes the estimate. The crew calendar and the
equipment timeline are the two such places; each names itself with a :class:`PlaceSpec`.

:class:`ViewPlace` moves its one panel (the :class:`~app.ui.crew.panel.CrewCalendarPanel`, the
equipment timeline's panel) between the main window's central tabs and a :class:`PlaceWindow`.
In its own window the crew calendar has no Edit menu, so its toolbar's Undo/Redo take the keys
there (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y); in a tab the main window's Edit › Undo follows it instead
(two Ctrl+Z in one window would be ambiguous, and Qt would run neither). A panel without undo
steps (the timeline only reads) has no keys to take.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QTabBar, QTabWidget, QVBoxLayout, QWidget


@dataclass(frozen=True)
class PlaceSpec:
    """What a place is called: its settings' keys, its title, its objects' names and its tab's tip."""

    key: str  # QSettings prefix: "<key>/layout", "<key>/geometry"
    title: str
    name: str  # CamelCase stem: the window "<stem>Window", the actions "action<Stem>InTab"…
    tip: str


CREW_CALENDAR = PlaceSpec(
    "crew_calendar", "Crew calendar", "CrewCalendar",
    "The crew calendar (Ctrl+Shift+C); View › Crew calendar opens in… puts it in a window of its own")


class CalendarLayout(StrEnum):
    TAB = "tab"  # a tab beside the estimate, in the main window's central area
    WINDOW = "window"  # a window of its own (a second screen)


CHOICES = (
    (CalendarLayout.TAB, "In a tab beside the estimate"),
    (CalendarLayout.WINDOW, "In a window of its own"),
)


class PlaceWindow(QWidget):
    """A place's own top-level window; closing it hides it (the panel and its undo steps stay)."""

    def __init__(self, parent: QWidget, spec: PlaceSpec) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName(f"{spec.name[0].lower()}{spec.name[1:]}Window")
        self.setWindowTitle(f"{spec.title} — Tandem")
        self.resize(1400, 760)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.hide()
        event.ignore()


class ViewPlace(QObject):
    """Shows a panel in the chosen place and moves it when the choice changes."""

    def __init__(
        self, panel: QWidget, tabs: QTabWidget, settings: QSettings | None, parent: QWidget,
        spec: PlaceSpec = CREW_CALENDAR,
    ) -> None:
        super().__init__(parent)
        self.panel = panel
        self.tabs = tabs
        self.settings = settings
        self.spec = spec
        self.window = PlaceWindow(parent, spec)
        tabs.tabCloseRequested.connect(self._on_tab_close)
        saved = settings.value(f"{spec.key}/layout") if settings is not None else None
        self.choice = CalendarLayout(saved) if saved in set(CalendarLayout) else CalendarLayout.TAB
        geometry = settings.value(f"{spec.key}/geometry") if settings is not None else None
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        panel.hide()
        # View › <title> opens: in a tab / in a window of its own (one checked).
        group = QActionGroup(self)
        self.choice_actions: dict[CalendarLayout, QAction] = {}
        for choice, text in CHOICES:
            action = QAction(text, parent)
            action.setObjectName(f"action{spec.name}In{choice.value.capitalize()}")
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
        """Bring the panel up where the user chose: its tab made current, or its window raised."""
        if self.choice == CalendarLayout.TAB:
            self._take_from_window()
            if not self.in_tab():
                index = self.tabs.addTab(self.panel, self.spec.title)
                self.tabs.setTabToolTip(index, self.spec.tip)
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
            self.settings.setValue(f"{self.spec.key}/layout", choice.value)
        if shown:
            self.show()

    def close(self) -> None:
        """The main window closes: keep where the window was, and close it."""
        if self.settings is not None:
            self.settings.setValue(f"{self.spec.key}/geometry", self.window.saveGeometry())
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
        undo, redo = getattr(self.panel, "undo_action", None), getattr(self.panel, "redo_action", None)
        if undo is None or redo is None:
            return
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)] if own else [])
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")] if own else [])


CrewCalendarPlace = ViewPlace  # the crew calendar's place: the default spec


def fixed_first_tab(tabs: QTabWidget) -> None:
    """The estimate's tab cannot be closed (only the calendar's can)."""
    tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.RightSide, None)  # type: ignore[arg-type]
    tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.LeftSide, None)  # type: ignore[arg-type]
