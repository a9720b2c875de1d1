"""Edit › Catalog…, Suppliers…, Catalog categories…: the one master-data editor, driven as a user does."""

from __future__ import annotations

import os
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QPlainTextEdit

from app.services import master_data
from app.services.catalog.categories import CATEGORIES
from app.services.catalog.items import CATALOG_ITEMS
from app.services.catalog.suppliers import SUPPLIERS
from app.services.storage.database import open_database
from app.ui.catalog.editors import suppliers_editor
from tests.gui.helpers import finish_typing, start_typing, still_typing, type_into_cell

pytestmark = pytest.mark.gui
DOCS_IMAGE = Path(__file__).resolve().parents[2] / "docs" / "catalog-editor.png"


def open_editor(window, key: str):  # type: ignore[no-untyped-def]
    action = {"catalog": window.editor_actions.catalog_action,
              "suppliers": window.editor_actions.suppliers_action,
              "categories": window.editor_actions.categories_action,
              "roles": window.editor_actions.roles_action,
              "lost_reasons": window.editor_actions.lost_reasons_action}[key]
    action.trigger()
    editor = window.editor_actions.master_editors[key]
    assert editor.isVisible()
    return editor


def column(editor, key: str) -> int:  # type: ignore[no-untyped-def]
    return next(n for n, f in enumerate(editor.kind.fields) if f.key == key)


def index_of(editor, name: str, key: str):  # type: ignore[no-untyped-def]
    row = editor.model.row_of(next(r.id for r in editor.model.rows if r.values["name"] == name))
    return editor.model.index(row, column(editor, key))


def stored(editor, name: str):  # type: ignore[no-untyped-def]
    return next(r for r in master_data.load(editor.db, editor.kind) if r.values["name"] == name)


def shown_names(editor) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.values["name"] for r in editor.model.rows]


