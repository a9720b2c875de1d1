"""What Tandem stored at each schema revision, written with plain SQL: the data of the upgrade tests.

A file from an older Tandem is upgraded when it is opened. These build such files without
the old Tandem: :data:`LAYERS` holds one :class:`Layer` per revision, oldest first, saying
which columns its migration added (with the value an upgrade gives the rows already there)
and what the Tandem of that revision stored, in those columns and in its new tables. The
data of revision N is the layers 0001..N applied in turn; :func:`write` inserts it with
SQLAlchemy Core on ad-hoc tables (never the head-shaped models) into a database migrated
to N, on SQLite or PostgreSQL.

Two parts, from the same layers:

- the demo: a small company using every column its revision has, whose estimates' totals
  are worked out by hand in the layers (:attr:`DataSet.totals`, to the cent);
- ``generated`` more estimates, for size, each of a total in closed form
  (:func:`generated_totals`).

A new migration needs a layer here: tests/test_upgrades.py fails until :data:`LAYERS`
covers every revision, each layer's columns are what its migration adds, and its data
sets every one of them.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from app.models import metadata
from app.models.types import ExactDecimal, UTCDateTime
from app.services.estimate.document import EstimateDocument
from app.services.storage import database as storage
from app.services.storage import migrate

D = Decimal
Row = dict[str, Any]
# The totals compared, as EstimateTotals names them.
TOTAL_FIELDS = ("cost", "subtotal", "total", "optional_price", "with_addons", "range_low", "range_high")
_NAMESPACE = uuid.UUID("5a1d0c0e-7a4d-4e11-9c0d-000000000009")
_STAMP = datetime(2026, 2, 3, 9, 30, 15, 123456, tzinfo=UTC)  # microseconds survive too
_EDITED = datetime(2026, 2, 17, 16, 5, 42, 654321, tzinfo=UTC)
GENERATED_PER_PROJECT = 250


def expected(cost: str, subtotal: str, total: str, add_ons: str, with_add_ons: str) -> dict[str, Decimal]:
    """An estimate's totals (its budget range is its total until a layer gives it one)."""
    return {
        "cost": D(cost),
        "subtotal": D(subtotal),
        "total": D(total),
        "optional_price": D(add_ons),
        "with_addons": D(with_add_ons),
        "range_low": D(total),
        "range_high": D(total),
    }


@functools.cache
def ref(table: str, key: str) -> uuid.UUID:
    """The id of the row ``key`` of ``table``: the same in every data set, so layers can name it."""
    return uuid.uuid5(_NAMESPACE, f"{table}/{key}")


@dataclass
class DataSet:
    """Rows by table (parents before children) and id, and each estimate's expected totals."""

    revision: str = ""
    tables: dict[str, dict[Any, Row]] = field(default_factory=dict)
    totals: dict[uuid.UUID, dict[str, Decimal]] = field(default_factory=dict)
    # The value of each column added since 0001 where a layer gives none (table → column → value).
    defaults: dict[str, Row] = field(default_factory=dict)

    def add(self, table: str, key: str, *, record: bool = True, **values: Any) -> uuid.UUID:
        """A row (with the bookkeeping columns of a Tandem record unless ``record=False``)."""
        row_id = ref(table, key)
        row = {
            "id": row_id,
            **(
                {"created_at": _STAMP, "updated_at": _EDITED, "version": 3, "deleted_at": None}
                if record
                else {}
            ),
            **self.defaults.get(table, {}),
            **values,
        }
        self.tables.setdefault(table, {})[row_id] = row
        return row_id

    def set(self, table: str, key: str, **values: Any) -> None:
        """Fill in columns of a row an earlier layer wrote."""
        self.tables[table][ref(table, key)].update(values)

    def rows(self, table: str) -> list[Row]:
        return list(self.tables.get(table, {}).values())


@dataclass(frozen=True)
class Layer:
    """What one migration changed, and what the Tandem of its revision stored."""

    # table → {column added: the value an upgrade gives the rows already there}. A migration
    # that changes existing values or drops columns would need _migrate_rows to say how.
    new_columns: dict[str, dict[str, Any]]
    # Adds this revision's rows and fills its new columns on earlier rows (demo part).
    demo: Callable[[DataSet], None]
    # The same for one generated estimate (number n) whose rows an earlier layer wrote.
    generated: Callable[[DataSet, int], None] = lambda data, n: None
    # Rows the migration itself writes from the data already there (on upgrade, before `demo`).
    rows: Callable[[DataSet], None] = lambda data: None


# -- 0001: the company, directory, catalogue, projects, estimates, sections, lines --------------


def _line(data: DataSet, key: str, section: str, position: int, **values: Any) -> uuid.UUID:
    base = {
        "kind": "equipment",
        "description": key,
        "client_description": "",
        "quantity": D(1),
        "unit": "ea",
        "days": D(1),
        "hours": None,
        "unit_cost": D(0),
        "price_basis": "markup",
        "markup_pct": None,
        "unit_price": None,
        "margin_pct": None,
        "price_override": None,
        "optional": False,
        "supplier_id": None,
        "role_id": None,
        "labour_rule_set_id": None,
        "catalog_item_id": None,
    }
    return data.add(
        "lineitem", key, section_id=ref("section", section), position=position, **{**base, **values}
    )


