"""The production pane's Availability column and footer, driven through real widgets.

The scene (tests/availability_scene.py): 400 panels owned, 300 held by Orbital keynote (won) and 60
tentatively by Spring Gala (quoted) the Vantage week, so 400 − 300 − 60 = 40 are free for the
full booth's 392: short 392 − 40 = 352, or 392 − (400 − 300) = 292 if the tentative hold is lost.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.services.estimate.document import EstimateDocument
from app.services.storage.database import Database
from app.ui.estimate.editor import EstimateEditor
from app.ui.estimate.production_cells import LOSS_FG, SHORT_BG
from app.ui.estimate.production_columns import COLUMN_INDEX
from app.ui.estimate.production_model import ProductionTreeModel
from app.ui.main_window import MainWindow
from tests.availability_scene import PROCESSOR, add_rate, add_stock, catalog_item, panel_scene, supplier
from tests.factories import estimate_id
from tests.gui.conftest import FakeDialogs, shown_window
from tests.gui.helpers import cell, line_id, type_into_cell, workspace
from tests.gui.test_models import client_pane_text, exercise

PANELS = "500 mm LED panels, owned"
TRUSS = "10 ft box truss, owned"
FG, BG, TIP = Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole


def booth_window(qtbot: Any, db: Database, dialogs: FakeDialogs) -> MainWindow:
    """The window on the full booth (the scene's projects share its week: any could open first)."""
    win = shown_window(qtbot, db, dialogs)
    win.open_estimate(estimate_id(db, "Full booth"))
    assert workspace(win).doc.header.name == "Full booth"
    return win


@pytest.fixture
def short_window(qtbot: Any, demo_db: Database, dialogs: FakeDialogs) -> MainWindow:
    panel_scene(demo_db)
    return booth_window(qtbot, demo_db, dialogs)


def _is_red(index: Any) -> bool:
    return index.data(FG) == LOSS_FG and index.data(BG) == SHORT_BG


def test_a_short_line_shows_free_of_owned_in_red_with_the_sentence(short_window: MainWindow) -> None:
    index = cell(short_window, line_id(short_window, PANELS), "availability")
    assert index.data() == "40 / 400"
    assert _is_red(index)
    assert index.data(TIP) == (
        "392 needed: 400 owned, 300 held by Orbital keynote (won), 60 tentatively by Spring Gala (quoted)"
        " → 40 free, short 352 / 292 if the tentative holds are lost"
    )
    # A line no stock sells shows nothing; nor does the column take typing.
    truss = cell(short_window, line_id(short_window, TRUSS), "availability")
    assert truss.data() == "" and truss.data(TIP) is None
    assert not index.flags() & Qt.ItemFlag.ItemIsEditable
    footer = workspace(short_window).production_pane.equipment_warning
    assert footer.isVisible()
    assert footer.text() == "⚠ Short: 352 × 500 mm LED panel (292 if tentative holds are lost)"


def test_typing_a_quantity_moves_the_cell_the_red_and_the_footer(
    qtbot: Any, short_window: MainWindow
) -> None:
    pane = workspace(short_window).production_pane
    panels = line_id(short_window, PANELS)
    type_into_cell(qtbot, pane.view, cell(short_window, panels, "quantity"), "40")
    index = cell(short_window, panels, "availability")
    qtbot.waitUntil(lambda: not pane.equipment_warning.isVisible())
    assert index.data() == "40 / 400"  # 40 free, 40 needed: it fits
    assert index.data(FG) is None and index.data(BG) is None
    assert index.data(TIP).endswith("→ 40 free")

    type_into_cell(qtbot, pane.view, cell(short_window, panels, "quantity"), "100")
    qtbot.waitUntil(pane.equipment_warning.isVisible)
    assert _is_red(cell(short_window, panels, "availability"))
    # 100 − 40 = 60 short; 400 − 300 = 100 free without Spring Gala: none short then.
    said = pane.equipment_warning.text()
    assert said == "⚠ Short: 60 × 500 mm LED panel (none if tentative holds are lost)"

    short_window.undo_group.undo()  # back to 40: nothing short
    qtbot.waitUntil(lambda: not pane.equipment_warning.isVisible())
    assert not _is_red(cell(short_window, panels, "availability"))


def test_an_add_on_says_what_choosing_it_would_leave_short(
    qtbot: Any, demo_db: Database, dialogs: FakeDialogs
) -> None:
    """Processors: 6 owned, none held elsewhere; the booth's 3 sub-rented processors are made an owned
    line of 4 and an add-on of 8 is added: 4 + 8 − 6 = 6 short if chosen, 6 × 4 days × $35.00 = $840.00."""
    from decimal import Decimal

    panel_scene(demo_db)
    processor = catalog_item(demo_db, "LED processor (sub-rental)")
    add_rate(demo_db, add_stock(demo_db, PROCESSOR, 6, processor), supplier(demo_db, "Brightline"), "35.00")
    win = booth_window(qtbot, demo_db, dialogs)
    ws = workspace(win)
    line = ws.doc.line(line_id(win, "LED processors, sub-rented from Brightline"))
    assert line.catalog_item_id == processor
    assert ws.editor.edit_line(line.id, "kind", "equipment") is None
    assert ws.editor.edit_line(line.id, "quantity", "4") is None
    index = cell(win, line.id, "availability")
    qtbot.waitUntil(lambda: index.data() == "6 / 6")
    assert not _is_red(index)

    values = {
        **ws.doc.blank_line_values(),
        "kind": "equipment",
        "description": "Spare processors",
        "quantity": Decimal(8),
        "days": Decimal(4),
        "optional": True,
        "catalog_item_id": processor,
    }
    new_id = ws.editor.add_line(line.section_id, values=values)
    assert new_id is not None
    addon = cell(win, new_id, "availability")
    assert addon.data() == "6 / 6"
    assert addon.data(FG) == LOSS_FG and addon.data(BG) is None  # red text: not in the total
    assert addon.data(TIP).startswith("If chosen: short 6 × LED processor, sub-hire $840.00\n")
    assert not _is_red(cell(win, line.id, "availability"))  # the owned 4 still fit
    pane = ws.production_pane
    qtbot.waitUntil(lambda: "if chosen" in pane.equipment_warning.text())
    assert pane.equipment_warning.text() == (
        "⚠ Short: 352 × 500 mm LED panel (292 if tentative holds are lost); "
        "if chosen: short 6 × LED processor, sub-hire $840.00"
    )


def test_others_holds_arrive_with_the_reload(qtbot: Any, demo_db: Database, dialogs: FakeDialogs) -> None:
    """No hold at first (400 free); another user's won project is seen at the next reload."""
    from tests.availability_scene import PANEL, add_holding_project, without_demo_stock
    from tests.availability_scene import add_stock as stock

    without_demo_stock(demo_db)
    panel = catalog_item(demo_db, PANEL)
    stock(demo_db, PANEL, 400, panel)
    win = shown_window(qtbot, demo_db, dialogs)
    index = cell(win, line_id(win, PANELS), "availability")
    assert index.data() == "400 / 400" and not _is_red(index)
    add_holding_project(demo_db, "Orbital keynote", "won", panel, 300)
    win.refresh_from_database()
    qtbot.waitUntil(lambda: cell(win, line_id(win, PANELS), "availability").data() == "100 / 400")
    assert _is_red(cell(win, line_id(win, PANELS), "availability"))


def test_model_tester_while_availability_moves(
    qtbot: Any, demo_db: Database, full_booth_id: Any, qtmodeltester: Any
) -> None:
    panel_scene(demo_db)
    doc = EstimateDocument(demo_db, full_booth_id)
    editor = EstimateEditor(doc)
    model = ProductionTreeModel(editor)
    try:
        qtmodeltester.check(model, force_py=True)
        exercise(editor)  # every kind of change, undone and redone, with the panels short throughout
        qtbot.waitUntil(lambda: not model._announce.isActive())
        panels = next(line.id for line in doc.lines() if line.description == PANELS)
        column = COLUMN_INDEX["availability"]
        with qtbot.waitSignal(model.dataChanged):  # the cell's announcement, after the line's own
            assert editor.edit_line(panels, "quantity", "10") is None
        qtbot.waitUntil(lambda: not model._announce.isActive())
        index = model.index_for_id(panels, column)
        assert index.data() == "40 / 400" and index.data(FG) is None
    finally:
        model.detach()


def test_the_client_pane_shows_no_stock_or_holds(short_window: MainWindow) -> None:
    texts = client_pane_text(short_window)
    assert "$54,880.00" in texts  # the panels' price is there
    for needle in ("40 / 400", "/ 400", "free", "Short", "short", "Orbital", "Spring Gala", "held"):
        assert not any(needle in text for text in texts), needle


def test_the_comparison_adds_equipment_rows_the_client_export_leaves_out(
    qtbot: Any, short_window: MainWindow, dialogs: FakeDialogs, demo_db: Database, tmp_path: Any
) -> None:
    """Full booth 352 short and half booth 156 (see tests/test_equipment_view.py for the arithmetic);
    sub-rental cost $1,800.00 and $1,200.00 (no rate for the panels: named in the tooltip)."""
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QPushButton

    short_window.estimate_actions.compare_action.trigger()
    dlg = short_window.estimate_actions.compare_dialog
    qtbot.waitExposed(dlg)
    model = dlg.summary_model
    rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    assert list(rows)[-3:] == ["Total", "Equipment short", "Sub-rental cost"]
    short = [model.index(rows["Equipment short"], c).data() for c in range(model.columnCount())]
    cost = [model.index(rows["Sub-rental cost"], c).data() for c in range(model.columnCount())]
    assert short == ["Equipment short", "352", "156", "-196"]
    assert cost == ["Sub-rental cost", "$1,800.00", "$1,200.00", "-$600.00"]
    tip = model.index(rows["Sub-rental cost"], 1).data(TIP)
    assert tip == "No sub-rental rate for 500 mm LED panel: left out"
    assert model.rowCount(model.index(rows["Equipment short"], 0)) == 0

    out = tmp_path / "options.xlsx"
    dialogs.answers.append(str(out))
    qtbot.mouseClick(dlg.findChild(QPushButton, "scenarioExportButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.exporting is None, timeout=10000)
    texts = [str(c.value) for row in load_workbook(out).active.iter_rows() for c in row if c.value]
    assert any("Total" in text for text in texts)
    assert not [t for t in texts if "short" in t.lower() or "sub-rental" in t.lower() or "352" in t]
    dlg.close()
