"""The Excel export read back: every client value and format, live totals recalculated to the cent,
nothing internal anywhere in the quote's XML, typed text that never becomes a formula, the cost sheet."""

from __future__ import annotations

import errno
import gc
import io
import os
import re
import sys
import textwrap
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pycel import ExcelCompiler
from sqlalchemy import select, update

from app.models import Client, Company
from app.services.estimate.document import EstimateDocument
from app.services.estimate.pricing import ADDON, EXCLUDED, INCLUDED, say_out_loud
from app.services.excel.cost_sheet import export_cost_sheet
from app.services.excel.export import export_estimate, find_estimates
from app.services.excel.quote import export_quote
from app.services.excel.workbook import ExportCancelled, ExportError
from app.services.money import CENT, ZERO
from app.services.storage.database import Database
from tests.factories import make_estimate

SUPPLIERS = ("Brightline Video Rentals", "SkyPoint Rigging", "RoadRunner Freight", "Brightline", "SkyPoint",
             "RoadRunner")
# Costs of the Full booth that must never reach the client: panels, processors, labour lines, totals, margin.
COST_FIGURES = ("28224", "55044", "40536", "4840", "2640", "1430", "2970", "7200")
INTERNAL_WORDS = re.compile(r"\b(cost|costs|margin|margins|markup)\b", re.IGNORECASE)


@pytest.fixture
def doc(demo_db: Database, full_booth_id: uuid.UUID) -> EstimateDocument:
    return EstimateDocument(demo_db, full_booth_id)


def rows(ws: Worksheet) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def row_of(ws: Worksheet, label: str, column: int = 1) -> int:
    """The 1-based row whose cell in ``column`` reads ``label``."""
    for row in ws.iter_rows(min_col=column, max_col=column):
        if row[0].value == label:
            return row[0].row
    raise AssertionError(f"no row labelled {label!r}")


def recalculate(path: Path, sheet: str, *cells: str) -> list[Decimal]:
    """What a spreadsheet program computes for these cells, to the cent (pycel evaluates the formulas)."""
    xl = ExcelCompiler(filename=str(path))
    return [Decimal(repr(float(xl.evaluate(f"{sheet}!{cell}")))).quantize(CENT) for cell in cells]


def quote(doc: EstimateDocument, tmp_path: Path, **kwargs: Any) -> tuple[Path, Worksheet]:
    path = tmp_path / "quote.xlsx"
    export_quote(doc, path, **kwargs)
    return path, load_workbook(path)["Quote"]


# -- the client quote -------------------------------------------------------------------------------


def test_quote_lines_are_what_the_client_reads(doc: EstimateDocument, tmp_path: Path) -> None:
    _path, ws = quote(doc, tmp_path)
    by_text = {r[0]: r for r in rows(ws) if r[0]}
    assert ws["A1"].value == "Northlight Productions"
    assert by_text["Client"][1] == "Vantage Medical"
    assert by_text["Project"][1] == "Vantage @ MedTech Expo"
    assert by_text["Venue"][1] == "Las Vegas Convention Center"
    assert by_text["Dates"][1] == "8 Mar 2027 – 11 Mar 2027"
    for section in doc.sections:
        assert section.name in by_text
        assert doc.fill(section.client_description) in by_text
        for line in section.lines:
            _text, qty, unit, unit_price, price = by_text[doc.client_text(line)][:5]
            assert qty == line.quantity
            assert Decimal(str(price)) == line.price.price
            assert Decimal(str(unit_price)) * line.quantity == line.price.price
            assert unit  # "panel × 4 days"
    panels = by_text["LED video panels, 500 mm (392 panels)"]
    assert panels[1:5] == [392, "panel × 4 days", 140, 54880]
    assert by_text["Installation crew"][1:5] == [8, "person × 10 h", 935, 7480]
    assert "Prices in USD" in " ".join(str(r[0]) for r in rows(ws))


def test_quote_totals_are_live_formulas_that_recalculate_to_the_app(doc: EstimateDocument,
                                                                     tmp_path: Path) -> None:
    path, ws = quote(doc, tmp_path)
    sub, total = row_of(ws, "Subtotal"), row_of(ws, "Total (USD)")
    assert ws[f"E{sub}"].data_type == "f" and ws[f"E{sub}"].value.startswith("=SUM(")
    assert ws[f"E{total}"].data_type == "f"
    section_rows = [row_of(ws, f"Total {s.name}") for s in doc.sections]
    for r in section_rows:
        assert ws[f"E{r}"].value.startswith("=SUM(E")
    got = recalculate(path, "Quote", *(f"E{r}" for r in section_rows), f"E{sub}", f"E{total}")
    want = [doc.totals.groups[s.id].price for s in doc.sections] + [doc.totals.subtotal, doc.totals.total]
    assert got == want
    assert got[-1] == Decimal("95580.00")


