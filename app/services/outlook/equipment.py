"""The outlook's equipment rows: each stocked item's weighted units held on the worst day of each week
against what can go out that day (see :mod:`app.services.outlook.table` for how each is counted)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy.engine import Connection

from app.services.equipment.reading import load_holds, load_stock
from app.services.money import HUNDRED, ZERO
from app.services.outlook.table import ITEM, OPEN_WORK, WON_WORK, Bid, Cell, Row, Tally

_DAY = timedelta(days=1)


def item_rows(
    conn: Connection, weeks: list[date], bids: dict[uuid.UUID, Bid]
) -> tuple[list[Row], dict[tuple[uuid.UUID, date], Cell]]:
    """Items held (won or open work) during the weeks, by name, and their cells."""
    first, last = weeks[0], weeks[-1] + 6 * _DAY
    stock = load_stock(conn)
    span = (last - first).days + 1
    daily = Tally(span)  # per item and day
    for hold in load_holds(conn, stock, sorted(WON_WORK | OPEN_WORK)):
        bid = bids.get(hold.project_id)
        if bid is None or not bid.probability_pct or hold.last < first or hold.first > last:
            continue
        slots, entry = daily.row(hold.item_id), (bid, bid.probability_pct / HUNDRED * hold.quantity)
        for offset in range(max((hold.first - first).days, 0), min((hold.last - first).days, span - 1) + 1):
            slots[offset].append(entry)
    rows = sorted(
        (Row(ITEM, item_id, stock[item_id].name) for item_id in daily.entries),
        key=lambda row: (row.name.lower(), row.id),
    )
    cells: dict[tuple[uuid.UUID, date], Cell] = {}
    for row in rows:
        item = stock[row.id]
        for n, week in enumerate(weeks):
            days = []
            for offset in range(7 * n, 7 * n + 7):
                day = first + offset * _DAY
                supply = max(item.owned - item.out_of_service_on(day, day), ZERO)
                won, open_ = daily.totals(row.id, offset)
                days.append((won + open_ - supply, won + open_, -offset, won, open_, supply))
            _, _, worst, won, open_, supply = max(days)
            day = first - worst * _DAY
            cells[(row.id, week)] = Cell(row, week, won, open_, supply, daily.shares(row.id, -worst), day)
    return rows, cells
