"""Edit › Catalog…, Suppliers…, Catalog categories…: the master-data editor over each kind."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton, QWidget

from app.services.catalog.categories import CATEGORIES
from app.services.catalog.items import CATALOG_ITEMS
from app.services.catalog.kits import KIT_COMPONENTS
from app.services.catalog.suppliers import SUPPLIERS
from app.services.storage.database import Database
from app.ui.master_data import MasterDataDialog


def catalog_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    dialog = MasterDataDialog(
        db,
        CATALOG_ITEMS,
        dialogs,
        "catalog",
        "Catalog",
        parent,
        stretch="client_description",
        size=(1280, 560),
    )
    components = QPushButton("Components…", dialog)
    components.setObjectName("catalogComponentsButton")
    components.setAutoDefault(False)
    components.setToolTip("What one of the selected kit takes: equipment, labour, fees.")
    components.clicked.connect(lambda: open_components(dialog, dialogs))
    dialog.buttons.insertWidget(2, components)
    return dialog


def open_components(catalog: MasterDataDialog, dialogs: Any) -> MasterDataDialog | None:
    """The components of the catalog's current item, in the same editor (None: it is not a kit)."""
    row = catalog.current()
    if row is None:
        return None
    name = row.name(CATALOG_ITEMS)
    if not row.values.get("is_kit"):
        catalog.message.setText(f"“{name}” is not a kit: set its Kit to Yes to give it components.")
        return None
    editor = catalog.open_child(MasterDataDialog(
        catalog.db, KIT_COMPONENTS, dialogs, "kitComponents", f"Components of {name}", catalog,
        stretch="component_id", size=(640, 400), owner=row.id,
    ))
    catalog.components_editor = editor  # type: ignore[attr-defined]  # the tests' handle on it
    return editor


def suppliers_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    return MasterDataDialog(
        db, SUPPLIERS, dialogs, "suppliers", "Suppliers", parent, stretch="supplies", size=(1100, 460)
    )


def categories_editor(db: Database, dialogs: Any, parent: QWidget | None = None) -> MasterDataDialog:
    return MasterDataDialog(
        db, CATEGORIES, dialogs, "categories", "Catalog categories", parent, size=(460, 420)
    )
