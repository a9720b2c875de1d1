"""File › Import estimate from Excel… in the real window: mapping by keyboard, live preview, Import."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.models import Estimate, LineItem
from app.services.estimate.document import EstimateDocument
from app.services.excel.imported import ImportCancelled
from app.services.excel.mapped_rows import MappedImport, read_mapped
from app.services.excel.mapping import PREVIEW_ROWS, open_sheet_preview
from app.services.excel.tandem_sheets import write_tandem_data
from app.services.storage.database import Database
from app.ui.excel import import_reading
from app.ui.excel.import_actions import ImportActions
from app.ui.excel.import_dialog import ImportDialog
from app.ui.excel.import_preview_model import ImportPreviewModel
from app.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs


def booth_quote(path: Path) -> Path:
    """A foreign sheet whose "Uplift" column Tandem cannot guess: the user maps it as the markup."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Booth"
    for row in [
        ["Booth rental quote"],
        ["Item", "Qty", "Days", "Cost", "Uplift"],
        ["Video"],
        ["LED panel", 392, 4, 18, 25],            # cost 28,224.00; +25 % → 35,280.00
        ["Processor", 3, 4, "$150.00", "40%"],    # cost 1,800.00; +40 % → 2,520.00
        ["Spare", "ten", 1, 5, 0],
        ["Total"],
    ]:
        ws.append(row)
    wb.save(path)
    return path


def counts(db: Database) -> tuple[int, int]:
    with db.read() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t.__table__)).scalar_one()  # type: ignore[return-value]
                     for t in (Estimate, LineItem))


@pytest.fixture
def actions(window: MainWindow) -> ImportActions:
    return ImportActions(window)


def open_dialog(qtbot: Any, actions: ImportActions, dialogs: FakeDialogs, path: Path) -> ImportDialog:
    dialogs.answers.append(str(path))
    actions.import_action.trigger()
    qtbot.waitUntil(lambda: actions.dialog is not None and actions.dialog.isVisible(), timeout=5000)
    assert actions.dialog is not None
    return actions.dialog


def test_map_a_column_by_keyboard_preview_follows_and_import_opens_the_estimate(
        qtbot: Any, window: MainWindow, actions: ImportActions, dialogs: FakeDialogs, demo_db: Database,
        tmp_path: Path) -> None:
    before = counts(demo_db)
    dlg = open_dialog(qtbot, actions, dialogs, booth_quote(tmp_path / "booth.xlsx"))
    assert dlg.objectName() == "importDialog"
    assert dlg.header_spin.value() == 2
    assert dlg.sheet_combo.currentText() == "Booth"
    assert dlg.field_combos["description"].currentText() == "A: Item"
    assert dlg.field_combos["unit_cost"].currentText() == "D: Cost"
    assert dlg.field_combos["markup_pct"].currentText() == "(none)"
    model = dlg.preview_model
    prices = [model.index(r, model.COLUMNS.index("Price")).data() for r in range(model.rowCount())]
    assert prices == ["", "28,224.00", "1,800.00", "", ""]  # heading, two lines, a problem, the total
    problem_row = 3
    assert model.index(problem_row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert [dlg.problems.item(i).text() for i in range(dlg.problems.count())] == [
        "row 6: Qty “ten” is not a number", "row 7: a total row, not a line"]
    assert counts(demo_db) == before  # nothing written by reading

    combo = dlg.field_combos["markup_pct"]
    combo.setFocus()
    with qtbot.waitSignal(dlg.previewUpdated, timeout=5000):
        qtbot.keyClicks(combo, "E")  # the first column starting with E: "E: Uplift"
    assert combo.currentText() == "E: Uplift"
    prices = [model.index(r, model.COLUMNS.index("Price")).data() for r in range(model.rowCount())]
    assert prices == ["", "35,280.00", "2,520.00", "", ""]
    assert "total 37,800.00" in dlg.summary.text().replace("$", "")

    dlg.name_edit.clear()
    qtbot.keyClicks(dlg.name_edit, "From the booth quote")
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace is not None
                    and window.workspace.doc.header.name == "From the booth quote", timeout=5000)
    assert window.workspace is not None
    doc = window.workspace.doc
    assert doc.totals.total == Decimal("37800.00")
    assert doc.totals.cost == Decimal("30024.00")
    assert [s.name for s in doc.sections] == ["Video"]
    assert actions.dialog is None
    assert counts(demo_db) == (before[0] + 1, before[1] + 2)


