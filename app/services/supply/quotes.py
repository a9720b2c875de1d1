"""Suppliers' quotes, their items and quantity breaks, edited as master data (app/services/master_data.py).

A quote (Edit › Supplier quotes…) belongs to a live supplier and needs its number, unique among
that supplier's quotes; it is valid until a day not before its date; its lead time is 0–365 days
or empty (the supplier's own), its transit 0–365 days; its file is a path the user keeps. Its
items (Items…) each need a description and a unit cost from 0, and may name the catalog item they
price; an item's breaks (Breaks…) each start from a quantity above 0, one per quantity.

A quote item a live line follows or keeps as a candidate is not deleted — nor the quote that holds
it — and the message says which estimates; a supplier with quotes is not deleted either (the
master-data in-use rule, by key). A quote's copy takes its items and their breaks.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from app.models import CatalogItem, Supplier, SupplierQuote, SupplierQuoteBreak, SupplierQuoteItem
from app.services.bounds import QUANTITY_MAX, UNIT_AMOUNT_MAX
from app.services.catalog.items import money
from app.services.master_data import FieldSpec, RecordKind, live_names, text
from app.services.projects.details import parse_id
from app.services.storage.database import Database
from app.services.values import InputError, format_day, optional_id, parse_date, parse_decimal

QUOTE_T = SupplierQuote.__table__  # type: ignore[attr-defined]
ITEM_T = SupplierQuoteItem.__table__  # type: ignore[attr-defined]
BREAK_T = SupplierQuoteBreak.__table__  # type: ignore[attr-defined]
SUPPLIER_T = Supplier.__table__  # type: ignore[attr-defined]
CATALOG_T = CatalogItem.__table__  # type: ignore[attr-defined]
DAYS_MAX = Decimal(365)


def _days(label: str, *, optional: bool) -> Any:
    """Whole days 0–365; empty is None where ``optional`` (the supplier's own), else 0."""

    def parse(value: Any) -> int | None:
        if value in (None, ""):
            return None if optional else 0
        return int(parse_decimal(value, label, places=0, maximum=DAYS_MAX) or 0)

    return parse


def _day(label: str) -> Any:
    return lambda v: parse_date(v, label)


def _number(value: Any) -> str:
    """A quantity without trailing zeros: 10, 2.5."""
    return (
        format(value.normalize(), "f")
        if isinstance(value, Decimal)
        else ("" if value is None else str(value))
    )


def _cost(label: str) -> Any:
    return lambda v: parse_decimal("0" if v in (None, "") else v, label, places=4, maximum=UNIT_AMOUNT_MAX)


def _min_quantity(value: Any) -> Decimal:
    number = parse_decimal(value, "From quantity", places=4, maximum=QUANTITY_MAX)
    assert number is not None
    if number <= 0:
        raise InputError("From quantity must be more than 0 (10: the cost from 10 units on).")
    return number


def supplier_choices(db: Database) -> list[tuple[Any, str]]:
    with db.read() as conn:
        return live_names(conn, SUPPLIER_T)


def _catalog_choices(db: Database) -> list[tuple[Any, str]]:
    with db.read() as conn:
        return [(None, ""), *live_names(conn, CATALOG_T)]


def _live(conn: Connection, table: Any, row_id: Any) -> bool:
    found = conn.execute(select(table.c.id).where(table.c.id == row_id, table.c.deleted_at.is_(None)))
    return found.first() is not None


def _check_quote(conn: Connection, values: dict[str, Any]) -> None:
    """The quote as a whole, as it would be stored: a live supplier, valid from its date on."""
    if values.get("supplier_id") is None:
        raise InputError("A supplier quote needs its supplier: add one under Edit › Suppliers… first.")
    if not _live(conn, SUPPLIER_T, values["supplier_id"]):
        raise InputError("That supplier no longer exists.")
    quoted, until = values.get("quote_date"), values.get("valid_until")
    if quoted is not None and until is not None and until < quoted:
        raise InputError(
            f"Valid until ({format_day(until)}) cannot be before the quote's date ({format_day(quoted)})."
        )


def _one_number_per_supplier(conn: Connection, quote_id: uuid.UUID) -> None:
    """A supplier's quotes have different numbers (the one a line names must say which); inside the
    write of every change, so an edit, a copy's restore or an undo that would repeat one is refused."""
    row = conn.execute(
        select(QUOTE_T.c.supplier_id, QUOTE_T.c.number, QUOTE_T.c.deleted_at).where(QUOTE_T.c.id == quote_id)
    ).one()
    if row.deleted_at is not None:
        return
    clash = conn.execute(
        select(QUOTE_T.c.id).where(
            QUOTE_T.c.supplier_id == row.supplier_id,
            func.lower(QUOTE_T.c.number) == str(row.number).lower(),
            QUOTE_T.c.id != quote_id,
            QUOTE_T.c.deleted_at.is_(None),
        )
    ).first()
    if clash is not None:
        supplier = conn.execute(select(SUPPLIER_T.c.name).where(SUPPLIER_T.c.id == row.supplier_id)).scalar()
        raise InputError(f"{supplier} already has a quote numbered “{row.number}”.")


def _first_supplier(db: Database) -> dict[str, Any]:
    """A new quote starts with the first supplier A→Z unless it is given one (the editor asks)."""
    suppliers = supplier_choices(db)
    return {"supplier_id": suppliers[0][0]} if suppliers else {}


def _quote_number(value: Any) -> str:
    return text("Number", 60, required=True)(value)


SUPPLIER_QUOTES = RecordKind(
    model=SupplierQuote,
    noun="supplier quote",
    fields=(
        FieldSpec(
            "supplier_id",
            "Supplier",
            lambda v: parse_id(v, "Supplier", required=True),
            choices=supplier_choices,
        ),
        FieldSpec("number", "Number", _quote_number, tip="The supplier's quote number (SP-2041)."),
        FieldSpec("quote_date", "Date", _day("Date"), format_day),
        FieldSpec(
            "valid_until",
            "Valid until",
            _day("Valid until"),
            format_day,
            tip="The last day the supplier holds these prices.",
        ),
        FieldSpec(
            "lead_time_days",
            "Lead time (days)",
            _days("Lead time", optional=True),
            numeric=True,
            tip="Days between ordering and dispatch; empty: the supplier's own lead time.",
        ),
        FieldSpec(
            "transit_days",
            "Transit (days)",
            _days("Transit", optional=False),
            numeric=True,
            tip="Days on the road: the goods must leave this long before load-in.",
        ),
        FieldSpec("notes", "Notes", text("Notes", 2000, multiline=True), multiline=True),
        FieldSpec(
            "file_path",
            "File",
            text("File", 1000),
            tip="Where the quote as sent is kept (Browse… picks it, Open file opens it).",
        ),
    ),
    order_by=("number",),
    name_key="number",
    unique_names=False,
    new_values=_first_supplier,
    check=_check_quote,
    settle=_one_number_per_supplier,
    children=((ITEM_T, "supplier_quote_id"),),
    nested=((BREAK_T, "item_id"),),
    kept_by_children=True,
    copy_renamed=True,  # a copy is numbered “SP-2041 (copy)”: the supplier's numbers stay unique
)


def _check_item(conn: Connection, values: dict[str, Any]) -> None:
    if values.get("catalog_item_id") is not None and not _live(conn, CATALOG_T, values["catalog_item_id"]):
        raise InputError("That catalog item no longer exists.")


SUPPLIER_QUOTE_ITEMS = RecordKind(
    model=SupplierQuoteItem,
    noun="quote item",
    fields=(
        FieldSpec("description", "Description", text("Description", 500, required=True)),
        FieldSpec("unit", "Unit", text("Unit", 20, required=True)),
        FieldSpec(
            "unit_cost",
            "Unit cost",
            _cost("Unit cost"),
            money,
            numeric=True,
            tip="What the supplier charges per unit (below the first break, if it has breaks).",
        ),
        FieldSpec(
            "catalog_item_id",
            "Catalog item",
            optional_id("Catalog item"),
            choices=_catalog_choices,
            tip="What it prices: offered first on lines of that catalog item (optional).",
        ),
    ),
    order_by=("position", "created_at"),
    name_key="description",
    owner_key="supplier_quote_id",
    check=_check_item,
    children=((BREAK_T, "item_id"),),
)


def _one_break_per_quantity(conn: Connection, break_id: uuid.UUID) -> None:
    """One break per quantity of an item (two costs from 10 units on would say nothing)."""
    row = conn.execute(
        select(BREAK_T.c.item_id, BREAK_T.c.min_quantity, BREAK_T.c.deleted_at).where(
            BREAK_T.c.id == break_id
        )
    ).one()
    if row.deleted_at is not None:
        return
    clash = conn.execute(
        select(BREAK_T.c.id).where(
            BREAK_T.c.item_id == row.item_id,
            BREAK_T.c.min_quantity == row.min_quantity,
            BREAK_T.c.id != break_id,
            BREAK_T.c.deleted_at.is_(None),
        )
    ).first()
    if clash is not None:
        raise InputError(f"This item already has a break from {_number(row.min_quantity)} units.")


SUPPLIER_QUOTE_BREAKS = RecordKind(
    model=SupplierQuoteBreak,
    noun="quantity break",
    fields=(
        FieldSpec(
            "min_quantity",
            "From quantity",
            _min_quantity,
            _number,
            numeric=True,
            tip="From this many units on, the item costs the break's unit cost each.",
        ),
        FieldSpec("unit_cost", "Unit cost", _cost("Unit cost"), money, numeric=True),
    ),
    order_by=("min_quantity",),
    name_key="min_quantity",
    unique_names=False,
    owner_key="item_id",
    settle=_one_break_per_quantity,
)
