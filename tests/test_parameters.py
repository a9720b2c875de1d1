"""Parameters and formula quantities, budget ranges, alternatives, optional sections and the margin floor.

The numbers are EXAMPLE.md's, worked by hand in each test. The document tests run on
SQLite and on PostgreSQL (``any_db`` in conftest.py).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.models import EstimateParameter, LineItem
from app.services.estimate.document import ChangeKind, EstimateDocument
from app.services.estimate.parameters import (
    ParameterSpec,
    check_name,
    format_range,
    parse_range,
    rename_in_formula,
    resolve,
)
from app.services.estimate.pricing import NO_RANGE, PriceRange, say_out_loud
from app.services.storage.database import Database
from app.services.values import InputError
from tests.factories import estimate_id as estimate_named

D = Decimal
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
PARAMETER_T = EstimateParameter.__table__  # type: ignore[attr-defined]
PANELS = "500 mm LED panels, owned"
PROCESSORS = "LED processors, sub-rented from Brightline"
MOTORS = "Motor points, SkyPoint quote #SP-2291"
TRUSS = "10 ft box truss, owned"
LOAD_IN = "Stagehands, load-in"
STRIKE = "Stagehands, strike"


@pytest.fixture
def doc(any_demo_db: Database) -> EstimateDocument:
    return EstimateDocument(any_demo_db, estimate_named(any_demo_db, "Full booth"))


def _line(doc: EstimateDocument, description: str):  # type: ignore[no-untyped-def]
    return next(line for line in doc.lines() if line.description == description)


def _param(doc: EstimateDocument, name: str):  # type: ignore[no-untyped-def]
    return next(p for p in doc.parameters if p.name == name)


def _quantities(doc: EstimateDocument) -> dict[str, Decimal]:
    return {d: _line(doc, d).quantity for d in (PANELS, PROCESSORS, MOTORS, TRUSS, LOAD_IN, STRIKE)}


def _stored(db: Database, line_id: uuid.UUID) -> tuple[Decimal, Decimal, int]:
    with db.read() as conn:
        row = conn.execute(select(LINE_T.c.quantity, LINE_T.c.days, LINE_T.c.version)
                           .where(LINE_T.c.id == line_id)).one()
    return row.quantity, row.days, row.version


# -- resolving parameters (no database) -------------------------------------------------------------


def test_resolve_evaluates_in_dependency_order() -> None:
    resolved = resolve([
        ParameterSpec("panels", D(0), "per_row * rows"),  # listed before what it uses
        ParameterSpec("per_row", D(0), "ceil(length_ft / panel_ft)"),
        ParameterSpec("rows", D(0), "ceil(height_ft / panel_ft)"),
        ParameterSpec("length_ft", D(160)),
        ParameterSpec("height_ft", D(6)),
        ParameterSpec("panel_ft", D("1.6404")),
    ])
    # 160 / 1.6404 = 97.54 → 98; 6 / 1.6404 = 3.66 → 4; 98 × 4 = 392
    assert resolved.values["per_row"] == 98 and resolved.values["rows"] == 4
    assert resolved.values["panels"] == 392 and resolved.errors == {}


def test_resolve_reports_cycles_and_unknown_names_and_keeps_the_stored_value() -> None:
    resolved = resolve([
        ParameterSpec("a", D(1), "b + 1"),
        ParameterSpec("b", D(2), "a + 1"),
        ParameterSpec("c", D(3), "nope * 2"),
        ParameterSpec("d", D(4), "10 / zero"),
        ParameterSpec("zero", D(0)),
        ParameterSpec("fine", D(0), "zero + 7"),
    ])
    assert "Circular formula" in resolved.errors["a"] or "Circular formula" in resolved.errors["b"]
    assert {"a", "b"} <= set(resolved.errors)
    assert resolved.errors["c"] == "Unknown parameter 'nope'"
    assert resolved.errors["d"] == "Division by zero"
    assert (resolved.values["a"], resolved.values["c"], resolved.values["d"]) == (D(1), D(3), D(4))
    assert resolved.values["fine"] == 7 and "fine" not in resolved.errors


def test_parameter_names_are_checked() -> None:
    assert check_name("  screen_length_ft ", ["rental_days"]) == "screen_length_ft"
    for bad, why in [("", "needs a name"), ("screen length", "letters, digits and _"),
                     ("2nd_row", "letters, digits and _"), ("ceil", "reserved"), ("if", "reserved"),
                     ("Rental_Days", "already a parameter called “rental_days”")]:
        with pytest.raises(InputError, match=why):
            check_name(bad, ["rental_days"])


def test_renaming_touches_names_only() -> None:
    source = "ceil(screen_length_ft / 10) + max(screen_length_ft, screen_length_ft_2)"
    assert rename_in_formula(source, "screen_length_ft", "length") == \
        "ceil(length / 10) + max(length, screen_length_ft_2)"
    assert rename_in_formula("ceil(x)", "ceil", "y") == "ceil(x)"  # a function is not a parameter
    assert rename_in_formula("broken +", "x", "y") == "broken +"


@pytest.mark.parametrize(("text", "expected", "shown"), [
    ("±10%", PriceRange(D(10), D(10)), "±10%"),
    ("10 %", PriceRange(D(10), D(10)), "±10%"),
    ("-5% / +20%", PriceRange(D(5), D(20)), "-5% / +20%"),
    ("−5%/+20%", PriceRange(D(5), D(20)), "-5% / +20%"),
    ("+20%", PriceRange(D(0), D(20)), "+20%"),
    ("-0% / +20%", PriceRange(D(0), D(20)), "+20%"),
    ("-5%", PriceRange(D(5), D(0)), "-5%"),
    ("7,000 – 9,500", PriceRange(low=D(7000), high=D(9500)), "$7,000.00 – $9,500.00"),
    ("$7000-$9500.50", PriceRange(low=D(7000), high=D("9500.50")), "$7,000.00 – $9,500.50"),
    ("7k – 9.5k", PriceRange(low=D(7000), high=D(9500)), "$7,000.00 – $9,500.00"),
    ("$1.2m to $1.5M", PriceRange(low=D(1_200_000), high=D(1_500_000)), "$1,200,000.00 – $1,500,000.00"),
    ("", NO_RANGE, ""),
])
def test_ranges_read_as_typed_and_read_back(text: str, expected: PriceRange, shown: str) -> None:
    assert parse_range(text) == expected
    assert format_range(expected, "USD") == shown
    assert parse_range(shown) == expected  # what is shown can be typed back


@pytest.mark.parametrize(("text", "amounts", "why"), [
    ("abc", True, "is not a range"),
    ("9500 - 7000", True, "low must not be above"),
    ("-150% / +10%", True, "at most 100 %"),
    ("7000 - 9500", False, "is not a range"),  # a section takes percentages only
])
def test_bad_ranges_are_refused(text: str, amounts: bool, why: str) -> None:
    with pytest.raises(InputError, match=why):
        parse_range(text, allow_amounts=amounts)


def test_a_range_an_am_can_say() -> None:
    assert say_out_loud(D("182340.12"), D("213020.00")) == (D(182000), D(214000))
    assert say_out_loud(D("94510.00"), D("99520.00")) == (D(94500), D(99600))
    assert say_out_loud(D("512.40"), D("640")) == (D(512), D(640))


# -- formulas in the demo estimate ----------------------------------------------------------------


def test_the_full_booth_quantities_come_from_its_parameters(doc: EstimateDocument) -> None:
    assert doc.values["panels"] == 392  # ceil(160 / 1.6404) × ceil(6 / 1.6404) = 98 × 4
    assert _quantities(doc) == {
        PANELS: 392,          # panels
        PROCESSORS: 3,        # ceil(392 / 260) + 1 = 2 + 1
        MOTORS: 16,           # ceil(160 / 10)
        TRUSS: 16,            # ceil(160 / 10)
        LOAD_IN: 8,           # ceil(392 / 50) = ceil(7.84)
        STRIKE: 8,
    }
    assert _line(doc, PANELS).days == 4 and _line(doc, PANELS).days_formula == "rental_days"
    assert (doc.totals.cost, doc.totals.net) == (D("55044.00"), D("95580.00"))


def test_half_the_booth_is_one_parameter_change(doc: EstimateDocument) -> None:
    """EXAMPLE.md's "What if we did it on half the booth?": screen_length_ft 160 → 80."""
    seen: list[ChangeKind] = []
    doc.subscribe(lambda change: seen.append(change.kind))
    versions = {d: _stored(doc.db, _line(doc, d).id)[2] for d in (PANELS, MOTORS)}
    length = _param(doc, "screen_length_ft")

    old = doc.set_parameter_fields(length.id, doc.parse_parameter_edit(length.id, "value", "80"))

    assert old == {"value": D(160)}
    assert doc.values["panels"] == 196  # ceil(80 / 1.6404) × 4 = 49 × 4
    assert _quantities(doc) == {
        PANELS: 196, PROCESSORS: 2,  # ceil(196 / 260) + 1 = 1 + 1
        MOTORS: 8, TRUSS: 8,         # ceil(80 / 10)
        LOAD_IN: 4, STRIKE: 4,       # ceil(196 / 50) = ceil(3.92)
    }
    # Price: LED 196×4×35 + 2×4×150×1.40 = 27,440 + 1,680; rigging 8×450×1.25 + 8×4×25 = 4,500 + 800;
    # labour 4×(8×85 + 2×127.50) + 4×6×85 + 2,310 + 1,260 + 6,270 = 3,740 + 2,040 + 9,840;
    # logistics 2,880; management 3,300.
    assert doc.totals.net == D(27440 + 1680 + 4500 + 800 + 3740 + 2040 + 9840 + 2880 + 3300) == D("56220.00")
    # Cost: 196×4×18 + 2×4×150 + 8×450 + 8×4×15 + 4×605 + 4×6×55 + 1,430 + 780 + 2,970 + 2,400 + 1,800
    assert doc.totals.cost == D(14112 + 1200 + 3600 + 480 + 2420 + 1320 + 1430 + 780 + 2970 + 2400 + 1800)
    # The same as the demo's own "Half booth" scenario, to the cent.
    half = EstimateDocument(doc.db, estimate_named(doc.db, "Half booth"))
    assert (half.totals.cost, half.totals.net) == (doc.totals.cost, doc.totals.net)
    # Stored: the quantities (results, so no version bump) and the parameter.
    assert _stored(doc.db, _line(doc, PANELS).id) == (D(196), D(4), versions[PANELS])
    assert _stored(doc.db, _line(doc, MOTORS).id)[::2] == (D(8), versions[MOTORS])
    again = EstimateDocument(doc.db, doc.estimate_id)
    assert _quantities(again) == _quantities(doc) and again.totals == doc.totals
    with doc.db.read() as conn:  # the derived parameter's stored last value follows too
        stored_panels = conn.execute(select(PARAMETER_T.c.value).where(
            PARAMETER_T.c.estimate_id == doc.estimate_id, PARAMETER_T.c.name == "panels")).scalar_one()
    assert stored_panels == 196
    assert ChangeKind.LINES_RECALCULATED in seen and ChangeKind.PARAMETER_CHANGED in seen
    # Setting the old value back undoes it.
    doc.set_parameter_fields(length.id, old)
    assert doc.totals.net == D("95580.00") and _quantities(doc)[PANELS] == 392


