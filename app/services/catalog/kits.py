"""Catalog kits: a kit ("LED wall 10 × 15 kit") is a catalog item with components, each another
catalog item (equipment, labour, a fee) and how many of it one kit takes (0.5: one per two kits).

The components are edited as master data (:data:`KIT_COMPONENTS`, the rows of one kit), from the
catalog editor. Adding a kit to an estimate (:func:`kit_lines`) gives the kit's line and one line
per component, linked to it by ``kit_line_id``; each component's quantity is a formula of ``kit``,
the kit line's quantity (:func:`component_formula`), so changing the kit's quantity recalculates
them, and typing a number over one makes it its own.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from app.models import CatalogItem, KitComponent
from app.models.enums import LineKind
from app.services.bounds import QUANTITY_MAX
from app.services.estimate.parameters import KIT
from app.services.lookups import CatalogEntry, catalog_entry
from app.services.master_data import FieldSpec, RecordKind
from app.services.storage.database import Database
from app.services.values import InputError, parse_decimal

ITEM_T = CatalogItem.__table__  # type: ignore[attr-defined]
COMPONENT_T = KitComponent.__table__  # type: ignore[attr-defined]


def _component(value: Any) -> uuid.UUID:
    if value in (None, ""):
        raise InputError("Pick the catalog item the kit takes.")
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise InputError("Component is not a catalog item; pick one from the list.") from None


def _per_kit(value: Any) -> Decimal:
    number = parse_decimal(value, "Per kit", places=4, maximum=QUANTITY_MAX)
    assert number is not None
    if number <= 0:
        raise InputError("Per kit must be more than 0 (0.5 is one per two kits).")
    return number


def _component_choices(db: Database) -> list[tuple[Any, str]]:
    """Every live catalog item that is not a kit, by category and name ("Video › LED panel")."""
    with db.read() as conn:
        rows = conn.execute(
            select(ITEM_T.c.id, ITEM_T.c.name, ITEM_T.c.category)
            .where(ITEM_T.c.deleted_at.is_(None), ITEM_T.c.is_kit.is_(False))
            .order_by(func.lower(ITEM_T.c.category), func.lower(ITEM_T.c.name))
        )
        return [(row.id, f"{row.category} › {row.name}" if row.category else str(row.name)) for row in rows]


def _check(conn: Connection, values: dict[str, Any]) -> None:
    """A component is a live catalog item, not the kit itself, nor a kit of its own."""
    row = conn.execute(
        select(ITEM_T.c.name, ITEM_T.c.is_kit).where(
            ITEM_T.c.id == values["component_id"], ITEM_T.c.deleted_at.is_(None)
        )
    ).first()
    if row is None:
        raise InputError("That catalog item no longer exists.")
    if values["component_id"] == values.get("kit_id"):
        raise InputError("A kit cannot be a component of itself.")
    if row.is_kit:
        raise InputError(f"“{row.name}” is a kit itself: add its components to this kit instead.")


KIT_COMPONENTS = RecordKind(
    model=KitComponent,
    noun="component",
    fields=(
        FieldSpec(
            "component_id",
            "Component",
            _component,
            choices=_component_choices,
            tip="The catalog item one kit takes: equipment, labour, a fee.",
        ),
        FieldSpec(
            "quantity_per_kit",
            "Per kit",
            _per_kit,
            numeric=True,
            tip="How many one kit takes: 0.5 is one per two kits (equipment rounds up).",
        ),
    ),
    order_by=("position", "created_at"),
    name_key="component_id",
    unique_names=False,
    owner_key="kit_id",
    check=_check,
)


def component_formula(kind: LineKind, per_kit: Decimal) -> str:
    """A component line's quantity as a formula of the kit's: whole units of equipment (one per
    two kits of 3 is ``ceil(kit * 0.5)`` = 2), exact for the rest (labour, a fee)."""
    per = format(per_kit.normalize(), "f")
    product = KIT if per_kit == 1 else f"{KIT} * {per}"
    whole = kind in (LineKind.EQUIPMENT, LineKind.SUBRENTAL) and per_kit != per_kit.to_integral_value()
    return f"ceil({product})" if whole else product


def components(conn: Connection, kit_id: uuid.UUID) -> list[tuple[CatalogEntry, Decimal]]:
    """A kit's live components (their catalog entries) and the quantity one kit takes, in order."""
    rows = conn.execute(
        select(ITEM_T, COMPONENT_T.c.quantity_per_kit)
        .select_from(COMPONENT_T.join(ITEM_T, COMPONENT_T.c.component_id == ITEM_T.c.id))
        .where(
            COMPONENT_T.c.kit_id == kit_id, COMPONENT_T.c.deleted_at.is_(None), ITEM_T.c.deleted_at.is_(None)
        )
        .order_by(COMPONENT_T.c.position, COMPONENT_T.c.created_at, COMPONENT_T.c.id)
    )
    return [(catalog_entry(row), row.quantity_per_kit) for row in rows]
