"""The plain rows an open estimate is made of, what a change announces, and the writes into it.

Kept apart from :mod:`app.services.estimate.document` (which loads, edits and saves them) so that
each file stays small; the document module re-exports every public name here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from app.models import Estimate, LineItem, Section
from app.models.enums import CallPhase, LineKind, PriceBasis
from app.services.bounds import LineProblem
from app.services.estimate.parameters import ParameterSpec
from app.services.estimate.pricing import EstimateTerms, LinePrice, LineTerms, PriceRange
from app.services.storage.versioned import (  # noqa: F401 - re-exported: callers import them from here
    ConcurrentEditError,
    EditConflict,
    update_versioned,
)

LINE_T = LineItem.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]


class ParentDeleted(ConcurrentEditError):
    """A write into a section (or an estimate) someone else deleted; nothing was written.

    ``table`` is "section" or "estimate", ``parent_id`` its id and ``name`` its name as
    stored, in quotes, for the message ("“Logistics” was deleted by another user…").
    """

    def __init__(self, table: str, parent_id: uuid.UUID, name: str) -> None:
        super().__init__(f"{name} was deleted by another user; nothing was saved.")
        self.table = table
        self.parent_id = parent_id
        self.name = name


class UnseenLines(ConcurrentEditError):
    """A section delete found lines this document never saw (added, moved in or changed
    by someone else since it loaded them); nothing was deleted.

    ``descriptions`` are those lines' descriptions as stored now.
    """

    def __init__(self, section_id: uuid.UUID, name: str, descriptions: list[str]) -> None:
        count = len(descriptions)
        super().__init__(f"Another user added or changed {count} line{'s' if count != 1 else ''} in "
                         f"{name} since you opened it; nothing was deleted.")
        self.section_id = section_id
        self.name = name
        self.descriptions = descriptions


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
    quantity_formula: str
    days_formula: str
    range_low_pct: Decimal | None
    range_high_pct: Decimal | None
    range_low: Decimal | None
    range_high: Decimal | None
    alternative_group: str
    alternative_chosen: bool
    version: int
    # How the line goes with others of its estimate (see LINK_COLUMNS): the kit line it is a
    # component of, whether this kit line shows the client its components, the line whose
    # shortage this sub-rental covers. A link naming no live line of the estimate counts as none.
    kit_line_id: uuid.UUID | None = None
    shows_components: bool = False
    subrental_of_id: uuid.UUID | None = None
    # The supplier quote item whose unit cost the line follows (app.services.supply.line_quotes).
    supplier_quote_item_id: uuid.UUID | None = None
    priced: LinePrice | None = None
    # Why a formula of this line cannot be evaluated now (it keeps its last quantity/days).
    formula_error: str | None = None
    # Why its figures cannot be used (out of bounds, see app.services.bounds): priced as zero.
    problem: LineProblem | None = None
    # A stored kind or price basis this Tandem does not know (a newer version's, a hand edit).
    unreadable: str | None = None

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
        """What the client reads: the client description, else a neutral label for the kind
        (for a crew call, for its phase: "Installation crew", "Show crew", "Dismantle crew")."""
        if self.client_description:
            return self.client_description
        if self.kind is LineKind.LABOUR and self.phase in CallPhase._value2member_map_:
            return CallPhase(self.phase).client_label
        return self.kind.client_label

    @property
    def price(self) -> LinePrice:
        assert self.priced is not None
        return self.priced

    @property
    def price_range(self) -> PriceRange:
        return PriceRange(self.range_low_pct, self.range_high_pct, self.range_low, self.range_high)

    @property
    def error(self) -> str | None:
        """Why the line is in error (its figures, else its formula), or None."""
        return self.problem.message if self.problem is not None else self.formula_error

    @property
    def has_formula(self) -> bool:
        return bool(self.quantity_formula or self.days_formula)


_NOT_STORED = {"priced", "formula_error", "problem", "unreadable"}
# Stored with a line and copied with it, but not typed into a cell nor carried by a spreadsheet:
# links to other lines of the same estimate (remapped when lines are copied: see relinked), the
# kit line's choice of what the client reads and the supplier quote item the line's cost follows
# (copied as it is: the same item). set_line_fields takes them like LINE_COLUMNS.
LINK_COLUMNS = ("kit_line_id", "shows_components", "subrental_of_id", "supplier_quote_item_id")
_LINE_LINKS = ("kit_line_id", "subrental_of_id")
COPIED_ID = "copied_id"  # a copied line's values: the id it had, what its copies' links name
# Columns a user edits on a line; everything else is identity, bookkeeping or a link.
LINE_COLUMNS = tuple(
    f.name for f in fields(LineRow)
    if f.name not in {"id", "section_id", "position", "version", *LINK_COLUMNS} | _NOT_STORED
)


def relinked(values: list[dict[str, Any]], new_ids: dict[uuid.UUID, uuid.UUID]) -> list[dict[str, Any]]:
    """Copied lines' values with their links to other lines moved onto those lines' copies
    (``new_ids``: old id → new id); a link to a line not copied with them is dropped, and so is
    the :data:`COPIED_ID` a copy carried."""
    out = []
    for line in values:
        line = {k: v for k, v in line.items() if k != COPIED_ID}
        for name in _LINE_LINKS:
            if line.get(name) is not None:
                line[name] = new_ids.get(line[name])
        out.append(line)
    return out


@dataclass(slots=True)
class SectionRow:
    id: uuid.UUID
    estimate_id: uuid.UUID
    position: int
    name: str
    client_description: str
    version: int
    lines: list[LineRow] = field(default_factory=list)
    optional: bool = False
    range_low_pct: Decimal | None = None
    range_high_pct: Decimal | None = None

    @property
    def price_range(self) -> PriceRange:
        return PriceRange(self.range_low_pct, self.range_high_pct)


def _section_from_row(row: Any) -> SectionRow:
    return SectionRow(row.id, row.estimate_id, row.position, row.name, row.client_description, row.version,
                      optional=bool(row.optional), range_low_pct=row.range_low_pct,
                      range_high_pct=row.range_high_pct)


@dataclass(slots=True)
class ParameterRow:
    """An estimate parameter; ``value`` is the resolved value (a formula's result)."""

    id: uuid.UUID
    estimate_id: uuid.UUID
    position: int
    name: str
    value: Decimal
    formula: str
    unit: str
    description: str
    version: int
    error: str | None = None

    def spec(self) -> ParameterSpec:
        return ParameterSpec(self.name, self.value, self.formula)


@dataclass(frozen=True, slots=True)
class _Recalculation:
    values: dict[str, Decimal]
    errors: dict[str, str]
    lines: dict[uuid.UUID, dict[str, Decimal]]  # line id → the quantity/days that change
    failing: set[uuid.UUID] = field(default_factory=set)  # lines with a formula that cannot be evaluated
    # The formulas each changed line's values were computed from: (quantity, days) formula.
    sources: dict[uuid.UUID, tuple[str, str]] = field(default_factory=dict)
    # Derived parameters whose result changed: name → (formula, value), stored as their last value.
    derived: dict[str, tuple[str, Decimal]] = field(default_factory=dict)
    # Lines the new values would put out of bounds: line id → why (the change is refused).
    out_of_range: dict[uuid.UUID, str] = field(default_factory=dict)


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
    margin_floor_pct: Decimal
    based_on_id: uuid.UUID | None
    quote_number: str
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
    show_start_date: date | None = None  # the first show day (start_date is load-in, end_date strike)
    show_contingency_line: bool = False  # the quote: contingency as a line, else in the line prices
    show_budget_range: bool = False  # the quote: the budget range printed under the total

    def terms(self) -> EstimateTerms:
        return EstimateTerms(
            contingency_pct=self.contingency_pct,
            discount_pct=self.discount_pct,
            tax_pct=self.tax_pct,
            target_margin_pct=self.target_margin_pct,
            margin_floor_pct=self.margin_floor_pct,
        )


class ChangeKind(StrEnum):
    LINE_CHANGED = "line_changed"
    LINE_INSERTED = "line_inserted"
    LINE_REMOVED = "line_removed"
    SECTION_CHANGED = "section_changed"
    SECTION_INSERTED = "section_inserted"
    SECTION_REMOVED = "section_removed"
    ESTIMATE_CHANGED = "estimate_changed"
    # Many lines recalculated at once (a parameter changed): ``row_ids`` says which.
    LINES_RECALCULATED = "lines_recalculated"
    # Which line of a group of alternatives counts changed: ``row_ids`` are the group's lines.
    ALTERNATIVES_CHANGED = "alternatives_changed"
    PARAMETER_CHANGED = "parameter_changed"
    PARAMETER_INSERTED = "parameter_inserted"
    PARAMETER_REMOVED = "parameter_removed"
    RESET = "reset"


PARAMETER_CHANGES = frozenset({ChangeKind.PARAMETER_CHANGED, ChangeKind.PARAMETER_INSERTED,
                               ChangeKind.PARAMETER_REMOVED})


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
    row_ids: tuple[uuid.UUID, ...] = ()


Listener = Callable[[Change], None]



# The line columns a document reads, in LineRow's field order (bookkeeping dates left out).
_LINE_FIELDS = tuple(f.name for f in fields(LineRow) if f.name not in _NOT_STORED)
_LINE_SELECT = tuple(LINE_T.c[name] for name in _LINE_FIELDS)
_KINDS = {k.value: k for k in LineKind}
_BASES = {b.value: b for b in PriceBasis}
_AT_KIND, _AT_BASIS, _AT_OPTIONAL, _AT_CHOSEN, _AT_SHOWS = (
    _LINE_FIELDS.index(n)
    for n in ("kind", "price_basis", "optional", "alternative_chosen", "shows_components")
)


def _lines_from_rows(rows: Iterable[tuple[Any, ...]]) -> list[LineRow]:
    """Rows selected as _LINE_SELECT → LineRows, positionally (the hot path of a load)."""
    out = []
    for row in rows:
        line = LineRow(*row)
        line.kind = _KINDS.get(row[_AT_KIND], LineKind.EQUIPMENT)
        line.price_basis = _BASES.get(row[_AT_BASIS], PriceBasis.MARKUP)
        if row[_AT_KIND] not in _KINDS or row[_AT_BASIS] not in _BASES:
            what, value = ("Kind", row[_AT_KIND]) if row[_AT_KIND] not in _KINDS else ("Price basis",
                                                                                       row[_AT_BASIS])
            line.unreadable = f"{what} “{value}” is not one this Tandem knows."
        line.optional = bool(row[_AT_OPTIONAL])
        line.alternative_chosen = bool(row[_AT_CHOSEN])
        line.shows_components = bool(row[_AT_SHOWS])
        out.append(line)
    return out


def _line_from_row(row: Any) -> LineRow:
    """One LineRow from anything with the line's columns as attributes (a Row, a LineItem)."""
    return _lines_from_rows([tuple(getattr(row, name) for name in _LINE_FIELDS)])[0]


def _quoted(name: str | None, fallback: str) -> str:
    return f"“{name}”" if name else fallback


def lock_parents(conn: Connection, estimate_id: uuid.UUID, section_ids: Iterable[uuid.UUID] = (),
                 *, reorder: bool = False) -> None:
    """At the start of a write: the estimate and the sections written into must be live.

    A parent deleted (or gone) raises :class:`ParentDeleted` before anything is written.
    On a server the rows read stay locked until the commit, so that a delete cannot slip
    in between this check and the write: the estimate shared (exclusively with
    ``reorder``, for writes that renumber its sections or parameters), each section
    exclusively (its lines' positions are renumbered under it), in id order. On SQLite
    the write transaction already holds the file's one write lock.
    """
    estimate = conn.execute(
        select(ESTIMATE_T.c.name, ESTIMATE_T.c.deleted_at)
        .where(ESTIMATE_T.c.id == estimate_id)
        .with_for_update(read=not reorder)
    ).first()
    if estimate is None or estimate.deleted_at is not None:
        raise ParentDeleted("estimate", estimate_id,
                            _quoted(estimate.name if estimate else None, "This estimate"))
    wanted = sorted(set(section_ids))
    if not wanted:
        return
    found = {
        row.id: row for row in conn.execute(
            select(SECTION_T.c.id, SECTION_T.c.name, SECTION_T.c.estimate_id, SECTION_T.c.deleted_at)
            .where(SECTION_T.c.id.in_(wanted))
            .order_by(SECTION_T.c.id)
            .with_for_update()
        )
    }
    for section_id in wanted:
        row = found.get(section_id)
        if row is None or row.deleted_at is not None or row.estimate_id != estimate_id:
            raise ParentDeleted("section", section_id, _quoted(row.name if row else None, "This section"))


def write_order(conn: Connection, table: Any, parent: str, parent_id: uuid.UUID, wanted: list[Any],
                moved: uuid.UUID | None = None) -> None:
    """Number the live rows under one parent 0, 1, 2… in the order a document wants, read inside the write.

    ``wanted`` are the document's rows (anything with an ``id``) in their new order;
    ``moved`` the row just inserted or moved there. Rows someone else added meanwhile
    (stored, but not in ``wanted``) keep their place after the row they followed; rows
    of ``wanted`` no longer live under this parent are left alone. So two writers on
    stale copies never leave two live rows on one position.
    """
    stored = conn.execute(
        select(table.c.id, table.c.position)
        .where(table.c[parent] == parent_id, table.c.deleted_at.is_(None))
        .order_by(table.c.position, table.c.created_at)
    ).all()
    position = {row.id: row.position for row in stored}
    known = {row.id for row in wanted}
    following: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    anchor: uuid.UUID | None = None
    for row in stored:
        if row.id not in known:
            following.setdefault(anchor, []).append(row.id)
        elif row.id != moved:  # where the moved row used to be says nothing
            anchor = row.id
    order = list(following.get(None, []))
    for row in wanted:
        if row.id in position:
            order.append(row.id)
            order.extend(following.get(row.id, []))
    stale = [{"row_id": row_id, "pos": i} for i, row_id in enumerate(order) if position[row_id] != i]
    if stale:
        conn.execute(
            update(table).where(table.c.id == bindparam("row_id")).values(position=bindparam("pos")),
            stale,
        )
