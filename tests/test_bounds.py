"""Every figure of an estimate is bounded: typed, computed by a formula or stored by someone else.

One typed value used to make an estimate unopenable for everyone (issue 9, item 3): quantity
999,999,999,999.9999 was accepted, then days 999,999,999,999.99, and pricing raised
decimal.InvalidOperation on every load. Now the bounds (app/services/bounds.py) refuse the
typing, the product is checked before anything is written, and a stored value out of bounds
loads as a line in error instead of raising.
"""

from __future__ import annotations

import contextlib
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from app.models.enums import LineKind, PriceBasis
from app.services.bounds import LINE_AMOUNT_MAX, QUANTITY_MAX, check_line
from app.services.catalog.categories import CATEGORIES
from app.services.catalog.items import CATALOG_ITEMS
from app.services.catalog.suppliers import SUPPLIERS
from app.services.crew.people import parse_member_fields
from app.services.demo import build_demo
from app.services.estimate.document import (
    ESTIMATE_FIELDS,
    LINE_FIELDS,
    PARAMETER_FIELDS,
    SECTION_FIELDS,
    EstimateDocument,
)
from app.services.estimate.parameters import parse_range
from app.services.estimate.pricing import LineTerms
from app.services.excel.export import export_estimate
from app.services.excel.imported import ImportFailed
from app.services.excel.mapped_rows import read_mapped
from app.services.excel.mapping import ColumnMapping
from app.services.excel.tandem_sheets import DATA_SHEET, read_tandem_workbook, write_tandem_data
from app.services.excel.workbook import ExportError
from app.services.labour.roles import ROLE_FIELDS
from app.services.labour.rules import RULE_FIELDS
from app.services.storage.check import check_database
from app.services.storage.database import Database, open_database
from app.services.values import InputError
from tests.factories import estimate_id as estimate_named
from tests.test_cli import assert_one_line_error, tandem
from tests.test_document import _db_rows, _sql

D = Decimal
TRUSS = "10 ft box truss, owned"  # 16 × 4 days × $25 (the screen's length / 10)
PANELS = "500 mm LED panels, owned"  # its quantity is a formula of the screen's size
TRUCK = "Truck, round trip, RoadRunner Freight"  # 1 × 1 day × $2,400 + 20 %: no formula


@pytest.fixture
def doc(demo_db: Database) -> EstimateDocument:
    return EstimateDocument(demo_db, estimate_named(demo_db, "Full booth"))


def _line(doc: EstimateDocument, description: str):  # type: ignore[no-untyped-def]
    return next(line for line in doc.lines() if line.description == description)


def _store(db: Database, line_id: uuid.UUID, **columns: str) -> None:
    """Another program (or an old Tandem, or a hand edit) writes straight into the file."""
    assignments = ", ".join(f"{name} = ?" for name in columns)
    _sql(
        db,
        f"UPDATE lineitem SET {assignments} WHERE id = ?",
        *columns.values(),
        line_id.hex if db.engine.dialect.name == "sqlite" else str(line_id),
    )


def _demo_file_with(tmp_path: Path, estimate: str, **truck: str) -> Path:
    """A demo file in which something else has stored ``truck`` on one estimate's truck line."""
    path = tmp_path / "shared.db"
    db = open_database(path)
    try:
        build_demo(db)
        _store(db, _line(EstimateDocument(db, estimate_named(db, estimate)), TRUCK).id, **truck)
    finally:
        db.close()
    return path


# -- typing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "typed", "message"),
    [
        ("quantity", "999999999999.9999", "Quantity must be at most 1,000,000."),
        ("days", "999999999999.99", "Days must be at most 3,660."),
        ("unit_cost", "100000000.01", "Unit cost must be at most 100,000,000."),
        ("markup_pct", "10001%", "Markup must be at most 10,000 %."),
        ("days", "=99999999999999", "Days 99,999,999,999,999 is out of range: it can be from 0 to 3,660."),
        ("quantity", "=screen_length_ft * 100000", "Quantity 16,000,000 is out of range"),
    ],
)
def test_a_figure_beyond_its_bound_is_refused_and_changes_nothing(
    doc: EstimateDocument, column: str, typed: str, message: str
) -> None:
    truss = _line(doc, TRUSS)
    before = (_db_rows(doc.db), doc.totals)
    with pytest.raises(InputError) as caught:
        doc.parse_line_edit(truss.id, column, typed)
    assert str(caught.value).startswith(message)
    assert (_db_rows(doc.db), doc.totals) == before


