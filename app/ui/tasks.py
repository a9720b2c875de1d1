"""Slow work off the GUI thread: a plain function on the thread pool, its result posted back.

The function never touches a widget; it may report progress through the
callable it is given, which returns False once the user has asked to cancel.
Results, failures (StorageError, with their one-line message) and progress
arrive on the GUI thread as signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.services.storage.errors import StorageError

Progress = Callable[[str, int, int], bool]


class Task(QObject):
    done = Signal(object)
    failed = Signal(str)
    progressed = Signal(str, int, int)

    def __init__(self, work: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self.finished = False

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, step: str, done: int, total: int) -> bool:
        self.progressed.emit(step, done, total)
        return not self._cancel.is_set()

    def _run(self) -> None:
        try:
            result = self._work(self._progress)
        except StorageError as error:
            self.finished = True
            self.failed.emit(str(error))
            return
        self.finished = True
        self.done.emit(result)


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task

    def run(self) -> None:
        self.task._run()


_running: set[Task] = set()


def run_task(work: Callable[[Progress], Any], on_done: Callable[[Any], None],
             on_failed: Callable[[str], None], parent: QObject | None = None) -> Task:
    """Start ``work(progress)`` on the global pool; ``on_done``/``on_failed`` run on the GUI thread."""
    task = Task(work, parent)
    _running.add(task)

    def finish_ok(result: Any) -> None:
        _running.discard(task)
        on_done(result)

    def finish_failed(message: str) -> None:
        _running.discard(task)
        on_failed(message)

    task.done.connect(finish_ok)
    task.failed.connect(finish_failed)
    QThreadPool.globalInstance().start(_Runnable(task))
    return task


class ViewRead:
    """What a view shows, read on the pool: one read at a time, and the newest wins.

    ``request()`` starts a read of what ``current()`` names now (the view's database, and whatever
    else picks what it shows, such as a client), or, while one runs, asks for one more after it.
    ``prepare(target)`` runs on the GUI thread and gives the work (a closure over the figures it
    needs: today, the weeks chosen). A result read for a target the view no longer shows, or
    overtaken by a request, is dropped and ``again()`` (the view's refresh) reads anew; else
    ``show(result)``. A failure goes to ``failed(message)``, then the asked-for read runs. A view
    closed meanwhile gets nothing. The read has no parent: it outlives a closed window.
    """

    def __init__(self, view: QObject, current: Callable[[], tuple[Any, ...]],
                 prepare: Callable[[tuple[Any, ...]], Callable[[], Any]], show: Callable[[Any], None],
                 failed: Callable[[str], None], again: Callable[[], None]) -> None:
        self._view, self._current, self._prepare = view, current, prepare
        self._show, self._failed, self._again_read = show, failed, again
        self.busy = False
        self._again = False

    def request(self) -> None:
        if self.busy:
            self._again = True
            return
        self.busy, self._again = True, False
        target = self._current()
        work = self._prepare(target)
        run_task(lambda _progress: work(), lambda result: self._done(target, result), self._fail)

    def _same(self, target: tuple[Any, ...]) -> bool:
        now = self._current()
        return len(now) == len(target) and all(a is b or a == b for a, b in zip(now, target, strict=True))

    def _done(self, target: tuple[Any, ...], result: Any) -> None:
        if not shiboken6.isValid(self._view):
            return
        self.busy = False
        if self._again or not self._same(target):
            self._again_read()
            return
        self._show(result)

    def _fail(self, message: str) -> None:
        if not shiboken6.isValid(self._view):
            return
        self.busy = False
        self._failed(message)
        if self._again:
            self._again_read()


class ProgressRun(QObject):
    """``work`` on the pool behind a window-modal progress dialog whose Cancel cancels it.

    The dialog appears only if the work takes more than 0.4 s; it is closed before
    ``on_done(result)`` or ``on_failed(message)`` runs. ``dialog`` is None once it is over.
    """

    def __init__(self, window: QWidget, title: str, work: Callable[[Progress], Any],
                 on_done: Callable[[Any], None], on_failed: Callable[[str], None],
                 object_name: str = "progressDialog") -> None:
        super().__init__(window)
        dialog = QProgressDialog(title, "Cancel", 0, 0, window)
        dialog.setObjectName(object_name)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        self.dialog: QProgressDialog | None = dialog
        self.cancelled = False  # the user (or the window) asked it to stop
        self._on_done, self._on_failed = on_done, on_failed
        self.task = run_task(work, self._done, self._failed, self)
        dialog.canceled.connect(self.cancel)
        self.task.progressed.connect(self._show)

    def cancel(self) -> None:
        self.cancelled = True
        self.task.cancel()

    def _show(self, step: str, current: int, total: int) -> None:
        if self.dialog is None:
            return
        self.dialog.setLabelText(step)
        self.dialog.setMaximum(max(total, 0))
        # Below the maximum until the work is done: at the maximum the dialog closes itself.
        self.dialog.setValue(min(current, total - 1) if total > 0 else 0)

    def _close(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None

    def _done(self, result: Any) -> None:
        self._close()
        self._on_done(result)

    def _failed(self, message: str) -> None:
        self._close()
        self._on_failed(message)