@pytest.mark.parametrize("as_line", [True, False], ids=["contingency as a line", "contingency folded"])
@pytest.mark.parametrize(("contingency", "discount", "tax"), [
    ("10", "0", "0"), ("0", "5", "0"), ("0", "0", "8.875"), ("7.5", "3.25", "8.875"),
    ("12.345", "4.5", "13")])
def test_contingency_discount_and_tax_recalculate_to_the_cent(
        doc: EstimateDocument, tmp_path: Path, contingency: str, discount: str, tax: str,
        as_line: bool) -> None:
    doc.set_estimate_fields({"contingency_pct": Decimal(contingency), "discount_pct": Decimal(discount),
                             "tax_pct": Decimal(tax), "show_contingency_line": as_line})
    # An odd cent on one line, so the percentages land on half cents and below.
    line = doc.sections[0].lines[0]
    doc.set_line_fields(line.id, {"price_override": Decimal("54880.37")})
    t = doc.totals
    path, ws = quote(doc, tmp_path)
    shown = as_line and t.contingency
    # Folded, the lines carry the contingency: the subtotal is the app's subtotal plus contingency.
    cells = {"Subtotal": t.subtotal + (ZERO if shown else t.contingency), "Total (USD)": t.total}
    if shown:
        cells["Contingency"] = t.contingency
    else:
        assert "Contingency" not in [r[0] for r in rows(ws)]
    if t.discount:
        cells["Discount"] = -t.discount
    if t.tax:
        cells["Sales tax"] = t.tax  # the company's tax label
    if shown or t.discount:
        cells["Net"] = t.net
    for label in cells:
        assert ws[f"E{row_of(ws, label)}"].data_type == "f", label
    got = recalculate(path, "Quote", *(f"E{row_of(ws, label)}" for label in cells))
    assert dict(zip(cells, got, strict=True)) == cells
    for label, pct in (("Contingency", contingency), ("Discount", discount), ("Sales tax", tax)):
        if Decimal(pct) and (label != "Contingency" or as_line):
            assert Decimal(str(ws[f"D{row_of(ws, label)}"].value)) == Decimal(pct)


def test_optional_items_alternatives_and_range_stay_out_of_the_total(doc: EstimateDocument,
                                                                    tmp_path: Path) -> None:
    _led, rigging, labour, logistics, management = doc.sections
    addon = labour.lines[4]  # the LED technicians become an optional add-on
    doc.set_line_fields(addon.id, {"optional": True})
    doc.set_section_fields(management.id, {"optional": True})
    truss = rigging.lines[1]
    doc.set_line_fields(truss.id, {"range_low_pct": Decimal(10), "range_high_pct": Decimal(25)})
    # Two ways to move the show: the truck is chosen, the alternative is listed apart.
    doc.set_line_fields(logistics.lines[0].id, {"alternative_group": "transport", "alternative_chosen": True})
    alt = doc.add_line(logistics.id, 1, {
        "description": "Two vans, RoadRunner Freight", "client_description": "Two vans instead of a truck",
        "kind": "freight", "quantity": Decimal(2), "unit": "van", "unit_cost": Decimal(900),
        "markup_pct": Decimal(20), "alternative_group": "transport"})
    assert doc.inclusion(doc.line(alt.id)) == EXCLUDED
    assert doc.inclusion(addon) == ADDON and doc.totals.has_range
    doc.set_estimate_fields({"show_budget_range": True})
    path, ws = quote(doc, tmp_path)
    values = rows(ws)
    texts = [r[0] for r in values]
    optional_at = texts.index("Optional items — not included in the total")
    total_at = row_of(ws, "Total (USD)")
    assert optional_at + 1 > total_at
    assert texts.index(doc.client_text(addon)) > optional_at
    assert "Option: Management" in texts and texts.index("Option: Management") > optional_at
    alt_row = next(r for r in values if r[0] and str(r[0]).startswith("Two vans instead of a truck"))
    assert alt_row[0] == "Two vans instead of a truck (instead of Transport to and from the venue)"
    assert Decimal(str(alt_row[4])) == doc.line(alt.id).price.price - logistics.lines[0].price.price
    (got,) = recalculate(path, "Quote", f"E{total_at}")
    assert got == doc.totals.total
    assert doc.totals.total == Decimal("95580.00") - Decimal("6270.00") - Decimal("3300.00")
    addons_row = row_of(ws, "Total optional add-ons")
    (addons_total,) = recalculate(path, "Quote", f"E{addons_row}")
    assert addons_total == addon.price.price
    low, high = say_out_loud(doc.totals.range_low, doc.totals.range_high)
    budget = values[row_of(ws, "Budget range") - 1]
    assert (Decimal(str(budget[3])), Decimal(str(budget[4]))) == (low, high)
    assert low < doc.totals.total < high


