"""The client quote's one content (both the workbook and the PDF render it): contingency folded
into the line prices to the cent, the budget range only when asked for, and the workbook laid
out so it prints: columns as wide as their widest value, rows as tall as their wrapped text."""

from __future__ import annotations

import textwrap
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from pycel import ExcelCompiler

from app.services.bounds import LINE_AMOUNT_MAX, QUANTITY_MAX
from app.services.estimate.document import EstimateDocument
from app.services.excel.quote import export_quote
from app.services.money import CENT, HUNDRED, ZERO, round_money
from app.services.quote.content import fold, quote_content
from app.services.storage.database import Database

cents = st.integers(min_value=0, max_value=10**12).map(lambda n: Decimal(n) / 100)


@given(
    prices=st.lists(cents, min_size=1, max_size=40),
    pct=st.decimals(min_value=0, max_value=999, places=4, allow_nan=False),
)
def test_folding_shares_the_contingency_to_the_cent(prices: list[Decimal], pct: Decimal) -> None:
    whole = sum(prices, ZERO)
    contingency = round_money(whole * pct / HUNDRED)
    folded = fold(prices, contingency)
    assert sum(folded, ZERO) == whole + contingency  # to the cent: the total is unchanged
    assert all(f == f.quantize(CENT) for f in folded)
    largest = max(range(len(prices)), key=lambda i: (prices[i], -i))
    for i, (price, after) in enumerate(zip(prices, folded, strict=True)):
        if i != largest and whole:
            assert abs((after - price) - price * contingency / whole) <= Decimal("0.005")  # its share


def test_nothing_to_share_goes_on_the_largest_line() -> None:
    assert fold([ZERO, ZERO], Decimal("5.00")) == [Decimal("5.00"), ZERO]
    assert fold([Decimal("1.00"), Decimal("3.00")], ZERO) == [Decimal("1.00"), Decimal("3.00")]
    # 10.00 over three equal lines: 3.33 each and the cent left over on the first of the largest
    assert fold([Decimal(1)] * 3, Decimal("10.00")) == [Decimal("4.34"), Decimal("4.33"), Decimal("4.33")]


