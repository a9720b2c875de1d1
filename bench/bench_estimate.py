"""A 5,000-line estimate: load into both panes, SQL statements per load, and one edit through both panes.

Builds estimates of 50, 500 and 5,000 lines (tests.factories.make_estimate, 50
sections for the big one) in a temporary SQLite file, then measures:

a. load: EstimateDocument(db, id) to an EstimateWorkspace built, shown at
   1600x900 and its events processed; baseline: stdlib sqlite3 fetching the
   same line rows;
b. statements: SQL statements run while constructing EstimateDocument, by size;
c. edit: EstimateEditor.edit_line(quantity) then processEvents, on different
   lines; baseline: one stdlib sqlite3 UPDATE + COMMIT with the same journal and
   synchronous settings, alternated with the edits. The edit is split into the
   database write, repricing and totals, the panes' listeners, and painting.
d. the same edits with the Availability column shown: the estimate's equipment
   lines sold by 40 stock items, held by 200 other projects the same weeks
   (tests.availability_scene.stock_an_estimate); only stocked equipment lines are
   edited, so every edit works out the estimate's availability again.

Timings are printed with their ratio to the baseline, never asserted.

    python bench/bench_estimate.py [--loads N] [--edits N]
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from app.models.enums import LineKind
from app.services.equipment.availability import hold_index
from app.services.estimate.document import EstimateDocument, LineRow
from app.services.storage.database import Database, open_database
from app.ui.estimate.workspace import EstimateWorkspace
from bench._common import ROOT, machine, ms, parse_counts, print_table, ratio, stats, write_json
from tests.availability_scene import stock_an_estimate
from tests.factories import make_estimate

LOAD_TARGET_MS = 300
EDIT_TARGET_MS = 30
SIZES = ((50, 5), (500, 50), (5000, 50))  # (lines, sections)
BIG = 5000
STOCK_ITEMS, STOCK_HOLDERS = 40, 200
EDIT_PARTS = (
    "set_line_fields",
    "database write",
    "totals (summarize)",
    "listeners (models, panes)",
    "availability (worked out again)",
    "processEvents (paint)",
)
WINDOW = (1600, 900)
# The same rows EstimateDocument.reload() reads, in the same order, without SQLAlchemy.
RAW_LINES_SQL = """
    SELECT l.* FROM lineitem AS l JOIN section AS s ON l.section_id = s.id
    WHERE s.estimate_id = ? AND s.deleted_at IS NULL AND l.deleted_at IS NULL
    ORDER BY l.position, l.created_at
"""
SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
RAW_UPDATE_SQL = """
    UPDATE lineitem SET quantity = ?, version = version + 1, updated_at = ?
    WHERE id = ? AND version = ?
"""


def quiet_offscreen_warning(_kind: QtMsgType, _context: Any, message: str) -> None:
    """Drop the offscreen platform's warning on every show; pass on any other Qt message."""
    if "does not support propagateSizeHints" not in message:
        print(message, file=sys.stderr)


