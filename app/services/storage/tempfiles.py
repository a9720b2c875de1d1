"""Tandem's temporary files: made beside the file they become, named after it, cleared when left.

Every file Tandem writes that must never be seen half-made (a backup, a restored copy,
a laptop copy and its base, the snapshot a merge reads) is written under a hidden name
in the folder of its final name, checked, and only then given that name (:func:`publish`,
which never replaces a file). A process killed on the way leaves at worst the hidden file:

    .<final name>.<kind>-<host>-<pid>-<random>.tmp      (and SQLite's -journal beside it)

:func:`remove_stale` deletes those leftovers — only names of this form, and only when the
process that made them is gone: on this computer, when no process has that id any more;
a file made by another computer (on a shared folder) only once it is a day old, since
that process cannot be asked. No Qt here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

KINDS = ("backup", "restore", "copy", "base", "merge")
# A temporary of another computer, or from a Tandem that did not name its process, is
# stale once untouched this long: no copy takes a day, and its owner cannot be asked.
UNOWNED_STALE_S = 24 * 3600
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]
JOURNAL_SUFFIXES = ("-journal", "-wal", "-shm")  # what SQLite may leave beside a file it wrote


# Older Tandems named them .<name>.<kind>-<random>.tmp (no host, no process).
_TEMPORARY = re.compile(
    rf"^\.(?P<name>.+)\.(?:{'|'.join(KINDS)})-(?:(?P<host>[0-9a-f]{{6}})-(?P<pid>\d+)-)?"
    rf"[0-9a-f]{{8}}\.tmp(?:{'|'.join(JOURNAL_SUFFIXES)})?$"
)


def name_for(final: Path, kind: str) -> Path:
    """A new hidden name beside ``final`` for a file of ``kind`` made by this process."""
    assert kind in KINDS, kind
    return final.with_name(f".{final.name}.{kind}-{_HOST}-{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")


@contextlib.contextmanager
def temporary(final: Path, kind: str) -> Iterator[Path]:
    """A hidden name beside ``final`` (same folder: the rename is atomic); removed afterwards
    with any journal SQLite left beside it, unless :func:`publish` gave it its name."""
    path = name_for(final, kind)
    try:
        yield path
    finally:
        remove(path)


def remove(path: Path) -> None:
    """Delete a file this process made, and any journal SQLite left beside it."""
    for leftover in (path, *(path.with_name(path.name + suffix) for suffix in JOURNAL_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


class NameTaken(Exception):
    """The final name appeared while the file was being made."""


def publish(temp: Path, final: Path) -> None:
    """Give a finished, checked file its name, never replacing a file there (raises NameTaken).

    A hard link refuses an existing name atomically; where the file system has none
    (FAT on a USB stick) the name is checked just before the rename.
    """
    try:
        os.link(temp, final)
    except FileExistsError:
        raise NameTaken(str(final)) from None
    except OSError:
        if os.path.lexists(final):
            raise NameTaken(str(final)) from None
        os.rename(temp, final)
    else:
        temp.unlink()
    _sync_folder(final.parent)


def _sync_folder(folder: Path) -> None:
    """Make the new name survive a power cut (POSIX; Windows has no folder handles to sync)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale(beside: Path) -> list[Path]:
    """Delete the leftovers of killed Tandems beside ``beside`` (temporaries of its name); return them.

    Nothing is deleted that a live process may still be writing, and a folder that
    cannot be listed or written (read-only share) is left as it is.
    """
    return _sweep(beside.parent, beside.name)


def remove_stale_in(folder: Path) -> list[Path]:
    """Every abandoned temporary in a folder Tandem names all the files of (a backups folder)."""
    return _sweep(folder, None)


def _sweep(folder: Path, name: str | None) -> list[Path]:
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if not match or (name is not None and match["name"] != name):
            continue
        if _abandoned(match["host"], match["pid"], entry, now):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _abandoned(host: str | None, pid: str | None, entry: os.DirEntry[str], now: float) -> bool:
    if host == _HOST and pid is not None:
        return not process_alive(int(pid))
    try:
        return now - entry.stat(follow_symlinks=False).st_mtime > UNOWNED_STALE_S
    except OSError:
        return False


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (an id reused later errs on 'alive')."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _windows_process_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.GetLastError() == 5  # ERROR_ACCESS_DENIED: it exists
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)
