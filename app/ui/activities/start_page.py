"""View › Start page: the account manager's desk on one page, My follow-ups first.

A plain vertical stack of panels under headings; :meth:`StartPage.add_panel` puts another one
below (a pipeline summary, …). It opens by itself when a database is opened if the user ticked
*View › Show the start page on opening* (kept in their settings). Unticked for a new user: Tandem's
users open it on the estimate they worked on last, and a start page that comes forward uninvited
would hide it; an account manager ticks it once and starts every day on their follow-ups.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.ui.activities.follow_ups_panel import FollowUpsPanel

ON_OPENING_KEY = "start_page/on_opening"


def shows_on_opening(settings: QSettings | None) -> bool:
    """The user's choice; a new user's (nothing kept) is no."""
    return settings is not None and bool(settings.value(ON_OPENING_KEY, False, bool))


class StartPage(QWidget):
    def __init__(self, settings: QSettings | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        self.panels = QVBoxLayout(self)
        self.panels.setContentsMargins(12, 10, 12, 10)
        self.panels.setSpacing(6)
        self.follow_ups = FollowUpsPanel(settings, self, "startFollowUps")
        self.add_panel("My follow-ups", self.follow_ups, stretch=1)

    def add_panel(self, title: str, panel: QWidget, stretch: int = 0) -> QLabel:
        """``panel`` under its heading, below the others; its heading returned (to hide with it)."""
        heading = QLabel(title, self)
        heading.setObjectName(f"startHeading{''.join(w.capitalize() for w in title.split())}")
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        heading.setFont(font)
        self.panels.addWidget(heading)
        self.panels.addWidget(panel, stretch)
        return heading