class PaintCounter(QObject):
    """Counts paint events on the widgets it watches, to show that 'shown' means painted."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def close_workspace(workspace: EstimateWorkspace) -> None:
    workspace.detach()
    workspace.close()
    workspace.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def measure_loads(app: QApplication, db: Database, estimate_id: uuid.UUID, runs: int) -> dict[str, Any]:
    """Median load into both panes, with its stages; one unrecorded warm-up load first."""
    stages: dict[str, list[float]] = defaultdict(list)
    painted = []
    for run in range(runs + 1):
        counter = PaintCounter()
        t0 = time.perf_counter()
        doc = EstimateDocument(db, estimate_id)
        t1 = time.perf_counter()
        workspace = EstimateWorkspace(doc)
        workspace.resize(*WINDOW)
        t2 = time.perf_counter()
        workspace.client_view.viewport().installEventFilter(counter)
        workspace.production_view.viewport().installEventFilter(counter)
        workspace.show()
        app.processEvents()
        t3 = time.perf_counter()
        if run:  # run 0 warms caches (fonts, styles, SQLite pages)
            stages["document"].append((t1 - t0) * 1000)
            stages["workspace built"].append((t2 - t1) * 1000)
            stages["shown + events"].append((t3 - t2) * 1000)
            stages["total"].append((t3 - t0) * 1000)
            painted.append(counter.count)
        close_workspace(workspace)
    return {
        "stages": {k: stats(v) for k, v in stages.items()},
        "paint_events": painted,
        "line_count": doc.line_count,
    }


def measure_raw_fetch(path: Path, estimate_hex: str, runs: int) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(RAW_LINES_SQL, (estimate_hex,)).fetchall()  # warm-up
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            rows = conn.execute(RAW_LINES_SQL, (estimate_hex,)).fetchall()
            samples.append((time.perf_counter() - t0) * 1000)
    finally:
        conn.close()
    return {**stats(samples), "rows": len(rows)}


def count_load_statements(db: Database, estimate_ids: dict[int, uuid.UUID]) -> dict[int, int]:
    counts = {}
    for lines, estimate_id in estimate_ids.items():
        seen: list[str] = []

        def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any, sink: list[str] = seen) -> None:
            sink.append(statement)

        event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            EstimateDocument(db, estimate_id)
        finally:
            event.remove(db.engine, "before_cursor_execute", on_execute)
        counts[lines] = len(seen)
    return counts


class EditTimer:
    """Wraps one document's database writes, totals and listeners to split an edit's time."""

    def __init__(self, doc: EstimateDocument) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        db_write = doc.db.write

        @contextmanager
        def timed_write() -> Iterator[Any]:
            start = time.perf_counter()
            try:
                with db_write() as conn:
                    yield conn
            finally:
                self.spent["database write"] += time.perf_counter() - start

        # Instance attributes shadow the methods, for this benchmark's document only.
        doc.db.write = timed_write  # type: ignore[method-assign]
        doc.set_line_fields = self._timed("set_line_fields", doc.set_line_fields)  # type: ignore[method-assign]
        doc._retotal = self._timed("totals (summarize)", doc._retotal)  # type: ignore[method-assign]
        doc._emit = self._timed("listeners (models, panes)", doc._emit)  # type: ignore[method-assign]

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


def journal_settings(execute: Callable[[str], Any]) -> str:
    journal = execute("PRAGMA journal_mode").fetchone()[0]
    synchronous = SYNCHRONOUS[execute("PRAGMA synchronous").fetchone()[0]]
    return f"journal_mode={journal}, synchronous={synchronous}"


def raw_update(conn: sqlite3.Connection, line_id_hex: str, quantity: str, version: int) -> None:
    """What an edit writes, as the app writes it: one guarded UPDATE in a BEGIN IMMEDIATE transaction."""
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        RAW_UPDATE_SQL,
        (quantity, datetime.now(UTC).replace(tzinfo=None).isoformat(" "), line_id_hex, version),
    )
    conn.execute("COMMIT")


def measure_edits(app: QApplication, db: Database, estimate_id: uuid.UUID, edits: int,
                  pick: Callable[[LineRow], bool] | None = None) -> dict[str, Any]:
    """Edits through the shown workspace, alternated with raw sqlite3 updates of other lines
    (of the lines ``pick`` keeps, when given)."""
    doc = EstimateDocument(db, estimate_id)
    workspace = EstimateWorkspace(doc)
    workspace.resize(*WINDOW)
    workspace.show()
    app.processEvents()
    lines = [line for line in doc.lines() if pick is None or pick(line)]
    step = len(lines) // (2 * edits + 12)
    picked = lines[::step]
    edited, raw_lines, profiled = picked[: edits + 1], picked[edits + 1 : 2 * edits + 1], picked[-10:]

    assert db.path is not None
    raw = sqlite3.connect(db.path, isolation_level=None)
    raw.execute("PRAGMA busy_timeout = 5000")
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.execute("PRAGMA synchronous = FULL")
    with db.read() as conn:  # the app's own connection, to show that both write alike
        app_settings = journal_settings(conn.exec_driver_sql)
    raw_settings = journal_settings(raw.execute)

    timer = EditTimer(doc)
    watch = workspace.production_pane.model.equipment
    watch._fresh = timer._timed("availability (worked out again)", watch._fresh)  # type: ignore[method-assign]
    totals, parts, raw_samples = [], defaultdict(list), []
    failures = []
    for n, line in enumerate(edited):
        new_quantity = str(line.quantity + 1)
        t0 = time.perf_counter()
        message = workspace.editor.edit_line(line.id, "quantity", new_quantity)
        t1 = time.perf_counter()
        app.processEvents()
        t2 = time.perf_counter()
        spent = timer.take()
        if message is not None:
            failures.append(message)
        if n == 0:
            continue  # warm-up edit
        totals.append((t2 - t0) * 1000)
        parts["processEvents (paint)"].append((t2 - t1) * 1000)
        for name, value in spent.items():
            parts[name].append(value)
        other = raw_lines[n - 1]
        t0 = time.perf_counter()
        raw_update(raw, other.id.hex, str(other.quantity + 1), other.version)
        raw_samples.append((time.perf_counter() - t0) * 1000)
    raw.close()

    profile = cProfile.Profile()
    profile.enable()
    for line in profiled:
        workspace.editor.edit_line(line.id, "quantity", str(line.quantity + 2))
        app.processEvents()
    profile.disable()
    close_workspace(workspace)
    return {
        "total": stats(totals),
        "parts": {k: stats(v) for k, v in parts.items()},
        "raw_update": stats(raw_samples),
        "settings": {"app": app_settings, "raw": raw_settings},
        "failures": failures,
        "profile": profile,
        "profiled_edits": len(profiled),
    }


def profile_summary(profile: cProfile.Profile, edits: int, limit: int = 12) -> list[list[str]]:
    """Tandem's functions with the most cumulative time, per edit, from one profiled batch."""
    app_dir = ROOT / "app"
    rows = []
    entries = pstats.Stats(profile, stream=io.StringIO()).stats  # type: ignore[attr-defined]
    for (filename, lineno, name), (_cc, calls, tottime, cumtime, _callers) in sorted(
        entries.items(), key=lambda kv: kv[1][3], reverse=True
    ):
        where = Path(filename).resolve()
        if not where.is_relative_to(app_dir):
            continue
        label = f"{where.relative_to(ROOT)}:{lineno} {name}"
        rows.append([label, f"{calls / edits:g}", ms(tottime * 1000 / edits), ms(cumtime * 1000 / edits)])
        if len(rows) == limit:
            break
    return rows


