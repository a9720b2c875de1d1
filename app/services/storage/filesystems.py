"""Does the folder a database lives in lock files? SQLite's safety on a shared file rests on it.

SQLite keeps two writers apart with file locks. Over a network filesystem that does
not pass locks on to the server (sshfs, NFS mounted ``nolock``, SMB mounted ``nobrl``,
VirtualBox and 9p shared folders, most FUSE filesystems) each computer's locks are
seen on that computer only: two computers write the same pages at once and the file
is corrupted within seconds. A cloud-sync folder (Dropbox, OneDrive, …) is worse:
each computer has its own copy, and the copies overwrite each other.

Tandem cannot make such locks work; :func:`check_locking` says when they cannot be
trusted, so that the file is opened read-only while another computer has it open
(see :func:`app.services.storage.presence.guard_share`). It reads, in order:

1. the path: a cloud-sync folder is recognised by name (on every system);
2. the mount the file is on, and its type and options: ``/proc/self/mountinfo`` on
   Linux, the output of ``mount`` on macOS (Windows does not say: only 1. applies);
3. for a filesystem that is neither known to be local nor known not to lock (NFS,
   SMB, anything unknown), a lock self-test: a lock is taken on a scratch file beside
   the database and a second, independent open of it tries to take it too. Where
   locks fail, or the second open gets the lock, the filesystem does not lock.

The self-test cannot see the worst case: a filesystem that keeps locks on this
computer (sshfs, ``nolock``, ``nobrl``) passes it, since the second open is on the
same computer. That is why the mount type decides first.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import struct
import subprocess
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MOUNTINFO = Path("/proc/self/mountinfo")

# Filesystems on a disk of this computer: nobody else writes to them, locks are the kernel's.
LOCAL_TYPES = frozenset(
    {
        "ext2",
        "ext3",
        "ext4",
        "xfs",
        "btrfs",
        "zfs",
        "f2fs",
        "jfs",
        "reiserfs",
        "bcachefs",
        "nilfs2",
        "tmpfs",
        "ramfs",
        "overlay",
        "devtmpfs",
        "squashfs",
        "vfat",
        "msdos",
        "exfat",
        "ntfs",
        "ntfs3",
        "fuseblk",  # ntfs-3g and the like: FUSE over a local disk
        "apfs",
        "hfs",
        "hfsplus",
        "ufs",
    }
)
# FUSE filesystems that do pass POSIX locks to their servers (all other FUSE ones keep them local).
LOCKING_FUSE = frozenset({"fuse.glusterfs", "fuse.ceph-fuse", "fuse.ceph"})
# Filesystems with no locks between computers, and what to call them.
NON_LOCKING = {
    "fuse.sshfs": "sshfs",
    "sshfs": "sshfs",
    "macfuse": "a FUSE filesystem, e.g. sshfs",
    "osxfuse": "a FUSE filesystem, e.g. sshfs",
    "fusefs": "a FUSE filesystem, e.g. sshfs",
    "fuse": "a FUSE filesystem",
    "9p": "a 9p shared folder",
    "vboxsf": "a VirtualBox shared folder",
    "vmhgfs": "a VMware shared folder",
    "virtiofs": "a virtiofs shared folder",
    "davfs": "WebDAV",
    "webdav": "WebDAV",
}
_NFS = {"nfs", "nfs4"}
_SMB = {"cifs", "smb3", "smbfs"}
# Folder names of sync clients; each computer edits its own copy of what is in them.
_CLOUD_FOLDERS = (
    ("dropbox", "Dropbox"),
    ("onedrive", "OneDrive"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("my drive", "Google Drive"),
    ("icloud drive", "iCloud Drive"),
    ("mobile documents", "iCloud Drive"),
    ("box sync", "Box"),
    ("pcloud", "pCloud"),
    ("nextcloud", "Nextcloud"),
    ("owncloud", "ownCloud"),
    ("seafile", "Seafile"),
)


@dataclass(frozen=True, slots=True)
class Mount:
    point: str
    fs_type: str
    source: str
    options: frozenset[str]  # the mount's options and its filesystem's, together


@dataclass(frozen=True, slots=True)
class Locking:
    """What is known of a database folder's locks; ``reason`` names why they cannot be trusted."""

    reliable: bool
    reason: str = ""
    fs_type: str = ""


