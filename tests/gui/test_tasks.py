"""ProgressRun: slow work behind a progress dialog that can cancel it, results back on the GUI thread."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from app.services.storage.errors import StorageError
from app.ui.tasks import Progress, ProgressRun, ViewRead

pytestmark = pytest.mark.gui


def test_progress_run_reports_and_can_be_cancelled(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    started = threading.Event()

    def work(progress: Progress) -> int:
        for n in range(1000):
            started.set()
            if not progress("Counting…", n, 1000):
                raise StorageError("Counting cancelled.")
            time.sleep(0.005)
        return 1000

    outcome: list[Any] = []
    run = ProgressRun(window, "Counting…", work, outcome.append, outcome.append)
    assert run.dialog is not None and run.dialog.objectName() == "progressDialog"
    assert started.wait(5)
    qtbot.waitUntil(lambda: run.dialog is not None and run.dialog.value() > 0, timeout=5000)
    assert run.dialog.maximum() == 1000 and run.dialog.value() < 1000  # never closes itself early
    run.dialog.canceled.emit()  # what the Cancel button sends
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == ["Counting cancelled."] and run.cancelled and run.dialog is None


def test_progress_run_hands_back_the_result(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    outcome: list[Any] = []
    run = ProgressRun(window, "Adding…", lambda progress: 2 + 2, outcome.append, outcome.append)
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == [4] and not run.cancelled and run.dialog is None


class _View(QWidget):
    """A view that reads ``self.source[self.target]`` through one ViewRead, the way the panels do."""

    def __init__(self) -> None:
        super().__init__()
        self.target = "a"
        self.source = {"a": 1, "b": 2}
        self.gate = threading.Event()
        self.shown: list[Any] = []
        self.failures: list[str] = []
        self.started = 0
        self.read = ViewRead(self, lambda: (self.target,), self._work, self.shown.append,
                             self.failures.append, self.read_again)

    def read_again(self) -> None:
        self.read.request()

    def _work(self, target: tuple[Any, ...]) -> Any:
        self.started += 1
        (key,), value = target, self.source[target[0]]  # taken on the GUI thread, at the request

        def work() -> Any:
            assert self.gate.wait(5)
            if value is None:
                raise StorageError("The file is locked.")
            return (key, value)

        return work


def test_a_view_read_asked_again_while_running_reads_once_more_and_shows_only_the_newest(qtbot: Any) -> None:
    view = _View()
    qtbot.addWidget(view)
    view.read.request()
    view.source["a"] = 10  # changed while the first read runs: asked twice more, read once more
    view.read.request()
    view.read.request()
    assert view.started == 1 and view.read.busy
    view.gate.set()
    qtbot.waitUntil(lambda: not view.read.busy)
    assert view.started == 2 and view.shown == [("a", 10)]  # the overtaken result was dropped

    view.gate.clear()
    view.read.request()
    view.target = "b"  # the view now shows another target: what was read for "a" is not shown
    view.gate.set()
    qtbot.waitUntil(lambda: not view.read.busy and len(view.shown) == 2)
    assert view.shown[-1] == ("b", 2) and view.started == 4

    view.source["b"] = None  # a failure is said, and nothing shown
    view.read.request()
    qtbot.waitUntil(lambda: not view.read.busy)
    assert view.failures == ["The file is locked."] and len(view.shown) == 2