def test_quote_formats_print_setup_and_frozen_header(doc: EstimateDocument, tmp_path: Path) -> None:
    path, ws = quote(doc, tmp_path)
    header = row_of(ws, "Item")
    assert [c.value for c in ws[header]][:5] == ["Item", "Qty", "Unit", "Unit price", "Price"]
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert "Northlight Productions" in ws.oddHeader.left.text
    assert ws.column_dimensions["A"].width >= 40
    money_cells = [ws[f"{col}{row_of(ws, label)}"] for label in ("Subtotal", "Total (USD)") for col in "E"]
    line_row = row_of(ws, "Installation crew")
    money_cells += [ws[f"D{line_row}"], ws[f"E{line_row}"]]
    for cell in money_cells:
        assert cell.number_format.startswith('"$"#,##0.00'), cell.coordinate
    assert ws[f"B{line_row}"].number_format == "#,##0.####"
    assert len(ws._images) == 1  # the demo company's logo
    wb = load_workbook(path)
    assert wb.sheetnames == ["Quote"]
    assert wb.properties.creator == "Northlight Productions"
    assert "Vantage @ MedTech Expo" in wb.properties.title


def _label_cell(ws: Worksheet) -> str:
    """The quote's label ("Quote Q2027-0001 · Revision 1"): the row above its date."""
    return str(ws.cell(row_of(ws, "Date") - 1, 1).value)


def test_the_heading_is_the_company_the_client_and_the_dates(demo_db: Database, doc: EstimateDocument,
                                                            tmp_path: Path) -> None:
    with demo_db.write() as conn:
        conn.execute(update(Client.__table__).where(Client.__table__.c.name == "Vantage Medical")  # type: ignore[attr-defined]
                     .values(billing_address="Accounts payable\n200 Longwood Ave\nBoston, MA 02115"))
    _path, ws = quote(doc, tmp_path)
    col_a = [r[0] for r in rows(ws)]
    assert col_a[:4] == ["Northlight Productions", "2150 Industrial Road, Suite 4", "Las Vegas, NV 89102",
                         "+1 702 555 0100 · quotes@northlight.example"]
    by_text = {r[0]: r for r in rows(ws) if r[0]}
    today = date.today()
    valid = today + timedelta(days=30)  # the company's validity
    assert by_text["Date"][1] == f"{today.day} {today:%b %Y}"
    assert by_text["Valid until"][1] == f"{valid.day} {valid:%b %Y}"
    assert by_text["Contact"][1] == "Helen Cho, Trade show manager"  # the client's one contact
    contact_row = row_of(ws, "Contact")
    assert ws[f"B{contact_row + 1}"].value == "hcho@vantagemed.example · +1 617 555 0131"
    billing = row_of(ws, "Billing address")
    assert [ws[f"B{billing + n}"].value for n in range(3)] == ["Accounts payable", "200 Longwood Ave",
                                                              "Boston, MA 02115"]
    assert len(ws._images) == 1  # the logo stored in the settings
    assert ws._images[0].anchor._from.col == 3  # column D: top right
    assert "50% deposit" in " ".join(str(v) for v in col_a if v)


def test_the_logo_fits_the_top_right_corner(demo_db: Database, doc: EstimateDocument, tmp_path: Path) -> None:
    import base64

    from PIL import Image as PilImage

    company = Company.__table__  # type: ignore[attr-defined]
    for size, shown in (((400, 100), (210, 52)), ((100, 400), (16, 64)), ((120, 32), (210, 56))):
        picture = io.BytesIO()
        PilImage.new("RGB", size, (14, 116, 144)).save(picture, "PNG")
        with demo_db.write() as conn:
            conn.execute(update(company).values(logo=base64.b64encode(picture.getvalue()).decode()))
        _path, ws = quote(doc, tmp_path)
        (image,) = ws._images
        extent = image.anchor.ext  # as shown on the sheet, in EMU (9525 a pixel)
        assert (extent.cx / 9525, extent.cy / 9525) == shown, size


def test_a_company_without_a_logo_or_with_a_damaged_one_gets_none(demo_db: Database, doc: EstimateDocument,
                                                                   tmp_path: Path) -> None:
    company = Company.__table__  # type: ignore[attr-defined]
    for stored in ("", "iVBORw0KGgo=", "not base64 at all!"):
        with demo_db.write() as conn:
            conn.execute(update(company).values(logo=stored))
        _path, ws = quote(doc, tmp_path)
        assert ws._images == [], stored
        assert ws["A1"].value == "Northlight Productions"