def test_a_formula_typed_in_a_quantity_cell(doc: EstimateDocument) -> None:
    truss = _line(doc, TRUSS)
    changes = doc.parse_line_edit(truss.id, "quantity", "= ceil(screen_length_ft / 8)")
    assert changes == {"quantity_formula": "ceil(screen_length_ft / 8)", "quantity": D(20)}
    doc.set_line_fields(truss.id, changes)
    assert truss.quantity == 20 and truss.price.price == D(20 * 4 * 25)
    # A number typed over a formula replaces it.
    assert doc.parse_line_edit(truss.id, "quantity", "12") == {"quantity": D(12), "quantity_formula": ""}
    # Days take formulas too.
    assert doc.parse_line_edit(truss.id, "days", "=rental_days - 1") == {
        "days_formula": "rental_days - 1", "days": D(3)}


@pytest.mark.parametrize(("typed", "message"), [
    ("=ceil(screen_lenght_ft / 10)",
     "Unknown parameter 'screen_lenght_ft'; did you mean 'screen_length_ft'?"),
    ("=ceil(screen_length_ft / 10", "Syntax error"),
    ("=__import__('os')", "not allowed"),
    ("=screen_length_ft / (rental_days - 4)", "Division by zero"),
    ("=rental_days - 10", "cannot be negative"),
    ("=", "Type a formula after"),
])
def test_a_bad_formula_is_refused_and_changes_nothing(
    doc: EstimateDocument, typed: str, message: str
) -> None:
    truss = _line(doc, TRUSS)
    before = (_stored(doc.db, truss.id), truss.quantity, truss.quantity_formula, doc.totals)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        doc.parse_line_edit(truss.id, "quantity", typed)
    assert (_stored(doc.db, truss.id), truss.quantity, truss.quantity_formula, doc.totals) == before