def test_contingency_is_in_the_line_prices_unless_shown_as_a_line(
    demo_db: Database, full_booth_id: uuid.UUID
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    doc.set_estimate_fields(
        {"contingency_pct": Decimal("7.5"), "discount_pct": Decimal(3), "tax_pct": Decimal("8.875")}
    )
    t = doc.totals
    content = quote_content(doc)
    prices = [line.price for s in content.sections for line in s.lines]
    assert sum(prices, ZERO) == t.subtotal + t.contingency != t.subtotal
    assert [r.key for r in content.totals] == ["subtotal", "discount", "net", "tax", "total"]
    assert content.total == t.total
    raw = [
        line.price.price
        for s in doc.sections
        if not s.optional
        for line in s.lines
        if doc.counts_in_total(line)
    ]
    assert prices != raw and max(p - r for p, r in zip(prices, raw, strict=True)) > 0
    doc.set_estimate_fields({"show_contingency_line": True})
    content = quote_content(doc)
    assert [line.price for s in content.sections for line in s.lines] == raw
    assert [r.key for r in content.totals] == ["subtotal", "contingency", "discount", "net", "tax", "total"]
    assert content.totals[1].amount == t.contingency and content.total == t.total


def test_the_budget_range_only_when_the_estimate_says_so(demo_db: Database, full_booth_id: uuid.UUID) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    truss = doc.sections[1].lines[1]
    doc.set_line_fields(truss.id, {"range_low_pct": Decimal(10), "range_high_pct": Decimal(25)})
    assert doc.totals.has_range and not doc.header.show_budget_range  # a new estimate prints none
    assert quote_content(doc).budget_range is None
    doc.set_estimate_fields({"show_budget_range": True})
    low, high = quote_content(doc).budget_range or (ZERO, ZERO)
    assert low < doc.totals.total < high


# -- the workbook laid out to print ---------------------------------------------------------------

LONG = (
    "A complete LED video wall for the booth's back wall, with processing, spares and a technician "
    "on call for every show day; rigged from the hall's points, with the hall's union crew for the "
    "load-in and the strike, and the content checked on site the evening before the show opens. "
) * 3


def _extreme(doc: EstimateDocument) -> None:
    """The widest values the app accepts: the largest line price and quantity, long wording."""
    led = doc.sections[0]
    doc.set_section_fields(
        led.id,
        {
            "client_description": LONG,
            "name": "LED video wall, processing and spares for the whole show, rigged from the hall's points",
        },
    )
    first = led.lines[0]
    doc.set_line_fields(
        first.id,
        {"price_override": LINE_AMOUNT_MAX, "quantity": QUANTITY_MAX, "client_description": LONG[:480]},
    )
    doc.set_estimate_fields(
        {"contingency_pct": Decimal("12.345"), "tax_pct": Decimal("8.875"), "show_contingency_line": True}
    )
    logistics = doc.sections[3]
    doc.set_line_fields(logistics.lines[0].id, {"alternative_group": "transport", "alternative_chosen": True})
    doc.add_line(
        logistics.id,
        1,
        {
            "description": "Vans",
            "client_description": "Two vans instead of a truck",
            "kind": "freight",
            "quantity": Decimal(2),
            "unit": "van",
            "unit_cost": Decimal(900),
            "markup_pct": Decimal(20),
            "alternative_group": "transport",
        },
    )


def _shown(value: Any, number_format: str) -> str:
    """A number as Excel shows it in these formats (the test's own reading, not the app's)."""
    value = Decimal(str(value))
    if "$" in number_format:
        return ("-" if value < 0 else "") + f"${abs(value):,.2f}"
    if "%" in number_format:
        return f"{value.normalize():f} %"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def test_every_value_fits_its_column_and_every_wrapped_row_its_lines(
    demo_db: Database, full_booth_id: uuid.UUID, tmp_path: Path
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    _extreme(doc)
    path = tmp_path / "quote.xlsx"
    export_quote(doc, path)
    ws = load_workbook(path)["Quote"]
    xl = ExcelCompiler(filename=str(path))
    width = {get_column_letter(i): ws.column_dimensions[get_column_letter(i)].width for i in range(1, 6)}
    merged = {}
    for cells in ws.merged_cells.ranges:
        left, top, right, _bottom = range_boundaries(str(cells))
        merged[(top, left)] = sum(width[get_column_letter(c)] for c in range(left, right + 1))
    checked_numbers = wrapped_rows = 0
    for row in ws.iter_rows(max_col=5):
        for cell in row:
            if cell.value is None or cell.coordinate == "A1":
                continue
            size = (cell.font.sz or 11) / 11 * (1.1 if cell.font.b else 1)
            room = merged.get((cell.row, cell.column), width[cell.column_letter])
            if cell.data_type in ("n", "f"):
                value = xl.evaluate(f"Quote!{cell.coordinate}") if cell.data_type == "f" else cell.value
                text = _shown(value, cell.number_format)
                assert len(text) * size <= room, (cell.coordinate, text, room)  # never ###
                checked_numbers += 1
            elif cell.alignment.wrap_text:
                lines = sum(
                    max(1, len(textwrap.wrap(p, int(room / size)))) for p in str(cell.value).splitlines()
                )
                height = ws.row_dimensions[cell.row].height or 15
                assert height >= lines * 15 * (cell.font.sz or 11) / 11 - 0.01, (
                    cell.coordinate,
                    lines,
                    height,
                )
                wrapped_rows += lines > 1
            elif cell.value.strip():
                # Text that does not wrap either fits or runs on over empty cells to its right.
                right = [ws.cell(cell.row, c).value for c in range(cell.column + 1, 6)]
                spare = sum(
                    width[get_column_letter(c)]
                    for c in range(cell.column + 1, 6)
                    if not any(v not in (None, " ") for v in right[: c - cell.column])
                )
                assert len(cell.value) * size <= room + spare, (cell.coordinate, cell.value)
    assert checked_numbers > 40 and wrapped_rows >= 3
    texts = [r[0].value for r in ws.iter_rows(max_col=1)]
    assert "Alternatives" in texts  # the heading whole, its explanation on a row of its own
