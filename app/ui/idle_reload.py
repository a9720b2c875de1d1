"""Rebuilding a view without losing the cell being edited: the one way every view reloads after a save."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView

# If an editor goes away without its delegate saying so (a row removed under it), look again.
FALLBACK_MS = 1000


class IdleReload(QObject):
    """Runs ``reload`` when asked: at once, or, while a cell of one of ``views`` is being edited,
    as soon as that editor has closed (its value saved).

    A model reset releases an open cell editor and whatever was typed into it; the commit
    that Return had queued then reaches a view that no longer knows the editor ("commitData
    called with an editor that does not belong to this view") and the value goes nowhere.
    So no view rebuilds under an open editor: every reload after a save, one's own or
    another user's, asks through one of these. Requests made meanwhile are one reload.
    """

    def __init__(
        self, reload: Callable[[], None], views: Callable[[], Iterable[QAbstractItemView]], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._reload = reload
        self._views = views
        self.pending = False
        self._watched: list[QAbstractItemDelegate] = []
        # After the view has closed the editor (and perhaps opened the next cell's, on Tab).
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self._on_retry)
        self._fallback = QTimer(self)
        self._fallback.setInterval(FALLBACK_MS)
        self._fallback.timeout.connect(self._on_retry)

    def request(self) -> None:
        """Reload now if no cell is being edited; otherwise once the editor has closed."""
        view = self.editing_view()
        if view is None:
            self.pending = False
            self._fallback.stop()
            self._reload()
            return
        self.pending = True
        self._fallback.start()
        self._watch(view)

    def editing_view(self) -> QAbstractItemView | None:
        for view in self._views():
            if view.state() == QAbstractItemView.State.EditingState:
                return view
        return None

    def _watch(self, view: QAbstractItemView) -> None:
        for delegate in (view.itemDelegate(), view.itemDelegateForIndex(view.currentIndex())):
            if delegate is not None and not any(delegate is d for d in self._watched):
                delegate.closeEditor.connect(self._on_closeEditor)
                self._watched.append(delegate)

    def _on_closeEditor(self, *_args: Any) -> None:
        if self.pending:
            self._soon.start()

    def _on_retry(self) -> None:
        if self.pending:
            self.request()
