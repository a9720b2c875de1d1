"""The StorageError family, and how a driver error becomes the one-line message to show."""

from __future__ import annotations


class StorageError(Exception):
    """A database cannot be opened or used; ``str(error)`` is the message for the user."""


class DatabaseNotFound(StorageError):
    pass


class NotADatabase(StorageError):
    pass


class DatabaseTooNew(StorageError):
    pass


class DatabaseLocked(StorageError):
    pass


class ReadOnlyDatabase(StorageError):
    """A write refused: the database was opened read-only (``str`` says why), nothing was written."""


class DamagedRead(StorageError):
    """What was read does not hang together: a damaged file, or one written without working locks."""


# SQLSTATEs of a server that says "busy": lock_not_available, deadlock, serialization failure.
_BUSY_STATES = {"55P03", "40P01", "40001"}


def wrap_driver_error(error: BaseException, where: str) -> StorageError:
    """A driver error (SQLite's or the server's) as the one-line StorageError to show."""
    orig = getattr(error, "orig", error)
    if type(orig).__module__.startswith("psycopg"):
        return _wrap_server_error(orig, where)
    return wrap_sqlite_error(error, where)


def _wrap_server_error(error: BaseException, where: str) -> StorageError:
    state = getattr(error, "sqlstate", None)
    if state in _BUSY_STATES:
        return DatabaseLocked(f"{where} is locked by another user; try again in a moment.")
    # psycopg's text is several lines ("connection to server at … failed: FATAL:  …", then
    # hints); the reason is the last "failed:" part of its first line.
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    reason = (lines[0] if lines else type(error).__name__).rsplit("failed: ", 1)[-1]
    reason = reason.removeprefix("FATAL:").strip().rstrip(".")
    lowered = reason.lower()
    if state == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return DatabaseNotFound(f"No database at {where}: {reason}.")
    if state in {"28P01", "28000"} or any(w in lowered for w in ("authentication", "password", "pg_hba")):
        return StorageError(f"The PostgreSQL server refused the login to {where}: {reason}.")
    if state is None or state.startswith("08"):  # connection exceptions, or none reached
        return StorageError(f"Cannot reach the PostgreSQL server of {where}: {reason}.")
    return StorageError(f"{where}: the PostgreSQL server says: {reason}.")


# After a failed write SQLite rolls the transaction back (from its journal, at the next open
# if it must): what was committed before is whole, in the file.
_NOTHING_LOST = ("Nothing saved before is lost: the file holds all of it, and a change that was "
                 "being saved when this happened was not saved")


def wrap_sqlite_error(error: BaseException, where: str) -> StorageError:
    message = str(getattr(error, "orig", error))
    lowered = message.lower()
    name = getattr(getattr(error, "orig", error), "sqlite_errorname", "")
    if name == "SQLITE_FULL" or "disk is full" in lowered:
        return StorageError(f"{where}: the disk is full. {_NOTHING_LOST}. Free some space, then try again.")
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in lowered:
        return StorageError(f"{where}: the disk or network share stopped answering (disk I/O error). "
                            f"{_NOTHING_LOST}. Check the drive or the connection to the share, "
                            "then try again.")
    if name in _HOT_JOURNAL_ERRORS:
        # A read-only connection cannot roll back a crashed writer's journal ("readonly" otherwise).
        return StorageError(f"{where} holds an unfinished change left by a program that stopped; "
                            "open it in Tandem once, which rolls it back, then try again.")
    if "locked" in lowered or "busy" in lowered:
        return DatabaseLocked(f"{where} is locked by another program; try again in a moment.")
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return NotADatabase(f"{where} is damaged ({message}); it was not changed.")
    if "readonly" in lowered or "read-only" in lowered:
        return StorageError(f"{where} is read-only: {message}.")
    return StorageError(f"{where} cannot be opened: {message}.")


_HOT_JOURNAL_ERRORS = {"SQLITE_READONLY_ROLLBACK", "SQLITE_READONLY_RECOVERY"}
