"""What the robustness tests share: child processes, and the figures printed at the end.

Each test records what it did in ``figures`` (cycles, kills, conflicts, backups,
corruptions found); at the end of the run they are printed and written to
``bench/out/robustness.json`` for the README to quote.
"""

from __future__ import annotations

import json
import os
import platform
import queue
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURES_FILE = ROOT / "bench" / "out" / "robustness.json"
_FIGURES: dict[str, dict[str, Any]] = {}
_FIGURES_KEY = "tandem_robustness_figures"
# The figures that count a failure of the promise (each test also fails on any of them).
_FAILURES = {"corruptions", "partial_states", "corrupt_or_partial", "lost_updates"}


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain read-only sqlite3 connection: what a check sees, bypassing Tandem."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def integrity(conn: sqlite3.Connection) -> str:
    return "; ".join(str(row[0]) for row in conn.execute("PRAGMA integrity_check"))


class Worker:
    """A child process (``python -m tests.stress.workers …``) whose output lines are read as they come."""

    def __init__(self, *args: object, module: str = "tests.stress.workers") -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-W", "error", "-m", module, *map(str, args)],
            cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        self._stderr.extend(self.proc.stderr)

    def expect(self, word: str, timeout: float = 30) -> str:
        """Wait for the next line starting with ``word``; fail if the process ends or stalls first."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {word!r} from the worker within {timeout} s") from None
            if line is None:
                raise AssertionError(f"the worker ended before {word!r}: {self.stderr}")
            self.lines.append(line)
            if line.startswith(word):
                return line

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        """SIGKILL (TerminateProcess on Windows): no clean-up of any kind in the child."""
        self.proc.kill()
        self.proc.wait(timeout=30)

    def finish(self, timeout: float = 120) -> list[str]:
        """Wait for the process to end by itself; every line it wrote."""
        self.proc.wait(timeout=timeout)
        while (line := self._queue.get(timeout=10)) is not None:
            self.lines.append(line)
        return self.lines

    def drain(self) -> list[str]:
        """After a kill: every line the process wrote before it died."""
        return self.finish(timeout=30)

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.kill()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


def run_together(users: list[Worker], timeout: float = 120) -> list[dict[str, Any]]:
    """Start users at once ("go" once all are "ready"), wait until each is "done"; every JSON line logged."""
    for user in users:
        user.expect("ready")
    for user in users:
        user.send("go")
    events = []
    for user in users:
        lines = user.finish(timeout=timeout)
        assert user.proc.returncode == 0, user.stderr
        assert lines[-1] == "done"
        events += [json.loads(line) for line in lines if line.startswith("{")]
    return events


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    """Start workers with ``workers.append(Worker(…))``; any left running are killed at the end."""
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.close()


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Iterator[dict[str, dict[str, Any]]]:
    """Where a test puts what it measured: ``figures["kills"] = {...}``.

    They travel in the test's report (``user_properties``), so that under pytest-xdist the
    figures measured in a worker reach the summary printed by the controlling process.
    """
    measured: dict[str, dict[str, Any]] = {}
    yield measured
    for name, values in measured.items():
        request.node.user_properties.append((_FIGURES_KEY, json.dumps({name: values}, default=str)))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "teardown":
        return
    for key, value in report.user_properties:
        if key == _FIGURES_KEY:
            _FIGURES.update(json.loads(str(value)))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _FIGURES:
        return
    terminalreporter.section("robustness figures")
    for name, values in _FIGURES.items():
        shown = ", ".join(f"{k} {v}" for k, v in values.items())
        terminalreporter.write_line(f"{name}: {shown}")
    found = sum(v for values in _FIGURES.values() for k, v in values.items() if k in _FAILURES)
    terminalreporter.write_line(f"corruptions, partial states and lost updates found: {found}")
    # Merge into the file: a run of one test keeps the other tests' last figures.
    try:
        data = json.loads(FIGURES_FILE.read_text())
    except (OSError, ValueError):
        data = {}
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for name, values in _FIGURES.items():
        data[name] = {**values, "measured_at": stamp}
    data["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                       "system": platform.system()}
    FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
    FIGURES_FILE.write_text(json.dumps(data, indent=2, default=str) + "\n")
    terminalreporter.write_line(f"written to {FIGURES_FILE.relative_to(ROOT)}")
