"""A company's pipeline of any size: open projects with realistic scenarios, written in one transaction.

Shared by tests/test_pipeline_values.py and bench/bench_pipeline.py. Seeded: the same call
builds the same figures. Each project has one or two scenarios (a won one has its choice) of
``lines`` lines from :func:`tests.factories.line_values` (every kind, options, overrides), with
parameters and formulas (a derived parameter too), a section range, line ranges (percent and
amounts), a pair of alternatives and crew calls priced under the factory rule set.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import fields
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from app.models import EstimateParameter, Role
from app.models.enums import LineKind, ProjectStatus
from app.services.pipeline.values import OPEN_STAGES
from app.services.storage.database import Database
from tests.factories import (
    CLIENT_T,
    CREW_RULES,
    ESTIMATE_T,
    LINE_T,
    PROJECT_T,
    RULES_T,
    SECTION_T,
    _record,
    line_values,
)

# Every row of one insert names the same columns (an executemany takes the first row's).
_LINE_DEFAULTS: dict[str, Any] = {
    "quantity_formula": "",
    "days_formula": "",
    "phase": "",
    "call_date": None,
    "range_low": None,
    "range_high": None,
    "range_low_pct": None,
    "range_high_pct": None,
    "alternative_group": "",
    "alternative_chosen": False,
}
PARAMETER_T = EstimateParameter.__table__  # type: ignore[attr-defined]
ROLE_T = Role.__table__  # type: ignore[attr-defined]


def build_pipeline(
    db: Database, projects: int = 2_000, lines: int = 24, seed: int = 15, start: date = date(2027, 3, 1)
) -> list[uuid.UUID]:
    """``projects`` open projects (spread over the five stages); returns their ids."""
    rng = random.Random(seed)
    clients = [
        _record(name=f"Client {n:03}", notes="", billing_address="", industry="")
        for n in range(max(1, projects // 10))
    ]
    rules = _record(**{f.name: getattr(CREW_RULES, f.name) for f in fields(CREW_RULES)})
    roles = [
        _record(
            name=name,
            cost_rate=Decimal(cost),
            bill_rate=Decimal(bill),
            day_cost_rate=None,
            day_bill_rate=None,
        )
        for name, cost, bill in (("Rigger", "45.00", "75.00"), ("Audio tech", "50.00", "85.00"))
    ]
    people = [f"Person {n:02}" for n in range(20)]
    project_rows: list[dict[str, Any]] = []
    estimates: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    parameters: list[dict[str, Any]] = []
    for p in range(projects):
        status: ProjectStatus = OPEN_STAGES[p % len(OPEN_STAGES)]
        load_in = start + timedelta(days=rng.randrange(0, 300))
        project = _record(
            client_id=clients[p % len(clients)]["id"],
            name=f"Show {p:04}",
            venue="Hall",
            start_date=load_in,
            end_date=load_in + timedelta(days=4),
            show_start_date=load_in + timedelta(days=1),
            show_end_date=load_in + timedelta(days=3),
            status=status.value,
            account_manager=rng.choice(people),
            project_manager=rng.choice(people),
            labour_rule_set_id=rules["id"],
            notes="",
            lost_reason="",
            win_probability_pct=Decimal(rng.choice((20, 35, 80))) if p % 7 == 3 else None,
            decision_date=load_in - timedelta(days=30),
            chosen_estimate_id=None,
        )
        project_rows.append(project)
        for s in range(1 + (p % 3 == 0)):
            estimate = _record(
                project_id=project["id"],
                name=f"Scenario {s + 1}",
                position=s,
                notes="",
                target_margin_pct=Decimal(35),
                contingency_pct=Decimal(p % 4 * 2),
                discount_pct=Decimal(p % 5),
                tax_pct=Decimal("8.25") if p % 2 else Decimal(0),
            )
            estimates.append(estimate)
            if s == 1 and status in (ProjectStatus.WON, ProjectStatus.IN_PRODUCTION):
                project["chosen_estimate_id"] = estimate["id"]
            parameters += [
                _record(
                    estimate_id=estimate["id"],
                    position=0,
                    name="crew",
                    value=Decimal(3 + p % 5),
                    formula="",
                    unit="people",
                    description="",
                ),
                _record(
                    estimate_id=estimate["id"],
                    position=1,
                    name="shifts",
                    value=Decimal(0),
                    formula="crew * 2",
                    unit="",
                    description="",
                ),
            ]
            secs = [
                _record(
                    estimate_id=estimate["id"],
                    position=i,
                    name=f"Section {i + 1}",
                    client_description="",
                    range_low_pct=Decimal(5) if i == 0 else None,
                    range_high_pct=Decimal(15) if i == 0 else None,
                )
                for i in range(3)
            ]
            sections += secs
            for n in range(lines):
                values = line_values(n + p)
                row = _record(section_id=secs[n % 3]["id"], position=n // 3, **_LINE_DEFAULTS, **values)
                if values["kind"] == LineKind.LABOUR.value:
                    row.update(
                        role_id=roles[n % 2]["id"],
                        quantity_formula="crew",
                        phase="show",
                        call_date=project["show_start_date"],
                    )
                if n == 4:
                    row.update(days_formula="shifts / 2")
                if n == 5:
                    row.update(range_low=Decimal(100), range_high=Decimal(900))
                if n == 7:
                    row.update(range_low_pct=Decimal(10), range_high_pct=Decimal(20))
                if n in (10, 11):
                    row.update(alternative_group="Screen", alternative_chosen=n == 11, optional=False)
                line_rows.append(row)
    with db.write() as conn:
        conn.execute(CLIENT_T.insert(), clients)
        conn.execute(RULES_T.insert(), [rules])
        conn.execute(ROLE_T.insert(), roles)
        conn.execute(PROJECT_T.insert(), project_rows)
        conn.execute(ESTIMATE_T.insert(), estimates)
        conn.execute(PARAMETER_T.insert(), parameters)
        conn.execute(SECTION_T.insert(), sections)
        conn.execute(LINE_T.insert(), line_rows)
    return [p["id"] for p in project_rows]