def test_the_main_contact_is_the_one_addressed(demo_db: Database, doc: EstimateDocument,
                                               tmp_path: Path) -> None:
    from app.models import Contact

    client_id = _client_id(demo_db, "Vantage Medical")
    with demo_db.write() as conn:
        conn.execute(Contact.__table__.insert().values(**Contact(  # type: ignore[attr-defined]
            client_id=client_id, name="Ravi Patel", title="Procurement", email="rpatel@vantagemed.example",
            is_main=True).model_dump()))
    _path, ws = quote(doc, tmp_path)
    assert ws[f"B{row_of(ws, 'Contact')}"].value == "Ravi Patel, Procurement"
    with demo_db.write() as conn:
        conn.execute(update(Contact.__table__).values(is_main=False))  # type: ignore[attr-defined]
    _path, ws = quote(doc, tmp_path)  # two contacts and none the main one: no guess
    assert "Contact" not in [r[0] for r in rows(ws)]


def _client_id(db: Database, name: str) -> uuid.UUID:
    table = Client.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return uuid.UUID(str(conn.execute(select(table.c.id).where(table.c.name == name)).scalar_one()))


def _xml_texts(path: Path) -> dict[str, list[str]]:
    """Every text node and attribute value of every XML part of the workbook, by part name."""
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if not (name.endswith(".xml") or name.endswith(".rels")):
                assert name.startswith("xl/media/"), name  # the logo is the only other part
                continue
            texts: list[str] = []
            for element in ElementTree.fromstring(data).iter():
                texts += [element.text or "", element.tail or "", *element.attrib.values()]
            out[name] = [t for t in texts if t.strip()]
    return out


def test_the_quote_holds_nothing_internal_in_any_xml_part(doc: EstimateDocument, tmp_path: Path) -> None:
    doc.set_estimate_fields({"tax_pct": Decimal("8.875")})
    path, ws = quote(doc, tmp_path)
    parts = _xml_texts(path)
    assert "docProps/core.xml" in parts and any(n.startswith("xl/worksheets/") for n in parts)
    internal = [line.description for line in doc.lines() if line.description != doc.client_text(line)]
    shown = " ".join(t for texts in parts.values() for t in texts)
    # The heading is there, and the checks below cover it.
    for heading in ("2150 Industrial Road, Suite 4", "quotes@northlight.example", "Valid until",
                    "Helen Cho, Trade show manager", "Sales tax", "50% deposit"):
        assert heading in shown, heading
    with zipfile.ZipFile(path) as z:
        raw = {name: z.read(name).decode("utf-8", "replace") for name in z.namelist() if name in parts}
    for name, texts in parts.items():
        for text in texts:
            assert not INTERNAL_WORDS.search(text), (name, text)
            for word in (*SUPPLIERS, *internal):
                assert word not in text, (name, word)
        for figure in COST_FIGURES:
            assert not re.search(rf"(?<![\d.]){figure}(\.0+)?(?![\d])", raw[name]), (name, figure)
        assert "18.00" not in raw[name] and "55.00" not in raw[name]
    assert not any(name.startswith(("xl/comments", "customXml", "docProps/custom")) for name in parts)
    workbook = raw["xl/workbook.xml"]
    assert 'state="hidden"' not in workbook and "veryHidden" not in workbook
    # The one defined name is the print titles; Excel recalculates every formula on open.
    header = row_of(ws, "Item")
    assert re.findall(r"<definedName [^>]*>([^<]*)<", workbook) == [f"'Quote'!${header}:${header}"]
    assert 'fullCalcOnLoad="1"' in workbook


def test_typed_text_never_becomes_a_formula(demo_db: Database, doc: EstimateDocument, tmp_path: Path) -> None:
    evil_client = '=HYPERLINK("http://x","y")'
    with demo_db.write() as conn:
        table = Client.__table__  # type: ignore[attr-defined]
        conn.execute(update(table).where(table.c.name == "Vantage Medical").values(name=evil_client))
    doc.reload()
    typed = ["+1 555", "-", "@SUM(A1)", "=1+1", "\tTabbed", "-2"]
    lines = list(doc.lines())
    for line, text in zip(lines, typed, strict=False):
        doc.set_line_fields(line.id, {"client_description": text})
    path, ws = quote(doc, tmp_path)
    client = ws[f"B{row_of(ws, 'Client')}"]
    assert (client.value, client.data_type, client.quotePrefix) == (evil_client, "s", True)
    for text in typed:
        cell = ws[f"A{row_of(ws, text)}"]
        assert cell.data_type == "s" and cell.value == text
        assert cell.quotePrefix == text.startswith(("=", "+", "-", "@", "\t"))
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    formulas = re.findall(r"<f>([^<]*)</f>", sheet)
    assert formulas and all(f.startswith(("SUM(", "ROUND(", "-ROUND(", "E")) for f in formulas), formulas
    assert "HYPERLINK" not in " ".join(formulas)
    # The cost sheet writes the same typed text safely too.
    export_cost_sheet(doc, tmp_path / "costs.xlsx")
    costs = load_workbook(tmp_path / "costs.xlsx")["Cost sheet"]
    plus = costs[f"C{row_of(costs, '+1 555', column=3)}"]
    assert plus.data_type == "s" and plus.quotePrefix


