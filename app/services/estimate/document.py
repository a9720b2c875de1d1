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
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.engine import Connection

from app.models import Estimate
from app.services.bounds import (
    NO_PRICE,
    LineProblem,
    check_line,
)
from app.services.estimate.fields import (  # noqa: F401 - re-exported: callers import them from here
    BASIS_OF_FIELD,
    ESTIMATE_FIELDS,
    FORMULA_OF,
    LINE_FIELDS,
    PARAMETER_FIELDS,
    SECTION_FIELDS,
)
from app.services.estimate.formulas import FormulaError
from app.services.estimate.line_editing import LineEditing
from app.services.estimate.loading import Loading
from app.services.estimate.parameter_editing import ParameterEditing
from app.services.estimate.parameters import (
    KIT,
    FormulaCache,
    ParameterSpec,
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
    LINK_COLUMNS,
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
    relinked,
    update_versioned,
    write_order,
)
from app.services.estimate.section_editing import SectionEditing
from app.services.labour.pay import LabourRules
from app.services.lookups import Lookups
from app.services.money import format_number
from app.services.storage.database import Database
from app.services.supply.quote_items import QuoteItemInfo
from app.services.values import InputError

ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]



_FOUR_PLACES = Decimal("0.0001")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
class EstimateDocument(Loading, LineEditing, SectionEditing, ParameterEditing):
    """An estimate loaded for editing. Not thread-safe: one document per GUI or worker."""

    def __init__(self, db: Database, estimate_id: uuid.UUID) -> None:
        self.db = db
        self.estimate_id = estimate_id
        self._listeners: list[Listener] = []
        self.header: EstimateHeader
        self.sections: list[SectionRow] = []
        self.lookups: Lookups
        self.quote_items: dict[uuid.UUID, QuoteItemInfo] = {}
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
        self._batch: Connection | None = None  # the transaction of a batch() under way
        self.reload(notify=False)

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
                    setattr(line, column, self._formula_result(source, column, self.formula_values(line)))
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

    def formula_values(self, line: LineRow, values: dict[str, Decimal] | None = None,
                       planned: dict[uuid.UUID, dict[str, Decimal]] | None = None) -> dict[str, Decimal]:
        """What a line's formulas may name: the parameters (``values``, default the current ones) and,
        on a kit's component, ``kit``: the kit line's quantity (as ``planned``, when it changes)."""
        values = self.values if values is None else values
        kit = self._lines.get(line.kit_line_id) if line.kit_line_id is not None else None
        if kit is None or kit is line:
            return values
        quantity = (planned or {}).get(kit.id, {}).get("quantity", kit.quantity)
        return {**values, KIT: quantity}

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
    def batch(self) -> Iterator[None]:
        """Several edits in one transaction (a line split in two, and its undo): all or nothing.

        Each edit is applied in memory and announced as it goes; should one fail, the
        transaction is rolled back and the document reloads what is stored (a reset), so
        that nothing is left half done in the database or on screen. Nested: one batch.
        """
        if self._batch is not None:
            yield
            return
        try:
            with self.db.write() as conn:
                self._batch = conn
                try:
                    yield
                finally:
                    self._batch = None
        except BaseException:
            self.reload()
            raise

    @contextmanager
    def _write(self, *section_ids: uuid.UUID, reorder: bool = False) -> Iterator[Connection]:
        """A write transaction into this estimate (and into ``section_ids``), parents checked first.

        A parent someone else deleted raises :class:`ParentDeleted` and nothing is
        written; ``reorder`` for writes that renumber the sections or parameters.
        Inside :meth:`batch` it is the batch's transaction.
        """
        if self._batch is not None:
            lock_parents(self._batch, self.estimate_id, section_ids, reorder=reorder)
            yield self._batch
            return
        with self.db.write() as conn:
            lock_parents(conn, self.estimate_id, section_ids, reorder=reorder)
            yield conn

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
