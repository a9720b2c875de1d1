"""Starting the GUI: the application object, a splash while the data layer loads, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QFont, QPixmap
from PySide6.QtWidgets import QApplication, QSplashScreen


def _splash() -> QSplashScreen:
    pixmap = QPixmap(420, 160)
    pixmap.fill(QColor("#1f2937"))
    splash = QSplashScreen(pixmap)
    splash.setObjectName("splash")
    font = QFont()
    font.setPointSize(14)
    splash.setFont(font)
    splash.showMessage("Tandem\nOpening the database…",
                       Qt.AlignmentFlag.AlignCenter, QColor("#f9fafb"))
    return splash


def run_gui(db_target: str | None) -> int:
    """Open the GUI on ``db_target`` (a path or URL), or on the default database."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Tandem")
    app.setOrganizationName("Tandem")
    splash = _splash()
    splash.show()
    app.processEvents()

    # The data layer (SQLAlchemy, SQLModel) is imported after the splash is up:
    # it is most of the start-up time.
    from app.services.demo import build_demo
    from app.services.paths import data_dir, default_database
    from app.services.storage import StorageError, open_database
    from app.ui.dialogs import UserDialogs
    from app.ui.main_window import MainWindow

    dialogs = UserDialogs()
    target = db_target or str(default_database())
    is_default_new = db_target is None and not Path(target).exists()
    try:
        if is_default_new:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        db = open_database(target)
        if is_default_new:
            build_demo(db)
    except StorageError as error:
        splash.close()
        dialogs.error(None, "Tandem cannot open the database", str(error))
        return 1
    settings = QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(dialogs=dialogs, settings=settings)
    window.set_database(db)
    window.show()
    splash.finish(window)
    code = app.exec()
    db.close()
    return code
