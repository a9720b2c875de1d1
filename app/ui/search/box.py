"""The search box and the list of what it finds, grouped by kind, under it.

Typing searches (app.services.search.query) once the typing pauses (:data:`PAUSE_MS`): a word
typed quickly is one search, not one a letter. ↓ and ↑ move through the results without leaving
the box, Enter (searching at once what was typed, if it has not been yet) or a double click opens
the current one (the first if none is current), Escape closes the list. The list never takes the
focus: the box keeps the typing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.services.search.query import Hit, Results

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
MIN_CHARACTERS = 2  # one letter would match most of a large database
PAUSE_MS = 150  # typing paused this long: search (a search costs up to ~50 ms on a large database)


class ResultsPopup(QFrame):
    """The results under the box: a group per kind, its hits, and "N more".

    A child of the window drawn over it (not a window of its own, which would take the focus
    or need the platform to raise it)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("searchResults")
        self.setAutoFillBackground(True)
        self.hide()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("searchResultsTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.note = QLabel(self)
        self.note.setObjectName("searchNote")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.tree)
        layout.addWidget(self.note)
        self.resize(520, 420)

    def show_results(self, results: Results, searched: str) -> None:
        self.tree.clear()
        for group in results.groups:
            heading = QTreeWidgetItem(self.tree, [group.label])
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            for hit in group.hits:
                title = f"{hit.title}  ({hit.flag})" if hit.flag else hit.title
                item = QTreeWidgetItem(heading, [title, hit.detail])
                item.setData(0, HIT_ROLE, hit)
                item.setToolTip(0, hit.title)
            if group.more:
                more = QTreeWidgetItem(heading, [group.more_text])
                more.setFlags(Qt.ItemFlag.ItemIsEnabled)
                more.setForeground(0, self.palette().placeholderText())
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        if not results.groups:
            self.note.setText(f"Nothing matches “{searched}”.")
        else:
            self.note.setText(results.note)
        self.note.setVisible(bool(self.note.text()))
        first = self.hit_items()
        if first:
            self.tree.setCurrentItem(first[0])

    def hit_items(self) -> list[QTreeWidgetItem]:
        items = []
        for g in range(self.tree.topLevelItemCount()):
            heading = self.tree.topLevelItem(g)
            children = (heading.child(i) for i in range(heading.childCount()))
            items += [c for c in children if c.data(0, HIT_ROLE)]
        return items

    def step(self, by: int) -> None:
        items = self.hit_items()
        if not items:
            return
        current = self.tree.currentItem()
        at = items.index(current) if current in items else -1
        self.tree.setCurrentItem(items[max(0, min(len(items) - 1, at + by))])

    def current_hit(self) -> Hit | None:
        item = self.tree.currentItem()
        hit = item.data(0, HIT_ROLE) if item is not None else None
        return hit if isinstance(hit, Hit) else None


class SearchBox(QLineEdit):
    """The box: ``search`` answers its text; ``opened`` is the hit chosen."""

    opened = Signal(object)

    def __init__(self, parent: QWidget, over: QWidget) -> None:
        """``over``: the window the results are drawn over."""
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setPlaceholderText("Search everything (Ctrl+Shift+F)")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(240)
        self.search: object = None  # Callable[[str], Results], set by SearchActions
        self.popup = ResultsPopup(over)
        self.pause = QTimer(self)
        self.pause.setSingleShot(True)
        self.pause.setInterval(PAUSE_MS)
        self.pause.timeout.connect(self._search_now)
        self.textChanged.connect(self._on_text)
        self.popup.tree.itemDoubleClicked.connect(lambda item, _column: self._open(item.data(0, HIT_ROLE)))

    def _on_text(self, text: str) -> None:
        if len(text.strip()) < MIN_CHARACTERS or not callable(self.search):
            self.pause.stop()
            self.popup.hide()
            return
        self.pause.start()

    def _search_now(self) -> None:
        self.pause.stop()
        text = self.text()
        if len(text.strip()) < MIN_CHARACTERS or not callable(self.search):
            return
        self.popup.show_results(self.search(text), text.strip())
        self.popup.move(self.mapTo(self.popup.parentWidget(), QPoint(0, self.height())))
        self.popup.show()
        self.popup.raise_()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.popup.isVisible() and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.popup.step(1 if key == Qt.Key.Key_Down else -1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            self.popup.isVisible() or self.pause.isActive()
        ):
            if self.pause.isActive():  # typed and Enter at once: what was typed, not the list before
                self._search_now()
            self._open(self.popup.current_hit())
        elif key == Qt.Key.Key_Escape and self.popup.isVisible():
            self.popup.hide()
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: QEvent) -> None:  # type: ignore[override]
        super().focusOutEvent(event)  # type: ignore[arg-type]
        if not self.popup.underMouse() and self.popup.isVisible():
            self.popup.hide()

    def _open(self, hit: object) -> None:
        if isinstance(hit, Hit):
            self.popup.hide()
            self.opened.emit(hit)
