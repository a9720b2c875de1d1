"""The three-way comparison of base, laptop and share: what a merge applies, keeps, and asks."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy import Boolean, Date, Integer, String, Table, Uuid

from app.models import Record
from app.models.types import ExactDecimal, UTCDateTime, utcnow
from app.services.storage.offline import (
    DELETED,
    Conflict,
    ConflictKey,
    Decision,
    Explicit,
    MergeReport,
    OfflineError,
    RowChange,
    Rows,
    Side,
    field_label,
    plain,
    record_tables,
    rows_text,
)

_BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "version"})  # never merged
# Renumbered whenever a sibling is inserted or deleted: not a change "inside" a deleted parent.
_ORDER_FIELDS = frozenset({"position"})
_LABEL_COLUMNS = ("description", "name", "client_description", "title", "email")


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


class Plan:
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
        return plain(value)

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
            parts.append(f"{rows_text(inside)} inside changed or added")
        return "kept, " + " and ".join(parts)


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
