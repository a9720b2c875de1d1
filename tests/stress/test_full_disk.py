"""`tandem export` onto a disk that is really full: a tiny tmpfs, filled to a few pages of room.

Linux and root only (mounting a filesystem needs both); skipped elsewhere. The portable tests of
the same promise inject the failure (tests/test_excel_export.py) or cap the file size of a real
process (tests/test_cli_export.py). Each export must end with one line and exit 1, with no
second traceback (ZipFile.__del__ printed one), the workbook written before left byte for byte,
and nothing else left on the disk.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services.demo import build_demo
from app.services.storage.database import open_database
from tests.test_cli import assert_one_line_error, tandem

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                       reason="mounting a small filesystem needs Linux and root"),
]
PAGE = 4096


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, unmounted at the end."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _fill(disk: Path, room: int) -> None:
    """Leave ``room`` bytes free on ``disk`` (rounded to pages)."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with (disk / "filler").open("wb") as f:
        f.write(b"\0" * max(free - room, 0))


@pytest.mark.parametrize("internal", [False, True], ids=["quote", "cost sheet"])
def test_export_onto_a_full_disk(tmp_path: Path, small_disk: Path, tandem_home: Path,
                                 figures: dict[str, dict[str, Any]], internal: bool) -> None:
    db_path = tmp_path / "demo.db"
    db = open_database(db_path)
    try:
        build_demo(db)
    finally:
        db.close()
    target = small_disk / "estimate.xlsx"
    args = ["export", "--db", str(db_path), "--estimate", "Full booth", "--out", str(target),
            *(["--internal"] if internal else [])]
    assert tandem(*args, home=tandem_home).returncode == 0
    good = target.read_bytes()
    outcomes = {"exports": 0, "one_line_errors": 0, "second_tracebacks": 0, "good_file_replaced": 0,
                "files_left": 0}
    for room in (0, 2 * PAGE, len(good) // PAGE * PAGE):
        _fill(small_disk, room)
        result = tandem(*args, home=tandem_home)
        outcomes["exports"] += 1
        outcomes["second_tracebacks"] += "Traceback" in result.stderr or "Exception ignored" in result.stderr
        outcomes["good_file_replaced"] += target.read_bytes() != good
        left = sorted(p.name for p in small_disk.iterdir() if p.name not in ("filler", target.name))
        outcomes["files_left"] += len(left)
        assert_one_line_error(result, f"Cannot write {target}: the disk is full;",
                              "the existing file is unchanged.")
        assert result.returncode == 1
        assert left == []
        outcomes["one_line_errors"] += 1
        (small_disk / "filler").unlink()
    assert target.read_bytes() == good
    figures[f"full_disk_export_{'cost_sheet' if internal else 'quote'}"] = outcomes
