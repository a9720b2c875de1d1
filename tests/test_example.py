"""The demo database reproduces EXAMPLE.md (the LED ribbon around a 40 × 40 booth) to the cent."""

from __future__ import annotations

import math
import uuid
from decimal import Decimal

import pytest

from app.services.estimate.document import EstimateDocument
from app.services.money import format_money, format_percent, round_money
from app.services.storage.database import Database
from tests.factories import estimate_id

D = Decimal

# EXAMPLE.md's table: (section, internal description) → (cost, price).
FULL_BOOTH_LINES = {
    ("LED screen", "500 mm LED panels, owned"): ("28224.00", "54880.00"),
    ("LED screen", "LED processors, sub-rented from Brightline"): ("1800.00", "2520.00"),
    ("Rigging", "Motor points, SkyPoint quote #SP-2291"): ("7200.00", "9000.00"),
    ("Rigging", "10 ft box truss, owned"): ("960.00", "1600.00"),
    ("Labour", "Stagehands, load-in"): ("4840.00", "7480.00"),
    ("Labour", "Stagehands, strike"): ("2640.00", "4080.00"),
    ("Labour", "Riggers, load-in"): ("1430.00", "2310.00"),
    ("Labour", "Riggers, strike"): ("780.00", "1260.00"),
    ("Labour", "LED technicians (staff), show"): ("2970.00", "6270.00"),
    ("Logistics", "Truck, round trip, RoadRunner Freight"): ("2400.00", "2880.00"),
    ("Management", "Project management"): ("1800.00", "3300.00"),
}
CLIENT_PANE = [
    ("LED screen", D("57400.00")),
    ("Rigging", D("10600.00")),
    ("Labour", D("21400.00")),
    ("Logistics", D("2880.00")),
    ("Management", D("3300.00")),
]
SUPPLIERS = ("Brightline", "SkyPoint", "RoadRunner")


def _lines(doc: EstimateDocument) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    return {
        (s.name, line.description): (line.price.cost, line.price.price)
        for s in doc.sections
        for line in s.lines
    }


def _quantities(length_ft: Decimal) -> dict[str, int]:
    """EXAMPLE.md's formulas for a ribbon ``length_ft`` long and 6 ft high of 500 mm panels."""
    panel_ft, height_ft = D("1.6404"), D(6)
    panels = math.ceil(length_ft / panel_ft) * math.ceil(height_ft / panel_ft)
    return {
        "500 mm LED panels, owned": panels,
        "LED processors, sub-rented from Brightline": math.ceil(D(panels) / 260) + 1,
        "Motor points, SkyPoint quote #SP-2291": math.ceil(length_ft / 10),
        "10 ft box truss, owned": math.ceil(length_ft / 10),
        "Stagehands, load-in": math.ceil(D(panels) / 50),
        "Stagehands, strike": math.ceil(D(panels) / 50),
        "Riggers, load-in": 2,
        "Riggers, strike": 2,
        "LED technicians (staff), show": 2,
        "Truck, round trip, RoadRunner Freight": 1,
        "Project management": 30,
    }


@pytest.fixture
def full(demo_db: Database, full_booth_id: uuid.UUID) -> EstimateDocument:
    return EstimateDocument(demo_db, full_booth_id)


@pytest.fixture
def half(demo_db: Database, half_booth_id: uuid.UUID) -> EstimateDocument:
    return EstimateDocument(demo_db, half_booth_id)


def test_full_booth_header_names_the_example(full: EstimateDocument) -> None:
    h = full.header
    assert (h.company_name, h.currency) == ("Northlight Productions", "USD")
    assert (h.client_name, h.project_name) == ("Vantage Medical", "Vantage @ MedTech Expo")
    assert h.venue == "Las Vegas Convention Center"
    assert (h.account_manager, h.project_manager) == ("Dana Ortiz", "Sam Reyes")
    rules = full.lookups.rule_sets[h.project_rule_set_id]  # type: ignore[index]
    assert rules.name == "LVCC stagehands"
    assert (rules.min_call_hours, rules.overtime_after_hours, rules.overtime_multiplier) == (
        4,
        8,
        D("1.5"),
    )
    assert (rules.double_time_after_hours, rules.double_time_multiplier) == (12, 2)


def test_full_booth_every_line_to_the_cent(full: EstimateDocument) -> None:
    expected = {key: (D(cost), D(price)) for key, (cost, price) in FULL_BOOTH_LINES.items()}
    assert _lines(full) == expected
    assert [s.name for s in full.sections] == [name for name, _ in CLIENT_PANE]
    assert not any(line.price.overridden or line.optional for line in full.lines())


def test_full_booth_quantities_follow_the_example_formulas(full: EstimateDocument) -> None:
    expected = _quantities(D(160))
    assert expected["500 mm LED panels, owned"] == 98 * 4 == 392
    assert {line.description: line.quantity for line in full.lines()} == expected


