"""What an order to a supplier says, once, for the Excel sheet and the PDF alike.

The heading (our company and its address, the supplier and its contact, the project, the
delivery address, need-by and order-by), the lines with the supplier's cost and the total.
Only what the supplier sees: never our price to the client, markup or margin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.models import Client, Company, Project, Supplier
from app.services.storage.database import Database
from app.services.supply.orders import Order, OrderLine

COMPANY_T = Company.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]
CLIENT_T = Client.__table__  # type: ignore[attr-defined]
SUPPLIER_T = Supplier.__table__  # type: ignore[attr-defined]
COLUMNS = ("Description", "Qty", "Unit", "Days", "Unit cost", "Cost")
NOTE = "Please confirm this order, its prices and the delivery date."


@dataclass(frozen=True)
class OrderContent:
    company: str
    company_address: str
    currency: str
    number: str
    title: str  # "Sub-rental order PO-2027-0001"
    rows: tuple[tuple[str, str], ...]  # (label, value) under the title
    lines: tuple[OrderLine, ...]
    total: Decimal


def _day(day: object) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}" if day is not None else "—"  # type: ignore[attr-defined]


def order_contents(db: Database, orders: Sequence[Order]) -> list[OrderContent]:
    """Each order's content, read in a few queries whatever their number."""
    with db.read() as conn:
        company = conn.execute(
            select(COMPANY_T.c.name, COMPANY_T.c.address, COMPANY_T.c.currency).where(
                COMPANY_T.c.deleted_at.is_(None)
            )
        ).first()
        projects = {
            r.id: r
            for r in conn.execute(
                select(PROJECT_T.c.id, PROJECT_T.c.name, CLIENT_T.c.name.label("client"))
                .join(CLIENT_T, CLIENT_T.c.id == PROJECT_T.c.client_id)
                .where(PROJECT_T.c.id.in_({o.project_id for o in orders}))
            )
        }
        suppliers = {
            r.id: r
            for r in conn.execute(
                select(
                    SUPPLIER_T.c.id, SUPPLIER_T.c.contact_name, SUPPLIER_T.c.email, SUPPLIER_T.c.phone
                ).where(SUPPLIER_T.c.id.in_({o.supplier_id for o in orders}))
            )
        }
    name, address, currency = (company.name, company.address, company.currency) if company else ("", "", "")
    contents = []
    for order in orders:
        project, supplier = projects.get(order.project_id), suppliers.get(order.supplier_id)
        contact = (
            ", ".join(v for v in (supplier.contact_name, supplier.email, supplier.phone) if v)
            if supplier
            else ""
        )
        rows = (
            ("To", order.supplier_name),
            ("Contact", contact),
            ("Project", f"{project.name} ({project.client})" if project else ""),
            ("Deliver to", order.delivery_address),
            ("Needed by", _day(order.need_by)),
            ("Order by", _day(order.order_by)),
            ("Status", order.status.label),
        )
        contents.append(
            OrderContent(
                name,
                address,
                currency,
                order.number,
                f"{order.kind.label} order {order.number}",
                tuple((label, value) for label, value in rows if value),
                order.lines,
                order.total,
            )
        )
    return contents
