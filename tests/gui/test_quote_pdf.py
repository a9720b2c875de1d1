"""File › Export quote as PDF… and File › Print… (Ctrl+P): the quote's one content rendered by Qt,
read back with pypdf — every section, the total and the terms, nothing internal, page numbers."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QCheckBox, QMainWindow

from app.services.estimate.document import EstimateDocument
from app.services.money import format_money
from app.services.quote.content import quote_content
from app.services.storage.database import Database
from app.ui.quote.actions import QuoteActions
from app.ui.quote.pdf import write_pdf
from tests.gui.conftest import FakeDialogs
from tests.test_excel_export import COST_FIGURES, INTERNAL_WORDS, SUPPLIERS

pytestmark = pytest.mark.gui


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(str(path))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def assert_is_the_quote(doc: EstimateDocument, path: Path) -> None:
    """The PDF says what the quote says: every section and line, the total, the terms; nothing internal."""
    pages, text = pdf_text(path)
    shown = flat(text)
    content = quote_content(doc)
    for section in (*content.sections, *content.options):
        assert section.name in shown, section.name
        for line in section.lines:
            assert flat(line.text) in shown, line.text
    assert format_money(doc.totals.total, doc.header.currency) in shown
    for paragraph in content.terms:
        assert flat(paragraph) in shown, paragraph
    assert content.heading.company in shown and content.heading.label in shown
    assert f"Page {pages} of {pages}" in shown
    internal = [line.description for line in doc.lines() if line.description != doc.client_text(line)]
    assert not INTERNAL_WORDS.search(shown), INTERNAL_WORDS.search(shown)
    for word in (*SUPPLIERS, *internal):
        assert word not in shown, word
    for figure in COST_FIGURES:
        assert not re.search(rf"(?<![\d.,]){figure[:-3]},{figure[-3:]}\.00", shown), figure
        assert not re.search(rf"(?<![\d.,]){figure}(?![\d])", shown), figure


def test_the_pdf_holds_the_quote_and_nothing_internal(
    qapp: Any, demo_db: Database, full_booth_id: uuid.UUID, tmp_path: Path
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    doc.set_estimate_fields({"tax_pct": Decimal("8.875"), "contingency_pct": Decimal(5)})
    doc.set_section_fields(doc.sections[4].id, {"optional": True})
    out = tmp_path / "quote.pdf"
    pages = write_pdf(quote_content(doc), out)
    assert pages == len(PdfReader(str(out)).pages) >= 1
    assert_is_the_quote(doc, out)
    shown = flat(pdf_text(out)[1])
    assert "Contingency" not in shown  # folded into the line prices: a new estimate shows no line
    assert "Option: Management" in shown and "Sales tax" in shown


def test_export_quote_as_pdf_from_the_file_menu(
    qtbot: Any, window: QMainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    exports: QuoteActions = window.quote_actions  # type: ignore[attr-defined]
    assert exports.pdf_action.isEnabled()
    dialogs.answers.append(str(tmp_path / "client-quote"))  # the extension is added
    exports.pdf_action.trigger()  # the quote is read off the GUI thread, then the save dialog asks
    assert exports.running is not None and not exports.pdf_action.isEnabled()
    out = tmp_path / "client-quote.pdf"
    qtbot.waitUntil(lambda: exports.running is None and out.exists(), timeout=20000)
    # Named as the Excel exports are (the demo's quote has no number yet), in the folder used last.
    proposed = [Path(p).name for p in dialogs.proposed]
    assert proposed == ["Vantage @ MedTech Expo – Full booth – quote draft.pdf"]
    assert dialogs.shown == [] and exports.pdf_action.isEnabled()
    assert_is_the_quote(window.workspace.doc, out)  # type: ignore[attr-defined]
    assert "Exported the quote" in window.statusBar().currentMessage()


def test_print_renders_the_same_quote_on_the_printer(
    qtbot: Any, window: QMainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    exports: QuoteActions = window.quote_actions  # type: ignore[attr-defined]
    assert exports.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    assert exports.print_action.shortcut().toString() == "Ctrl+P"
    exports.print_action.trigger()  # the print dialog cancelled: nothing printed
    qtbot.waitUntil(lambda: exports.running is None, timeout=20000)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    dialogs.printer = printer
    exports.print_action.trigger()
    qtbot.waitUntil(lambda: exports.running is None and out.exists(), timeout=20000)
    assert dialogs.shown == []
    assert_is_the_quote(window.workspace.doc, out)  # type: ignore[attr-defined]
    assert "Sent the quote" in window.statusBar().currentMessage()


def test_the_quote_choices_are_ticks_in_the_client_pane_each_one_undo_step(
    qtbot: Any, window: QMainWindow, tmp_path: Path
) -> None:
    doc = window.workspace.doc  # type: ignore[attr-defined]
    pane = window.workspace.client_pane  # type: ignore[attr-defined]
    line_box = pane.findChild(QCheckBox, "showContingencyLine")
    range_box = pane.findChild(QCheckBox, "showBudgetRange")
    assert not line_box.isChecked() and not range_box.isChecked()
    assert pane.contingency_caption.text() == "Contingency (in the quote's line prices)"
    line_box.click()
    assert doc.header.show_contingency_line and line_box.isChecked()
    assert pane.contingency_caption.text() == "Contingency"
    range_box.click()
    assert doc.header.show_budget_range
    stored = EstimateDocument(doc.db, doc.estimate_id).header  # saved, not only shown
    assert stored.show_contingency_line and stored.show_budget_range
    window.undo_action.trigger()  # type: ignore[attr-defined]
    assert not doc.header.show_budget_range and doc.header.show_contingency_line
    assert not range_box.isChecked()
    window.undo_action.trigger()  # type: ignore[attr-defined]
    assert not doc.header.show_contingency_line and not line_box.isChecked()


def test_a_pdf_that_cannot_be_written_is_one_message_and_leaves_no_file(
    qtbot: Any, window: QMainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    exports: QuoteActions = window.quote_actions  # type: ignore[attr-defined]
    dialogs.answers.append(str(tmp_path / "no-such-folder" / "quote.pdf"))
    exports.pdf_action.trigger()
    qtbot.waitUntil(lambda: bool(dialogs.shown) and exports.running is None, timeout=20000)
    assert dialogs.shown[0][0] == "error" and "does not exist" in dialogs.shown[0][2]
    exports.pdf_action.trigger()  # the save dialog cancelled: nothing written
    qtbot.waitUntil(lambda: exports.running is None and len(dialogs.proposed) == 2, timeout=20000)
    assert not list(tmp_path.glob("*.pdf"))


def test_a_cancelled_pdf_keeps_the_older_file(
    qapp: Any, demo_db: Database, full_booth_id: uuid.UUID, tmp_path: Path
) -> None:
    from app.services.excel.workbook import ExportCancelled

    out = tmp_path / "sent" / "quote.pdf"
    out.parent.mkdir()
    out.write_bytes(b"the PDF sent last week")
    content = quote_content(EstimateDocument(demo_db, full_booth_id))
    with pytest.raises(ExportCancelled):
        write_pdf(content, out, lambda step, done, total: False)
    assert out.read_bytes() == b"the PDF sent last week"
    assert [p.name for p in out.parent.iterdir()] == ["quote.pdf"]  # no temporary file left beside it