def test_control_characters_from_word_export_and_read_back(demo_db: Database, doc: EstimateDocument,
                                                          tmp_path: Path) -> None:
    """Text stored before Tandem cleaned what is typed: Word's line break (a vertical tab) and a
    \\x01 in a section name, a line, a parameter, the client, project and estimate names."""
    from app.models import Estimate, EstimateParameter, LineItem, Project, Section
    from app.services.excel.importing import import_estimate
    from app.services.excel.tandem_sheets import read_tandem_workbook

    section, line, parameter = doc.sections[0], doc.sections[0].lines[0], doc.parameters[0]
    t = {m: m.__table__ for m in (Client, Project, Estimate, Section, LineItem,  # type: ignore[attr-defined]
                                  EstimateParameter)}
    with demo_db.write() as conn:
        for model, row_id, column, text in [
            (Section, section.id, "name", "LED\x0bwall\x01"),
            (Section, section.id, "client_description", "Two\x0blines\x02"),
            (LineItem, line.id, "description", "Panels\x0b500 mm\x01"),
            (LineItem, line.id, "client_description", "For the\x0bclient\x1f"),
            (EstimateParameter, parameter.id, "description", "Screen\x0bwidth\x01"),
            (Project, doc.header.project_id, "name", "Expo\x01"),
            (Estimate, doc.estimate_id, "notes", "Note\x0bone\x01"),
        ]:
            table = t[model]
            conn.execute(update(table).where(table.c.id == row_id).values({column: text}))
        client = t[Client]
        conn.execute(update(client).where(client.c.name == "Vantage Medical")
                     .values(name="Vantage\x0bMedical\x01"))
    doc.reload()
    _path, ws = quote(doc, tmp_path)
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"LED\nwall", "Vantage\nMedical"} <= texts
    assert not any(ch in text for text in texts for ch in "\x01\x02\x0b\x1f")
    costs = tmp_path / "costs.xlsx"
    export_cost_sheet(doc, costs)
    wb = load_workbook(costs)
    sheet = {c.value for row in wb["Cost sheet"].iter_rows() for c in row if isinstance(c.value, str)}
    assert {"LED\nwall", "Panels\n500 mm", "Vantage\nMedical · Expo · Full booth"} <= sheet
    assert wb.properties.title == "Cost sheet — Expo — Full booth"
    # The hidden data sheets read back as typed text is cleaned: a line break in a one-line field
    # is a space, in a paragraph a line break.
    imported = read_tandem_workbook(costs)
    copy = EstimateDocument(demo_db, import_estimate(demo_db, doc.header.project_id, "Copy", imported))
    first = copy.sections[0]
    assert (first.name, first.client_description) == ("LED wall", "Two\nlines")
    panels = first.lines[0]
    assert (panels.description, panels.client_description) == ("Panels 500 mm", "For the client")
    assert copy.parameters[0].description == "Screen width"
    assert copy.header.notes == "Note\none"
    assert copy.totals.total == doc.totals.total


def test_typed_control_characters_are_cleaned_before_they_are_stored(doc: EstimateDocument) -> None:
    section, line = doc.sections[0], doc.sections[0].lines[0]
    assert doc.parse_line_edit(line.id, "description", "Panels\x0b500 mm\x01") == \
        {"description": "Panels 500 mm"}
    assert doc.parse_section_edit(section.id, "name", "\x01LED\x0bwall") == {"name": "LED wall"}
    assert doc.parse_section_edit(section.id, "client_description", "Two\x0blines\r\n\x07") == \
        {"client_description": "Two\nlines"}
    assert doc.parse_estimate_edit("notes", "Note\x0bone\ttab\x01") == {"notes": "Note\none\ttab"}


def test_a_cancelled_export_leaves_no_file_and_keeps_the_old_one(doc: EstimateDocument,
                                                                  tmp_path: Path) -> None:
    target = tmp_path / "quote.xlsx"
    target.write_bytes(b"the good quote sent yesterday")
    seen: list[tuple[str, int, int]] = []

    def progress(step: str, done: int, total: int) -> bool:
        seen.append((step, done, total))
        return len(seen) < 2

    with pytest.raises(ExportCancelled, match="cancelled"):
        export_quote(doc, target, progress=progress)
    assert target.read_bytes() == b"the good quote sent yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quote.xlsx", "tandem-home", "tandem.db"]
    with pytest.raises(ExportCancelled):
        export_cost_sheet(doc, tmp_path / "new.xlsx", cancelled=lambda: True)
    assert not (tmp_path / "new.xlsx").exists()


