"""The dashboard as a workbook: each table of View › Dashboard with live SUM totals.

Every amount is the service's exact Decimal (:mod:`app.services.dashboard.figures`); the totals,
the forecast's month totals, the win rates and the margin shares are formulas over those cells,
so they recalculate to the app's figures to the cent. Made from the AM's copy
(:meth:`~app.services.dashboard.figures.Dashboard.prices_only`) the workbook has no cost or
margin column at all: the AM can send it on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font

from app.models import ProjectStatus
from app.services.dashboard.figures import Dashboard, Revenue, month_text, scope_text
from app.services.excel.fit import SCALE, fitted_width
from app.services.excel.workbook import (
    ExportResult,
    Progress,
    Sheet,
    build,
    check,
    common_styles,
    company_of,
    new_workbook,
    prepare,
    sum_formula,
)
from app.services.money import shown_money
from app.services.storage.database import Database

SHEET = "Dashboard"
_COLUMNS = "ABCDEF"
_ONE_PAGE_ROWS = 80


@dataclass(frozen=True)
class _Column:
    heading: str
    style: str  # "money", "qty", "pct2"; a total row sums "money" and "qty" columns
    total: bool = True


def export_dashboard(
    db: Database, board: Dashboard, path: str | Path, *, progress: Progress | None = None
) -> ExportResult:
    """Write ``board`` (the PM's, or the AM's copy without costs) to ``path`` (.xlsx)."""
    company, _terms = company_of(db)
    check(progress, None, "Writing the dashboard…", 0, 1)
    wb = new_workbook(f"{SHEET} — {scope_text(board)}", company)
    build(wb, Path(path), lambda: _write(wb, board, company))
    if progress is not None:
        progress("Saved.", 1, 1)  # written: too late to cancel
    return ExportResult(
        Path(path), board.pipeline_count, "dashboard" if board.with_costs else "dashboard, prices only"
    )


def _widths(board: Dashboard) -> list[float]:
    labels = [c.key for c in board.revenue_by_client] + [r.reason for r in board.lost_reasons]
    labels += ["In production", "Pipeline by stage", "Total"]
    amounts = [
        shown_money(board.pipeline_value, board.currency),
        shown_money(board.revenue_total.revenue, board.currency),
    ]
    # The totals are bold and a size larger: a quarter wider than the amounts above them.
    money = max(14.0, round(fitted_width(amounts, cap=22) * SCALE["large"], 1))
    return [
        fitted_width([str(x) for x in labels], cap=36),
        money,  # counts, and the forecast's won work
        max(14.0, money),
        max(14.0, money),
        max(14.0, money),
        11.0,
    ]


def _write(wb: Any, board: Dashboard, company: str) -> None:
    s = Sheet(wb, SHEET, board.currency, _widths(board))
    prepare(s.ws, "A1")
    common_styles(s)
    s.style("pct2", number_format='0.00" %"', alignment=Alignment(horizontal="right", vertical="top"))
    s.style(
        "qty_bold",
        number_format="#,##0",
        font=Font(bold=True, size=12),
        alignment=Alignment(horizontal="right"),
    )
    s.style(
        "pct2_bold", number_format='0.00" %"', font=Font(bold=True), alignment=Alignment(horizontal="right")
    )
    s.append([s.text(company or SHEET, "title")])
    s.append([s.text(f"Dashboard · {scope_text(board)}" if company else scope_text(board), "subtitle")])
    today = date.today()
    note = "" if board.with_costs else " · prices only"
    s.append([s.text(f"Written {today.day} {today:%b %Y}; amounts in {board.currency}{note}", "plain")])

    _table(
        s,
        "Pipeline by stage (open projects; value tax included)",
        [
            _Column("Stage", "", False),
            _Column("Projects", "qty"),
            _Column("Value", "money"),
            _Column("Weighted", "money"),
        ],
        [[ProjectStatus(st.status).label, st.count, st.value, st.weighted] for st in board.stages],
    )
    _table(
        s,
        "Weighted forecast by month (won work at 100 %)",
        [
            _Column("Month", "", False),
            _Column("Won", "money"),
            _Column("Weighted", "money"),
            _Column("Total", "money"),
        ],
        [[month_text(m.month), m.committed, m.weighted, "=B{row}+C{row}"] for m in board.forecast],
    )
    _table(
        s,
        "Win rate by month decided (won ÷ won and lost)",
        [
            _Column("Month", "", False),
            _Column("Won", "qty"),
            _Column("Lost", "qty"),
            _Column("Win rate", "pct2", False),
        ],
        [
            [month_text(m.month), m.won, m.lost, '=IF(B{row}+C{row}=0,"",B{row}/(B{row}+C{row})*100)']
            for m in board.win_rate_by_month
        ],
        total_formulas={3: '=IF(B{row}+C{row}=0,"",B{row}/(B{row}+C{row})*100)'},
    )
    _table(
        s,
        "Lost reasons (value tax included)",
        [_Column("Reason", "", False), _Column("Projects", "qty"), _Column("Value", "money")],
        [[r.reason, r.count, r.value] for r in board.lost_reasons],
    )
    for title, rows, first in (
        ("Revenue by month (won work by its show, before tax)", board.revenue_by_month, "Month"),
        ("Revenue by client (won work, before tax)", board.revenue_by_client, "Client"),
    ):
        _revenue_table(s, title, first, rows, board.with_costs)
    s.print_setup(1, f"{company} — {SHEET}" if company else SHEET)
    if s.row <= _ONE_PAGE_ROWS:  # a few clients: the whole dashboard on one sheet of paper
        s.ws.page_setup.fitToHeight = 1


def _revenue_table(s: Sheet, title: str, first: str, rows: Sequence[Revenue], with_costs: bool) -> None:
    columns = [_Column(first, "", False), _Column("Projects", "qty"), _Column("Revenue", "money")]
    if with_costs:
        columns += [_Column("Cost", "money"), _Column("Margin", "money"), _Column("Margin %", "pct2", False)]
    share = '=IF(C{row}=0,"",E{row}/C{row}*100)'

    def cells(r: Revenue) -> list[Any]:
        key = r.key if isinstance(r.key, str) else month_text(r.key)
        return [key, r.count, r.revenue, *((r.cost, r.margin, share) if with_costs else ())]

    _table(s, title, columns, [cells(r) for r in rows], total_formulas={5: share} if with_costs else None)


def _table(
    s: Sheet,
    title: str,
    columns: Sequence[_Column],
    rows: Sequence[Sequence[Any]],
    total_formulas: dict[int, str] | None = None,
) -> None:
    """A heading, a header row, the rows (a text starting "=" is a formula of its ``{row}``) and a
    total row summing each money and count column (the others: ``total_formulas`` by column)."""
    s.append()
    s.append([s.text(title, "subtitle")])
    s.append([s.text(c.heading, "header" if n == 0 else "header_right") for n, c in enumerate(columns)])
    first = s.row + 1
    for values in rows:
        row = s.row + 1
        s.append([_cell(s, v, c.style, row) for v, c in zip(values, columns, strict=True)])
    if not rows:
        s.append([s.text("None in this range", "note")])
        return
    last = s.row
    total = s.row + 1
    cells: list[Any] = [s.text("Total", "total_label")]
    for n, column in enumerate(columns[1:], 1):
        letter = _COLUMNS[n]
        if column.total:
            style = "total" if column.style == "money" else "qty_bold"
            cells.append(s.formula(sum_formula([f"{letter}{r}" for r in range(first, last + 1)]), style))
        elif total_formulas and n in total_formulas:
            cells.append(s.formula(total_formulas[n].format(row=total), "pct2_bold"))
        else:
            cells.append(None)
    s.append(cells)


def _cell(s: Sheet, value: Any, style: str, row: int) -> Any:
    if isinstance(value, str) and value.startswith("="):
        return s.formula(value.format(row=row), style)
    if isinstance(value, str):
        return s.text(value)
    return s.number(value, style)