def _demo_0001(data: DataSet) -> None:
    data.add(
        "company",
        "Northlight",
        name="Northlight Productions",
        currency="USD",
        default_tax_pct=D("8.25"),
        quote_terms="Net 30. Prices valid for 60 days.",
    )
    lvcc = data.add(
        "labourruleset",
        "LVCC",
        name="LVCC stagehands",
        min_call_hours=D(4),
        overtime_after_hours=D(8),
        overtime_multiplier=D("1.5"),
        double_time_after_hours=D(12),
        double_time_multiplier=D(2),
    )
    hand = data.add("role", "Stagehand", name="Stagehand", cost_rate=D("55.00"), bill_rate=D("85.00"))
    a1 = data.add("role", "A1", name="A1 audio engineer", cost_rate=D("65.00"), bill_rate=D("110.00"))
    rigger = data.add(
        "supplier",
        "SkyPoint",
        name="SkyPoint Rigging",
        contact_name="Dana Reyes",
        email="dana@skypoint.example",
        phone="+1 702 555 0142",
        lead_time_days=5,
    )
    panel = data.add(
        "catalogitem",
        "panel",
        name="500 mm LED panel",
        category="Video",
        kind="equipment",
        client_description="LED video panel",
        unit="panel",
        unit_cost=D("18.00"),
        price_basis="unit_price",
        markup_pct=None,
        unit_price=D("35.00"),
        margin_pct=None,
        supplier_id=None,
        role_id=None,
    )
    motor = data.add(
        "catalogitem",
        "motor",
        name="1 t chain motor",
        category="Rigging",
        kind="subrental",
        client_description="Rigging point",
        unit="ea",
        unit_cost=D("150.00"),
        price_basis="markup",
        markup_pct=D(40),
        unit_price=None,
        margin_pct=None,
        supplier_id=rigger,
        role_id=None,
    )
    data.add(
        "catalogitem",
        "tape",
        name="Gaffer tape",
        category="Consumables",
        kind="purchase",
        client_description="",
        unit="roll",
        unit_cost=D("7.35"),
        price_basis="margin",
        markup_pct=None,
        unit_price=None,
        margin_pct=D(35),
        supplier_id=None,
        role_id=hand,
    )
    acme = data.add("client", "Acme", name="Acme Medical", notes="Pays on time; wants PDF quotes.")
    data.add(
        "contact",
        "Priya",
        client_id=acme,
        name="Priya Shah",
        title="Events director",
        email="priya@acme.example",
        phone="+1 415 555 0199",
    )
    data.add(
        "project",
        "HIMSS",
        client_id=acme,
        name="Acme at HIMSS",
        venue="LVCC West Hall",
        start_date=date(2026, 3, 9),
        end_date=date(2026, 3, 14),
        status="quoted",
        account_manager="Sam Ortiz",
        project_manager="Lee Park",
        labour_rule_set_id=lvcc,
    )
    full = data.add(
        "estimate",
        "Full booth",
        project_id=ref("project", "HIMSS"),
        name="Full booth",
        position=0,
        notes="Rev A for the client call",
        target_margin_pct=D(35),
        contingency_pct=D(5),
        discount_pct=D("2.5"),
        tax_pct=D("8.25"),
    )
    half = data.add(
        "estimate",
        "Half booth",
        project_id=ref("project", "HIMSS"),
        name="Half booth",
        position=1,
        notes="",
        target_margin_pct=D(30),
        contingency_pct=D(0),
        discount_pct=D(0),
        tax_pct=D(0),
    )
    data.add(
        "estimate",
        "Dropped idea",
        project_id=ref("project", "HIMSS"),
        name="Dropped idea",
        position=2,
        notes="",
        target_margin_pct=D(0),
        contingency_pct=D(0),
        discount_pct=D(0),
        tax_pct=D(0),
        deleted_at=_EDITED,
    )
    for position, (name, estimate) in enumerate(
        [
            ("Video wall", "Full booth"),
            ("Rigging", "Full booth"),
            ("Crew", "Full booth"),
            ("Old ideas", "Full booth"),
        ]
    ):
        data.add(
            "section",
            name,
            estimate_id=ref("estimate", estimate),
            position=position,
            name=name,
            client_description=f"{name}, as the client reads it",
            deleted_at=_EDITED if name == "Old ideas" else None,
        )
    data.add("section", "Half wall", estimate_id=half, position=0, name="Video wall", client_description="")
    # Full booth, line by line (units × rate; half up to the cent):
    _line(
        data,
        "Panels",
        "Video wall",
        0,
        quantity=D(24),
        days=D(3),
        unit="panel",
        unit_cost=D("18.00"),
        price_basis="unit_price",
        unit_price=D("35.00"),
        catalog_item_id=panel,
        client_description="LED video panels",
    )  # 72 units: cost 1296.00, price 2520.00
    _line(
        data,
        "Tape",
        "Video wall",
        1,
        kind="purchase",
        quantity=D(12),
        unit="roll",
        unit_cost=D("7.35"),
        price_basis="margin",
        margin_pct=D(35),
    )  # cost 88.20, price 88.20 / 0.65 = 135.69
    _line(data, "Tape, cancelled", "Video wall", 2, unit_cost=D(999), deleted_at=_EDITED)  # not counted
    _line(
        data,
        "Motors",
        "Rigging",
        0,
        kind="subrental",
        quantity=D(8),
        days=D(3),
        unit_cost=D("150.00"),
        markup_pct=D(40),
        supplier_id=rigger,
        catalog_item_id=motor,
    )  # cost 3600.00, price 5040.00
    _line(
        data,
        "Trucking",
        "Rigging",
        1,
        kind="freight",
        unit="trip",
        unit_cost=D("2400.00"),
        markup_pct=D(20),
        price_override=D("2750.00"),
    )  # cost 2400.00, 2880.00 overridden: 2750.00
    _line(
        data,
        "Rigging plot",
        "Rigging",
        2,
        kind="fee",
        unit="h",
        unit_cost=D("60.00"),
        price_basis="unit_price",
        unit_price=D("110.00"),
        optional=True,
    )  # add-on: cost 60, price 110
    # 4 × 2 days × 10 h under LVCC: 8 + 2 × 1.5 = 11 h a day → 88 units: cost 4840.00, price 7480.00
    _line(
        data,
        "Stagehands",
        "Crew",
        0,
        kind="labour",
        quantity=D(4),
        days=D(2),
        hours=D(10),
        unit="person",
        unit_cost=D("55.00"),
        price_basis="unit_price",
        unit_price=D("85.00"),
        role_id=hand,
    )
    # 1 × 3 days × 14 h, the line's own rules: 8 + 4 × 1.5 + 2 × 2 = 18 h a day → 54 units:
    # cost 3510.00, price 5940.00
    _line(
        data,
        "A1",
        "Crew",
        1,
        kind="labour",
        quantity=D(1),
        days=D(3),
        hours=D(14),
        unit="person",
        unit_cost=D("65.00"),
        price_basis="unit_price",
        unit_price=D("110.00"),
        role_id=a1,
        labour_rule_set_id=lvcc,
    )
    _line(data, "Old idea", "Old ideas", 0, unit_cost=D(500), markup_pct=D(10))  # deleted section
    # subtotal 23865.69; contingency 5 % 1193.28; discount 2.5 % of 25058.97 = 626.47;
    # net 24432.50; tax 8.25 % 2015.68; total 26448.18. With the add-on: subtotal 23975.69 →
    # 1198.78, 629.36, net 24545.11, tax 2024.97 → 26570.08.
    data.totals[full] = expected("15734.20", "23865.69", "26448.18", "110.00", "26570.08")
    # Half booth: 12 panels × 3 days × 35.00 = 1260.00 (cost 648.00); 2 stagehands × 6 h
    # (above the 4 h minimum, straight) = 12 units → cost 660.00, price 1020.00. No adjustments.
    _line(
        data,
        "Half panels",
        "Half wall",
        0,
        quantity=D(12),
        days=D(3),
        unit="panel",
        unit_cost=D("18.00"),
        price_basis="unit_price",
        unit_price=D("35.00"),
        catalog_item_id=panel,
    )
    _line(
        data,
        "Half hands",
        "Half wall",
        1,
        kind="labour",
        quantity=D(2),
        hours=D(6),
        unit="person",
        unit_cost=D("55.00"),
        price_basis="unit_price",
        unit_price=D("85.00"),
        role_id=hand,
    )
    data.totals[half] = expected("1308.00", "2280.00", "2280.00", "0", "2280.00")


