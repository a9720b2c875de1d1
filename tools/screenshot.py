"""Render Tandem's main window on the demo database to PNG files (for the README and for review).

    python tools/screenshot.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def capacity_shot(db, out: Path) -> Path:  # type: ignore[no-untyped-def]
    """The capacity chart for the Vantage show fortnight, with the crew scene the calendar tests use."""
    from datetime import date

    from PySide6.QtWidgets import QApplication

    from app.ui.capacity_view import CapacityView
    from tests.crew_scene import build_crew_scene

    build_crew_scene(db)
    view = CapacityView()
    view.resize(1400, 520)
    view.set_database(db)
    view.show()
    view.set_range(date(2027, 3, 1), date(2027, 3, 14))
    view.canvas.draw()
    view.canvas.setFocus()  # no date field highlighted in the picture
    QApplication.processEvents()
    path = out / "capacity.png"
    view.grab().save(str(path))
    view.close()
    return path


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TANDEM_HOME"] = tmp
        from PySide6.QtWidgets import QApplication

        from app.services.demo import build_demo
        from app.services.storage import open_database
        from app.ui.main_window import MainWindow

        app = QApplication(sys.argv)
        db = open_database(Path(tmp) / "demo.db")
        build_demo(db)
        window = MainWindow()
        window.resize(1920, 1000)
        window.set_database(db)
        window.show()
        workspace = window.workspace
        assert workspace is not None
        doc = workspace.doc
        workspace.focus_row(doc.sections[0].lines[0].id)
        app.processEvents()
        window.grab().save(str(out / "workspace.png"))
        print(out / "workspace.png")
        print(capacity_shot(db, out))
        window.close()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
