"""GUI fixtures: the real main window on the demo database, fake dialogs, and leak checks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
from PySide6.QtWidgets import QApplication

from app.services.storage.database import Database
from app.ui.main_window import MainWindow


class FakeDialogs:
    """Stands in for UserDialogs: records what was shown, answers from a queue."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answers: list[Any] = []
        self.confirm_answer = True
        self.conflict_answer = "theirs"
        self.conflicts: list[Any] = []
        self.proposed: list[str] = []  # what each save dialog proposed (folder and file name)
        self.printer: Any = None  # what choose_printer answers

    def error(self, parent: Any, title: str, text: str) -> None:
        self.shown.append(("error", title, text))

    def info(self, parent: Any, title: str, text: str) -> None:
        self.shown.append(("info", title, text))

    def confirm(self, parent: Any, title: str, text: str) -> bool:
        self.shown.append(("confirm", title, text))
        return self.confirm_answer

    def resolve_conflict(self, parent: Any, view: Any) -> str:
        self.conflicts.append(view)
        return self.conflict_answer

    def ask_text(self, parent: Any, title: str, label: str, default: str = "") -> str | None:
        self.shown.append(("ask_text", title, label))
        return self.answers.pop(0) if self.answers else None

    def choose_item(self, parent: Any, title: str, label: str, items: list[str]) -> int | None:
        self.shown.append(("choose_item", title, "\n".join(items)))
        return self.answers.pop(0) if self.answers else None

    def open_file(self, parent: Any, title: str, filters: str) -> str | None:
        return self.answers.pop(0) if self.answers else None

    def save_file(self, parent: Any, title: str, filters: str, proposed: str = "") -> str | None:
        self.proposed.append(proposed)
        return self.answers.pop(0) if self.answers else None

    def choose_printer(self, parent: Any) -> Any:
        """The printer a test set (a QPrinter printing to a PDF file), else None: cancelled."""
        printer, self.printer = self.printer, None
        return printer


@pytest.fixture(autouse=True)
def no_leaks(qapp: QApplication) -> Iterator[None]:
    """Fail a GUI test that leaves a top-level widget alive or a worker thread running."""
    before = set(QApplication.topLevelWidgets())
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    pool = QThreadPool.globalInstance()
    assert pool.waitForDone(5000), "a background task was still running after the test"
    leaked = [
        w for w in QApplication.topLevelWidgets()
        if w not in before and w.isVisible()
    ]
    assert not leaked, f"top-level widgets left open: {[w.objectName() or type(w).__name__ for w in leaked]}"


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


@pytest.fixture
def fresh_window(qtbot: Any, dialogs: FakeDialogs, tandem_home: Path) -> MainWindow:
    """The main window before the first run, as run_gui makes it: no database yet."""
    win = MainWindow(dialogs=dialogs)  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.resize(1500, 900)
    return win


def shown_window(qtbot: Any, db: Database, dialogs: FakeDialogs) -> MainWindow:
    """The main window on ``db``, shown, with the estimate it starts with open."""
    win = MainWindow(dialogs=dialogs)  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.resize(1500, 900)
    win.set_database(db)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot: Any, demo_db: Database, dialogs: FakeDialogs) -> MainWindow:
    """The main window on the demo database, showing the Full booth estimate."""
    win = shown_window(qtbot, demo_db, dialogs)
    assert win.workspace is not None
    assert win.workspace.doc.header.name == "Full booth"
    return win