def _generated_0001(data: DataSet, n: int) -> None:
    """Estimate n: k = 1 + n % 5 panels × 2 days at 35.00, a 450.00 service at 25 % markup,
    an optional 110.00 fee; 10 % tax (see :func:`generated_totals`)."""
    project = f"Generated {n // GENERATED_PER_PROJECT}"
    if n % GENERATED_PER_PROJECT == 0:
        client = data.add("client", project, name=f"Client of {project}", notes="")
        data.add(
            "project",
            project,
            client_id=client,
            name=project,
            venue="Hall",
            start_date=None,
            end_date=None,
            status="lead",
            account_manager="AM",
            project_manager="PM",
            labour_rule_set_id=None,
        )
    key = f"Generated estimate {n}"
    data.add(
        "estimate",
        key,
        project_id=ref("project", project),
        name=key,
        position=n % GENERATED_PER_PROJECT,
        notes=f"notes {n}",
        target_margin_pct=D(30),
        contingency_pct=D(0),
        discount_pct=D(0),
        tax_pct=D(10),
    )
    data.add("section", key, estimate_id=ref("estimate", key), position=0, name="Main", client_description="")
    _line(
        data,
        f"{key} panels",
        key,
        0,
        quantity=D(1 + n % 5),
        days=D(2),
        unit_cost=D("18.00"),
        price_basis="unit_price",
        unit_price=D("35.00"),
    )
    _line(data, f"{key} service", key, 1, kind="supplier", unit_cost=D("450.00"), markup_pct=D(25))
    _line(
        data,
        f"{key} fee",
        key,
        2,
        kind="fee",
        unit_cost=D("60.00"),
        price_basis="unit_price",
        unit_price=D("110.00"),
        optional=True,
    )
    data.totals[ref("estimate", key)] = generated_totals(n)


def generated_totals(n: int) -> dict[str, Decimal]:
    """Generated estimate n: subtotal 70.00 k + 562.50, total × 1.1 (k = 1 + n % 5)."""
    k = 1 + n % 5
    total = D("77.00") * k + D("618.75")
    return expected(
        str(D(36) * k + D(450)),
        str(D("70.00") * k + D("562.50")),
        str(total),
        "110.00",
        str(total + D("121.00")),
    )


# -- 0002: who has the file open, and the change counter ------------------------------------------


def _demo_0002(data: DataSet) -> None:
    # The migration writes the counter's one row; Tandem bumped it on every commit since.
    data.tables["changecounter"] = {1: {"id": 1, "counter": 4711}}
    # A Tandem that crashed leaves its presence row behind.
    data.add(
        "presence",
        "crashed",
        record=False,
        user_name="sam",
        host="office-imac",
        pid=4242,
        app_version="0.2.0",
        started_at=_STAMP,
        heartbeat_at=_EDITED,
    )


# -- 0003: labour calls (dates, times, phases, richer rules) and the crew --------------------------


