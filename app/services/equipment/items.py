"""The company's stock (Edit › Equipment…) and what suppliers charge to sub-rent it (Edit ›
Sub-rental rates…), edited as master data (app/services/master_data.py).

A stock item is checked as a whole on every edit: its category must be a catalog category, the
catalog item that sells it must be an equipment item no other stock item is linked to (that link
is how an estimate line finds its stock), owned and out-of-service quantities are not negative and
no more are out of service than owned, an out-of-service period starts before it ends, prep and
return days are whole days from 0. A catalog item, category or supplier that stock or a rate uses
is not deleted (master_data's in-use rule), and renaming a category carries its stock items along.

A rate is named by its item (the editor asks which item); a new one starts with the first supplier
A→Z, changed in its cell.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import CatalogItem, EquipmentItem, SubRentalRate, Supplier
from app.models.enums import LineKind
from app.services.bounds import QUANTITY_MAX, UNIT_AMOUNT_MAX
from app.services.catalog.items import category_names, money
from app.services.master_data import FieldSpec, RecordKind, live_names, text
from app.services.projects.details import parse_id
from app.services.storage.database import Database
from app.services.values import InputError, optional_id, parse_date, parse_decimal

ITEM_T = EquipmentItem.__table__  # type: ignore[attr-defined]
RATE_T = SubRentalRate.__table__  # type: ignore[attr-defined]
CATALOG_T = CatalogItem.__table__  # type: ignore[attr-defined]
SUPPLIER_T = Supplier.__table__  # type: ignore[attr-defined]
DAYS_MAX = Decimal(365)


def _quantity(label: str) -> Any:
    return lambda v: parse_decimal("0" if v in (None, "") else v, label, places=4, maximum=QUANTITY_MAX)


def _amount(label: str, *, optional: bool = False) -> Any:
    if optional:
        return lambda v: parse_decimal(v, label, places=4, allow_empty=True, maximum=UNIT_AMOUNT_MAX)
    return lambda v: parse_decimal("0" if v in (None, "") else v, label, places=4, maximum=UNIT_AMOUNT_MAX)


def _days(label: str) -> Any:
    def parse(value: Any) -> int:
        return int(
            parse_decimal("0" if value in (None, "") else value, label, places=0, maximum=DAYS_MAX) or 0
        )

    return parse


def _day(label: str) -> Any:
    return lambda v: parse_date(v, label)


def _day_text(value: Any) -> str:
    """A day as the cell shows it, and reads back unchanged: 8 Mar 2027."""
    return f"{value.day} {value:%b %Y}" if value is not None else ""


def _number(value: Any) -> str:
    """A quantity without trailing zeros: 400, 2.5."""
    if not isinstance(value, Decimal):
        return "" if value is None else str(value)
    return format(value.normalize(), "f")


def _day_cost(tip: str) -> FieldSpec:
    return FieldSpec("day_cost", "Day cost", _amount("Day cost"), money, numeric=True, tip=tip)


def _names(conn: Connection, table: Any, *where: Any) -> list[tuple[Any, str]]:
    return live_names(conn, table, *where)


def _category_choices(db: Database) -> list[tuple[Any, str]]:
    with db.read() as conn:
        return [("", "")] + [(n, n) for n in category_names(conn)]


def _catalog_choices(db: Database) -> list[tuple[Any, str]]:
    """The equipment the catalog sells (what a stock item may be linked to)."""
    with db.read() as conn:
        return [(None, ""), *_names(conn, CATALOG_T, CATALOG_T.c.kind == LineKind.EQUIPMENT.value)]


def _item_choices(db: Database) -> list[tuple[Any, str]]:
    with db.read() as conn:
        return _names(conn, ITEM_T)


def _supplier_choices(db: Database) -> list[tuple[Any, str]]:
    with db.read() as conn:
        return _names(conn, SUPPLIER_T)


def _live_name(conn: Connection, table: Any, row_id: Any) -> str | None:
    found = conn.execute(select(table.c.name).where(table.c.id == row_id, table.c.deleted_at.is_(None)))
    name = found.scalar()
    return None if name is None else str(name)


def _check_item(conn: Connection, values: dict[str, Any]) -> None:
    """The stock item as a whole, as it would be stored; InputError says what is wrong."""
    owned = values.get("owned_quantity") or Decimal(0)
    out = values.get("out_of_service_quantity") or Decimal(0)
    if out > owned:
        raise InputError(f"Out of service ({_number(out)}) cannot be more than owned ({_number(owned)}).")
    first, last = values.get("out_of_service_from"), values.get("out_of_service_until")
    if first is not None and last is not None and first > last:
        raise InputError(
            f"The out-of-service period cannot end ({_day_text(last)}) before it starts ({_day_text(first)})."
        )
    category = str(values.get("category") or "")
    if category and category.lower() not in {n.lower() for n in category_names(conn)}:
        raise InputError(
            f"There is no catalog category “{category}”: add it under Edit › Catalog categories…."
        )
    catalog_id = values.get("catalog_item_id")
    if catalog_id is not None:
        row = conn.execute(
            select(CATALOG_T.c.name, CATALOG_T.c.kind).where(
                CATALOG_T.c.id == catalog_id, CATALOG_T.c.deleted_at.is_(None)
            )
        ).first()
        if row is None:
            raise InputError("That catalog item no longer exists.")
        if row.kind != LineKind.EQUIPMENT.value:
            raise InputError(
                f"The catalog item “{row.name}” is {LineKind(row.kind).label.lower()}, not equipment: "
                "stock is sold by an equipment item."
            )


def _one_stock_item_per_catalog_item(conn: Connection, item_id: uuid.UUID) -> None:
    """A catalog item sells at most one stock item (an estimate line finds its stock by it).

    Inside the write of every change: an add, an edit or the undo of a delete that would link a
    second one is refused (a duplicate starts unlinked).
    """
    row = conn.execute(
        select(ITEM_T.c.catalog_item_id, ITEM_T.c.deleted_at).where(ITEM_T.c.id == item_id)
    ).first()
    if row is None or row.deleted_at is not None or row.catalog_item_id is None:
        return
    other = conn.execute(
        select(ITEM_T.c.name)
        .where(
            ITEM_T.c.catalog_item_id == row.catalog_item_id,
            ITEM_T.c.id != item_id,
            ITEM_T.c.deleted_at.is_(None),
        )
        .order_by(ITEM_T.c.name)
        .limit(1)
    ).scalar()
    if other is not None:
        catalog = _live_name(conn, CATALOG_T, row.catalog_item_id) or "that catalog item"
        raise InputError(
            f"The catalog item “{catalog}” already sells the stock item “{other}”: "
            "a catalog item is linked to one stock item."
        )


EQUIPMENT_ITEMS = RecordKind(
    model=EquipmentItem,
    noun="stock item",
    fields=(
        FieldSpec("name", "Name", text("Name", 200, required=True)),
        FieldSpec(
            "category",
            "Category",
            text("Category", 100),
            choices=_category_choices,
            tip="A catalog category (Edit › Catalog categories…).",
        ),
        FieldSpec(
            "catalog_item_id",
            "Sold as",
            optional_id("Sold as"),
            choices=_catalog_choices,
            tip="The catalog item that sells it: estimate lines of that item need this stock.",
        ),
        FieldSpec("owned_quantity", "Owned", _quantity("Owned"), _number, numeric=True),
        FieldSpec(
            "out_of_service_quantity",
            "Out of service",
            _quantity("Out of service"),
            _number,
            numeric=True,
            tip="How many are in repair (at most the owned quantity).",
        ),
        FieldSpec(
            "out_of_service_from",
            "Out from",
            _day("Out from"),
            _day_text,
            tip="The first day they are out of service (empty: already out).",
        ),
        FieldSpec(
            "out_of_service_until",
            "Out until",
            _day("Out until"),
            _day_text,
            tip="The last day they are out of service (empty: until further notice).",
        ),
        _day_cost("Internal: what one costs the company per day (never on the quote)."),
        FieldSpec(
            "replacement_value", "Replacement value", _amount("Replacement value"), money, numeric=True
        ),
        FieldSpec(
            "list_price",
            "List price",
            _amount("List price", optional=True),
            money,
            numeric=True,
            tip="Per unit per day.",
        ),
        FieldSpec("weight_kg", "Weight (kg)", _amount("Weight", optional=True), _number, numeric=True),
        FieldSpec(
            "prep_days",
            "Prep days",
            _days("Prep days"),
            numeric=True,
            tip="Days before load-in a job holds it (prepared in the warehouse).",
        ),
        FieldSpec(
            "return_days",
            "Return days",
            _days("Return days"),
            numeric=True,
            tip="Days after strike a job still holds it (back and checked).",
        ),
        FieldSpec("notes", "Notes", text("Notes", 2000, multiline=True), multiline=True),
    ),
    order_by=("category", "name"),
    check=_check_item,
    settle=_one_stock_item_per_catalog_item,
    not_copied=("catalog_item_id",),
)


def _required(label: str) -> Any:
    return lambda v: parse_id(v, label, required=True)


def _first_supplier(db: Database) -> dict[str, Any]:
    """A new rate starts with the first supplier A→Z (changed in its cell)."""
    with db.read() as conn:
        suppliers = _names(conn, SUPPLIER_T)
    return {"supplier_id": suppliers[0][0]} if suppliers else {}


def _check_rate(conn: Connection, values: dict[str, Any]) -> None:
    if values.get("supplier_id") is None:
        raise InputError("A sub-rental rate needs a supplier: add one under Edit › Suppliers… first.")
    if _live_name(conn, SUPPLIER_T, values["supplier_id"]) is None:
        raise InputError("That supplier no longer exists.")
    if _live_name(conn, ITEM_T, values.get("equipment_item_id")) is None:
        raise InputError("That stock item no longer exists.")


SUBRENTAL_RATES = RecordKind(
    model=SubRentalRate,
    noun="sub-rental rate",
    fields=(
        FieldSpec("equipment_item_id", "Stock item", _required("Stock item"), choices=_item_choices),
        FieldSpec("supplier_id", "Supplier", _required("Supplier"), choices=_supplier_choices),
        _day_cost("What the supplier charges for one for one day (internal)."),
        FieldSpec("notes", "Notes", text("Notes", 500)),
    ),
    order_by=("created_at",),
    name_key="equipment_item_id",
    unique_names=False,
    new_values=_first_supplier,
    check=_check_rate,
)
