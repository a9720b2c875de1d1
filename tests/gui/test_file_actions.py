"""File menu commands on real files: back up, restore, open a damaged file, take offline, merge back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.services.estimate.document import EstimateDocument
from app.services.storage import backup
from app.services.storage.database import open_database
from app.ui.main_window import MainWindow
from app.ui.storage.merge_dialog import MergeDialog
from tests.gui.helpers import cell, line_id, type_into_cell, workspace

pytestmark = pytest.mark.gui


def wait_idle(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: win.file_actions.progress is None, timeout=15000)


def panels_quantity(path: Path, estimate_id) -> int:  # type: ignore[no-untyped-def]
    db = open_database(path)
    try:
        doc = EstimateDocument(db, estimate_id)
        return int(next(line for line in doc.lines() if line.description.startswith("500 mm")).quantity)
    finally:
        db.close()


def test_back_up_now_and_restore_into_a_new_file(qtbot, window, dialogs, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    original = ws.doc.db.path
    estimate = ws.doc.estimate_id
    qtbot.waitUntil(lambda: len(backup.list_backups(original)) >= 1, timeout=10000)  # taken on open
    window.file_actions.backup_action.trigger()
    wait_idle(qtbot, window)
    assert "Backed up to" in window.statusBar().currentMessage()
    assert len(backup.list_backups(original)) == 2
    type_into_cell(qtbot, ws.production_view, cell(window, line_id(window, "500 mm LED panels, owned"),
                                                     "quantity"), "10")
    restored = tmp_path / "restored.db"
    dialogs.answers += [0, str(restored)]  # the newest backup, then where to put it
    window.file_actions.restore_action.trigger()
    assert window.db is not None and window.db.path == restored
    assert panels_quantity(restored, estimate) == 392
    assert panels_quantity(original, estimate) == 10  # the live file was not touched
    assert "the original was not touched" in window.statusBar().currentMessage()


def test_a_damaged_file_is_left_alone_and_its_backup_offered(qtbot, window, dialogs, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    estimate = ws.doc.estimate_id
    copy = tmp_path / "office.db"
    shutil.copy(ws.doc.db.path, copy)
    backup.snapshot(copy)
    data = bytearray(copy.read_bytes())
    data[100:8192] = b"\xa5" * (8192 - 100)
    copy.write_bytes(bytes(data))
    damaged = copy.read_bytes()
    restored = tmp_path / "office-restored.db"
    dialogs.answers += [str(copy), str(restored)]
    window.file_actions.open_action.trigger()
    confirm = [d for d in dialogs.shown if d[0] == "confirm"][-1]
    assert "Restore it into a new file" in confirm[2] and "damaged" in confirm[2]
    assert copy.read_bytes() == damaged
    assert window.db is not None and window.db.path == restored
    assert window.workspace is not None
    assert panels_quantity(restored, estimate) == 392


def test_take_offline_then_merge_back_with_a_conflict(qtbot, window, dialogs, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    share = ws.doc.db.path
    estimate = ws.doc.estimate_id
    laptop = tmp_path / "laptop.db"
    dialogs.answers.append(str(laptop))
    dialogs.confirm_answer = True  # open the laptop copy now
    window.file_actions.offline_action.trigger()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.db is not None and window.db.path == laptop, timeout=10000)
    assert (tmp_path / "laptop.db.base.db").exists() or any(tmp_path.glob("laptop*.base.db"))

    # At the show: the laptop changes the panels and the truck; at the office, the panels too.
    ws = workspace(window)
    type_into_cell(qtbot, ws.production_view, cell(window, line_id(window, "500 mm LED panels, owned"),
                                                     "quantity"), "300")
    truck = line_id(window, "Truck, round trip, RoadRunner Freight")
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "quantity"), "2")
    office = open_database(share)
    try:
        doc = EstimateDocument(office, estimate)
        panels = next(line for line in doc.lines() if line.description.startswith("500 mm"))
        doc.set_line_fields(panels.id, doc.parse_line_edit(panels.id, "quantity", "200"))
    finally:
        office.close()

    dialogs.answers.append(str(share))
    window.file_actions.merge_action.trigger()
    qtbot.waitUntil(lambda: window.file_actions.merge_dialog is not None, timeout=15000)
    dialog = window.file_actions.merge_dialog
    assert isinstance(dialog, MergeDialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "Quantity"
    assert (dialog.table.item(0, 2).text(), dialog.table.item(0, 3).text(),
            dialog.table.item(0, 4).text()) == ("392", "300", "200")
    assert not dialog.merge_button.isEnabled()  # every conflict needs a decision
    qtbot.mouseClick(dialog.all_laptop, Qt.MouseButton.LeftButton)
    assert dialog.merge_button.isEnabled()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(d[1] == "Merge back" for d in dialogs.shown), timeout=15000)
    assert "Merged into the share" in [d for d in dialogs.shown if d[1] == "Merge back"][-1][2]
    merged = open_database(share)
    try:
        doc = EstimateDocument(merged, estimate)
        by_name = {line.description: line for line in doc.lines()}
        assert by_name["500 mm LED panels, owned"].quantity == 300  # the laptop's, as chosen
        assert by_name["Truck, round trip, RoadRunner Freight"].quantity == 2  # laptop only: applied
    finally:
        merged.close()


def test_merge_cancelled_writes_nothing(qtbot, window, dialogs, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    share = ws.doc.db.path
    laptop = tmp_path / "laptop.db"
    dialogs.answers.append(str(laptop))
    dialogs.confirm_answer = True
    window.file_actions.offline_action.trigger()
    qtbot.waitUntil(lambda: window.db is not None and window.db.path == laptop, timeout=15000)
    ws = workspace(window)
    type_into_cell(qtbot, ws.production_view, cell(window, line_id(window, "Project management"),
                                                     "quantity"), "45")
    before = share.read_bytes()
    dialogs.answers.append(str(share))
    window.file_actions.merge_action.trigger()
    qtbot.waitUntil(lambda: window.file_actions.merge_dialog is not None, timeout=15000)
    window.file_actions.merge_dialog.reject()
    assert "nothing was written" in window.statusBar().currentMessage()
    assert share.read_bytes() == before


def test_odd_files_are_refused_and_the_open_database_stays(qtbot, window, dialogs, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import sqlite3

    loop = tmp_path / "loop.db"
    loop.symlink_to(loop.name)
    stamped = tmp_path / "photos.db"
    conn = sqlite3.connect(stamped)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    conn.execute("INSERT INTO alembic_version VALUES ('0004')")
    conn.commit()
    conn.close()
    odd = {loop: "symbolic link that leads back to itself", stamped: "another program's tables"}
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.db")
        odd[tmp_path / "pipe.db"] = "is a named pipe (FIFO)"
    before = window.db
    for path, words in odd.items():
        dialogs.answers.append(str(path))
        window.file_actions.open_action.trigger()  # a pipe would block the GUI thread here
        shown = dialogs.shown[-1]
        assert shown[0] == "error" and words in shown[2] and "\n" not in shown[2], shown
        assert window.db is before