def test_a_deleted_parameter_shows_on_its_lines_and_the_rest_still_prices(doc: EstimateDocument) -> None:
    panels = _param(doc, "panels")
    index = doc.delete_parameter(panels.id)
    broken = {line.description for line in doc.formula_errors}
    assert broken == {PANELS, PROCESSORS, LOAD_IN, STRIKE}  # every line that used panels
    assert "Unknown parameter 'panels'" in (_line(doc, PANELS).formula_error or "")
    assert "keeps its last quantity (392)" in (_line(doc, PANELS).formula_error or "")
    # The lines keep their last values, so the estimate still prices, and the rest is untouched.
    assert (doc.totals.cost, doc.totals.net) == (D("55044.00"), D("95580.00"))
    assert _line(doc, MOTORS).formula_error is None
    # Reopened, the same; restored, the errors go.
    assert {line.description for line in EstimateDocument(doc.db, doc.estimate_id).formula_errors} == broken
    doc.restore_parameter(panels.id, index)
    assert doc.formula_errors == [] and doc.values["panels"] == 392


def test_renaming_a_parameter_renames_it_in_every_formula(doc: EstimateDocument) -> None:
    length = _param(doc, "screen_length_ft")
    old = doc.set_parameter_fields(length.id, doc.parse_parameter_edit(length.id, "name", "ribbon_ft"))
    assert _line(doc, MOTORS).quantity_formula == "ceil(ribbon_ft / 10)"
    assert _param(doc, "panels").formula == "ceil(ribbon_ft / panel_ft) * ceil(screen_height_ft / panel_ft)"
    assert doc.formula_errors == [] and doc.totals.net == D("95580.00")
    reopened = EstimateDocument(doc.db, doc.estimate_id)
    assert _line(reopened, TRUSS).quantity_formula == "ceil(ribbon_ft / 10)"
    doc.set_parameter_fields(length.id, old)  # undo
    assert _line(doc, MOTORS).quantity_formula == "ceil(screen_length_ft / 10)"
    with pytest.raises(InputError, match="already a parameter"):
        doc.parse_parameter_edit(length.id, "name", "PANELS")


