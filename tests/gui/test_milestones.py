"""Project › Milestones… and Edit › Project types… through the window, on the demo: the MedTech
booth's milestones sorted by Due, ticked done and undone, From template once (its undo takes back
what it added), due days that follow a show moved in Project details; a type's template edited in
the same editor, a refused offset saying why."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from app.services import master_data
from app.services.schedule.milestones import MILESTONES
from app.services.schedule.templates import MILESTONE_TEMPLATES
from app.ui.main_window import MainWindow
from app.ui.master_data import MasterDataDialog
from app.ui.schedule.milestones import open_templates
from tests.gui.helpers import type_into_cell
from tests.gui.test_kits import pick
from tests.gui.test_master_data_editor import column, index_of, shown_names
from tests.gui.test_project_dialogs import MEDTECH, open_details, save_picture, type_field

pytestmark = pytest.mark.gui
BY_DUE = [
    "Design approval",
    "Exhibitor services forms",  # fixed: the show's own deadline
    "Advance freight window",
    "Ship to the advance warehouse",
    "Load-in",
    "Show open",
    "Strike",
    "Invoice",
]


def open_milestones(qtbot: Any, window: MainWindow) -> MasterDataDialog:
    action = window.project_actions.milestones_action
    assert action in window.menuBar().findChild(QMenu, "projectMenu").actions()
    assert action.isEnabled()
    action.trigger()
    project = window.project_actions.current_project()
    editor = window.project_actions.milestones.editors[project]
    qtbot.waitExposed(editor)
    qtbot.waitUntil(lambda: len(editor.model.rows) == len(BY_DUE))
    return editor


def due(editor: MasterDataDialog, name: str) -> str:
    return str(index_of(editor, name, "due").data())


def stored(editor: MasterDataDialog, name: str) -> master_data.RecordRow:
    return next(r for r in master_data.load(editor.db, MILESTONES, editor.owner) if r.values["name"] == name)


def test_a_projects_milestones_ticked_from_template_and_following_the_show(
    qtbot: Any, window: MainWindow, dialogs: Any, qtmodeltester: Any
) -> None:
    editor = open_milestones(qtbot, window)
    assert editor.windowTitle() == f"Milestones — {MEDTECH}"
    qtmodeltester.check(editor.model, force_py=False)
    assert shown_names(editor) == BY_DUE
    assert [due(editor, n) for n in ("Design approval", "Advance freight window", "Invoice")] == [
        "25 Jan 2027",
        "6 Feb – 3 Mar 2027",
        "14 Mar 2027",
    ]
    worked_out = index_of(editor, "Load-in", "due")
    assert not worked_out.flags() & Qt.ItemFlag.ItemIsEditable  # the due day is shown, never typed
    save_picture(editor, "milestones.png")
    # Ticked done, then Undo.
    pick(qtbot, editor, index_of(editor, "Design approval", "done"), "Yes")
    qtbot.waitUntil(lambda: index_of(editor, "Design approval", "done").data() == "Yes")
    assert stored(editor, "Design approval").values["done"] is True
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: index_of(editor, "Design approval", "done").data() == "No")
    assert stored(editor, "Design approval").values["done"] is False
    # A milestone deleted comes back From template, once; its undo takes back just that one.
    editor.table.setCurrentIndex(index_of(editor, "Ship to the advance warehouse", "name"))
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(editor.model.rows) == 7)
    button = editor.findChild(type(editor.delete_button), "milestonesFromTemplateButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown_names(editor) == BY_DUE)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert editor.message.text() == "The project already has every milestone of the Exhibit booth template."
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(editor.model.rows) == 7)
    assert "Ship to the advance warehouse" not in shown_names(editor)
    # The show moved a week earlier in Project details: the due days follow, the fixed one stays.
    details = open_details(qtbot, window, MEDTECH)
    assert details.field("project_type_id").currentText() == "Exhibit booth"
    type_field(qtbot, details.field("start_date"), "2027-03-01")
    qtbot.waitUntil(lambda: due(editor, "Design approval") == "18 Jan 2027")
    assert due(editor, "Exhibitor services forms") == "29 Jan 2027"
    details.close()
    editor.close()


def test_a_project_types_template_is_edited_in_the_same_editor(
    qtbot: Any, window: MainWindow, qtmodeltester: Any
) -> None:
    action = window.editor_actions.project_types_action
    assert (
        action.objectName() == "actionProjectTypes"
        and action in window.menuBar().actions()[1].menu().actions()
    )
    action.trigger()
    types = window.editor_actions.master_editors["project_types"]
    assert types.isVisible()
    assert shown_names(types) == ["Exhibit booth", "Conference", "Concert"]
    types.table.setCurrentIndex(index_of(types, "Concert", "name"))
    qtbot.mouseClick(
        types.findChild(type(types.add_button), "projectTypesMilestonesButton"), Qt.MouseButton.LeftButton
    )
    template = types.templates_editor  # type: ignore[attr-defined]
    assert template.isVisible() and template.windowTitle() == "Milestones of Concert"
    qtmodeltester.check(template.model, force_py=False)
    assert len(template.model.rows) == 7
    offset = template.model.index(0, column(template, "offset_days"))
    type_into_cell(qtbot, template.table, offset, "-800")
    assert template.message.text() == "Offset must be at least -730."
    type_into_cell(qtbot, template.table, template.model.index(0, column(template, "offset_days")), "-28")
    qtbot.waitUntil(
        lambda: (
            master_data.load(window.db, MILESTONE_TEMPLATES, template.owner)[0].values["offset_days"] == -28
        )
    )
    template.close()
    types.close()
    assert open_templates(types, None) is not None  # the selected type's, again
    types.templates_editor.close()  # type: ignore[attr-defined]
