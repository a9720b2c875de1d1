"""Orders to suppliers as one workbook, a sheet per order: what :mod:`app.services.supply.order_content`
says, the supplier's cost only. Each line's cost is the stored figure and the total a SUM of them,
so a spreadsheet program arrives at the order's total to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl.utils import get_column_letter

from app.services.excel.fit import fitted_width, height_for
from app.services.excel.workbook import Sheet, build, common_styles, new_workbook, prepare, shown_number
from app.services.money import shown_money
from app.services.storage.database import Database
from app.services.supply.order_content import COLUMNS, NOTE, OrderContent, order_contents
from app.services.supply.orders import Order

_STYLES = ("text", "qty", "text", "qty", "money", "money")


def export_orders(db: Database, orders: Sequence[Order], path: str | Path) -> Path:
    """Write ``orders`` to ``path`` (through a temporary file), one sheet each; the path written."""
    if not orders:
        raise ValueError("no order to export")
    contents = order_contents(db, orders)
    wb = new_workbook(f"Orders — {', '.join(c.number for c in contents)}", contents[0].company)

    def write() -> None:
        for content in contents:
            _write_order(wb, content)

    build(wb, Path(path), write)
    return Path(path)


def _widths(c: OrderContent) -> list[float]:
    shown = [
        [line.description for line in c.lines],
        [shown_number(line.quantity) for line in c.lines],
        [line.unit for line in c.lines],
        [shown_number(line.days) for line in c.lines],
        [shown_money(line.unit_cost, c.currency) for line in c.lines],
        [*(shown_money(line.cost, c.currency) for line in c.lines), shown_money(c.total, c.currency)],
    ]
    widths = [fitted_width(texts, name, cap=50) for texts, name in zip(shown, COLUMNS, strict=True)]
    widths[0] = max(widths[0], 14.0)  # the heading labels stand in column A
    return widths


def _write_order(wb: object, c: OrderContent) -> None:
    s = Sheet(wb, c.number, c.currency, _widths(c))  # type: ignore[arg-type]
    prepare(s.ws, "A1")
    common_styles(s)
    s.append([s.text(c.company, "title")])
    for part in c.company_address.splitlines():
        s.append([s.text(part, "plain")])
    s.append()
    s.append([s.text(c.title, "subtitle")])
    for label, value in c.rows:
        s.append([s.text(label, "label"), s.text(value, "plain")])
    s.append()
    header = s.append(
        [
            s.text(n, "header" if style == "text" else "header_right")
            for n, style in zip(COLUMNS, _STYLES, strict=True)
        ]
    )
    for line in c.lines:
        s.append(
            [
                s.text(line.description),
                s.number(line.quantity, "qty"),
                s.text(line.unit, "plain"),
                s.number(line.days, "qty"),
                s.number(line.unit_cost),
                s.number(line.cost),
            ]
        )
    first, last = header + 1, s.row
    s.append(
        [
            s.text("Total", "total_label"),
            None,
            None,
            None,
            None,
            s.formula(f"=SUM(F{first}:F{last})" if last >= first else "=0", "total"),
        ]
    )
    s.append()
    # Across the table, as tall as the wrapped sentence (in column A alone it was cut off on
    # paper); set before the row is streamed.
    note = s.row + 1
    s.ws.merged_cells.add(f"A{note}:{get_column_letter(len(COLUMNS))}{note}")
    height = height_for(NOTE, sum(_widths(c)))
    if height is not None:
        s.ws.row_dimensions[note].height = height
    s.append([s.text(NOTE, "note")])
    s.print_setup(header, f"{c.company} — {c.title}")