def _stocked(line: LineRow) -> bool:
    return line.kind is LineKind.EQUIPMENT and line.catalog_item_id is not None


def edit_rows(edits: dict[str, Any]) -> list[list[str]]:
    """The table of one series of edits: the whole, its parts with their share, the raw baseline."""
    total = edits["total"]["median_ms"]
    parts = edits["parts"]
    return [
        ["edit_line + processEvents", ms(total), "100%"],
        *([f"  {name}", ms(parts[name]["median_ms"]), f"{parts[name]['median_ms'] / total:.0%}"]
          for name in EDIT_PARTS if name in parts),
        ["baseline: sqlite3 UPDATE + COMMIT", ms(edits["raw_update"]["median_ms"]), ""],
    ]


def main() -> int:
    args = parse_counts(__doc__, loads=(7, "timed loads"), edits=(30, "timed edits"))
    qInstallMessageHandler(quiet_offscreen_warning)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)

    with tempfile.TemporaryDirectory(prefix="tandem-bench-estimate-") as tmp:
        os.environ["TANDEM_HOME"] = tmp  # nothing here may touch the user's data folder
        path = Path(tmp) / "bench.db"
        db = open_database(path)
        started = time.perf_counter()
        ids = {
            lines: make_estimate(db, lines=lines, sections=sections, name=f"Bench {lines}")
            for lines, sections in SIZES
        }
        built_s = time.perf_counter() - started
        try:
            loads = measure_loads(app, db, ids[BIG], args.loads)
            raw_fetch = measure_raw_fetch(path, ids[BIG].hex, args.loads)
            statements = count_load_statements(db, ids)
            edits = measure_edits(app, db, ids[BIG], args.edits)
            stock_an_estimate(db, ids[BIG], STOCK_ITEMS, STOCK_HOLDERS)
            stocked = measure_edits(app, db, ids[BIG], args.edits, pick=_stocked)
            index = hold_index(db)
            stocked.update(stock_items=len(index.stock), holds=len(index.holds))
        finally:
            db.close()

    load = loads["stages"]["total"]
    print(
        f"Estimate of {loads['line_count']:,} lines in 50 sections, workspace "
        f"{WINDOW[0]}x{WINDOW[1]} (built in {built_s:.1f} s); times in ms"
    )
    print_table(
        f"a. Load into both panes, median of {args.loads} after a warm-up (target <= {LOAD_TARGET_MS} ms)",
        ["stage", "median", "min", "max"],
        [[name, ms(s["median_ms"]), ms(s["min_ms"]), ms(s["max_ms"])] for name, s in loads["stages"].items()]
        + [
            [
                f"baseline: sqlite3 fetch of {raw_fetch['rows']:,} rows",
                ms(raw_fetch["median_ms"]),
                ms(raw_fetch["min_ms"]),
                ms(raw_fetch["max_ms"]),
            ]
        ],
    )
    load_ratio = ratio(load["median_ms"], raw_fetch["median_ms"])
    print(
        f"load / raw fetch: {load_ratio:.1f}x; paint events per load on the two views: "
        f"{sorted(set(loads['paint_events']))}"
    )

    grows = len(set(statements.values())) != 1
    print_table(
        "b. SQL statements to construct EstimateDocument",
        ["lines", "statements"],
        [[f"{n:,}", c] for n, c in statements.items()],
    )
    print("GROWS" if grows else "constant")

    total, raw_update_stats = edits["total"], edits["raw_update"]
    edit_ratio = ratio(total["median_ms"], raw_update_stats["median_ms"])
    settings = edits["settings"]
    print_table(
        f"c. One quantity edit to both panes updated, median of {args.edits} (target <= {EDIT_TARGET_MS} ms)",
        ["measured", "median", "share"],
        edit_rows(edits),
    )
    print(
        f"edit / raw update: {edit_ratio:.1f}x; min edit {ms(total['min_ms'])} ms, "
        f"min raw update {ms(raw_update_stats['min_ms'])} ms"
        + (f"; REFUSED EDITS: {edits['failures']}" if edits["failures"] else "")
    )
    print(f"SQLite settings: app {settings['app']}; baseline {settings['raw']}")
    print(
        "  (set_line_fields contains the database write, the totals and the listeners; "
        "the rest of an edit is parsing and the undo stack)"
    )
    stocked_total = stocked["total"]
    stocked_ratio = ratio(stocked_total["median_ms"], total["median_ms"])
    print_table(
        f"d. The same, editing stocked equipment lines with the Availability column shown: "
        f"{stocked['stock_items']} items, {stocked['holds']:,} holds by {STOCK_HOLDERS} other projects, "
        f"median of {args.edits} (target <= {EDIT_TARGET_MS} ms)",
        ["measured", "median", "share"],
        edit_rows(stocked),
    )
    print(
        f"with availability / without (c): {stocked_ratio:.2f}x; min edit {ms(stocked_total['min_ms'])} ms"
        + (f"; REFUSED EDITS: {stocked['failures']}" if stocked["failures"] else "")
    )
    print("  (the availability is worked out inside the listeners or the paint, whichever asks first)")
    profile_rows = profile_summary(edits["profile"], edits["profiled_edits"])
    print_table(
        f"Profile of {edits['profiled_edits']} more edits, per edit (cProfile inflates)",
        ["function (Tandem code)", "calls", "own ms", "cum ms"],
        profile_rows,
    )

    write_json(
        "estimate",
        {
            "lines": loads["line_count"],
            "sections": 50,
            "window": list(WINDOW),
            "machine": machine(),
            "load": {**loads, "raw_fetch": raw_fetch, "ratio": load_ratio, "target_ms": LOAD_TARGET_MS},
            "load_statements": {"counts": statements, "constant": not grows},
            "edit": {
                "total": total,
                "parts": edits["parts"],
                "raw_update": raw_update_stats,
                "settings": settings,
                "ratio": edit_ratio,
                "target_ms": EDIT_TARGET_MS,
                "profile_per_edit": profile_rows,
            },
            "edit_with_availability": {
                "total": stocked_total,
                "parts": stocked["parts"],
                "stock_items": stocked["stock_items"],
                "holds": stocked["holds"],
                "holding_projects": STOCK_HOLDERS,
                "ratio_to_plain_edit": stocked_ratio,
                "target_ms": EDIT_TARGET_MS,
            },
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
