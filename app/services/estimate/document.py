"""One open estimate: its sections and lines in memory, priced, and every edit saved at once.

:class:`EstimateDocument` is what both panes show. It loads an estimate with a
fixed number of queries, keeps plain rows in order, prices them, and applies
edits: each edit is validated first (an :class:`InputError` changes nothing),
then written in one short transaction with an optimistic version check, then
applied in memory and announced to listeners as a :class:`Change` so that a
view can update just what changed. There is no separate save step.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import Client, Company, Estimate, EstimateParameter, LineItem, Project, Section
from app.models.enums import LineKind, PriceBasis
from app.models.types import utcnow
from app.services.bounds import (
    ESTIMATE_LIMITS,
    LINE_LIMITS,
    NO_PRICE,
    LineProblem,
    check_line,
    figure_problem,
)
from app.services.estimate.fields import (  # noqa: F401 - re-exported: callers import them from here
    BASIS_OF_FIELD,
    ESTIMATE_FIELDS,
    FORMULA_OF,
    LINE_FIELDS,
    PARAMETER_FIELDS,
    SECTION_FIELDS,
)
from app.services.estimate.formulas import FormulaError, compile_formula
from app.services.estimate.parameter_editing import ParameterEditing
from app.services.estimate.parameters import (
    FormulaCache,
    ParameterSpec,
    parse_range,
    resolve,
)
from app.services.estimate.pricing import (
    ADDON,
    EXCLUDED,
    INCLUDED,
    EstimateTotals,
    PriceRange,
    line_span,
    summarize,
)
from app.services.estimate.rows import (  # noqa: F401 - re-exported: callers import them from here
    _LINE_SELECT,
    LINE_COLUMNS,
    PARAMETER_CHANGES,
    Change,
    ChangeKind,
    ConcurrentEditError,
    EditConflict,
    EstimateHeader,
    LineRow,
    Listener,
    ParameterRow,
    ParentDeleted,
    SectionRow,
    UnseenLines,
    _line_from_row,
    _lines_from_rows,
    _Recalculation,
    _section_from_row,
    lock_parents,
    update_versioned,
    write_order,
)
from app.services.labour.pay import LabourRules, day_hours
from app.services.lookups import CatalogEntry, Lookups, RoleInfo, load_lookups
from app.services.money import format_number
from app.services.storage.database import Database
from app.services.storage.errors import DamagedRead
from app.services.values import InputError, parse_text

LINE_T = LineItem.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]
PARAMETER_T = EstimateParameter.__table__  # type: ignore[attr-defined]



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
_FOUR_PLACES = Decimal("0.0001")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def is_day_unit(unit: str | None) -> bool:
    return (unit or "").strip().lower() in DAY_UNITS


def _day_rate_changes(role: RoleInfo) -> dict[str, Any]:
    """A labour line priced per person per day: the role's day rates, no hours or times."""
    return {"unit_cost": role.day_cost_rate, "unit_price": role.day_bill_rate,
            "price_basis": PriceBasis.UNIT_PRICE, "hours": None, "start_time": None, "end_time": None}


def _check_read(db: Database, sections: list[SectionRow], lines: list[LineRow]) -> None:
    """Refuse a read that does not hang together: a row twice, a line of a section not read.

    A file whose table and index disagree reads like that (``PRAGMA quick_check`` passes
    it), and so does a file written over a share that does not lock files.
    """
    section_ids = {s.id for s in sections}
    problem = "a section appears twice" if len(section_ids) != len(sections) else None
    line_ids: set[uuid.UUID] = set()
    for line in lines:
        if problem is not None:
            break
        if line.id in line_ids:
            problem = f"the line “{line.description}” appears twice"
        elif line.section_id not in section_ids:
            problem = f"the line “{line.description}” is in a section that was not read"
        line_ids.add(line.id)
    if problem is not None:
        raise DamagedRead(
            f"{db.display_name} could not be read consistently ({problem}): it is damaged, or being "
            "written over a share that does not lock files. Nothing was changed; `tandem check` tells which."
        )


