"""IdleReload: a reload asked for while a cell is being edited runs once, after the editor has closed."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView

from app.ui.idle_reload import IdleReload
from tests.gui.helpers import finish_typing, start_typing, tab_to_next_cell

pytestmark = pytest.mark.gui


@pytest.fixture
def table(qtbot: Any) -> QTableView:
    model = QStandardItemModel(2, 2)
    for row in range(2):
        for column in range(2):
            model.setItem(row, column, QStandardItem(f"{row}{column}"))
    view = QTableView()
    view.setModel(model)
    model.setParent(view)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_reload_waits_for_the_editor_and_runs_once(qtbot: Any, table: QTableView) -> None:
    reloads: list[int] = []
    gate = IdleReload(lambda: reloads.append(1), lambda: (table,), table)
    gate.request()
    assert reloads == [1] and not gate.pending  # nothing open: at once
    model = table.model()
    first = start_typing(qtbot, table, model.index(0, 0), "a")
    gate.request()
    gate.request()
    assert reloads == [1] and gate.pending
    second = tab_to_next_cell(qtbot, table, first, "b")  # saves, and the next cell opens
    after: list[int] = []
    QTimer.singleShot(0, lambda: after.append(1))  # runs after the gate's look on the editor closing
    qtbot.waitUntil(lambda: bool(after))
    assert table.state() == QAbstractItemView.State.EditingState and gate.pending and reloads == [1]
    finish_typing(qtbot, table, second)
    qtbot.waitUntil(lambda: not gate.pending)
    assert reloads == [1, 1]  # the two requests made meanwhile: one reload
    assert (model.index(0, 0).data(), model.index(0, 1).data()) == ("a", "b")
