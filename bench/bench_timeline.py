"""The equipment timeline: a year of 2,000 items and 50,000 holds, read and painted.

The timeline (app.services.equipment.timeline.equipment_timeline) is built from a hold index of
plain Stock/Hold objects (no database: the index's own reading is avail's bench), then:

a. a year read from scratch (the first show);
b. the same year read again after one hold changed, lending the rows that did not (every step
   taken in the window does this while the timeline is shown);
c. one frame of the view painted offscreen, 1600x900, month zoom, on a busy March.

Baseline, in the same run: a plain sort of the same holds by item and first day. Printed with the
ratio, never asserted.

    python bench/bench_timeline.py [--items N] [--holds N] [--runs N]
"""

from __future__ import annotations

import os
import random
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.services.equipment.availability import Hold, HoldIndex, Stock
from app.services.equipment.timeline import EquipmentTimeline, equipment_timeline
from app.ui.equipment.timeline_view import EquipmentTimelineView
from bench._common import machine, ms, parse_counts, print_table, ratio, stats, write_json

START = date(2027, 1, 1)
END = START + timedelta(days=365)


def make_index(items: int, holds: int, seed: int = 7) -> HoldIndex:
    rng = random.Random(seed)
    stock = {}
    for i in range(items):
        s = Stock(
            uuid.UUID(int=i + 1),
            f"Item {i}",
            f"Category {i % 20}",
            Decimal(rng.randint(10, 400)),
            Decimal(0),
            None,
            None,
            1,
            1,
            Decimal(1),
            None,
        )
        stock[s.id] = s
    ids = list(stock)
    projects = [uuid.UUID(int=10**6 + i) for i in range(500)]
    made = []
    for _ in range(holds):
        first = START + timedelta(days=rng.randint(0, 360))
        project = rng.choice(projects)
        made.append(
            Hold(
                rng.choice(ids),
                project,
                f"Project {project.int % 1000}",
                rng.choice(["won", "quoted"]),
                project,
                first,
                first + timedelta(days=rng.randint(0, 6)),
                Decimal(rng.randint(1, 40)),
            )
        )
    return HoldIndex(stock, made)


def reused(first: EquipmentTimeline, after: HoldIndex) -> int:
    """How many rows the read after one change took from the first read (all but one)."""
    kept = {id(row) for row in first.rows}
    return sum(1 for row in equipment_timeline(after, START, END, first).rows if id(row) in kept)


def timed(run: Callable[[], object], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        t0 = time.perf_counter()
        run()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def main() -> int:
    args = parse_counts(
        __doc__,
        items=(2000, "stock items"),
        holds=(50_000, "holds over the year"),
        runs=(5, "runs per measurement"),
    )
    app = QApplication.instance() or QApplication(sys.argv)
    index = make_index(args.items, args.holds)
    first = equipment_timeline(index, START, END)
    changed = list(index.holds)
    h = changed[0]
    changed[0] = Hold(
        h.item_id, h.project_id, h.project_name, h.status, h.estimate_id, h.first, h.last, h.quantity + 1
    )
    after = HoldIndex(index.stock, changed)
    read = stats(timed(lambda: equipment_timeline(index, START, END), args.runs))
    again = stats(timed(lambda: equipment_timeline(after, START, END, first), args.runs))
    plain = stats(timed(lambda: sorted(index.holds, key=lambda x: (x.item_id, x.first)), args.runs))

    view = EquipmentTimelineView()
    view.resize(1600, 900)
    view.set_timeline(first)
    view.show()
    app.processEvents()
    view.scroll_to_day(date(2027, 3, 1), centre=False)
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)

    def frame() -> None:
        image.fill(Qt.GlobalColor.white)
        view.viewport().render(image)

    frame()  # the text cache warmed, as after the first paint
    paint = stats(timed(frame, args.runs * 4))
    view.close()
    view.deleteLater()
    base = plain["median_ms"]
    rows = [
        ["a year read", ms(read["median_ms"]), f"{ratio(read['median_ms'], base)}x"],
        ["read again, one hold changed", ms(again["median_ms"]), f"{ratio(again['median_ms'], base)}x"],
        ["plain sort of the holds", ms(base), "1.0x"],
        ["one frame painted, 1600x900", ms(paint["median_ms"]), f"{ratio(paint['median_ms'], base)}x"],
    ]
    print_table(
        f"Equipment timeline: {args.items:,} items, {args.holds:,} holds, a year (median of {args.runs})",
        ["case", "ms", "vs plain sort"],
        rows,
    )
    write_json(
        "equipment_timeline",
        {
            "machine": machine(),
            "items": args.items,
            "holds": args.holds,
            "read": read,
            "read_again_one_changed": again,
            "plain_sort": plain,
            "paint_frame_1600x900": paint,
            "rows_reused": reused(first, after),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
