"""The company's lists — catalog, suppliers, roles, rule sets, categories, … — edited one cell at a time.

One pattern for every master-data table. A :class:`RecordKind` says which table, which
fields (each with the parser that validates what a user typed and the formatter that shows
it), how the rows sort and what a new row starts with; the functions here do the rest for
all of them:

- :func:`load` the live rows; :func:`save_edit` one field, parsed first (an
  :class:`InputError` changes nothing), then written in one short transaction with an
  optimistic version check (someone else's change in between raises ``EditConflict``);
- :func:`add` and :func:`duplicate` (owned rows, e.g. a rule set's holidays, come along);
- :func:`delete`, refused while live rows use the row (:class:`InUse` says where: see
  app/services/master_data/uses.py), and
  :func:`restore`, the undo of a delete or an add.

Deleting tombstones (``deleted_at``), so undo, merge and backups see it like any other
change. The Qt editor (app/ui/master_data.py) is a thin table over these functions.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import String, Table, func, select, update
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from app.models.types import utcnow
from app.services.master_data.uses import Use, live, users_by_key
from app.services.storage.database import Database
from app.services.storage.versioned import EditConflict, update_versioned
from app.services.values import InputError, parse_text


def format_value(value: Any) -> str:
    """How a stored value reads in a cell: money-like decimals as they were typed, no float noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def text(label: str, length: int, *, required: bool = False, multiline: bool = False) -> Callable[[Any], str]:
    """The parser of a text field: cleaned, stripped, at most ``length`` characters."""
    return lambda v: parse_text(v, label, max_length=length, required=required, multiline=multiline)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One editable field: its column (``key``), header, parser and formatter.

    ``choices`` lists the values a cell may take (value, label) for a picker; ``write``
    stores a field that is not a column of the table (a rule set's holidays) inside the
    edit's transaction, and ``read`` fills it when rows are loaded. ``derived`` makes a column
    worked out on reading and never typed (a milestone's due day): its values by row id, from
    the rows of an owner (None: every row).
    """

    key: str
    title: str
    parse: Callable[[Any], Any]
    format: Callable[[Any], str] = format_value
    tip: str = ""
    numeric: bool = False
    choices: Callable[[Database], list[tuple[Any, str]]] | None = None
    write: Callable[[Connection, uuid.UUID, Any], None] | None = None
    read: Callable[[Connection], dict[uuid.UUID, Any]] | None = None
    multiline: bool = False  # notes: the editor gives the cell several lines
    derived: Callable[[Connection, uuid.UUID | None], dict[uuid.UUID, Any]] | None = None


@dataclass(frozen=True)
class RecordKind:
    """A master-data table as its editor sees it."""

    model: type[SQLModel]
    noun: str  # "supplier": in messages and command names
    fields: tuple[FieldSpec, ...]
    order_by: tuple[str, ...] = ("name",)
    name_key: str = "name"
    unique_names: bool = True
    # What a new row starts with besides its name (the company's default markup, …).
    new_values: Callable[[Database], dict[str, Any]] = lambda db: {}
    # Rows that belong to a row, copied with it by duplicate: (table, column naming the owner).
    children: tuple[tuple[Table, str], ...] = ()
    # Columns elsewhere that hold this row's *name*: a rename carries them along, and a
    # row they name is in use (an item's category, a project's lost reason).
    named_by: tuple[tuple[Table, str, tuple[str, str]], ...] = ()  # (table, column, its rows called)
    searchable: tuple[str, ...] = ()  # keys the editor's search box looks in (default: every field)
    # The whole row checked inside the write of an edit or an add (values as they would be
    # stored): rules across fields or tables ("a labour item needs a role"); raise InputError.
    check: Callable[[Connection, dict[str, Any]], None] | None = None
    # Rows that belong to another row (a client's contacts): the column naming it; load and
    # add are then per owner, and names unique among the owner's rows.
    owner_key: str = ""
    # Rules across rows restored inside the write of every change of a row — add, edit,
    # duplicate, delete, restore (a client's one main contact, a project's contact of its
    # client): called with the row's id after the write; an InputError undoes the change. It
    # leaves the row's own version alone (the change already moved it) and bumps others'.
    settle: Callable[[Connection, uuid.UUID], None] | None = None
    # Columns a duplicate leaves empty (a link only one row may hold: a stock item's catalog item).
    not_copied: tuple[str, ...] = ()
    # Rows its children own (a quote's items' breaks): (table, column naming the child); copied,
    # deleted and restored with the children.
    nested: tuple[tuple[Table, str], ...] = ()
    # What uses the rows it owns keeps it too (a quote whose item a line follows).
    kept_by_children: bool = False
    # A copy is named “… (copy)” although names may repeat (a quote's number: unique per supplier).
    copy_renamed: bool = False
    field_by_key: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_by_key", {f.key: f for f in self.fields})

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[attr-defined, no-any-return]

    def title(self) -> str:
        return self.noun[:1].upper() + self.noun[1:]


@dataclass(slots=True)
class RecordRow:
    id: uuid.UUID
    version: int
    values: dict[str, Any]

    def name(self, kind: RecordKind) -> str:
        return str(self.values.get(kind.name_key) or "")


class InUse(InputError):
    """A delete refused: live rows use the row. ``uses`` says which; nothing was changed."""

    def __init__(self, kind: RecordKind, name: str, uses: list[Use]) -> None:
        self.uses = uses
        listed = "; ".join(str(u) for u in uses)
        super().__init__(f"The {kind.noun} “{name}” is in use, so it was not deleted: {listed}.")


# How the rows of a table that use something are called, and how one of them is named.
# -- reading ---------------------------------------------------------------------------------------


def _column_keys(kind: RecordKind) -> list[str]:
    return [f.key for f in kind.fields if f.key in kind.table.c]


def load(db: Database, kind: RecordKind, owner: uuid.UUID | None = None) -> list[RecordRow]:
    """Every live row (of ``owner``, for a kind with one), in the kind's order (names case-insensitively)."""
    table = kind.table
    order = [func.lower(table.c[k]) if k == kind.name_key and isinstance(table.c[k].type, String)
             else table.c[k] for k in kind.order_by]
    live = select(table).where(table.c.deleted_at.is_(None))
    if kind.owner_key and owner is not None:
        live = live.where(table.c[kind.owner_key] == owner)
    with db.read() as conn:
        extra = {f.key: f.read(conn) for f in kind.fields if f.read is not None}
        worked = {f.key: f.derived(conn, owner) for f in kind.fields if f.derived is not None}
        rows = conn.execute(live.order_by(*order, table.c.id))
        keys = _column_keys(kind)
        result = []
        for row in rows:
            values = {k: getattr(row, k) for k in keys}
            for key, by_id in extra.items():
                values[key] = by_id.get(row.id, kind.field_by_key[key].parse(None))
            for key, by_id in worked.items():
                values[key] = by_id.get(row.id)
            result.append(RecordRow(row.id, row.version, values))
        return result


def load_one(db: Database, kind: RecordKind, row_id: uuid.UUID) -> RecordRow:
    row = next((r for r in load(db, kind) if r.id == row_id), None)
    if row is None:
        raise InputError(f"That {kind.noun} no longer exists.")
    return row


def _version(conn: Connection, kind: RecordKind, row_id: uuid.UUID) -> int:
    version = conn.execute(select(kind.table.c.version).where(kind.table.c.id == row_id)).scalar()
    if version is None:
        raise InputError(f"That {kind.noun} no longer exists.")
    return int(version)


def live_names(conn: Connection, table: Table, *where: Any) -> list[tuple[Any, str]]:
    """The live rows of ``table`` (that meet ``where``) as (id, name), A→Z: the choices of a pick."""
    rows = conn.execute(
        select(table.c.id, table.c.name)
        .where(table.c.deleted_at.is_(None), *where)
        .order_by(func.lower(table.c.name), table.c.id)
    )
    return [(row.id, str(row.name)) for row in rows]


# -- editing ---------------------------------------------------------------------------------------


def parse_edit(kind: RecordKind, key: str, value: Any) -> Any:
    spec = kind.field_by_key.get(key)
    if spec is None:
        raise InputError(f"{key} cannot be edited.")
    if spec.derived is not None:
        raise InputError(f"{spec.title} is worked out, not typed: {spec.tip}")
    return spec.parse(value)


def _check_unique(conn: Connection, kind: RecordKind, name: str, row_id: uuid.UUID | None,
                  owner: uuid.UUID | None = None) -> None:
    if not kind.unique_names:
        return
    table = kind.table
    clash = select(table.c.id).where(
        func.lower(table.c[kind.name_key]) == name.lower(), table.c.deleted_at.is_(None))
    if row_id is not None:
        clash = clash.where(table.c.id != row_id)
        if kind.owner_key:
            owner = conn.execute(select(table.c[kind.owner_key]).where(table.c.id == row_id)).scalar()
    if kind.owner_key:
        clash = clash.where(table.c[kind.owner_key] == owner)
    if conn.execute(clash.limit(1)).first() is not None:
        raise InputError(f"There is already a {kind.noun} named “{name}”.")


def save_edit(db: Database, kind: RecordKind, row: RecordRow, key: str, value: Any) -> bool:
    """Validate and write one field of ``row`` (as the editor saw it); False when nothing changed.

    Raises InputError (nothing written) or EditConflict (someone else changed the row since).
    A rename carries the name along in the columns that hold it (``named_by``).
    """
    parsed = parse_edit(kind, key, value)
    if row.values.get(key) == parsed:
        return False
    spec = kind.field_by_key[key]
    with db.write() as conn:
        if key == kind.name_key:
            _check_unique(conn, kind, parsed, row.id)
        if kind.check is not None:
            kind.check(conn, {**row.values, key: parsed})
        try:  # a field kept elsewhere still moves the row's version, so edits of it conflict too
            update_versioned(conn, kind.table, row.id, row.version, {} if spec.write else {key: parsed})
        except EditConflict as conflict:
            conflict.mine = {key: parsed}
            raise
        if spec.write is not None:
            spec.write(conn, row.id, parsed)
        if key == kind.name_key:
            old = row.values.get(key)
            for table, column, _what in kind.named_by:
                conn.execute(
                    update(table).where(table.c[column] == old, table.c.deleted_at.is_(None))
                    .values({column: parsed, "version": table.c.version + 1, "updated_at": utcnow()})
                )
        _settle(conn, kind, row.id)
    row.values[key] = parsed
    row.version += 1
    return True


def done_stamper(table: Table) -> Callable[[Connection, uuid.UUID], None]:
    """The ``settle`` of a kind with a Done tick (a milestone, an activity): done stamps ``done_at``
    (now), not done clears it, inside the change being written."""

    def stamp(conn: Connection, row_id: uuid.UUID) -> None:
        done, done_at = conn.execute(select(table.c.done, table.c.done_at).where(table.c.id == row_id)).one()
        if bool(done) != (done_at is not None):
            conn.execute(update(table).where(table.c.id == row_id).values(done_at=utcnow() if done else None))

    return stamp


_BOOKKEEPING = ("id", "created_at", "updated_at", "version", "deleted_at")


def _settle(conn: Connection, kind: RecordKind, row_id: uuid.UUID) -> None:
    if kind.settle is not None:
        kind.settle(conn, row_id)


def _insert(conn: Connection, kind: RecordKind, values: dict[str, Any]) -> uuid.UUID:
    """A new row: the model's defaults, then ``values``; fresh bookkeeping columns."""
    record = kind.model(**{k: v for k, v in values.items() if k not in _BOOKKEEPING})
    conn.execute(kind.table.insert().values(**{c.name: getattr(record, c.name) for c in kind.table.columns}))
    return record.id  # type: ignore[attr-defined, no-any-return]


def _defaults(kind: RecordKind) -> dict[str, Any]:
    """The values the model gives a new row (only its name is required)."""
    fields = kind.model.model_fields
    return {k: None if k not in fields or fields[k].is_required()
            else fields[k].get_default(call_default_factory=True) for k in _column_keys(kind)}


def add(db: Database, kind: RecordKind, name: Any, values: dict[str, Any] | None = None,
        owner: uuid.UUID | None = None) -> uuid.UUID:
    """A new row named ``name`` with the kind's starting values (and ``values``, each parsed);
    a kind with an owner needs ``owner`` (the client of a contact)."""
    fields = {kind.name_key: parse_edit(kind, kind.name_key, name)}
    for key, value in (values or {}).items():
        fields[key] = parse_edit(kind, key, value)
    start = kind.new_values(db)
    if kind.owner_key:
        if owner is None:
            raise ValueError(f"a new {kind.noun} needs its {kind.owner_key}")
        start = {**start, kind.owner_key: owner}
    later = {k: v for k, v in fields.items() if kind.field_by_key[k].write is not None}
    with db.write() as conn:
        _check_unique(conn, kind, fields[kind.name_key], None, owner)
        if kind.check is not None:
            kind.check(conn, {**_defaults(kind), **start, **fields})
        row_id = _insert(conn, kind, {**start, **{k: v for k, v in fields.items() if k not in later}})
        for key, value in later.items():
            spec = kind.field_by_key[key]
            assert spec.write is not None
            spec.write(conn, row_id, value)
        _settle(conn, kind, row_id)
    return row_id


def copy_name(kind: RecordKind, conn: Connection, name: str) -> str:
    """“Name (copy)”, “Name (copy 2)”, … the first not taken."""
    taken = {str(n).lower() for n in conn.execute(
        select(kind.table.c[kind.name_key]).where(kind.table.c.deleted_at.is_(None))).scalars()}
    limit = getattr(kind.table.c[kind.name_key].type, "length", None) or 200
    for n in range(1, 1000):
        suffix = " (copy)" if n == 1 else f" (copy {n})"
        candidate = name[: limit - len(suffix)] + suffix
        if candidate.lower() not in taken:
            return candidate
    raise InputError(f"Too many copies of “{name}”.")


def duplicate(db: Database, kind: RecordKind, row_id: uuid.UUID) -> uuid.UUID:
    """A copy of the row, named “… (copy)”, with copies of the rows it owns."""
    table = kind.table
    with db.write() as conn:
        row = conn.execute(select(table).where(table.c.id == row_id, table.c.deleted_at.is_(None))).first()
        if row is None:
            raise InputError(f"That {kind.noun} no longer exists.")
        values = {c.name: getattr(row, c.name) for c in table.columns if c.name not in _BOOKKEEPING}
        # The copy keeps the name where names repeat (a kit's component: the same item) or the row
        # is named by a reference (a rate's stock item).
        if (kind.unique_names or kind.copy_renamed) and isinstance(values[kind.name_key], str):
            values[kind.name_key] = copy_name(kind, conn, values[kind.name_key])
        values.update(dict.fromkeys(kind.not_copied))
        new_id = _insert(conn, kind, values)
        for child, column in kind.children:
            for old_child, new_child in _copy_rows(conn, child, column, row_id, new_id):
                for nested, nested_column in kind.nested:
                    _copy_rows(conn, nested, nested_column, old_child, new_child)
        _settle(conn, kind, new_id)
    return new_id


def _copy_rows(conn: Connection, table: Table, column: str, old_owner: uuid.UUID,
               new_owner: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Fresh copies of the live rows of ``table`` ``old_owner`` owns, for ``new_owner``: (old id, new id)."""
    pairs = []
    live = select(table).where(table.c[column] == old_owner, table.c.deleted_at.is_(None))
    for owned in conn.execute(live):
        copied = {c.name: getattr(owned, c.name) for c in table.columns}
        now = utcnow()
        copied.update({column: new_owner, "id": uuid.uuid4(), "created_at": now, "updated_at": now,
                       "version": 1})
        conn.execute(table.insert().values(**copied))
        pairs.append((owned.id, copied["id"]))
    return pairs


# -- where a row is used ---------------------------------------------------------------------------


def uses(db: Database, kind: RecordKind, row_id: uuid.UUID, *, examples: int = 3) -> list[Use]:
    """The live rows that refer to ``row_id`` (by key or, for ``named_by``, by name)."""
    # Its own children do not keep it; their other links keep what they name (a component its item).
    owned = {(child.name, column) for child, column in (*kind.children, *kind.nested)}
    found: list[Use] = []
    with db.read() as conn:
        found += users_by_key(conn, kind.table, [row_id], owned, examples)
        if kind.kept_by_children:
            for child, column in kind.children:
                ids = list(conn.execute(select(child.c.id).where(child.c[column] == row_id,
                                                                 child.c.deleted_at.is_(None))).scalars())
                found += users_by_key(conn, child, ids, owned, examples) if ids else []
        name = conn.execute(select(kind.table.c[kind.name_key]).where(kind.table.c.id == row_id)).scalar()
        for table, column, what in kind.named_by:
            rows = conn.execute(select(table.c.name).where(table.c[column] == name, live(table))
                                .order_by(table.c.name)).scalars().all()
            if rows:
                shown = tuple(str(r) for r in rows[:examples])
                found.append(Use(what, len(rows), shown, len(rows) > examples))
    return found


def delete(db: Database, kind: RecordKind, row_id: uuid.UUID, version: int | None = None) -> None:
    """Tombstone a row no live row uses; :class:`InUse` (nothing changed) when some do.

    ``version`` is the one the editor showed: a row changed since raises EditConflict.
    """
    in_use = uses(db, kind, row_id)
    with db.write() as conn:
        seen = _version(conn, kind, row_id) if version is None else version
        name = conn.execute(select(kind.table.c[kind.name_key]).where(kind.table.c.id == row_id)).scalar()
        if in_use:
            raise InUse(kind, str(name), in_use)
        now = utcnow()
        update_versioned(conn, kind.table, row_id, seen, {"deleted_at": now})
        _children_deleted(conn, kind, row_id, None, now)  # else a kit's components keep their items
        _settle(conn, kind, row_id)


def _children_deleted(conn: Connection, kind: RecordKind, row_id: uuid.UUID, was: Any, now: Any) -> None:
    """The rows a row owns tombstoned with it (``was`` None), or those tombstoned with it brought back
    (and the rows those own in turn: a quote's items' breaks)."""
    for child, column in kind.children:
        gone = child.c.deleted_at.is_(None) if was is None else child.c.deleted_at == was
        ids = list(conn.execute(select(child.c.id).where(child.c[column] == row_id, gone)).scalars())
        if not ids:
            continue
        conn.execute(update(child).where(child.c.id.in_(ids))
                     .values(deleted_at=now, version=child.c.version + 1, updated_at=utcnow()))
        for nested, nested_column in kind.nested:
            still = nested.c.deleted_at.is_(None) if was is None else nested.c.deleted_at == was
            conn.execute(update(nested).where(nested.c[nested_column].in_(ids), still)
                         .values(deleted_at=now, version=nested.c.version + 1, updated_at=utcnow()))


def restore(db: Database, kind: RecordKind, row_id: uuid.UUID) -> None:
    """Bring a deleted row back: the undo of a delete, or the redo of an add."""
    with db.write() as conn:
        version = _version(conn, kind, row_id)
        name = conn.execute(select(kind.table.c[kind.name_key]).where(kind.table.c.id == row_id)).scalar()
        _check_unique(conn, kind, str(name), row_id)
        was = conn.execute(select(kind.table.c.deleted_at).where(kind.table.c.id == row_id)).scalar()
        update_versioned(conn, kind.table, row_id, version, {"deleted_at": None})
        if was is not None:  # a delete's undo: what went with it comes back
            _children_deleted(conn, kind, row_id, was, None)
        _settle(conn, kind, row_id)


def matches(kind: RecordKind, row: RecordRow, text: str,
            labels: dict[str, dict[Any, str]] | None = None) -> bool:
    """Whether a row is found by the editor's search: every word in some searchable field.

    ``labels`` gives the shown text of fields with choices (a supplier's name for its id).
    """
    keys = kind.searchable or tuple(f.key for f in kind.fields)
    labels = labels or {}
    shown = [labels[k].get(row.values.get(k), "") if k in labels
             else kind.field_by_key[k].format(row.values.get(k)) for k in keys]
    haystack = " ".join(shown).lower()
    return all(word in haystack for word in text.lower().split())
