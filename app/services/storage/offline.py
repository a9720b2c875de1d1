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
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Boolean, Date, Integer, String, Table, Uuid, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from app.models import Record, metadata
from app.models.types import ExactDecimal, UTCDateTime, utcnow
from app.services.storage import tempfiles
from app.services.storage.database import Database, open_database
from app.services.storage.errors import StorageError
from app.services.storage.files import file_path

BASE_SUFFIX = ".base.db"
DELETED = "deleted_at"  # the field of a deletion conflict
RECORD_COLUMNS = frozenset({"id", "created_at", "updated_at", "version", "deleted_at"})
_BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "version"})  # never merged
# Renumbered whenever a sibling is inserted or deleted: not a change "inside" a deleted parent.
_ORDER_FIELDS = frozenset({"position"})
_LABEL_COLUMNS = ("description", "name", "client_description", "title", "email")

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
        out.append(f"{verb} from the laptop: {_rows(len(self.applied))}")
        out += [f"  {change.describe()}" for change in self.applied]
        out.append(f"Kept from the share: {_rows(len(self.kept))}")
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


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _decision_text(decision: Decision, deletion: bool = False) -> str:
    if isinstance(decision, str) and decision in ("laptop", "share"):
        return decision
    value = decision.value if isinstance(decision, Explicit) else decision
    if deletion:
        return "deleted" if value else "not deleted"
    return f"set to {_plain(value)}"


def field_label(name: str) -> str:
    """A column name for people: ``unit_cost`` → "unit cost", ``role_id`` → "role"."""
    if name == DELETED:
        return "deleted"
    return name.removesuffix("_id").replace("_pct", " %").replace("_", " ")


# -- the tables --------------------------------------------------------------------------------


def record_tables() -> list[Table]:
    """Every table with the Record columns, parents before children (foreign-key order)."""
    return [t for t in metadata.sorted_tables if set(t.c.keys()) >= RECORD_COLUMNS]


def _table_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    pending = list(Record.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        name = getattr(cls, "__tablename__", None)
        if isinstance(name, str):
            words = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()
            labels[name] = words[:1].upper() + words[1:]
    return labels


def _owners(table: Table) -> list[tuple[str, str]]:
    """(column, parent table) of each non-nullable foreign key: the rows this row lives inside."""
    return [
        (column.name, fk.column.table.name)
        for column in table.columns
        if not column.nullable
        for fk in column.foreign_keys
    ]


def _data_fields(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name not in _BOOKKEEPING]


def _read_rows(conn: Connection) -> Rows:
    return {
        t.name: {row.id: dict(row._mapping) for row in conn.execute(select(t))}
        for t in record_tables()
    }


# -- take offline --------------------------------------------------------------------------------


def base_path_for(laptop: str | os.PathLike[str]) -> Path:
    """Where the base snapshot of a laptop copy lives: beside it, ``<laptop>.base.db``."""
    path = Path(laptop)
    return path.with_name(path.name + BASE_SUFFIX)


def take_offline(
    share: Database | str | os.PathLike[str],
    laptop_path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
) -> OfflineCopy:
    """Copy the shared database to ``laptop_path`` (a new file) and write its base beside it.

    The copy is one consistent snapshot taken with SQLite's backup API (from a
    server: every table read in one repeatable-read transaction) and checked
    with ``quick_check``; the share's file and journal are only read.
    Raises :class:`OfflineError` (or another StorageError) with a one-line message.
    """
    laptop = file_path(laptop_path)
    tempfiles.remove_stale(laptop)  # what a killed Take offline to this name left
    if laptop.exists():
        raise OfflineError(f"{laptop} already exists; Take offline writes a new file only.")
    if not laptop.parent.is_dir():
        raise OfflineError(f"Cannot write {laptop}: the folder {laptop.parent} does not exist.")
    base = base_path_for(laptop)
    with _opened(share) as db:
        _step(progress, "Copying the shared database", 0, 2)
        with tempfiles.temporary(laptop, "copy") as copy, tempfiles.temporary(laptop, "base") as base_copy:
            if db.path is None:
                _copy_rows(db, copy)
            else:
                _backup(db, copy)
            with contextlib.closing(sqlite3.connect(copy)) as conn:
                # Presence is the share's bookkeeping: nobody on the laptop has the share open.
                if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'presence'").fetchone():
                    conn.execute("DELETE FROM presence")
                    conn.commit()
                _quick_check(conn, laptop)
                rows = sum(
                    conn.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0] for t in record_tables()
                )
                with contextlib.closing(sqlite3.connect(base_copy)) as target:
                    conn.backup(target)
            _step(progress, "Writing the base snapshot", 1, 2)
            os.replace(base_copy, base)  # an old base without its laptop file is meaningless
            _publish(copy, laptop)
        _step(progress, "Done", 2, 2, cancellable=False)
        return OfflineCopy(laptop=laptop, base=base, share=db.display_name, rows=rows)


