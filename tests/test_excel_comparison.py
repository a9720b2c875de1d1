"""The scenario comparison workbook: each option's prices by section, live totals that recalculate to the
app's to the cent, print set up, and nothing internal (it goes to the client with the options)."""

from __future__ import annotations

import re
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from app.services.estimate.document import EstimateDocument
from app.services.estimate.scenarios import Metric, compare_estimates
from app.services.excel.comparison import SHEET, export_comparison
from app.services.storage.database import Database
from tests.test_excel_export import COST_FIGURES, INTERNAL_WORDS, SUPPLIERS, _xml_texts, recalculate, row_of

D = Decimal


def _export(db: Database, ids: list[uuid.UUID], tmp_path: Path) -> tuple[Path, object]:
    comparison = compare_estimates(db, ids)
    path = tmp_path / "options.xlsx"
    export_comparison(db, comparison, path)
    return path, comparison


def test_each_option_by_section_with_totals_that_recalculate_to_the_app(
    demo_db: Database, full_booth_id: uuid.UUID, half_booth_id: uuid.UUID, tmp_path: Path
) -> None:
    half = EstimateDocument(demo_db, half_booth_id)
    half.set_estimate_fields({"contingency_pct": D("5"), "discount_pct": D("2.5"), "tax_pct": D("8.875"),
                              "show_contingency_line": True})
    path, comparison = _export(demo_db, [full_booth_id, half_booth_id], tmp_path)
    full, half = EstimateDocument(demo_db, full_booth_id), EstimateDocument(demo_db, half_booth_id)
    ws = load_workbook(path)[SHEET]
    header = row_of(ws, "Section")
    assert [c.value for c in ws[header]] == [
        "Section",
        "Full booth",
        "Half booth",
        "Half booth compared with Full booth",
    ]
    assert ws["A1"].value == "Northlight Productions"
    sections = [row.name for row in comparison.sections]  # type: ignore[attr-defined]
    assert [ws.cell(header + 1 + i, 1).value for i in range(len(sections))] == sections
    led = row_of(ws, "LED screen")
    assert (ws[f"B{led}"].value, ws[f"C{led}"].value) == (57400, 29120)
    labels = ["Subtotal", "Contingency", "Discount", "Net", "Sales tax", "Total (USD)"]
    got = recalculate(path, SHEET, *(f"{col}{row_of(ws, label)}" for label in labels for col in "BCD"))
    want = []
    for label in labels:
        a, b = (_figure(doc, label) for doc in (full, half))
        want += [a, b, b - a]
    assert got == want
    assert got[-3:] == [full.totals.total, half.totals.total, half.totals.total - full.totals.total]
    (delta,) = recalculate(path, SHEET, f"D{led}")
    assert delta == comparison.row("LED screen").cell(Metric.PRICE, 1).delta  # type: ignore[attr-defined]
    # Printed like the other workbooks: fitted to the page width, the heading row on every page.
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.freeze_panes == f"B{header + 1}"
    assert ws.row_dimensions[header].height >= 30  # the long heading wraps onto two lines at least
    for col in "BCD":
        assert ws.column_dimensions[col].width >= len("-$39,360.00") + 0.7


