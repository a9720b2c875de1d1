"""The closed vocabularies of the domain, stored as their string values."""

from __future__ import annotations

from enum import StrEnum


class LineKind(StrEnum):
    EQUIPMENT = "equipment"
    LABOUR = "labour"
    SUBRENTAL = "subrental"
    SUPPLIER = "supplier"
    PURCHASE = "purchase"
    FREIGHT = "freight"
    FEE = "fee"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def client_label(self) -> str:
        """What the client reads when a line has no client description of its own."""
        return _KIND_CLIENT_LABELS[self]


_KIND_LABELS = {
    LineKind.EQUIPMENT: "Equipment",
    LineKind.LABOUR: "Labour",
    LineKind.SUBRENTAL: "Sub-rental",
    LineKind.SUPPLIER: "Supplier",
    LineKind.PURCHASE: "Purchase",
    LineKind.FREIGHT: "Freight",
    LineKind.FEE: "Fee",
}

_KIND_CLIENT_LABELS = {
    LineKind.EQUIPMENT: "Equipment rental",
    LineKind.LABOUR: "Installation labour",
    LineKind.SUBRENTAL: "Equipment rental",
    LineKind.SUPPLIER: "Production services",
    LineKind.PURCHASE: "Materials",
    LineKind.FREIGHT: "Freight and logistics",
    LineKind.FEE: "Services",
}


class PriceBasis(StrEnum):
    """How a line's price follows from its cost, unless the price is overridden."""

    MARKUP = "markup"  # price = cost × (1 + markup %)
    UNIT_PRICE = "unit_price"  # price = units × list price (or bill rate)
    MARGIN = "margin"  # price = cost ÷ (1 − margin %)


class ProjectStatus(StrEnum):
    """A project's lifecycle: lead → estimating → quoted → won → in production → delivered,
    or lost / cancelled / postponed on the way (postponed may come back)."""

    LEAD = "lead"
    ESTIMATING = "estimating"
    QUOTED = "quoted"
    WON = "won"
    IN_PRODUCTION = "in_production"
    DELIVERED = "delivered"
    LOST = "lost"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class CallPhase(StrEnum):
    LOAD_IN = "load_in"
    SHOW = "show"
    STRIKE = "strike"

    @property
    def label(self) -> str:
        return {"load_in": "Load-in", "show": "Show", "strike": "Strike"}[self.value]

    @property
    def client_label(self) -> str:
        """What the client reads for a crew call of this phase without a client description."""
        return {"load_in": "Installation crew", "show": "Show crew", "strike": "Dismantle crew"}[self.value]


class CrewKind(StrEnum):
    STAFF = "staff"
    FREELANCE = "freelance"
    UNION = "union"


class AssignmentStatus(StrEnum):
    TENTATIVE = "tentative"
    CONFIRMED = "confirmed"


class OrderKind(StrEnum):
    SUBRENTAL = "subrental"
    PURCHASE = "purchase"

    @property
    def label(self) -> str:
        return {"subrental": "Sub-rental", "purchase": "Purchase"}[self.value]


class OrderStatus(StrEnum):
    """draft → sent → confirmed → received → returned (sub-rentals only) → closed."""

    DRAFT = "draft"
    SENT = "sent"
    CONFIRMED = "confirmed"
    RECEIVED = "received"
    RETURNED = "returned"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class MilestoneKind(StrEnum):
    DESIGN_APPROVAL = "design_approval"
    ORDER_BY = "order_by"  # an order's order-by date: derived from the orders, never stored
    SHIP = "ship"
    FREIGHT_WINDOW = "freight_window"
    LOAD_IN = "load_in"
    SHOW_OPEN = "show_open"
    STRIKE = "strike"
    INVOICE = "invoice"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _MILESTONE_LABELS[self]


_MILESTONE_LABELS = {
    MilestoneKind.DESIGN_APPROVAL: "Design approval",
    MilestoneKind.ORDER_BY: "Order by",
    MilestoneKind.SHIP: "Ship",
    MilestoneKind.FREIGHT_WINDOW: "Advance freight",
    MilestoneKind.LOAD_IN: "Load-in",
    MilestoneKind.SHOW_OPEN: "Show open",
    MilestoneKind.STRIKE: "Strike",
    MilestoneKind.INVOICE: "Invoice",
    MilestoneKind.OTHER: "Other",
}


class DateAnchor(StrEnum):
    """The project day a relative milestone counts from; FIXED: its own date."""

    LOAD_IN = "load_in"  # Project.start_date
    SHOW_START = "show_start"
    SHOW_END = "show_end"
    STRIKE = "strike"  # Project.end_date
    FIXED = ""

    @property
    def label(self) -> str:
        return {"load_in": "Load-in", "show_start": "Show start", "show_end": "Show end",
                "strike": "Strike", "": "Fixed date"}[self.value]


class MilestoneOwner(StrEnum):
    AM = "AM"
    PM = "PM"


class ActivityKind(StrEnum):
    """What an account manager logs on a project or a client (a follow-up is a task with a due date)."""

    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    QUOTE_SENT = "quote_sent"  # logged by Send quote
    FOLLOW_UP = "follow_up"
    NOTE = "note"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()
