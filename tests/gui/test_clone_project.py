"""Project › Clone for next year… in the window, on the demo: "Spring Gala 2027" (load-in Sat 24 Apr
2027) suggested as "Spring Gala 2028" moved 364 days to Sat 22 Apr 2028 (2028 a leap year: a year
is 366 days there, 52 weeks two fewer); picking the load-in sets the offset; OK selects the copy in
the navigator, Edit › Undo takes it back and Redo brings it again."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QMenu
from sqlalchemy import select

from app.models import Project
from app.models.enums import ProjectStatus
from app.services.estimate.document import EstimateDocument
from app.services.projects.counting import counting_estimate
from app.services.storage.database import Database
from app.ui.main_window import MainWindow
from app.ui.projects.clone_dialog import CloneProjectDialog
from tests.gui.test_acceptance_company import click_in_navigator

PROJECT_T = Project.__table__  # type: ignore[attr-defined]
GALA = "Spring Gala 2027"


def _live(db: Database, name: str) -> list[Any]:
    with db.read() as conn:
        return conn.execute(
            select(PROJECT_T).where(PROJECT_T.c.name == name, PROJECT_T.c.deleted_at.is_(None))
        ).all()


def test_clone_for_next_year_from_the_menu_then_undo(
    qtbot: Any, window: MainWindow, demo_db: Database
) -> None:
    win = window
    click_in_navigator(qtbot, win, GALA)
    clone_action = win.findChild(QAction, "actionCloneProject")
    assert clone_action in win.findChild(QMenu, "projectMenu").actions() and clone_action.isEnabled()
    clone_action.trigger()
    dialog = win.findChild(CloneProjectDialog, "cloneProjectDialog")
    qtbot.waitExposed(dialog)
    assert (dialog.name_edit.text(), dialog.offset_box.value()) == ("Spring Gala 2028", 364)
    assert dialog.load_in_edit.date() == QDate(2028, 4, 22)
    dialog.load_in_edit.setDate(QDate(2028, 4, 29))  # a week later: the offset follows
    assert dialog.offset_box.value() == 371
    dialog.load_in_edit.setDate(QDate(2028, 4, 22))
    assert dialog.offset_box.value() == 364
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(_live(demo_db, "Spring Gala 2028")) == 1)
    (new,) = _live(demo_db, "Spring Gala 2028")
    (old,) = _live(demo_db, GALA)
    assert (new.status, new.start_date, new.start_date.weekday()) == (
        ProjectStatus.ESTIMATING.value,
        date(2028, 4, 22),
        old.start_date.weekday(),
    )
    assert win.navigator.current_of("project") == new.id
    with demo_db.read() as conn:
        copied, source = counting_estimate(conn, new.id), counting_estimate(conn, old.id)
    assert copied is not None and source is not None
    assert EstimateDocument(demo_db, copied).totals.total == EstimateDocument(demo_db, source).totals.total

    undo = win.findChild(QAction, "actionUndo")
    assert undo.text() == "Undo Clone for next year"
    undo.trigger()
    assert _live(demo_db, "Spring Gala 2028") == []
    assert len(_live(demo_db, GALA)) == 1
    win.findChild(QAction, "actionRedo").trigger()
    assert [p.id for p in _live(demo_db, "Spring Gala 2028")] == [new.id]