def test_an_option_folding_its_contingency_shows_the_quotes_section_prices_and_the_same_total(
    demo_db: Database, full_booth_id: uuid.UUID, half_booth_id: uuid.UUID, tmp_path: Path
) -> None:
    """The half booth's quote has its 7 % contingency in the line prices: the comparison shows its
    sections at those prices (to the cent the quote's), a contingency of 0 and the same total."""
    from app.services.quote.content import quote_content

    EstimateDocument(demo_db, half_booth_id).set_estimate_fields(
        {"contingency_pct": D("7"), "discount_pct": D("2.5"), "show_contingency_line": False})
    EstimateDocument(demo_db, full_booth_id).set_estimate_fields(
        {"contingency_pct": D("5"), "show_contingency_line": True})
    path, comparison = _export(demo_db, [full_booth_id, half_booth_id], tmp_path)
    full, half = EstimateDocument(demo_db, full_booth_id), EstimateDocument(demo_db, half_booth_id)
    quoted = {section.name: section.total for section in quote_content(half, demo_db).sections}
    ws = load_workbook(path)[SHEET]
    sections = [row.name for row in comparison.sections]  # type: ignore[attr-defined]
    assert {name: D(str(ws[f"C{row_of(ws, name)}"].value)) for name in quoted} == quoted
    assert quoted["LED screen"] > comparison.row("LED screen").cell(Metric.PRICE, 1).value  # type: ignore[attr-defined]
    assert {name: D(str(ws[f"B{row_of(ws, name)}"].value)) for name in sections} == {
        name: comparison.row(name).cell(Metric.PRICE, 0).value for name in sections  # type: ignore[attr-defined]
    }
    labels = ["Subtotal", "Contingency", "Total (USD)"]
    got = recalculate(path, SHEET, *(f"{col}{row_of(ws, label)}" for label in labels for col in "BC"))
    assert got == [
        full.totals.subtotal, half.totals.subtotal + half.totals.contingency,
        full.totals.contingency, D("0"),
        full.totals.total, half.totals.total,
    ]
    assert any("included in the section prices of Half booth" in str(c.value) for c in ws["A"])


def _figure(doc: EstimateDocument, label: str) -> Decimal:
    t = doc.totals
    return {
        "Subtotal": t.subtotal,
        "Contingency": t.contingency,
        "Discount": -t.discount,
        "Net": t.net,
        "Sales tax": t.tax,
        "Total (USD)": t.total,
    }[label]


def test_the_comparison_holds_nothing_internal(
    demo_db: Database, full_booth_id: uuid.UUID, half_booth_id: uuid.UUID, tmp_path: Path
) -> None:
    path, _comparison = _export(demo_db, [full_booth_id, half_booth_id], tmp_path)
    docs = [EstimateDocument(demo_db, i) for i in (full_booth_id, half_booth_id)]
    internal = {
        line.description for doc in docs for line in doc.lines() if line.description != doc.client_text(line)
    }
    figures = {
        *COST_FIGURES,
        *(format(doc.totals.cost.normalize(), "f") for doc in docs),
        *(format(doc.totals.margin.normalize(), "f") for doc in docs),
    }
    parts = _xml_texts(path)
    with zipfile.ZipFile(path) as z:
        raw = {name: z.read(name).decode("utf-8", "replace") for name in z.namelist() if name in parts}
    assert any(name.startswith("xl/worksheets/") for name in parts)
    for name, texts in parts.items():
        for text in texts:
            assert not INTERNAL_WORDS.search(text), (name, text)
            assert not re.search(r"\b(hours|crew days)\b", text, re.IGNORECASE), (name, text)
            for word in (*SUPPLIERS, *internal):
                assert word not in text, (name, word)
        for figure in figures:
            assert not re.search(rf"(?<![\d.]){figure}(\.0+)?(?![\d])", raw[name]), (name, figure)
    assert "hidden" not in raw["xl/workbook.xml"]


def test_three_options_print_landscape(
    demo_db: Database, full_booth_id: uuid.UUID, half_booth_id: uuid.UUID, tmp_path: Path
) -> None:
    from app.services.estimate.scenarios import duplicate_estimate

    third = duplicate_estimate(demo_db, half_booth_id, "Half booth, no rigging")
    path, _comparison = _export(demo_db, [full_booth_id, half_booth_id, third], tmp_path)
    ws = load_workbook(path)[SHEET]
    assert ws.page_setup.orientation == "landscape"
    header = row_of(ws, "Section")
    assert [c.value for c in ws[header]][4:] == [
        "Half booth compared with Full booth",
        "Half booth, no rigging compared with Full booth",
    ]
    total = row_of(ws, "Total (USD)")
    half = EstimateDocument(demo_db, half_booth_id).totals.total
    assert recalculate(path, SHEET, f"C{total}", f"D{total}") == [half, half]