class EstimateDocument(ParameterEditing):
    """An estimate loaded for editing. Not thread-safe: one document per GUI or worker."""

    def __init__(self, db: Database, estimate_id: uuid.UUID) -> None:
        self.db = db
        self.estimate_id = estimate_id
        self._listeners: list[Listener] = []
        self.header: EstimateHeader
        self.sections: list[SectionRow] = []
        self.lookups: Lookups
        self.totals: EstimateTotals
        self.parameters: list[ParameterRow] = []
        self.values: dict[str, Decimal] = {}  # every parameter's resolved value, by name
        self._formulas = FormulaCache()
        self._lines: dict[uuid.UUID, LineRow] = {}
        self._sections_by_id: dict[uuid.UUID, SectionRow] = {}
        self._section_at: dict[uuid.UUID, int] = {}
        self._in_error: list[LineRow] = []
        # The estimate's own figures that cannot be used as stored: column (or "section id:column")
        # → why; each counts as 0 (a section range as none) until it is corrected.
        self.estimate_problems: dict[str, str] = {}
        self._unchosen: set[uuid.UUID] = set()  # alternatives that are not the chosen one
        self.reload(notify=False)

    # -- loading -------------------------------------------------------------

    def reload(self, notify: bool = True) -> None:
        """Read the whole estimate again (a fixed number of queries, whatever its size)."""
        with self.db.read() as conn:
            header = self._load_header(conn)
            lookups = load_lookups(conn)
            parameters = [
                ParameterRow(r.id, r.estimate_id, r.position, r.name, r.value, r.formula, r.unit,
                             r.description, r.version)
                for r in conn.execute(
                    select(PARAMETER_T)
                    .where(PARAMETER_T.c.estimate_id == self.estimate_id, PARAMETER_T.c.deleted_at.is_(None))
                    .order_by(PARAMETER_T.c.position, PARAMETER_T.c.created_at)
                )
            ]
            sections = [
                _section_from_row(r)
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
            lines = _lines_from_rows(rows)
            _check_read(self.db, sections, lines)  # before anything in memory is touched
            for line in lines:
                by_id[line.section_id].lines.append(line)
        if notify:
            self._emit(Change(ChangeKind.RESET, before=True))
        for section in sections:  # a stored section range that cannot be used counts as none, and says so
            for name in ("range_low_pct", "range_high_pct"):
                why = figure_problem(LINE_LIMITS[name], getattr(section, name) or Decimal(0))
                if why is not None:
                    why = f"Section {section.name}: {why} It counts as no range."
                    self.estimate_problems[f"{section.id}:{name}"] = why
                    setattr(section, name, None)
        self.header, self.lookups, self.sections = header, lookups, sections
        self.parameters = parameters
        self._index_sections()
        self._resolve_parameters()
        self._lines = {line.id: line for s in sections for line in s.lines}
        for line in self._lines.values():
            self._price(line)
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
        header = EstimateHeader(
            id=row.id, project_id=row.project_id, name=row.name, notes=row.notes,
            target_margin_pct=row.target_margin_pct, contingency_pct=row.contingency_pct,
            discount_pct=row.discount_pct, tax_pct=row.tax_pct, margin_floor_pct=row.margin_floor_pct,
            based_on_id=row.based_on_id, quote_number=row.quote_number, version=row.version,
            project_name=row.project_name, client_name=row.client_name, venue=row.venue,
            start_date=row.start_date, end_date=row.end_date,
            account_manager=row.account_manager, project_manager=row.project_manager,
            project_rule_set_id=row.project_rule_set_id,
            company_name=company.name if company else "",
            currency=company.currency if company else "USD",
        )
        # A stored percentage that cannot be used counts as 0 (and says so) rather than stop the load.
        self.estimate_problems = {}
        for name, limit in ESTIMATE_LIMITS.items():
            why = figure_problem(limit, getattr(header, name))
            if why is not None:
                self.estimate_problems[name] = f"Estimate: {why} It counts as 0 %."
                setattr(header, name, Decimal(0))
        return header

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
        return self.sections[self.section_index(section_id)]

    def section_index(self, section_id: uuid.UUID) -> int:
        # By an index of the sections (rebuilt when they are rearranged), checked; a
        # search only if the index is behind.
        at = self._section_at.get(section_id, -1)
        if 0 <= at < len(self.sections) and self.sections[at].id == section_id:
            return at
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
        return self.inclusion(line) == INCLUDED

    def inclusion(self, line: LineRow) -> str:
        """INCLUDED in the total, an ADDON the client may take, or EXCLUDED (an alternative not chosen)."""
        if line.id in self._unchosen:
            return EXCLUDED
        section = self._sections_by_id.get(line.section_id)
        if line.optional or (section is not None and section.optional):
            return ADDON
        return INCLUDED

    def is_chosen_alternative(self, line: LineRow) -> bool:
        return bool(line.alternative_group) and line.id not in self._unchosen

    def alternatives_of(self, line: LineRow) -> list[LineRow]:
        """The lines of a line's alternative group, in estimate order (the line itself included)."""
        if not line.alternative_group:
            return [line]
        return [other for other in self.lines() if other.alternative_group == line.alternative_group]

    def chosen_alternative(self, group: str) -> LineRow | None:
        for line in self.lines():
            if line.alternative_group == group and line.id not in self._unchosen:
                return line
        return None

    def client_text(self, line: LineRow) -> str:
        """What the client reads of a line, ``{parameter}`` placeholders filled in."""
        return self.fill(line.client_text)

    def fill(self, text: str) -> str:
        """``"LED panels ({panels})"`` → ``"LED panels (392)"``: client wording that follows the parameters.

        An unknown name is left as typed, so a typo shows rather than vanishes.
        """
        if "{" not in text:
            return text
        return _PLACEHOLDER.sub(
            lambda m: format_number(self.values[m[1]]) if m[1] in self.values else m[0], text)

    def line_span(self, line: LineRow) -> tuple[Decimal, Decimal]:
        """A line's budget range (low, high): its own, else its section's, else its price."""
        if line.problem is not None:
            return line.price.price, line.price.price
        section = self._sections_by_id.get(line.section_id)
        return line_span(line.price.price, line.price_range, section.price_range if section else PriceRange())

    # -- parameters --------------------------------------------------------------

    @property
    def lines_in_error(self) -> list[LineRow]:
        """Lines in error (kept current by every change): a formula that cannot be evaluated now,
        or figures out of bounds. A quote cannot go out, nor be exported, while there are any."""
        return self._in_error

    def in_error_message(self, what: str) -> str | None:
        """One line saying the estimate cannot be ``what`` ("sent", "exported") while lines are in error."""
        if self.estimate_problems:
            problems = " ".join(self.estimate_problems.values())
            return f"{problems} The estimate cannot be {what} until it is corrected."
        if not self._in_error:
            return None
        first, others = self._in_error[0], len(self._in_error) - 1
        more = f" and {others} other line{'s' if others != 1 else ''} are" if others else " is"
        return f"“{first.description}”{more} in error ({first.error}); the estimate cannot be {what} until " \
               "they are corrected."

    @property
    def formula_errors(self) -> list[LineRow]:
        """Lines whose formula cannot be evaluated now."""
        return [line for line in self._in_error if line.formula_error]

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
        if column in FORMULA_OF and isinstance(value, str) and value.strip().startswith("="):
            return self._parse_formula_edit(line, column, value)
        if column == "range":
            span = parse_range(value)
            spans: dict[str, Any] = {"range_low_pct": span.low_pct, "range_high_pct": span.high_pct,
                                     "range_low": span.low, "range_high": span.high}
            return {k: v for k, v in spans.items() if getattr(line, k) != v}
        name = "price_override" if column == "price" else column
        spec = LINE_FIELDS.get(name)
        if spec is None:
            raise InputError(f"{column} cannot be edited.")
        parsed = spec.parse(value)
        changes: dict[str, Any] = {name: parsed}
        if name in FORMULA_OF:
            changes[FORMULA_OF[name]] = ""  # a typed number replaces the formula
        if name == "alternative_group":
            others = [o for o in self.lines() if o.alternative_group == parsed and o is not line]
            changes["alternative_chosen"] = bool(parsed) and not any(o.alternative_chosen for o in others)
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
        changes = {k: v for k, v in changes.items() if getattr(line, k) != v}
        self._check_figures(line, changes)
        return changes

    def _parse_formula_edit(self, line: LineRow, column: str, text: str) -> dict[str, Any]:
        """``=ceil(screen_length_ft / 10)`` typed in Qty or Days: the formula and its value now."""
        source = text.strip()[1:].strip()
        label = LINE_FIELDS[column].label
        if not source:
            raise InputError("Type a formula after “=”, e.g. =ceil(screen_length_ft / 10), or a number.")
        try:
            formula = compile_formula(source)
            missing = [name for name in formula.names if name not in self.values]
            if missing:
                formula.evaluate(self.values)  # raises with "did you mean …"
            broken = [name for name in formula.names if self.parameter_error(name)]
            if broken:
                raise FormulaError(f"parameter '{broken[0]}' has an error: {self.parameter_error(broken[0])}")
            value = self._formula_result(source, column)
        except FormulaError as error:
            raise InputError(f"{label} formula: {error}.") from None
        changes = {FORMULA_OF[column]: source, column: value}
        changes = {k: v for k, v in changes.items() if getattr(line, k) != v}
        self._check_figures(line, changes)
        return changes

    # -- line edits ------------------------------------------------------------

    def set_line_fields(self, line_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
        """Write ``changes`` to a line; return the previous values (for undo)."""
        line = self._lines[line_id]
        unknown = set(changes) - set(LINE_COLUMNS)
        if unknown:
            raise ValueError(f"not line columns: {sorted(unknown)}")
        for column, formula_column in FORMULA_OF.items():
            # A quantity (or days) given as a number replaces the formula that made it.
            if column in changes and formula_column not in changes and getattr(line, formula_column):
                changes = {**changes, formula_column: ""}
        old = {k: getattr(line, k) for k in changes}
        if not changes:
            return old
        self._check_figures(line, changes)
        with self._write(line.section_id) as conn:
            self._update_row(conn, LINE_T, line.id, line.version,
                             {k: _db_value(v) for k, v in changes.items()})
        groups = {line.alternative_group} if "alternative_group" in changes else set()
        for k, v in changes.items():
            setattr(line, k, v)
        if "kind" in changes or "price_basis" in changes:
            line.unreadable = None  # chosen now
        line.version += 1
        self._price(line)
        self._retotal()
        s, i = self.locate(line_id)
        self._emit(Change(ChangeKind.LINE_CHANGED, s, i, line_id))
        groups.add(line.alternative_group)
        groups.discard("")
        if groups:  # the other alternatives of the old and new group may count differently now
            others = tuple(o.id for o in self.lines() if o.alternative_group in groups and o is not line)
            if others:
                self._emit(Change(ChangeKind.ALTERNATIVES_CHANGED, row_ids=others))
        return old

    def choose_alternative(self, line_id: uuid.UUID) -> dict[uuid.UUID, bool]:
        """Make a line the chosen one of its alternatives; return the flags before (for undo)."""
        line = self._lines[line_id]
        if not line.alternative_group:
            raise InputError("This line is not one of a group of alternatives.")
        wanted = {m.id: m is line for m in self.alternatives_of(line)}
        return self.set_alternative_flags(wanted)

    def set_alternative_flags(self, flags: dict[uuid.UUID, bool]) -> dict[uuid.UUID, bool]:
        """Store ``alternative_chosen`` for several lines in one transaction; return the flags before."""
        old = {line_id: self._lines[line_id].alternative_chosen for line_id in flags}
        stale = {line_id: flag for line_id, flag in flags.items() if old[line_id] != flag}
        if not stale:
            return old
        with self._write(*(self._lines[line_id].section_id for line_id in stale)) as conn:
            for line_id, flag in stale.items():
                line = self._lines[line_id]
                self._update_row(conn, LINE_T, line_id, line.version, {"alternative_chosen": flag})
        for line_id, flag in stale.items():
            line = self._lines[line_id]
            line.alternative_chosen = flag
            line.version += 1
        self._retotal()
        self._emit(Change(ChangeKind.ALTERNATIVES_CHANGED, row_ids=tuple(flags)))
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
        self._price(line)
        if line.problem is not None:
            raise InputError(line.problem.message)
        new_order = [*section.lines[:index], line, *section.lines[index:]]
        with self._write(section_id) as conn:
            conn.execute(LINE_T.insert().values(**{
                c.name: _db_value(getattr(data, c.name)) for c in LINE_T.columns
            }))
            write_order(conn, LINE_T, "section_id", section_id, new_order, moved=line.id)
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
        with self._write(section.id) as conn:
            self._update_row(conn, LINE_T, line.id, line.version, {"deleted_at": utcnow()})
            # Close the gap: a stale stored position would sort a later insert before these rows.
            write_order(conn, LINE_T, "section_id", section.id, remaining)
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
        with self._write(section_id) as conn:
            row = conn.execute(select(LINE_T).where(LINE_T.c.id == line_id)).first()
            if row is None:
                raise ConcurrentEditError("That line no longer exists.")
            self._update_row(conn, LINE_T, line_id, row.version,
                             {"deleted_at": None, "section_id": section_id})
            line = _line_from_row(row)
            line.section_id = section_id
            line.version += 1
            new_order = [*section.lines[:index], line, *section.lines[index:]]
            write_order(conn, LINE_T, "section_id", section_id, new_order, moved=line_id)
        self._price(line)
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
        with self._write(source.id, section_id) as conn:
            self._update_row(conn, LINE_T, line.id, line.version,
                             {"section_id": section_id, "position": index})
            if target is not source:
                write_order(conn, LINE_T, "section_id", source.id, source_after)
            write_order(conn, LINE_T, "section_id", section_id, target_after, moved=line.id)
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
        self._price(line)
        self._retotal()
        s, i = self.locate(line_id)
        self._emit(Change(ChangeKind.LINE_CHANGED, s, i, line_id))

    # -- section edits ---------------------------------------------------------

    def set_section_fields(self, section_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
        section = self.section(section_id)
        old = {k: getattr(section, k) for k in changes}
        if not changes:
            return old
        with self._write() as conn:
            self._update_row(conn, SECTION_T, section.id, section.version, changes)
        for k, v in changes.items():
            setattr(section, k, v)
            self.estimate_problems.pop(f"{section.id}:{k}", None)
        section.version += 1
        self._retotal()
        self._emit(Change(ChangeKind.SECTION_CHANGED, self.section_index(section_id), -1, section_id))
        return old

    def parse_section_edit(self, section_id: uuid.UUID, column: str, value: Any) -> dict[str, Any]:
        section = self.section(section_id)
        if column == "range":
            span = parse_range(value, allow_amounts=False)
            changes = {"range_low_pct": span.low_pct, "range_high_pct": span.high_pct}
            return {k: v for k, v in changes.items() if getattr(section, k) != v}
        spec = SECTION_FIELDS.get(column)
        if spec is None:
            raise InputError(f"{column} cannot be edited.")
        parsed = spec.parse(value)
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
        with self._write(reorder=True) as conn:
            conn.execute(SECTION_T.insert().values(**{
                c.name: getattr(data, c.name) for c in SECTION_T.columns
            }))
            self._write_sections(conn, new_order, moved=row.id)
        change = Change(ChangeKind.SECTION_INSERTED, index, -1, row.id)
        self._replace_rows(change, self.sections, new_order)
        self._retotal()
        self._emit(change)
        return row

    def delete_section(self, section_id: uuid.UUID) -> int:
        """Delete (tombstone) a section with its lines; return its index for restore.

        Only the lines this document shows, as it shows them: when someone else added,
        moved in or changed a line of the section meanwhile, :class:`UnseenLines` is
        raised and nothing is deleted.
        """
        index = self.section_index(section_id)
        section = self.sections[index]
        remaining = [*self.sections[:index], *self.sections[index + 1:]]
        seen = {line.id: line.version for line in section.lines}
        with self._write(reorder=True) as conn:
            self._update_row(conn, SECTION_T, section.id, section.version, {"deleted_at": utcnow()})
            # Read after the update: on a server it waited for any writer still inside the section.
            unseen = [row.description for row in conn.execute(
                select(LINE_T.c.id, LINE_T.c.version, LINE_T.c.description)
                .where(LINE_T.c.section_id == section.id, LINE_T.c.deleted_at.is_(None))
                .order_by(LINE_T.c.position, LINE_T.c.created_at)
            ) if seen.get(row.id) != row.version]
            if unseen:
                raise UnseenLines(section.id, f"“{section.name}”", unseen)
            self._write_sections(conn, remaining)  # close the gap, as for lines
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
        with self._write(reorder=True) as conn:
            row = conn.execute(select(SECTION_T).where(SECTION_T.c.id == section_id)).first()
            if row is None:
                raise ConcurrentEditError("That section no longer exists.")
            self._update_row(conn, SECTION_T, section_id, row.version, {"deleted_at": None})
            section = _section_from_row(row)
            section.version += 1
            lines = conn.execute(
                select(LINE_T)
                .where(LINE_T.c.section_id == section_id, LINE_T.c.deleted_at.is_(None))
                .order_by(LINE_T.c.position, LINE_T.c.created_at)
            )
            section.lines = [_line_from_row(r) for r in lines]
            new_order = [*self.sections[:index], section, *self.sections[index:]]
            self._write_sections(conn, new_order, moved=section_id)
        for line in section.lines:
            self._price(line)
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
        with self._write(reorder=True) as conn:
            self._update_row(conn, SECTION_T, section.id, section.version, {"position": index})
            self._write_sections(conn, new_order, moved=section_id)
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
        unchanged = getattr(self.header, column) == parsed and column not in self.estimate_problems
        return {} if unchanged else {column: parsed}

    def set_estimate_fields(self, changes: dict[str, Any]) -> dict[str, Any]:
        old = {k: getattr(self.header, k) for k in changes}
        if not changes:
            return old
        with self.db.write() as conn:
            self._update_row(conn, ESTIMATE_T, self.header.id, self.header.version, changes)
        self.header = replace(self.header, version=self.header.version + 1, **changes)
        for name in changes:
            self.estimate_problems.pop(name, None)
        self._retotal()
        self._emit(Change(ChangeKind.ESTIMATE_CHANGED))
        return old

    # -- internals -------------------------------------------------------------

    def _index_sections(self) -> None:
        self._sections_by_id = {s.id: s for s in self.sections}
        self._section_at = {s.id: i for i, s in enumerate(self.sections)}

    def _retotal(self) -> None:
        """Reprice the totals from every line's price (the hot path of every edit: kept inline)."""
        self._index_sections()
        unchosen = self._unchosen = self._find_unchosen()
        entries: list[tuple[Any, ...]] = []
        append = entries.append
        errors = []
        for section in self.sections:
            section_range = section.price_range
            section_ranged = section_range.is_set
            section_addon = section.optional
            key = section.id
            for line in section.lines:
                if line.formula_error or line.problem:
                    errors.append(line)
                if line.problem or (unchosen and line.id in unchosen):
                    append((key, line.priced, EXCLUDED))
                elif line.optional or section_addon:
                    append((key, line.priced, ADDON))
                elif section_ranged or line.range_low_pct is not None or line.range_high_pct is not None \
                        or line.range_low is not None:
                    priced = line.priced
                    assert priced is not None
                    append((key, priced, INCLUDED, line_span(priced.price, line.price_range, section_range)))
                else:
                    append((key, line.priced, INCLUDED))
        self.totals = summarize(entries, self.header.terms())
        self._in_error = errors

    def _find_unchosen(self) -> set[uuid.UUID]:
        """Alternatives that do not count: all but the chosen line of each group.

        The chosen line is the first marked chosen, else the group's first line, so
        that a group always has exactly one, whatever was stored.
        """
        groups: dict[str, list[LineRow]] = {}
        for section in self.sections:
            for line in section.lines:
                if line.alternative_group:
                    groups.setdefault(line.alternative_group, []).append(line)
        unchosen: set[uuid.UUID] = set()
        for members in groups.values():
            chosen = next((m for m in members if m.alternative_chosen), members[0])
            unchosen.update(m.id for m in members if m is not chosen)
        return unchosen

    def _price(self, line: LineRow) -> None:
        """Evaluate a line's formulas (if any) against the parameters, then price it."""
        if line.quantity_formula or line.days_formula:
            line.formula_error = None
            for column, formula_column in FORMULA_OF.items():
                source = getattr(line, formula_column)
                if not source:
                    continue
                try:
                    setattr(line, column, self._formula_result(source, column))
                except FormulaError as error:
                    label = LINE_FIELDS[column].label
                    line.formula_error = (f"{label} formula “{source}”: {error}. The line keeps its last "
                                          f"{label.lower()} ({format_number(getattr(line, column))}).")
        elif line.formula_error:
            line.formula_error = None
        self._price_figures(line)

    def _price_figures(self, line: LineRow) -> None:
        """Price a line as its figures stand, or mark it in error when they are out of bounds."""
        if line.unreadable:
            line.priced, line.problem = NO_PRICE, LineProblem("kind", line.unreadable)
            return
        line.priced, line.problem = check_line(line.terms(), self.rules_for(line), line.price_range)

    def _new_problem(self, line: LineRow, changes: dict[str, Any]) -> LineProblem | None:
        """What ``changes`` would put out of bounds on a line (None: nothing they change).

        On a line already in error only a figure being changed counts, so that it can be
        corrected one figure at a time (and edited otherwise meanwhile).
        """
        candidate = replace(line, **{k: v for k, v in changes.items() if k in LINE_COLUMNS})
        _, problem = check_line(candidate.terms(), self.rules_for(candidate), candidate.price_range)
        if problem is None or (line.problem is not None and problem.field not in changes):
            return None
        return problem

    def _check_figures(self, line: LineRow, changes: dict[str, Any]) -> None:
        """Refuse changes that would put a line's figures out of bounds (InputError; nothing written)."""
        problem = self._new_problem(line, changes)
        if problem is not None:
            raise InputError(problem.message)

    def _formula_result(self, source: str, column: str, values: dict[str, Decimal] | None = None) -> Decimal:
        """A quantity or days formula's value, to 4 places (half up); negative results are refused."""
        value = self._formulas.evaluate(source, self.values if values is None else values)
        tidy = value.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)
        if tidy < 0:
            raise FormulaError(f"it gives {format_number(tidy)}, and a {column} cannot be negative")
        if tidy == tidy.to_integral_value():
            tidy = tidy.to_integral_value()
        return tidy

    def _resolve_parameters(self, specs: list[ParameterSpec] | None = None) -> None:
        resolved = resolve(specs if specs is not None else [p.spec() for p in self.parameters])
        self.values = resolved.values
        for parameter in self.parameters:
            parameter.error = resolved.errors.get(parameter.name)
            if parameter.formula and parameter.error is None:
                parameter.value = resolved.values[parameter.name]

    _update_row = staticmethod(update_versioned)

    @contextmanager
    def _write(self, *section_ids: uuid.UUID, reorder: bool = False) -> Iterator[Connection]:
        """A write transaction into this estimate (and into ``section_ids``), parents checked first.

        A parent someone else deleted raises :class:`ParentDeleted` and nothing is
        written; ``reorder`` for writes that renumber the sections or parameters.
        """
        with self.db.write() as conn:
            lock_parents(conn, self.estimate_id, section_ids, reorder=reorder)
            yield conn

    def _write_sections(self, conn: Connection, sections: list[SectionRow],
                        moved: uuid.UUID | None = None) -> None:
        write_order(conn, SECTION_T, "estimate_id", self.estimate_id, sections, moved)

    def _replace_rows(self, change: Change, rows: list[Any], new_order: list[Any]) -> None:
        """Announce ``change`` as coming, then swap a list's contents for ``new_order``.

        The caller announces it as done (``before=False``) once the totals are current.
        """
        self._emit(replace(change, before=True))
        rows[:] = new_order
        for i, row in enumerate(rows):
            row.position = i
        if rows is self.sections:
            self._index_sections()
