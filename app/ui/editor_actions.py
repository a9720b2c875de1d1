"""The Edit menu's setup editors: catalog, suppliers, supplier quotes, categories, equipment, sub-rental
rates, labour rules, roles, crew members, lost reasons, project types.

Each opens non-blocking. A save in any of them reaches the window: the open estimate
reprices (rules, roles, suppliers, their quotes), the catalog panel reloads (catalog, categories,
suppliers), the crew calendar follows (crew members), the open estimate's availability follows
(stock, rates). Others' changes reload the open
editors (:meth:`EditorActions.refresh`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction

from app.services.lookups import load_catalog
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from app.ui.catalog.editors import catalog_editor, categories_editor, suppliers_editor
from app.ui.crew.editor import CrewEditorDialog
from app.ui.equipment.editors import equipment_editor, subrental_rates_editor
from app.ui.labour.editors import labour_rules_editor, roles_editor
from app.ui.master_data import MasterDataDialog
from app.ui.projects.editors import lost_reasons_editor
from app.ui.schedule.milestones import project_types_editor
from app.ui.shell import Shell, ShellActions
from app.ui.supply.editors import supplier_quotes_editor
from app.ui.widgets import window_action


class EditorActions(ShellActions):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        window = self.window
        # The master-data editors: what opens each, and what follows its saves.
        self._makers: dict[str, tuple[Callable[..., MasterDataDialog], Callable[[], None]]] = {
            "catalog": (catalog_editor, self._on_catalog_changed),
            "suppliers": (suppliers_editor, self._on_suppliers_changed),
            "categories": (categories_editor, self._on_catalog_changed),
            "labour_rules": (labour_rules_editor, self._on_labour_rules_saved),
            "roles": (roles_editor, self._on_labour_rules_saved),
            "lost_reasons": (lost_reasons_editor, self._on_lost_reasons_changed),
            "equipment": (equipment_editor, self._on_labour_rules_saved),
            "subrental_rates": (subrental_rates_editor, self._on_labour_rules_saved),
            "supplier_quotes": (supplier_quotes_editor, self._on_labour_rules_saved),  # lines follow them
            "project_types": (project_types_editor, lambda: None),  # read when used (From template, Type)
        }
        self.master_editors: dict[str, MasterDataDialog] = {}
        self.catalog_action = self._editor_action(
            "Catalog…", "actionCatalog", "catalog",
            "What the company sells: kind, category, descriptions, unit, cost, price basis, supplier, role")
        self.suppliers_action = self._editor_action(
            "Suppliers…", "actionSuppliers", "suppliers",
            "Who the company buys and sub-rents from: contact, what they supply, payment terms")
        self.supplier_quotes_action = self._editor_action(
            "Supplier quotes…", "actionSupplierQuotes", "supplier_quotes",
            "What suppliers quoted: number, validity, lead and transit times, the file, items and breaks")
        self.categories_action = self._editor_action(
            "Catalog categories…", "actionCatalogCategories", "categories",
            "The headings the catalog is listed under")
        self.equipment_action = self._editor_action(
            "Equipment…", "actionEquipment", "equipment",
            "The stock the company owns: quantities, out of service, costs, the catalog item that sells it")
        self.subrental_rates_action = self._editor_action(
            "Sub-rental rates…", "actionSubrentalRates", "subrental_rates",
            "What each supplier charges per day to sub-rent a stock item")
        self.labour_rules_action = self._editor_action(
            "Labour rules…", "actionLabourRules", "labour_rules",
            "Minimum call, overtime, weekend and holiday rates, meal breaks of each rule set")
        self.crew_editor_action = window_action(
            window, "Crew members…", "actionCrewMembers", self.show_crew_editor,
            tip="People, the roles they can fill and their own rates, days they cannot work")
        self.crew_editor: CrewEditorDialog | None = None
        self.roles_action = self._editor_action(
            "Roles…", "actionRoles", "roles", "Crew roles with their hourly and day cost and bill rates")
        self.lost_reasons_action = self._editor_action(
            "Lost reasons…", "actionLostReasons", "lost_reasons",
            "The reasons Project › Mark lost… offers (renaming one renames it on its projects)")
        self.project_types_action = self._editor_action(
            "Project types…", "actionProjectTypes", "project_types",
            "Exhibit booth, conference, concert: each type's milestones, counted from the show's days")

    def _editor_action(self, text: str, name: str, key: str, tip: str) -> QAction:
        return window_action(self.window, text, name, lambda: self.show_editor(key), tip=tip)

    @property
    def actions(self) -> list[QAction | None]:
        """In menu order."""
        return [self.catalog_action, self.categories_action, self.suppliers_action,
                self.supplier_quotes_action, None,
                self.equipment_action, self.subrental_rates_action, None,
                self.labour_rules_action, self.crew_editor_action, self.roles_action, None,
                self.lost_reasons_action, self.project_types_action]

    def update_enabled(self, db: Database | None) -> None:
        for action in self.actions:
            if action is not None:
                action.setEnabled(db is not None)

    def show_editor(self, key: str) -> MasterDataDialog | None:
        """Edit › Catalog…, Suppliers…, …: non-blocking, one per kind, as stored now."""
        db = self.shell.db
        if db is None:
            return None
        editor = self.master_editors.get(key)
        if editor is None or editor.db is not db:
            if editor is not None:
                editor.deleteLater()
            make, follow = self._makers[key]
            editor = make(db, self.dialogs, self.window)
            editor.changed.connect(follow)
            editor.changed.connect(lambda key=key: self._reload_editors(but=key))
            self.master_editors[key] = editor
        else:
            editor.reload()
        editor.open()
        return editor

    def refresh(self) -> None:
        """Others' changes: the open editors and the catalog panel show what is stored now."""
        self._reload_editors()
        self._on_catalog_changed()

    def _reload_editors(self, but: str = "") -> None:
        """The open editors as stored (a supplier renamed in one is renamed in the catalog's list)."""
        for key, editor in self.master_editors.items():
            if key != but and editor.isVisible() and editor.db is self.shell.db:
                editor.reload()
        crew_editor = self.crew_editor
        if crew_editor is not None and crew_editor.isVisible() and crew_editor.db is self.shell.db:
            crew_editor.reload()  # names of roles renamed, members changed by others

    def _on_lost_reasons_changed(self) -> None:
        """A renamed reason is renamed on its projects: the navigator shows them as stored."""
        if self.shell.db is not None:
            self.shell.navigator.load(self.shell.db)

    def _on_catalog_changed(self) -> None:
        db = self.shell.db
        if db is None:
            return
        try:
            with db.read() as conn:
                self.shell.catalog.set_entries(load_catalog(conn))
        except StorageError as error:
            self.shell.statusBar().showMessage(str(error), 8000)

    def _on_suppliers_changed(self) -> None:
        self._on_catalog_changed()
        self._on_labour_rules_saved()  # the open estimate shows the suppliers' names as stored

    def show_crew_editor(self) -> None:
        """Edit → Crew members…: non-blocking; the crew calendar follows each change."""
        if self.shell.db is None:
            return
        if self.crew_editor is None or self.crew_editor.db is not self.shell.db:
            self.crew_editor = CrewEditorDialog(self.shell.db, self.window)
            self.crew_editor.ask_name = lambda: self.dialogs.ask_text(self.window, "Add crew member", "Name:")
            self.crew_editor.confirm = lambda text: self.dialogs.confirm(
                self.window, "Delete crew member", text)
            self.crew_editor.crewChanged.connect(self._on_crew_changed)
        self.crew_editor.open()

    def _on_crew_changed(self) -> None:
        self.shell.crew_panel.refresh()

    def _on_labour_rules_saved(self) -> None:
        self.shell.reprice.request()

