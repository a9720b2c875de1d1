"""The pipeline board: one column per open stage, its totals in its header, its cards drawn compactly.

A column's cards are painted by one widget (:class:`CardList`: only those in view are drawn, so
2,000 cards cost no more widgets than five columns). A card is dragged with the mouse — pressed,
moved past the drag distance, released over another column — and the board asks for the move with
``moveRequested(card, status)``; nothing is moved here (the panel's actions run the status command,
which asks what the move needs). A double click is ``cardActivated(card)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ProjectStatus
from app.services.money import format_number
from app.services.pipeline.board import Card, StageColumn
from app.ui.pipeline.cells import (
    margin_text,
    price_text,
    probability_text,
    short_date,
    show_dates,
    tooltip,
    whole,
)

CARD_HEIGHT = 60  # at least; four lines of the font
GAP = 6
STAGE_COLOURS = {
    ProjectStatus.LEAD: "#64748b",
    ProjectStatus.ESTIMATING: "#0ea5e9",
    ProjectStatus.QUOTED: "#6366f1",
    ProjectStatus.WON: "#16a34a",
    ProjectStatus.IN_PRODUCTION: "#0f766e",
}
STALE = QColor("#d97706")
WARNING = QColor("#ca8a04")


class CardList(QWidget):
    """The cards of one column, painted; press, move and release drag one to another column."""

    def __init__(self, board: BoardView, status: ProjectStatus) -> None:
        super().__init__()
        self.board, self.status = board, status
        self.setObjectName(f"pipelineCards_{status.value}")
        self.cards: list[Card] = []
        self.setMouseTracking(False)
        self._pressed: tuple[int, QPoint] | None = None
        self._dragging = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_cards(self, cards: Sequence[Card]) -> None:
        self.cards = list(cards)
        self.setFixedHeight(max(self.card_height, len(self.cards) * (self.card_height + GAP) + GAP))
        self.update()

    @property
    def card_height(self) -> int:
        """Four lines of text and a margin: the board's font decides."""
        return max(CARD_HEIGHT, 4 * QFontMetrics(self.font()).height() + 14)

    def card_rect(self, index: int) -> QRect:
        height = self.card_height
        return QRect(GAP, GAP + index * (height + GAP), self.width() - 2 * GAP, height)

    def index_at(self, pos: QPoint) -> int:
        index = (pos.y() - GAP) // (self.card_height + GAP)
        if 0 <= index < len(self.cards) and self.card_rect(index).contains(pos):
            return int(index)
        return -1

    def sizeHint(self) -> QSize:
        return QSize(250, self.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shown = event.rect()
        step = self.card_height + GAP
        first = max(0, (shown.top() - GAP) // step)
        last = min(len(self.cards) - 1, shown.bottom() // step)
        for index in range(first, last + 1):
            self._paint_card(painter, self.card_rect(index), self.cards[index])
        if not self.cards:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No projects")
        painter.end()

    def _paint_card(self, painter: QPainter, rect: QRect, card: Card) -> None:
        palette = self.palette()
        dragged = self._dragging and self._pressed is not None and self.cards[self._pressed[0]] is card
        painter.setPen(QPen(QColor("#cbd5e1"), 1))
        painter.setBrush(QColor("#f1f5f9") if dragged else palette.base().color())
        painter.drawRoundedRect(rect, 5, 5)
        bar = STALE if card.stale else QColor(STAGE_COLOURS.get(card.status, "#64748b"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bar)
        painter.drawRoundedRect(QRect(rect.left(), rect.top(), 4, rect.height()), 2, 2)
        inner = rect.adjusted(10, 5, -8, -5)
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1))
        line = QFontMetrics(self.font()).height()
        text = palette.text().color()
        muted = palette.placeholderText().color()
        currency, today = self.board.currency, self.board.today
        # 1: the project, and its win probability on the right.
        painter.setFont(bold)
        painter.setPen(text)
        right = probability_text(card) if card.own_probability else f"{format_number(card.probability_pct)} %"
        right_w = QFontMetrics(bold).horizontalAdvance(right) + 6
        painter.drawText(
            QRect(inner.left(), inner.top(), inner.width() - right_w, line),
            Qt.AlignmentFlag.AlignLeft,
            QFontMetrics(bold).elidedText(card.project, Qt.TextElideMode.ElideRight, inner.width() - right_w),
        )
        painter.setPen(QColor("#4338ca") if card.own_probability else muted)
        painter.drawText(
            QRect(inner.left(), inner.top(), inner.width(), line), Qt.AlignmentFlag.AlignRight, right
        )
        # 2: client · AM / PM.
        painter.setFont(small)
        painter.setPen(muted)
        people = " / ".join(p for p in (card.account_manager, card.project_manager) if p)
        second = f"{card.client} · {people}" if people else card.client
        painter.drawText(
            QRect(inner.left(), inner.top() + line, inner.width(), line),
            Qt.AlignmentFlag.AlignLeft,
            QFontMetrics(small).elidedText(second, Qt.TextElideMode.ElideRight, inner.width()),
        )
        # 3: the price (range), weighted; the margin in the PM's view.
        painter.setFont(self.font())
        painter.setPen(text)
        third = price_text(card, currency)
        painter.drawText(
            QRect(inner.left(), inner.top() + 2 * line, inner.width(), line),
            Qt.AlignmentFlag.AlignLeft,
            third,
        )
        extra = f"→ {whole(card.weighted, currency)}"
        if self.board.pm_view and card.margin_pct is not None:
            extra = f"{margin_text(card)} · {extra}"
        painter.setPen(muted)
        painter.drawText(
            QRect(inner.left(), inner.top() + 2 * line, inner.width(), line),
            Qt.AlignmentFlag.AlignRight,
            extra,
        )
        # 4: show dates · decision · follow-up · stale / warning.
        painter.setFont(small)
        bits = [show_dates(card) or "no dates"]
        if card.decision_date:
            bits.append(f"decide {short_date(card.decision_date)}")
        if card.follow_up:
            overdue = card.follow_up < today
            bits.append(("overdue " if overdue else "next ") + short_date(card.follow_up))
        fourth = " · ".join(bits)
        flag = "⚠ over-booked" if card.warning else "stale" if card.stale else ""
        flag_w = QFontMetrics(small).horizontalAdvance(flag) + 6 if flag else 0
        painter.setPen(muted)
        painter.drawText(
            QRect(inner.left(), inner.top() + 3 * line, inner.width() - flag_w, line),
            Qt.AlignmentFlag.AlignLeft,
            QFontMetrics(small).elidedText(fourth, Qt.TextElideMode.ElideRight, inner.width() - flag_w),
        )
        if flag:
            painter.setPen(WARNING if card.warning else STALE)
            painter.drawText(
                QRect(inner.left(), inner.top() + 3 * line, inner.width(), line),
                Qt.AlignmentFlag.AlignRight,
                flag,
            )

    # -- the mouse: drag and double click ------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and index >= 0:
            self._pressed = (index, event.position().toPoint())
            self._dragging = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pressed is not None:
            moved = (event.position().toPoint() - self._pressed[1]).manhattanLength()
            if moved >= QApplication.startDragDistance():
                if not self._dragging:
                    self._dragging = True
                    self.setCursor(Qt.CursorShape.ClosedHandCursor)
                    self.update()
                self.board.hover(self.mapToGlobal(event.position().toPoint()))
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pressed, dragging = self._pressed, self._dragging
        self._pressed, self._dragging = None, False
        self.unsetCursor()
        self.update()
        if pressed is not None and dragging:
            self.board.drop(self.cards[pressed[0]], self.mapToGlobal(event.position().toPoint()))
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().toPoint())
        if index >= 0:
            self.board.cardActivated.emit(self.cards[index])

    def event(self, event) -> bool:  # type: ignore[no-untyped-def]
        if event.type() == event.Type.ToolTip:
            index = self.index_at(event.pos())
            if index >= 0:
                card = self.cards[index]
                self.setToolTip(tooltip(card, self.board.currency, self.board.today, self.board.pm_view))
            else:
                self.setToolTip("")
        return super().event(event)


class StageColumnWidget(QFrame):
    def __init__(self, board: BoardView, status: ProjectStatus) -> None:
        super().__init__()
        self.status = status
        self.setObjectName(f"pipelineColumn_{status.value}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(240)
        self.title = QLabel(self)
        self.title.setObjectName(f"pipelineColumnTitle_{status.value}")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.cards = CardList(board, status)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.cards)
        scroll.viewport().setAutoFillBackground(False)  # the column's colour behind the cards
        self.cards.setAutoFillBackground(False)
        self.scroll = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        self.set_highlight(False)

    def show_column(self, column: StageColumn, currency: str) -> None:
        colour = STAGE_COLOURS.get(column.status, "#64748b")
        setting = column.setting
        value = whole(column.value, currency)
        weighted = whole(column.weighted, currency)
        self.title.setText(
            f"<span style='color:{colour}; font-weight:600'>{column.status.label.upper()}</span>"
            f"&nbsp;&nbsp;<span style='color:#64748b'>{column.count}</span><br>"
            f"<b>{value}</b>"
            f"<span style='color:#64748b'>&nbsp;·&nbsp;weighted {weighted}</span>"
        )
        self.title.setToolTip(
            f"{column.status.label}: {column.count} projects worth {value}, weighted {weighted}. The stage's "
            f"win probability is {format_number(setting.win_probability_pct)} %; a card is stale after "
            f"{setting.stale_after_days} "
            "days without activity (Edit › Pipeline stages…)."
        )
        self.cards.set_cards(column.cards)

    def set_highlight(self, on: bool) -> None:
        self.setStyleSheet(
            f"#pipelineColumn_{self.status.value} {{ background: {'#e0e7ff' if on else '#f8fafc'}; "
            f"border: 1px solid {'#6366f1' if on else '#e2e8f0'}; border-radius: 6px; }}"
        )


class BoardView(QWidget):
    moveRequested = Signal(object, object)  # Card, ProjectStatus
    cardActivated = Signal(object)  # Card

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pipelineBoard")
        self.currency = "USD"
        self.today = date.today()
        self.pm_view = False
        self.columns: dict[ProjectStatus, StageColumnWidget] = {}
        # Where a card may be dropped: the columns, and the folded strip's buttons (lost, cancelled…).
        self.targets: dict[ProjectStatus, QWidget] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self._highlighted: ProjectStatus | None = None

    def show_columns(self, columns: Sequence[StageColumn], currency: str, today: date, pm_view: bool) -> None:
        self.currency, self.today, self.pm_view = currency, today, pm_view
        layout = self.layout()
        for column in columns:
            widget = self.columns.get(column.status)
            if widget is None:
                widget = self.columns[column.status] = StageColumnWidget(self, column.status)
                self.targets[column.status] = widget
                layout.addWidget(widget, 1)
            widget.show_column(column, currency)

    def column_at(self, global_pos: QPoint) -> ProjectStatus | None:
        for status, widget in self.targets.items():
            if widget.isVisible() and widget.rect().contains(widget.mapFromGlobal(global_pos)):
                return status
        return None

    def hover(self, global_pos: QPoint) -> None:
        over = self.column_at(global_pos)
        if over != self._highlighted:
            for status, on in ((self._highlighted, False), (over, True)):
                target = self.targets.get(status) if status is not None else None
                if target is not None:
                    target.setProperty("dropTarget", on)
                    if isinstance(target, StageColumnWidget):
                        target.set_highlight(on)
                    else:
                        target.setDown(on)  # type: ignore[attr-defined]
            self._highlighted = over

    def drop(self, card: Card, global_pos: QPoint) -> None:
        self.hover(QPoint(-10_000, -10_000))
        target = self.column_at(global_pos)
        if target is not None and target != card.status:
            self.moveRequested.emit(card, target)