class FullDisk:
    """A file on a disk with ``room`` bytes left: a write past it fails with ENOSPC, and so does
    closing the file afterwards (its buffer cannot be flushed), as on a real full disk."""

    def __init__(self, raw: Any, room: int) -> None:
        self._raw, self._room, self.full = raw, room, False

    def write(self, data: bytes) -> int:
        if self.full or self._raw.tell() + len(data) > self._room:
            self.full = True
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return int(self._raw.write(data))

    def close(self) -> None:
        self._raw.close()
        if self.full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


@pytest.mark.parametrize("room", [0, 3000, 9000])
@pytest.mark.parametrize("internal", [False, True], ids=["quote", "cost sheet"])
def test_a_full_disk_is_one_error_and_keeps_the_old_file(doc: EstimateDocument, tmp_path: Path,
                                                         internal: bool, room: int) -> None:
    """The workbook's folder fills up part way through the archive: one ExportError, no second
    failure when the archive is dropped (ZipFile.__del__ printed one), no partial file left."""
    folder = tmp_path / "share"
    folder.mkdir()
    target = folder / "quote.xlsx"
    target.write_bytes(b"the good quote sent yesterday")
    real_open = io.open

    def open_on_a_full_disk(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        opened = real_open(file, mode, *args, **kwargs)
        if "w" in mode and isinstance(file, str | os.PathLike) and Path(file).parent == folder:
            return FullDisk(opened, room)
        return opened

    unraisable: list[Any] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(io, "open", open_on_a_full_disk)
        patch.setattr(sys, "unraisablehook", unraisable.append)
        with pytest.raises(ExportError) as raised:
            export_estimate(doc, target, internal=internal)
        gc.collect()
        assert [u.exc_value for u in unraisable] == []
        assert str(raised.value) == \
            f"Cannot write {target}: the disk is full; the existing file is unchanged."
        assert target.read_bytes() == b"the good quote sent yesterday"
        assert [p.name for p in folder.iterdir()] == ["quote.xlsx"]  # no temporary file left
        target.unlink()
        with pytest.raises(ExportError, match="the disk is full; nothing was written"):
            export_estimate(doc, target, internal=internal)
        gc.collect()
    assert [u.exc_value for u in unraisable] == []
    assert list(folder.iterdir()) == []


def test_an_unwritable_target_is_a_clear_error(doc: EstimateDocument, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.xlsx"
    folder.mkdir()
    with pytest.raises(ExportError, match=r"a-folder\.xlsx"):
        export_quote(doc, folder)
    with pytest.raises(ExportError, match="does not exist"):
        export_quote(doc, tmp_path / "missing" / "quote.xlsx")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_clear_error(doc: EstimateDocument, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ExportError, match="Cannot write"):
            export_quote(doc, folder / "quote.xlsx")
    finally:
        folder.chmod(0o755)


def test_revision_label_follows_the_sent_quotes(demo_db: Database, doc: EstimateDocument,
                                                tmp_path: Path) -> None:
    from app.services.estimate.revisions import send_quote

    send_quote(demo_db, doc, "dana")
    _p, ws = quote(doc, tmp_path)
    assert re.fullmatch(r"Quote Q\d{4}-\d{4} · Revision 1", _label_cell(ws))
    doc.set_estimate_fields({"discount_pct": Decimal(5)})
    _p, ws = quote(doc, tmp_path)
    assert _label_cell(ws).endswith("· Revision 2 (draft)")


def test_a_sent_quote_is_dated_the_day_it_was_sent(demo_db: Database, doc: EstimateDocument,
                                                  tmp_path: Path) -> None:
    from app.models import QuoteRevision
    from app.services.estimate.revisions import send_quote

    send_quote(demo_db, doc, "dana")
    sent = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    with demo_db.write() as conn:
        conn.execute(update(QuoteRevision.__table__).values(sent_at=sent))  # type: ignore[attr-defined]
    _p, ws = quote(doc, tmp_path)
    by_text = {r[0]: r for r in rows(ws) if r[0]}
    local = sent.astimezone().date()
    valid = local + timedelta(days=30)
    assert (by_text["Date"][1], by_text["Valid until"][1]) == (f"{local.day} {local:%b %Y}",
                                                               f"{valid.day} {valid:%b %Y}")
    doc.set_estimate_fields({"discount_pct": Decimal(5)})  # changed since: the draft is dated today
    _p, ws = quote(doc, tmp_path)
    today = date.today()
    assert {r[0]: r for r in rows(ws) if r[0]}["Date"][1] == f"{today.day} {today:%b %Y}"


def test_a_large_quote_reports_progress_and_recalculates(db_path: Path, empty_db: Database,
                                                         tmp_path: Path) -> None:
    estimate = make_estimate(empty_db, 600, 12, contingency_pct=Decimal("2.5"), discount_pct=Decimal(3),
                             tax_pct=Decimal("7.25"))
    doc = EstimateDocument(empty_db, estimate)
    steps: list[int] = []
    path = tmp_path / "big.xlsx"
    export_quote(doc, path, progress=lambda step, done, total: steps.append(done) or True)
    assert steps[0] == 0 and steps[-1] == 600 and len(steps) >= 3
    ws = load_workbook(path)["Quote"]
    (got,) = recalculate(path, "Quote", f"E{row_of(ws, 'Total (USD)')}")
    assert got == doc.totals.total
    assert sum(1 for line in doc.lines() if doc.inclusion(line) == INCLUDED) < 600  # add-ons kept apart


# -- the internal cost sheet -----------------------------------------------------------------------


def test_cost_sheet_has_every_line_with_its_cost_basis_split_and_margin(doc: EstimateDocument,
                                                                        tmp_path: Path) -> None:
    path = tmp_path / "costs.xlsx"
    export_cost_sheet(doc, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Cost sheet", "Crew", "Supplier orders",
                             "Tandem data", "Tandem parameters", "Tandem estimate"]  # the last three hidden
    assert [wb[n].sheet_state for n in wb.sheetnames[3:]] == ["hidden"] * 3
    ws = wb["Cost sheet"]
    header = [c.value for c in ws[row_of(ws, "Section")]]
    col = {name: i for i, name in enumerate(header)}
    by_line = {r[col["Line (internal)"]]: r for r in rows(ws) if r[0] and r[col["Line (internal)"]]}
    for line in doc.lines():
        r = by_line[line.description]
        assert Decimal(str(r[col["Cost"]])) == line.price.cost
        assert Decimal(str(r[col["Price"]])) == line.price.price
        assert Decimal(str(r[col["Unit cost"]])) == line.unit_cost
    processors = by_line["LED processors, sub-rented from Brightline"]
    assert processors[col["Supplier"]] == "Brightline Video Rentals"
    assert processors[col["Markup %"]] == 40
    load_in = by_line["Stagehands, load-in"]
    assert [load_in[col[k]] for k in ("Role", "Qty", "Hours a day", "ST h", "OT h", "DT h", "Units")] == \
        ["Stagehand", 8, 10, 8, 2, 0, 88]
    assert load_in[col["Margin"]].startswith("=")
    total_cost, margin, margin_pct = (row_of(ws, label) for label in
                                      ("Total cost", "Margin (net − cost)", "Margin %"))
    cost_col, margin_col = "P", "S"
    got = recalculate(path, "Cost sheet", f"{cost_col}{total_cost}", f"{margin_col}{margin}",
                      f"T{margin_pct}", f"S{row_of(ws, 'Total Labour')}")
    assert got == [Decimal("55044.00"), Decimal("40536.00"), Decimal("42.41"),
                   doc.totals.groups[doc.sections[2].id].margin]
    crew = rows(wb["Crew"])
    assert crew[1] == ["Crew member", "Role", "Call (line)", "Starts", "Ends", "Hours", "Status"]
    assert len(crew) > 10 and all(r[0] for r in crew[2:])
    assert any(r[2] == "Stagehands, load-in" and r[5] == 10 for r in crew)
    orders = rows(wb["Supplier orders"])
    names = [r[0] for r in orders[2:-1]]
    assert names == ["Brightline Video Rentals", "RoadRunner Freight", "SkyPoint Rigging"]
    skypoint = orders[2 + names.index("SkyPoint Rigging")]
    # The motor points follow SkyPoint's quote SP-2291 (lead 10 days, transit 1) over SkyPoint's own
    # 14: need-by = load-in 8 Mar − 1 = 7 Mar, order-by = 7 Mar − 10 = 25 Feb (calendar days).
    assert (skypoint[6], skypoint[7], skypoint[8].date().isoformat(), skypoint[9].date().isoformat()) == \
        (10, 1, "2027-03-07", "2027-02-25")


def _printed_points(ws: Worksheet, paper_inches: float) -> float:
    """The 11 pt type as printed when the sheet is fitted to the width of a landscape page."""
    width_pt = sum(d.width for d in ws.column_dimensions.values()) * 7 * 0.75  # 7 px a width unit
    room_pt = (paper_inches - ws.page_margins.left - ws.page_margins.right) * 72
    return 11 * min(1.0, room_pt / width_pt)


def test_cost_sheet_prints_legibly_landscape_fitted_to_width(doc: EstimateDocument, tmp_path: Path) -> None:
    path = tmp_path / "costs.xlsx"
    export_cost_sheet(doc, path)
    ws = load_workbook(path)["Cost sheet"]
    header = row_of(ws, "Section")
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0  # as many pages down as needed
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${header}:${header}"  # the headings on every page
    assert ws.freeze_panes == f"C{header + 1}"
    # 21 columns across a landscape page: the type stays readable (it printed at ~5 pt).
    letter, a4 = _printed_points(ws, 11), _printed_points(ws, 11.69)
    print(f"cost sheet type on paper: {letter:.1f} pt (Letter), {a4:.1f} pt (A4)")
    assert letter >= 7.5 and a4 >= 8
    width = {c.column_letter: ws.column_dimensions[c.column_letter].width for c in ws[header]}
    # Every heading wraps at its spaces inside its column, and the header row is tall enough for it.
    for cell in ws[header]:
        assert cell.alignment.wrap_text, cell.value
        room = width[cell.column_letter] - 0.7  # less Excel's padding
        assert all(len(word) * 1.1 <= room for word in cell.value.split()), cell.value
        needed = len(textwrap.wrap(cell.value, int(room / 1.1)))
        assert ws.row_dimensions[header].height >= 15 * needed, cell.value
    # Figures fit their column (no ###), the totals below the lines too; wrapped text rows grow.
    price_col = next(c.column_letter for c in ws[header] if c.value == "Price")
    assert len(f"${doc.totals.total:,.2f}") + 0.7 <= width[price_col]
    for row in ws.iter_rows(min_row=header + 1):
        tallest = 1
        for cell in row:
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                fmt = cell.number_format
                shown = (f"${cell.value:,.2f}" if "$" in fmt else f"{cell.value:,} %" if "%" in fmt
                         else f"{cell.value:,}")
                assert len(shown) + 0.7 <= width[cell.column_letter], (cell.coordinate, shown)
            elif isinstance(cell.value, str) and not cell.value.startswith("=") and cell.alignment.wrap_text:
                room = width[cell.column_letter] - 0.7
                assert all(len(word) <= room for word in cell.value.split()), cell.value  # no word cut
                tallest = max(tallest, len(textwrap.wrap(cell.value, int(room) + 1)))
        if tallest > 1:
            assert (ws.row_dimensions[row[0].row].height or 15) >= 15 * tallest, row[0].row


def test_the_crew_and_orders_sheets_fit_their_values_and_headings(doc: EstimateDocument,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "costs.xlsx"
    export_cost_sheet(doc, path)
    wb = load_workbook(path)
    for name in ("Crew", "Supplier orders"):
        ws = wb[name]
        assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows == "$2:$2"
        for cell in ws[2]:  # the headings, wrapped inside their column in a row tall enough
            room = ws.column_dimensions[cell.column_letter].width - 0.7
            assert all(len(word) * 1.1 <= room for word in cell.value.split()), (name, cell.value)
            lines = len(textwrap.wrap(cell.value, int(room / 1.1)))
            assert (ws.row_dimensions[2].height or 15) >= 15 * lines, (name, cell.value)
    crew = wb["Crew"]
    assert crew.column_dimensions["D"].width >= len("11 Mar 2027 18:00") + 0.7  # no ### in Starts / Ends
    orders = wb["Supplier orders"]
    assert orders.column_dimensions["F"].width >= len("$11,400.00") + 0.7  # the total ordered too
    assert orders.row_dimensions[2].height >= 45  # "Lead time (days)" on three lines


def test_find_estimates_by_name_and_id(demo_db: Database, full_booth_id: uuid.UUID) -> None:
    assert [m[0] for m in find_estimates(demo_db, "Full booth")] == [full_booth_id]
    assert [m[0] for m in find_estimates(demo_db, "full BOOTH")] == [full_booth_id]
    assert [m[0] for m in find_estimates(demo_db, str(full_booth_id))] == [full_booth_id]
    assert find_estimates(demo_db, "No such thing") == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_an_exported_workbook_gets_the_usual_permissions(doc: EstimateDocument, tmp_path: Path) -> None:
    """Written through a private temporary file, the workbook must still be readable by the office."""
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "quote.xlsx"
        export_quote(doc, fresh)
        assert fresh.stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "shared.xlsx"
        kept.write_bytes(b"old")
        kept.chmod(0o664)
        export_quote(doc, kept)
        assert kept.stat().st_mode & 0o777 == 0o664  # a replaced file keeps its permissions
    finally:
        os.umask(old)
