"""An estimate being read: its header, parameters, sections and lines, and checks of what was read.

:class:`Loading` is a part of :class:`app.services.estimate.document.EstimateDocument`,
kept in its own file: it reads the whole estimate with a fixed number of queries, refuses
a read that does not hang together, and sets aside stored figures that cannot be used.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import Client, Company, Estimate, EstimateParameter, LineItem, Project, Section
from app.services.bounds import (
    ESTIMATE_LIMITS,
    LINE_LIMITS,
    figure_problem,
)
from app.services.estimate.document_state import DocumentState
from app.services.estimate.rows import (
    _LINE_SELECT,
    Change,
    ChangeKind,
    ConcurrentEditError,
    EstimateHeader,
    LineRow,
    ParameterRow,
    SectionRow,
    _lines_from_rows,
    _section_from_row,
)
from app.services.lookups import load_lookups
from app.services.storage.database import Database
from app.services.storage.errors import DamagedRead, StorageError
from app.services.storage.versioned import update_versioned
from app.services.supply.line_quotes import drifted
from app.services.supply.quote_items import load_quote_items

LINE_T = LineItem.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]
PARAMETER_T = EstimateParameter.__table__  # type: ignore[attr-defined]


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


class Loading(DocumentState):
    """The loading part of an EstimateDocument (the state it uses: DocumentState)."""
    # -- loading -------------------------------------------------------------

    def refresh_lookups(self) -> None:
        """Read the suppliers, roles and rule sets again (one was just added, e.g. from a line's cell)."""
        with self.db.read() as conn:
            self.lookups = load_lookups(conn)
            self.quote_items = load_quote_items(conn)

    def refresh_quote_items(self) -> None:
        """Read every supplier quote item again (before comparing quotes on a line)."""
        with self.db.read() as conn:
            self.quote_items = load_quote_items(conn)

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
            # Read only when a line follows one (three more queries); the comparison reads them all.
            following = any(line.supplier_quote_item_id is not None for line in lines)
            quote_items = load_quote_items(conn) if following else {}
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
        self.quote_items = quote_items
        self.parameters = parameters
        self._index_sections()
        self._resolve_parameters()
        self._lines = {line.id: line for s in sections for line in s.lines}
        self._follow_quotes()
        for line in self._lines.values():
            self._price(line)
        self._retotal()
        if notify:
            self._emit(Change(ChangeKind.RESET))

    def _follow_quotes(self) -> None:
        """Lines following a supplier quote item take its cost at their quantity now (the item was
        edited since, say). Stored too when the database can be written, so that every reader of
        the line agrees; a line changed meanwhile by someone else keeps theirs until the next read."""
        costs = drifted(self._lines.values(), self.quote_items)
        for line_id, cost in costs.items():
            self._lines[line_id].unit_cost = cost
        if not costs or self.db.read_only is not None:
            return
        stored = []
        try:
            with self.db.write() as conn:
                for line_id in costs:
                    line = self._lines[line_id]
                    update_versioned(conn, LINE_T, line_id, line.version, {"unit_cost": line.unit_cost})
                    stored.append(line)
        except (ConcurrentEditError, StorageError):
            return  # shown as followed; stored at a later read
        for line in stored:
            line.version += 1

    def _load_header(self, conn: Connection) -> EstimateHeader:
        e, p, c = ESTIMATE_T, Project.__table__, Client.__table__  # type: ignore[attr-defined]
        row = conn.execute(
            select(e, p.c.name.label("project_name"), p.c.venue, p.c.start_date, p.c.end_date,
                   p.c.show_start_date,
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
            show_start_date=row.show_start_date,
            show_contingency_line=row.show_contingency_line, show_budget_range=row.show_budget_range,
        )
        # A stored percentage that cannot be used counts as 0 (and says so) rather than stop the load.
        self.estimate_problems = {}
        for name, limit in ESTIMATE_LIMITS.items():
            why = figure_problem(limit, getattr(header, name))
            if why is not None:
                self.estimate_problems[name] = f"Estimate: {why} It counts as 0 %."
                setattr(header, name, Decimal(0))
        return header

