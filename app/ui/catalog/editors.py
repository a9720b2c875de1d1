"""Edit › Catalog…, Suppliers…, Catalog categories…: the master-data editor over each kind."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from app.services.catalog.categories import CATEGORIES
from app.services.catalog.items import CATALOG_ITEMS
from app.services.catalog.suppliers import SUPPLIERS
from app.services.storage.database import Database
from app.ui.master_data import MasterDataDialog


def catalog_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    return MasterDataDialog(
        db,
        CATALOG_ITEMS,
        dialogs,
        "catalog",
        "Catalog",
        parent,
        stretch="client_description",
        size=(1280, 560),
    )


def suppliers_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    return MasterDataDialog(
        db, SUPPLIERS, dialogs, "suppliers", "Suppliers", parent, stretch="supplies", size=(1100, 460)
    )


def categories_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    return MasterDataDialog(
        db, CATEGORIES, dialogs, "categories", "Catalog categories", parent, size=(460, 420)
    )
