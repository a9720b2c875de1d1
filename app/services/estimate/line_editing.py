"""An estimate's lines being edited: typed edits parsed, lines changed, added, deleted, moved.

:class:`LineEditing` is a part of :class:`app.services.estimate.document.EstimateDocument`,
kept in its own file: it turns a typed edit into column changes (refusing figures out of
bounds), writes each change in one transaction, then applies it in memory and announces it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from app.models import LineItem
from app.models.enums import LineKind, PriceBasis
from app.models.types import utcnow
from app.services.estimate.catalog_lines import catalog_line_values, catalog_lines  # noqa: F401 - re-exported
from app.services.estimate.document_state import DocumentState
from app.services.estimate.fields import (
    BASIS_OF_FIELD,
    FORMULA_OF,
    LINE_FIELDS,
)
from app.services.estimate.formulas import FormulaError, compile_formula
from app.services.estimate.parameters import parse_range
from app.services.estimate.rows import (
    _LINE_SELECT,
    LINE_COLUMNS,
    LINK_COLUMNS,
    Change,
    ChangeKind,
    ConcurrentEditError,
    LineRow,
    _line_from_row,
    _lines_from_rows,
    _Recalculation,
    write_order,
)
from app.services.labour.pay import day_hours
from app.services.lookups import CatalogEntry, RoleInfo, default_markup
from app.services.projects.dates import phase_day
from app.services.supply.line_quotes import QUOTE_ITEM, follow_quantities, followed_cost
from app.services.values import InputError

LINE_T = LineItem.__table__  # type: ignore[attr-defined]


def _db_value(value: Any) -> Any:
    return value.value if isinstance(value, StrEnum) else value


DAY_UNITS = frozenset({"day", "days", "d"})




def is_day_unit(unit: str | None) -> bool:
    return (unit or "").strip().lower() in DAY_UNITS


def _day_rate_changes(role: RoleInfo) -> dict[str, Any]:
    """A labour line priced per person per day: the role's day rates, no hours or times."""
    return {"unit_cost": role.day_cost_rate, "unit_price": role.day_bill_rate,
            "price_basis": PriceBasis.UNIT_PRICE, "hours": None, "start_time": None, "end_time": None}




