"""What the menus' actions see of the main window: the shell they work in, not the whole window.

The ``*_actions`` modules build the window's commands; the window imports them, so they
must not import the window back. They get a :class:`Shell` instead: the open database,
the panels they drive and the few window methods they call. ``MainWindow`` is one
(tests/gui/test_shell.py checks it has every member).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoGroup
    from PySide6.QtWidgets import QDockWidget, QMenuBar, QStatusBar, QTabWidget, QWidget

    from app.services.storage.database import Database
    from app.ui.crew.capacity_view import CapacityView
    from app.ui.crew.panel import CrewCalendarPanel
    from app.ui.dialogs import UserDialogs
    from app.ui.estimate.catalog_panel import CatalogPanel
    from app.ui.estimate.workspace import EstimateWorkspace
    from app.ui.idle_reload import IdleReload
    from app.ui.navigator import NavigatorPanel


@runtime_checkable
class Shell(Protocol):
    """The main window as the actions use it; ``window()`` is the widget their actions and dialogs go on."""

    @property
    def db(self) -> Database | None: ...

    @property
    def dialogs(self) -> UserDialogs: ...

    @property
    def navigator(self) -> NavigatorPanel: ...

    @property
    def settings(self) -> QSettings | None:
        """The user's settings (the folder exports went to last); None in tests that keep none."""
        ...

    @property
    def workspace(self) -> EstimateWorkspace | None: ...

    @property
    def catalog(self) -> CatalogPanel: ...

    @property
    def catalog_dock(self) -> QDockWidget: ...

    @property
    def crew_panel(self) -> CrewCalendarPanel: ...

    @property
    def places(self) -> QTabWidget:
        """The central tabs: the estimate, and the places beside it (crew calendar, equipment timeline)."""
        ...

    @property
    def undo_group(self) -> QUndoGroup:
        """Every undo stack of the window; its index changes with each step taken, undone or redone."""
        ...

    @property
    def capacity_view(self) -> CapacityView: ...

    @property
    def reprice(self) -> IdleReload:
        """Reload (and so reprice) the open estimate once no cell is being edited."""
        ...

    def window(self) -> QWidget:
        """QWidget.window(): the top-level widget the actions are added to and dialogs open over."""
        ...

    def statusBar(self) -> QStatusBar: ...

    def menuBar(self) -> QMenuBar: ...

    def set_database(self, db: Database) -> None: ...

    def open_estimate(self, estimate_id: uuid.UUID) -> None: ...

    def close_estimate(self) -> None: ...

    def update_actions(self) -> None: ...


class ShellActions(QObject):
    """What every menu's actions start from: the shell, its window (their parent and the
    dialogs' parent) and the dialogs service."""

    def __init__(self, shell: Shell) -> None:
        window = shell.window()
        super().__init__(window)
        self.shell = shell
        self.window = window
        self.dialogs = shell.dialogs
