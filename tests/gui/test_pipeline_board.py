"""View › Pipeline through the real window on the demo: the board's columns and totals, cards dragged
with the mouse quoted → won (the scenario asked) and quoted → lost (the reason asked), undone with
Edit › Undo; the filters; the table sorted by a header click; the AM's view with no cost or margin
in any role of any cell; and Edit › Pipeline stages… changing a stage's probability."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from app.models import Project
from app.models.enums import ProjectStatus
from app.services.storage.database import Database
from app.ui.main_window import MainWindow
from app.ui.pipeline.board_view import CardList
from app.ui.pipeline.panel import PipelinePanel
from app.ui.pipeline.table_model import PipelineTableModel
from tests.gui.conftest import FakeDialogs
from tests.gui.helpers import all_model_text
from tests.gui.test_project_dialogs import type_field

pytestmark = pytest.mark.gui
P = Project.__table__  # type: ignore[attr-defined]
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def open_pipeline(qtbot: Any, win: MainWindow) -> PipelinePanel:
    """Ctrl+Alt+P, as the user presses it."""
    if QApplication.activeWindow() is not win:
        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.navigator.view.setFocus()
    qtbot.keyClick(win.navigator.view, Qt.Key.Key_P, CTRL_ALT)
    panel: PipelinePanel = win.desk.pipeline.panel
    qtbot.waitUntil(lambda: panel.is_loaded() and panel.isVisible() and bool(panel.pipeline.cards))
    qtbot.waitExposed(panel.board)
    return panel


def status_of(db: Database, project: str) -> str:
    with db.read() as conn:
        return str(conn.execute(select(P.c.status).where(P.c.name == project)).scalar_one())


def drag(qtbot: Any, panel: PipelinePanel, project: str, target: QWidget) -> None:
    """Press on the card, move in steps over the target, release there: real mouse events."""
    cards = next(
        c.cards for c in panel.board.columns.values() if any(k.project == project for k in c.cards.cards)
    )
    index = next(i for i, k in enumerate(cards.cards) if k.project == project)
    start = cards.card_rect(index).center()
    end = cards.mapFromGlobal(target.mapToGlobal(target.rect().center()))
    QTest.mousePress(cards, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(cards, start + (end - start) * step / 5)
    QTest.mouseRelease(cards, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def column_cards(panel: PipelinePanel, status: ProjectStatus) -> list[str]:
    return [c.project for c in panel.board.columns[status].cards.cards]


def test_board_columns_and_totals(qtbot: Any, window: MainWindow) -> None:
    panel = open_pipeline(qtbot, window)
    assert list(panel.board.columns) == [
        ProjectStatus.LEAD,
        ProjectStatus.ESTIMATING,
        ProjectStatus.QUOTED,
        ProjectStatus.WON,
        ProjectStatus.IN_PRODUCTION,
    ]
    quoted = panel.board.columns[ProjectStatus.QUOTED]
    assert sorted(column_cards(panel, ProjectStatus.QUOTED)) == [
        "Orbital partner summit",
        "Vantage @ MedTech Expo",
    ]
    title = quoted.title.text()
    assert "QUOTED" in title and ">2<" in title
    assert "$116,580" in title and "weighted $58,290" in title
    assert isinstance(quoted.cards, CardList) and quoted.cards.isVisible()


def test_drag_quoted_to_won_asks_the_scenario_and_to_lost_asks_the_reason(
    qtbot: Any, window: MainWindow, demo_db: Database, dialogs: FakeDialogs
) -> None:
    panel = open_pipeline(qtbot, window)
    won = panel.board.columns[ProjectStatus.WON]
    dialogs.answers = [1]  # the second scenario
    drag(qtbot, panel, "Vantage @ MedTech Expo", won)
    assert dialogs.shown[-1][:2] == ("choose_item", "Mark won")
    assert status_of(demo_db, "Vantage @ MedTech Expo") == "won"
    qtbot.waitUntil(lambda: "Vantage @ MedTech Expo" in column_cards(panel, ProjectStatus.WON))
    # Lost: the reason asked (the demo's reasons, or typed).
    lost_button = panel.folded_buttons[ProjectStatus.LOST]
    dialogs.answers = ["Budget cut"]  # the demo has no list of reasons: typed
    drag(qtbot, panel, "Orbital partner summit", lost_button)
    assert dialogs.shown[-1][1] == "Mark lost", dialogs.shown
    assert status_of(demo_db, "Orbital partner summit") == "lost", dialogs.shown
    qtbot.waitUntil(lambda: "Lost 1" in lost_button.text())
    # Edit › Undo takes the loss back.
    window.findChild(QAction, "actionUndo").trigger()
    assert status_of(demo_db, "Orbital partner summit") == "quoted"
    qtbot.waitUntil(lambda: "Orbital partner summit" in column_cards(panel, ProjectStatus.QUOTED))
    # A move not allowed (won → lead) says why and changes nothing.
    errors = len([s for s in dialogs.shown if s[0] == "error"])
    drag(qtbot, panel, "Spring Gala 2027", panel.board.columns[ProjectStatus.LEAD])
    assert len([s for s in dialogs.shown if s[0] == "error"]) == errors + 1
    assert status_of(demo_db, "Spring Gala 2027") == "won"


def test_filters_and_table_sort(qtbot: Any, window: MainWindow) -> None:
    panel = open_pipeline(qtbot, window)
    qtbot.keyClicks(panel.text_filter, "orbital")
    shown = [c.project for column in panel.board.columns.values() for c in column.cards.cards]
    assert sorted(shown) == ["Orbital Summit keynote", "Orbital partner summit"]
    panel.text_filter.clear()
    panel.client_filter.setCurrentIndex(panel.client_filter.findText("Vantage Medical"))
    assert [c.project for column in panel.board.columns.values() for c in column.cards.cards] == [
        "Vantage @ MedTech Expo"
    ]
    panel.client_filter.setCurrentIndex(0)
    panel.table_action.trigger()
    assert panel.stack.currentWidget() is panel.table
    model = panel.model
    price = next(i for i, c in enumerate(model.columns) if c.key == "price")
    header = panel.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(price) + 5, header.height() // 2),
    )
    prices = [model.card_at(r).price for r in range(model.rowCount())]
    assert prices == sorted(prices) or prices == sorted(prices, reverse=True)
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(price) + 5, header.height() // 2),
    )
    again = [model.card_at(r).price for r in range(model.rowCount())]
    assert again == list(reversed(prices)) and len(again) == 4


def test_table_model_passes_the_model_tester(qtbot: Any, qtmodeltester: Any, window: MainWindow) -> None:
    panel = open_pipeline(qtbot, window)
    qtmodeltester.check(panel.model)
    panel.set_pm_view(True)
    qtmodeltester.check(panel.model)


def _secrets(panel: PipelinePanel) -> list[str]:
    """Every cost and margin of the cards, as the board's texts would show them."""
    out = []
    for card in panel.pipeline.cards:
        if card.margin_pct is not None:
            out += [f"{card.margin_pct:.1f} %", f"{card.margin_pct:.2f}"]
        out.append(f"{card.cost:,.2f}")
    return out


