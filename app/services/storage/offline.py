"""Offline at the trade show: take a copy of the shared database, and merge it back.

**Take offline** copies the shared database to the laptop with SQLite's backup
API (one consistent snapshot, whatever other users are writing) and writes a
second copy beside it, ``<laptop>.base.db``: the *base*, the version of every
row as it was when the laptop left. The base is never opened for editing; it
must travel with the laptop file.

**Merge back** is a three-way merge of every :class:`~app.models.Record` table
(found through the SQLModel metadata, not listed by hand), row by row (by id)
and field by field against the base:

- a field changed only on the laptop is written to the share;
- a field changed only on the share is kept;
- a field changed on both sides to different values is a :class:`Conflict`;
- rows created on the laptop are inserted; rows created on the share are kept;
- deletions are tombstones (``deleted_at``) both ways, so a deleted row does not
  come back; a row deleted on one side while the other side changed it, or
  changed or added something inside it (a line inside a deleted section), is a
  conflict on the row's deletion, never a silent loss. "Inside" follows the
  non-nullable foreign keys (line → section → estimate → project → client);
  positions renumbered by someone else's insert or delete do not count.
- ``position`` (a row's place among its siblings) is renumbered by every insert,
  delete and move in a section, so both sides often change it without meaning
  to; when they differ the share's order stands and it is reported as kept,
  not asked (rows that tie sort by creation time, as everywhere).

Everything is written in ONE transaction on the share (:meth:`Database.write`),
and each changed row gets a new ``version`` and ``updated_at`` so that clients
holding it open see the change and their optimistic locking stays correct.
Nothing is written while a conflict has no decision: a merge without decisions
is a dry run that returns the conflicts. After a merge the base is replaced by
the snapshot of the laptop that was merged, so merging again is a no-op.

This module holds the records both sides share (conflicts, reports, decisions) and the
record tables; :mod:`.offline_take` takes the copy, :mod:`.merge_plan` compares the three
versions, :mod:`.merge_apply` merges back and writes the decided merge.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Table

from app.models import metadata
from app.services.storage.database import Database
from app.services.storage.errors import StorageError

DELETED = "deleted_at"  # the field of a deletion conflict
RECORD_COLUMNS = frozenset({"id", "created_at", "updated_at", "version", "deleted_at"})

Side = Literal["laptop", "share"]
ConflictKey = tuple[str, uuid.UUID, str]  # (table, row id, field)
# step, done, total; return False to cancel (only possible before the share commits).
Progress = Callable[[str, int, int], bool | None]
Rows = dict[str, dict[uuid.UUID, dict[str, Any]]]


class OfflineError(StorageError):
    """Taking offline or merging back cannot go on; ``str(error)`` is the message for the user."""


class MergeCancelled(OfflineError):
    pass


@dataclass(frozen=True)
class Explicit:
    """A decision that sets a conflicting field to this value (neither side's)."""

    value: Any


# "laptop", "share", Explicit(value), or any other value (taken as explicit).
Decision = Any


@dataclass(frozen=True)
class OfflineCopy:
    laptop: Path
    base: Path
    share: str
    rows: int


@dataclass(frozen=True)
class RowChange:
    """A row that a merge writes (``applied``) or leaves as the share has it (``kept``)."""

    table: str
    table_label: str
    row_id: uuid.UUID
    label: str
    where: str
    action: Literal["inserted", "updated", "deleted", "restored"]
    fields: tuple[str, ...] = ()

    def describe(self) -> str:
        text = f"{self.action:<9} {self.table_label} {self.label}"
        if self.where:
            text += f" ({self.where})"
        if self.action in ("updated", "restored") and self.fields:
            text += ": " + ", ".join(field_label(f) for f in self.fields)
        return text


@dataclass(frozen=True)
class Conflict:
    """One field of one row changed differently on both sides (or deleted on one, changed on the other).

    ``base``/``laptop``/``share`` are the stored values (for a deletion
    conflict, ``field`` is ``deleted_at`` and the values are its timestamps,
    None meaning "not deleted"); the ``*_text`` versions are for people.
    """

    table: str
    table_label: str
    row_id: uuid.UUID
    label: str
    where: str
    field: str
    base: Any
    laptop: Any
    share: Any
    base_text: str
    laptop_text: str
    share_text: str

    @property
    def key(self) -> ConflictKey:
        return (self.table, self.row_id, self.field)

    @property
    def is_deletion(self) -> bool:
        return self.field == DELETED

    @property
    def field_label(self) -> str:
        return field_label(self.field)

    def describe(self, decision: Decision | None = None) -> str:
        where = f" ({self.where})" if self.where else ""
        text = (f"{self.table_label} {self.label}{where} — {self.field_label}: base {self.base_text}; "
                f"laptop {self.laptop_text}; share {self.share_text}")
        if decision is not None:
            text += f" → {_decision_text(decision, self.is_deletion)}"
        return text


@dataclass
class MergeReport:
    """What a merge did (``written``) or would do: rows applied, rows kept, conflicts."""

    laptop: Path
    share: str
    applied: list[RowChange] = field(default_factory=list)
    kept: list[RowChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    decisions: dict[ConflictKey, Decision] = field(default_factory=dict)
    dry_run: bool = False
    written: bool = False
    share_target: Database | str = field(default="", repr=False, compare=False)

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.key not in self.decisions]

    @property
    def complete(self) -> bool:
        """True when every conflict has a decision: the merge can be (or was) written."""
        return not self.unresolved

    @property
    def changes_share(self) -> bool:
        return bool(self.applied)

    def lines(self) -> list[str]:
        verb = "Would apply" if self.dry_run or self.unresolved else "Applied"
        out = [f"Laptop copy: {self.laptop}", f"Share: {self.share}"]
        out.append(f"{verb} from the laptop: {rows_text(len(self.applied))}")
        out += [f"  {change.describe()}" for change in self.applied]
        out.append(f"Kept from the share: {rows_text(len(self.kept))}")
        out += [f"  {change.describe()}" for change in self.kept]
        decided = len(self.conflicts) - len(self.unresolved)
        out.append(f"Conflicts: {len(self.conflicts)}" + (f" ({decided} decided)" if self.conflicts else ""))
        out += [f"  {c.describe(self.decisions.get(c.key))}" for c in self.conflicts]
        if self.written:
            out.append("Written to the share in one transaction.")
        elif self.dry_run:
            out.append("Dry run: nothing was written.")
        elif self.unresolved:
            out.append(f"Nothing was written: {len(self.unresolved)} conflict(s) need a decision.")
        else:
            out.append("Nothing to write: the share already holds every change.")
        return out


def rows_text(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _decision_text(decision: Decision, deletion: bool = False) -> str:
    if isinstance(decision, str) and decision in ("laptop", "share"):
        return decision
    value = decision.value if isinstance(decision, Explicit) else decision
    if deletion:
        return "deleted" if value else "not deleted"
    return f"set to {plain(value)}"


def field_label(name: str) -> str:
    """A column name for people: ``unit_cost`` → "unit cost", ``role_id`` → "role"."""
    if name == DELETED:
        return "deleted"
    return name.removesuffix("_id").replace("_pct", " %").replace("_", " ")


def plain(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize() if value != 0 else Decimal(0), "f")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, str):
        return f"“{value}”"
    return str(value)


# -- the tables --------------------------------------------------------------------------------


def record_tables() -> list[Table]:
    """Every table with the Record columns, parents before children (foreign-key order)."""
    return [t for t in metadata.sorted_tables if set(t.c.keys()) >= RECORD_COLUMNS]
