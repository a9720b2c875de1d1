"""One parameter changed in a 5,000-line estimate with 2,000 formula lines: both panes recalculated.

Builds a 5,000-line estimate (tests.factories.make_estimate, 50 sections) with six
parameters (one derived from others) and 2,000 lines whose quantity is a formula of
them — each formula different, so that no two lines share a cached result (the worst
case; real estimates repeat formulas) — and 500 of them with a days formula too. It
opens the estimate in both panes at 1600x900, then measures:

a. EstimateEditor.edit_parameter(screen_length_ft) + processEvents, alternating two
   values, so that every formula line recalculates, is written and is repainted;
   split into resolving/evaluating, the database write, repricing and totals, and
   the panes' listeners;
b. baseline: stdlib sqlite3 writing the same 2,000 quantities in one BEGIN IMMEDIATE
   transaction with executemany, on the same file and settings.

Timings are printed with their ratio to the baseline, never asserted.

    python bench/bench_parameters.py [--changes N]
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication
from sqlalchemy import update

from app.models import LineItem
from app.services.estimate.document import EstimateDocument
from app.services.storage.database import open_database
from app.ui.estimate.workspace import EstimateWorkspace
from bench._common import ms, parse_counts, print_table, ratio, stats, write_json
from tests.factories import make_estimate

TARGET_MS = 50
LINES, SECTIONS, FORMULA_LINES, DAYS_FORMULAS = 5000, 50, 2000, 500
WINDOW = (1600, 900)
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
PARAMETERS = [
    ("screen_length_ft", "160", ""),
    ("screen_height_ft", "6", ""),
    ("panel_ft", "1.6404", ""),
    ("rental_days", "4", ""),
    ("crew_per_panel", "0.02", ""),
    ("panels", "0", "ceil(screen_length_ft / panel_ft) * ceil(screen_height_ft / panel_ft)"),
]


def formula_for(n: int) -> str:
    """2,000 different formulas over the parameters, in the shapes estimators write."""
    shapes = (
        "ceil(screen_length_ft / 10) + {k}",
        "ceil(panels / 260) + {k}",
        "ceil(panels * crew_per_panel) + {k}",
        "max(1, round(screen_length_ft * screen_height_ft / {d}))",
        "ceil(screen_length_ft / panel_ft) * {k}",
    )
    return shapes[n % len(shapes)].format(k=n // len(shapes) % 40 + 1, d=n % 97 + 3)


def quiet(_kind: QtMsgType, _context: Any, message: str) -> None:
    if "does not support propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def build(path: Path) -> tuple[Any, Any]:
    db = open_database(path)
    estimate_id = make_estimate(db, lines=LINES, sections=SECTIONS, name="Bench parameters")
    doc = EstimateDocument(db, estimate_id)
    for name, value, formula in PARAMETERS:
        doc.add_parameter(name, value, formula=formula)
    lines = list(doc.lines())
    step = len(lines) // FORMULA_LINES
    chosen = lines[::step][:FORMULA_LINES]
    with db.write() as conn:
        for n, line in enumerate(chosen):
            values = {"quantity_formula": formula_for(n)}
            if n < DAYS_FORMULAS:
                values["days_formula"] = "rental_days"
            conn.execute(update(LINE_T).where(LINE_T.c.id == line.id).values(**values))
    return db, estimate_id


class Split:
    """Times the document's stages of a parameter change (instance attributes shadow the methods)."""

    def __init__(self, doc: EstimateDocument) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        write = doc.db.write

        @contextmanager
        def timed_write() -> Iterator[Any]:
            start = time.perf_counter()
            try:
                with write() as conn:
                    yield conn
            finally:
                self.spent["database write"] += time.perf_counter() - start

        doc.db.write = timed_write  # type: ignore[method-assign]
        self.applying = False
        doc._plan_recalculation = self._timed("evaluate", doc._plan_recalculation)  # type: ignore[method-assign]
        apply = self._timed("apply", doc._apply_recalculation)

        def applying(*args: Any) -> Any:
            self.applying = True
            try:
                return apply(*args)
            finally:
                self.applying = False

        doc._apply_recalculation = applying  # type: ignore[method-assign]
        emit = doc._emit

        def timed_emit(change: Any) -> None:
            start = time.perf_counter()
            try:
                emit(change)
            finally:
                self.spent["listeners in apply" if self.applying else "listeners after"] += (
                    time.perf_counter() - start)

        doc._emit = timed_emit  # type: ignore[method-assign]

    def _timed(self, name: str, work: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return work(*args, **kwargs)
            finally:
                self.spent[name] += time.perf_counter() - start
        return timed

    def take(self) -> dict[str, float]:
        spent, self.spent = self.spent, defaultdict(float)
        return {k: v * 1000 for k, v in spent.items()}


def raw_write(path: Path, rows: list[tuple[str, str]]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    try:
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("UPDATE lineitem SET quantity = ? WHERE id = ?", rows)
        conn.execute("COMMIT")
        return (time.perf_counter() - t0) * 1000
    finally:
        conn.close()


def main() -> int:
    args = parse_counts(__doc__, changes=(21, "timed parameter changes"))
    qInstallMessageHandler(quiet)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    with tempfile.TemporaryDirectory(prefix="tandem-bench-parameters-") as tmp:
        os.environ["TANDEM_HOME"] = tmp
        path = Path(tmp) / "bench.db"
        db, estimate_id = build(path)
        try:
            doc = EstimateDocument(db, estimate_id)
            workspace = EstimateWorkspace(doc)
            workspace.resize(*WINDOW)
            workspace.show()
            app.processEvents()
            formula_lines = sum(1 for line in doc.lines() if line.has_formula)
            length = next(p for p in doc.parameters if p.name == "screen_length_ft")
            split = Split(doc)
            totals: list[float] = []
            parts: dict[str, list[float]] = defaultdict(list)
            raw: list[float] = []
            recalculated: list[int] = []
            seen: list[int] = []
            doc.subscribe(lambda change: seen.append(len(change.row_ids)) if change.row_ids else None)
            for n in range(args.changes + 1):
                value = "80" if n % 2 == 0 else "160"
                seen.clear()
                t0 = time.perf_counter()
                message = workspace.editor.edit_parameter(length.id, "value", value)
                t1 = time.perf_counter()
                app.processEvents()
                t2 = time.perf_counter()
                spent = split.take()
                assert message is None, message
                if n == 0:
                    continue  # warm-up
                totals.append((t2 - t0) * 1000)
                recalculated.append(max(seen, default=0))
                # The recalculation proper: evaluating, repricing and totalling (no writing, no views).
                recalc = spent["evaluate"] + spent["apply"] - spent.get("listeners in apply", 0.0)
                parts["recalculation: evaluate + reprice + totals"].append(recalc)
                parts["  evaluate formulas"].append(spent["evaluate"])
                parts["database write (one transaction)"].append(spent["database write"])
                parts["both panes' models and footers notified"].append(
                    spent.get("listeners in apply", 0.0) + spent.get("listeners after", 0.0))
                parts["repaint (processEvents)"].append((t2 - t1) * 1000)
                quantities = [(str(line.quantity + 1), line.id.hex)
                              for line in doc.lines() if line.has_formula]
                raw.append(raw_write(path, quantities))
                doc.reload()  # the raw write changed the file under the document
                app.processEvents()
            workspace.close()
        finally:
            db.close()

    total, baseline = stats(totals), stats(raw)
    print(f"Estimate of {LINES:,} lines in {SECTIONS} sections, {formula_lines:,} with a formula "
          f"({DAYS_FORMULAS} also in days), {len(PARAMETERS)} parameters; workspace {WINDOW[0]}x{WINDOW[1]}")
    print_table(
        f"a. One parameter changed, both panes recalculated, saved and repainted, median of {args.changes} "
        f"(target <= {TARGET_MS} ms)",
        ["measured", "median", "min", "max"],
        [["edit_parameter + processEvents", ms(total["median_ms"]), ms(total["min_ms"]), ms(total["max_ms"])]]
        + [[f"  {name}", ms(stats(v)["median_ms"]), ms(stats(v)["min_ms"]), ms(stats(v)["max_ms"])]
           for name, v in parts.items()]
        + [[f"baseline: sqlite3 UPDATE of {formula_lines:,} quantities", ms(baseline["median_ms"]),
            ms(baseline["min_ms"]), ms(baseline["max_ms"])]],
    )
    print(f"lines recalculated per change: {sorted(set(recalculated))}")
    recalc = stats(parts["recalculation: evaluate + reprice + totals"])
    print(f"change / raw write: {ratio(total['median_ms'], baseline['median_ms']):.1f}x; the recalculation "
          f"alone {ms(recalc['median_ms'])} ms, {'within' if recalc['median_ms'] <= TARGET_MS else 'OVER'} "
          f"the target; end to end {'within' if total['median_ms'] <= TARGET_MS else 'OVER'} it")
    write_json("parameters", {
        "lines": LINES, "formula_lines": formula_lines, "target_ms": TARGET_MS,
        "change": total, "parts": {k: stats(v) for k, v in parts.items()}, "raw_write": baseline,
        "ratio": ratio(total["median_ms"], baseline["median_ms"]),
        "recalculated_per_change": sorted(set(recalculated)),
    })
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