def test_the_am_view_shows_no_cost_or_margin_in_any_role(qtbot: Any, window: MainWindow) -> None:
    panel = open_pipeline(qtbot, window)
    assert not window.desk.pm_view
    panel.table_action.trigger()
    roles = (*range(300), Qt.ItemDataRole.UserRole + 1)
    texts = all_model_text(panel.model, roles)
    assert texts and not any(secret in text for text in texts for secret in _secrets(panel))
    assert not any("Margin" in text or "margin" in text for text in texts)
    board_tips = [
        panel.board.columns[s].title.toolTip() + panel.board.columns[s].title.text()
        for s in panel.board.columns
    ]
    assert not any("argin" in tip for tip in board_tips)
    # The PM's view: the margin column is there, with the demo's margins.
    window.findChild(QAction, "actionPmView").trigger()
    assert window.desk.pm_view
    model: PipelineTableModel = panel.model
    assert any(c.key == "margin" for c in model.columns)
    texts = all_model_text(model, (Qt.ItemDataRole.DisplayRole,))
    assert any(secret in text for text in texts for secret in _secrets(panel))


def test_pipeline_stages_editor_changes_a_stage_probability(
    qtbot: Any, window: MainWindow, demo_db: Database
) -> None:
    panel = open_pipeline(qtbot, window)
    window.findChild(QAction, "actionPipelineStages").trigger()
    dialog = window.desk.pipeline.stages_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.add_button.isVisible() and not dialog.delete_button.isVisible()
    model = dialog.model
    stages = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert stages == ["Lead", "Estimating", "Quoted", "Won", "In production"]
    assert model.setData(model.index(2, 1), "60", Qt.ItemDataRole.EditRole)
    qtbot.waitUntil(lambda: panel.is_loaded() and panel.pipeline.stages["quoted"].win_probability_pct == 60)
    assert "weighted $69,948" in panel.board.columns[ProjectStatus.QUOTED].title.text()
    assert not model.setData(model.index(2, 1), "140", Qt.ItemDataRole.EditRole)
    assert panel.pipeline.stages["quoted"].win_probability_pct == Decimal(60)


