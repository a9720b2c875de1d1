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
        window.close()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