def _demo_0003(data: DataSet) -> None:
    # The LVCC rules get the new columns at values that change none of its calls.
    data.set(
        "labourruleset",
        "LVCC",
        weekly_overtime_after_hours=None,
        weekend_multiplier=D(1),
        holiday_multiplier=D(1),
        meal_break_after_hours=None,
        meal_break_minutes=0,
        min_turnaround_hours=D(10),
    )
    union = data.add(
        "labourruleset",
        "Union",
        name="Union weekend crew",
        min_call_hours=D(5),
        overtime_after_hours=D(8),
        overtime_multiplier=D("1.5"),
        double_time_after_hours=D(10),
        double_time_multiplier=D(2),
        weekly_overtime_after_hours=D(40),
        weekend_multiplier=D("1.5"),
        holiday_multiplier=D(2),
        meal_break_after_hours=D(5),
        meal_break_minutes=30,
        min_turnaround_hours=D(8),
    )
    data.add("labourholiday", "St Patrick", rule_set_id=union, day=date(2026, 3, 17), name="St Patrick's")
    data.set("role", "Stagehand", day_cost_rate=D("440.00"), day_bill_rate=D("680.00"))
    # Monday 08:00–18:00 is the 10 h the line had: LVCC pays every day alike, so nothing changes.
    data.set(
        "lineitem",
        "Stagehands",
        phase="load_in",
        call_date=date(2026, 3, 9),
        start_time=time(8, 0),
        end_time=time(18, 0),
    )
    data.set("lineitem", "A1", phase="show")
    # Saturday 22:00–06:00 under the union rules: 8 h less a 30 min meal = 7.5 h straight × 1.5
    # (weekend) = 11.25 h; 3 people → 33.75 units: cost × 48.00 = 1620.00, price × 80.00 = 2700.00
    strike = _line(
        data,
        "Strike crew",
        "Crew",
        2,
        kind="labour",
        quantity=D(3),
        unit="person",
        unit_cost=D("48.00"),
        price_basis="unit_price",
        unit_price=D("80.00"),
        role_id=ref("role", "Stagehand"),
        labour_rule_set_id=union,
        phase="strike",
        call_date=date(2026, 3, 14),
        start_time=time(22, 0),
        end_time=time(6, 0),
    )
    # Full booth: subtotal 26565.69; 1328.28; discount 2.5 % of 27893.97 = 697.35; net 27196.62;
    # tax 2243.72 → 29440.34. With the add-on: 26675.69 → 1333.78, 700.24, 27309.23, 2253.01 → 29562.24
    full = ref("estimate", "Full booth")
    data.totals[full] = expected("17354.20", "26565.69", "29440.34", "110.00", "29562.24")
    for name, kind, hours in [("Jo Bauer", "union", D(50)), ("Max Ortiz", "staff", None)]:
        member = data.add(
            "crewmember",
            name,
            name=name,
            kind=kind,
            email=f"{name[:2].lower()}@crew.example",
            phone="+1 702 555 0100",
            max_weekly_hours=hours,
            notes=f"{name} drives the truck",
        )
        data.add(
            "crewrole",
            name,
            crew_member_id=member,
            role_id=ref("role", "Stagehand"),
            cost_rate_override=D("52.50") if hours else None,
        )
        data.add("crewunavailability", name, crew_member_id=member, day=date(2026, 3, 12), reason="Wedding")
        data.add(
            "crewassignment",
            name,
            crew_member_id=member,
            project_id=ref("project", "HIMSS"),
            line_item_id=strike,
            role_id=ref("role", "Stagehand"),
            starts_at=datetime(2026, 3, 14, 22, 0),
            ends_at=datetime(2026, 3, 15, 6, 0),
            status="confirmed" if hours else "tentative",
            notes="Bring gloves",
        )


def _generated_0003(data: DataSet, n: int) -> None:
    data.set("lineitem", f"Generated estimate {n} panels", phase="show")


# -- 0004: parameters and formulas, scenarios, budget ranges, alternatives, quote revisions --------


def _demo_0004(data: DataSet) -> None:
    full = ref("estimate", "Full booth")
    data.set("estimate", "Full booth", margin_floor_pct=D(20), quote_number="Q2026-0014")
    data.set("estimate", "Half booth", based_on_id=full)
    for position, (name, value, formula) in enumerate(
        [
            ("panels_wide", D(8), ""),
            ("panels_high", D(3), ""),
            ("panels", D(24), "panels_wide * panels_high"),
            ("show_days", D(3), ""),
        ]
    ):
        data.add(
            "estimateparameter",
            name,
            estimate_id=full,
            position=position,
            name=name,
            value=value,
            formula=formula,
            unit="panels" if "panels" in name else "days",
            description=f"{name.replace('_', ' ')} of the wall",
        )
    data.add(
        "quoterevision",
        "Full booth 1",
        estimate_id=full,
        number=1,
        sent_at=_EDITED,
        sent_by="Sam Ortiz",
        note="First send",
        total=D("29440.34"),
        snapshot='{"format": 1, "totals": {"total": "29440.34"}}',
    )
    # The formulas give the quantities the lines hold; ranges and alternatives leave the total.
    data.set("lineitem", "Panels", quantity_formula="panels", days_formula="show_days")
    data.set("lineitem", "Tape", range_low_pct=D(5), range_high_pct=D(10))  # 128.91 … 149.26
    data.set("section", "Rigging", range_low_pct=D(10), range_high_pct=D(15))  # motors 4536.00 … 5796.00
    data.set("lineitem", "Trucking", range_low=D("2600.00"), range_high=D("2900.00"))  # its own range
    data.set("lineitem", "Motors", alternative_group="rigging", alternative_chosen=True)
    _line(
        data,
        "Ground support",
        "Rigging",
        3,
        kind="subrental",
        quantity=D(4),
        days=D(3),
        unit_cost=D("300.00"),
        markup_pct=D(30),
        supplier_id=ref("supplier", "SkyPoint"),
        alternative_group="rigging",
    )  # not chosen: in no total
    data.add(
        "section",
        "Upgrades",
        estimate_id=full,
        position=4,
        name="Upgrades",
        client_description="",
        optional=True,
    )
    # An optional section: 10 × 3 days × 40.00 = 1200.00 more in add-ons (cost 600.00, not in cost)
    _line(
        data,
        "LED floor",
        "Upgrades",
        0,
        quantity=D(10),
        days=D(3),
        unit_cost=D("20.00"),
        price_basis="unit_price",
        unit_price=D("40.00"),
    )
    # Low: 2520 + 128.91 + 4536 + 2600 + 7480 + 5940 + 2700 = 25904.91 → 1295.25, 680.00,
    # net 26520.16, tax 2187.91 → 28708.07. High: 27485.26 → 1374.26, 721.49, 28138.03,
    # 2321.39 → 30459.42. With add-ons (1310.00): 27875.69 → 1393.78, 731.74, 28537.73, 2354.36 → 30892.09
    data.totals[full].update(
        optional_price=D("1310.00"),
        with_addons=D("30892.09"),
        range_low=D("28708.07"),
        range_high=D("30459.42"),
    )


def _generated_0004(data: DataSet, n: int) -> None:
    data.set("estimate", f"Generated estimate {n}", quote_number=f"G-{n}")


# -- 0005: company settings, client billing, main contacts, project details, catalog and suppliers --


