"""Which filesystems lock files: the mount table read, the mount of a path found, a lock self-test."""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

import pytest

from app.services.storage import filesystems
from app.services.storage.filesystems import (
    Mount,
    check_locking,
    cloud_folder,
    lock_self_test,
    mount_of,
    mount_problem,
    parse_mount_output,
    parse_mountinfo,
)

# One line of /proc/self/mountinfo per case, as the kernel writes them.
MOUNTINFO = {
    "ext4": "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard",
    "tmpfs": "30 25 0:27 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683584k",
    "sshfs": "61 27 0:52 / /mnt/office rw,nosuid,nodev,relatime - fuse.sshfs sam@nas:/srv/jobs "
    "rw,user_id=0,group_id=0",
    "nfs nolock": "62 27 0:53 / /mnt/office rw,relatime - nfs nas:/export/jobs "
    "rw,vers=3,rsize=1048576,nolock,proto=tcp,local_lock=all",
    "nfs local locks": "63 27 0:54 / /mnt/office rw,relatime - nfs4 nas:/jobs rw,vers=4.2,local_lock=posix",
    "nfs": "64 27 0:55 / /mnt/office rw,relatime - nfs4 nas:/jobs rw,vers=4.2,local_lock=none",
    "cifs nobrl": "65 27 0:56 / /mnt/office rw,relatime - cifs //nas/jobs rw,vers=3.1.1,nobrl,cache=strict",
    "cifs": "66 27 0:57 / /mnt/office rw,relatime - cifs //nas/jobs rw,vers=3.1.1,cache=strict",
    "rclone": "67 27 0:58 / /mnt/office rw,relatime - fuse.rclone gdrive: rw,user_id=1000",
    "vboxsf": "68 27 0:59 / /mnt/office rw,relatime - vboxsf jobs rw",
    "9p": "69 27 0:60 / /mnt/office rw,relatime - 9p jobs rw,trans=virtio",
    "ntfs-3g": "70 27 8:1 / /mnt/office rw,relatime - fuseblk /dev/sda1 rw,user_id=0",
}


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        ("ext4", None),
        ("tmpfs", None),
        ("sshfs", "sshfs"),
        ("nfs nolock", "NFS mounted with nolock"),
        ("nfs local locks", "NFS mounted with local locks"),
        ("nfs", None),
        ("cifs nobrl", "SMB mounted with nobrl"),
        ("cifs", None),
        ("rclone", "a FUSE filesystem (rclone)"),
        ("vboxsf", "a VirtualBox shared folder"),
        ("9p", "a 9p shared folder"),
        ("ntfs-3g", None),
    ],
)
def test_a_mount_that_does_not_lock_is_named(case: str, problem: str | None) -> None:
    (mount,) = parse_mountinfo(MOUNTINFO[case])
    assert mount_problem(mount) == problem


def test_the_mount_of_a_path_is_the_deepest_one_above_it() -> None:
    text = "\n".join(
        [
            MOUNTINFO["ext4"],
            MOUNTINFO["sshfs"],
            r"71 61 0:61 / /mnt/office/Jobs\0402026 rw - ext4 /dev/vdb rw",  # a space, escaped
            "not a mountinfo line",
        ]
    )
    mounts = parse_mountinfo(text)
    assert [m.point for m in mounts] == ["/", "/mnt/office", "/mnt/office/Jobs 2026"]
    assert mount_of(Path("/mnt/office/tandem.db"), mounts).fs_type == "fuse.sshfs"  # type: ignore[union-attr]
    assert mount_of(Path("/mnt/office/Jobs 2026/x.db"), mounts).fs_type == "ext4"  # type: ignore[union-attr]
    assert mount_of(Path("/mnt/officeX/x.db"), mounts).point == "/"  # type: ignore[union-attr]
    assert mount_of(Path("/home/sam/x.db"), mounts).point == "/"  # type: ignore[union-attr]


def test_macos_mount_output_is_read() -> None:
    mounts = parse_mount_output(
        "/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
        "//sam@nas._smb._tcp.local/Jobs on /Volumes/Jobs (smbfs, nodev, nosuid, mounted by sam)\n"
        "sam@nas:/srv/jobs on /Volumes/jobs (macfuse, nodev, nosuid, synchronous, mounted by sam)\n"
        "nas:/export on /Volumes/export (nfs, nodev, nosuid, nolocks, mounted by sam)\n"
    )
    assert [(m.point, m.fs_type) for m in mounts] == [
        ("/", "apfs"),
        ("/Volumes/Jobs", "smbfs"),
        ("/Volumes/jobs", "macfuse"),
        ("/Volumes/export", "nfs"),
    ]
    assert [mount_problem(m) for m in mounts] == [
        None,
        None,
        "a FUSE filesystem, e.g. sshfs",
        "NFS mounted with nolock",
    ]


