"""Build the one-folder app with PyInstaller, then smoke-run it before anything is packaged.

    python installers/build.py        # from the repository root, inside .venv (pip install -e .[dev])

The smoke run opens the frozen app on a fresh demo database offscreen and checks that the
Full booth estimate shows its EXAMPLE.md total; the build fails if it does not.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
         "--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build"),
         str(ROOT / "installers" / "tandem.spec")],
        check=True, cwd=ROOT,
    )
    exe = ROOT / "dist" / "tandem" / ("tandem.exe" if os.name == "nt" else "tandem")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TANDEM_HOME": home, "QT_QPA_PLATFORM": "offscreen"}
        result = subprocess.run([str(exe), "--smoke"], capture_output=True, text=True, env=env, timeout=120)
    print(result.stdout.strip())
    if result.returncode != 0 or "Full booth: total 95580.00" not in result.stdout:
        print(result.stderr, file=sys.stderr)
        print("smoke run of the frozen app FAILED", file=sys.stderr)
        return 1
    size = sum(f.stat().st_size for f in (ROOT / "dist" / "tandem").rglob("*") if f.is_file())
    print(f"frozen app: {exe} ({size / 1e6:.0f} MB); smoke run ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