def test_the_product_is_checked_before_writing(doc: EstimateDocument) -> None:
    truss = _line(doc, TRUSS)
    # Each figure within its bound; their product is not: 1,000,000 × 4 days × $100,000,000.
    doc.set_line_fields(truss.id, doc.parse_line_edit(truss.id, "quantity", "1,000,000"))
    before = (_db_rows(doc.db), doc.totals, truss.unit_cost)
    with pytest.raises(
        InputError,
        match=r"Quantity × days × unit cost comes to 400,000,000,000,000\.00, "
        r"more than a line can come to \(1,000,000,000,000\)",
    ):
        doc.parse_line_edit(truss.id, "unit_cost", "100,000,000")
    with pytest.raises(InputError, match="more than a line can come to"):  # a caller that skips parsing
        doc.set_line_fields(truss.id, {"unit_cost": D(100_000_000)})
    with pytest.raises(InputError, match="The line's price comes to"):  # the markup makes the price
        doc.set_line_fields(
            truss.id, {"unit_cost": D(200_000), "markup_pct": D(10_000), "price_basis": PriceBasis.MARKUP}
        )
    assert (_db_rows(doc.db), doc.totals, truss.unit_cost) == before


def test_a_new_line_beyond_the_bounds_is_refused(doc: EstimateDocument) -> None:
    section = doc.sections[0]
    before = _db_rows(doc.db)
    with pytest.raises(InputError, match=r"Days 999,999,999,999\.99 is out of range"):
        doc.add_line(section.id, values={"description": "x", "quantity": D(5), "days": D("999999999999.99")})
    assert _db_rows(doc.db) == before


def test_a_parameter_change_that_would_put_a_line_out_of_range_is_refused(doc: EstimateDocument) -> None:
    length = next(p for p in doc.parameters if p.name == "screen_length_ft")
    before = (_db_rows(doc.db), doc.totals, length.value, _line(doc, PANELS).quantity)
    with pytest.raises(InputError) as caught:
        doc.set_parameter_fields(length.id, doc.parse_parameter_edit(length.id, "value", "100,000,000"))
    assert str(caught.value).startswith(
        f"That would put “{PANELS}” (and 4 other lines) out of range: Quantity 243,842,968 is out of range"
    )
    assert str(caught.value).endswith("Nothing was changed.")
    assert (_db_rows(doc.db), doc.totals, length.value, _line(doc, PANELS).quantity) == before
    doc.set_parameter_fields(length.id, doc.parse_parameter_edit(length.id, "value", "200"))  # still fine
    assert _line(doc, PANELS).quantity == 122 * 4


# -- loading what is stored --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stored",
    [
        {"quantity": "999999999999.9999", "days": "999999999999.99"},  # the report's two values
        {"quantity": "1e100000"},  # PostgreSQL's NUMERIC holds 100,000 digits
        {"days": "NaN"},
        {"unit_cost": "-5"},
        {"price_basis": "margin", "margin_pct": "100"},  # a price with no cost: pricing divided by zero
        {"range_low_pct": "1e40"},
    ],
)
def test_a_stored_value_out_of_bounds_loads_as_a_line_in_error(
    any_demo_db: Database, stored: dict[str, str]
) -> None:
    estimate = estimate_named(any_demo_db, "Full booth")
    doc = EstimateDocument(any_demo_db, estimate)
    truck = _line(doc, TRUCK)
    total, truck_price = doc.totals.net, truck.price.price
    _store(any_demo_db, truck.id, **stored)
    for opened in (EstimateDocument(any_demo_db, estimate), doc):  # a fresh load, and a live reload
        if opened is doc:
            doc.reload()
        line = _line(opened, TRUCK)
        assert line.problem is not None
        assert "out of range" in line.problem.message or "not a number" in line.problem.message
        assert opened.lines_in_error == [line] and opened.formula_errors == []
        assert line.price.price == 0 and opened.totals.net == total - truck_price  # left out of the total
        assert opened.line_span(line) == (0, 0)
        why = opened.in_error_message("sent")
        assert why is not None and why.startswith(f"“{TRUCK}” is in error (")
    # Correcting it is an ordinary edit; an edit of something else leaves it in error, and is allowed.
    truck = _line(doc, TRUCK)
    doc.set_line_fields(truck.id, doc.parse_line_edit(truck.id, "description", "Box truck"))
    assert truck.problem is not None
    doc.set_line_fields(
        truck.id,
        {
            "quantity": D(1),
            "days": D(1),
            "unit_cost": D(2400),
            "margin_pct": None,
            "price_basis": PriceBasis.MARKUP,
            "range_low_pct": None,
        },
    )
    assert truck.problem is None and doc.lines_in_error == [] and doc.totals.net == total


