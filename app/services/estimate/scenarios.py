"""Scenarios: copy an estimate as a what-if ("Half booth") and compare estimates side by side.

A scenario is an ordinary estimate of the same project whose ``based_on_id`` names the
estimate it was copied from. Copying is generic over the tables' columns, so a column
added to a line or a section later is copied without touching this module. The
comparison returns plain dataclasses of exact Decimals; every number a view shows comes
from here, already matched up and already compared with the baseline (the first scenario).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from app.models import Estimate, EstimateParameter, LineItem, Section
from app.models.enums import LineKind
from app.models.types import utcnow
from app.services.equipment.availability import ScenarioEquipment, hold_index, scenario_equipment
from app.services.estimate.document import EstimateDocument, LineRow, relinked
from app.services.estimate.line_editing import is_day_unit
from app.services.estimate.pricing import EstimateTerms, Priced, margin_share
from app.services.money import ZERO
from app.services.storage.database import Database
from app.services.supply.line_quotes import copy_candidates
from app.services.values import InputError, parse_text

ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]
PARAMETER_T = EstimateParameter.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
LINE_T = LineItem.__table__  # type: ignore[attr-defined]

NAME_LABEL = "Scenario name"
NAME_MAX = 200
HOUR_UNITS = frozenset({"h", "hr", "hrs", "hour", "hours"})
_COPY_SUFFIX = re.compile(r"\s*\(copy(?: \d+)?\)$")


# -- duplicating ----------------------------------------------------------------------------------


def suggest_scenario_name(db: Database, estimate_id: uuid.UUID) -> str:
    """A free name for a copy: "Full booth (copy)", then "Full booth (copy 2)", …

    A copy of a copy counts on from the original's name rather than stacking suffixes.
    """
    with db.read() as conn:
        source = _live_estimate(conn, estimate_id)
        taken = {name.casefold() for name in _live_names(conn, source.project_id)}
    base = _COPY_SUFFIX.sub("", source.name) or source.name
    n = 1
    while True:
        suffix = " (copy)" if n == 1 else f" (copy {n})"
        candidate = base[: NAME_MAX - len(suffix)] + suffix
        if candidate.casefold() not in taken:
            return candidate
        n += 1


def duplicate_estimate(db: Database, estimate_id: uuid.UUID, name: str) -> uuid.UUID:
    """Copy an estimate, its parameters, sections and lines as a new scenario; return its id.

    Everything happens in one write transaction, so another user sees either no copy or
    a whole one. Deleted (tombstoned) rows stay behind, quote revisions are not copied
    (a scenario has not been sent), and the copy goes after the project's last estimate.
    """
    name = parse_text(name, NAME_LABEL, max_length=NAME_MAX, required=True)
    with db.write() as conn:
        source = _live_estimate(conn, estimate_id)
        if name.casefold() in {n.casefold() for n in _live_names(conn, source.project_id)}:
            raise InputError(f"This project already has an estimate called “{name}”; choose another name.")
        last = conn.execute(
            select(func.max(ESTIMATE_T.c.position)).where(
                ESTIMATE_T.c.project_id == source.project_id, ESTIMATE_T.c.deleted_at.is_(None)
            )
        ).scalar()
        return copy_estimate(conn, source, name=name, based_on_id=source.id, position=(last or 0) + 1)


def copy_estimate(
    conn: Connection, source: Any, *, shift: timedelta = timedelta(0), **overrides: Any
) -> uuid.UUID:
    """Copy the estimate row ``source`` with its live parameters, sections and lines (kits, sub-rentals
    and the supplier quotes they follow and were compared with) inside the caller's transaction; the
    copy's quote number is empty (it has not been sent) and ``overrides`` set its other columns (name,
    project, position). Labour calls' dates move by ``shift``. Return the copy's id."""
    now = utcnow()
    new_id = uuid.uuid4()
    estimate = copied_record(ESTIMATE_T, source, now, id=new_id, quote_number="", **overrides)
    conn.execute(ESTIMATE_T.insert(), [estimate])
    parameters = live_rows(conn, PARAMETER_T, PARAMETER_T.c.estimate_id == source.id)
    _insert(conn, PARAMETER_T, [copied_record(PARAMETER_T, p, now, estimate_id=new_id) for p in parameters])
    sections = live_rows(conn, SECTION_T, SECTION_T.c.estimate_id == source.id)
    new_section = {s.id: uuid.uuid4() for s in sections}
    _insert(conn, SECTION_T, [
        copied_record(SECTION_T, s, now, id=new_section[s.id], estimate_id=new_id) for s in sections
    ])
    if new_section:
        lines = live_rows(conn, LINE_T, LINE_T.c.section_id.in_(list(new_section)))
        new_line = {line.id: uuid.uuid4() for line in lines}
        copies = [
            copied_record(LINE_T, line, now, id=new_line[line.id], section_id=new_section[line.section_id],
                    call_date=line.call_date and line.call_date + shift)
            for line in lines
        ]
        _insert(conn, LINE_T, relinked(copies, new_line))  # a kit's components stay the copy's
        copy_candidates(conn, new_line)  # the supplier quotes each line was compared with
    return new_id


def _live_estimate(conn: Connection, estimate_id: uuid.UUID) -> Any:
    return live_record(conn, ESTIMATE_T, estimate_id, "estimate")


def live_record(conn: Connection, table: Any, row_id: uuid.UUID, noun: str) -> Any:
    """The live row ``row_id`` of ``table``; InputError when it is gone (tombstoned or never there)."""
    row = conn.execute(select(table).where(table.c.id == row_id, table.c.deleted_at.is_(None))).first()
    if row is None:
        raise InputError(f"That {noun} no longer exists; someone may have deleted it.")
    return row


def _live_names(conn: Connection, project_id: uuid.UUID) -> list[str]:
    return list(conn.execute(
        select(ESTIMATE_T.c.name).where(
            ESTIMATE_T.c.project_id == project_id, ESTIMATE_T.c.deleted_at.is_(None)
        )
    ).scalars())


def live_rows(conn: Connection, table: Any, where: Any) -> list[Any]:
    return list(conn.execute(select(table).where(where, table.c.deleted_at.is_(None))))


def copied_record(table: Any, row: Any, now: Any, **overrides: Any) -> dict[str, Any]:
    """Every column of ``row`` as a new record: fresh identity and bookkeeping, then ``overrides``."""
    values = {column.name: row._mapping[column.name] for column in table.columns}
    values.update(id=uuid.uuid4(), created_at=now, updated_at=now, version=1, deleted_at=None)
    values.update(overrides)
    return values


def _insert(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(table.insert(), rows)


# -- comparing ------------------------------------------------------------------------------------


class Metric(StrEnum):
    """What the comparison measures per section and for the total."""

    PRICE = "price"
    COST = "cost"
    MARGIN = "margin"
    MARGIN_PCT = "margin_pct"
    HOURS = "hours"
    CREW_DAYS = "crew_days"

    @property
    def label(self) -> str:
        return _METRIC_LABELS[self]

    @property
    def is_money(self) -> bool:
        return self in {Metric.PRICE, Metric.COST, Metric.MARGIN}


_METRIC_LABELS = {
    Metric.PRICE: "Price",
    Metric.COST: "Cost",
    Metric.MARGIN: "Margin",
    Metric.MARGIN_PCT: "Margin %",
    Metric.HOURS: "Labour hours",
    Metric.CREW_DAYS: "Crew days",
}


class LineMetric(StrEnum):
    """What the line-level comparison shows per matched line."""

    QUANTITY = "quantity"
    DAYS = "days"
    PRICE = "price"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_money(self) -> bool:
        return self is LineMetric.PRICE


@dataclass(frozen=True, slots=True)
class Cell:
    """One scenario's value next to the baseline's; None means "not in this scenario" (or no margin %)."""

    value: Decimal | None
    baseline: Decimal | None

    @property
    def differs(self) -> bool:
        return self.value != self.baseline

    @property
    def delta(self) -> Decimal | None:
        """value − baseline, when both exist."""
        if self.value is None or self.baseline is None:
            return None
        return self.value - self.baseline


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    id: uuid.UUID
    name: str
    terms: EstimateTerms = field(default_factory=EstimateTerms)  # its contingency, discount and tax
    priced: Priced | None = None  # its subtotal carried through them to the total, as the app has it


@dataclass(frozen=True, slots=True)
class Figures:
    """Sums over a section (or the whole estimate) of one scenario."""

    price: Decimal = ZERO
    cost: Decimal = ZERO
    hours: Decimal = ZERO
    crew_days: Decimal = ZERO

    @property
    def margin(self) -> Decimal:
        return self.price - self.cost

    @property
    def margin_pct(self) -> Decimal | None:
        return margin_share(self.price, self.cost)

    def get(self, metric: Metric) -> Decimal | None:
        return getattr(self, metric.value)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """A section matched by name across scenarios, or the Total; ``figures[i]`` is None when absent."""

    name: str
    is_total: bool
    figures: tuple[Figures | None, ...]

    def cell(self, metric: Metric, scenario: int) -> Cell:
        return Cell(_value(self.figures[scenario], metric), _value(self.figures[0], metric))

    def differs(self, metric: Metric | None = None) -> bool:
        """True when some scenario differs from the baseline (in ``metric``, or in any)."""
        metrics = list(Metric) if metric is None else [metric]
        return any(self.cell(m, i).differs for m in metrics for i in range(1, len(self.figures)))


@dataclass(frozen=True, slots=True)
class LineFigures:
    quantity: Decimal
    days: Decimal
    price: Decimal
    included: bool


@dataclass(frozen=True, slots=True)
class LineComparison:
    """A line matched by (section name, description) across scenarios; ``figures[i]`` None when absent."""

    section: str
    description: str
    figures: tuple[LineFigures | None, ...]

    def cell(self, metric: LineMetric, scenario: int) -> Cell:
        def value(f: LineFigures | None) -> Decimal | None:
            return None if f is None else getattr(f, metric.value)  # type: ignore[no-any-return]

        return Cell(value(self.figures[scenario]), value(self.figures[0]))

    @property
    def differs(self) -> bool:
        return any(f != self.figures[0] for f in self.figures[1:])


@dataclass(frozen=True, slots=True)
class EquipmentRow:
    """"Equipment short" or "Sub-rental cost", one value per scenario (internal: never exported)."""

    name: str
    is_money: bool
    values: tuple[Decimal, ...]
    notes: tuple[str, ...]  # per scenario: what the value leaves out ("" when nothing)

    def cell(self, scenario: int) -> Cell:
        return Cell(self.values[scenario], self.values[0])

    @property
    def differs(self) -> bool:
        return any(value != self.values[0] for value in self.values[1:])


EQUIPMENT_SHORT = "Equipment short"
SUBRENTAL_COST = "Sub-rental cost"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Scenarios side by side: section rows then the Total row, and every matched line.

    ``equipment`` (when the company keeps stock) has one figure per scenario for the PM: units short
    against the other projects' holds, and the sub-rental cost. The client's export leaves it out.
    """

    scenarios: tuple[ScenarioInfo, ...]
    currency: str
    rows: tuple[ComparisonRow, ...]
    lines: tuple[LineComparison, ...] = field(default=())
    client: str = ""
    project: str = ""
    equipment: tuple[ScenarioEquipment, ...] = field(default=())

    def equipment_rows(self) -> tuple[EquipmentRow, ...]:
        if not self.equipment:
            return ()
        unpriced = tuple(
            f"No sub-rental rate for {', '.join(e.no_rate)}: left out" if e.no_rate else ""
            for e in self.equipment
        )
        return (
            EquipmentRow(EQUIPMENT_SHORT, False, tuple(e.short for e in self.equipment),
                         tuple("" for _ in self.equipment)),
            EquipmentRow(SUBRENTAL_COST, True, tuple(e.subrental_cost for e in self.equipment), unpriced),
        )

    @property
    def baseline(self) -> ScenarioInfo:
        return self.scenarios[0]

    @property
    def total(self) -> ComparisonRow:
        return self.rows[-1]

    @property
    def sections(self) -> tuple[ComparisonRow, ...]:
        return self.rows[:-1]

    def row(self, name: str) -> ComparisonRow:
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(name)

    def line(self, section: str, description: str) -> LineComparison:
        for line in self.lines:
            if line.section == section and line.description == description:
                return line
        raise KeyError((section, description))

    def differing_lines(self) -> tuple[LineComparison, ...]:
        return tuple(line for line in self.lines if line.differs)


