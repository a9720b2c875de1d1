"""Edit › Supplier quotes… driven as a user does: a quote added for a supplier and checked cell by cell,
its Items… and an item's Breaks… in the same editor, its file browsed and opened, others' changes
reaching the open editors at the next poll."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton

from app.services import master_data
from app.services.catalog.suppliers import SUPPLIERS
from app.services.storage.database import open_database
from app.services.supply.quotes import SUPPLIER_QUOTE_ITEMS, SUPPLIER_QUOTES
from app.ui.main_window import MainWindow
from app.ui.master_data import MasterDataDialog
from app.ui.supply.editors import SupplierQuotesDialog
from tests.gui.helpers import type_into_cell, workspace

pytestmark = pytest.mark.gui


def open_quotes(window: MainWindow) -> SupplierQuotesDialog:
    action = window.findChild(QAction, "actionSupplierQuotes")
    assert action is not None and action in window.menuBar().actions()[1].menu().actions()
    action.trigger()
    editor = window.editor_actions.master_editors["supplier_quotes"]
    assert isinstance(editor, SupplierQuotesDialog) and editor.isVisible()
    return editor


def cell_of(editor: MasterDataDialog, name: str, key: str) -> Any:
    row = next(n for n, r in enumerate(editor.model.rows) if r.name(editor.kind) == name)
    return editor.model.index(row, next(n for n, f in enumerate(editor.kind.fields) if f.key == key))


def click(qtbot: Any, editor: MasterDataDialog, name: str) -> None:
    button = editor.findChild(QPushButton, name)
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def add(qtbot: Any, editor: MasterDataDialog, dialogs: Any, *answers: Any) -> None:
    count = len(editor.model.rows)
    dialogs.answers.extend(answers)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(editor.model.rows) == count + 1)


def skypoint(quotes: MasterDataDialog) -> int:
    """SkyPoint Rigging's place in the list a new quote's supplier is picked from."""
    choices = quotes.kind.field_by_key["supplier_id"].choices
    assert choices is not None
    return [name for _id, name in choices(quotes.db)].index("SkyPoint Rigging")


def select(editor: MasterDataDialog, name: str) -> None:
    editor.table.setCurrentIndex(cell_of(editor, name, editor.kind.name_key))


def test_a_quote_is_added_checked_and_given_items_and_breaks(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, dialogs, qtmodeltester
) -> None:
    quotes = open_quotes(window)
    qtmodeltester.check(quotes.model, force_py=False)
    add(qtbot, quotes, dialogs, skypoint(quotes), "SR-900")
    assert cell_of(quotes, "SR-900", "supplier_id").data() == "SkyPoint Rigging"
    type_into_cell(qtbot, quotes.table, cell_of(quotes, "SR-900", "quote_date"), "2027-03-01")
    type_into_cell(qtbot, quotes.table, cell_of(quotes, "SR-900", "valid_until"), "2027-02-27")
    assert (
        quotes.message.text() == "Valid until (27 Feb 2027) cannot be before the quote's date (1 Mar 2027)."
    )
    type_into_cell(qtbot, quotes.table, cell_of(quotes, "SR-900", "valid_until"), "2027-03-31")
    qtbot.waitUntil(lambda: cell_of(quotes, "SR-900", "valid_until").data() == "31 Mar 2027")
    type_into_cell(qtbot, quotes.table, cell_of(quotes, "SR-900", "lead_time_days"), "400")
    assert quotes.message.text() == "Lead time must be at most 365."

    select(quotes, "SR-900")
    click(qtbot, quotes, "supplierQuoteItemsButton")
    items = quotes.child_editors["supplierQuoteItems"]
    assert items.isVisible() and items.windowTitle() == "Items of SR-900 (SkyPoint Rigging)"
    qtmodeltester.check(items.model, force_py=False)
    add(qtbot, items, dialogs, "1-ton chain motor")
    type_into_cell(qtbot, items.table, cell_of(items, "1-ton chain motor", "unit_cost"), "-5")
    assert items.message.text() == "Unit cost cannot be negative."
    type_into_cell(qtbot, items.table, cell_of(items, "1-ton chain motor", "unit_cost"), "150")
    qtbot.waitUntil(lambda: cell_of(items, "1-ton chain motor", "unit_cost").data() == "150.00")

    select(items, "1-ton chain motor")
    click(qtbot, items, "supplierQuoteBreaksButton")
    breaks = items.child_editors["supplierQuoteBreaks"]
    assert breaks.windowTitle() == "Quantity breaks of 1-ton chain motor"
    add(qtbot, breaks, dialogs, "10")
    type_into_cell(qtbot, breaks.table, breaks.model.index(0, 1), "140")
    qtbot.waitUntil(lambda: breaks.model.index(0, 1).data() == "140.00")
    dialogs.answers.append("10")
    qtbot.mouseClick(breaks.add_button, Qt.MouseButton.LeftButton)
    assert breaks.message.text() == "This item already has a break from 10 units."
    assert len(breaks.model.rows) == 1

    (quote,) = [r for r in master_data.load(quotes.db, SUPPLIER_QUOTES) if r.values["number"] == "SR-900"]
    (item,) = master_data.load(quotes.db, SUPPLIER_QUOTE_ITEMS, quote.id)
    assert (item.values["unit_cost"], quote.values["lead_time_days"]) == (Decimal(150), None)
    breaks.undo_stack.undo()  # the break's cost back, then the break itself
    breaks.undo_stack.undo()
    qtbot.waitUntil(lambda: breaks.model.rowCount() == 0)

    select(quotes, "SP-2291")  # the demo's motor points follow it: refused at once, saying where
    qtbot.mouseClick(quotes.delete_button, Qt.MouseButton.LeftButton)
    assert quotes.message.text() == (
        "The supplier quote “SP-2291” is in use, so it was not deleted: "
        "1 estimate line (Vantage @ MedTech Expo › Full booth); "
        "1 line's candidate quote (Vantage @ MedTech Expo › Full booth)."
    )
    assert any(r.values["number"] == "SP-2291" for r in master_data.load(quotes.db, SUPPLIER_QUOTES))


def test_the_quote_file_is_browsed_and_opened(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, dialogs, tmp_path: Path
) -> None:
    quotes = open_quotes(window)
    add(qtbot, quotes, dialogs, skypoint(quotes), "SR-901")
    opened: list[QUrl] = []
    quotes.open_url = lambda url: opened.append(url) or True
    select(quotes, "SR-901")
    click(qtbot, quotes, "supplierQuoteOpenButton")
    assert quotes.message.text() == "The quote “SR-901” has no file: Browse… picks it."
    pdf = tmp_path / "SR-901.pdf"
    pdf.write_bytes(b"%PDF-1.4 the supplier's")
    dialogs.answers.append(str(pdf))
    click(qtbot, quotes, "supplierQuoteBrowseButton")
    qtbot.waitUntil(lambda: cell_of(quotes, "SR-901", "file_path").data() == str(pdf))
    select(quotes, "SR-901")
    click(qtbot, quotes, "supplierQuoteOpenButton")
    assert opened == [QUrl.fromLocalFile(str(pdf))] and quotes.message.text() == ""
    pdf.unlink()  # moved away since
    click(qtbot, quotes, "supplierQuoteOpenButton")
    assert (
        quotes.message.text()
        == f"The file {pdf} is not there: it was moved or renamed, or its share is offline."
    )
    assert len(opened) == 1
    quotes.undo_stack.undo()  # Browse… was one step
    qtbot.waitUntil(lambda: cell_of(quotes, "SR-901", "file_path").data() == "")


def test_others_changes_reach_the_open_quote_editors(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, dialogs
) -> None:
    """Made before the editors open (so no save of theirs is pending a reload), changed by another
    session while they are open: the quotes editor and its items editor show it at the next poll."""
    db = workspace(window).doc.db
    supplier = next(r.id for r in master_data.load(db, SUPPLIERS) if r.values["name"] == "SkyPoint Rigging")
    quote_id = master_data.add(db, SUPPLIER_QUOTES, "SR-902", {"supplier_id": str(supplier)})
    master_data.add(db, SUPPLIER_QUOTE_ITEMS, "Truss, 3 m", owner=quote_id)
    quotes = open_quotes(window)
    select(quotes, "SR-902")
    click(qtbot, quotes, "supplierQuoteItemsButton")
    items = quotes.child_editors["supplierQuoteItems"]
    assert cell_of(items, "Truss, 3 m", "unit_cost").data() == "0.00"
    other = open_database(quotes.db.path)
    try:
        (quote,) = [r for r in master_data.load(other, SUPPLIER_QUOTES) if r.values["number"] == "SR-902"]
        master_data.save_edit(other, SUPPLIER_QUOTES, quote, "number", "SR-902b")
        (item,) = master_data.load(other, SUPPLIER_QUOTE_ITEMS, quote.id)
        master_data.save_edit(other, SUPPLIER_QUOTE_ITEMS, item, "unit_cost", "42")
        supplier = next(
            r for r in master_data.load(other, SUPPLIERS) if r.values["name"] == "SkyPoint Rigging"
        )
        master_data.save_edit(other, SUPPLIERS, supplier, "name", "SkyPoint Rigging Ltd")
    finally:
        other.close()
    assert window.sharing is not None
    window.sharing.poll()
    qtbot.waitUntil(lambda: cell_of(items, "Truss, 3 m", "unit_cost").data() == "42.00")
    qtbot.waitUntil(lambda: any(r.values["number"] == "SR-902b" for r in quotes.model.rows))
    assert cell_of(quotes, "SR-902b", "supplier_id").data() == "SkyPoint Rigging Ltd"