def _backup(db: Database, target: Path) -> None:
    """One consistent copy of an open SQLite database into a new file, by the backup API."""
    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        with contextlib.closing(sqlite3.connect(target)) as destination:
            source.backup(destination)  # all pages in one step, under one read lock
    except sqlite3.Error as error:
        raise OfflineError(f"Could not copy {db.display_name}: {error}.") from None
    finally:
        raw.close()


def _copy_rows(db: Database, target: Path) -> None:
    """A server database's rows into a new SQLite file at the schema head, from one snapshot."""
    copy = open_database(target)
    try:
        with db.engine.connect() as source:
            source.execution_options(isolation_level="REPEATABLE READ")  # every table as of one moment
            with source.begin(), copy.write(track=False) as sink:
                for t in record_tables():
                    rows = [dict(row._mapping) for row in source.execute(select(t))]
                    if rows:
                        sink.execute(t.insert(), rows)
    except DBAPIError as error:
        raise OfflineError(f"Could not copy {db.display_name}: {error.orig}.") from None
    finally:
        copy.close()


def _quick_check(conn: sqlite3.Connection, where: Path) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise OfflineError(f"The copy for {where} failed its check ({result}); nothing was written.")


def _publish(source: Path, target: Path) -> None:
    """Give a finished file its name, never replacing a file that appeared there meanwhile."""
    try:
        tempfiles.publish(source, target)
    except tempfiles.NameTaken:
        raise OfflineError(f"{target} already exists; Take offline writes a new file only.") from None


@contextlib.contextmanager
def _opened(target: Database | str | os.PathLike[str]) -> Iterator[Database]:
    """The caller's open Database as it is, or a path opened (existing files only) and closed after."""
    if isinstance(target, Database):
        yield target
        return
    db = open_database(target, create=False)
    try:
        yield db
    finally:
        db.close()


def _step(progress: Progress | None, step: str, done: int, total: int, *, cancellable: bool = True) -> None:
    if progress is not None and progress(step, done, total) is False and cancellable:
        raise MergeCancelled("Cancelled; nothing was written.")


# -- merge back --------------------------------------------------------------------------------


def plan_merge(
    laptop: str | os.PathLike[str] | Database,
    share: Database | str | os.PathLike[str],
    decisions: Mapping[Any, Decision] | None = None,
    *,
    progress: Progress | None = None,
) -> MergeReport:
    """A dry run: what a merge would apply, keep, and which conflicts need a decision."""
    return merge_back(laptop, share, decisions, dry_run=True, progress=progress)


def apply_decisions(
    report: MergeReport, decisions: Mapping[Any, Decision], *, progress: Progress | None = None
) -> MergeReport:
    """Merge again with the user's decisions (keys: Conflict, or its ``key``)."""
    return merge_back(report.laptop, report.share_target or report.share, decisions, progress=progress)


def decide_all(conflicts: Iterable[Conflict], choice: Side) -> dict[ConflictKey, Decision]:
    """The same decision for every conflict: "laptop" (mine) or "share" (theirs)."""
    if choice not in ("laptop", "share"):
        raise ValueError(f"choice must be 'laptop' or 'share', not {choice!r}")
    return {c.key: choice for c in conflicts}