def test_text_that_is_no_number_loads_as_a_line_in_error(demo_db: Database) -> None:
    estimate = estimate_named(demo_db, "Full booth")
    truck = _line(EstimateDocument(demo_db, estimate), TRUCK)
    _store(demo_db, truck.id, quantity="1,5", unit_cost="abc")  # SQLite keeps any text
    line = _line(EstimateDocument(demo_db, estimate), TRUCK)
    assert line.problem is not None and line.problem.message == "Quantity “NaN” is not a number."
    assert line.price.price == 0


def test_a_line_in_error_stops_the_export(doc: EstimateDocument, tmp_path: Path) -> None:
    _store(doc.db, _line(doc, TRUCK).id, days="999999999999.99")
    doc.reload()
    out = tmp_path / "quote.xlsx"
    for internal in (False, True):
        with pytest.raises(
            ExportError,
            match=f"“{TRUCK}” is in error \\(Days 999,999,999,999.99 is out of "
            "range: it can be from 0 to 3,660.\\); the estimate cannot be "
            "exported until they are corrected.",
        ):
            export_estimate(doc, out, internal=internal)
    assert not out.exists()


@pytest.mark.slow
def test_tandem_export_of_an_estimate_with_a_stored_huge_value(tmp_path: Path, tandem_home: Path) -> None:
    path = _demo_file_with(tmp_path, "Full booth", quantity="999999999999.9999", days="999999999999.99")
    out = tmp_path / "quote.xlsx"
    result = tandem(
        "export", "--db", str(path), "--estimate", "Full booth", "--out", str(out), home=tandem_home
    )
    assert_one_line_error(
        result, f"“{TRUCK}” is in error (Quantity 999,999,999,999.9999 is out of range", "cannot be exported"
    )
    assert not out.exists()
    # The other estimates of the file still export.
    result = tandem(
        "export", "--db", str(path), "--estimate", "Half booth", "--out", str(out), home=tandem_home
    )
    assert result.returncode == 0, result.stderr


# -- the check itself ----------------------------------------------------------------------------------------


def test_check_line_never_raises_and_bounds_the_price() -> None:
    assert check_line(LineTerms(quantity=QUANTITY_MAX, days=D(1), unit_cost=D(1_000_000)))[1] is None
    priced, problem = check_line(
        LineTerms(
            kind=LineKind.LABOUR, quantity=QUANTITY_MAX, days=D(3660), hours=D(24), unit_cost=D(100_000_000)
        )
    )
    assert problem is not None and problem.field == "cost" and priced.price == 0
    assert problem.client_message == (
        "Some of this line's figures are out of range; the PM needs to correct them."
    )
    _, problem = check_line(LineTerms(price_override=LINE_AMOUNT_MAX + 1))
    assert problem is not None and problem.client_message == problem.message  # the client sees prices


def test_a_stored_kind_this_tandem_does_not_know_loads_as_a_line_in_error(demo_db: Database) -> None:
    estimate = estimate_named(demo_db, "Full booth")
    truck = _line(EstimateDocument(demo_db, estimate), TRUCK)
    _store(demo_db, truck.id, kind="hologram")  # a newer Tandem's kind of line
    doc = EstimateDocument(demo_db, estimate)
    line = _line(doc, TRUCK)
    assert (
        line.problem is not None and line.problem.message == "Kind “hologram” is not one this Tandem knows."
    )
    assert line.kind is LineKind.EQUIPMENT and line.price.price == 0 and doc.lines_in_error == [line]
    doc.set_line_fields(line.id, doc.parse_line_edit(line.id, "kind", "freight"))
    assert line.problem is None and line.price.price == D("2880.00")