TOTAL_NAME = "Total"


def labour_of(line: LineRow) -> tuple[Decimal, Decimal]:
    """(paid hours, crew days) of a labour line; (0, 0) for other kinds.

    A crew call knows its paid hours per person; a line priced per hour counts
    quantity × days hours; a line priced per day counts quantity × days crew days.
    """
    if line.kind is not LineKind.LABOUR:
        return ZERO, ZERO
    call = line.price.call
    if call is not None:
        return line.quantity * call.paid, line.quantity * line.days
    unit = (line.unit or "").strip().lower()
    if unit in HOUR_UNITS:
        return line.quantity * line.days, ZERO
    if is_day_unit(unit):
        return ZERO, line.quantity * line.days
    return ZERO, ZERO


def compare_estimates(db: Database, estimate_ids: Sequence[uuid.UUID]) -> Comparison:
    """Load each estimate and line them up: the first is the baseline the others are measured against."""
    if len(estimate_ids) < 1:
        raise ValueError("nothing to compare")
    docs = [EstimateDocument(db, estimate_id) for estimate_id in estimate_ids]
    scenarios = tuple(ScenarioInfo(d.estimate_id, d.header.name, _terms(d), _priced(d)) for d in docs)
    per_doc = [_section_figures(d) for d in docs]
    names = _ordered(name for figures in per_doc for name in figures)
    rows = [ComparisonRow(name, False, tuple(f.get(name) for f in per_doc)) for name in names]
    rows.append(ComparisonRow(TOTAL_NAME, True, tuple(_total_figures(d) for d in docs)))
    first = docs[0].header
    return Comparison(scenarios, first.currency, tuple(rows), _line_comparisons(docs), first.client_name,
                      first.project_name, _equipment(db, docs))


