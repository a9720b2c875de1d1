"""Edit › Equipment… and Edit › Sub-rental rates…: the master-data editor over stock and rates.

A new rate asks which stock item it prices (a rate is named by its item) and starts with the
first supplier A→Z, changed in its cell.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from app.services.equipment.items import EQUIPMENT_ITEMS, SUBRENTAL_RATES
from app.services.storage.database import Database
from app.ui.master_data import MasterDataDialog


def equipment_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    return MasterDataDialog(
        db, EQUIPMENT_ITEMS, dialogs, "equipment", "Equipment", parent, stretch="notes", size=(1400, 520)
    )


def subrental_rates_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    editor = MasterDataDialog(
        db,
        SUBRENTAL_RATES,
        dialogs,
        "subrentalRates",
        "Sub-rental rates",
        parent,
        stretch="notes",
        size=(900, 460),
    )

    def ask_item() -> str | None:
        """The stock item a new rate prices, picked by name; None: there is none, or cancelled."""
        items = SUBRENTAL_RATES.field_by_key["equipment_item_id"].choices(db)  # type: ignore[misc]
        if not items:
            editor._report("Add a stock item under Edit › Equipment… first.")
            return None
        picked = dialogs.choose_item(editor, "Add sub-rental rate", "Stock item:", [n for _i, n in items])
        return None if picked is None else str(items[picked][0])

    editor.ask_name = ask_item
    return editor
