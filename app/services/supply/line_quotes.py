"""A line's supplier quotes: the item its cost follows, the candidates it is compared with.

A line following a supplier quote item (``LineItem.supplier_quote_item_id``) takes the item's unit
cost at its quantity (:meth:`QuoteItemInfo.unit_cost_at`, quantity breaks applied): worked out
again when the estimate is read, when its quantity changes and when the item does (the next
reload). Typing a unit cost by hand stops it following. ``LineQuoteCandidate`` rows keep the other
items it was compared with, side by side in :func:`comparison`. All of it is internal: the client
never sees a supplier or a quote number.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from app.models import LineItem, LineQuoteCandidate
from app.models.types import utcnow
from app.services.money import round_money
from app.services.storage.database import Database
from app.services.supply.quote_items import QuoteItemInfo
from app.services.values import InputError

CANDIDATE_T = LineQuoteCandidate.__table__  # type: ignore[attr-defined]
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
QUOTE_ITEM = "supplier_quote_item_id"
Items = Mapping[uuid.UUID, QuoteItemInfo]


def short_date(day: date) -> str:
    """ "11 Feb", with the year when it is not this year's ("11 Feb 2027")."""
    text = f"{day.day} {day:%b}"
    return text if day.year == date.today().year else f"{text} {day.year}"


# -- following an item ------------------------------------------------------------------------


def followed_item(line: Any, items: Items) -> QuoteItemInfo | None:
    """The live quote item a line follows (None: it follows none, or that item is gone)."""
    item_id = getattr(line, QUOTE_ITEM)
    return items.get(item_id) if item_id is not None else None


def followed_cost(line: Any, items: Items, quantity: Decimal | None = None) -> Decimal | None:
    """The unit cost a following line takes at ``quantity`` (default its own) when that is not the
    cost it has; None when nothing changes (it follows no live item, or the cost is the same)."""
    item = followed_item(line, items)
    if item is None:
        return None
    cost = item.unit_cost_at(line.quantity if quantity is None else quantity)
    return None if cost == line.unit_cost else cost


def follow_quantities(
    planned: dict[uuid.UUID, dict[str, Decimal]], lines: Mapping[uuid.UUID, Any], items: Items
) -> None:
    """Planned new quantities (line id → new values) with the unit cost each following line takes
    at its new quantity added, where a quantity break changes it."""
    for line_id, values in planned.items():
        if "quantity" in values:
            cost = followed_cost(lines[line_id], items, values["quantity"])
            if cost is not None:
                values["unit_cost"] = cost


def drifted(lines: Iterable[Any], items: Items) -> dict[uuid.UUID, Decimal]:
    """Lines whose followed item costs something else now (it was edited, or a break applies):
    line id → the cost they take."""
    out = {}
    for line in lines:
        if getattr(line, QUOTE_ITEM) is not None:
            cost = followed_cost(line, items)
            if cost is not None:
                out[line.id] = cost
    return out


def follow_changes(line: Any, item: QuoteItemInfo) -> dict[str, Any]:
    """What *Use this one* writes on a line: the item it follows, its cost at the line's quantity and
    the quote's supplier (who the order goes to)."""
    changes = {
        QUOTE_ITEM: item.id,
        "unit_cost": item.unit_cost_at(line.quantity),
        "supplier_id": item.quote.supplier_id,
    }
    return {k: v for k, v in changes.items() if getattr(line, k) != v}


# -- what the production pane says ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuoteCell:
    """The production pane's Quote cell of a following line."""

    text: str
    tooltip: str
    expired: bool


def quote_cell(line: Any, items: Items, today: date) -> QuoteCell | None:
    """The quote number a following line shows, its terms as a tooltip, whether it has expired."""
    if getattr(line, QUOTE_ITEM) is None:
        return None
    item = followed_item(line, items)
    if item is None:
        return QuoteCell(
            "—",
            "The supplier quote item this line followed is gone; the line keeps its last unit cost.",
            False,
        )
    quote = item.quote
    expired = quote.expired(today)
    valid = (
        (
            f"expired {short_date(quote.valid_until)}"
            if expired
            else f"valid until {short_date(quote.valid_until)}"
        )
        if quote.valid_until
        else "no valid-until date"
    )
    days = "working days" if quote.timing.weekdays_only else "days"
    tip = (
        f"{quote.supplier_name}, quote {quote.number or 'with no number'}: {item.description}\n"
        f"{'⚠ ' if expired else ''}{valid[0].upper()}{valid[1:]}\n"
        f"Lead time {quote.timing.lead_days} {days}, transit {quote.timing.transit_days} {days}\n"
        "Its unit cost follows the quote; type one to stop following it."
    )
    return QuoteCell(quote.number or "no number", tip, expired)


def expired_quotes(lines: Iterable[Any], items: Items, today: date) -> list[tuple[Any, QuoteItemInfo]]:
    """The lines following an expired quote, with their items, in estimate order."""
    out = []
    for line in lines:
        item = followed_item(line, items) if getattr(line, QUOTE_ITEM) is not None else None
        if item is not None and item.quote.expired(today):
            out.append((line, item))
    return out


def expired_sentence(lines: Iterable[Any], items: Items, today: date) -> str:
    """The footer's "⚠ Supplier quote SP-2041 expired 11 Feb: Motors" (one part per quote), or ""."""
    by_quote: dict[uuid.UUID, list[str]] = {}
    quotes = {}
    for line, item in expired_quotes(lines, items, today):
        by_quote.setdefault(item.quote.id, []).append(line.description)
        quotes[item.quote.id] = item.quote
    parts = []
    for quote_id, names in by_quote.items():
        quote = quotes[quote_id]
        assert quote.valid_until is not None
        parts.append(
            f"Supplier quote {quote.number or 'with no number'} expired "
            f"{short_date(quote.valid_until)}: {', '.join(names)}"
        )
    return "⚠ " + "; ".join(parts) if parts else ""