def _equipment(db: Database, docs: list[EstimateDocument]) -> tuple[ScenarioEquipment, ...]:
    """Each scenario's equipment against the other projects' holds (none when there is no stock)."""
    index = hold_index(db)
    if not index.by_catalog_item:
        return ()
    return tuple(scenario_equipment(index, doc) for doc in docs)


def _terms(doc: EstimateDocument) -> EstimateTerms:
    h = doc.header
    return EstimateTerms(h.contingency_pct, h.discount_pct, h.tax_pct)


def _priced(doc: EstimateDocument) -> Priced:
    t = doc.totals
    return Priced(t.subtotal, t.contingency, t.discount, t.net, t.tax, t.total)


def _section_figures(doc: EstimateDocument) -> dict[str, Figures]:
    """Figures per section name; two sections of the same name in one estimate add up."""
    out: dict[str, Figures] = {}
    for section in doc.sections:
        group = doc.totals.groups.get(section.id)
        hours, days = _labour(doc, section.lines)
        figures = Figures(group.price if group else ZERO, group.cost if group else ZERO, hours, days)
        out[section.name] = _plus(out[section.name], figures) if section.name in out else figures
    return out


def _total_figures(doc: EstimateDocument) -> Figures:
    hours, days = _labour(doc, doc.lines())
    return Figures(doc.totals.net, doc.totals.cost, hours, days)


