"""The lines a catalog item makes in an estimate: one line of it; for a kit, the kit's line and one
line per component, linked to it (``kit_line_id``), each component's quantity a formula of ``kit``
(the kit line's quantity; see app.services.catalog.kits)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.engine import Connection

from app.models.enums import LineKind
from app.services.catalog.kits import component_formula, components
from app.services.estimate.formulas import compile_formula
from app.services.estimate.parameters import KIT
from app.services.estimate.rows import LineRow
from app.services.lookups import CatalogEntry


def catalog_line_values(entry: CatalogEntry) -> dict[str, Any]:
    """The column values of a new line made from a catalog item."""
    values: dict[str, Any] = {
        "kind": entry.kind.value,
        "description": entry.description or entry.name,
        "client_description": entry.client_description,
        "unit": entry.unit,
        "unit_cost": entry.unit_cost,
        "price_basis": entry.price_basis.value,
        "markup_pct": entry.markup_pct,
        "unit_price": entry.unit_price,
        "margin_pct": entry.margin_pct,
        "supplier_id": entry.supplier_id,
        "role_id": entry.role_id,
        "catalog_item_id": entry.id,
    }
    if entry.kind is LineKind.LABOUR and entry.unit not in {"h", "hr", "hour", "hours"}:
        values["hours"] = Decimal(8)  # a crew call: people × one 8-hour day until told otherwise
    return values


def catalog_lines(conn: Connection, entry: CatalogEntry, kit_line_id: uuid.UUID) -> list[dict[str, Any]]:
    """The column values of the lines adding ``entry`` makes, its own first; ``kit_line_id`` is the
    id its line will have (what a kit's component lines link to). One kit to start with."""
    first = catalog_line_values(entry)
    if not entry.is_kit:
        return [first]
    first["shows_components"] = entry.kit_shows_components
    kit_quantity = Decimal(first.get("quantity", 1))
    lines = [first]
    for component, per_kit in components(conn, entry.id):
        formula = component_formula(component.kind, per_kit)
        quantity = (
            compile_formula(formula)
            .evaluate({KIT: kit_quantity})
            .quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        )
        if quantity == quantity.to_integral_value():
            quantity = quantity.to_integral_value()
        lines.append(
            {
                **catalog_line_values(component),
                "kit_line_id": kit_line_id,
                "quantity_formula": formula,
                "quantity": quantity,
            }
        )
    return lines


def with_components(lines: Iterable[LineRow], line_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """``line_ids`` and, after them, the lines of the kits among them (what deleting a kit deletes)."""
    going = set(line_ids)
    return [*line_ids, *(line.id for line in lines if line.kit_line_id in going and line.id not in going)]
