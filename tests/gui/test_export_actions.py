"""File › Export quote / Export cost sheet: a path from the dialogs, the export off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QMainWindow

from app.services.excel import export as excel_export
from app.ui.excel.export_actions import ExportActions
from tests.gui.conftest import FakeDialogs

pytestmark = pytest.mark.gui


@pytest.fixture
def exports(window: QMainWindow) -> ExportActions:
    actions = ExportActions(window)  # type: ignore[arg-type]
    actions.update_enabled()
    return actions


def test_export_quote_writes_the_workbook(qtbot: Any, window: QMainWindow, exports: ExportActions,
                                         dialogs: FakeDialogs, tmp_path: Path) -> None:
    assert [a.objectName() for a in exports.actions if a] == ["actionExportQuote", "actionExportCostSheet"]
    assert exports.quote_action.isEnabled() and exports.cost_sheet_action.isEnabled()
    target = tmp_path / "vantage-quote"  # the extension is added
    dialogs.answers.append(str(target))
    exports.quote_action.trigger()
    assert exports.running is not None and not exports.quote_action.isEnabled()
    qtbot.waitUntil(lambda: exports.running is None, timeout=10000)
    out = tmp_path / "vantage-quote.xlsx"
    ws = load_workbook(out)["Quote"]
    assert ws["A1"].value == "Northlight Productions"
    assert "Exported the quote" in window.statusBar().currentMessage()
    assert dialogs.shown == []
    assert exports.quote_action.isEnabled()


def test_export_cost_sheet(qtbot: Any, exports: ExportActions, dialogs: FakeDialogs, tmp_path: Path) -> None:
    out = tmp_path / "costs.xlsx"
    dialogs.answers.append(str(out))
    exports.cost_sheet_action.trigger()
    qtbot.waitUntil(lambda: exports.running is None, timeout=10000)
    assert load_workbook(out).sheetnames == [
        "Cost sheet", "Crew", "Supplier orders", "Tandem data", "Tandem parameters", "Tandem estimate"]


def test_no_path_no_export(exports: ExportActions, dialogs: FakeDialogs) -> None:
    exports.quote_action.trigger()  # the save dialog answers None: cancelled
    assert exports.running is None


def test_an_error_is_reported(qtbot: Any, exports: ExportActions, dialogs: FakeDialogs,
                              tmp_path: Path) -> None:
    dialogs.answers.append(str(tmp_path / "no-such-folder" / "quote.xlsx"))
    exports.quote_action.trigger()
    qtbot.waitUntil(lambda: exports.running is None, timeout=10000)
    assert dialogs.shown and dialogs.shown[0][0] == "error"
    assert "does not exist" in dialogs.shown[0][2]


def test_cancel_stops_the_export_and_writes_nothing(qtbot: Any, window: QMainWindow, exports: ExportActions,
                                                   dialogs: FakeDialogs, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real = excel_export.export_estimate

    def slow_export(doc: Any, path: Any, **kwargs: Any) -> Any:
        progress = kwargs["progress"]

        def until_cancelled(step: str, done: int, total: int) -> bool:
            import time

            for _ in range(500):  # a big estimate: keep going until the user cancels
                if progress(step, done, total) is False:
                    return False
                time.sleep(0.01)
            return True

        return real(doc, path, **{**kwargs, "progress": until_cancelled})

    monkeypatch.setattr(excel_export, "export_estimate", slow_export)
    out = tmp_path / "quote.xlsx"
    dialogs.answers.append(str(out))
    exports.quote_action.trigger()
    assert exports.progress is not None
    qtbot.waitUntil(lambda: exports.progress is not None and exports.progress.maximum() > 0, timeout=5000)
    exports.progress.canceled.emit()  # what the Cancel button sends
    qtbot.waitUntil(lambda: exports.running is None, timeout=10000)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx"] == []
    assert "cancelled" in window.statusBar().currentMessage()
    assert dialogs.shown == []
