"""Painting the crew calendar: a month of 200 crew with 5,000 bars, offscreen (target <= 16 ms a frame).

The calendar (app.ui.crew.calendar.CrewCalendarView, month zoom) is given a board of
plain CrewInfo/AssignmentInfo objects with conflicts from detect_conflicts (no
database: this measures painting only), then its viewport is rendered into a QImage
again and again; the median is one frame. Two sizes:

a. all 200 people in view at once (the viewport is as tall as every row: 5,000 bars);
b. a 1600x900 window's worth (the rows a user sees; only those are painted).

Baseline, in the same run: the same number of plain filled rectangles painted with
QPainter into a QImage of the same size. Printed with the ratio, never asserted.

    python bench/bench_calendar_paint.py [--frames N] [--crew N] [--bars N]
"""

from __future__ import annotations

import os
import random
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from app.models.enums import AssignmentStatus, CrewKind
from app.services.crew.conflicts import detect_conflicts
from app.services.crew.records import AssignmentInfo, CrewInfo
from app.services.lookups import RoleInfo
from app.ui.crew.calendar import CrewCalendarView
from app.ui.crew.calendar_style import HEADER_HEIGHT, NAME_WIDTH, ROW_HEIGHT
from bench._common import machine, ms, parse_counts, print_table, ratio, stats, write_json

MONTH = date(2027, 3, 1)
DAYS = 31
TARGET_MS = 16.0


class PaintBoard:
    """What the calendar reads from a CrewBoard, as plain attributes."""

    def __init__(self, crew_count: int, bar_count: int, seed: int = 7) -> None:
        rng = random.Random(seed)
        names = ["Stagehand", "Rigger", "LED technician", "Audio A1", "Lighting programmer",
                 "Carpenter", "Project manager"]
        self.roles = {uuid.uuid4(): None for _ in names}
        self.roles = {rid: RoleInfo(rid, name, Decimal(50), Decimal(80))  # type: ignore[misc]
                      for rid, name in zip(self.roles, names, strict=True)}
        role_ids = list(self.roles)
        self.crew = {}
        for i in range(crew_count):
            cid = uuid.uuid4()
            roles = frozenset(rng.sample(role_ids, rng.choice((1, 1, 2))))
            away = frozenset(MONTH + timedelta(days=rng.randrange(DAYS)) for _ in range(rng.randrange(3)))
            self.crew[cid] = CrewInfo(cid, f"Crew member {i:03d}", CrewKind.FREELANCE, roles, {},
                                      Decimal(50), away, 1)
        self.projects = {uuid.uuid4(): f"Project {i:02d} @ Convention Center" for i in range(30)}
        project_ids = list(self.projects)
        people = list(self.crew)
        self.assignments = {}
        for n in range(bar_count):
            person = people[n % len(people)]
            day = MONTH + timedelta(days=rng.randrange(DAYS))
            start = datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.choice((6, 7, 8, 9, 17)))
            aid = uuid.uuid4()
            self.assignments[aid] = AssignmentInfo(
                aid, person, rng.choice(project_ids), None, next(iter(self.crew[person].role_ids)),
                start, start + timedelta(hours=rng.choice((4, 6, 8, 10, 12))),
                rng.choice((AssignmentStatus.TENTATIVE, AssignmentStatus.CONFIRMED)), 1)
        self.conflicts = detect_conflicts(self.crew, self.assignments.values(),
                                          dict.fromkeys(self.projects, Decimal(10)), self.projects)


def frames(paint: Callable[[], None], count: int) -> list[float]:
    paint()  # warm-up: fonts, glyph caches
    samples = []
    for _ in range(count):
        t0 = time.perf_counter()
        paint()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def measure(view: CrewCalendarView, width: int, height: int, count: int) -> dict[str, object]:
    view.resize(width + view.frameWidth() * 2, height + view.frameWidth() * 2)
    view.set_zoom("month")
    view.scroll_to_day(MONTH, centre=False)
    app = QApplication.instance()
    assert app is not None
    app.processEvents()
    viewport = view.viewport()
    image = QImage(viewport.size(), QImage.Format.Format_ARGB32_Premultiplied)

    def calendar() -> None:
        image.fill(Qt.GlobalColor.white)
        viewport.render(image)

    board = view.board
    assert board is not None
    rows = max(0, (viewport.height() - HEADER_HEIGHT) // ROW_HEIGHT + 1)
    shown = {r.id for r in view.rows[:rows] if r.kind == "crew"}
    bars = sum(1 for a in board.assignments.values() if a.crew_member_id in shown)
    rng = random.Random(3)
    rects = [QRect(rng.randrange(NAME_WIDTH, viewport.width()),
                   rng.randrange(HEADER_HEIGHT, viewport.height()), 40, ROW_HEIGHT - 8) for _ in range(bars)]
    colour = QColor("#2f6fdf")

    def baseline() -> None:
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        for rect in rects:
            painter.fillRect(rect, colour)
        painter.end()

    cal = stats(frames(calendar, count))
    base = stats(frames(baseline, count))
    return {"viewport": f"{viewport.width()}x{viewport.height()}", "rows_in_view": rows, "bars_in_view": bars,
            "calendar": cal, "baseline_plain_rects": base,
            "ratio": ratio(cal["median_ms"], base["median_ms"]),
            "within_target": cal["median_ms"] <= TARGET_MS}


def main() -> int:
    args = parse_counts(__doc__, frames=(30, "frames per measurement"), crew=(200, "crew members"),
                        bars=(5000, "bars in the month"))
    app = QApplication.instance() or QApplication(sys.argv)
    t0 = time.perf_counter()
    board = PaintBoard(args.crew, args.bars)
    build_ms = (time.perf_counter() - t0) * 1000
    view = CrewCalendarView()
    view.set_board(board, MONTH, DAYS)  # type: ignore[arg-type]
    view.show()
    app.processEvents()
    everyone = len(view.rows) * ROW_HEIGHT + HEADER_HEIGHT
    results = {
        "all_crew_in_view": measure(view, 1600, everyone, args.frames),
        "window_1600x900": measure(view, 1600, 900, args.frames),
    }
    view.close()
    view.deleteLater()
    rows = []
    for name, r in results.items():
        cal, base = r["calendar"], r["baseline_plain_rects"]
        rows.append([name, r["viewport"], r["bars_in_view"], ms(cal["median_ms"]),  # type: ignore[index]
                     ms(base["median_ms"]), f"{r['ratio']}x",  # type: ignore[index]
                     "yes" if r["within_target"] else "NO"])
    conflicts = sum(len(v) for v in board.conflicts.values())
    print_table(f"Crew calendar paint, month zoom: {args.crew} crew, {args.bars:,} bars, "
                f"{conflicts:,} conflicts (median of {args.frames} frames)",
                ["case", "viewport", "bars", "calendar ms", "plain rects ms", "ratio",
                 f"<= {TARGET_MS:g} ms"], rows)
    write_json("calendar", {"machine": machine(), "crew": args.crew, "bars": args.bars, "days": DAYS,
                            "target_ms": TARGET_MS, "board_build_ms": round(build_ms, 1), **results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
