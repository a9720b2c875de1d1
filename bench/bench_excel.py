"""Excel export of a 5,000-line estimate: the client quote plus the cost sheet, against bare openpyxl.

Builds a 5,000-line estimate in 50 sections (tests.factories.make_estimate) in a
temporary SQLite file, loads it once, then times, alternating within one run:

a. export: export_quote + export_cost_sheet of the loaded document (styles,
   safe text cells, formulas, print set-up, temporary file and rename);
b. baseline: openpyxl in write-only mode appending the same cells with the same
   values (read back from (a)'s workbooks), unstyled, to two workbooks.

Prints the medians and their ratio (target ≤ 2×), never asserts.

    python bench/bench_excel.py [--runs N] [--lines N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook, load_workbook

from app.services.estimate.document import EstimateDocument
from app.services.excel.cost_sheet import export_cost_sheet
from app.services.excel.quote import export_quote
from app.services.storage.database import open_database
from bench._common import machine, ms, parse_counts, print_table, ratio, stats, write_json
from tests.factories import make_estimate

TARGET_RATIO = 2.0


def sheets_of(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet's rows of values (formulas as their text), to write again with bare openpyxl."""
    wb = load_workbook(path, read_only=True)
    try:
        return [(ws.title, [[c.value for c in row] for row in ws.iter_rows()]) for ws in wb.worksheets]
    finally:
        wb.close()


def bare_write(books: list[list[tuple[str, list[list[Any]]]]], folder: Path) -> None:
    for i, sheets in enumerate(books):
        wb = Workbook(write_only=True)
        for title, rows in sheets:
            ws = wb.create_sheet(title)
            for row in rows:
                ws.append(row)
        wb.save(folder / f"bare-{i}.xlsx")


def main() -> None:
    args = parse_counts(__doc__ or "", runs=(7, "timed runs of each"), lines=(5000, "lines in the estimate"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(folder / "bench.db")
        try:
            estimate = make_estimate(db, args.lines, 50, contingency_pct=5, discount_pct=3, tax_pct=8)
            doc = EstimateDocument(db, estimate)
            quote, costs = folder / "quote.xlsx", folder / "costs.xlsx"

            def export() -> None:
                export_quote(doc, quote, db=db)
                export_cost_sheet(doc, costs, db=db)

            export()  # warm-up, and the cells for the baseline
            books = [sheets_of(quote), sheets_of(costs)]
            cells = sum(1 for sheets in books for _t, rows in sheets for row in rows for v in row
                        if v is not None)
            ours: list[float] = []
            bare: list[float] = []
            for _ in range(args.runs):
                start = time.perf_counter()
                export()
                ours.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                bare_write(books, folder)
                bare.append((time.perf_counter() - start) * 1000)
            sizes = {"quote_kb": round(quote.stat().st_size / 1024),
                     "cost_sheet_kb": round(costs.stat().st_size / 1024)}
        finally:
            db.close()
    mine, base = stats(ours), stats(bare)
    r = ratio(mine["median_ms"], base["median_ms"])
    print_table(
        f"Excel export of a {args.lines:,}-line estimate (quote + cost sheet, {cells:,} cells), "
        f"{args.runs} runs",
        ["", "median ms", "min ms", "max ms"],
        [["export_quote + export_cost_sheet", ms(mine["median_ms"]), ms(mine["min_ms"]), ms(mine["max_ms"])],
         ["openpyxl write-only, same cells", ms(base["median_ms"]), ms(base["min_ms"]), ms(base["max_ms"])]],
    )
    verdict = "within" if r <= TARGET_RATIO else "OVER"
    print(f"\nratio {r}× ({verdict} the {TARGET_RATIO}× target); workbooks {sizes}")
    write_json("bench_excel", {"machine": machine(), "lines": args.lines, "cells": cells, "export": mine,
                               "baseline_openpyxl_write_only": base, "ratio": r, "target_ratio": TARGET_RATIO,
                               **sizes})


if __name__ == "__main__":
    main()
