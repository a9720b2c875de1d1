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


def test_no_path_no_export(qtbot: Any, exports: ExportActions, dialogs: FakeDialogs) -> None:
    exports.quote_action.trigger()  # the save dialog answers None: cancelled
    qtbot.waitUntil(lambda: len(dialogs.proposed) == 1)
    assert exports.running is None and exports.quote_action.isEnabled()


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


def test_the_save_dialog_proposes_a_name_in_the_folder_used_last(
        qtbot: Any, window: QMainWindow, dialogs: FakeDialogs, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from app.services.estimate.revisions import send_quote

    window.settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)  # type: ignore[attr-defined]
    exports = ExportActions(window)  # type: ignore[arg-type]
    exports.update_enabled()
    doc = window.workspace.doc  # type: ignore[attr-defined]
    number = send_quote(doc.db, doc, "dana").quote_number
    folder = tmp_path / "Vantage"
    folder.mkdir()
    dialogs.answers.append(str(folder / "mine"))  # the user may still type a name of their own
    exports.quote_action.trigger()
    qtbot.waitUntil(lambda: exports.running is None, timeout=10000)
    assert Path(dialogs.proposed[-1]).name == f"{number} rev 1 – Vantage @ MedTech Expo.xlsx"
    assert (folder / "mine.xlsx").exists()
    # The next export, even in a new session, starts in that folder with its own name.
    again = ExportActions(window)  # type: ignore[arg-type]
    again.update_enabled()
    again.cost_sheet_action.trigger()  # the dialog is cancelled: nothing written
    qtbot.waitUntil(lambda: len(dialogs.proposed) == 2)
    assert Path(dialogs.proposed[-1]) == folder / f"{number} rev 1 – Vantage @ MedTech Expo – cost sheet.xlsx"
    assert window.settings.value("export/folder") == str(folder)  # type: ignore[attr-defined]
    assert again.running is None


def test_the_name_is_worked_out_off_the_gui_thread(qtbot: Any, exports: ExportActions, dialogs: FakeDialogs,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from app.ui.excel import export_actions

    threads = []
    real = export_actions.estimate_file_name

    def naming(*args: Any, **kwargs: Any) -> str:
        threads.append(threading.current_thread())  # comparing 5,000 lines with the revision sent takes ~1 s
        return real(*args, **kwargs)

    monkeypatch.setattr(export_actions, "estimate_file_name", naming)
    exports.cost_sheet_action.trigger()
    assert not exports.cost_sheet_action.isEnabled()  # one export at a time, from the first click
    qtbot.waitUntil(lambda: len(dialogs.proposed) == 1)
    assert threads and threads[0] is not threading.main_thread()
    assert Path(dialogs.proposed[0]).name == "Vantage @ MedTech Expo – Full booth – cost sheet.xlsx"