def merge_back(
    laptop: str | os.PathLike[str] | Database,
    share: Database | str | os.PathLike[str],
    decisions: Mapping[Any, Decision] | None = None,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge the laptop copy into the share; see the module's text for the rules.

    Returns the report. It is written (``report.written``) only when this is
    not a dry run and every conflict has a decision; otherwise the share is not
    touched and the report lists what would happen and what needs deciding.
    Raises :class:`OfflineError` for a missing base, a share the copy was not
    taken from, or a cancel.
    """
    laptop_path = _laptop_path(laptop)
    base_path = base_path_for(laptop_path)
    if not laptop_path.exists():
        raise OfflineError(f"No laptop copy at {laptop_path}.")
    if not base_path.is_file():
        raise OfflineError(
            f"No base snapshot beside {laptop_path} (expected {base_path.name}); "
            "it is written by Take offline and must be kept with the laptop copy."
        )
    chosen = _normalise(decisions or {})
    with tempfiles.temporary(laptop_path, "merge") as snapshot:
        _step(progress, "Reading the laptop copy", 0, 4)
        with _opened(laptop_path) as laptop_db:
            _backup(laptop_db, snapshot)
        laptop_rows = _read_file(snapshot)
        _step(progress, "Reading the base", 1, 4)
        base_rows = _read_file(base_path)
        with _opened(share) as share_db:
            report = MergeReport(laptop=laptop_path, share=share_db.display_name, dry_run=dry_run,
                                 share_target=share if isinstance(share, Database) else str(share))
            _step(progress, "Comparing with the share", 2, 4)
            if dry_run:
                with share_db.read() as conn:
                    plan = _Plan(base_rows, laptop_rows, _read_rows(conn), chosen)
                plan.fill(report)
                return report
            try:
                with share_db.write() as conn:
                    # Compared inside the write lock: what the share holds now is what is merged.
                    plan = _Plan(base_rows, laptop_rows, _read_rows(conn), chosen)
                    if plan.unresolved or not plan.writes:
                        raise _Nothing(plan)  # roll back: not even the change counter moves
                    _step(progress, "Writing to the share", 3, 4)
                    plan.write(conn)
            except _Nothing as nothing:
                plan = nothing.plan
            plan.fill(report)
            report.written = bool(plan.writes) and not plan.unresolved
        if not plan.unresolved:
            # The merged laptop becomes the base: merging again finds nothing new on the laptop.
            os.replace(snapshot, base_path)
        _step(progress, "Done", 4, 4, cancellable=False)
    return report


class _Nothing(Exception):
    """Roll the write back (nothing to write, or a conflict without a decision)."""

    def __init__(self, plan: _Plan) -> None:
        self.plan = plan


def _laptop_path(laptop: str | os.PathLike[str] | Database) -> Path:
    if isinstance(laptop, Database):
        if laptop.path is None:
            raise OfflineError("The laptop copy is a database file, not a server.")
        return laptop.path
    return file_path(laptop)


def _read_file(path: Path) -> Rows:
    with _opened(path) as db, db.read() as conn:
        return _read_rows(conn)


def _normalise(decisions: Mapping[Any, Decision]) -> dict[ConflictKey, Decision]:
    out: dict[ConflictKey, Decision] = {}
    for key, decision in decisions.items():
        if isinstance(key, Conflict):
            key = key.key
        table, row_id, name = key
        out[(str(table), row_id if isinstance(row_id, uuid.UUID) else uuid.UUID(str(row_id)), str(name))] = (
            decision
        )
    return out


class _Plan:
    """The three-way comparison of base, laptop and share, and the writes it leads to."""

    def __init__(self, base: Rows, laptop: Rows, share: Rows, decisions: dict[ConflictKey, Decision]) -> None:
        self.base, self.laptop, self.share = base, laptop, share
        self.decisions = dict(decisions)
        self.tables = record_tables()
        self.labels = _table_labels()
        self.owners = {t.name: _owners(t) for t in self.tables}
        self.inserts: dict[str, list[dict[str, Any]]] = {}
        self.updates: dict[str, dict[uuid.UUID, dict[str, Any]]] = {}
        self.applied: list[RowChange] = []
        self.kept: list[RowChange] = []
        self.conflicts: list[Conflict] = []
        self._check_lineage()
        self.changed = {"laptop": self._changed(laptop), "share": self._changed(share)}
        self.touched = {side: self._inside(rows, self.changed[side])
                        for side, rows in (("laptop", laptop), ("share", share))}
        self._compare()

    @property
    def writes(self) -> int:
        return sum(len(rows) for rows in self.inserts.values()) + sum(
            len(rows) for rows in self.updates.values()
        )

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.key not in self.decisions]

    def fill(self, report: MergeReport) -> None:
        report.applied, report.kept, report.conflicts = self.applied, self.kept, self.conflicts
        keys = {c.key for c in self.conflicts}
        report.decisions = {k: v for k, v in self.decisions.items() if k in keys}

    # -- comparing ------------------------------------------------------------

    def _check_lineage(self) -> None:
        missing_share = missing_laptop = 0
        for t in self.tables:
            base_ids = self.base[t.name].keys()
            missing_share += len(base_ids - self.share[t.name].keys())
            missing_laptop += len(base_ids - self.laptop[t.name].keys())
        if missing_share:
            raise OfflineError(
                f"The laptop copy was not taken from this database: {missing_share} of its rows are "
                "missing here. Nothing was written."
            )
        if missing_laptop:
            raise OfflineError(
                f"The laptop copy does not match its base snapshot ({missing_laptop} rows are missing "
                "from it). Nothing was written."
            )

    def _compare(self) -> None:
        for t in self.tables:
            fields = _data_fields(t)
            base, laptop, share = self.base[t.name], self.laptop[t.name], self.share[t.name]
            for row_id in sorted(laptop.keys() | share.keys(), key=str):
                b, lap, sh = base.get(row_id), laptop.get(row_id), share.get(row_id)
                if lap is None:  # new on the share
                    self.kept.append(self._change(t, row_id, "inserted"))
                elif sh is None:  # new on the laptop
                    self.inserts.setdefault(t.name, []).append(lap)
                    self.applied.append(self._change(t, row_id, "inserted"))
                else:
                    self._compare_row(t, fields, row_id, b, lap, sh)

    def _compare_row(self, t: Table, fields: list[str], row_id: uuid.UUID, b: dict[str, Any] | None,
                     lap: dict[str, Any], sh: dict[str, Any]) -> None:
        writes: dict[str, Any] = {}
        kept: list[str] = []
        for name in fields:
            if name == DELETED:
                continue
            lv, sv = lap[name], sh[name]
            if lv == sv:
                continue
            on_laptop = b is None or lv != b[name]
            on_share = b is None or sv != b[name]
            if on_laptop and on_share and name in _ORDER_FIELDS:
                kept.append(name)  # both sides renumbered: the share's order stands, no question asked
            elif on_laptop and on_share:
                self._conflict(t, row_id, name, b, lap, sh, writes)
            elif on_laptop:
                writes[name] = lv
            else:
                kept.append(name)
        # Deletion: what counts is whether the row is deleted, not when.
        laptop_alive, share_alive = lap[DELETED] is None, sh[DELETED] is None
        if laptop_alive != share_alive:
            key = (t.name, row_id)
            if b is None:  # the same new row on both sides (a copy merged into itself)
                self._conflict(t, row_id, DELETED, b, lap, sh, writes)
            elif laptop_alive != (b[DELETED] is None):  # the laptop deleted or restored it
                if not laptop_alive and self.touched["share"][key]:
                    self._conflict(t, row_id, DELETED, b, lap, sh, writes, other="share")
                else:
                    writes[DELETED] = lap[DELETED]
            elif not share_alive and self.touched["laptop"][key]:  # deleted on the share only
                self._conflict(t, row_id, DELETED, b, lap, sh, writes, other="laptop")
            else:
                kept.append(DELETED)
        if writes:
            self.updates.setdefault(t.name, {})[row_id] = writes
            self.applied.append(self._change(t, row_id, _action(writes), tuple(writes)))
        if kept:
            self.kept.append(self._change(t, row_id, _action({k: sh[k] for k in kept}), tuple(kept)))

    def _conflict(self, t: Table, row_id: uuid.UUID, name: str, b: dict[str, Any] | None,
                  lap: dict[str, Any], sh: dict[str, Any], writes: dict[str, Any],
                  other: Side | None = None) -> None:
        bv = None if b is None else b[name]
        label, where = self._label(t.name, row_id)
        if name == DELETED:
            texts = [self._deletion_text(t.name, row_id, row, side == other)
                     for side, row in (("base", b), ("laptop", lap), ("share", sh))]
        else:
            texts = [self._value_text(t, name, value) for value in (bv, lap[name], sh[name])]
        conflict = Conflict(t.name, self.labels.get(t.name, t.name), row_id, label, where, name,
                            bv, lap[name], sh[name], *texts)
        self.conflicts.append(conflict)
        if conflict.key not in self.decisions:
            return
        decision = self.decisions[conflict.key]
        value = _resolve(conflict, decision, t)
        if not (isinstance(decision, str) and decision in ("laptop", "share")):
            self.decisions[conflict.key] = Explicit(value)  # as stored, for the report
        if name == DELETED:
            if (value is None) == (sh[name] is None):
                return  # the share already is as decided
        elif value == sh[name]:
            return
        writes[name] = value

    def _changed(self, rows: Rows) -> set[tuple[str, Any]]:
        """The rows one side added, restored or edited and kept alive (moves within a parent aside)."""
        out: set[tuple[str, Any]] = set()
        for t in self.tables:
            fields = [f for f in _data_fields(t) if f != DELETED and f not in _ORDER_FIELDS]
            base = self.base[t.name]
            for row_id, row in rows[t.name].items():
                b = base.get(row_id)
                if row[DELETED] is None and (
                    b is None or b[DELETED] is not None or any(row[f] != b[f] for f in fields)
                ):
                    out.add((t.name, row_id))
        return out

    def _inside(self, rows: Rows, changed: set[tuple[str, Any]]) -> Counter[tuple[str, Any]]:
        """For each row, how many changed rows are it or inside it (following that side's parents)."""
        counts: Counter[tuple[str, Any]] = Counter()
        for key in changed:
            seen = 0
            step: tuple[str, Any] | None = key
            while step is not None and seen < 16:
                counts[step] += 1
                step = self._parent(rows, step)
                seen += 1
        return counts

    def _parent(self, rows: Rows, key: tuple[str, Any]) -> tuple[str, Any] | None:
        table, row_id = key
        row = rows[table].get(row_id)
        if row is None:
            return None
        for column, parent in self.owners[table]:
            if row[column] is not None:
                return (parent, row[column])
        return None

    # -- labels ---------------------------------------------------------------

    def _row(self, table: str, row_id: Any) -> dict[str, Any] | None:
        for rows in (self.share, self.laptop, self.base):
            row = rows.get(table, {}).get(row_id)
            if row is not None:
                return row
        return None

    def _label(self, table: str, row_id: Any) -> tuple[str, str]:
        """A row's name for people, and where it is: 'Expo 2026 › Full booth › Screens'."""
        trail: list[str] = []
        key: tuple[str, Any] | None = (table, row_id)
        while key is not None and len(trail) < 8:
            trail.append(_row_name(self._row(*key), key[1]))
            key = next((p for rows in (self.share, self.laptop) if (p := self._parent(rows, key))), None)
        return trail[0], " › ".join(name.strip("“”") for name in reversed(trail[1:]))

    def _change(self, t: Table, row_id: uuid.UUID, action: Any,
                fields: tuple[str, ...] = ()) -> RowChange:
        label, where = self._label(t.name, row_id)
        return RowChange(t.name, self.labels.get(t.name, t.name), row_id, label, where, action, fields)

    def _value_text(self, t: Table, name: str, value: Any) -> str:
        if value is not None and t.c[name].foreign_keys:
            parent = next(iter(t.c[name].foreign_keys)).column.table.name
            return _row_name(self._row(parent, value), value)
        return _plain(value)

    def _deletion_text(self, table: str, row_id: uuid.UUID, row: dict[str, Any] | None,
                       changing: bool) -> str:
        if row is None:
            return "(not there)"
        if row[DELETED] is not None:
            return "deleted"
        if not changing:
            return "not deleted"
        side = "laptop" if row is self.laptop[table].get(row_id) else "share"
        key = (table, row_id)
        own = key in self.changed[side]
        inside = self.touched[side][key] - own
        parts = ["changed"] if own else []
        if inside:
            parts.append(f"{_rows(inside)} inside changed or added")
        return "kept, " + " and ".join(parts)

    # -- writing --------------------------------------------------------------

    def write(self, conn: Connection) -> None:
        now = utcnow()
        for t in self.tables:  # parents first
            if self.inserts.get(t.name):
                conn.execute(t.insert(), self.inserts[t.name])
            for row_id, values in self.updates.get(t.name, {}).items():
                version = self.share[t.name][row_id]["version"]
                result = conn.execute(
                    update(t)
                    .where(t.c.id == row_id, t.c.version == version)
                    .values(**values, version=version + 1, updated_at=now)
                )
                if result.rowcount != 1:
                    raise OfflineError("The share changed during the merge; nothing was written. Try again.")


def _action(values: Mapping[str, Any]) -> Literal["updated", "deleted", "restored"]:
    if DELETED in values:
        return "restored" if values[DELETED] is None else "deleted"
    return "updated"


def _row_name(row: Mapping[str, Any] | None, row_id: Any) -> str:
    if row is not None:
        for column in _LABEL_COLUMNS:
            text = row.get(column)
            if isinstance(text, str) and text.strip():
                text = " ".join(text.split())
                return f"“{text[:57]}…”" if len(text) > 60 else f"“{text}”"
    return str(row_id)[:8]


def _plain(value: Any) -> str:
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


def _resolve(conflict: Conflict, decision: Decision, t: Table) -> Any:
    """The value a decision gives the conflicting field."""
    if isinstance(decision, str) and decision in ("laptop", "share"):
        return conflict.laptop if decision == "laptop" else conflict.share
    value = decision.value if isinstance(decision, Explicit) else decision
    if conflict.is_deletion:
        if isinstance(value, bool):
            if not value:
                return None
            return conflict.share or conflict.laptop or utcnow()
        if value is None or isinstance(value, datetime):
            return value
        raise OfflineError(f"Decide the deletion of {conflict.label} with yes or no, not {value!r}.")
    return _coerce(t, conflict.field, value)


def _coerce(t: Table, name: str, value: Any) -> Any:
    """An explicit value in the column's type, or OfflineError saying why not."""
    column = t.c[name]
    if value is None:
        if not column.nullable:
            raise OfflineError(f"{field_label(name).capitalize()} cannot be empty.")
        return None
    kind = column.type
    try:
        if isinstance(kind, ExactDecimal):
            if isinstance(value, float):
                raise TypeError("a float")
            number = Decimal(str(value))
            if not number.is_finite():
                raise ValueError("not finite")
            return number
        if isinstance(kind, Uuid):
            return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        if isinstance(kind, Boolean):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text not in {"yes", "no", "true", "false", "1", "0"}:
                raise ValueError(text)
            return text in {"yes", "true", "1"}
        if isinstance(kind, Integer):
            if isinstance(value, bool):
                raise TypeError("a flag")
            return int(value)
        if isinstance(kind, UTCDateTime):
            if not isinstance(value, datetime):
                raise TypeError("not a datetime")
            return value
        if isinstance(kind, Date):
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if isinstance(kind, String):
            text = str(value)
            if kind.length is not None and len(text) > kind.length:
                raise ValueError("too long")
            return text
    except (TypeError, ValueError, InvalidOperation):
        raise OfflineError(f"{value!r} is not a valid {field_label(name)}.") from None
    return value
