"""The first run: a welcome window that opens the demo, sets up the user's company, or opens a file.

Shown instead of the main window when there is no database yet (the configured file does
not exist). The demo goes into its own file (``demo.db`` in the data folder), never into the
company's database; setting up writes the company's database only once the form is OK.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCommandLinkButton, QLabel, QVBoxLayout, QWidget

from app import __version__
from app.services.demo import open_demo
from app.services.paths import data_dir
from app.services.storage.errors import StorageError
from app.ui.storage.file_actions import DB_FILTER

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class WelcomeWindow(QWidget):
    """Three ways in; closing it without a choice quits (no window is left open)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeWindow")
        self.setWindowTitle("Welcome to Tandem")
        title = QLabel("Welcome to Tandem", self)
        title.setObjectName("welcomeTitle")
        title.setStyleSheet("QLabel { font-size: 22px; font-weight: 600; color: #111827; }")
        tagline = QLabel("Estimates and crew planning for live events, AV and exhibit booths — the account "
                         "manager and the project manager on one estimate.", self)
        tagline.setWordWrap(True)
        tagline.setStyleSheet("QLabel { color: #4b5563; }")
        self.demo_button = self._choice(
            "welcomeDemo", "Try the demo company",
            "Northlight Productions, with an LED booth job to explore. It has a file of its own "
            "(demo.db), so nothing of it ever mixes with your company's data.")
        self.setup_button = self._choice(
            "welcomeSetUp", "Set up my company",
            "Your name, address, logo, currency, tax and pricing defaults — then a new database with "
            "common crew roles, a labour rule set and catalog categories to start from.")
        self.open_button = self._choice(
            "welcomeOpen", "Open an existing database…",
            "A Tandem file your company already uses, on this computer or a shared drive.")
        self.message = QLabel(self)
        self.message.setObjectName("welcomeMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel { color: #b91c1c; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 28, 36, 28)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(tagline)
        layout.addSpacing(10)
        for button in (self.setup_button, self.demo_button, self.open_button):
            layout.addWidget(button)
        layout.addWidget(self.message)
        layout.addStretch(1)
        footer = QLabel(f"Tandem {__version__} · your data folder is {data_dir()}", self)
        footer.setObjectName("welcomeFooter")
        footer.setWordWrap(True)
        footer.setStyleSheet("QLabel { color: #6b7280; font-size: 11px; }")
        layout.addWidget(footer)
        self.resize(620, 430)

    def _choice(self, name: str, text: str, description: str) -> QCommandLinkButton:
        button = QCommandLinkButton(text, description, self)
        button.setObjectName(name)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button


class FirstRun(QObject):
    """Runs the welcome window for ``window``: on a choice that opens a database, the main window
    shows it and the welcome closes. ``target`` is where *Set up my company* puts the database."""

    finished = Signal()

    def __init__(self, window: MainWindow, target: Path) -> None:
        super().__init__(window)
        self.window = window
        self.target = target
        self.welcome = WelcomeWindow()
        self.welcome.demo_button.clicked.connect(self.try_demo)
        self.welcome.setup_button.clicked.connect(self.set_up)
        self.welcome.open_button.clicked.connect(self.open_existing)

    def show(self) -> None:
        self.welcome.show()

    def try_demo(self) -> None:
        try:
            db = open_demo()
        except StorageError as error:
            self.welcome.message.setText(str(error))
            return
        self.window.set_database(db)
        self._done()

    def set_up(self) -> None:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.window.file_actions.set_up_new(str(self.target), self.welcome, self._done)

    def open_existing(self) -> None:
        actions = self.window.file_actions
        path = actions.dialogs.open_file(self.welcome, "Open a Tandem database", DB_FILTER)
        if path and actions.open_path(path, create=False):
            self._done()

    def _done(self) -> None:
        self.window.show()
        self.welcome.close()
        self.welcome.deleteLater()
        self.finished.emit()
