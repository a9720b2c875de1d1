"""ProgressRun: slow work behind a progress dialog that can cancel it, results back on the GUI thread."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from app.services.storage.errors import StorageError
from app.ui.tasks import Progress, ProgressRun

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