def test_full_booth_units_and_labour_split(full: EstimateDocument) -> None:
    lines = {line.description: line for line in full.lines()}
    assert lines["500 mm LED panels, owned"].price.units == 392 * 4
    assert lines["LED processors, sub-rented from Brightline"].price.units == 3 * 4
    load_in = lines["Stagehands, load-in"].price
    assert load_in.hours is not None
    assert (load_in.hours.straight, load_in.hours.overtime, load_in.hours.double_time) == (8, 2, 0)
    # per person: cost 8 × 55 + 2 × 82.50 = 605.00, bill 8 × 85 + 2 × 127.50 = 935.00
    assert load_in.cost / 8 == 8 * D(55) + 2 * D("82.50") == D("605.00")
    assert load_in.price / 8 == 8 * D(85) + 2 * D("127.50") == D("935.00")
    strike = lines["Stagehands, strike"].price
    assert strike.hours is not None and (strike.hours.straight, strike.hours.overtime) == (6, 0)
    techs = lines["LED technicians (staff), show"].price
    assert techs.units == 2 * 3 * (8 + 2 * D("1.5"))


def test_full_booth_client_pane_totals(full: EstimateDocument) -> None:
    groups = full.totals.groups
    assert [(s.name, groups[s.id].price) for s in full.sections] == CLIENT_PANE
    assert sum(price for _, price in CLIENT_PANE) == D("95580.00")


def test_full_booth_totals_and_margin(full: EstimateDocument) -> None:
    t = full.totals
    assert t.cost == D("55044.00")
    assert t.subtotal == t.net == t.total == D("95580.00")  # no contingency, discount or tax
    assert (t.contingency, t.discount, t.tax, t.optional_price) == (0, 0, 0, 0)
    assert t.margin == D("40536.00") == D("95580.00") - D("55044.00")
    assert t.margin_pct is not None and round_money(t.margin_pct) == D("42.41")
    assert format_percent(t.margin_pct) == "42.41 %"
    assert format_money(t.total, "USD") == "$95,580.00"
    assert t.target_margin_pct == 35 and not t.below_target


def test_full_booth_client_text_names_no_supplier(full: EstimateDocument) -> None:
    client_texts = [s.client_description for s in full.sections]
    client_texts += [line.client_text for line in full.lines()]
    assert all(client_texts)
    leaks = [t for t in client_texts for name in SUPPLIERS if name.lower() in t.lower()]
    assert leaks == []
    # …while the internal descriptions do name them, so the check above has teeth.
    internal = " ".join(line.description for line in full.lines())
    assert all(name in internal for name in SUPPLIERS)


def test_half_booth_scenario(full: EstimateDocument, half: EstimateDocument) -> None:
    expected = _quantities(D(80))
    assert expected["500 mm LED panels, owned"] == 49 * 4 == 196
    half_lines = {line.description: line for line in half.lines()}
    assert {name: line.quantity for name, line in half_lines.items()} == expected
    assert half_lines["LED processors, sub-rented from Brightline"].quantity == 2
    assert half_lines["Motor points, SkyPoint quote #SP-2291"].quantity == 8
    assert half_lines["10 ft box truss, owned"].quantity == 8
    assert half_lines["Stagehands, load-in"].quantity == half_lines["Stagehands, strike"].quantity == 4
    # riggers, LED technicians, freight and management are unchanged from the full booth
    full_lines = _lines(full)
    unchanged = [
        "Riggers, load-in",
        "Riggers, strike",
        "LED technicians (staff), show",
        "Truck, round trip, RoadRunner Freight",
        "Project management",
    ]
    for key, money in _lines(half).items():
        if key[1] in unchanged:
            assert money == full_lines[key]
    assert sum(key[1] in unchanged for key in _lines(half)) == len(unchanged)


def test_half_booth_totals(half: EstimateDocument) -> None:
    t = half.totals
    # (units, unit cost, unit price) of the lines that shrink with the booth
    shrunk = [
        (196 * 4, D(18), D(35)),  # panels × days
        (2 * 4, D(150), D(150) * D("1.4")),  # processors × days, 40 % markup
        (8, D(450), D(450) * D("1.25")),  # motor points, 25 % markup
        (8 * 4, D(15), D(25)),  # truss sticks × days
        (4 * 11, D(55), D(85)),  # stagehands × weighted hours, load-in
        (4 * 6, D(55), D(85)),  # stagehands × hours, strike
    ]
    # riggers in and out, LED technicians, truck, project management: as in the full booth
    same_cost = D(1430) + D(780) + D(2970) + D(2400) + D(1800)
    same_price = D(2310) + D(1260) + D(6270) + D(2880) + D(3300)
    cost = sum(units * unit_cost for units, unit_cost, _ in shrunk) + same_cost
    price = sum(units * unit_price for units, _, unit_price in shrunk) + same_price
    assert (t.cost, t.total) == (cost, price) == (D("32512.00"), D("56220.00"))
    assert t.margin == price - cost


def test_keynote_adjustments_and_optional_line(demo_db: Database) -> None:
    """The Orbital estimate has contingency, discount, tax and an optional line."""
    doc = EstimateDocument(demo_db, estimate_id(demo_db, "Keynote package"))
    t = doc.totals
    optional = [line for line in doc.lines() if line.optional]
    assert [line.price.price for line in optional] == [4 * 3 * D(60)]
    assert t.optional_price == D(720)
    assert t.subtotal == sum(line.price.price for line in doc.lines() if not line.optional)
    assert t.subtotal == D("40528.00")
    assert t.contingency == D("2026.40")  # 5 % of 40,528.00
    assert t.discount == D("1276.63")  # 3 % of 42,554.40 = 1,276.632
    assert t.net == D("40528.00") + D("2026.40") - D("1276.63") == D("41277.77")
    assert t.tax == D("3560.21")  # 8.625 % of 41,277.77 = 3,560.2076…
    assert t.total == D("44837.98")
    assert t.margin == t.net - t.cost
