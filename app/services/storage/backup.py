"""Backups: consistent copies of a database file, made while others use it, and restores.

A backup is made with SQLite's backup API, which reads the live file through
SQLite's own locks: the copy is one committed state, even while another
process writes. Every copy is checked with ``PRAGMA quick_check`` before it
counts; a copy that fails is deleted (only that new file) and the failure
raised as a :class:`StorageError`.

- :func:`snapshot` — the backup taken when a database is opened: into the
  local backups folder (``<data folder>/backups/<name>-<hash of its path>/``,
  one file per backup named by its UTC time), keeping the newest ``keep``.
- :func:`list_backups` — those backups, newest first, with time and size.
- :func:`backup_to` — one copy into a new file the user names (``tandem backup``).
- :func:`restore_backup` — a backup copied into a NEW file, checked, for the
  user to open. Tandem never deletes, renames or replaces a live database file
  or its journal: "restore" never overwrites anything.

A file that is damaged, not an SQLite file, left with an unfinished transaction
or in WAL mode by another program is refused with a one-line message. No Qt here.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.services.paths import data_dir
from app.services.storage import database as storage
from app.services.storage import tempfiles
from app.services.storage.database import Database
from app.services.storage.errors import DatabaseLocked, NotADatabase, StorageError, wrap_sqlite_error
from app.services.storage.files import check_file, file_path, integrity_problem, truncation

DEFAULT_KEEP = 10
_STAMP = "%Y%m%dT%H%M%S.%fZ"  # 20250131T154500.123456Z: sorts as it happened, no ':' for Windows
_NAME = re.compile(r"^(\d{8}T\d{6}\.\d{6}Z)(?:-(\d+))?\.db$")
_JOURNAL_SUFFIXES = tempfiles.JOURNAL_SUFFIXES
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_STALE_PARTIAL_S = 3600  # a .partial this old was left by a process that stopped mid-copy


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # UTC
    size: int  # bytes

    def describe(self) -> str:
        local = self.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        return f"{local} — {self.size / 1024:,.0f} KB"


# -- where backups go -------------------------------------------------------------------------------


def _source_path(source: Database | str | os.PathLike[str]) -> Path:
    if isinstance(source, Database):
        if source.path is None:
            raise StorageError(
                f"{source.display_name} is a database server: back it up with the server's own tools."
            )
        return source.path
    if isinstance(source, str) and "://" in source:
        raise StorageError("A database server is backed up with the server's own tools, not by Tandem.")
    return file_path(source)


def backups_folder(source: Database | str | os.PathLike[str]) -> Path:
    """The default folder of one database's backups, under the user's data folder.

    Named by the file's name and a hash of its full path, so that two files called
    ``tandem.db`` (the local one and the office's share) never prune each other's backups.
    """
    path = _source_path(source)
    tag = hashlib.sha256(os.fsencode(path)).hexdigest()[:8]
    return data_dir() / "backups" / f"{path.stem}-{tag}"


def list_backups(
    source: Database | str | os.PathLike[str], backups_dir: str | os.PathLike[str] | None = None
) -> list[BackupInfo]:
    """The backups of a database in its backups folder, newest first."""
    folder = Path(backups_dir) if backups_dir is not None else backups_folder(source)
    return _backups_in(folder)


def _backups_in(folder: Path) -> list[BackupInfo]:
    found = []
    with suppress(FileNotFoundError, NotADirectoryError):
        for entry in os.scandir(folder):
            match = _NAME.match(entry.name)
            if not match or not entry.is_file():
                continue
            taken = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
            found.append((taken, int(match.group(2) or 0), BackupInfo(Path(entry.path), taken,
                                                                     entry.stat().st_size)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for _, _, info in found]


def prune(folder: str | os.PathLike[str], keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups in a backups folder; return what was deleted.

    Only files named as backups (and copies abandoned mid-way) are ever deleted.
    """
    if keep < 1:
        raise ValueError("keep at least one backup")
    folder = Path(folder)
    deleted = []
    for info in _backups_in(folder)[keep:]:
        with suppress(FileNotFoundError):  # another Tandem pruned it first
            info.path.unlink()
            deleted.append(info.path)
    tempfiles.remove_stale_in(folder)
    now = time.time()
    for partial in folder.glob(".*.partial"):  # left by Tandems before tempfiles
        with suppress(FileNotFoundError):
            if now - partial.stat().st_mtime > _STALE_PARTIAL_S:
                partial.unlink()
    return deleted


# -- making copies ----------------------------------------------------------------------------------


def snapshot(
    source: Database | str | os.PathLike[str],
    backups_dir: str | os.PathLike[str] | None = None,
    keep: int = DEFAULT_KEEP,
) -> BackupInfo:
    """Back up a database into its backups folder, check the copy, keep the newest ``keep``.

    ``source`` is an open :class:`Database` (the backup on open) or a file path.
    """
    if keep < 1:
        raise ValueError("keep at least one backup")
    path = _source_path(source)
    folder = Path(backups_dir) if backups_dir is not None else backups_folder(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"Cannot create the backups folder {folder}: {error.strerror or error}.") from None
    taken = datetime.now(UTC)
    stamp = taken.strftime(_STAMP)
    with tempfiles.temporary(folder / f"{stamp}.db", "backup") as temp:
        _reserve(temp, folder / f"{stamp}.db")
        with _open_source(path, opened=isinstance(source, Database)) as src:
            _copy_checked(src, path, temp)
        final = _publish_free(temp, folder, stamp)
    prune(folder, keep)
    return BackupInfo(final, taken, final.stat().st_size)


def _publish_free(temp: Path, folder: Path, stamp: str) -> Path:
    n = 0
    while True:  # two backups in one microsecond take -1, -2, …
        final = folder / (f"{stamp}.db" if n == 0 else f"{stamp}-{n}.db")
        try:
            tempfiles.publish(temp, final)
            return final
        except tempfiles.NameTaken:
            n += 1


def backup_to(source: Database | str | os.PathLike[str], out_file: str | os.PathLike[str]) -> BackupInfo:
    """Back up a database into a new file ``out_file`` (never over an existing one), checked.

    The copy is made under a hidden name beside ``out_file`` and takes that name only
    once it passed its check: killed at any moment, it leaves no file under the chosen name.
    """
    path = _source_path(source)
    out = _new_file(out_file, avoid=path)
    _copy_into_new_file(path, out, "backup", opened=isinstance(source, Database))
    return BackupInfo(out, datetime.now(UTC), out.stat().st_size)


def restore_backup(backup_file: str | os.PathLike[str], target_path: str | os.PathLike[str]) -> Path:
    """Copy a backup into the NEW file ``target_path`` and check it; return the new file.

    The target must not exist: a restore never replaces a database. Open the returned
    file to work with the restored data. Like :func:`backup_to`, the target appears only
    when the copy is complete and checked.
    """
    backup = file_path(backup_file)
    target = _new_file(target_path, avoid=backup)
    _copy_into_new_file(backup, target, "restore", opened=False, what="The backup ")
    return target


def _copy_into_new_file(path: Path, out: Path, kind: str, *, opened: bool, what: str = "") -> None:
    tempfiles.remove_stale(out)  # what a killed copy to this name left
    with tempfiles.temporary(out, kind) as temp:
        _reserve(temp, out)
        with _open_source(path, opened=opened, what=what) as src:
            _copy_checked(src, path, temp, what=what)
        try:
            tempfiles.publish(temp, out)
        except tempfiles.NameTaken:
            raise StorageError(f"{out} already exists; a backup is only written into a new file.") from None
        except OSError as error:
            raise StorageError(f"Cannot write {out}: {error.strerror or error}.") from None


def _new_file(name: str | os.PathLike[str], avoid: Path) -> Path:
    """Vet the path of a file about to be made: new, not a journal's name, not the source."""
    out = file_path(name)
    if out == avoid or (out.exists() and avoid.exists() and os.path.samefile(out, avoid)):
        raise StorageError(f"Will not write onto {avoid} itself; name a new file.")
    if out.name.endswith(_JOURNAL_SUFFIXES):
        endings = ", ".join(_JOURNAL_SUFFIXES)
        raise StorageError(f"Will not write to {out}: SQLite uses names ending {endings} for journals; "
                           "name another file.")
    if out.exists():
        raise StorageError(f"{out} already exists; a backup is only written into a new file.")
    for suffix in _JOURNAL_SUFFIXES:
        if Path(f"{out}{suffix}").exists():
            # SQLite would take a leftover journal for the new file's own and play it back.
            raise StorageError(f"{out}{suffix} exists beside {out.name}; name another file.")
    if not out.parent.is_dir():
        raise StorageError(f"Cannot write {out}: the folder {out.parent} does not exist.")
    return out


def _reserve(temp: Path, out: Path) -> None:
    """Make the hidden file a copy is written into: a folder that cannot be written says so here."""
    try:
        os.close(os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except OSError as error:
        raise StorageError(f"Cannot write {out}: {error.strerror or error}.") from None


@contextmanager
def _open_source(path: Path, *, opened: bool, what: str = "") -> Iterator[sqlite3.Connection]:
    """A connection to read the file to copy.

    A file Tandem has open (``opened``) was checked and set to the rollback journal
    by :func:`open_database`, and is read like any other Tandem connection would.
    Any other file is opened read-only, after the same checks open_database makes
    on the bytes, so that backing it up can never change it.
    """
    check_file(path, create=False)
    if not opened:
        with path.open("rb") as handle:
            header = handle.read(20)
        if len(header) == 20 and 2 in (header[18], header[19]):
            raise StorageError(
                f"{what}{path} is in WAL mode (another program left it so); open it in Tandem once, "
                "which converts it, then try again."
            )
    uri = f"{path.as_uri()}?mode={'rw' if opened else 'ro'}"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=storage.BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise wrap_sqlite_error(error, str(path)) from None
    try:
        yield conn
    finally:
        conn.close()


def _copy_checked(src: sqlite3.Connection, path: Path, dest_path: Path, what: str = "") -> None:
    """Copy ``src`` into ``dest_path`` with the backup API, then ``quick_check`` the copy."""

    def busy(status: int, _remaining: int, _total: int) -> None:
        # Called after each step; a step waits the busy timeout for a lock before it says busy.
        if status in _BUSY_CODES:
            raise DatabaseLocked(f"{path} is locked by another program; no backup was made. "
                                 "Try again in a moment.")

    dest = sqlite3.connect(dest_path, isolation_level=None)
    try:
        try:
            # One read transaction: the size is checked and every page copied (in one
            # step) from one committed state, while writers elsewhere wait.
            src.execute("BEGIN")
            try:
                pages, size = (src.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
                cut = truncation(path, pages, size)
                if cut:
                    raise NotADatabase(f"{what}{path} is damaged ({cut}); no copy was made of it.")
                src.backup(dest, progress=busy)
            finally:
                src.execute("ROLLBACK")
        except sqlite3.Error as error:
            raise _refusal(error, path, what) from None
        try:
            dest.execute("PRAGMA journal_mode = DELETE")  # a backup is itself never a WAL file
            result = _check(dest)
        except sqlite3.DatabaseError as error:
            # A damaged page can make quick_check itself fail rather than report.
            result = str(error)
    finally:
        dest.close()
    if result != "ok":
        tempfiles.remove(dest_path)
        try:
            source_result = _check(src)
        except sqlite3.Error as error:
            source_result = str(error)
        if source_result != "ok":
            raise NotADatabase(f"{what}{path} is damaged ({source_result}); no copy was made of it.")
        raise StorageError(f"The copy of {path} failed its check ({result}) and was deleted; "
                           f"is {dest_path.parent} on a healthy disk?")


def _check(conn: sqlite3.Connection) -> str:
    return integrity_problem("\n".join(str(row[0]) for row in conn.execute("PRAGMA quick_check")))


def _refusal(error: sqlite3.Error, path: Path, what: str) -> StorageError:
    wrapped = wrap_sqlite_error(error, f"{what}{path}")
    if type(wrapped) is NotADatabase:
        return NotADatabase(f"{what}{path} is damaged ({error}); no copy was made of it.")
    return wrapped
