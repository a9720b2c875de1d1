"""An estimate's parameters being edited: values, formulas, names, and the recalculation they set off.

:class:`ParameterEditing` is a part of :class:`app.services.estimate.document.EstimateDocument`,
kept in its own file: it resolves the parameters, plans which lines' quantities and days
change, writes the parameter and those results in one transaction, then applies them in
memory and announces them.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from app.models import EstimateParameter, LineItem
from app.models.types import utcnow
from app.services.estimate.document_state import DocumentState
from app.services.estimate.fields import FORMULA_OF, PARAMETER_FIELDS
from app.services.estimate.formulas import FormulaError, compile_formula
from app.services.estimate.parameters import ParameterSpec, check_name, rename_in_formula, resolve, uses
from app.services.estimate.rows import (
    Change,
    ChangeKind,
    ConcurrentEditError,
    LineRow,
    ParameterRow,
    _Recalculation,
    write_order,
)
from app.services.supply.line_quotes import follow_quantities
from app.services.values import InputError

LINE_T = LineItem.__table__  # type: ignore[attr-defined]
PARAMETER_T = EstimateParameter.__table__  # type: ignore[attr-defined]


class ParameterEditing(DocumentState):
    """The parameter half of an EstimateDocument (the state it uses: DocumentState)."""
    # -- queries -------------------------------------------------------------------

    def parameter(self, parameter_id: uuid.UUID) -> ParameterRow:
        for parameter in self.parameters:
            if parameter.id == parameter_id:
                return parameter
        raise KeyError(parameter_id)

    def parameter_index(self, parameter_id: uuid.UUID) -> int:
        return self.parameters.index(self.parameter(parameter_id))

    def users_of(self, name: str) -> tuple[list[LineRow], list[ParameterRow]]:
        """The lines and other parameters whose formulas use the parameter ``name``."""
        lines = [line for line in self.lines()
                 if uses(line.quantity_formula, name) or uses(line.days_formula, name)]
        params = [p for p in self.parameters if p.name != name and uses(p.formula, name)]
        return lines, params

    def parameter_error(self, name: str) -> str | None:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter.error
        return None

    # -- edits -----------------------------------------------------------------------

    def parse_parameter_edit(self, parameter_id: uuid.UUID, column: str, value: Any) -> dict[str, Any]:
        """One typed parameter edit → its changes, or InputError. ``=…`` in Value makes a formula."""
        parameter = self.parameter(parameter_id)
        if column == "value" and isinstance(value, str) and value.strip().startswith("="):
            column, value = "formula", value.strip()[1:]
        spec = PARAMETER_FIELDS.get(column)
        if spec is None:
            raise InputError(f"{column} cannot be edited.")
        parsed = spec.parse(value)
        changes: dict[str, Any] = {column: parsed}
        if column == "name":
            changes["name"] = check_name(parsed, (p.name for p in self.parameters if p is not parameter))
        elif column == "value":
            changes["formula"] = ""  # a typed value replaces the formula
        elif column == "formula":
            source = parsed.strip().removeprefix("=").strip()
            changes["formula"] = source
            if source:
                self._check_parameter_formula(parameter, source)
        return {k: v for k, v in changes.items() if getattr(parameter, k) != v}

    def _check_parameter_formula(self, parameter: ParameterRow, source: str) -> None:
        try:
            formula = compile_formula(source)
        except FormulaError as error:
            raise InputError(f"Formula of {parameter.name}: {error}.") from None
        if parameter.name in formula.names:
            raise InputError(f"The formula of {parameter.name} cannot use {parameter.name} itself.")
        known = {p.name for p in self.parameters}
        for name in formula.names:
            if name not in known:
                try:
                    formula.evaluate({})
                except FormulaError as error:
                    raise InputError(f"Formula of {parameter.name}: {error}.") from None
        specs = [ParameterSpec(p.name, p.value, source if p is parameter else p.formula)
                 for p in self.parameters]
        problem = resolve(specs).errors.get(parameter.name)
        if problem:
            raise InputError(f"Formula of {parameter.name}: {problem}.")

    def set_parameter_fields(self, parameter_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
        """Change a parameter; every formula that depends on it recalculates, in one transaction.

        Renaming a parameter renames it in every formula that uses it. Returns the
        previous values (setting them back undoes the edit, renames included).
        """
        parameter = self.parameter(parameter_id)
        old = {k: getattr(parameter, k) for k in changes}
        if not changes:
            return old
        renamed = "name" in changes and changes["name"] != parameter.name
        line_formulas: dict[uuid.UUID, dict[str, str]] = {}
        param_formulas: dict[uuid.UUID, str] = {}
        if renamed:
            before, after = parameter.name, changes["name"]
            for line in self.lines():
                edits = {col: rename_in_formula(getattr(line, col), before, after)
                         for col in FORMULA_OF.values() if uses(getattr(line, col), before)}
                if edits:
                    line_formulas[line.id] = edits
            for other in self.parameters:
                if other is not parameter and uses(other.formula, before):
                    param_formulas[other.id] = rename_in_formula(other.formula, before, after)
        specs = []
        for p in self.parameters:
            name = changes.get("name", p.name) if p is parameter else p.name
            value = changes.get("value", p.value) if p is parameter else p.value
            formula = (changes.get("formula", p.formula) if p is parameter
                       else param_formulas.get(p.id, p.formula))
            specs.append(ParameterSpec(name, value, formula))
        plan = self._plan_recalculation(specs, line_formulas)
        self._refuse_out_of_range(plan)
        stored = dict(changes)
        if changes.get("formula"):
            stored["value"] = plan.values.get(changes.get("name", parameter.name), parameter.value)
        with self._write() as conn:
            self._update_row(conn, PARAMETER_T, parameter.id, parameter.version, stored)
            for other_id, formula in param_formulas.items():
                other = self.parameter(other_id)
                self._update_row(conn, PARAMETER_T, other_id, other.version, {"formula": formula})
            for line_id, edits in line_formulas.items():
                self._update_row(conn, LINE_T, line_id, self._lines[line_id].version, edits)
            self._write_results(conn, plan)
        for k, v in stored.items():
            setattr(parameter, k, v)
        parameter.version += 1
        for other_id, formula in param_formulas.items():
            other = self.parameter(other_id)
            other.formula = formula
            other.version += 1
        for line_id, edits in line_formulas.items():
            line = self._lines[line_id]
            for k, v in edits.items():
                setattr(line, k, v)
            line.version += 1
        self._apply_recalculation(plan, set(line_formulas))
        self._emit(Change(ChangeKind.PARAMETER_CHANGED, index=self.parameter_index(parameter_id),
                          row_id=parameter_id))
        return old

    def add_parameter(self, name: str, value: Decimal | str = Decimal(0), unit: str = "", formula: str = "",
                      description: str = "", index: int | None = None,
                      parameter_id: uuid.UUID | None = None) -> ParameterRow:
        name = check_name(name, (p.name for p in self.parameters))
        parsed = PARAMETER_FIELDS["value"].parse(value)
        unit = PARAMETER_FIELDS["unit"].parse(unit)
        description = PARAMETER_FIELDS["description"].parse(description)
        index = len(self.parameters) if index is None else max(0, min(index, len(self.parameters)))
        data = EstimateParameter(estimate_id=self.estimate_id, position=index, name=name, value=parsed,
                                 formula="", unit=unit, description=description)
        if parameter_id is not None:
            data.id = parameter_id
        row = ParameterRow(data.id, self.estimate_id, index, name, parsed, "", unit, description,
                           data.version)
        new_order = [*self.parameters[:index], row, *self.parameters[index:]]
        if formula:
            self._check_parameter_formula(row, formula.strip().removeprefix("=").strip())
            row.formula = formula.strip().removeprefix("=").strip()
        plan = self._plan_recalculation([p.spec() for p in new_order], {})
        self._refuse_out_of_range(plan)
        if row.formula:
            row.value = data.value = plan.values.get(name, parsed)
        data.formula = row.formula
        with self._write(reorder=True) as conn:
            conn.execute(PARAMETER_T.insert().values(
                **{c.name: getattr(data, c.name) for c in PARAMETER_T.columns}))
            self._write_parameters(conn, new_order, moved=row.id)
            self._write_results(conn, plan)
        self._replace_rows(Change(ChangeKind.PARAMETER_INSERTED, index=index, row_id=row.id),
                           self.parameters, new_order)
        self._apply_recalculation(plan, set())
        self._emit(Change(ChangeKind.PARAMETER_INSERTED, index=index, row_id=row.id))
        return row

    def delete_parameter(self, parameter_id: uuid.UUID) -> int:
        """Delete (tombstone) a parameter; formulas that used it show an error. Returns its index."""
        parameter = self.parameter(parameter_id)
        index = self.parameter_index(parameter_id)
        remaining = [p for p in self.parameters if p is not parameter]
        plan = self._plan_recalculation([p.spec() for p in remaining], {})
        self._refuse_out_of_range(plan)
        with self._write(reorder=True) as conn:
            self._update_row(conn, PARAMETER_T, parameter.id, parameter.version, {"deleted_at": utcnow()})
            self._write_parameters(conn, remaining)
            self._write_results(conn, plan)
        parameter.version += 1
        change = Change(ChangeKind.PARAMETER_REMOVED, index=index, row_id=parameter_id)
        self._replace_rows(change, self.parameters, remaining)
        self._apply_recalculation(plan, set())
        self._emit(change)
        return index

    def restore_parameter(self, parameter_id: uuid.UUID, index: int) -> ParameterRow:
        index = max(0, min(index, len(self.parameters)))
        with self.db.read() as conn:
            row = conn.execute(select(PARAMETER_T).where(PARAMETER_T.c.id == parameter_id)).first()
        if row is None:
            raise ConcurrentEditError("That parameter no longer exists.")
        check_name(row.name, (p.name for p in self.parameters))
        restored = ParameterRow(row.id, row.estimate_id, index, row.name, row.value, row.formula, row.unit,
                                row.description, row.version + 1)
        new_order = [*self.parameters[:index], restored, *self.parameters[index:]]
        plan = self._plan_recalculation([p.spec() for p in new_order], {})
        self._refuse_out_of_range(plan)
        with self._write(reorder=True) as conn:
            self._update_row(conn, PARAMETER_T, parameter_id, row.version, {"deleted_at": None})
            self._write_parameters(conn, new_order, moved=parameter_id)
            self._write_results(conn, plan)
        change = Change(ChangeKind.PARAMETER_INSERTED, index=index, row_id=parameter_id)
        self._replace_rows(change, self.parameters, new_order)
        self._apply_recalculation(plan, set())
        self._emit(change)
        return restored

    def refresh_parameters(self) -> None:
        """Re-read the parameters (after a conflict): theirs becomes what is shown, lines follow.

        Values, units and descriptions are taken in place, without a reset (a cell editor may
        still be open on the table); anything structural — a parameter added, deleted or
        renamed elsewhere, whose formulas changed with it — reloads the whole estimate.
        """
        with self.db.read() as conn:
            rows = conn.execute(
                select(PARAMETER_T)
                .where(PARAMETER_T.c.estimate_id == self.estimate_id, PARAMETER_T.c.deleted_at.is_(None))
                .order_by(PARAMETER_T.c.position, PARAMETER_T.c.created_at)
            ).all()
        if [(r.id, r.name) for r in rows] != [(p.id, p.name) for p in self.parameters]:
            self.reload()
            return
        for row, parameter in zip(rows, self.parameters, strict=True):
            parameter.value, parameter.formula = row.value, row.formula
            parameter.unit, parameter.description, parameter.version = row.unit, row.description, row.version
        plan = self._plan_recalculation([p.spec() for p in self.parameters], {})
        self._apply_recalculation(plan, set())
        for index, parameter in enumerate(self.parameters):
            self._emit(Change(ChangeKind.PARAMETER_CHANGED, index=index, row_id=parameter.id))

    def _plan_recalculation(self, specs: list[ParameterSpec],
                            line_formulas: dict[uuid.UUID, dict[str, str]]) -> _Recalculation:
        """What the parameters resolve to and which lines' quantity/days change, computed before writing."""
        resolved = resolve(specs)
        lines: dict[uuid.UUID, dict[str, Decimal]] = {}
        failing: set[uuid.UUID] = set()
        every = list(self.lines())  # kits' components last: their ``kit`` may change with the kit line
        for line in sorted(every, key=lambda ln: ln.kit_line_id is not None):  # stable: else in order
            if not (line.quantity_formula or line.days_formula or line.id in line_formulas):
                continue
            formulas = line_formulas.get(line.id, {})
            for column, formula_column in FORMULA_OF.items():
                source = formulas.get(formula_column, getattr(line, formula_column))
                if not source:
                    continue
                try:
                    value = self._formula_result(source, column,
                                                 self.formula_values(line, resolved.values, lines))
                except FormulaError:
                    failing.add(line.id)  # shown on the line; it keeps its last value
                    continue
                if value != getattr(line, column):
                    lines.setdefault(line.id, {})[column] = value
        follow_quantities(lines, self._lines, self.quote_items)  # a following line's quantity break
        sources = {}
        for line_id in lines:
            line, renamed = self._lines[line_id], line_formulas.get(line_id, {})
            sources[line_id] = (renamed.get("quantity_formula", line.quantity_formula),
                                renamed.get("days_formula", line.days_formula))
        stored = {p.name: p.value for p in self.parameters}
        derived = {
            spec.name: (spec.formula, resolved.values[spec.name]) for spec in specs
            if spec.formula and spec.name not in resolved.errors
            and resolved.values[spec.name] != stored.get(spec.name)
        }
        out_of_range = {line_id: problem.message for line_id, values in lines.items()
                        if (problem := self._new_problem(self._lines[line_id], values)) is not None}
        return _Recalculation(resolved.values, resolved.errors, lines, failing, sources, derived,
                              out_of_range)

    def _refuse_out_of_range(self, plan: _Recalculation) -> None:
        """A parameter change that would put a line out of bounds is refused (InputError; nothing written)."""
        if plan.out_of_range:
            line_id, why = next(iter(plan.out_of_range.items()))
            others = len(plan.out_of_range) - 1
            more = f" (and {others} other line{'s' if others != 1 else ''})" if others else ""
            raise InputError(f"That would put “{self._lines[line_id].description}”{more} out of range: "
                             f"{why} Nothing was changed.")

    def _write_parameters(self, conn: Connection, parameters: list[ParameterRow],
                          moved: uuid.UUID | None = None) -> None:
        write_order(conn, PARAMETER_T, "estimate_id", self.estimate_id, parameters, moved)

    def _write_results(self, conn: Connection, plan: _Recalculation) -> None:
        """Store recalculated quantities and days.

        They are results of formulas, not anyone's typing, so they are written
        without a version bump: a colleague's edit of the same line's price is not
        a conflict with a parameter change.
        """
        if plan.derived:  # a derived parameter's last result, where its formula is still the same
            conn.execute(
                update(PARAMETER_T)
                .where(PARAMETER_T.c.estimate_id == self.estimate_id,
                       PARAMETER_T.c.name == bindparam("p_name"),
                       PARAMETER_T.c.formula == bindparam("p_formula"),
                       PARAMETER_T.c.deleted_at.is_(None))
                .values(value=bindparam("p_value")),
                [{"p_name": name, "p_formula": formula, "p_value": value}
                 for name, (formula, value) in plan.derived.items()],
            )
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for line_id, values in plan.lines.items():
            quantity_formula, days_formula = plan.sources[line_id]
            by_columns.setdefault(tuple(sorted(values)), []).append(
                {"row_id": line_id, "q_formula": quantity_formula, "d_formula": days_formula, **values})
        for columns, rows in by_columns.items():
            # Only where the row still has the formulas these values came from: a colleague who
            # typed a number over the formula meanwhile keeps it (no lost update).
            conn.execute(
                update(LINE_T)
                .where(LINE_T.c.id == bindparam("row_id"),
                       LINE_T.c.quantity_formula == bindparam("q_formula"),
                       LINE_T.c.days_formula == bindparam("d_formula"))
                .values({c: bindparam(c) for c in columns}),
                rows,
            )

    def _apply_recalculation(self, plan: _Recalculation, touched: set[uuid.UUID]) -> None:
        self.values = plan.values
        for parameter in self.parameters:
            parameter.error = plan.errors.get(parameter.name)
            if parameter.formula and parameter.error is None:
                parameter.value = plan.values[parameter.name]
        changed = set(plan.lines) | touched
        for line in self.lines():
            if not line.has_formula:
                continue
            new_values = plan.lines.get(line.id)
            if line.id in plan.failing or line.formula_error or line.id in touched:
                had_error = line.formula_error
                for column, value in (new_values or {}).items():
                    setattr(line, column, value)
                self._price(line)  # evaluates again, to word the error
                if had_error != line.formula_error:
                    changed.add(line.id)
            elif new_values:  # evaluated in the plan already: just reprice
                for column, value in new_values.items():
                    setattr(line, column, value)
                self._price_figures(line)
        self._retotal()
        if changed:
            self._emit(Change(ChangeKind.LINES_RECALCULATED, row_ids=tuple(changed)))
