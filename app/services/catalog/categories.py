"""Catalog categories: the headings items and stock are listed under; renaming one carries them along."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from app.models import CatalogCategory, CatalogItem, EquipmentItem
from app.services.master_data import FieldSpec, RecordKind, text
from app.services.storage.database import Database
from app.services.values import parse_decimal

CATEGORY_T = CatalogCategory.__table__  # type: ignore[attr-defined]


def _position(value: Any) -> int:
    number = parse_decimal("0" if value in (None, "") else value, "Position", places=0, maximum=Decimal(9999))
    return int(number or 0)


def _last(db: Database) -> dict[str, Any]:
    """A new category goes to the end of the list."""
    with db.read() as conn:
        last = conn.execute(
            select(func.max(CATEGORY_T.c.position)).where(CATEGORY_T.c.deleted_at.is_(None))
        ).scalar()
    return {"position": int(last or 0) + 1}


CATEGORIES = RecordKind(
    model=CatalogCategory,
    noun="catalog category",
    fields=(
        FieldSpec("name", "Name", text("Name", 100, required=True)),
        FieldSpec("position", "Position", _position, numeric=True, tip="Lists sort by this, then by name."),
    ),
    order_by=("position", "name"),
    new_values=_last,
    named_by=(
        (CatalogItem.__table__, "category", ("catalog item", "catalog items")),  # type: ignore[attr-defined]
        (EquipmentItem.__table__, "category", ("stock item", "stock items")),  # type: ignore[attr-defined]
    ),
)