class LineEditing(DocumentState):
    """The line half of an EstimateDocument (the state it uses: DocumentState)."""

    # -- parsing ---------------------------------------------------------------

    def phase_day(self, phase: str) -> date | None:
        """The day a crew call of ``phase`` defaults to: the project's load-in, first show or strike day."""
        h = self.header
        return phase_day(phase, h.start_date, h.show_start_date, h.end_date)

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
        elif name == "unit_cost" and line.supplier_quote_item_id is not None:
            changes[QUOTE_ITEM] = None  # a cost typed by hand: the line stops following its quote
        elif name == "supplier_id" and parsed is not None and parsed not in self.lookups.suppliers:
            raise InputError("That supplier no longer exists.")
        elif name == "kind" and parsed is LineKind.LABOUR and line.hours is None:
            changes["hours"] = Decimal(8)
        elif name == "phase" and line.kind is LineKind.LABOUR:
            # An undated call, or one still on its phase's day, moves to the new phase's day.
            if line.call_date is None or line.call_date == self.phase_day(line.phase):
                changes["call_date"] = self.phase_day(parsed) or line.call_date
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
            values = self.formula_values(line)  # a kit's component may name ``kit`` too
            missing = [name for name in formula.names if name not in values]
            if missing:
                formula.evaluate(values)  # raises with "did you mean …"
            broken = [name for name in formula.names if self.parameter_error(name)]
            if broken:
                raise FormulaError(f"parameter '{broken[0]}' has an error: {self.parameter_error(broken[0])}")
            value = self._formula_result(source, column, values)
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
        unknown = set(changes) - set(LINE_COLUMNS) - set(LINK_COLUMNS)
        if unknown:
            raise ValueError(f"not line columns: {sorted(unknown)}")
        for column, formula_column in FORMULA_OF.items():
            # A quantity (or days) given as a number replaces the formula that made it.
            if column in changes and formula_column not in changes and getattr(line, formula_column):
                changes = {**changes, formula_column: ""}
        if "quantity" in changes and "unit_cost" not in changes and QUOTE_ITEM not in changes:
            cost = followed_cost(line, self.quote_items, changes["quantity"])  # a quantity break
            if cost is not None:
                changes = {**changes, "unit_cost": cost}
        old = {k: getattr(line, k) for k in changes}
        if not changes:
            return old
        self._check_figures(line, changes)
        components = self._components_following(line, changes)
        with self._write(line.section_id) as conn:
            self._update_row(conn, LINE_T, line.id, line.version,
                             {k: _db_value(v) for k, v in changes.items()})
            if components.lines:
                self._write_results(conn, components)
        groups = {line.alternative_group} if "alternative_group" in changes else set()
        for k, v in changes.items():
            setattr(line, k, v)
        if "kind" in changes or "price_basis" in changes:
            line.unreadable = None  # chosen now
        line.version += 1
        self._price(line)
        for component_id, values in components.lines.items():
            component = self._lines[component_id]
            for column, value in values.items():
                setattr(component, column, value)
            self._price_figures(component)
        self._retotal()
        s, i = self.locate(line_id)
        self._emit(Change(ChangeKind.LINE_CHANGED, s, i, line_id))
        if components.lines:
            self._emit(Change(ChangeKind.LINES_RECALCULATED, row_ids=tuple(components.lines)))
        groups.add(line.alternative_group)
        groups.discard("")
        if groups:  # the other alternatives of the old and new group may count differently now
            others = tuple(o.id for o in self.lines() if o.alternative_group in groups and o is not line)
            if others:
                self._emit(Change(ChangeKind.ALTERNATIVES_CHANGED, row_ids=others))
        return old

    def _components_following(self, kit: LineRow, changes: dict[str, Any]) -> _Recalculation:
        """A kit line's new quantity in its components' formulas (``kit``): their new quantity and
        days, written with the kit's (a number typed over a formula stays). Refused (InputError,
        nothing written) when it would put one out of bounds."""
        lines: dict[uuid.UUID, dict[str, Decimal]] = {}
        sources: dict[uuid.UUID, tuple[str, str]] = {}
        if "quantity" in changes:
            planned = {kit.id: {"quantity": changes["quantity"]}}
            for other in self.lines():
                if other.kit_line_id is None or other.kit_line_id != kit.id:  # most lines: no kit
                    continue
                if other is kit or not other.has_formula:
                    continue
                values = self.formula_values(other, planned=planned)
                for column, formula_column in FORMULA_OF.items():
                    source = getattr(other, formula_column)
                    try:
                        value = self._formula_result(source, column, values) if source else None
                    except FormulaError:
                        continue  # shown on the line; it keeps its last value
                    if value is not None and value != getattr(other, column):
                        lines.setdefault(other.id, {})[column] = value
                        sources[other.id] = (other.quantity_formula, other.days_formula)
        follow_quantities(lines, self._lines, self.quote_items)  # a component following a quote
        for component_id, values in lines.items():
            problem = self._new_problem(self._lines[component_id], values)
            if problem is not None:
                raise InputError(f"That would put its component “{self._lines[component_id].description}” "
                                 f"out of range: {problem.message} Nothing was changed.")
        return _Recalculation(self.values, {}, lines, sources=sources)

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
        return self.add_lines(section_id, index, [values or {}], None if line_id is None else [line_id])[0]

    def add_lines(
        self,
        section_id: uuid.UUID,
        index: int | None,
        values: list[dict[str, Any]],
        line_ids: list[uuid.UUID] | None = None,
    ) -> list[LineRow]:
        """Add lines at ``index`` of a section (None: at its end), in one transaction (a paste of
        hundreds of lines is one commit); each is announced as inserted, in order."""
        s = self.section_index(section_id)
        section = self.sections[s]
        index = len(section.lines) if index is None else max(0, min(index, len(section.lines)))
        made: list[tuple[LineItem, LineRow]] = []
        for n, columns in enumerate(values):
            data = LineItem(section_id=section_id, position=index + n, **columns)
            if line_ids is not None:
                data.id = line_ids[n]
            if data.kind == LineKind.LABOUR and data.call_date is None:
                data.call_date = self.phase_day(data.phase)  # a new crew call falls on its phase's day
            line = _line_from_row(data)
            about = f"“{line.description}”: " if len(values) > 1 else ""
            spec_errors = [name for name in ("quantity", "days", "unit_cost") if getattr(line, name) < 0]
            if spec_errors:
                raise InputError(f"{about}{LINE_FIELDS[spec_errors[0]].label} cannot be negative.")
            self._price(line)
            if line.problem is not None:
                raise InputError(f"{about}{line.problem.message}")
            made.append((data, line))
        if not made:
            return []
        lines = [line for _, line in made]
        new_order = [*section.lines[:index], *lines, *section.lines[index:]]
        with self._write(section_id) as conn:
            conn.execute(LINE_T.insert(), [{c.name: _db_value(getattr(data, c.name)) for c in LINE_T.columns}
                                           for data, _ in made])
            write_order(conn, LINE_T, "section_id", section_id, new_order,
                        moved=lines[0].id if len(lines) == 1 else None)
        for n, line in enumerate(lines):
            change = Change(ChangeKind.LINE_INSERTED, s, index + n, line.id)
            self._replace_rows(change, section.lines, [*section.lines[:index + n], line,
                                                       *section.lines[index + n:]])
            self._lines[line.id] = line
            if n == len(lines) - 1:
                self._retotal()
            self._emit(change)
        return lines

    def blank_line_values(self) -> dict[str, Any]:
        """What *Edit › Add line* starts a line with: a description to type over, priced at the
        company's default markup (as a catalog item starts)."""
        with self.db.read() as conn:
            markup = default_markup(conn)
        return {"description": "New line", "price_basis": PriceBasis.MARKUP.value, "markup_pct": markup}

    def add_catalog_line(
        self, section_id: uuid.UUID, entry: CatalogEntry, index: int | None = None
    ) -> LineRow:
        """A line of a catalog item; a kit's line with its components' lines (one transaction)."""
        kit_id = uuid.uuid4()
        with self.db.read() as conn:
            values = catalog_lines(conn, entry, kit_id)
        return self.add_lines(section_id, index, values, [kit_id, *(uuid.uuid4() for _ in values[1:])])[0]

    def delete_line(self, line_id: uuid.UUID) -> tuple[uuid.UUID, int]:
        """Delete (tombstone) a line; return where it was, for restore_line."""
        return self.delete_lines([line_id])[0]

    def delete_lines(self, line_ids: list[uuid.UUID]) -> list[tuple[uuid.UUID, int]]:
        """Delete (tombstone) lines in one transaction, in order; return where each was when it went
        (restored in the reverse order, :meth:`restore_lines` puts them back where they were)."""
        lines = [self._lines[line_id] for line_id in line_ids]
        sections = {line.section_id: self.sections[self.section_index(line.section_id)] for line in lines}
        going = set(line_ids)
        with self._write(*sections) as conn:
            now = utcnow()
            for line in lines:
                self._update_row(conn, LINE_T, line.id, line.version, {"deleted_at": now})
            for section in sections.values():
                # Close the gap: a stale stored position would sort a later insert before these rows.
                write_order(conn, LINE_T, "section_id", section.id,
                            [other for other in section.lines if other.id not in going])
        places = []
        for n, line in enumerate(lines):
            s, i = self.locate(line.id)
            section = self.sections[s]
            line.version += 1
            change = Change(ChangeKind.LINE_REMOVED, s, i, line.id)
            self._replace_rows(change, section.lines, [*section.lines[:i], *section.lines[i + 1:]])
            del self._lines[line.id]
            if n == len(lines) - 1:
                self._retotal()
            self._emit(change)
            places.append((section.id, i))
        return places

    def restore_line(self, line_id: uuid.UUID, section_id: uuid.UUID, index: int) -> LineRow:
        """Bring a deleted line back at ``index`` of its section."""
        return self.restore_lines([(line_id, section_id, index)])[0]

    def restore_lines(self, places: list[tuple[uuid.UUID, uuid.UUID, int]]) -> list[LineRow]:
        """Bring deleted lines back, each (line, section, index) in turn, in one transaction."""
        orders = {section_id: list(self.sections[self.section_index(section_id)].lines)
                  for _, section_id, _ in places}
        restored: list[tuple[LineRow, uuid.UUID, int]] = []
        with self._write(*orders) as conn:
            for line_id, section_id, index in places:
                row = conn.execute(select(LINE_T).where(LINE_T.c.id == line_id)).first()
                if row is None:
                    raise ConcurrentEditError("That line no longer exists.")
                self._update_row(conn, LINE_T, line_id, row.version,
                                 {"deleted_at": None, "section_id": section_id})
                line = _line_from_row(row)
                line.section_id = section_id
                line.version += 1
                order = orders[section_id]
                index = max(0, min(index, len(order)))
                order.insert(index, line)
                restored.append((line, section_id, index))
            for section_id, order in orders.items():
                write_order(conn, LINE_T, "section_id", section_id, order,
                            moved=restored[0][0].id if len(restored) == 1 else None)
        for n, (line, section_id, index) in enumerate(restored):
            self._price(line)
            s = self.section_index(section_id)
            section = self.sections[s]
            change = Change(ChangeKind.LINE_INSERTED, s, index, line.id)
            self._replace_rows(change, section.lines, [*section.lines[:index], line, *section.lines[index:]])
            self._lines[line.id] = line
            if n == len(restored) - 1:
                self._retotal()
            self._emit(change)
        return [line for line, _, _ in restored]

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
        for name in (*LINE_COLUMNS, *LINK_COLUMNS):
            setattr(line, name, getattr(fresh, name))
        line.version = fresh.version
        self._price(line)
        self._retotal()
        s, i = self.locate(line_id)
        self._emit(Change(ChangeKind.LINE_CHANGED, s, i, line_id))

    def _check_figures(self, line: LineRow, changes: dict[str, Any]) -> None:
        """Refuse changes that would put a line's figures out of bounds (InputError; nothing written)."""
        problem = self._new_problem(line, changes)
        if problem is not None:
            raise InputError(problem.message)

