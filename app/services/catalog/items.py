"""Catalog items: what the company sells, and the cost, price basis, supplier and role a new line takes.

Edited as master data (app/services/master_data.py). A new item takes the company's
default markup; an item is checked as a whole on every edit: a labour item needs a role,
its price basis needs its figure, its category, supplier and role must exist.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from app.models import CatalogCategory, CatalogItem, KitComponent, Role, Supplier
from app.models.enums import LineKind, PriceBasis
from app.services.bounds import LINE_LIMITS
from app.services.lookups import default_markup
from app.services.master_data import FieldSpec, RecordKind, text
from app.services.storage.database import Database
from app.services.values import InputError, choice_of, flag, optional_id, parse_decimal

ITEM_T = CatalogItem.__table__  # type: ignore[attr-defined]
CATEGORY_T = CatalogCategory.__table__  # type: ignore[attr-defined]
SUPPLIER_T = Supplier.__table__  # type: ignore[attr-defined]
ROLE_T = Role.__table__  # type: ignore[attr-defined]

YES_NO: list[tuple[Any, str]] = [(True, "Yes"), (False, "No")]
BASIS_LABELS = {PriceBasis.MARKUP: "Markup", PriceBasis.UNIT_PRICE: "List price", PriceBasis.MARGIN: "Margin"}
BASIS_FIGURE = {
    PriceBasis.MARKUP: "markup_pct",
    PriceBasis.UNIT_PRICE: "unit_price",
    PriceBasis.MARGIN: "margin_pct",
}


def _figure(key: str, label: str, *, optional: bool) -> Any:
    limit = LINE_LIMITS[key]
    return lambda v: parse_decimal(v, label, places=4, allow_empty=optional, shorthand=not limit.percent,
                                   **limit.kwargs())


def money(value: Any) -> str:
    """A cost or list price with cents (more places only where it has them)."""
    if not isinstance(value, Decimal):
        return "" if value is None else str(value)
    return f"{value:,.2f}" if value == value.quantize(Decimal("0.01")) else f"{value:,f}"


def _basis(value: Any) -> str:
    typed = str(getattr(value, "value", value) or "").strip().lower()
    for basis, label in BASIS_LABELS.items():
        if typed in (basis.value, label.lower()):
            return basis.value
    raise InputError(f"Price basis must be one of: {', '.join(BASIS_LABELS.values())}.")


def _names(conn: Connection, table: Any) -> list[tuple[Any, str]]:
    rows = conn.execute(
        select(table.c.id, table.c.name)
        .where(table.c.deleted_at.is_(None))
        .order_by(func.lower(table.c.name))
    )
    return [(row.id, str(row.name)) for row in rows]


def category_names(conn: Connection) -> list[str]:
    """The categories an item may take: the list's, then any an older item still names."""
    listed = [
        str(n)
        for n in conn.execute(
            select(CATEGORY_T.c.name)
            .where(CATEGORY_T.c.deleted_at.is_(None))
            .order_by(CATEGORY_T.c.position, func.lower(CATEGORY_T.c.name))
        ).scalars()
    ]
    known = {n.lower() for n in listed}
    used = conn.execute(
        select(ITEM_T.c.category).distinct().where(ITEM_T.c.deleted_at.is_(None), ITEM_T.c.category != "")
    ).scalars()
    return listed + sorted({str(u) for u in used if str(u).lower() not in known}, key=str.lower)


def _category_choices(db: Database) -> list[tuple[Any, str]]:
    with db.read() as conn:
        return [("", "")] + [(n, n) for n in category_names(conn)]


def _supplier_choices(db: Database) -> list[tuple[Any, str]]:
    with db.read() as conn:
        return [(None, ""), *_names(conn, SUPPLIER_T)]


def _role_choices(db: Database) -> list[tuple[Any, str]]:
    with db.read() as conn:
        return [(None, ""), *_names(conn, ROLE_T)]


def _live(conn: Connection, table: Any, row_id: Any) -> bool:
    found = conn.execute(select(table.c.id).where(table.c.id == row_id, table.c.deleted_at.is_(None)))
    return found.first() is not None