def test_double_click_opens_the_details_where_probability_and_decision_date_are_edited(
    qtbot: Any, window: MainWindow, demo_db: Database
) -> None:
    panel = open_pipeline(qtbot, window)
    cards = panel.board.columns[ProjectStatus.QUOTED].cards
    index = next(i for i, k in enumerate(cards.cards) if k.project == "Orbital partner summit")
    qtbot.mouseDClick(cards, Qt.MouseButton.LeftButton, pos=cards.card_rect(index).center())
    project_id = cards.cards[index].project_id
    dialog = window.project_actions.project_dialogs.get(project_id)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    type_field(qtbot, dialog.field("win_probability_pct"), "140")
    assert "Win probability" in dialog.message.text()
    type_field(qtbot, dialog.field("win_probability_pct"), "75")
    type_field(qtbot, dialog.field("decision_date"), "2027-04-20")
    with demo_db.read() as conn:
        row = conn.execute(
            select(P.c.win_probability_pct, P.c.decision_date).where(P.c.id == project_id)
        ).one()
    assert (row.win_probability_pct, row.decision_date) == (Decimal(75), date(2027, 4, 20))
    window.activateWindow()
    qtbot.waitUntil(
        lambda: any(
            c.project_id == project_id and c.own_probability and c.probability_pct == 75
            for c in panel.pipeline.cards
        )
    )
    field = dialog.field("win_probability_pct")
    field.clear()  # blank: the stage's again
    qtbot.keyClick(field, Qt.Key.Key_Return)
    with demo_db.read() as conn:
        assert conn.execute(select(P.c.win_probability_pct).where(P.c.id == project_id)).scalar() is None
    dialog.close()


def test_a_card_changed_by_someone_else_is_not_moved_and_the_board_reads_again(
    qtbot: Any, window: MainWindow, demo_db: Database, dialogs: FakeDialogs
) -> None:
    panel = open_pipeline(qtbot, window)
    with demo_db.write() as conn:  # another user renames it meanwhile (its version moves on)
        conn.execute(
            P.update()
            .where(P.c.name == "Orbital partner summit")
            .values(name="Orbital partner summit 2", version=P.c.version + 1)
        )
    drag(qtbot, panel, "Orbital partner summit", panel.board.columns[ProjectStatus.WON])
    assert dialogs.shown[-1][0] == "error" and "changed by someone else" in dialogs.shown[-1][2]
    assert status_of(demo_db, "Orbital partner summit 2") == "quoted"
    qtbot.waitUntil(lambda: "Orbital partner summit 2" in column_cards(panel, ProjectStatus.QUOTED))


def test_others_changes_show_when_the_navigator_reads_again(
    qtbot: Any, window: MainWindow, demo_db: Database
) -> None:
    panel = open_pipeline(qtbot, window)
    with demo_db.write() as conn:  # another user marks the keynote estimating (their window's move)
        conn.execute(
            P.update()
            .where(P.c.name == "Orbital Summit keynote")
            .values(status="estimating", version=P.c.version + 1)
        )
    assert "Orbital Summit keynote" in column_cards(panel, ProjectStatus.LEAD)
    window.navigator.load(demo_db)  # what the poll does when it sees others' changes
    qtbot.waitUntil(lambda: "Orbital Summit keynote" in column_cards(panel, ProjectStatus.ESTIMATING))
    assert column_cards(panel, ProjectStatus.LEAD) == []