def test_a_tandem_workbook_skips_the_mapping(qtbot: Any, window: MainWindow, actions: ImportActions,
                                             dialogs: FakeDialogs, full_booth_id: Any, demo_db: Database,
                                             tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    wb.create_sheet("Cost sheet").append(["Full booth"])
    write_tandem_data(wb, EstimateDocument(demo_db, full_booth_id))
    wb.save(tmp_path / "cost sheet.xlsx")
    dlg = open_dialog(qtbot, actions, dialogs, tmp_path / "cost sheet.xlsx")
    assert not dlg.mapping_box.isVisible()
    assert dlg.summary.text().replace("$", "") == (
        "Tandem workbook: 5 sections, 11 lines, totals 95,580.00 price · 55,044.00 cost.")
    assert dlg.name_edit.text() == "Full booth"
    dlg.name_edit.setText("Full booth again")
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace is not None
                    and window.workspace.doc.header.name == "Full booth again", timeout=5000)
    assert window.workspace is not None
    assert window.workspace.doc.totals.total == Decimal("95580.00")
    assert window.workspace.doc.totals.cost == Decimal("55044.00")


def test_a_taken_name_is_refused_in_the_dialog(qtbot: Any, window: MainWindow, actions: ImportActions,
                                               dialogs: FakeDialogs, demo_db: Database,
                                               tmp_path: Path) -> None:
    before = counts(demo_db)
    dlg = open_dialog(qtbot, actions, dialogs, booth_quote(tmp_path / "booth.xlsx"))
    dlg.name_edit.setText("Full booth")
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert "already has an estimate called" in dlg.error_label.text()
    assert dlg.isVisible()
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: actions.dialog is None)
    assert counts(demo_db) == before
    assert window.workspace is not None and window.workspace.doc.header.name == "Full booth"


def test_a_broken_file_gets_one_line_and_no_dialog(qtbot: Any, window: MainWindow, actions: ImportActions,
                                                   dialogs: FakeDialogs, demo_db: Database,
                                                   tmp_path: Path) -> None:
    before = counts(demo_db)
    bad = tmp_path / "notes.xlsx"
    bad.write_text("Item,Qty\nLED,4\n", encoding="utf-8")
    dialogs.answers.append(str(bad))
    actions.import_action.trigger()
    qtbot.waitUntil(lambda: any(kind == "error" for kind, _, _ in dialogs.shown), timeout=5000)
    _kind, title, text = dialogs.shown[-1]
    assert title == "Import estimate from Excel"
    assert "notes.xlsx is not an Excel workbook" in text and "\n" not in text
    assert actions.dialog is None
    assert counts(demo_db) == before


def test_the_action_is_named_and_cancelling_the_file_does_nothing(
        window: MainWindow, actions: ImportActions, dialogs: FakeDialogs) -> None:
    assert actions.actions[0] is actions.import_action
    assert actions.import_action.objectName() == "actionImportExcel"
    actions.update_enabled()
    assert actions.import_action.isEnabled()
    actions.import_action.trigger()  # no answer: the file dialog was cancelled
    assert actions.dialog is None and dialogs.shown == []


