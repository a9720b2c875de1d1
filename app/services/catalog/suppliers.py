"""Suppliers: who the company buys and sub-rents from, edited as master data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.models import Supplier
from app.services.master_data import FieldSpec, RecordKind, text
from app.services.values import flag, parse_decimal, parse_email


def _lead_days(value: Any) -> int:
    days = parse_decimal("0" if value in (None, "") else value, "Lead time", places=0, maximum=Decimal(365))
    return int(days or 0)


SUPPLIERS = RecordKind(
    model=Supplier,
    noun="supplier",
    fields=(
        FieldSpec("name", "Name", text("Name", 200, required=True)),
        FieldSpec("contact_name", "Contact", text("Contact", 200)),
        FieldSpec("email", "Email", parse_email),
        FieldSpec("phone", "Phone", text("Phone", 50)),
        FieldSpec("supplies", "Supplies", text("Supplies", 500),
                  tip="What they supply: the search finds a supplier by it."),
        FieldSpec("lead_time_days", "Lead time (days)", _lead_days, numeric=True,
                  tip="Days between ordering and delivery."),
        FieldSpec(
            "weekdays_only",
            "Works weekdays only",
            flag("Works weekdays only"),
            choices=lambda db: [(True, "Yes"), (False, "No")],
            tip="Its lead time counts working days: an order-by date skips weekends.",
        ),
        FieldSpec("payment_terms", "Payment terms", text("Payment terms", 200)),
        FieldSpec("notes", "Notes", text("Notes", 2000, multiline=True), multiline=True),
    ),
)

