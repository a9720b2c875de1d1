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
    daily = Tally()  # per item and day
    for hold in load_holds(conn, stock, sorted(WON_WORK | OPEN_WORK)):
        bid = bids.get(hold.project_id)
        if bid is None or not bid.probability_pct or hold.last < first or hold.first > last:
            continue
        amount = bid.probability_pct / HUNDRED * hold.quantity
        day = max(hold.first, first)
        while day <= min(hold.last, last):
            daily.add(hold.item_id, day, bid, amount)
            day += _DAY
    rows = sorted(
        (Row(ITEM, item_id, stock[item_id].name) for item_id in daily.rows),
        key=lambda row: (row.name.lower(), row.id),
    )
    cells: dict[tuple[uuid.UUID, date], Cell] = {}
    for row in rows:
        item = stock[row.id]
        for week in weeks:
            days = []
            for day in (week + i * _DAY for i in range(7)):
                supply = max(item.owned - item.out_of_service_on(day, day), ZERO)
                won, open_ = daily.won.get((row.id, day), ZERO), daily.open.get((row.id, day), ZERO)
                days.append((won + open_ - supply, won + open_, day, won, open_, supply))
            _, _, worst, won, open_, supply = max(days, key=lambda d: (d[0], d[1], -d[2].toordinal()))
            cells[(row.id, week)] = Cell(
                row, week, won, open_, supply, daily.shares((row.id, worst), bids), worst
            )
    return rows, cells