def _labour(doc: EstimateDocument, lines: Iterable[LineRow]) -> tuple[Decimal, Decimal]:
    hours = days = ZERO
    for line in lines:
        if doc.counts_in_total(line):
            h, d = labour_of(line)
            hours, days = hours + h, days + d
    return hours, days


def _plus(a: Figures, b: Figures) -> Figures:
    return Figures(a.price + b.price, a.cost + b.cost, a.hours + b.hours, a.crew_days + b.crew_days)


def _value(figures: Figures | None, metric: Metric) -> Decimal | None:
    return None if figures is None else figures.get(metric)


def _ordered(keys: Iterable[Any]) -> list[Any]:
    """Distinct keys in the order first met (the baseline's order, then newcomers)."""
    return list(dict.fromkeys(keys))


def _line_comparisons(docs: list[EstimateDocument]) -> tuple[LineComparison, ...]:
    """Lines matched by (section, description, nth of that description) across scenarios."""
    per_doc = [_line_figures(doc) for doc in docs]
    keys = _ordered(key for figures in per_doc for key in figures)
    return tuple(
        LineComparison(section, description, tuple(f.get((section, description, n)) for f in per_doc))
        for section, description, n in keys
    )


def _line_figures(doc: EstimateDocument) -> dict[tuple[str, str, int], LineFigures]:
    out: dict[tuple[str, str, int], LineFigures] = {}
    for section in doc.sections:
        for line in section.lines:
            description = line.description or line.client_text
            n = 0
            while (section.name, description, n) in out:
                n += 1  # the same description twice in a section: match them in order
            out[(section.name, description, n)] = LineFigures(
                line.quantity, line.days, line.price.price, doc.counts_in_total(line)
            )
    return out

