"""Crew roles: name, hourly cost and bill rates, optional day rates — master data like the catalog.

Edited through app/services/master_data.py (:data:`ROLES`): one field at a time with a
version check; a role that lines, catalog items or crew members use is not deleted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.models import Role
from app.services.master_data import FieldSpec, RecordKind, text
from app.services.values import parse_decimal

_MAX_RATE = Decimal(1_000_000)


def _rate(label: str, optional: bool) -> Any:
    return lambda v: parse_decimal(v, label, places=2, allow_empty=optional, maximum=_MAX_RATE,
                                   shorthand=True)


def format_rate(value: Any) -> str:
    return "" if value is None else f"{value:.2f}"


ROLES = RecordKind(
    model=Role,
    noun="role",
    fields=(
        FieldSpec("name", "Name", text("Name", 100, required=True)),
        FieldSpec("cost_rate", "Cost /h", _rate("Hourly cost rate", False), format_rate, numeric=True,
                  tip="What we pay per person-hour."),
        FieldSpec("bill_rate", "Bill /h", _rate("Hourly bill rate", False), format_rate, numeric=True,
                  tip="What we charge per person-hour."),
        FieldSpec("day_cost_rate", "Cost /day", _rate("Day cost rate", True), format_rate, numeric=True,
                  tip='Flat pay per person per day for a labour line in unit "day" (empty: hourly only).'),
        FieldSpec("day_bill_rate", "Bill /day", _rate("Day bill rate", True), format_rate, numeric=True,
                  tip='Flat charge per person per day for a labour line in unit "day" (empty: hourly only).'),
    ),
)
ROLE_FIELDS = ROLES.fields


def rate_warning(values: dict[str, Any]) -> str:
    """A note when a bill rate is below its cost rate (allowed: a loss leader is a choice)."""
    notes = []
    for cost_key, bill_key, label in (("cost_rate", "bill_rate", "hourly"),
                                      ("day_cost_rate", "day_bill_rate", "day")):
        cost, bill = values.get(cost_key), values.get(bill_key)
        if cost is not None and bill is not None and bill < cost:
            notes.append(f"the {label} bill rate is below the {label} cost rate")
    if not notes:
        return ""
    return f"{values.get('name', 'This role')}: " + " and ".join(notes) + " (saved; every hour loses money)."