def _demo_0005(data: DataSet) -> None:
    data.set(
        "company",
        "Northlight",
        address="2400 Industrial Rd\nLas Vegas, NV 89102",
        phone="+1 702 555 0100",
        email="quotes@northlight.example",
        logo="iVBORw0KGgo=",  # base64 text, stored as it was given
        tax_label="Sales tax",
        default_markup_pct=D(30),
        target_margin_pct=D(35),
        margin_floor_pct=D(20),
        contingency_pct=D(5),
        quote_number_pattern="NL-{year}-{seq:03}",
        quote_validity_days=60,
    )
    data.set("client", "Acme", billing_address="1 Acme Way\nBoston, MA 02110", industry="Medical devices")
    data.set("contact", "Priya", is_main=True)
    data.add(
        "contact",
        "Omar",
        client_id=ref("client", "Acme"),
        name="Omar Haddad",
        title="Procurement",
        email="omar@acme.example",
        phone="",
        is_main=False,
    )
    data.set(
        "project",
        "HIMSS",
        show_start_date=date(2026, 3, 10),
        show_end_date=date(2026, 3, 13),
        contact_id=ref("contact", "Priya"),
        notes="Booth 4821, corner; union hall.",
        chosen_estimate_id=ref("estimate", "Full booth"),
    )
    data.add(
        "project",
        "RSNA",
        client_id=ref("client", "Acme"),
        name="Acme at RSNA",
        venue="McCormick Place",
        start_date=date(2026, 11, 28),
        end_date=date(2026, 12, 3),
        status="lost",
        account_manager="Sam Ortiz",
        project_manager="",
        labour_rule_set_id=None,
        contact_id=ref("contact", "Omar"),
        lost_reason="Went with another vendor",
    )
    data.set("supplier", "SkyPoint", supplies="Rigging, motors, truss", payment_terms="Net 30",
             notes="Needs the hall's rigging plot.")
    data.set("catalogitem", "panel", description="ROE CB5 500 mm panel", notes="Carry 10 % spares")
    # Consumables, Rigging and Video came from the items (_categories_0005); one more of this revision:
    data.add("catalogcategory", "Scenic", name="Scenic", position=3)
    for position, name in enumerate(("Price", "Went with another vendor", "Event cancelled")):
        data.add("lostreason", name, name=name, position=position)


_CATEGORY_NAMESPACE = uuid.UUID("0b7e6c1a-3f52-4d0e-9a61-5c8f0e0c0005")  # as migration 0005 has it


def _categories_0005(data: DataSet) -> None:
    """What 0005 writes on upgrade: a category row per category the live items name, A–Z."""
    first: dict[str, tuple[str, datetime]] = {}
    for item in data.rows("catalogitem"):
        name = str(item["category"]).strip()
        if item["deleted_at"] is None and name:
            spelling, since = first.get(name.lower(), (name, item["created_at"]))
            first[name.lower()] = (min(spelling, name), min(since, item["created_at"]))
    for position, key in enumerate(sorted(first)):
        name, since = first[key]
        row_id = uuid.uuid5(_CATEGORY_NAMESPACE, key)
        data.tables.setdefault("catalogcategory", {})[row_id] = {
            "id": row_id, "created_at": since, "updated_at": since, "version": 1, "deleted_at": None,
            "name": name, "position": position}


def _generated_0005(data: DataSet, n: int) -> None:
    if n % GENERATED_PER_PROJECT == 0:
        data.set("project", f"Generated {n // GENERATED_PER_PROJECT}", status="estimating",
                 notes=f"Generated project {n}")


# -- 0006: the client quote's choices (contingency as a line, the budget range printed) -------------


def _demo_0006(data: DataSet) -> None:
    # The Full booth folds its contingency into the line prices (and prints its budget range);
    # the Half booth shows its contingency as a line and prints no range.
    data.set("estimate", "Full booth", show_contingency_line=False, show_budget_range=True)
    data.set("estimate", "Half booth", show_contingency_line=True, show_budget_range=False)


def _generated_0006(data: DataSet, n: int) -> None:
    if n % 2:
        data.set("estimate", f"Generated estimate {n}", show_contingency_line=False, show_budget_range=False)


# -- 0007: equipment stock, sub-rental rates, catalog kits, kit and sub-rental links on lines ------


def _demo_0007(data: DataSet) -> None:
    stock = data.add(
        "equipmentitem",
        "panels",
        name="ROE CB5 panel stock",
        category="Video",
        owned_quantity=D(400),
        out_of_service_quantity=D(8),
        out_of_service_from=date(2026, 2, 1),
        out_of_service_until=date(2026, 3, 6),
        day_cost=D("4.50"),
        replacement_value=D("1850.00"),
        list_price=D("35.00"),
        weight_kg=D("7.6"),
        catalog_item_id=ref("catalogitem", "panel"),
        prep_days=1,
        return_days=2,
        notes="Two cases in repair",
    )
    data.add("subrentalrate", "panels from SkyPoint", equipment_item_id=stock,
             supplier_id=ref("supplier", "SkyPoint"), day_cost=D("22.50"), notes="Quoted by phone")
    kit = data.add(
        "catalogitem",
        "wall kit",
        name="LED wall 10 × 15 kit",
        category="Video",
        kind="equipment",
        client_description="LED video wall, 10 × 15 ft",
        unit="kit",
        unit_cost=D(0),
        price_basis="markup",
        markup_pct=D(0),
        unit_price=None,
        margin_pct=None,
        supplier_id=None,
        role_id=None,
        description="",
        notes="",
        is_kit=True,
        kit_shows_components=True,
    )
    data.add("kitcomponent", "wall kit panels", kit_id=kit, component_id=ref("catalogitem", "panel"),
             quantity_per_kit=D(24), position=0)
    data.add("kitcomponent", "wall kit tape", kit_id=kit, component_id=ref("catalogitem", "tape"),
             quantity_per_kit=D("0.5"), position=1)
    # The Full booth's tape goes with its panels (shown as lines of their own, so the client
    # reads the quote as before); a deleted line was the sub-rental of the panels' shortage.
    data.set("lineitem", "Panels", shows_components=True)
    data.set("lineitem", "Tape", kit_line_id=ref("lineitem", "Panels"))
    data.set("lineitem", "Tape, cancelled", subrental_of_id=ref("lineitem", "Panels"))


