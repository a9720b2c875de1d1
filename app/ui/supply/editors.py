"""Edit › Supplier quotes…: the master-data editor over suppliers' quotes, with Items… and Breaks….

A new quote asks for its supplier, then its number. Items… opens the selected quote's items in the
same editor, and Breaks… there the selected item's quantity breaks (the way the catalog's
Components… opens a kit's). The quote's file is the user's: Browse… picks its path (one undo step
like any cell), Open file opens it with the program the desktop gives it, and a file that is not
there says so in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton, QWidget

from app.services import master_data
from app.services.storage.database import Database
from app.services.supply.quotes import (
    SUPPLIER_QUOTE_BREAKS,
    SUPPLIER_QUOTE_ITEMS,
    SUPPLIER_QUOTES,
    supplier_choices,
)
from app.ui.master_data import MasterDataDialog

FILE_FILTERS = "Documents (*.pdf *.xlsx *.xls *.docx *.doc *.png *.jpg *.eml *.msg);;All files (*)"


def _button(dialog: MasterDataDialog, text: str, name: str, tip: str, slot: Callable[[], Any]) -> QPushButton:
    button = QPushButton(text, dialog)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.setToolTip(tip)
    button.clicked.connect(lambda: slot())
    return button


class SupplierQuotesDialog(MasterDataDialog):
    """The quotes editor; ``open_url`` opens a file on the desktop (tests replace it)."""

    def __init__(self, db: Database, dialogs: Any, parent: QWidget | None = None) -> None:
        super().__init__(
            db,
            SUPPLIER_QUOTES,
            dialogs,
            "supplierQuotes",
            "Supplier quotes",
            parent,
            stretch="notes",
            size=(1200, 480),
        )
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self._supplier: Any = None  # the supplier picked for the quote being added
        self.ask_name = self._ask_supplier_and_number
        buttons = [
            _button(
                self,
                "Items…",
                "supplierQuoteItemsButton",
                "What the selected quote prices: description, unit, unit cost, quantity breaks.",
                self.open_items,
            ),
            _button(
                self,
                "Browse…",
                "supplierQuoteBrowseButton",
                "Pick the file the selected quote came as (Tandem keeps its path, not the file).",
                self.browse,
            ),
            _button(
                self,
                "Open file",
                "supplierQuoteOpenButton",
                "Open the selected quote's file.",
                self.open_file,
            ),
        ]
        for n, button in enumerate(buttons):
            self.buttons.insertWidget(2 + n, button)

    def _ask_supplier_and_number(self) -> str | None:
        suppliers = supplier_choices(self.db)
        if not suppliers:
            self._report("Add the supplier under Edit › Suppliers… first.")
            return None
        picked = self.dialogs.choose_item(self, "Add supplier quote", "Supplier:", [n for _i, n in suppliers])
        if picked is None:
            return None
        self._supplier = suppliers[picked][0]
        number: str | None = self.dialogs.ask_text(self, "Add supplier quote", "Quote number:")
        return number

    def add_record(self, name: str) -> Any:
        return master_data.add(self.db, self.kind, name, {"supplier_id": self._supplier})

    def _selected(self) -> master_data.RecordRow | None:
        row: master_data.RecordRow | None = self.current()
        if row is None:
            self._report("Select a supplier quote first.")
        return row

    def open_items(self) -> MasterDataDialog | None:
        """The selected quote's items, in the same editor, with Breaks… for the selected item."""
        row = self._selected()
        if row is None:
            return None
        items = MasterDataDialog(
            self.db,
            SUPPLIER_QUOTE_ITEMS,
            self.dialogs,
            "supplierQuoteItems",
            f"Items of {self.name_of(row)} ({self.model.cell_text('supplier_id', row.values['supplier_id'])})",  # noqa: E501
            self,
            stretch="description",
            size=(900, 400),
            owner=row.id,
        )
        items.ask_name = lambda: self.dialogs.ask_text(items, "Add quote item", "Description:")
        breaks = _button(
            items,
            "Breaks…",
            "supplierQuoteBreaksButton",
            "The selected item's quantity breaks: from how many units on it costs less.",
            lambda: open_breaks(items, self.dialogs),
        )
        items.buttons.insertWidget(2, breaks)
        return self.open_child(items)

    def browse(self) -> None:
        """The quote's file picked; its path saved like a typed cell (one undo step)."""
        row = self._selected()
        if row is None:
            return
        path = self.dialogs.open_file(self, f"File of the supplier quote {self.name_of(row)}", FILE_FILTERS)
        if path:
            self.edit(row.id, "file_path", path)

    def open_file(self) -> bool:
        """The quote's file opened on the desktop; no file, or one not there, is said in one line."""
        row = self._selected()
        if row is None:
            return False
        path = str(row.values.get("file_path") or "")
        if not path:
            self._report(f"The quote “{self.name_of(row)}” has no file: Browse… picks it.")
            return False
        if not Path(path).is_file():
            self._report(f"The file {path} is not there: it was moved or renamed, or its share is offline.")
            return False
        if not self.open_url(QUrl.fromLocalFile(path)):
            self._report(f"No program opened {path}.")
            return False
        self.message.clear()
        return True


def open_breaks(items: MasterDataDialog, dialogs: Any) -> MasterDataDialog | None:
    """The quantity breaks of the quote item selected in ``items``."""
    row = items.current()
    if row is None:
        items.message.setText("Select a quote item first.")
        return None
    breaks = MasterDataDialog(
        items.db,
        SUPPLIER_QUOTE_BREAKS,
        dialogs,
        "supplierQuoteBreaks",
        f"Quantity breaks of {items.name_of(row)}",
        items,
        stretch="unit_cost",
        size=(460, 360),
        owner=row.id,
    )
    breaks.ask_name = lambda: dialogs.ask_text(breaks, "Add quantity break", "From quantity:")
    return items.open_child(breaks)


def supplier_quotes_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    return SupplierQuotesDialog(db, dialogs, parent)
