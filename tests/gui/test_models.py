"""The item models: Qt's model tester on each, and nothing internal in the client's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from app.services.estimate.document import EstimateDocument
from app.ui.estimate.client_model import ADDONS_TITLE, ClientQuoteModel
from app.ui.estimate.editor import EstimateEditor
from app.ui.estimate.production_columns import ROW_ID_ROLE, ROW_KIND_ROLE
from app.ui.estimate.production_model import ProductionTreeModel
from tests.gui.helpers import all_model_text, cell, line_id, type_into_cell, workspace

pytestmark = pytest.mark.gui

ROLES = (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.StatusTipRole, Qt.ItemDataRole.WhatsThisRole, Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.AccessibleDescriptionRole, ROW_ID_ROLE, ROW_KIND_ROLE,
    *(Qt.ItemDataRole.UserRole + n for n in range(0, 30)),
)
# What the client must never read: suppliers, internal descriptions, costs, cost rates, margins.
INTERNAL = (
    "Brightline", "SkyPoint", "RoadRunner", "SP-2291", "sub-rented", "owned",
    "$28,224.00", "$7,200.00", "$4,840.00", "$2,640.00", "$1,430.00", "$780.00", "$2,970.00",
    "$2,400.00", "$1,800.00", "$960.00", "$55,044.00", "$40,536.00", "42.41",
    "$18.00", "$150.00", "$450.00", "$15.00", "$55.00", "$65.00", "$45.00", "$60.00",
    "margin", "Margin", "cost", "Cost", "markup", "Markup",
    # labour rules and the paid split of a call
    "LVCC", "ST + ", " OT", "overtime", "weighted", "×1.5",
)


def client_pane_text(win) -> list[str]:  # type: ignore[no-untyped-def]
    pane = workspace(win).client_pane
    texts = all_model_text(pane.model, ROLES)
    texts += [w.text() for w in pane.findChildren(QLabel)]
    texts += [w.toolTip() for w in pane.findChildren(QLabel)]
    texts += [w.text() for w in pane.findChildren(QLineEdit)]
    return texts


def assert_nothing_internal(texts: list[str]) -> None:
    leaks = sorted({needle for needle in INTERNAL for text in texts if needle in text})
    assert not leaks, f"the client pane shows internal values: {leaks}"


def test_client_pane_shows_no_cost_supplier_rate_or_margin(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    texts = client_pane_text(window)
    assert "$95,580.00" in texts and "$54,880.00" in texts  # it does show the prices
    assert_nothing_internal(texts)


def test_client_pane_stays_clean_after_edits_and_overrides(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truck = line_id(window, "Truck, round trip, RoadRunner Freight")
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "price"), "3100")
    ws.editor.edit_line(truck, "optional", True)
    edit = ws.production_pane.target_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "60")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert ws.production_pane.margin_warning.isVisible()
    texts = client_pane_text(window)
    assert "$3,100.00" in texts
    assert_nothing_internal(texts)


def test_the_secrecy_check_would_catch_a_leak(window) -> None:  # type: ignore[no-untyped-def]
    """The check above is not vacuous: the production pane, fed the same data, trips it."""
    texts = all_model_text(workspace(window).production_pane.model, ROLES)
    with pytest.raises(AssertionError, match="Brightline"):
        assert_nothing_internal(texts)


@pytest.fixture
def models(demo_db, full_booth_id):  # type: ignore[no-untyped-def]
    """The pane models over the Full booth, without views, alive until after the model tester."""
    doc = EstimateDocument(demo_db, full_booth_id)
    editor = EstimateEditor(doc)
    production = ProductionTreeModel(editor)
    client = ClientQuoteModel(doc, editor)
    yield editor, production, client
    production.detach()
    client.detach()


def exercise(editor: EstimateEditor) -> None:
    """Every kind of change the document announces, then all of it undone and redone."""
    doc = editor.doc
    new_id = editor.add_line(doc.sections[0].id, 1)
    assert new_id is not None
    editor.edit_line(new_id, "quantity", "3")
    editor.edit_line(new_id, "optional", True)
    editor.move_line(new_id, doc.sections[3].id, 0)
    editor.move_section(doc.sections[0].id, 3)
    truck = next(line.id for line in doc.lines() if line.description.startswith("Truck"))
    editor.delete_lines([truck])
    section_id = editor.add_section("Extras", 0)
    assert section_id is not None
    editor.delete_section(section_id)
    editor.edit_section(doc.sections[0].id, "name", "Screens")
    steps = editor.undo_stack.count()
    assert steps == 9
    for _ in range(steps):
        editor.undo_stack.undo()
    for _ in range(steps):
        editor.undo_stack.redo()
    doc.reload()


def test_model_tester_production_model(models, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    editor, production, _client = models
    qtmodeltester.check(production, force_py=True)
    exercise(editor)
    assert production.rowCount() == 5


def test_model_tester_client_model(models, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    editor, _production, client = models
    qtmodeltester.check(client, force_py=True)
    exercise(editor)
    assert client.index(client.rowCount() - 1, 0).data() == ADDONS_TITLE


def test_qt_model_tester_in_cpp_on_both(models, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    """Qt's own QAbstractItemModelTester watches both while everything changes."""
    from PySide6.QtTest import QAbstractItemModelTester

    editor, production, client = models
    mode = QAbstractItemModelTester.FailureReportingMode.Warning
    testers = [QAbstractItemModelTester(production, mode), QAbstractItemModelTester(client, mode)]
    exercise(editor)
    assert len(testers) == 2


def test_model_tester_catalog_model(window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.catalog.model, force_py=False)
    assert window.catalog.model.rowCount() == 15