def _generated_0007(data: DataSet, n: int) -> None:
    """Each generated project has a stock item (unlinked: the demo's panels are sold by the catalog
    item) with a sub-rental rate; every fourth estimate's service line is a component of its panels
    line, shown to the client (the totals do not change)."""
    project = f"Generated {n // GENERATED_PER_PROJECT}"
    if n % GENERATED_PER_PROJECT == 0:
        stock = data.add(
            "equipmentitem",
            project,
            name=f"Stock of {project}",
            category="Video",
            owned_quantity=D(10 + n // GENERATED_PER_PROJECT),
            out_of_service_quantity=D(1),
            out_of_service_from=None,
            out_of_service_until=date(2026, 4, 30),
            day_cost=D("3.25"),
            replacement_value=D("900.00"),
            list_price=None,
            weight_kg=None,
            catalog_item_id=None,
            prep_days=n % 3,
            return_days=0,
            notes="",
        )
        data.add("subrentalrate", project, equipment_item_id=stock, supplier_id=ref("supplier", "SkyPoint"),
                 day_cost=D("5.75"), notes="")
    if n % 4 == 0:
        key = f"Generated estimate {n}"
        data.set("lineitem", f"{key} panels", shows_components=True)
        data.set("lineitem", f"{key} service", kit_line_id=ref("lineitem", f"{key} panels"))


# -- 0008: supplier quotes, line quote candidates, orders, project types, milestones ------------


def _demo_0008(data: DataSet) -> None:
    """SkyPoint quoted the motors (the line follows the item at its stored cost, so totals do not
    change; a rival item stays a candidate); the Full booth has a sent sub-rental order, HIMSS is an
    exhibit booth with two milestones from its template, one done."""
    data.set("supplier", "SkyPoint", weekdays_only=True)
    quote = data.add("supplierquote", "SkyPoint motors", supplier_id=ref("supplier", "SkyPoint"),
                     number="SP-2041", quote_date=date(2026, 1, 12), valid_until=date(2026, 2, 11),
                     lead_time_days=7, transit_days=2, notes="Call Dana before ordering",
                     file_path="//share/quotes/SP-2041.pdf")
    motors = data.add("supplierquoteitem", "SkyPoint motors", supplier_quote_id=quote, position=0,
                      description="1-ton chain motor, per day", unit="ea", unit_cost=D("150.00"),
                      catalog_item_id=ref("catalogitem", "motor"))
    rival = data.add("supplierquoteitem", "SkyPoint motors, fewer", supplier_quote_id=quote, position=1,
                     description="Half-ton motor", unit="ea", unit_cost=D("120.00"), catalog_item_id=None)
    data.add("supplierquotebreak", "SkyPoint motors 10+", item_id=motors, min_quantity=D(10),
             unit_cost=D("140.00"))
    data.set("lineitem", "Motors", supplier_quote_item_id=motors)
    data.add("linequotecandidate", "Motors SkyPoint", line_item_id=ref("lineitem", "Motors"),
             supplier_quote_item_id=motors, position=0, notes="")
    data.add("linequotecandidate", "Motors rival", line_item_id=ref("lineitem", "Motors"),
             supplier_quote_item_id=rival, position=1, notes="Cheaper, too light")
    order = data.add("supplierorder", "Full booth SkyPoint", project_id=ref("project", "HIMSS"),
                     estimate_id=ref("estimate", "Full booth"), supplier_id=ref("supplier", "SkyPoint"),
                     kind="subrental", number="PO-2026-0001", status="sent", need_by=date(2026, 3, 4),
                     order_by=date(2026, 2, 23), delivery_address="Venetian Expo, Hall C",
                     notes="Deliver to dock 4", sent_at=_EDITED)
    data.add("supplierorderline", "Full booth SkyPoint motors", order_id=order,
             line_item_id=ref("lineitem", "Motors"), position=0, description="Motors", quantity=D(8),
             unit="ea", days=D(3), unit_cost=D("150.00"), cost=D("3600.00"))
    booth = data.add("projecttype", "Exhibit booth", name="Exhibit booth", position=0)
    data.add("milestonetemplate", "Booth design approval", project_type_id=booth, position=0,
             name="Design approval", kind="design_approval", anchor="load_in", offset_days=-42,
             duration_days=0, owner="AM")
    data.add("milestonetemplate", "Booth freight", project_type_id=booth, position=1,
             name="Advance freight window", kind="freight_window", anchor="load_in", offset_days=-30,
             duration_days=25, owner="PM")
    data.set("project", "HIMSS", project_type_id=booth)
    data.add("milestone", "HIMSS design approval", project_id=ref("project", "HIMSS"), position=0,
             name="Design approval", kind="design_approval", anchor="load_in", offset_days=-42,
             fixed_date=None, duration_days=0, owner="AM", done=True, done_at=_EDITED, notes="Signed")
    data.add("milestone", "HIMSS invoice", project_id=ref("project", "HIMSS"), position=1,
             name="Invoice", kind="invoice", anchor="", offset_days=0, fixed_date=date(2026, 3, 20),
             duration_days=0, owner="AM", done=False, done_at=None, notes="")


def _generated_0008(data: DataSet, n: int) -> None:
    """Each generated project has one open milestone two weeks before load-in."""
    project = f"Generated {n // GENERATED_PER_PROJECT}"
    if n % GENERATED_PER_PROJECT == 0:
        data.add("milestone", project, project_id=ref("project", project), position=0, name="Ship",
                 kind="ship", anchor="load_in", offset_days=-14, fixed_date=None, duration_days=0,
                 owner="PM", done=False, done_at=None, notes="")


# -- 0009: pipeline stages, activities, a project's win probability, decision date and brief ----

_STAGE_NAMESPACE = uuid.UUID("8f0c2a4e-5b1d-4c3e-9a7f-0d6e2b1c9a09")  # as migration 0009 names them
_STAGES_WRITTEN = datetime(2026, 12, 2, tzinfo=UTC)


def _stage_ref(status: str) -> uuid.UUID:
    return uuid.uuid5(_STAGE_NAMESPACE, f"pipelinestage/{status}")


def _stages_0009(data: DataSet) -> None:
    """What 0009 writes on upgrade: the five open stages with their default probability."""
    for position, (status, probability, stale) in enumerate(
        (("lead", D(10), 14), ("estimating", D(25), 14), ("quoted", D(50), 10), ("won", D(100), 30),
         ("in_production", D(100), 30))
    ):
        row_id = _stage_ref(status)
        data.tables.setdefault("pipelinestage", {})[row_id] = {
            "id": row_id, "created_at": _STAGES_WRITTEN, "updated_at": _STAGES_WRITTEN, "version": 1,
            "deleted_at": None, "status": status, "position": position, "win_probability_pct": probability,
            "stale_after_days": stale}


def _demo_0009(data: DataSet) -> None:
    """The company counts a quoted job at 60 %; HIMSS has its own 70 %, a decision date, a brief and
    three activities: the logged quote, a call done, and a follow-up due; Acme has a client note."""
    quoted = data.tables["pipelinestage"][_stage_ref("quoted")]
    quoted.update(win_probability_pct=D("60.5"), stale_after_days=7, version=2, updated_at=_EDITED)
    data.set("project", "HIMSS", win_probability_pct=D(70), decision_date=date(2026, 2, 20),
             brief_goals="Launch the new scanner line", brief_audience="Radiologists, 4,000 a day",
             brief_venue_notes="Hall C rigging points every 10 m", brief_dates="Doors 9:00 on the 10th",
             brief_budget=D("125000.00"), brief_must_haves="LED wall, demo pods",
             brief_competitors="Brightline, Stagecraft")
    himss, acme = ref("project", "HIMSS"), ref("client", "Acme")
    data.add("activity", "HIMSS quote sent", project_id=himss, client_id=None,
             contact_id=ref("contact", "Priya"), kind="quote_sent", subject="Quote 1 sent", notes="",
             owner="Sam Ortiz", due_date=None, done=True, done_at=_EDITED,
             estimate_id=ref("estimate", "Full booth"), revision_id=ref("quoterevision", "Full booth 1"))
    data.add("activity", "HIMSS call", project_id=himss, client_id=None, contact_id=None, kind="call",
             subject="Walk through the options", notes="Wants the half booth priced too", owner="Sam Ortiz",
             due_date=date(2026, 2, 10), done=True, done_at=_STAMP, estimate_id=None, revision_id=None)
    data.add("activity", "HIMSS follow-up", project_id=himss, client_id=None, contact_id=None,
             kind="follow_up", subject="Chase the decision", notes="", owner="Sam Ortiz",
             due_date=date(2026, 2, 19), done=False, done_at=None, estimate_id=None, revision_id=None)
    data.add("activity", "Acme note", project_id=None, client_id=acme, contact_id=None, kind="note",
             subject="New events director from March", notes="", owner="", due_date=None, done=False,
             done_at=None, estimate_id=None, revision_id=None)


def _generated_0009(data: DataSet, n: int) -> None:
    """Each generated project has a follow-up owed by its AM and counts at 35 %."""
    project = f"Generated {n // GENERATED_PER_PROJECT}"
    if n % GENERATED_PER_PROJECT == 0:
        data.set("project", project, win_probability_pct=D(35))
        data.add("activity", project, project_id=ref("project", project), client_id=None, contact_id=None,
                 kind="follow_up", subject="Call back", notes="", owner="AM", due_date=date(2026, 4, 1),
                 done=False, done_at=None, estimate_id=None, revision_id=None)


LAYERS: dict[str, Layer] = {
    "0001": Layer({}, _demo_0001, _generated_0001),
    "0002": Layer({}, _demo_0002),
    "0003": Layer(
        {
            "labourruleset": {
                "weekly_overtime_after_hours": None,
                "weekend_multiplier": D(1),
                "holiday_multiplier": D(1),
                "meal_break_after_hours": None,
                "meal_break_minutes": 0,
                "min_turnaround_hours": None,
            },
            "lineitem": {"phase": "", "call_date": None, "start_time": None, "end_time": None},
            "role": {"day_cost_rate": None, "day_bill_rate": None},
        },
        _demo_0003,
        _generated_0003,
    ),
    "0004": Layer(
        {
            "estimate": {"margin_floor_pct": D(0), "based_on_id": None, "quote_number": ""},
            "lineitem": {
                "quantity_formula": "",
                "days_formula": "",
                "range_low_pct": None,
                "range_high_pct": None,
                "range_low": None,
                "range_high": None,
                "alternative_group": "",
                "alternative_chosen": False,
            },
            "section": {"optional": False, "range_low_pct": None, "range_high_pct": None},
        },
        _demo_0004,
        _generated_0004,
    ),
    "0005": Layer(
        {
            "catalogitem": {"description": "", "notes": ""},
            "client": {"billing_address": "", "industry": ""},
            "company": {
                "address": "",
                "phone": "",
                "email": "",
                "logo": "",
                "tax_label": "Tax",
                "default_markup_pct": D(0),
                "target_margin_pct": D(0),
                "margin_floor_pct": D(0),
                "contingency_pct": D(0),
                "quote_number_pattern": "Q{year}-{seq:04}",
                "quote_validity_days": 30,
            },
            "contact": {"is_main": False},
            "project": {
                "show_start_date": None,
                "show_end_date": None,
                "contact_id": None,
                "notes": "",
                "lost_reason": "",
                "chosen_estimate_id": None,
            },
            "supplier": {"supplies": "", "payment_terms": "", "notes": ""},
        },
        _demo_0005,
        _generated_0005,
        _categories_0005,
    ),
    "0006": Layer(
        {"estimate": {"show_contingency_line": True, "show_budget_range": True}},
        _demo_0006,
        _generated_0006,
    ),
    "0007": Layer(
        {
            "catalogitem": {"is_kit": False, "kit_shows_components": False},
            "lineitem": {"kit_line_id": None, "shows_components": False, "subrental_of_id": None},
        },
        _demo_0007,
        _generated_0007,
    ),
    "0008": Layer(
        {
            "lineitem": {"supplier_quote_item_id": None},
            "project": {"project_type_id": None},
            "supplier": {"weekdays_only": False},
        },
        _demo_0008,
        _generated_0008,
    ),
    "0009": Layer(
        {
            "project": {
                "win_probability_pct": None,
                "decision_date": None,
                "brief_goals": "",
                "brief_audience": "",
                "brief_venue_notes": "",
                "brief_dates": "",
                "brief_budget": None,
                "brief_must_haves": "",
                "brief_competitors": "",
            },
        },
        _demo_0009,
        _generated_0009,
        _stages_0009,
    ),
    # The search index: FTS5 tables and triggers, or trigram indexes; no record changes.
    "0010": Layer({}, lambda data: None),
}


def dataset(revision: str, generated: int = 0) -> DataSet:
    """What a Tandem of ``revision`` stored: the demo, plus ``generated`` more estimates."""
    data = DataSet(revision)
    for name, layer in LAYERS.items():
        _migrate_rows(data, layer)
        layer.demo(data)
        for n in range(generated):
            layer.generated(data, n)
        if name == revision:
            return data
    raise KeyError(f"no data layer for revision {revision}")


def upgraded(data: DataSet, target: str) -> DataSet:
    """The rows ``data`` should hold once upgraded to ``target``: later columns at their defaults."""
    names = list(LAYERS)
    tables = {
        table: {row_id: dict(row) for row_id, row in rows.items()} for table, rows in data.tables.items()
    }
    expected = DataSet(target, tables, data.totals)
    for name in names[names.index(data.revision) + 1 : names.index(target) + 1]:
        _migrate_rows(expected, LAYERS[name])
    return expected


def _migrate_rows(data: DataSet, layer: Layer) -> None:
    """What a migration does to the rows already there: its new columns at their upgrade values."""
    for table, columns in layer.new_columns.items():
        data.defaults.setdefault(table, {}).update(columns)
        for row in data.rows(table):
            row.update(columns)
    layer.rows(data)


# -- plain SQL ---------------------------------------------------------------------------------


def _sql_type(values: Iterable[Any]) -> sa.types.TypeEngine[Any]:
    """The column type of a column's Python values: what Tandem stored them as."""
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, datetime):
        return UTCDateTime() if sample.tzinfo else sa.DateTime()
    for python, column in (
        (bool, sa.Boolean()),
        (int, sa.Integer()),
        (Decimal, ExactDecimal()),
        (uuid.UUID, sa.Uuid()),
        (date, sa.Date()),
        (time, sa.Time()),
        (str, sa.Text()),
    ):
        if isinstance(sample, python):
            return column
    return sa.types.NullType()