def test_parameter_formulas(doc: EstimateDocument) -> None:
    height = _param(doc, "screen_height_ft")
    with pytest.raises(InputError, match="Circular formula"):
        doc.parse_parameter_edit(height.id, "value", "=panels / 98")
    with pytest.raises(InputError, match="cannot use screen_height_ft itself"):
        doc.parse_parameter_edit(height.id, "formula", "screen_height_ft + 1")
    # Ribbon height from a number of panel rows: 5 rows × 1.6404 = 8.202 ft → 5 rows → 98 × 5 panels.
    rows = doc.add_parameter("rows", "5")
    doc.set_parameter_fields(height.id, doc.parse_parameter_edit(height.id, "value", "=rows * panel_ft"))
    assert height.value == D("8.2020") and height.formula == "rows * panel_ft"
    assert doc.values["panels"] == 98 * 5 and _line(doc, PANELS).quantity == 490
    assert _line(doc, LOAD_IN).quantity == 10  # ceil(490 / 50)
    doc.set_parameter_fields(rows.id, doc.parse_parameter_edit(rows.id, "value", "4"))
    assert doc.values["panels"] == 392 and doc.totals.net == D("95580.00")
    # A parameter formula that goes wrong later (a division by zero) shows on the parameter.
    panel = _param(doc, "panel_ft")
    doc.set_parameter_fields(panel.id, doc.parse_parameter_edit(panel.id, "value", "0"))
    assert _param(doc, "panels").error is not None and "Division by zero" in _param(doc, "panels").error


