#!/usr/bin/env python3
"""Set up Tandem's virtual environment and run the app, the tests or the benchmarks.

    python3 dev.py run [tandem arguments]   # set up (first time) and open Tandem
    python3 dev.py test [pytest arguments]  # set up (first time) and run the test suite
    python3 dev.py bench                     # run every benchmark in bench/

Needs only Python 3.11+. The environment lives in .venv/ beside this file and is
reinstalled when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".tandem-installed"


def _venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _wanted_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{digest} {sys.version_info[:2]}"


def ensure_env() -> Path:
    """Create .venv and install Tandem with its test extras unless already current."""
    if sys.version_info < (3, 11):
        sys.exit(f"Tandem needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    python = _venv_python()
    if not python.exists():
        print("dev.py: creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    wanted = _wanted_stamp()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        print("dev.py: installing Tandem and its dependencies into .venv …", flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"],
            check=True,
        )
        STAMP.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bench"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = ensure_env()
    env = dict(os.environ)
    if command == "run":
        return subprocess.call([str(python), "-m", "app", *rest], env=env)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("PYTHONUNBUFFERED", "1")  # progress shows as it happens, also through a pipe
    if command == "test":
        return subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT, env=env)
    status = 0
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        status |= subprocess.call([str(python), str(script), *rest], cwd=ROOT, env=env)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
