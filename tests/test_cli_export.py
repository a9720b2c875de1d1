"""`tandem export` as a real process: the quote and the cost sheet, and one-line errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.services.demo import build_demo
from app.services.storage.database import open_database
from tests.factories import make_estimate
from tests.test_cli import assert_one_line_error, tandem

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-export") / "demo.db"
    db = open_database(path)
    try:
        build_demo(db)
    finally:
        db.close()
    return path


def test_export_the_quote_and_the_cost_sheet(demo_file: Path, tmp_path: Path, tandem_home: Path) -> None:
    out = tmp_path / "quote.xlsx"
    result = tandem("export", "--db", str(demo_file), "--estimate", "Full booth", "--out", str(out),
                    home=tandem_home)
    assert result.returncode == 0, result.stderr
    assert "Wrote the quote of Vantage Medical › Vantage @ MedTech Expo › Full booth" in result.stdout
    wb = load_workbook(out)
    assert wb.sheetnames == ["Quote"]
    assert "LED video panels, 500 mm (392 panels)" in [c.value for c in wb["Quote"]["A"]]
    costs = tmp_path / "costs.xlsx"
    result = tandem("export", "--db", str(demo_file), "--estimate", "half booth", "--out", str(costs),
                    "--internal", home=tandem_home)
    assert result.returncode == 0, result.stderr
    assert "cost sheet" in result.stdout
    assert load_workbook(costs).sheetnames == [
        "Cost sheet", "Crew", "Supplier orders", "Tandem data", "Tandem parameters", "Tandem estimate"]


def test_export_the_quote_as_a_pdf(demo_file: Path, tmp_path: Path, tandem_home: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "quote.pdf"
    env_display = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # a headless machine
    result = subprocess.run(
        [sys.executable, "-m", "app", "export", "--db", str(demo_file), "--estimate", "Full booth",
         "--out", str(out), "--pdf"],
        capture_output=True, text=True, timeout=120, env={**env_display, "TANDEM_HOME": str(tandem_home)},
        cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 0, result.stderr
    assert "as a PDF (1 page" in result.stdout or "as a PDF (2 pages" in result.stdout, result.stdout
    text = " ".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "LED video panels, 500 mm (392 panels)" in " ".join(text.split())
    wrong = tandem("export", "--db", str(demo_file), "--estimate", "Full booth", "--out",
                   str(tmp_path / "quote.xlsx"), "--pdf", home=tandem_home)
    assert_one_line_error(wrong, "must end in .pdf")
    assert not (tmp_path / "quote.xlsx").exists()


def test_an_unknown_estimate_lists_the_choices(demo_file: Path, tmp_path: Path, tandem_home: Path) -> None:
    out = tmp_path / "quote.xlsx"
    result = tandem("export", "--db", str(demo_file), "--estimate", "Quarter booth", "--out", str(out),
                    home=tandem_home)
    assert_one_line_error(result, "No estimate called “Quarter booth”", "Full booth", "Half booth")
    assert not out.exists()


def test_an_ambiguous_name_lists_the_matches(tmp_path: Path, tandem_home: Path, demo_file: Path) -> None:
    path = tmp_path / "twice.db"
    shutil.copy(demo_file, path)
    db = open_database(path)
    try:
        copy = make_estimate(db, 3, 1, name="Full booth")  # another project's "Full booth"
    finally:
        db.close()
    result = tandem("export", "--db", str(path), "--estimate", "Full booth", "--out",
                    str(tmp_path / "q.xlsx"), home=tandem_home)
    assert_one_line_error(result, "2 estimates are called “Full booth”", "Give the id instead")
    by_id = tandem("export", "--db", str(path), "--estimate", str(copy), "--out", str(tmp_path / "q.xlsx"),
                   home=tandem_home)
    assert by_id.returncode == 0, by_id.stderr


@pytest.mark.parametrize("problem", ["no database", "not a database", "no folder", "a folder", "not xlsx"])
def test_errors_are_one_line(problem: str, demo_file: Path, tmp_path: Path, tandem_home: Path) -> None:
    db, out = str(demo_file), tmp_path / "quote.xlsx"
    if problem == "no database":
        db = str(tmp_path / "missing.db")
    elif problem == "not a database":
        (tmp_path / "junk.db").write_bytes(b"this is not SQLite" * 100)
        db = str(tmp_path / "junk.db")
    elif problem == "no folder":
        out = tmp_path / "nowhere" / "quote.xlsx"
    elif problem == "a folder":
        out.mkdir()
    else:
        out = tmp_path / "quote.csv"
    result = tandem("export", "--db", db, "--estimate", "Full booth", "--out", str(out), home=tandem_home)
    assert_one_line_error(result)
    assert not (tmp_path / "quote.csv").exists()


def _limited(limit: int) -> None:
    """In the child: no file may grow past ``limit`` bytes. A write past it fails with EFBIG (as
    a write to a full disk fails with ENOSPC) instead of the signal that would kill the process."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a file size limit (RLIMIT_FSIZE) needs POSIX")
@pytest.mark.parametrize("internal", [False, True], ids=["quote", "cost sheet"])
def test_export_that_runs_out_of_space_is_one_line(demo_file: Path, tmp_path: Path, tandem_home: Path,
                                                   internal: bool) -> None:
    """A real process whose files stop growing part way (the rows streamed to the temporary folder,
    or the archive): one line, exit 1, the earlier workbook untouched, no file left behind."""
    out, temp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    temp.mkdir()
    target = out / "estimate.xlsx"
    args = ["export", "--db", str(demo_file), "--estimate", "Full booth", "--out", str(target),
            *(["--internal"] if internal else [])]
    assert tandem(*args, home=tandem_home).returncode == 0
    good = target.read_bytes()
    env = {**os.environ, "TANDEM_HOME": str(tandem_home), "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(temp)}
    for limit in (len(good) // 4, len(good) * 9 // 10):
        result = subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env,
                                timeout=60, cwd=Path(__file__).resolve().parents[1],
                                preexec_fn=lambda limit=limit: _limited(limit))
        assert_one_line_error(result, f"Cannot write {target}: ", "; the existing file is unchanged.")
        assert result.returncode == 1
        assert target.read_bytes() == good
        assert [p.name for p in out.iterdir()] == [target.name]
        assert list(temp.iterdir()) == []
