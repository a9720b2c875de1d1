"""The dashboard's workbook: exact amounts, live totals that add up to the app's, nothing internal
in the AM's copy (every cell of the saved workbook read)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.services.dashboard.figures import dashboard
from app.services.excel.dashboard_sheet import export_dashboard
from app.services.storage.database import Database
from app.services.storage.errors import StorageError
from tests.dashboard_scene import END, JOBS, START, build_scene

D = Decimal
_SUM = re.compile(r"^=SUM\(([A-Z]+\d+(?:,[A-Z]+\d+)*)\)$")


def _cells(path: Path) -> dict[str, object]:
    ws = load_workbook(path)["Dashboard"]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def _row_of(cells: dict[str, object], label: str, after: str) -> int:
    """The row of the first ``label`` in column A below the heading ``after``."""
    start = next(int(k[1:]) for k, v in cells.items() if k.startswith("A") and v == after)
    return min(int(k[1:]) for k, v in cells.items() if k[0] == "A" and v == label and int(k[1:]) > start)


def _value(cells: dict[str, object], ref: str) -> Decimal:
    """A cell's figure; a SUM formula worked out from the cells it names."""
    value = cells.get(ref, 0)
    if isinstance(value, str):
        found = _SUM.match(value)
        assert found, f"{ref}: {value}"
        return sum((_value(cells, r) for r in found.group(1).split(",")), D(0))
    return D(str(value))


def test_the_pms_workbook_adds_up_to_the_dashboard(empty_db: Database, tmp_path: Path) -> None:
    build_scene(empty_db)
    board = dashboard(empty_db, start=START, end=END)
    path = tmp_path / "dashboard.xlsx"
    export_dashboard(empty_db, board, path)
    cells = _cells(path)
    stages = "Pipeline by stage (open projects; value tax included)"
    total = _row_of(cells, "Total", stages)
    assert [_value(cells, f"{c}{total}") for c in "BCD"] == [5, D("83980.24"), D("61980.24")]
    assert _value(cells, f"C{_row_of(cells, 'In production', stages)}") == D("13580.24")
    revenue = "Revenue by month (won work by its show, before tax)"
    total = _row_of(cells, "Total", revenue)
    assert [_value(cells, f"{c}{total}") for c in "BCDE"] == [3, D("50345.67"), D("33404.32"), D("16941.35")]
    assert cells[f"F{total}"] == f'=IF(C{total}=0,"",E{total}/C{total}*100)'
    clients = "Revenue by client (won work, before tax)"
    birch = _row_of(cells, "Birch & Co", clients)
    assert [_value(cells, f"{c}{birch}") for c in "CDE"] == [D(38000), D(25750), D(12250)]
    lost = _row_of(cells, "Total", "Lost reasons (value tax included)")
    assert _value(cells, f"C{lost}") == D(22000)
    rates = _row_of(cells, "Total", "Win rate by month decided (won ÷ won and lost)")
    assert (_value(cells, f"B{rates}"), _value(cells, f"C{rates}")) == (3, 2)
    forecast = _row_of(cells, "Jan 2027", "Weighted forecast by month (won work at 100 %)")
    assert cells[f"D{forecast}"] == f"=B{forecast}+C{forecast}"
    assert (_value(cells, f"B{forecast}"), _value(cells, f"C{forecast}")) == (D(33000), D(14300))


def test_the_account_managers_workbook_has_no_cost_or_margin(empty_db: Database, tmp_path: Path) -> None:
    build_scene(empty_db)
    full = dashboard(empty_db, start=START, end=END)
    path = tmp_path / "am.xlsx"
    export_dashboard(empty_db, full.prices_only(), path)
    cells = _cells(path)
    texts = [str(v) for v in cells.values()]
    # Every cost and margin the PM's copy holds, and the words.
    secret = {str(r.cost) for r in (*full.revenue_by_month, *full.revenue_by_client, full.revenue_total)}
    secret |= {str(r.margin) for r in (*full.revenue_by_month, *full.revenue_by_client, full.revenue_total)}
    secret |= {str(job.cost) for job in JOBS}
    for text in texts:
        assert not re.search(r"cost|margin", text, re.IGNORECASE), text
        assert text not in secret, text
    assert not [k for k in cells if k[0] in "EF"]  # no fifth or sixth column at all
    total = _row_of(cells, "Total", "Revenue by client (won work, before tax)")
    assert (_value(cells, f"B{total}"), _value(cells, f"C{total}")) == (3, D("50345.67"))


def test_a_workbook_that_cannot_be_written_is_one_line_and_no_file(
    empty_db: Database, tmp_path: Path
) -> None:
    build_scene(empty_db)
    target = tmp_path / "no such folder" / "dashboard.xlsx"
    with pytest.raises(StorageError) as caught:
        export_dashboard(empty_db, dashboard(empty_db, start=START, end=END), target)
    assert "\n" not in str(caught.value) and str(caught.value)
    assert not target.parent.exists()


def test_a_cancelled_export_writes_nothing(empty_db: Database, tmp_path: Path) -> None:
    build_scene(empty_db)
    target = tmp_path / "dashboard.xlsx"
    with pytest.raises(StorageError, match="cancelled"):
        export_dashboard(empty_db, dashboard(empty_db), target, progress=lambda *_: False)
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if "dashboard" in p.name]  # no temporary file left