def _check(conn: Connection, values: dict[str, Any]) -> None:
    """The item as a whole, as it would be stored; InputError says what is missing."""
    kind = LineKind(values["kind"])
    if kind is LineKind.LABOUR and values.get("role_id") is None:
        raise InputError("A labour item needs a role: pick its role first.")
    basis = PriceBasis(values["price_basis"])
    if values.get(BASIS_FIGURE[basis]) is None:
        raise InputError(
            f"The price basis {BASIS_LABELS[basis]} needs its figure: type the "
            f"{BASIS_LABELS[basis].lower()} first."
        )
    category = str(values.get("category") or "")
    if category and category.lower() not in {n.lower() for n in category_names(conn)}:
        raise InputError(
            f"There is no catalog category “{category}”: add it under Edit › Catalog categories…."
        )
    if values.get("supplier_id") is not None and not _live(conn, SUPPLIER_T, values["supplier_id"]):
        raise InputError("That supplier no longer exists.")
    if values.get("role_id") is not None and not _live(conn, ROLE_T, values["role_id"]):
        raise InputError("That role no longer exists.")


def _new_item(db: Database) -> dict[str, Any]:
    """A new item sells at the company's default markup."""
    with db.read() as conn:
        markup = default_markup(conn)
    return {"price_basis": PriceBasis.MARKUP.value, "markup_pct": markup}


CATALOG_ITEMS = RecordKind(
    model=CatalogItem,
    noun="catalog item",
    fields=(
        FieldSpec("name", "Name", text("Name", 200, required=True)),
        FieldSpec(
            "kind",
            "Kind",
            choice_of("Kind", LineKind),
            format=lambda v: LineKind(v).label,
            choices=lambda db: [(k.value, k.label) for k in LineKind],
        ),
        FieldSpec(
            "category",
            "Category",
            text("Category", 100),
            choices=_category_choices,
            tip="The heading the item is listed under (Edit › Catalog categories…).",
        ),
        FieldSpec(
            "description",
            "Internal description",
            text("Internal description", 500),
            tip="What the team reads on the line (may name a supplier); never on the quote.",
        ),
        FieldSpec(
            "client_description",
            "Client description",
            text("Client description", 500),
            tip="What the client reads on the quote.",
        ),
        FieldSpec("unit", "Unit", text("Unit", 20, required=True)),
        FieldSpec(
            "unit_cost", "Unit cost", _figure("unit_cost", "Unit cost", optional=False), money, numeric=True
        ),
        FieldSpec(
            "price_basis",
            "Price basis",
            _basis,
            format=lambda v: BASIS_LABELS[PriceBasis(v)],
            choices=lambda db: [(b.value, label) for b, label in BASIS_LABELS.items()],
            tip="How a line's price follows: its markup on cost, the list price, or a margin.",
        ),
        FieldSpec(
            "unit_price",
            "List price",
            _figure("unit_price", "List price", optional=True),
            money,
            numeric=True,
            tip="Price per unit when the basis is List price.",
        ),
        FieldSpec(
            "markup_pct",
            "Markup %",
            _figure("markup_pct", "Markup", optional=True),
            numeric=True,
            tip="A new item starts with the company's default markup.",
        ),
        FieldSpec("margin_pct", "Margin %", _figure("margin_pct", "Margin", optional=True), numeric=True),
        FieldSpec(
            "supplier_id", "Default supplier", optional_id("Default supplier"), choices=_supplier_choices
        ),
        FieldSpec(
            "role_id",
            "Role",
            optional_id("Role"),
            choices=_role_choices,
            tip="The crew role of a labour item (its rates price the line).",
        ),
        FieldSpec(
            "is_kit",
            "Kit",
            flag("Kit"),
            choices=lambda db: YES_NO,
            tip="A kit adds its components with it (Components… lists them); its price is the kit line's.",
        ),
        FieldSpec(
            "kit_shows_components",
            "Client sees components",
            flag("Client sees components"),
            choices=lambda db: YES_NO,
            tip="The quote lists a kit's components; otherwise the kit is one line priced as their sum.",
        ),
        FieldSpec("notes", "Notes", text("Notes", 2000, multiline=True), multiline=True),
    ),
    order_by=("category", "name"),
    new_values=_new_item,
    check=_check,
    children=((KitComponent.__table__, "kit_id"),),  # type: ignore[attr-defined]  # a copy takes them
)