def _unescape(field: str) -> str:
    # mountinfo writes a space, tab, newline and backslash in a path as octal: "\040".
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), field)


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts of a ``/proc/self/mountinfo`` text (kernel order: later mounts cover earlier)."""
    mounts = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 6 or len(tail) < 2:
            continue
        options = set(fields[5].split(","))
        if len(tail) > 2:
            options.update(tail[2].split(","))
        mounts.append(Mount(_unescape(fields[4]), tail[0], _unescape(tail[1]), frozenset(options)))
    return mounts


_MOUNT_LINE = re.compile(r"^(?P<source>.*) on (?P<point>.*) \((?P<options>[^()]*)\)$")


def parse_mount_output(text: str) -> list[Mount]:
    """The mounts of macOS's (and the BSDs') ``mount`` output: ``src on /point (type, opt, …)``."""
    mounts = []
    for line in text.splitlines():
        match = _MOUNT_LINE.match(line.strip())
        if match is None:
            continue
        fs_type, *options = (o.strip() for o in match["options"].split(","))
        mounts.append(Mount(match["point"], fs_type, match["source"], frozenset(options)))
    return mounts


def mount_of(path: Path, mounts: Iterable[Mount]) -> Mount | None:
    """The mount a path is on: the longest mount point above it (the last one mounted, if several)."""
    best: Mount | None = None
    target = str(path)
    for mount in mounts:
        point = mount.point.rstrip("/") or "/"
        inside = target == point or target.startswith(point if point == "/" else point + "/")
        if inside and (best is None or len(point) >= len(best.point.rstrip("/") or "/")):
            best = mount
    return best


def mount_problem(mount: Mount) -> str | None:
    """Why a mount's locks cannot be trusted between computers, or None when they can (or may)."""
    kind, options = mount.fs_type, mount.options
    if kind in NON_LOCKING:
        return NON_LOCKING[kind]
    if kind.startswith("fuse.") and kind not in LOCKING_FUSE:
        return f"a FUSE filesystem ({kind.removeprefix('fuse.')})"
    if kind in _NFS:
        if "nolock" in options or "nolocks" in options or "locallocks" in options:
            return "NFS mounted with nolock"
        if "local_lock=all" in options or "local_lock=posix" in options:
            return "NFS mounted with local locks"
    if kind in _SMB and "nobrl" in options:
        return "SMB mounted with nobrl"
    return None


def cloud_folder(path: Path) -> str | None:
    """The sync client whose folder holds ``path`` (``"Dropbox"``), or None."""
    for part in path.parts[:-1]:
        lowered = part.lower()
        for prefix, name in _CLOUD_FOLDERS:
            if lowered == prefix or lowered.startswith((prefix + " ", prefix + "-", prefix + "_")):
                return name
    return None


def read_mounts() -> list[Mount] | None:
    """This computer's mounts, or None where the system does not say (Windows, or an error)."""
    try:
        if MOUNTINFO.exists():
            return parse_mountinfo(MOUNTINFO.read_text(encoding="utf-8", errors="replace"))
        if sys.platform == "darwin" or "bsd" in sys.platform:
            out = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5, check=True)
            return parse_mount_output(out.stdout)
    except (OSError, subprocess.SubprocessError):
        return None
    return None


def check_locking(path: Path) -> Locking:
    """Can SQLite's locks on the database file ``path`` be trusted between computers?"""
    cloud = cloud_folder(path)
    if cloud is not None:
        return Locking(False, f"a {cloud} folder: each computer syncs its own copy", "cloud")
    mounts = read_mounts()
    mount = mount_of(path, mounts) if mounts else None
    if mount is not None:
        problem = mount_problem(mount)
        if problem is not None:
            return Locking(False, problem, mount.fs_type)
        if mount.fs_type in LOCAL_TYPES:
            return Locking(True, fs_type=mount.fs_type)
    if os.name != "posix":
        return Locking(True, fs_type=mount.fs_type if mount else "")
    failure = lock_self_test(path.parent)
    kind = mount.fs_type if mount else ""
    return Locking(failure is None, failure or "", kind)


# A scratch file's byte the self-test locks; far from SQLite's lock bytes (at 1 GiB), in any case.
_PROBE_BYTE = 0


def lock_self_test(folder: Path) -> str | None:
    """Take a lock on a scratch file in ``folder``; a second open must be refused it.

    Returns why locks do not work, or None when they do (or the test cannot be run:
    a folder we cannot write to is not a folder anyone writes a database to).
    A separate scratch file, because closing any descriptor of the database file
    would drop this process's SQLite locks on it (POSIX locks are per process);
    an open file description lock (Linux) or a child process makes the second open
    independent of the first.
    """
    probe = folder / f".tandem-lockcheck-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        first = os.open(probe, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return None
    try:
        return _probe(probe, first)
    finally:
        os.close(first)
        with contextlib.suppress(OSError):
            probe.unlink()


def _probe(probe: Path, first: int) -> str | None:
    import fcntl

    ofd = getattr(fcntl, "F_OFD_SETLK", None)
    try:
        if ofd is not None:
            _ofd_lock(first, ofd)
        else:
            fcntl.lockf(first, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _PROBE_BYTE)
    except OSError as error:
        return f"file locks fail on it ({error.strerror or error})"
    if ofd is not None:
        second = os.open(probe, os.O_RDWR)
        try:
            _ofd_lock(second, ofd)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES):
                return None
            return f"file locks fail on it ({error.strerror or error})"
        finally:
            os.close(second)
        return "a second open took a lock already held: it ignores file locks"
    return _probe_in_child(probe)


def _ofd_lock(fd: int, command: int) -> None:
    import fcntl

    # struct flock: l_type, l_whence, l_start, l_len, l_pid (0 for an open file description lock).
    fcntl.fcntl(fd, command, struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, _PROBE_BYTE, 1, 0))


# Exit 3: refused the lock (locks work); 0: got it (they do not); anything else: cannot tell.
_CHILD = (
    "import fcntl, sys\n"
    "f = open(sys.argv[1], 'r+b')\n"
    "try:\n"
    f"    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, {_PROBE_BYTE})\n"
    "except OSError:\n"
    "    sys.exit(3)\n"
)


def _probe_in_child(probe: Path) -> str | None:
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _CHILD, str(probe)],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode == 0:
        return "another process took a lock already held: it ignores file locks"
    return None
