"""One open estimate: its sections and lines in memory, priced, and every edit saved at once.

:class:`EstimateDocument` is what both panes show. It loads an estimate with a
fixed number of queries, keeps plain rows in order, prices them, and applies
edits: each edit is validated first (an :class:`InputError` changes nothing),
then written in one short transaction with an optimistic version check, then
applied in memory and announced to listeners as a :class:`Change` so that a
view can update just what changed. There is no separate save step.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.engine import Connection

from app.models import Client, Company, Estimate, LineItem, Project, Section
from app.models.enums import CallPhase, LineKind, PriceBasis
from app.models.types import utcnow
from app.services.labour import LabourRules, day_hours
from app.services.lookups import CatalogEntry, Lookups, RoleInfo, load_lookups
from app.services.money import HUNDRED
from app.services.pricing import EstimateTerms, EstimateTotals, LinePrice, LineTerms, price_line, summarize
from app.services.storage import Database
from app.services.values import InputError, parse_date, parse_decimal, parse_text, parse_time

LINE_T = LineItem.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]


class ConcurrentEditError(Exception):
    """Someone else changed or deleted the row since it was loaded; nothing was written."""


class EditConflict(ConcurrentEditError):
    """An update found the row changed (or deleted) by someone else; nothing was written.

    ``mine`` holds the values this edit wanted to write; ``theirs`` the values now
    stored for the same columns (None when the row was deleted), so the user can
    see both and choose.
    """

    def __init__(self, table: str, row_id: uuid.UUID, mine: dict[str, Any],
                 theirs: dict[str, Any] | None) -> None:
        what = "deleted" if theirs is None else "changed"
        super().__init__(f"Someone else {what} this since you opened it; nothing was saved.")
        self.table = table
        self.row_id = row_id
        self.mine = mine
        self.theirs = theirs

    @property
    def deleted(self) -> bool:
        return self.theirs is None


@dataclass(slots=True)
class LineRow:
    id: uuid.UUID
    section_id: uuid.UUID
    position: int
    kind: LineKind
    description: str
    client_description: str
    quantity: Decimal
    unit: str
    days: Decimal
    hours: Decimal | None
    unit_cost: Decimal
    price_basis: PriceBasis
    markup_pct: Decimal | None
    unit_price: Decimal | None
    margin_pct: Decimal | None
    price_override: Decimal | None
    optional: bool
    supplier_id: uuid.UUID | None
    role_id: uuid.UUID | None
    labour_rule_set_id: uuid.UUID | None
    catalog_item_id: uuid.UUID | None
    phase: str
    call_date: date | None
    start_time: time | None
    end_time: time | None
    version: int
    priced: LinePrice | None = None

    def terms(self) -> LineTerms:
        return LineTerms(
            kind=self.kind,
            quantity=self.quantity,
            days=self.days,
            hours=self.hours,
            unit_cost=self.unit_cost,
            price_basis=self.price_basis,
            markup_pct=self.markup_pct,
            unit_price=self.unit_price,
            margin_pct=self.margin_pct,
            price_override=self.price_override,
            call_date=self.call_date,
            start_time=self.start_time,
            end_time=self.end_time,
        )

    @property
    def client_text(self) -> str:
        """What the client reads: the client description, else a neutral label for the kind."""
        return self.client_description or self.kind.client_label

    @property
    def price(self) -> LinePrice:
        assert self.priced is not None
        return self.priced


# Columns a user edits on a line; everything else is identity or bookkeeping.
LINE_COLUMNS = tuple(
    f.name for f in fields(LineRow) if f.name not in {"id", "section_id", "position", "version", "priced"}
)


@dataclass(slots=True)
class SectionRow:
    id: uuid.UUID
    estimate_id: uuid.UUID
    position: int
    name: str
    client_description: str
    version: int
    lines: list[LineRow] = field(default_factory=list)


@dataclass(slots=True)
class EstimateHeader:
    id: uuid.UUID
    project_id: uuid.UUID
    name: str
    notes: str
    target_margin_pct: Decimal
    contingency_pct: Decimal
    discount_pct: Decimal
    tax_pct: Decimal
    version: int
    project_name: str
    client_name: str
    venue: str
    start_date: date | None
    end_date: date | None
    account_manager: str
    project_manager: str
    project_rule_set_id: uuid.UUID | None
    company_name: str
    currency: str

    def terms(self) -> EstimateTerms:
        return EstimateTerms(
            contingency_pct=self.contingency_pct,
            discount_pct=self.discount_pct,
            tax_pct=self.tax_pct,
            target_margin_pct=self.target_margin_pct,
        )


class ChangeKind(StrEnum):
    LINE_CHANGED = "line_changed"
    LINE_INSERTED = "line_inserted"
    LINE_REMOVED = "line_removed"
    SECTION_CHANGED = "section_changed"
    SECTION_INSERTED = "section_inserted"
    SECTION_REMOVED = "section_removed"
    ESTIMATE_CHANGED = "estimate_changed"
    RESET = "reset"


@dataclass(frozen=True, slots=True)
class Change:
    """What an edit did, in terms a view can replay: which row, where.

    Structural changes (insertions, removals, resets) are announced twice: with
    ``before=True`` just before the rows change in memory and again after, so a
    Qt model can bracket them with begin…/end… calls. ``section_index``/``index``
    say where the row is (after insertion, before removal). A move is a removal
    then an insertion. Every announcement happens after the database committed.
    """

    kind: ChangeKind
    section_index: int = -1
    index: int = -1
    row_id: uuid.UUID | None = None
    before: bool = False


Listener = Callable[[Change], None]


@dataclass(frozen=True, slots=True)
class _Spec:
    label: str
    parse: Callable[[Any], Any]


def _decimal(label: str, **kwargs: Any) -> _Spec:
    return _Spec(label, lambda v: parse_decimal(v, label, **kwargs))


def _text(label: str, max_length: int, required: bool = False) -> _Spec:
    return _Spec(label, lambda v: parse_text(v, label, max_length=max_length, required=required))


def _choice(label: str, enum: type[StrEnum]) -> _Spec:
    def parse(value: Any) -> Any:
        try:
            return enum(value)
        except ValueError:
            choices = ", ".join(member.value for member in enum)  # type: ignore[attr-defined]
            raise InputError(f"{label} must be one of: {choices}.") from None

    return _Spec(label, parse)


def _flag(label: str) -> _Spec:
    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"yes", "y", "true", "1", "x"}:
            return True
        if text in {"no", "n", "false", "0", ""}:
            return False
        raise InputError(f"{label} must be yes or no.")

    return _Spec(label, parse)


def _optional_id(label: str) -> _Spec:
    def parse(value: Any) -> uuid.UUID | None:
        if value in (None, ""):
            return None
        try:
            return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        except ValueError:
            raise InputError(f"{label} is not a known choice.") from None

    return _Spec(label, parse)


def _phase(label: str) -> _Spec:
    by_text = {p.value: p.value for p in CallPhase}
    by_text.update({p.label.lower(): p.value for p in CallPhase})
    by_text.update({p.value.replace("_", " "): p.value for p in CallPhase})
    by_text.update({p.label.lower().replace("-", " "): p.value for p in CallPhase})

    def parse(value: Any) -> str:
        text = "" if value is None else str(value).strip().lower()
        if text == "":
            return ""
        if text not in by_text:
            choices = ", ".join(p.label for p in CallPhase)
            raise InputError(f"{label} must be one of: {choices} (or empty).")
        return by_text[text]

    return _Spec(label, parse)


PCT = {"percent": True, "places": 4}
LINE_FIELDS: dict[str, _Spec] = {
    "kind": _choice("Kind", LineKind),
    "description": _text("Description", 500),
    "client_description": _text("Client description", 500),
    "quantity": _decimal("Quantity", places=4),
    "unit": _text("Unit", 20),
    "days": _decimal("Days", places=2),
    "hours": _decimal("Hours", places=2, allow_empty=True, maximum=Decimal(24)),
    "unit_cost": _decimal("Unit cost", places=4),
    "markup_pct": _decimal("Markup", minimum=Decimal(-100), **PCT),
    "unit_price": _decimal("Unit price", places=4),
    "margin_pct": _decimal("Margin", minimum=Decimal(-1000), below=HUNDRED, **PCT),
    "price_override": _decimal("Price", places=2, allow_empty=True),
    "optional": _flag("Optional"),
    "supplier_id": _optional_id("Supplier"),
    "role_id": _optional_id("Role"),
    "labour_rule_set_id": _optional_id("Labour rules"),
    "catalog_item_id": _optional_id("Catalog item"),
    "phase": _phase("Phase"),
    "call_date": _Spec("Date", lambda v: parse_date(v, "Date")),
    "start_time": _Spec("Start", lambda v: parse_time(v, "Start")),
    "end_time": _Spec("End", lambda v: parse_time(v, "End")),
}
SECTION_FIELDS: dict[str, _Spec] = {
    "name": _text("Section name", 200, required=True),
    "client_description": _text("Client description", 2000),
}
ESTIMATE_FIELDS: dict[str, _Spec] = {
    "name": _text("Estimate name", 200, required=True),
    "notes": _text("Notes", 10000),
    "target_margin_pct": _decimal("Target margin", below=HUNDRED, **PCT),
    "contingency_pct": _decimal("Contingency", below=Decimal(1000), **PCT),
    "discount_pct": _decimal("Discount", below=HUNDRED, **PCT),
    "tax_pct": _decimal("Tax", below=HUNDRED, **PCT),
}
# Editing one of these makes it the line's price basis.
BASIS_OF_FIELD = {
    "markup_pct": PriceBasis.MARKUP,
    "unit_price": PriceBasis.UNIT_PRICE,
    "margin_pct": PriceBasis.MARGIN,
}


# The line columns a document reads, in LineRow's field order (bookkeeping dates left out).
_LINE_FIELDS = tuple(f.name for f in fields(LineRow) if f.name != "priced")
_LINE_SELECT = tuple(LINE_T.c[name] for name in _LINE_FIELDS)
_KINDS = {k.value: k for k in LineKind}
_BASES = {b.value: b for b in PriceBasis}
_AT_KIND, _AT_BASIS, _AT_OPTIONAL = (_LINE_FIELDS.index(n) for n in ("kind", "price_basis", "optional"))


def _lines_from_rows(rows: Iterable[tuple[Any, ...]]) -> list[LineRow]:
    """Rows selected as _LINE_SELECT → LineRows, positionally (the hot path of a load)."""
    out = []
    for row in rows:
        line = LineRow(*row)
        line.kind = _KINDS[row[_AT_KIND]]
        line.price_basis = _BASES[row[_AT_BASIS]]
        line.optional = bool(row[_AT_OPTIONAL])
        out.append(line)
    return out


def _line_from_row(row: Any) -> LineRow:
    """One LineRow from anything with the line's columns as attributes (a Row, a LineItem)."""
    return _lines_from_rows([tuple(getattr(row, name) for name in _LINE_FIELDS)])[0]


