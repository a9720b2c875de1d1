"""Starting the GUI: the application object, a splash while the data layer loads, the main window."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

_IMPORTED_AT = time.perf_counter()


def _splash() -> QLabel:
    """A plain splash window (QSplashScreen waits up to a second for the window system)."""
    splash = QLabel("Tandem\nOpening the database…")
    splash.setObjectName("splash")
    splash.setWindowFlags(Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
    splash.setAlignment(Qt.AlignmentFlag.AlignCenter)
    splash.setFixedSize(420, 160)
    splash.setStyleSheet("QLabel { background: #1f2937; color: #f9fafb; font-size: 18px; }")
    return splash


def run_gui(db_target: str | None, smoke: bool = False) -> int:
    """Open the GUI on ``db_target`` (a path or URL), or on the default database.

    With ``smoke``, paint the main window once, print the time since the process
    started and what it shows, and quit.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Tandem")
    app.setOrganizationName("Tandem")
    splash = _splash()
    splash.show()
    app.processEvents()

    # Normally already imported by app.__main__, before PySide6 (see there).
    from app.services.paths import data_dir, default_database
    from app.services.storage.database import is_url, open_database
    from app.services.storage.errors import NotADatabase, StorageError
    from app.ui.company.welcome import FirstRun
    from app.ui.dialogs import UserDialogs
    from app.ui.main_window import MainWindow

    dialogs = UserDialogs()
    settings = QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    target = db_target or _configured_database(settings) or str(default_database())
    window = MainWindow(dialogs=dialogs, settings=settings, backup_on_open=not smoke,
                        watch_sharing=not smoke)
    if db_target is None and not is_url(target) and not Path(target).exists():
        # The first run (or the files opened before are gone): the welcome window, not an empty database.
        splash.close()
        first_run = FirstRun(window, default_database())
        if smoke:
            first_run.try_demo()  # what a new user can do at once, checked without a click
            return _smoke_report(app, window)
        first_run.show()
        return _run(app, window)
    db = None
    try:
        db = open_database(target)
    except StorageError as error:
        splash.close()
        print(f"tandem: error: {error}", file=sys.stderr)
        # A damaged file is never written to; its newest backup can go into a new file.
        if smoke or not isinstance(error, NotADatabase) or "://" in target:
            if not smoke:
                dialogs.error(None, "Tandem cannot open the database", str(error))
            window.deleteLater()
            return 1
        if not window.file_actions.offer_restore(target, str(error)):
            window.deleteLater()
            return 1
    if db is not None:
        window.set_database(db)
    window.show()
    splash.close()
    if smoke:
        return _smoke_report(app, window)
    return _run(app, window)


def _run(app: QApplication, window: MainWindow) -> int:
    code = app.exec()
    if window.db is not None:
        window.db.close()
    return code


def _configured_database(settings: QSettings) -> str | None:
    """The database file opened last (a user-local preference), if it is still there."""
    value = settings.value("database/last")
    return str(value) if value and Path(str(value)).is_file() else None


def _smoke_report(app: QApplication, window: MainWindow) -> int:
    """Paint once, then print start-up time and the open estimate's totals."""
    window.repaint()
    app.processEvents()
    elapsed = time.perf_counter() - _process_start()
    workspace = getattr(window, "workspace", None)
    shown = "no estimate"
    if workspace is not None:
        totals = workspace.doc.totals
        shown = f"{workspace.doc.header.name}: total {totals.total}, {workspace.doc.line_count} lines"
    print(f"smoke ok: main window shown in {elapsed * 1000:.0f} ms; {shown}", flush=True)
    window.close()
    if window.db is not None:
        window.db.close()
    return 0


def _process_start() -> float:
    """perf_counter() at process start, from the OS's record of the process's CPU-less age."""
    try:
        import os

        with open(f"/proc/{os.getpid()}/stat") as handle:
            start_ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as handle:
            uptime = float(handle.read().split()[0])
        age = uptime - start_ticks / os.sysconf("SC_CLK_TCK")
        return time.perf_counter() - age
    except (OSError, ValueError, IndexError):
        return _IMPORTED_AT