def test_a_stored_estimate_percentage_out_of_bounds_counts_as_zero_and_says_so(any_demo_db: Database) -> None:
    estimate = estimate_named(any_demo_db, "Full booth")
    key = estimate.hex if any_demo_db.engine.dialect.name == "sqlite" else str(estimate)
    _sql(any_demo_db, "UPDATE estimate SET tax_pct = ? WHERE id = ?", "1e30", key)
    doc = EstimateDocument(any_demo_db, estimate)
    assert doc.header.tax_pct == 0 and doc.totals.tax == 0
    assert doc.estimate_problems == {
        "tax_pct": "Estimate: Tax 1E+30 % is out of range: it can be from 0 % to below 100 %. "
        "It counts as 0 %."
    }
    assert doc.in_error_message("sent") == (
        "Estimate: Tax 1E+30 % is out of range: it can be from 0 % to below 100 %. It counts as 0 %. "
        "The estimate cannot be sent until it is corrected."
    )
    doc.set_estimate_fields(doc.parse_estimate_edit("tax_pct", "0"))  # typing what is shown corrects it
    assert doc.estimate_problems == {} and doc.in_error_message("sent") is None
    assert EstimateDocument(any_demo_db, estimate).estimate_problems == {}


# -- the Excel import reads numbers by the same rules ------------------------------------------------------