@pytest.mark.parametrize(
    ("path", "client"),
    [
        ("/Users/sam/Dropbox/Jobs/tandem.db", "Dropbox"),
        ("/Users/sam/Dropbox (Northlight)/tandem.db", "Dropbox"),
        ("C:/Users/sam/OneDrive - Northlight/tandem.db", "OneDrive"),
        ("/Users/sam/Library/Mobile Documents/com~apple~CloudDocs/tandem.db", "iCloud Drive"),
        ("/Users/sam/Jobs/tandem.db", None),
        ("/Users/sam/Jobs/Dropbox.db", None),  # the file's own name says nothing
    ],
)
def test_a_cloud_sync_folder_is_recognised_by_name(path: str, client: str | None) -> None:
    assert cloud_folder(Path(path)) == client


def fake_mounts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fs_line: str) -> None:
    """Make ``tmp_path`` look mounted as ``fs_line`` says (its mount point replaced by tmp_path)."""
    fields = fs_line.split(" ")
    fields[4] = str(tmp_path)
    info = tmp_path / "mountinfo"
    info.write_text(MOUNTINFO["ext4"] + "\n" + " ".join(fields) + "\n")
    monkeypatch.setattr(filesystems, "MOUNTINFO", info)


@pytest.mark.parametrize(
    ("case", "reliable"), [("sshfs", False), ("cifs nobrl", False), ("ext4", True), ("nfs", True)]
)
def test_check_locking_goes_by_the_mount_of_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, case: str, reliable: bool
) -> None:
    fake_mounts(monkeypatch, tmp_path, MOUNTINFO[case])
    locking = check_locking(tmp_path / "tandem.db")
    assert locking.reliable is reliable
    assert locking.reason == (mount_problem(parse_mountinfo(MOUNTINFO[case])[0]) or "")


def test_the_self_test_passes_where_locks_work(tmp_path: Path) -> None:
    assert lock_self_test(tmp_path) is None
    assert not list(tmp_path.glob(".tandem-lockcheck-*"))  # its scratch file is gone


def test_the_self_test_in_a_child_process_passes_where_locks_work(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delattr(fcntl, "F_OFD_SETLK", raising=False)  # as on macOS
    assert lock_self_test(tmp_path) is None
    assert not list(tmp_path.glob(".tandem-lockcheck-*"))


def test_the_self_test_catches_locks_that_fail(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def no_locks(*_args: object) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "fcntl", no_locks)
    assert lock_self_test(tmp_path) == f"file locks fail on it ({os.strerror(errno.ENOLCK)})"


def test_the_self_test_catches_locks_that_do_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fcntl, "fcntl", lambda *_args: b"")  # every lock "succeeds"
    assert lock_self_test(tmp_path) == "a second open took a lock already held: it ignores file locks"
    # An unknown filesystem is judged by the self-test.
    fake_mounts(monkeypatch, tmp_path, MOUNTINFO["nfs"].replace("nfs4", "lustre"))
    assert check_locking(tmp_path / "tandem.db").reliable is False


def test_a_cloud_folder_is_unreliable_whatever_its_mount(tmp_path: Path) -> None:
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    locking = check_locking(folder / "tandem.db")
    assert (locking.reliable, locking.reason) == (False, "a Dropbox folder: each computer syncs its own copy")


def test_a_mount_records_its_options() -> None:
    (mount,) = parse_mountinfo(MOUNTINFO["cifs nobrl"])
    assert mount == Mount(
        "/mnt/office",
        "cifs",
        "//nas/jobs",
        frozenset({"rw", "relatime", "vers=3.1.1", "nobrl", "cache=strict"}),
    )


def test_the_self_test_in_a_child_process_catches_locks_that_do_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delattr(fcntl, "F_OFD_SETLK", raising=False)
    monkeypatch.setattr(fcntl, "lockf", lambda *_args: None)  # this process's lock "succeeds", holds nothing
    assert lock_self_test(tmp_path) == "another process took a lock already held: it ignores file locks"
