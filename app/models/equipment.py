"""Equipment the company owns, in bulk quantities (no serial numbers), and what suppliers charge
to sub-rent it. Holds are not stored: they follow from the estimates and the projects' status
(app/services/equipment/availability.py), so there is no second copy that could drift.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel import Field

from app.models.base import Record
from app.models.types import ExactDecimal


class EquipmentItem(Record, table=True):
    """A stock item: how many the company owns, how many are out of service (in repair) and when,
    what one costs to keep and to replace, and the catalog item that sells it.

    ``catalog_item_id`` links the stock to estimates: an equipment line of that catalog item
    needs this stock. ``prep_days`` before load-in and ``return_days`` after strike extend a hold.
    An out-of-service period without dates runs open-ended on that side.
    """

    name: str = Field(max_length=200, index=True)
    category: str = Field(default="", max_length=100)
    owned_quantity: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    out_of_service_quantity: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    out_of_service_from: date | None = None
    out_of_service_until: date | None = None
    day_cost: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)  # internal: per unit per day
    replacement_value: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    list_price: Decimal | None = Field(default=None, sa_type=ExactDecimal)  # per unit per day
    weight_kg: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    catalog_item_id: uuid.UUID | None = Field(default=None, foreign_key="catalogitem.id", index=True)
    prep_days: int = Field(default=0)
    return_days: int = Field(default=0)
    notes: str = Field(default="")


class SubRentalRate(Record, table=True):
    """What a supplier charges to rent us one of an item for a day: the cost of a sub-rental line."""

    equipment_item_id: uuid.UUID = Field(foreign_key="equipmentitem.id", index=True)
    supplier_id: uuid.UUID = Field(foreign_key="supplier.id", index=True)
    day_cost: Decimal = Field(default=Decimal(0), sa_type=ExactDecimal)
    notes: str = Field(default="", max_length=500)


class KitComponent(Record, table=True):
    """One component of a catalog kit: another catalog item (equipment, labour, a fee) and how many
    of it one kit takes (fractions allowed: 0.5 is one per two kits)."""

    kit_id: uuid.UUID = Field(foreign_key="catalogitem.id", index=True)
    component_id: uuid.UUID = Field(foreign_key="catalogitem.id")
    quantity_per_kit: Decimal = Field(default=Decimal(1), sa_type=ExactDecimal)
    position: int = Field(default=0)