# -- candidates ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    id: uuid.UUID  # the LineQuoteCandidate row's
    item_id: uuid.UUID
    notes: str


def load_candidates(conn: Connection, line_id: uuid.UUID) -> list[Candidate]:
    """A line's live candidate items, in their order."""
    return [
        Candidate(row.id, row.supplier_quote_item_id, row.notes)
        for row in conn.execute(
            select(CANDIDATE_T.c.id, CANDIDATE_T.c.supplier_quote_item_id, CANDIDATE_T.c.notes)
            .where(CANDIDATE_T.c.line_item_id == line_id, CANDIDATE_T.c.deleted_at.is_(None))
            .order_by(CANDIDATE_T.c.position, CANDIDATE_T.c.created_at)
        )
    ]


def add_candidate(db: Database, line_id: uuid.UUID, item_id: uuid.UUID, items: Items) -> uuid.UUID:
    """Keep a quote item as one of a line's candidates (last); refused when it already is one."""
    item = items.get(item_id)
    if item is None:
        raise InputError("That supplier quote item no longer exists.")
    with db.write() as conn:
        line = conn.execute(select(LINE_T.c.deleted_at).where(LINE_T.c.id == line_id)).first()
        if line is None or line.deleted_at is not None:
            raise InputError("That line no longer exists; someone may have deleted it.")
        if any(c.item_id == item_id for c in load_candidates(conn, line_id)):
            raise InputError(f"{item.quote.label}: {item.description} is already compared on this line.")
        last = conn.execute(
            select(func.max(CANDIDATE_T.c.position)).where(
                CANDIDATE_T.c.line_item_id == line_id, CANDIDATE_T.c.deleted_at.is_(None)
            )
        ).scalar()
        row = LineQuoteCandidate(
            line_item_id=line_id,
            supplier_quote_item_id=item_id,
            position=(last if last is not None else -1) + 1,
        )
        conn.execute(CANDIDATE_T.insert(), [{c.name: getattr(row, c.name) for c in CANDIDATE_T.columns}])
    return row.id


def remove_candidate(db: Database, candidate_id: uuid.UUID) -> None:
    """Stop comparing one candidate (a tombstone: the record stays in the database)."""
    with db.write() as conn:
        conn.execute(
            update(CANDIDATE_T)
            .where(CANDIDATE_T.c.id == candidate_id, CANDIDATE_T.c.deleted_at.is_(None))
            .values(deleted_at=utcnow(), updated_at=utcnow())
        )


def copy_candidates(conn: Connection, new_line_ids: Mapping[uuid.UUID, uuid.UUID]) -> None:
    """The candidates of copied lines, kept on their copies (``new_line_ids``: old → new)."""
    if not new_line_ids:
        return
    now = utcnow()
    rows = [
        {
            **{c.name: row._mapping[c.name] for c in CANDIDATE_T.columns},
            "id": uuid.uuid4(),
            "line_item_id": new_line_ids[row.line_item_id],
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for row in conn.execute(
            select(CANDIDATE_T).where(
                CANDIDATE_T.c.line_item_id.in_(list(new_line_ids)), CANDIDATE_T.c.deleted_at.is_(None)
            )
        )
    ]
    if rows:
        conn.execute(CANDIDATE_T.insert(), rows)


def offered_items(line: Any, items: Items, compared: Iterable[uuid.UUID] = ()) -> list[QuoteItemInfo]:
    """What *Add candidate…* offers a line: the items not compared yet, those of the line's catalog
    item first, then by supplier, quote and description."""
    taken = set(compared)
    catalog = line.catalog_item_id
    return sorted(
        (item for item in items.values() if item.id not in taken),
        key=lambda i: (
            catalog is None or i.catalog_item_id != catalog,
            i.quote.supplier_name.casefold(),
            i.quote.number,
            i.description.casefold(),
        ),
    )


# -- side by side ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Compared:
    """One supplier quote item as the comparison shows it for one line."""

    item: QuoteItemInfo
    candidate_id: uuid.UUID | None  # None: the followed item, not (or no longer) kept as a candidate
    followed: bool
    unit_cost: Decimal  # at the line's quantity
    cost: Decimal  # the line's cost at it
    order_by: date | None  # for the project's load-in (None without one)
    expired: bool


def comparison(
    line: Any, units: Decimal, candidates: list[Candidate], items: Items, load_in: date | None, today: date
) -> list[Compared]:
    """The line's candidates side by side (the followed item first when it is none of them);
    ``units`` are the line's priced units (quantity × days, or a call's). A candidate whose item
    is gone is left out."""
    followed = getattr(line, QUOTE_ITEM)
    entries: list[tuple[QuoteItemInfo, uuid.UUID | None]] = []
    if followed is not None and followed in items and all(c.item_id != followed for c in candidates):
        entries.append((items[followed], None))
    entries += [(items[c.item_id], c.id) for c in candidates if c.item_id in items]
    out = []
    for item, candidate_id in entries:
        unit_cost = item.unit_cost_at(line.quantity)
        order_by = item.quote.timing.order_by(load_in) if load_in is not None else None
        out.append(
            Compared(
                item,
                candidate_id,
                item.id == followed,
                unit_cost,
                round_money(units * unit_cost),
                order_by,
                item.quote.expired(today),
            )
        )
    return out
