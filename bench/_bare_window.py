"""Start-up baseline: a bare PySide6 QMainWindow shown and painted once, timed as `--smoke` times Tandem."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication, QMainWindow

# The same clock as `python -m app --smoke`: time since the OS started this process.
from app.ui.app import _process_start


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1500, 860)  # MainWindow's default size
    window.setWindowTitle("bare")
    window.show()
    window.repaint()
    app.processEvents()
    elapsed = _elapsed_since_start()
    print(f"smoke ok: bare window shown in {elapsed * 1000:.0f} ms", flush=True)
    window.close()
    return 0


def _elapsed_since_start() -> float:
    import time

    return time.perf_counter() - _process_start()


if __name__ == "__main__":
    sys.exit(main())