# -- ranges, alternatives, optional sections, margin floor --------------------------------------------


def test_the_budget_range_of_the_full_booth(doc: EstimateDocument) -> None:
    """Motor points 0 / +20 % (SkyPoint's quote is pending); the Labour section -5 % / +10 %."""
    motors = _line(doc, MOTORS)
    assert motors.price_range == PriceRange(D(0), D(20)) and doc.line_span(motors) == (D(9000), D(10800))
    # Labour lines 7,480 + 4,080 + 2,310 + 1,260 + 6,270 = 21,400 → ×0.95 = 20,330 and ×1.10 = 23,540.
    labour = next(s for s in doc.sections if s.name == "Labour")
    assert (doc.totals.groups[labour.id].low, doc.totals.groups[labour.id].high) == (D(20330), D(23540))
    assert doc.totals.range_low == D("95580.00") - 21400 + 20330 == D("94510.00")
    assert doc.totals.range_high == D("95580.00") + 1800 + 2140 == D("99520.00")
    assert say_out_loud(doc.totals.range_low, doc.totals.range_high) == (D(94500), D(99600))
    assert doc.totals.total == D("95580.00")  # the likely figure is unchanged by a range

    # An amount range on a line wins over its section's percentage.
    load_in = _line(doc, LOAD_IN)
    doc.set_line_fields(load_in.id, doc.parse_line_edit(load_in.id, "range", "7,000 – 8,000"))
    assert doc.line_span(load_in) == (D(7000), D(8000))
    assert doc.totals.range_low == D("94510.00") - (D(7106) - 7000)  # 7,480 × 0.95 = 7,106 before
    # Discount and tax apply to the range too: 10 % off and 8 % tax.
    doc.set_estimate_fields({"discount_pct": D(10), "tax_pct": D(8)})
    low = doc.totals.range_low
    expected_net = D("94404.00") - (D("94404.00") * D("0.10")).quantize(D("0.01"))
    assert low == expected_net + (expected_net * D("0.08")).quantize(D("0.01"))
    with pytest.raises(InputError, match="is not a range"):
        doc.parse_section_edit(labour.id, "range", "7,000 – 8,000")  # sections take percentages only


