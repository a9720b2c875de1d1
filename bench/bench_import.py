"""Excel import of a very long sheet: the preview, and how long writing the lines holds the write lock.

Builds (once; cached in bench/out/) a foreign sheet of --rows rows (default 1,000,000:
item, qty, unit, days, unit cost, markup — about what a 17 MB workbook holds) and times,
within one run:

a. preview: what File › Import shows first — ``open_sheet_preview`` and the mapped read of
   the first ``PREVIEW_ROWS`` rows (``load_first`` in app/ui/excel/import_reading.py);
b. baseline: bare openpyxl (read-only) loading the workbook and reading the same rows —
   with the sizing fix of ``excel.reading`` installed: plain openpyxl parses this whole
   sheet (no <dimension>) just to open it, 165 s on the 2-core CI machine, which is what the
   preview took before (plus the whole mapped read);
c. write: ``import_estimate`` of --lines lines (default 20,000) — the longest write
   transaction (what others' saves wait behind, their busy timeout being 5 s) and the
   total; against one transaction holding all the lines (how it was written before).

Prints medians and ratios, never asserts.

    python bench/bench_import.py [--runs N] [--rows N] [--lines N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook, load_workbook
from sqlalchemy import event

from app.models import LineItem
from app.services.excel import importing
from app.services.excel.importing import IMPORT_BATCH, LINE_T, SECTION_T, import_estimate
from app.services.excel.mapped_rows import MappedImport, read_mapped
from app.services.excel.mapping import PREVIEW_ROWS, open_sheet_preview
from app.services.excel.reading import _sheets_sized_from_their_start as sheets_sized_from_their_start
from app.services.storage.database import Database, open_database
from bench._common import OUT, machine, ms, parse_counts, print_table, ratio, stats, write_json
from tests.factories import make_project
from tests.test_import_limits import many_lines as lines


def long_sheet(rows: int) -> Path:
    path = OUT / f"import-{rows}-rows.xlsx"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"writing {path.name} (once; kept for the next runs)…", flush=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Quote")
    ws.append(["Item", "Qty", "Unit", "Days", "Unit cost", "Markup"])
    for n in range(1, rows):
        ws.append([f"LED panel {n}", n % 40 + 1, "ea", n % 5 + 1, (n % 900) / 4, 25])
    partial = path.with_suffix(".partial")
    wb.save(partial)
    partial.rename(path)
    return path


def preview(path: Path) -> MappedImport:
    shown = open_sheet_preview(path)
    return read_mapped(path, shown.sheet, shown.header_row, shown.mapping, max_rows=PREVIEW_ROWS)


def bare_preview(path: Path) -> list[Any]:
    with sheets_sized_from_their_start():  # the fix is scoped to opening a workbook now
        wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [[c.value for c in row] for row in wb.worksheets[0].iter_rows(max_row=PREVIEW_ROWS)]
    finally:
        wb.close()


class LockWatch:
    """The duration of every write transaction (BEGIN IMMEDIATE … COMMIT) on ``db``."""

    def __init__(self, db: Database) -> None:
        self.held: list[float] = []
        self._start: float | None = None
        event.listen(db.engine, "begin", self._begin)
        event.listen(db.engine, "commit", self._end)
        event.listen(db.engine, "rollback", self._end)

    def _begin(self, conn: Any) -> None:
        if conn.get_execution_options().get("tandem_write"):
            self._start = time.perf_counter()

    def _end(self, _conn: Any) -> None:
        if self._start is not None:
            self.held.append((time.perf_counter() - self._start) * 1000)
            self._start = None


def one_transaction(db: Database, project_id: Any, count: int) -> None:
    """The same lines written the way they were before: prepared and inserted inside one transaction."""
    estimate_id = import_estimate(db, project_id, f"One transaction {time.perf_counter()}", lines(1))
    with db.write() as conn:
        known = importing.known_names(conn)
        sections, records = importing._section_and_line_records(estimate_id, lines(count), known)
        for record in records:  # the records were built from a model each, inside the transaction
            LineItem(**{k: v for k, v in record.items() if k in LineItem.model_fields})
        conn.execute(SECTION_T.insert(), sections)
        conn.execute(LINE_T.insert(), records)


def main() -> None:
    args = parse_counts(
        __doc__ or "",
        runs=(5, "timed runs of the preview"),
        rows=(1_000_000, "rows of the long sheet"),
        lines=(20_000, "lines written"),
    )
    path = long_sheet(args.rows)
    preview(path)  # warm-up
    ours, bare = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        shown = preview(path)
        ours.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        bare_preview(path)
        bare.append((time.perf_counter() - start) * 1000)
    mine, base = stats(ours), stats(bare)

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db")
        try:
            project_id = make_project(db)
            watch = LockWatch(db)
            start = time.perf_counter()
            import_estimate(db, project_id, "Batched", lines(args.lines))
            batched_total = (time.perf_counter() - start) * 1000
            batched = list(watch.held)
            watch.held.clear()
            start = time.perf_counter()
            one_transaction(db, project_id, args.lines)
            single_total = (time.perf_counter() - start) * 1000
            single = max(watch.held)
        finally:
            db.close()

    size_mb = path.stat().st_size / 1024 / 1024
    print_table(
        f"Import preview of a {args.rows:,}-row sheet ({size_mb:.1f} MB), {args.runs} runs",
        ["", "median ms", "min ms", "max ms"],
        [
            [
                f"preview: first {PREVIEW_ROWS} rows, guessed and parsed",
                ms(mine["median_ms"]),
                ms(mine["min_ms"]),
                ms(mine["max_ms"]),
            ],
            ["openpyxl read-only, same rows", ms(base["median_ms"]), ms(base["min_ms"]), ms(base["max_ms"])],
        ],
    )
    print(
        f"\npreview {ratio(mine['median_ms'], base['median_ms'])}× bare openpyxl; "
        f"{len(shown.rows)} rows parsed"
    )
    print_table(
        f"Writing {args.lines:,} imported lines: the write lock",
        ["", "longest hold ms", "transactions", "total ms"],
        [
            [
                f"import_estimate (batches of {IMPORT_BATCH:,})",
                ms(max(batched)),
                len(batched),
                ms(batched_total),
            ],
            ["one transaction (before)", ms(single), 1, ms(single_total)],
        ],
    )
    print(f"\nlongest hold {ratio(max(batched), single)}× the single transaction's")
    write_json(
        "bench_import",
        {
            "machine": machine(),
            "rows": args.rows,
            "file_mb": round(size_mb, 1),
            "preview": mine,
            "baseline_openpyxl_preview": base,
            "preview_ratio_to_bare": ratio(mine["median_ms"], base["median_ms"]),
            "lines": args.lines,
            "batched_longest_hold_ms": round(max(batched), 1),
            "batched_transactions": len(batched),
            "batched_total_ms": round(batched_total, 1),
            "single_transaction_hold_ms": round(single, 1),
            "single_total_ms": round(single_total, 1),
        },
    )


if __name__ == "__main__":
    main()