def test_a_foreign_sheet_s_figures_out_of_bounds_are_problems_not_lines(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Description", "Qty", "Days", "Unit cost"])
    ws.append(["Cable ties", "1,5", 1, 2])  # 15 before: a thousands separator must group three digits
    ws.append(["LED panels", 2_000_000, 1, 2])
    ws.append(["Truss", 1000, 3660, 100_000_000])  # each within its bound, the product not
    ws.append(["Gaffer tape", 12, 1, "８"])  # a full-width digit
    ws.append(["Riggers", 2, 1, 65])
    wb.save(tmp_path / "foreign.xlsx")
    result = read_mapped(
        tmp_path / "foreign.xlsx",
        "Sheet",
        1,
        ColumnMapping({"description": 0, "quantity": 1, "days": 2, "unit_cost": 3}),
    )
    assert [(p.row_number, p.reason) for p in result.problems] == [
        (2, "Qty “1,5” is ambiguous: write 1.5 or 1,500"),
        (3, "Qty must be at most 1,000,000"),
        (
            4,
            "Quantity × days × unit cost comes to 366,000,000,000,000.00, more than a line can come to "
            "(1,000,000,000,000)",
        ),
        (5, "Unit cost must be typed with the digits 0–9, like 1250, 1,250.50, $1,250 or 1.5k; “８” is not"),
    ]
    assert [row.values["description"] for row in result.lines] == ["Riggers"]


def test_a_tandem_workbook_with_a_figure_out_of_bounds_is_refused(
    doc: EstimateDocument, tmp_path: Path
) -> None:
    path = tmp_path / "costs.xlsx"
    wb = Workbook()
    wb.active.title = "Cost sheet"  # type: ignore[union-attr]
    write_tandem_data(wb, doc)
    data = wb[DATA_SHEET]
    header = [c.value for c in data[1]]
    row = next(r for r in data.iter_rows(min_row=2) if r[header.index("description")].value == TRUCK)
    row[header.index("days")].value = "999999999999.99"  # a hand edit
    wb.save(path)
    with pytest.raises(ImportFailed, match=r"Tandem data, row \d+: Days 999,999,999,999\.99 is out of range"):
        read_tandem_workbook(path)


# -- tandem check --------------------------------------------------------------------------------------


def test_check_lists_the_stored_lines_out_of_bounds(any_demo_db: Database, db_target: str) -> None:
    assert check_database(db_target).figures == ()
    truck = _line(EstimateDocument(any_demo_db, estimate_named(any_demo_db, "Full booth")), TRUCK)
    _store(any_demo_db, truck.id, quantity="999999999999.9999", days="999999999999.99")
    report = check_database(db_target)
    assert report.ok and report.integrity == "ok"  # the file is sound; its figures are not
    assert report.figures == (
        f"Full booth › {TRUCK}: Quantity 999,999,999,999.9999 is out of range: it can be from 0 to "
        "1,000,000.",
    )


@pytest.mark.slow
def test_tandem_check_says_which_lines_will_open_in_error(tmp_path: Path, tandem_home: Path) -> None:
    path = _demo_file_with(tmp_path, "Half booth", unit_cost="abc")
    result = tandem("check", "--db", str(path), home=tandem_home)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "integrity: ok" in result.stdout
    assert "figures: 1 line(s) out of bounds, shown in error until corrected:" in result.stdout
    assert f"  Half booth › {TRUCK}: Unit cost “NaN” is not a number." in result.stdout


def test_a_stored_section_range_or_parameter_out_of_bounds_still_opens(any_demo_db: Database) -> None:
    estimate = estimate_named(any_demo_db, "Full booth")
    doc = EstimateDocument(any_demo_db, estimate)
    section, total = doc.sections[0], doc.totals.net
    sqlite = any_demo_db.engine.dialect.name == "sqlite"
    _sql(
        any_demo_db,
        "UPDATE section SET range_high_pct = ? WHERE id = ?",
        "NaN",
        section.id.hex if sqlite else str(section.id),
    )
    _sql(any_demo_db, "UPDATE estimateparameter SET value = ? WHERE name = ?", "1e100000", "screen_length_ft")
    doc = EstimateDocument(any_demo_db, estimate)
    assert doc.sections[0].range_high_pct is None and doc.totals.range_high.is_finite()
    assert doc.estimate_problems == {
        f"{section.id}:range_high_pct": f"Section {section.name}: Range above “NaN” is not a number. "
        "It counts as no range."
    }
    # The lines whose formulas use the parameter keep their last quantities, with a formula error.
    assert doc.totals.net == total and len(doc.formula_errors) == 2  # motors and truss use it
    assert "too large" in (doc.formula_errors[0].formula_error or "")
    doc.set_section_fields(section.id, doc.parse_section_edit(section.id, "range", "±10%"))
    assert doc.estimate_problems == {} and doc.totals.has_range


# -- no typed text makes any parser raise anything but InputError ------------------------------------------


def _every_parser() -> list[tuple[str, Any]]:
    fields = [(f"line {k}", s.parse) for k, s in LINE_FIELDS.items()]
    fields += [(f"section {k}", s.parse) for k, s in SECTION_FIELDS.items()]
    fields += [(f"parameter {k}", s.parse) for k, s in PARAMETER_FIELDS.items()]
    fields += [(f"estimate {k}", s.parse) for k, s in ESTIMATE_FIELDS.items()]
    fields += [(f"role {f.key}", f.parse) for f in ROLE_FIELDS]
    fields += [(f"rule {f.key}", f.parse) for f in RULE_FIELDS]
    for kind in (CATALOG_ITEMS, CATEGORIES, SUPPLIERS):
        fields += [(f"{kind.noun} {f.key}", f.parse) for f in kind.fields]
    fields += [("range", parse_range), ("crew hours", lambda v: parse_member_fields({"max_weekly_hours": v}))]
    return fields


PARSERS = _every_parser()


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(range(len(PARSERS))),
    st.one_of(
        st.text(max_size=40),
        st.text(alphabet="0123456789,._ eE+-$€£%\u00a0١３:/=", max_size=30),
        st.from_regex(r"[+-]?[0-9]{0,20}([.,][0-9]{0,20})?[eE][+-]?[0-9]{1,12}%?", fullmatch=True),
    ),
)
def test_no_typed_text_makes_any_parser_raise_anything_but_input_error(which: int, text: str) -> None:
    _name, parse = PARSERS[which]
    with contextlib.suppress(InputError):  # anything else (decimal.Overflow, …) fails the test
        parse(text)


def test_a_caller_s_whole_numbers_are_figures_too(doc: EstimateDocument) -> None:
    truck = _line(doc, TRUCK)
    doc.set_line_fields(truck.id, {"quantity": 2})  # the staffing update passes ints
    assert truck.problem is None and truck.price.price == D("5760.00")
    with pytest.raises(InputError, match="Quantity 2,000,000 is out of range"):
        doc.set_line_fields(truck.id, {"quantity": 2_000_000})
