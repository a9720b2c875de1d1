"""The command line, run as real processes: demo, check, --db, and clear one-line errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.services.storage import HEAD_REVISION

pytestmark = pytest.mark.slow


def tandem(*args: str, home: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TANDEM_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True, text=True, env=env, timeout=timeout,
        cwd=Path(__file__).resolve().parents[1],
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip() and "propagateSizeHints" not in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tandem: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_demo_then_check(tmp_path: Path, tandem_home: Path) -> None:
    db = tmp_path / "demo.db"
    made = tandem("demo", "--db", str(db), home=tandem_home)
    assert made.returncode == 0, made.stderr
    assert "Northlight Productions" in made.stdout
    checked = tandem("check", "--db", str(db), home=tandem_home)
    assert checked.returncode == 0, checked.stderr
    assert f"schema: {HEAD_REVISION} (current" in checked.stdout
    assert "integrity: ok" in checked.stdout


def test_demo_refuses_an_existing_file(tmp_path: Path, tandem_home: Path) -> None:
    db = tmp_path / "mine.db"
    db.write_bytes(b"precious")
    result = tandem("demo", "--db", str(db), home=tandem_home)
    assert_one_line_error(result, "already exists")
    assert db.read_bytes() == b"precious"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "No database at"),
        (b"", "empty"),
        (b"PK\x03\x04 this is a spreadsheet, not a database" * 20, "not a Tandem database"),
    ],
)
def test_check_reports_bad_files_in_one_line(tmp_path: Path, tandem_home: Path,
                                             content: bytes | None, fragment: str) -> None:
    db = tmp_path / "bad.db"
    if content is not None:
        db.write_bytes(content)
    result = tandem("check", "--db", str(db), home=tandem_home)
    assert_one_line_error(result, fragment)
    if content is not None:
        assert db.read_bytes() == content


def test_check_reports_a_damaged_file(tmp_path: Path, tandem_home: Path) -> None:
    good = tmp_path / "good.db"
    assert tandem("demo", "--db", str(good), home=tandem_home).returncode == 0
    damaged = tmp_path / "damaged.db"
    data = bytearray(good.read_bytes())
    # Keep the header, scribble over the pages that hold the schema and the tables.
    data[100:4096 * 3] = b"\xa5" * (4096 * 3 - 100)
    damaged.write_bytes(bytes(data))
    result = tandem("check", "--db", str(damaged), home=tandem_home)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout


def test_gui_opens_a_new_file_given_with_db(tmp_path: Path, tandem_home: Path) -> None:
    db = tmp_path / "new.db"
    result = tandem("--db", str(db), "--smoke", home=tandem_home)
    assert result.returncode == 0, result.stderr
    assert "smoke ok: main window shown" in result.stdout
    assert "no estimate" in result.stdout  # a new file has no estimates, and no demo
    assert db.exists()


def test_gui_first_run_creates_the_demo_in_the_data_folder(tandem_home: Path) -> None:
    result = tandem("--smoke", home=tandem_home)
    assert result.returncode == 0, result.stderr
    assert "Full booth: total 95580.00, 11 lines" in result.stdout
    assert (tandem_home / "tandem.db").exists()


def test_gui_refuses_a_corrupt_db_with_one_line(tmp_path: Path, tandem_home: Path) -> None:
    db = tmp_path / "random.db"
    db.write_bytes(os.urandom(8192))
    before = db.read_bytes()
    result = tandem("--db", str(db), "--smoke", home=tandem_home)
    assert_one_line_error(result, "not a Tandem database")
    assert db.read_bytes() == before


def test_gui_refuses_an_unreadable_file(tmp_path: Path, tandem_home: Path) -> None:
    if os.geteuid() == 0:
        # root reads anything; a folder in its place is refused the same way.
        db = tmp_path / "folder.db"
        db.mkdir()
        result = tandem("--db", str(db), "--smoke", home=tandem_home)
        assert_one_line_error(result, "is a folder")
        return
    db = tmp_path / "locked.db"
    shutil.copy(Path(__file__), db)
    db.chmod(0)
    result = tandem("--db", str(db), "--smoke", home=tandem_home)
    assert_one_line_error(result, "permission denied")


def test_version_and_help(tandem_home: Path) -> None:
    result = tandem("--version", home=tandem_home)
    assert result.returncode == 0 and result.stdout.startswith("Tandem ")
    result = tandem("--help", home=tandem_home)
    assert result.returncode == 0
    assert "demo" in result.stdout and "check" in result.stdout


def test_check_says_when_the_file_is_on_a_share_that_does_not_lock(tmp_path: Path, tandem_home: Path) -> None:
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    assert tandem("demo", "--db", str(folder / "jobs.db"), home=tandem_home).returncode == 0
    result = tandem("check", "--db", str(folder / "jobs.db"), home=tandem_home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "share: does not lock files reliably (a Dropbox folder: each computer syncs its own copy); "
        "open it on one computer at a time")