def test_catalog_cells_are_validated_saved_and_undone(  # type: ignore[no-untyped-def]
        qtbot, window, qtmodeltester) -> None:
    editor = open_editor(window, "catalog")
    qtmodeltester.check(editor.model, force_py=False)
    cost = index_of(editor, "Line array element", "unit_cost")
    assert cost.data() == "85.00"
    assert cost.data(Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
    type_into_cell(qtbot, editor.table, cost, "lots")
    assert editor.message.text().startswith("Unit cost must be a number")
    assert index_of(editor, "Line array element", "unit_cost").data() == "85.00"  # the cell keeps its value
    assert stored(editor, "Line array element").values["unit_cost"] == Decimal(85)
    assert editor.undo_stack.count() == 0
    type_into_cell(qtbot, editor.table, index_of(editor, "Line array element", "unit_cost"), "92.5")
    assert stored(editor, "Line array element").values["unit_cost"] == Decimal("92.5")
    assert editor.message.text() == ""
    qtbot.waitUntil(lambda: index_of(editor, "Line array element", "unit_cost").data() == "92.50")
    # A labour item needs a role: refused on the cell, saying why.
    kind = index_of(editor, "Line array element", "kind")
    editor.table.setFocus()
    editor.table.setCurrentIndex(kind)
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    combo = editor.table.viewport().findChild(QComboBox, "choiceEditor")
    assert combo is not None and combo.currentText() == "Sub-rental"
    combo.setCurrentIndex(combo.findText("Labour"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.table.state() != QAbstractItemView.State.EditingState)
    assert editor.message.text() == "A labour item needs a role: pick its role first."
    assert stored(editor, "Line array element").values["kind"] == "subrental"
    qtbot.waitUntil(editor.isActiveWindow)  # the dialog's shortcuts need it active (shown, not yet)
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(editor, "Line array element").values["unit_cost"] == Decimal(85)
    qtbot.mouseClick(editor.redo_button, Qt.MouseButton.LeftButton)
    assert stored(editor, "Line array element").values["unit_cost"] == Decimal("92.5")
    editor.close()


def test_a_choice_and_notes_on_several_lines(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(window, "catalog")
    supplier = index_of(editor, "Carpet, per sq ft", "supplier_id")
    editor.table.setFocus()
    editor.table.setCurrentIndex(supplier)
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    combo = editor.table.viewport().findChild(QComboBox, "choiceEditor")
    combo.setCurrentIndex(combo.findText("Desert Staging Co."))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: index_of(editor, "Carpet, per sq ft", "supplier_id").data()
                    == "Desert Staging Co.")
    desert = next(r.id for r in master_data.load(editor.db, SUPPLIERS)
                  if r.values["name"] == "Desert Staging Co.")
    assert stored(editor, "Carpet, per sq ft").values["supplier_id"] == desert
    notes = index_of(editor, "Carpet, per sq ft", "notes")
    editor.table.setCurrentIndex(notes)
    qtbot.keyClick(editor.table, Qt.Key.Key_F2)
    box = editor.table.viewport().findChild(QPlainTextEdit, "notesEditor")
    assert box is not None
    qtbot.keyClicks(box, "Order 2 weeks ahead")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # a new line, not the end of the edit
    qtbot.keyClicks(box, "Colour: charcoal")
    assert editor.table.state() == QAbstractItemView.State.EditingState
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.table.state() != QAbstractItemView.State.EditingState)
    assert stored(editor, "Carpet, per sq ft").values["notes"] == "Order 2 weeks ahead\nColour: charcoal"
    qtbot.waitUntil(lambda: index_of(editor, "Carpet, per sq ft", "notes").data() == "Order 2 weeks ahead …")
    editor.close()


def test_search_and_sort(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(window, "catalog")
    total = len(editor.model.rows)
    qtbot.keyClicks(editor.search, "skypoint")  # a supplier's name finds its items
    qtbot.waitUntil(lambda: shown_names(editor) == ["Motor point (1 t chain hoist)"])
    assert editor.count_label.text() == f"1 of {total} catalog items"
    editor.search.clear()
    qtbot.waitUntil(lambda: len(editor.model.rows) == total)
    header = editor.table.horizontalHeader()
    cost_column = column(editor, "unit_cost")
    x = header.sectionViewportPosition(cost_column) + header.sectionSize(cost_column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    costs = [r.values["unit_cost"] for r in editor.model.rows]
    assert costs == sorted(costs) or costs == sorted(costs, reverse=True)
    assert costs != [r.values["unit_cost"] for r in master_data.load(editor.db, CATALOG_ITEMS)]
    editor.close()


def test_add_duplicate_and_delete_with_undo(qtbot, window, dialogs) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(window, "suppliers")
    count = len(editor.model.rows)
    dialogs.answers.append("Mirage Drapes")
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.current() is not None
                    and editor.current().values["name"] == "Mirage Drapes")
    type_into_cell(qtbot, editor.table, index_of(editor, "Mirage Drapes", "supplies"),
                   "Drape, pipe and drape")
    editor.table.selectRow(index_of(editor, "Mirage Drapes", "name").row())  # Enter moved down a row
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.duplicate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Mirage Drapes (copy)" in shown_names(editor))
    assert stored(editor, "Mirage Drapes (copy)").values["supplies"] == "Drape, pipe and drape"
    editor.table.selectRow(index_of(editor, "Mirage Drapes (copy)", "name").row())
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Mirage Drapes (copy)" not in shown_names(editor))
    # A supplier on estimate lines stays, and the message says where it is used.
    editor.table.selectRow(index_of(editor, "SkyPoint Rigging", "name").row())
    asked = len(dialogs.shown)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert editor.message.text().startswith(
        "The supplier “SkyPoint Rigging” is in use, so it was not deleted:")
    assert "Vantage @ MedTech Expo › Full booth" in editor.message.text()
    assert len(dialogs.shown) == asked  # refused at once, not asked first
    assert "SkyPoint Rigging" in shown_names(editor)
    for _ in range(4):  # the delete, the duplicate, the supplies, the add
        qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(editor.model.rows) == count)
    assert "Mirage Drapes" not in {r.values["name"] for r in master_data.load(editor.db, SUPPLIERS)}
    qtbot.mouseClick(editor.redo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Mirage Drapes" in shown_names(editor))
    editor.close()


def test_renaming_a_category_renames_it_in_the_catalog(  # type: ignore[no-untyped-def]
        qtbot, window) -> None:
    categories = open_editor(window, "categories")
    catalog = open_editor(window, "catalog")
    type_into_cell(qtbot, categories.table, index_of(categories, "Video", "name"), "LED video")
    qtbot.waitUntil(lambda: index_of(catalog, "500 mm LED panel", "category").data() == "LED video")
    panel = window.catalog.model  # the catalog panel beside the estimate follows too
    assert {e.category for e in panel._entries if e.name == "500 mm LED panel"} == {"LED video"}
    assert {r.values["name"] for r in master_data.load(categories.db, CATEGORIES)} >= {"LED video", "Audio"}
    categories.close()
    catalog.close()


def test_two_editors_on_one_row_conflict_and_nothing_is_lost(  # type: ignore[no-untyped-def]
        qtbot, window, dialogs) -> None:
    mine = open_editor(window, "suppliers")
    theirs = suppliers_editor(open_database(mine.db.path), dialogs)  # another user's window
    qtbot.addWidget(theirs)
    theirs.show()
    type_into_cell(qtbot, theirs.table, index_of(theirs, "SkyPoint Rigging", "phone"), "+1 702 555 0142")
    type_into_cell(qtbot, mine.table, index_of(mine, "SkyPoint Rigging", "phone"), "+1 702 555 9999")
    assert mine.message.text() == (
        "Someone else changed the supplier “SkyPoint Rigging” meanwhile: its phone is now “+1 702 555 0142”. "
        "Yours, “+1 702 555 9999”, was not saved; the row shows theirs — type yours again to keep it.")
    qtbot.waitUntil(lambda: index_of(mine, "SkyPoint Rigging", "phone").data() == "+1 702 555 0142")
    assert stored(mine, "SkyPoint Rigging").values["phone"] == "+1 702 555 0142"
    assert mine.undo_stack.count() == 0
    type_into_cell(qtbot, mine.table, index_of(mine, "SkyPoint Rigging", "phone"), "+1 702 555 9999")
    assert stored(mine, "SkyPoint Rigging").values["phone"] == "+1 702 555 9999"  # typed again: saved
    theirs.close()
    theirs.db.close()
    mine.close()


def test_others_changes_reload_the_editor_but_not_under_an_open_cell(  # type: ignore[no-untyped-def]
        qtbot, window) -> None:
    editor = open_editor(window, "suppliers")
    terms = index_of(editor, "Apex Audio Rental", "payment_terms")
    typing = start_typing(qtbot, editor.table, terms, "Net 45")
    other = open_database(editor.db.path)
    try:
        row = next(r for r in master_data.load(other, SUPPLIERS) if r.values["name"] == "SkyPoint Rigging")
        master_data.save_edit(other, SUPPLIERS, row, "contact_name", "Jo Marsh")
    finally:
        other.close()
    window.sharing.poll()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Updated with changes"))
    assert still_typing(editor.table, typing, "Net 45")
    finish_typing(qtbot, editor.table, typing)
    assert stored(editor, "Apex Audio Rental").values["payment_terms"] == "Net 45"
    qtbot.waitUntil(lambda: index_of(editor, "SkyPoint Rigging", "contact_name").data() == "Jo Marsh")
    editor.close()


def test_render_the_catalog_editor(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The catalog editor as the app draws it; TANDEM_RENDER_DOCS=1 saves it as
    docs/catalog-editor.png (the README shows it)."""
    editor = open_editor(window, "catalog")
    editor.resize(1640, 600)
    editor.table.selectRow(index_of(editor, "Motor point (1 t chain hoist)", "name").row())
    qtbot.waitExposed(editor)
    image = editor.grab()
    assert image.width() >= 1200
    target = DOCS_IMAGE if os.environ.get("TANDEM_RENDER_DOCS") == "1" else tmp_path / DOCS_IMAGE.name
    target.parent.mkdir(parents=True, exist_ok=True)
    assert image.save(str(target))
    assert target.stat().st_size > 10_000
    editor.close()


def test_a_role_added_in_the_roles_editor_is_offered_in_the_open_crew_editor(  # type: ignore[no-untyped-def]
        qtbot, window, dialogs) -> None:
    window.editor_actions.crew_editor_action.trigger()
    crew_editor = window.editor_actions.crew_editor
    assert crew_editor is not None and crew_editor.isVisible()
    roles = open_editor(window, "roles")
    dialogs.answers.append("Follow spot operator")
    with qtbot.waitSignal(roles.changed):
        qtbot.mouseClick(roles.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Follow spot operator" in crew_editor.role_names.values())
    qtbot.waitUntil(lambda: any(crew_editor.roles.item(n, 1).text() == "Follow spot operator"
                                for n in range(crew_editor.roles.rowCount())))
    roles.close()
    crew_editor.close()


def test_lost_reasons_are_edited_here_offered_by_mark_lost_and_renamed_on_their_projects(  # type: ignore[no-untyped-def]
        qtbot, window, dialogs) -> None:
    from app.models.enums import ProjectStatus
    from app.services.projects import lifecycle
    from app.ui.navigator import ID_ROLE

    editor = open_editor(window, "lost_reasons")
    assert editor.windowTitle() == "Lost reasons"
    dialogs.answers.append("Budget cut")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Budget cut" in shown_names(editor))
    found = window.navigator.proxy.match(window.navigator.proxy.index(0, 0), Qt.ItemDataRole.DisplayRole,
                                         "Orbital Summit keynote", 1, Qt.MatchFlag.MatchRecursive)
    project_id = uuid.UUID(found[0].data(ID_ROLE))
    window.navigator.select(project_id)
    reasons = lifecycle.reason_choices(window.db)
    dialogs.answers.append(reasons.index("Budget cut"))
    window.project_actions.status_actions[ProjectStatus.LOST].trigger()
    assert dialogs.shown[-1][:2] == ("choose_item", "Mark lost")
    assert lifecycle.load_state(window.db, project_id).lost_reason == "Budget cut"
    type_into_cell(qtbot, editor.table, index_of(editor, "Budget cut", "name"), "Budget cut by the client")
    assert lifecycle.load_state(window.db, project_id).lost_reason == "Budget cut by the client"
    editor.table.setCurrentIndex(index_of(editor, "Budget cut by the client", "name"))
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert editor.message.text() == ("The lost reason “Budget cut by the client” is in use, so it was not "
                                     "deleted: 1 project (Orbital Summit keynote).")
    assert "Budget cut by the client" in {r.values["name"] for r in master_data.load(editor.db, editor.kind)}
    editor.close()
