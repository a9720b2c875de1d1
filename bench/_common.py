"""What the benchmark scripts share: the repo root on sys.path, medians, a plain table, JSON out."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def stats(samples_ms: Sequence[float]) -> dict[str, Any]:
    """Median, min and max of timings in milliseconds, with the samples themselves."""
    return {
        "median_ms": round(statistics.median(samples_ms), 3),
        "min_ms": round(min(samples_ms), 3),
        "max_ms": round(max(samples_ms), 3),
        "n": len(samples_ms),
        "samples_ms": [round(s, 3) for s in samples_ms],
    }


def ratio(value: float, baseline: float) -> float:
    return round(value / baseline, 2) if baseline else float("inf")


def ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A left-aligned first column and right-aligned figures, under a title."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    print(f"\n{title}")
    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))


def write_json(name: str, data: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    print(f"\nfigures written to {path.relative_to(ROOT)}")
    return path


def machine() -> dict[str, Any]:
    """Enough about the machine and the libraries to tell two runs' figures apart."""
    import os
    import platform
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str | None] = {}
    for package in ("PySide6", "SQLAlchemy", "sqlmodel", "pydantic"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        **versions,
    }


def warn_if_busy() -> None:
    """Say so when other work shares the CPUs: the figures are then noisier than usual."""
    import os

    load = os.getloadavg()[0]
    if load > 0.5:
        print(
            f"note: load average {load:.1f} on {os.cpu_count()} CPUs before the run; "
            "figures are noisier than on an idle machine"
        )


def parse_counts(doc: str, **counts: tuple[int, str]) -> argparse.Namespace:
    """Parse ``--name N`` options (name=(default, help)), ignoring others; then warn if busy.

    Unknown options are ignored because `dev.py bench ARGS` passes the same ARGS to every script.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name, (default, text) in counts.items():
        parser.add_argument(
            f"--{name.replace('_', '-')}", type=int, default=default, help=f"{text} (default {default})"
        )
    args, _ = parser.parse_known_args()
    warn_if_busy()
    return args