def update_versioned(conn: Connection, table: Any, row_id: uuid.UUID, version: int,
                     values: dict[str, Any]) -> None:
    """``UPDATE … WHERE id = ? AND version = ?``, bumping version and updated_at.

    The one optimistic-locking write of every table: when the row changed (or was
    deleted) since ``version`` was read, nothing is written and EditConflict says
    what is stored now.
    """
    result = conn.execute(
        update(table)
        .where(and_(table.c.id == row_id, table.c.version == version))
        .values(**values, version=version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:
        current = conn.execute(select(table).where(table.c.id == row_id)).first()
        theirs = None
        if current is not None and current.deleted_at is None:
            theirs = {k: getattr(current, k) for k in values if k in table.c}
        raise EditConflict(table.name, row_id, dict(values), theirs)


def catalog_line_values(entry: CatalogEntry) -> dict[str, Any]:
    """The column values of a new line made from a catalog item."""
    values: dict[str, Any] = {
        "kind": entry.kind.value,
        "description": entry.name,
        "client_description": entry.client_description,
        "unit": entry.unit,
        "unit_cost": entry.unit_cost,
        "price_basis": entry.price_basis.value,
        "markup_pct": entry.markup_pct,
        "unit_price": entry.unit_price,
        "margin_pct": entry.margin_pct,
        "supplier_id": entry.supplier_id,
        "role_id": entry.role_id,
        "catalog_item_id": entry.id,
    }
    if entry.kind is LineKind.LABOUR and entry.unit not in {"h", "hr", "hour", "hours"}:
        values["hours"] = Decimal(8)  # a crew call: people × one 8-hour day until told otherwise
    return values


def _db_value(value: Any) -> Any:
    return value.value if isinstance(value, StrEnum) else value


DAY_UNITS = frozenset({"day", "days", "d"})


def is_day_unit(unit: str | None) -> bool:
    return (unit or "").strip().lower() in DAY_UNITS


def _day_rate_changes(role: RoleInfo) -> dict[str, Any]:
    """A labour line priced per person per day: the role's day rates, no hours or times."""
    return {"unit_cost": role.day_cost_rate, "unit_price": role.day_bill_rate,
            "price_basis": PriceBasis.UNIT_PRICE, "hours": None, "start_time": None, "end_time": None}


class EstimateDocument:
    """An estimate loaded for editing. Not thread-safe: one document per GUI or worker."""

    def __init__(self, db: Database, estimate_id: uuid.UUID) -> None:
        self.db = db
        self.estimate_id = estimate_id
        self._listeners: list[Listener] = []
        self.header: EstimateHeader
        self.sections: list[SectionRow] = []
        self.lookups: Lookups
        self.totals: EstimateTotals
        self._lines: dict[uuid.UUID, LineRow] = {}
        self.reload(notify=False)

    # -- loading -------------------------------------------------------------

    def reload(self, notify: bool = True) -> None:
        """Read the whole estimate again (a fixed number of queries, whatever its size)."""
        with self.db.read() as conn:
            header = self._load_header(conn)
            lookups = load_lookups(conn)
            sections = [
                SectionRow(r.id, r.estimate_id, r.position, r.name, r.client_description, r.version)
                for r in conn.execute(
                    select(SECTION_T)
                    .where(SECTION_T.c.estimate_id == self.estimate_id, SECTION_T.c.deleted_at.is_(None))
                    .order_by(SECTION_T.c.position, SECTION_T.c.created_at)
                )
            ]
            by_id = {s.id: s for s in sections}
            rows = conn.execute(
                select(*_LINE_SELECT)
                .join(SECTION_T, LINE_T.c.section_id == SECTION_T.c.id)
                .where(
                    SECTION_T.c.estimate_id == self.estimate_id,
                    SECTION_T.c.deleted_at.is_(None),
                    LINE_T.c.deleted_at.is_(None),
                )
                .order_by(LINE_T.c.position, LINE_T.c.created_at)
            )
            for line in _lines_from_rows(rows):
                by_id[line.section_id].lines.append(line)
        if notify:
            self._emit(Change(ChangeKind.RESET, before=True))
        self.header, self.lookups, self.sections = header, lookups, sections
        self._lines = {line.id: line for s in sections for line in s.lines}
        for line in self._lines.values():
            line.priced = price_line(line.terms(), self.rules_for(line))
        self._retotal()
        if notify:
            self._emit(Change(ChangeKind.RESET))

    def _load_header(self, conn: Connection) -> EstimateHeader:
        e, p, c = ESTIMATE_T, Project.__table__, Client.__table__  # type: ignore[attr-defined]
        row = conn.execute(
            select(e, p.c.name.label("project_name"), p.c.venue, p.c.start_date, p.c.end_date,
                   p.c.account_manager, p.c.project_manager,
                   p.c.labour_rule_set_id.label("project_rule_set_id"),
                   c.c.name.label("client_name"))
            .join(p, e.c.project_id == p.c.id)
            .join(c, p.c.client_id == c.c.id)
            .where(e.c.id == self.estimate_id, e.c.deleted_at.is_(None))
        ).first()
        if row is None:
            raise ConcurrentEditError("This estimate no longer exists; someone may have deleted it.")
        co = Company.__table__  # type: ignore[attr-defined]
        company = conn.execute(select(co.c.name, co.c.currency).limit(1)).first()
        return EstimateHeader(
            id=row.id, project_id=row.project_id, name=row.name, notes=row.notes,
            target_margin_pct=row.target_margin_pct, contingency_pct=row.contingency_pct,
            discount_pct=row.discount_pct, tax_pct=row.tax_pct, version=row.version,
            project_name=row.project_name, client_name=row.client_name, venue=row.venue,
            start_date=row.start_date, end_date=row.end_date,
            account_manager=row.account_manager, project_manager=row.project_manager,
            project_rule_set_id=row.project_rule_set_id,
            company_name=company.name if company else "",
            currency=company.currency if company else "USD",
        )

    # -- listeners -------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # -- queries ---------------------------------------------------------------

    def line(self, line_id: uuid.UUID) -> LineRow:
        return self._lines[line_id]

    def has_line(self, line_id: uuid.UUID) -> bool:
        return line_id in self._lines

    def section(self, section_id: uuid.UUID) -> SectionRow:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def section_index(self, section_id: uuid.UUID) -> int:
        for i, section in enumerate(self.sections):
            if section.id == section_id:
                return i
        raise KeyError(section_id)

    def locate(self, line_id: uuid.UUID) -> tuple[int, int]:
        """(section index, line index) of a line."""
        line = self._lines[line_id]
        s = self.section_index(line.section_id)
        lines = self.sections[s].lines
        if 0 <= line.position < len(lines) and lines[line.position] is line:
            return s, line.position
        return s, lines.index(line)

    def lines(self) -> Iterable[LineRow]:
        for section in self.sections:
            yield from section.lines

    def rules_for(self, line: LineRow) -> LabourRules | None:
        rule_id = line.labour_rule_set_id or self.header.project_rule_set_id
        return self.lookups.rule_sets.get(rule_id) if rule_id else None

    def counts_in_total(self, line: LineRow) -> bool:
        """True when a line's price is in the estimate's total (not an add-on or an unchosen alternative)."""
        return not line.optional

    @property
    def line_count(self) -> int:
        return len(self._lines)

    # -- parsing ---------------------------------------------------------------

    def parse_line_edit(self, line_id: uuid.UUID, column: str, value: Any) -> dict[str, Any]:
        """Turn one typed edit into the column changes it implies, or raise InputError.

        Editing the markup, unit price or margin makes that the price basis;
        editing ``price`` sets (or, when emptied, clears) the price override;
        picking a role for a labour line takes the role's cost and bill rates.
        """
        line = self._lines[line_id]
        name = "price_override" if column == "price" else column
        spec = LINE_FIELDS.get(name)
        if spec is None:
            raise InputError(f"{column} cannot be edited.")
        parsed = spec.parse(value)
        changes: dict[str, Any] = {name: parsed}
        if name in BASIS_OF_FIELD:
            changes["price_basis"] = BASIS_OF_FIELD[name]
        elif name == "role_id" and parsed is not None:
            role = self.lookups.roles.get(parsed)
            if role is None:
                raise InputError("That role no longer exists.")
            if line.kind is LineKind.LABOUR:
                changes.update(unit_cost=role.cost_rate, unit_price=role.bill_rate,
                               price_basis=PriceBasis.UNIT_PRICE)
                if is_day_unit(line.unit) and role.has_day_rates:
                    changes.update(_day_rate_changes(role))
        elif name == "unit" and line.kind is LineKind.LABOUR and is_day_unit(parsed) and line.role_id:
            # A role line switched to unit "day" takes the role's day rates, if it has any.
            role = self.lookups.roles.get(line.role_id)
            if role is not None and role.has_day_rates:
                changes.update(_day_rate_changes(role))
        elif name == "supplier_id" and parsed is not None and parsed not in self.lookups.suppliers:
            raise InputError("That supplier no longer exists.")
        elif name == "kind" and parsed is LineKind.LABOUR and line.hours is None:
            changes["hours"] = Decimal(8)
        elif name in {"start_time", "end_time"}:
            # With both times, Hours follows them (the times price the call).
            start = parsed if name == "start_time" else line.start_time
            end = parsed if name == "end_time" else line.end_time
            if start is not None and end is not None:
                changes["hours"] = day_hours(start, end)
        elif name == "hours" and line.start_time is not None and line.end_time is not None:
            # Typed hours move the end time (a call of 0 h drops its times).
            if parsed == 0:
                changes.update(start_time=None, end_time=None)
            elif parsed is not None:
                minutes = int((parsed * 60).to_integral_value())
                start_at = datetime.combine(date.min, line.start_time)
                changes["end_time"] = (start_at + timedelta(minutes=minutes)).time()
                changes["hours"] = day_hours(line.start_time, changes["end_time"])
        if name in {"hours", "kind"}:
            # hours only weigh on labour; a hour count on other kinds is kept but ignored.
            pass
        return {k: v for k, v in changes.items() if getattr(line, k) != v}

    # -- line edits ------------------------------------------------------------

    def set_line_fields(self, line_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
        """Write ``changes`` to a line; return the previous values (for undo)."""
        line = self._lines[line_id]
        unknown = set(changes) - set(LINE_COLUMNS)
        if unknown:
            raise ValueError(f"not line columns: {sorted(unknown)}")
        old = {k: getattr(line, k) for k in changes}
        if not changes:
            return old
        with self.db.write() as conn:
            self._update_row(conn, LINE_T, line.id, line.version,
                             {k: _db_value(v) for k, v in changes.items()})
        for k, v in changes.items():
            setattr(line, k, v)
        line.version += 1
        line.priced = price_line(line.terms(), self.rules_for(line))
        self._retotal()
        s, i = self.locate(line_id)
        self._emit(Change(ChangeKind.LINE_CHANGED, s, i, line_id))
        return old

    def add_line(
        self,
        section_id: uuid.UUID,
        index: int | None = None,
        values: dict[str, Any] | None = None,
        line_id: uuid.UUID | None = None,
    ) -> LineRow:
        s = self.section_index(section_id)
        section = self.sections[s]
        index = len(section.lines) if index is None else max(0, min(index, len(section.lines)))
        data = LineItem(section_id=section_id, position=index, **(values or {}))
        if line_id is not None:
            data.id = line_id
        line = _line_from_row(data)
        spec_errors = [name for name in ("quantity", "days", "unit_cost") if getattr(line, name) < 0]
        if spec_errors:
            raise InputError(f"{LINE_FIELDS[spec_errors[0]].label} cannot be negative.")
        line.priced = price_line(line.terms(), self.rules_for(line))
        new_order = [*section.lines[:index], line, *section.lines[index:]]
        with self.db.write() as conn:
            conn.execute(LINE_T.insert().values(**{
                c.name: _db_value(getattr(data, c.name)) for c in LINE_T.columns
            }))
            self._write_positions(conn, LINE_T, new_order)
        self._replace_rows(Change(ChangeKind.LINE_INSERTED, s, index, line.id), section.lines, new_order)
        self._lines[line.id] = line
        self._retotal()
        self._emit(Change(ChangeKind.LINE_INSERTED, s, index, line.id))
        return line

    def add_catalog_line(
        self, section_id: uuid.UUID, entry: CatalogEntry, index: int | None = None
    ) -> LineRow:
        return self.add_line(section_id, index, catalog_line_values(entry))

    def delete_line(self, line_id: uuid.UUID) -> tuple[uuid.UUID, int]:
        """Delete (tombstone) a line; return where it was, for restore_line."""
        line = self._lines[line_id]
        s, i = self.locate(line_id)
        section = self.sections[s]
        remaining = [*section.lines[:i], *section.lines[i + 1:]]
        with self.db.write() as conn:
            self._update_row(conn, LINE_T, line.id, line.version, {"deleted_at": utcnow()})
            # Close the gap: a stale stored position would sort a later insert before these rows.
            self._write_positions(conn, LINE_T, remaining)
        line.version += 1
        change = Change(ChangeKind.LINE_REMOVED, s, i, line_id)
        self._replace_rows(change, section.lines, remaining)
        del self._lines[line_id]
        self._retotal()
        self._emit(change)
        return section.id, i

    def restore_line(self, line_id: uuid.UUID, section_id: uuid.UUID, index: int) -> LineRow:
        """Bring a deleted line back at ``index`` of its section."""
        s = self.section_index(section_id)
        section = self.sections[s]
        index = max(0, min(index, len(section.lines)))
        with self.db.write() as conn:
            row = conn.execute(select(LINE_T).where(LINE_T.c.id == line_id)).first()
            if row is None:
                raise ConcurrentEditError("That line no longer exists.")
            self._update_row(conn, LINE_T, line_id, row.version,
                             {"deleted_at": None, "section_id": section_id})
            line = _line_from_row(row)
            line.section_id = section_id
            line.version += 1
            new_order = [*section.lines[:index], line, *section.lines[index:]]
            self._write_positions(conn, LINE_T, new_order)
        line.priced = price_line(line.terms(), self.rules_for(line))
        change = Change(ChangeKind.LINE_INSERTED, s, index, line_id)
        self._replace_rows(change, section.lines, new_order)
        self._lines[line_id] = line
        self._retotal()
        self._emit(change)
        return line

    def move_line(self, line_id: uuid.UUID, section_id: uuid.UUID, index: int) -> tuple[uuid.UUID, int]:
        """Move a line to ``index`` of a section (index counted after removal).

        Returns where it was, so that the same call undoes it.
        """
        line = self._lines[line_id]
        s_from, i_from = self.locate(line_id)
        s_to = self.section_index(section_id)
        source, target = self.sections[s_from], self.sections[s_to]
        source_after = [*source.lines[:i_from], *source.lines[i_from + 1:]]
        index = max(0, min(index, len(source_after) if target is source else len(target.lines)))
        if target is source and index == i_from:
            return source.id, i_from
        base = source_after if target is source else target.lines
        target_after = [*base[:index], line, *base[index:]]
        with self.db.write() as conn:
            self._update_row(conn, LINE_T, line.id, line.version,
                             {"section_id": section_id, "position": index})
            if target is not source:
                self._write_positions(conn, LINE_T, source_after)
            self._write_positions(conn, LINE_T, target_after, skip=line)
        line.version += 1
        removed = Change(ChangeKind.LINE_REMOVED, s_from, i_from, line_id)
        self._replace_rows(removed, source.lines, source_after)
        self._emit(removed)
        line.section_id = section_id
        inserted = Change(ChangeKind.LINE_INSERTED, s_to, index, line_id)
        self._replace_rows(inserted, target.lines, target_after)
        self._retotal()
        self._emit(inserted)
        return source.id, i_from

    def refresh_line(self, line_id: uuid.UUID) -> None:
        """Re-read one line from the database (after a conflict): theirs becomes what is shown."""
        with self.db.read() as conn:
            row = conn.execute(
                select(*_LINE_SELECT).where(LINE_T.c.id == line_id, LINE_T.c.deleted_at.is_(None))
            ).first()
        if row is None or row.section_id != self._lines[line_id].section_id:
            self.reload()  # deleted or moved elsewhere: the structure changed
            return
        fresh = _lines_from_rows([tuple(row)])[0]
        line = self._lines[line_id]
        for name in LINE_COLUMNS:
            setattr(line, name, getattr(fresh, name))
        line.version = fresh.version
        line.priced = price_line(line.terms(), self.rules_for(line))
        self._retotal()
        s, i = self.locate(line_id)
        self._emit(Change(ChangeKind.LINE_CHANGED, s, i, line_id))

    # -- section edits ---------------------------------------------------------

    def set_section_fields(self, section_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
        section = self.section(section_id)
        old = {k: getattr(section, k) for k in changes}
        if not changes:
            return old
        with self.db.write() as conn:
            self._update_row(conn, SECTION_T, section.id, section.version, changes)
        for k, v in changes.items():
            setattr(section, k, v)
        section.version += 1
        self._emit(Change(ChangeKind.SECTION_CHANGED, self.section_index(section_id), -1, section_id))
        return old

    def parse_section_edit(self, section_id: uuid.UUID, column: str, value: Any) -> dict[str, Any]:
        spec = SECTION_FIELDS.get(column)
        if spec is None:
            raise InputError(f"{column} cannot be edited.")
        parsed = spec.parse(value)
        section = self.section(section_id)
        return {} if getattr(section, column) == parsed else {column: parsed}

    def add_section(
        self, name: str, index: int | None = None, client_description: str = "",
        section_id: uuid.UUID | None = None,
    ) -> SectionRow:
        name = parse_text(name, "Section name", max_length=200, required=True)
        index = len(self.sections) if index is None else max(0, min(index, len(self.sections)))
        data = Section(estimate_id=self.estimate_id, position=index, name=name,
                       client_description=client_description)
        if section_id is not None:
            data.id = section_id
        row = SectionRow(data.id, self.estimate_id, index, name, client_description, data.version)
        new_order = [*self.sections[:index], row, *self.sections[index:]]
        with self.db.write() as conn:
            conn.execute(SECTION_T.insert().values(**{
                c.name: getattr(data, c.name) for c in SECTION_T.columns
            }))
            self._write_positions(conn, SECTION_T, new_order)
        change = Change(ChangeKind.SECTION_INSERTED, index, -1, row.id)
        self._replace_rows(change, self.sections, new_order)
        self._retotal()
        self._emit(change)
        return row

    def delete_section(self, section_id: uuid.UUID) -> int:
        """Delete (tombstone) a section with its lines; return its index for restore."""
        index = self.section_index(section_id)
        section = self.sections[index]
        remaining = [*self.sections[:index], *self.sections[index + 1:]]
        with self.db.write() as conn:
            self._update_row(conn, SECTION_T, section.id, section.version, {"deleted_at": utcnow()})
            self._write_positions(conn, SECTION_T, remaining)  # close the gap, as for lines
        section.version += 1
        change = Change(ChangeKind.SECTION_REMOVED, index, -1, section_id)
        self._replace_rows(change, self.sections, remaining)
        for line in section.lines:
            del self._lines[line.id]
        self._retotal()
        self._emit(change)
        return index

    def restore_section(self, section_id: uuid.UUID, index: int) -> SectionRow:
        index = max(0, min(index, len(self.sections)))
        with self.db.write() as conn:
            row = conn.execute(select(SECTION_T).where(SECTION_T.c.id == section_id)).first()
            if row is None:
                raise ConcurrentEditError("That section no longer exists.")
            self._update_row(conn, SECTION_T, section_id, row.version, {"deleted_at": None})
            section = SectionRow(row.id, row.estimate_id, row.position, row.name,
                                 row.client_description, row.version + 1)
            lines = conn.execute(
                select(LINE_T)
                .where(LINE_T.c.section_id == section_id, LINE_T.c.deleted_at.is_(None))
                .order_by(LINE_T.c.position, LINE_T.c.created_at)
            )
            section.lines = [_line_from_row(r) for r in lines]
            new_order = [*self.sections[:index], section, *self.sections[index:]]
            self._write_positions(conn, SECTION_T, new_order)
        for line in section.lines:
            line.priced = price_line(line.terms(), self.rules_for(line))
        change = Change(ChangeKind.SECTION_INSERTED, index, -1, section_id)
        self._replace_rows(change, self.sections, new_order)
        self._lines.update((line.id, line) for line in section.lines)
        self._retotal()
        self._emit(change)
        return section

    def move_section(self, section_id: uuid.UUID, index: int) -> int:
        """Move a section to ``index`` (counted after removal); return its old index."""
        old = self.section_index(section_id)
        section = self.sections[old]
        without = [*self.sections[:old], *self.sections[old + 1:]]
        index = max(0, min(index, len(without)))
        if index == old:
            return old
        new_order = [*without[:index], section, *without[index:]]
        with self.db.write() as conn:
            self._update_row(conn, SECTION_T, section.id, section.version, {"position": index})
            self._write_positions(conn, SECTION_T, new_order, skip=section)
        section.version += 1
        removed = Change(ChangeKind.SECTION_REMOVED, old, -1, section_id)
        self._replace_rows(removed, self.sections, without)
        self._emit(removed)
        inserted = Change(ChangeKind.SECTION_INSERTED, index, -1, section_id)
        self._replace_rows(inserted, self.sections, new_order)
        self._emit(inserted)
        return old

    # -- estimate-level edits --------------------------------------------------

    def parse_estimate_edit(self, column: str, value: Any) -> dict[str, Any]:
        spec = ESTIMATE_FIELDS.get(column)
        if spec is None:
            raise InputError(f"{column} cannot be edited.")
        parsed = spec.parse(value)
        return {} if getattr(self.header, column) == parsed else {column: parsed}

    def set_estimate_fields(self, changes: dict[str, Any]) -> dict[str, Any]:
        old = {k: getattr(self.header, k) for k in changes}
        if not changes:
            return old
        with self.db.write() as conn:
            self._update_row(conn, ESTIMATE_T, self.header.id, self.header.version, changes)
        self.header = replace(self.header, version=self.header.version + 1, **changes)
        self._retotal()
        self._emit(Change(ChangeKind.ESTIMATE_CHANGED))
        return old

    # -- internals -------------------------------------------------------------

    def _retotal(self) -> None:
        self.totals = summarize(
            ((s.id, line.price, line.optional) for s in self.sections for line in s.lines),
            self.header.terms(),
        )

    _update_row = staticmethod(update_versioned)

    @staticmethod
    def _write_positions(conn: Connection, table: Any, rows: list[Any], skip: Any = None) -> None:
        """Store each row's index as its position, writing only rows whose position moved."""
        stale = [
            {"row_id": row.id, "pos": i}
            for i, row in enumerate(rows)
            if row.position != i and row is not skip
        ]
        if stale:
            conn.execute(
                update(table).where(table.c.id == bindparam("row_id")).values(position=bindparam("pos")),
                stale,
            )

    def _replace_rows(self, change: Change, rows: list[Any], new_order: list[Any]) -> None:
        """Announce ``change`` as coming, then swap a list's contents for ``new_order``.

        The caller announces it as done (``before=False``) once the totals are current.
        """
        self._emit(replace(change, before=True))
        rows[:] = new_order
        for i, row in enumerate(rows):
            row.position = i