def test_preview_model_passes_the_model_tester(qtmodeltester: Any, tmp_path: Path) -> None:
    path = booth_quote(tmp_path / "booth.xlsx")
    preview = open_sheet_preview(path)
    result = read_mapped(path, preview.sheet, preview.header_row, preview.mapping)
    model = ImportPreviewModel()
    qtmodeltester.check(model)
    model.set_rows(result.rows)
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    assert model.index(3, model.COLUMNS.index("Problem")).data() == "Qty “ten” is not a number"


def test_the_preview_reads_only_its_rows_and_import_reads_the_rest(
        qtbot: Any, window: MainWindow, actions: ImportActions, dialogs: FakeDialogs, demo_db: Database,
        tmp_path: Path) -> None:
    """A sheet damaged past its first rows previews; the whole read on Import finds it, writes nothing."""
    from tests.test_import_limits import broken_after_preview

    before = counts(demo_db)
    dlg = open_dialog(qtbot, actions, dialogs, broken_after_preview(tmp_path / "long.xlsx"))
    assert dlg.preview_model.rowCount() == 50
    assert dlg.summary.text().startswith(f"In the first {PREVIEW_ROWS} rows: 59 lines in 1 sections")
    assert dlg.summary.text().endswith("The whole sheet is read when you press Import.")
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.error_label.text() != "", timeout=10000)
    assert dlg.error_label.text() == "long.xlsx is damaged: the sheet cannot be read past row 100."
    assert dlg.isVisible() and dlg.import_button.isEnabled()
    assert counts(demo_db) == before


def test_rows_that_cannot_be_read_further_down_are_shown_before_anything_is_written(
        qtbot: Any, window: MainWindow, actions: ImportActions, dialogs: FakeDialogs, demo_db: Database,
        tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Item", "Qty", "Cost"])
    for n in range(2, 101):
        ws.append([f"LED panel {n}", "ten" if n == 80 else 2, 10])
    wb.save(tmp_path / "hundred.xlsx")
    before = counts(demo_db)
    dlg = open_dialog(qtbot, actions, dialogs, tmp_path / "hundred.xlsx")
    assert dlg.problems.count() == 0  # row 80 is past the preview
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.error_label.text() != "", timeout=10000)
    assert dlg.error_label.text() == ("1 more row further down cannot be read (listed); "
                                      "press Import again to import the rest.")
    assert [dlg.problems.item(i).text() for i in range(dlg.problems.count())] == [
        "row 80: Qty “ten” is not a number"]
    assert dlg.summary.text().startswith("98 lines in 1 sections")
    assert counts(demo_db) == before
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: actions.dialog is None, timeout=10000)
    assert counts(demo_db) == (before[0] + 1, before[1] + 98)
    assert window.workspace is not None and window.workspace.doc.header.name == "hundred"


def test_stop_while_import_reads_the_sheet_writes_nothing(
        qtbot: Any, window: MainWindow, actions: ImportActions, dialogs: FakeDialogs, demo_db: Database,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_import_limits import broken_after_preview

    real = read_mapped

    def slow_whole_read(*args: Any, **kwargs: Any) -> MappedImport:
        if kwargs.get("max_rows") is not None:
            return real(*args, **kwargs)
        deadline = time.monotonic() + 10
        while not kwargs["cancelled"]() and time.monotonic() < deadline:  # reads until the user stops it
            threading.Event().wait(0.01)
        raise ImportCancelled()

    before = counts(demo_db)
    dlg = open_dialog(qtbot, actions, dialogs, broken_after_preview(tmp_path / "long.xlsx"))
    monkeypatch.setattr(import_reading, "read_mapped", slow_whole_read)
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.cancel_read.isVisible(), timeout=5000)
    assert not dlg.import_button.isEnabled()
    qtbot.mouseClick(dlg.cancel_read, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.error_label.text() != "", timeout=10000)
    assert dlg.error_label.text() == "Import cancelled; nothing was imported."
    assert dlg.isVisible() and dlg.import_button.isEnabled() and not dlg.cancel_read.isVisible()
    assert counts(demo_db) == before
