"""Test data builders: clients, projects and estimates of any size, written in one transaction.

Tests, GUI tests and benchmarks share these, so an estimate of 5,000 lines is
built the same way everywhere (and in well under a second):

    from tests.factories import make_estimate
    estimate_id = make_estimate(db, lines=5000, sections=50)

The lines are deterministic: line ``n`` of an estimate always has the same
kind, quantities and price basis, so timings and totals compare between runs.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from app.models import Client, Contact, Estimate, LabourRuleSet, LineItem, Project, Section
from app.models.enums import LineKind, PriceBasis
from app.models.types import utcnow
from app.services.labour.pay import LabourRules
from app.services.storage.database import Database

CLIENT_T = Client.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]
CONTACT_T = Contact.__table__  # type: ignore[attr-defined]
RULES_T = LabourRuleSet.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
LINE_T = LineItem.__table__  # type: ignore[attr-defined]

# One recipe per kind, cycled through by line number: (kind, unit, unit cost, basis, basis value).
LINE_RECIPES: tuple[tuple[LineKind, str, Decimal, PriceBasis, Decimal], ...] = (
    (LineKind.EQUIPMENT, "panel", Decimal("18.00"), PriceBasis.UNIT_PRICE, Decimal("35.00")),
    (LineKind.LABOUR, "person", Decimal("55.00"), PriceBasis.UNIT_PRICE, Decimal("85.00")),
    (LineKind.SUBRENTAL, "ea", Decimal("150.00"), PriceBasis.MARKUP, Decimal("40")),
    (LineKind.SUPPLIER, "point", Decimal("450.00"), PriceBasis.MARKUP, Decimal("25")),
    (LineKind.PURCHASE, "sq ft", Decimal("1.25"), PriceBasis.MARGIN, Decimal("35")),
    (LineKind.FREIGHT, "trip", Decimal("2400.00"), PriceBasis.MARKUP, Decimal("20")),
    (LineKind.FEE, "h", Decimal("60.00"), PriceBasis.UNIT_PRICE, Decimal("110.00")),
)
LABOUR_HOURS = (Decimal(6), Decimal(10), Decimal(14), Decimal(3))
BASIS_COLUMN = {
    PriceBasis.MARKUP: "markup_pct",
    PriceBasis.UNIT_PRICE: "unit_price",
    PriceBasis.MARGIN: "margin_pct",
}
# LVCC-like: 4 h minimum call, overtime after 8 h at ×1.5, double time after 12 h at ×2.
CREW_RULES = LabourRules(
    name="Factory crew rules",
    min_call_hours=Decimal(4),
    overtime_after_hours=Decimal(8),
    overtime_multiplier=Decimal("1.5"),
    double_time_after_hours=Decimal(12),
    double_time_multiplier=Decimal(2),
)
OPTIONAL_EVERY = 9  # every 9th line is an optional add-on
OVERRIDE_EVERY = 13  # every 13th line has its price overridden


def _record(**values: Any) -> dict[str, Any]:
    """A row with the bookkeeping columns every table shares."""
    now = utcnow()
    return {
        "id": uuid.uuid4(),
        "created_at": now,
        "updated_at": now,
        "version": 1,
        "deleted_at": None,
        **values,
    }


def line_values(n: int) -> dict[str, Any]:
    """The editable column values of line number ``n`` of a factory estimate."""
    kind, unit, unit_cost, basis, basis_value = LINE_RECIPES[n % len(LINE_RECIPES)]
    values: dict[str, Any] = {
        "kind": kind.value,
        "description": f"{kind.label} line {n}",
        "client_description": f"{kind.client_label} {n}" if n % 2 else "",
        "quantity": Decimal(1 + n % 17),
        "unit": unit,
        "days": Decimal(1 + n % 4),
        "hours": LABOUR_HOURS[n % len(LABOUR_HOURS)] if kind is LineKind.LABOUR else None,
        "unit_cost": unit_cost,
        "price_basis": basis.value,
        "markup_pct": None,
        "unit_price": None,
        "margin_pct": None,
        "price_override": Decimal(1000 + n) if n % OVERRIDE_EVERY == OVERRIDE_EVERY - 1 else None,
        "optional": n % OPTIONAL_EVERY == OPTIONAL_EVERY - 1,
        "supplier_id": None,
        "role_id": None,
        "labour_rule_set_id": None,
        "catalog_item_id": None,
    }
    values[BASIS_COLUMN[basis]] = basis_value
    return values


def make_project(
    db: Database,
    *,
    client_name: str = "Factory client",
    project_name: str = "Factory project",
    with_rules: bool = True,
) -> uuid.UUID:
    """A client and one project; with ``with_rules`` the project pays crew under CREW_RULES."""
    client = _record(name=client_name, notes="", billing_address="1 Factory Way\nSpringfield",
                     industry="Manufacturing")
    contact = _record(client_id=client["id"], name="Factory contact", title="Buyer",
                      email="buyer@factory.example", phone="", is_main=True)
    rules = _record(**{f.name: getattr(CREW_RULES, f.name) for f in fields(CREW_RULES)})
    project = _record(
        client_id=client["id"],
        name=project_name,
        venue="Factory hall",
        start_date=None,
        end_date=None,
        status="lead",
        account_manager="AM",
        project_manager="PM",
        labour_rule_set_id=rules["id"] if with_rules else None,
        contact_id=contact["id"],
        notes="Made by tests/factories.py",
    )
    with db.write() as conn:
        conn.execute(CLIENT_T.insert(), [client])
        conn.execute(CONTACT_T.insert(), [contact])
        if with_rules:
            conn.execute(RULES_T.insert(), [rules])
        conn.execute(PROJECT_T.insert(), [project])
    project_id: uuid.UUID = project["id"]
    return project_id


def make_estimate(
    db: Database,
    lines: int = 20,
    sections: int = 4,
    *,
    project_id: uuid.UUID | None = None,
    name: str = "Factory estimate",
    **estimate_values: Any,
) -> uuid.UUID:
    """An estimate of ``lines`` lines of mixed kinds spread evenly over ``sections`` sections.

    Without ``project_id`` a new client and project are made for it. Extra keywords
    set estimate columns (``contingency_pct=Decimal(5)`` …). Returns the estimate's id.
    """
    if sections < 1 and lines:
        raise ValueError("lines need at least one section")
    if project_id is None:
        project_id = make_project(db, project_name=f"{name} project")
    estimate = _record(
        project_id=project_id,
        name=name,
        position=0,
        notes="",
        **{
            "target_margin_pct": Decimal(35),
            "contingency_pct": Decimal(0),
            "discount_pct": Decimal(0),
            "tax_pct": Decimal(0),
            **estimate_values,
        },
    )
    section_rows = [
        _record(
            estimate_id=estimate["id"],
            position=s,
            name=f"Section {s + 1}",
            client_description=f"Client text of section {s + 1}",
        )
        for s in range(sections)
    ]
    line_rows = [
        _record(section_id=section_rows[s]["id"], position=p, **line_values(n))
        for n, (s, p) in enumerate(_spread(lines, sections))
    ]
    with db.write() as conn:
        conn.execute(ESTIMATE_T.insert(), [estimate])
        if section_rows:
            conn.execute(SECTION_T.insert(), section_rows)
        if line_rows:
            conn.execute(LINE_T.insert(), line_rows)
    new_id: uuid.UUID = estimate["id"]
    return new_id


def _spread(lines: int, sections: int) -> Iterable[tuple[int, int]]:
    """(section index, position) of each line, filling sections in order, as evenly as possible."""
    if not lines:
        return
    per, extra = divmod(lines, sections)
    for s in range(sections):
        for p in range(per + (1 if s < extra else 0)):
            yield s, p


def estimate_id(db: Database, name: str) -> uuid.UUID:
    """The id of the (only) live estimate called ``name``, e.g. the demo's "Full booth"."""
    with db.read() as conn:
        ids = (
            conn.execute(
                select(ESTIMATE_T.c.id).where(
                    ESTIMATE_T.c.name == name, ESTIMATE_T.c.deleted_at.is_(None)
                )
            )
            .scalars()
            .all()
        )
    if len(ids) != 1:
        raise LookupError(f"expected one estimate called {name!r}, found {len(ids)}")
    return ids[0]


def leave_hot_journal(path: Path) -> None:
    """Leave a database as a writer killed mid-commit does: changed pages already in the
    file, and beside it the journal that must roll them back (a "hot" journal)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA cache_size = 2")  # changed pages spill into the file before commit
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE company SET name = 'half-written'")
    conn.execute("UPDATE lineitem SET description = description || ' and more, and more'")
    left = path.read_bytes(), Path(f"{path}-journal").read_bytes()
    conn.execute("ROLLBACK")
    conn.close()
    path.write_bytes(left[0])
    Path(f"{path}-journal").write_bytes(left[1])


def clear_formulas(db: Database) -> None:
    """Make every line's quantity and days plain numbers (for tests about plain lines)."""
    line_t = LineItem.__table__  # type: ignore[attr-defined]
    with db.write() as conn:
        conn.execute(update(line_t).values(quantity_formula="", days_formula=""))