def table_of(name: str, rows: list[Row]) -> sa.TableClause:
    """An ad-hoc table of the columns ``rows`` have, typed from their values."""
    columns = list(dict.fromkeys(c for row in rows for c in row))
    return sa.table(name, *(sa.column(c, _sql_type(row.get(c) for row in rows)) for c in columns))


def write(conn: Connection, data: DataSet) -> None:
    """Replace the rows of every table ``data`` has, parents first, with plain INSERTs.

    Parents first by the head schema's keys (a later layer may give an earlier table a key to a
    table it adds, as 0008 gives project one to projecttype)."""
    order = {table.name: n for n, table in enumerate(metadata.sorted_tables)}
    for name, by_id in sorted(data.tables.items(), key=lambda item: order.get(item[0], len(order))):
        rows = list(by_id.values())
        table = table_of(name, rows)
        conn.execute(sa.delete(table))
        for start in range(0, len(rows), 5000):
            conn.execute(sa.insert(table), rows[start : start + 5000])


def differences(conn: Connection, expected: DataSet, limit: int = 10) -> list[str]:
    """How the database differs from ``expected``: rows missing, extra or changed, one line each."""
    found: list[str] = []
    for name, by_id in expected.tables.items():
        rows = list(by_id.values())
        table = table_of(name, rows)
        names = list(table.c.keys())
        stored = {row.id: tuple(row) for row in conn.execute(sa.select(table))}
        for row_id, row in by_id.items():
            actual = stored.pop(row_id, None)
            if actual is None:
                found.append(f"{name} {row_id}: missing")
            elif actual != tuple(row.get(c) for c in names):  # each column read back as its type
                found.extend(
                    f"{name} {row_id}.{column}: {got!r}, expected {row.get(column)!r}"
                    for column, got in zip(names, actual, strict=True)
                    if got != row.get(column)
                )
        found.extend(f"{name} {row_id}: not expected" for row_id in stored)
        if len(found) >= limit:
            break
    return found[:limit]


def engine_for(target: str) -> Engine:
    """A plain engine on a file or a server, as a Tandem of any revision would have used."""
    if storage.is_url(target):
        return sa.create_engine(storage.server_url(target))
    return sa.create_engine(storage.sqlite_url(Path(target)))


def build(target: str, revision: str, generated: int = 0) -> DataSet:
    """A new database at ``revision`` holding what its Tandem stored; the data written."""
    data = dataset(revision, generated)
    engine = engine_for(target)
    try:
        with engine.begin() as conn:  # a plain engine: foreign keys off on SQLite, as migrations need
            migrate.upgrade(conn, revision)
            write(conn, data)
    finally:
        engine.dispose()
    return data


def total_differences(db: storage.Database, data: DataSet, every: int = 1) -> list[str]:
    """Estimates (every ``every``-th) whose totals, loaded and priced by Tandem, are not those expected."""
    found = []
    for estimate_id, expected in list(data.totals.items())[::every]:
        totals = EstimateDocument(db, estimate_id).totals
        found.extend(
            f"estimate {estimate_id} {name}: {getattr(totals, name)}, expected {value}"
            for name, value in expected.items()
            if getattr(totals, name) != value
        )
    return found
