"""The command line, run as real processes: demo, check, --db, and clear one-line errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.services.storage.database import HEAD_REVISION

pytestmark = pytest.mark.slow


def tandem(*args: str, home: Path, timeout: float = 60,
           preexec_fn: Callable[[], object] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TANDEM_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True, text=True, env=env, timeout=timeout,
        cwd=Path(__file__).resolve().parents[1], preexec_fn=preexec_fn,
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


def test_gui_first_run_tries_the_demo_in_its_own_file(tandem_home: Path) -> None:
    # The first run shows the welcome window; --smoke takes its "Try the demo company" without a click.
    result = tandem("--smoke", home=tandem_home)
    assert result.returncode == 0, result.stderr
    assert "Full booth: total 95580.00, 11 lines" in result.stdout
    assert (tandem_home / "demo.db").exists()
    assert not (tandem_home / "tandem.db").exists()  # the company's database is never the demo's


def test_gui_opens_the_file_opened_last_and_the_welcome_when_it_is_gone(tmp_path: Path,
                                                                       tandem_home: Path) -> None:
    office = tmp_path / "office.db"
    assert tandem("demo", "--db", str(office), home=tandem_home).returncode == 0
    (tandem_home / "settings.ini").write_text(f"[database]\nlast={office}\n")
    result = tandem("--smoke", home=tandem_home)
    assert result.returncode == 0, result.stderr
    assert "Full booth: total 95580.00" in result.stdout
    assert not (tandem_home / "demo.db").exists()  # no first run: the configured file was opened
    office.unlink()
    result = tandem("--smoke", home=tandem_home)  # gone: the welcome again (smoke takes the demo)
    assert result.returncode == 0, result.stderr
    assert (tandem_home / "demo.db").exists()
    assert "demo.db" in (tandem_home / "settings.ini").read_text()  # remembered for the next start


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


# -- odd targets: every command refuses them in one line, and none waits -----------------------------


@pytest.fixture(scope="module")
def odd_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database, its laptop copy, a symbolic link loop and a named pipe."""
    from app.services.demo import build_demo
    from app.services.storage.database import open_database
    from app.services.storage.offline_take import take_offline

    folder = tmp_path_factory.mktemp("odd")
    db = open_database(folder / "office.db")
    build_demo(db)
    db.close()
    take_offline(folder / "office.db", folder / "laptop.db")
    (folder / "loop.db").symlink_to("loop.db")
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.db")
    return folder


ODD_COMMANDS = {
    "check": ["check", "--db", "{t}"],
    "backup": ["backup", "--db", "{t}", "--out", "{new}"],
    "backup-out": ["backup", "--db", "office.db", "--out", "{t}"],
    "demo": ["demo", "--db", "{t}"],
    "export": ["export", "--db", "{t}", "--estimate", "Full booth", "--out", "{new}.xlsx"],
    "take": ["offline", "take", "--db", "{t}", "--out", "{new}"],
    "take-out": ["offline", "take", "--db", "office.db", "--out", "{t}"],
    "merge-into": ["offline", "merge", "--db", "laptop.db", "--into", "{t}"],
    "gui": ["--db", "{t}", "--smoke"],
}
ODD_TARGETS = {"loop.db": "is a symbolic link that leads back to itself (a loop)",
               "pipe.db": "is a named pipe (FIFO), not a file"}


@pytest.mark.parametrize("target", ODD_TARGETS)
@pytest.mark.parametrize("command", ODD_COMMANDS)
def test_odd_targets_are_refused_in_one_line(odd_folder: Path, tandem_home: Path, target: str,
                                             command: str) -> None:
    if target == "pipe.db" and not hasattr(os, "mkfifo"):
        pytest.skip("named pipes are POSIX")
    new = odd_folder / f"new-{command}-{target}"
    args = [a.format(t=odd_folder / target, new=new).replace("office.db", str(odd_folder / "office.db"))
            .replace("laptop.db", str(odd_folder / "laptop.db")) for a in ODD_COMMANDS[command]]
    before = sorted(p.name for p in odd_folder.iterdir())
    try:
        result = tandem(*args, home=tandem_home, timeout=45)
    except subprocess.TimeoutExpired:
        pytest.fail(f"tandem {command} waited on {target}")
    # As the output of a backup or a laptop copy, a pipe is a name that is taken.
    taken = target == "pipe.db" and command.endswith("-out")
    assert_one_line_error(result, "already exists" if taken else ODD_TARGETS[target])
    assert sorted(p.name for p in odd_folder.iterdir()) == before  # nothing made, nothing left


def test_another_programs_file_stamped_like_tandem_is_refused(tmp_path: Path, tandem_home: Path) -> None:
    import sqlite3

    path = tmp_path / "photos.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    conn.execute(f"INSERT INTO alembic_version VALUES ('{HEAD_REVISION}')")
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, title TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for args in (["check", "--db", str(path)], ["--db", str(path), "--smoke"]):
        result = tandem(*args, home=tandem_home)
        assert_one_line_error(result, "another program's tables")
        assert "integrity: ok" not in result.stdout
    assert path.read_bytes() == before


@pytest.mark.parametrize("args", [["check", "--db"], ["demo", "--db"], ["--smoke", "--db"]])
def test_a_password_with_an_unencoded_at_is_never_shown(tandem_home: Path, args: list[str]) -> None:
    result = tandem(*args, "postgresql://sam:Wr0ng@Secret@db.example/office", home=tandem_home)
    assert_one_line_error(result, "is malformed")
    for secret in ("Wr0ng", "Secret"):
        assert secret not in result.stdout + result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="a file size limit (RLIMIT_FSIZE) is POSIX")
def test_a_failing_disk_says_what_happened_and_nothing_is_lost(tmp_path: Path, tandem_home: Path) -> None:
    """The demo written onto a disk that fails once the file grows: EFBIG, which SQLite reports
    as a disk I/O error, as it does a network share that stopped answering."""
    import resource
    import signal
    import sqlite3

    from app.services.storage.check import check_database
    from app.services.storage.database import open_database

    empty = tmp_path / "empty.db"
    open_database(empty).close()
    limit = empty.stat().st_size + 8192  # the new schema fits; the demo company does not

    def failing_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    db = tmp_path / "demo.db"
    result = tandem("demo", "--db", str(db), home=tandem_home, preexec_fn=failing_disk)
    assert_one_line_error(result, f"{db}: the disk or network share stopped answering (disk I/O error)",
                          "Nothing saved before is lost")
    assert check_database(db).ok  # the schema saved before the failure, whole
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM company").fetchone() == (0,)
    finally:
        conn.close()