def test_alternatives_count_once(doc: EstimateDocument) -> None:
    panels = _line(doc, PANELS)
    rigging = next(s for s in doc.sections if s.name == "LED screen")
    alt = doc.add_line(rigging.id, values={
        "description": "390 mm LED panels, sub-rented", "client_description": "LED video panels, 390 mm",
        "quantity": D(392), "days": D(4), "unit_cost": D(20), "price_basis": "unit_price",
        "unit_price": D(38)})
    assert doc.totals.net == D("95580.00") + 392 * 4 * 38  # not yet an alternative: it counts
    doc.set_line_fields(panels.id, doc.parse_line_edit(panels.id, "alternative_group", "Panels"))
    assert panels.alternative_chosen  # the first of its group is the chosen one
    changes = doc.parse_line_edit(alt.id, "alternative_group", "Panels")
    assert changes == {"alternative_group": "Panels"}  # not chosen: its group has a chosen line
    doc.set_line_fields(alt.id, changes)
    assert doc.totals.net == D("95580.00") and doc.inclusion(alt) == "excluded"
    assert doc.totals.optional_price == 0  # an alternative is not an add-on

    flags = doc.choose_alternative(alt.id)
    assert doc.totals.net == D("95580.00") - 54880 + 392 * 4 * 38
    assert doc.chosen_alternative("Panels") is alt and not doc.is_chosen_alternative(panels)
    doc.set_alternative_flags(flags)  # undo
    assert doc.chosen_alternative("Panels") is panels and doc.totals.net == D("95580.00")
    # Whatever is stored, exactly one counts: with none marked, the first of the group.
    doc.set_alternative_flags({panels.id: False, alt.id: False})
    assert doc.chosen_alternative("Panels") is panels and doc.totals.net == D("95580.00")
    reopened = EstimateDocument(doc.db, doc.estimate_id)
    assert reopened.totals == doc.totals


def test_an_optional_section_is_an_add_on(doc: EstimateDocument) -> None:
    management = next(s for s in doc.sections if s.name == "Management")
    doc.set_section_fields(management.id, doc.parse_section_edit(management.id, "optional", True))
    assert doc.totals.net == D("95580.00") - 3300 and doc.totals.optional_price == D(3300)
    assert doc.totals.with_addons == D("95580.00")
    assert not doc.counts_in_total(management.lines[0])
    assert EstimateDocument(doc.db, doc.estimate_id).totals == doc.totals


def test_the_margin_floor(doc: EstimateDocument) -> None:
    """Margin 40,536 / 95,580 = 42.41 %; the demo's floor is 25 %."""
    assert doc.header.margin_floor_pct == 25 and not doc.totals.below_floor
    # 20 % off: net 76,464, margin 21,420 = 28.01 % — still above.
    doc.set_estimate_fields(doc.parse_estimate_edit("discount_pct", "20"))
    assert doc.totals.net == D("76464.00") and not doc.totals.below_floor
    # 25 % off: net 71,685, margin 16,641 = 23.21 % — below the floor.
    doc.set_estimate_fields(doc.parse_estimate_edit("discount_pct", "25"))
    assert doc.totals.net == D("71685.00") and doc.totals.below_floor
    # A price override can do it too.
    doc.set_estimate_fields({"discount_pct": D(0)})
    panels = _line(doc, PANELS)
    doc.set_line_fields(panels.id, doc.parse_line_edit(panels.id, "price", "30000"))
    assert doc.totals.below_floor  # (95,580 − 54,880 + 30,000 − 55,044) / 70,700 = 21.44 %


def test_a_parameter_change_never_overwrites_a_number_typed_elsewhere(doc: EstimateDocument) -> None:
    """Sam types 20 over the truss formula in another copy; Dana then changes screen_length_ft.

    Dana's recalculation must not write its result over Sam's number (no lost update), and
    lines whose formula is unchanged still get theirs.
    """
    sam = EstimateDocument(doc.db, doc.estimate_id)
    truss = _line(sam, TRUSS)
    sam.set_line_fields(truss.id, sam.parse_line_edit(truss.id, "quantity", "20"))
    length = _param(doc, "screen_length_ft")  # Dana's document still has the formula in memory
    doc.set_parameter_fields(length.id, doc.parse_parameter_edit(length.id, "value", "80"))
    assert _stored(doc.db, truss.id)[0] == D(20)  # Sam's number stands
    assert _stored(doc.db, _line(doc, MOTORS).id)[0] == D(8)  # ceil(80 / 10): recalculated
    fresh = EstimateDocument(doc.db, doc.estimate_id)
    assert _line(fresh, TRUSS).quantity == 20 and _line(fresh, TRUSS).quantity_formula == ""
