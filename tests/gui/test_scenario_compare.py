"""The scenario comparison dialog on the demo database: shown figures, highlights, checklist, chart."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import QPushButton, QStyle, QStyleOptionViewItem

from app.services.estimate.document import EstimateDocument
from app.services.estimate.scenarios import compare_estimates, duplicate_estimate
from app.services.storage.database import Database
from app.ui.estimate.scenario_compare import ScenarioCompareDialog
from app.ui.estimate.scenario_compare_models import (
    DIFFERS_ROLE,
    HIGHER,
    LOWER,
    VALUE_ROLE,
    LineDifferenceModel,
    ScenarioComparisonModel,
)

D = Decimal
BACKGROUND, FONT = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole


@pytest.fixture
def dialog(qtbot: Any, demo_db: Database, full_booth_id: uuid.UUID,
           half_booth_id: uuid.UUID) -> Iterator[ScenarioCompareDialog]:
    project_id = EstimateDocument(demo_db, full_booth_id).header.project_id
    dlg = ScenarioCompareDialog(demo_db, project_id, [full_booth_id, half_booth_id])
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    yield dlg
    dlg.close()
    dlg.deleteLater()


def _row(model: ScenarioComparisonModel, name: str) -> QModelIndex:
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        if index.data() == name:
            return index
    raise LookupError(name)


def _texts(model: Any, index: QModelIndex) -> list[str]:
    return [model.index(index.row(), c, index.parent()).data() for c in range(model.columnCount())]


def test_summary_shows_prices_and_differences(dialog: ScenarioCompareDialog) -> None:
    model = dialog.summary_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Section", "Full booth", "Half booth", "Δ Half booth vs Full booth"]
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == \
        ["LED screen", "Rigging", "Labour", "Logistics", "Management", "Total",
         "Equipment short", "Sub-rental cost"]  # the demo keeps stock: its panels are short
    assert _texts(model, _row(model, "LED screen")) == \
        ["LED screen", "$57,400.00", "$29,120.00", "-$28,280.00"]
    total = _row(model, "Total")
    assert _texts(model, total) == ["Total", "$95,580.00", "$56,220.00", "-$39,360.00"]
    children = {model.index(r, 0, total).data(): _texts(model, model.index(r, 0, total))[1:]
                for r in range(model.rowCount(total))}
    assert children == {
        "Cost": ["$55,044.00", "$32,512.00", "-$22,532.00"],
        "Margin": ["$40,536.00", "$23,708.00", "-$16,828.00"],
        "Margin %": ["42.41 %", "42.17 %", "-0.24 %"],
        "Labour hours": ["220", "156", "-64"],
        "Crew days": ["26", "18", "-8"],
    }
    assert model.index(total.row(), 2).data(VALUE_ROLE) == D("56220.00")  # exact, not a float


def test_differing_cells_are_highlighted(dialog: ScenarioCompareDialog) -> None:
    model = dialog.summary_model
    led, logistics = _row(model, "LED screen"), _row(model, "Logistics")
    half_led = model.index(led.row(), 2)
    assert half_led.data(DIFFERS_ROLE) is True
    assert isinstance(half_led.data(BACKGROUND), QBrush) and half_led.data(BACKGROUND).color() == LOWER
    assert isinstance(half_led.data(FONT), QFont) and half_led.data(FONT).bold()
    # The baseline column and an unchanged section are plain.
    assert model.index(led.row(), 1).data(BACKGROUND) is None and model.index(led.row(), 1).data(FONT) is None
    same = model.index(logistics.row(), 2)
    assert same.data(DIFFERS_ROLE) is False and same.data(BACKGROUND) is None and same.data(FONT) is None
    assert model.index(logistics.row(), 3).data() == ""  # no difference, no Δ
    # Labour hours differ in the Labour section (a child row).
    labour = _row(model, "Labour")
    hours = model.index(3, 2, labour)
    assert model.index(3, 0, labour).data() == "Labour hours" and hours.data() == "156"
    assert hours.data(DIFFERS_ROLE) and hours.data(FONT).bold()


def test_a_higher_price_is_green(qtbot: Any, demo_db: Database, full_booth_id: uuid.UUID,
                                 half_booth_id: uuid.UUID) -> None:
    model = ScenarioComparisonModel()
    model.set_comparison(compare_estimates(demo_db, [half_booth_id, full_booth_id]))
    total = model.index(_row(model, "Total").row(), 2)
    assert total.data() == "$95,580.00" and total.data(BACKGROUND).color() == HIGHER
    assert model.index(total.row(), 3).data() == "+$39,360.00"


def test_lines_tab_shows_only_differences_unless_asked(qtbot: Any, dialog: ScenarioCompareDialog) -> None:
    model = dialog.lines_model
    assert model.rowCount() == 6
    panels = [model.index(0, c).data() for c in range(model.columnCount())]
    assert panels == ["LED screen", "500 mm LED panels, owned", "392", "4", "$54,880.00",
                      "196", "4", "$27,440.00"]
    assert model.index(0, 5).data(DIFFERS_ROLE) and model.index(0, 5).data(FONT).bold()
    assert not model.index(0, 6).data(DIFFERS_ROLE) and model.index(0, 6).data(BACKGROUND) is None

    dialog.tabs.setCurrentIndex(1)
    box = dialog.show_all_lines
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked() and model.rowCount() == 11
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert not box.isChecked() and model.rowCount() == 6


def _check_rect_centre(dialog: ScenarioCompareDialog, row: int) -> QPoint:
    view = dialog.scenario_list
    index = view.model().index(row, 0)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    rect = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view)
    return rect.center()


def test_checklist_changes_what_is_compared(qtbot: Any, dialog: ScenarioCompareDialog,
                                            demo_db: Database, full_booth_id: uuid.UUID) -> None:
    view = dialog.scenario_list
    assert [view.item(i).text() for i in range(view.count())] == ["Full booth", "Half booth"]

    # Unticking one leaves one: the comparison waits for a second.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_check_rect_centre(dialog, 1))
    assert view.item(1).checkState() == Qt.CheckState.Unchecked
    assert dialog.summary_model.rowCount() == 0 and dialog.status.isVisible()
    assert "at least two" in dialog.status.text()

    # Space on the focused item ticks it again.
    view.setFocus()
    view.setCurrentRow(1)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.item(1).checkState() == Qt.CheckState.Checked
    assert dialog.summary_model.columnCount() == 4 and not dialog.status.isVisible()

    # Untick the Full booth: nothing to compare; a new scenario can be ticked in later.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_check_rect_centre(dialog, 0))
    assert dialog.checked_ids() == [view.item(1).data(Qt.ItemDataRole.UserRole)]


def test_a_third_scenario_gets_its_own_columns(qtbot: Any, demo_db: Database, full_booth_id: uuid.UUID,
                                               half_booth_id: uuid.UUID) -> None:
    duplicate_estimate(demo_db, full_booth_id, "Full booth (copy)")
    project_id = EstimateDocument(demo_db, full_booth_id).header.project_id
    dlg = ScenarioCompareDialog(demo_db, project_id)  # every estimate of the project
    qtbot.addWidget(dlg)
    try:
        model = dlg.summary_model
        assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
            "Section", "Full booth", "Half booth", "Full booth (copy)",
            "Δ Half booth vs Full booth", "Δ Full booth (copy) vs Full booth"]
        total = _row(model, "Total").row()
        assert model.index(total, 3).data() == "$95,580.00" and not model.index(total, 3).data(DIFFERS_ROLE)
        assert model.index(total, 5).data() == ""
    finally:
        dlg.close()
        dlg.deleteLater()


def test_chart_is_drawn_when_its_tab_is_first_shown(qtbot: Any, dialog: ScenarioCompareDialog) -> None:
    assert dialog.canvas is None
    qtbot.mouseClick(dialog.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=dialog.tabs.tabBar().tabRect(2).center())
    assert dialog.tabs.currentIndex() == 2 and dialog.canvas is not None
    assert "matplotlib" in sys.modules
    axes = dialog.figure.axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == \
        ["LED screen", "Rigging", "Labour", "Logistics", "Management"]
    heights = [round(bar.get_height()) for bar in axes.patches]
    assert len(heights) == 5 * 2 * 2  # sections × (price, cost) × scenarios
    assert heights[:5] == [57400, 10600, 21400, 2880, 3300]  # Full booth prices
    assert heights[10:15] == [29120, 5300, 15620, 2880, 3300]  # Half booth prices


def test_models_pass_the_model_tester(qtmodeltester: Any, demo_db: Database, full_booth_id: uuid.UUID,
                                      half_booth_id: uuid.UUID) -> None:
    comparison = compare_estimates(demo_db, [full_booth_id, half_booth_id])
    summary, lines = ScenarioComparisonModel(), LineDifferenceModel()
    qtmodeltester.check(summary)
    summary.set_comparison(comparison)
    qtmodeltester.check(summary)
    lines.set_comparison(comparison)
    qtmodeltester.check(lines)
    lines.set_show_all(True)
    qtmodeltester.check(lines)


def test_export_to_excel_writes_the_options_for_the_client(qtbot: Any, window: Any, dialogs: Any,
                                                           demo_db: Database, tmp_path: Any) -> None:
    from openpyxl import load_workbook

    from app.services.excel.comparison import SHEET
    from tests.test_excel_export import INTERNAL_WORDS, recalculate, row_of

    window.estimate_actions.compare_action.trigger()
    dlg = window.estimate_actions.compare_dialog
    qtbot.waitExposed(dlg)
    button = dlg.findChild(QPushButton, "scenarioExportButton")
    assert button.isVisible() and button.isEnabled()
    out = tmp_path / "options.xlsx"
    dialogs.answers.append(str(out))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.exporting is None, timeout=10000)
    assert dialogs.shown == []
    assert dialogs.proposed[-1].endswith("Vantage @ MedTech Expo – options compared.xlsx")
    assert str(out) in dlg.status.text()
    ws = load_workbook(out)[SHEET]
    total = row_of(ws, "Total (USD)")
    assert recalculate(out, SHEET, f"B{total}", f"C{total}") == [
        EstimateDocument(demo_db, dlg.checked_ids()[0]).totals.total,
        EstimateDocument(demo_db, dlg.checked_ids()[1]).totals.total,
    ]
    assert not any(INTERNAL_WORDS.search(str(c.value)) for row in ws.iter_rows() for c in row if c.value)
    # Fewer than two ticked: nothing to compare, nothing to export.
    dlg.scenario_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert not button.isEnabled()
    dlg.close()
