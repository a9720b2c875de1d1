"""Start-up: process start to Tandem's main window shown on the demo database, against a bare Qt window.

Runs `python -m app --smoke --db demo.db` and a bare PySide6 QMainWindow
(bench/_bare_window.py) alternately, N times each after one unrecorded warm-up
of each, and times every run three ways:

- in-process: what the process prints, measured from the OS's start time of
  the process (/proc/<pid>/stat; clock-tick resolution, usually 10 ms);
- shown (outside): from just before spawning to the moment the "smoke ok" line
  arrives on the pipe;
- whole process (outside): from just before spawning to exit, teardown included.

Then it shows where the time goes: the top-level imports inside a smoke run
(`python -X importtime`), the data layer's import time alone and after PySide6
(whose import hook inspects every later import), and the data layer's import
time by top-level package. Timings are printed, never asserted.

    python bench/bench_startup.py [--runs N] [--import-runs N]
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import ROOT, machine, ms, parse_counts, print_table, ratio, stats, write_json

TARGET_RATIO = 1.5  # the target for app / bare window
SHOWN = re.compile(r"smoke ok: .* shown in (\d+) ms")
BARE_SCRIPT = ROOT / "bench" / "_bare_window.py"
IMPORT_TIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( +)(\S+)")


def timed_run(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Spawn ``command`` and time it in-process and from outside; raise if it does not report."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    shown_at, reported, lines = None, None, []
    for line in process.stdout:
        lines.append(line)
        match = SHOWN.search(line)
        if match and shown_at is None:
            shown_at = time.perf_counter()
            reported = float(match.group(1))
    _, stderr = process.communicate()
    ended = time.perf_counter()
    if process.returncode != 0 or shown_at is None or reported is None:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{''.join(lines)}{stderr}")
    return {
        "in_process_ms": reported,
        "shown_outside_ms": (shown_at - start) * 1000,
        "whole_process_ms": (ended - start) * 1000,
        "line": "".join(lines).strip(),
    }


def parse_importtime(stderr: str, skip: set[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Cumulative ms of each top-level import, and self ms by top-level package, minus ``skip``."""
    top: dict[str, float] = {}
    by_package: dict[str, float] = defaultdict(float)
    for match in IMPORT_TIME.finditer(stderr):
        self_us, cumulative_us, indent, name = match.groups()
        if name in skip:
            continue
        if len(indent) == 1:  # not nested in another import
            top[name] = int(cumulative_us) / 1000
        by_package[name.split(".")[0]] += int(self_us) / 1000
    return top, dict(by_package)


def importtime(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def medians(dicts: list[dict[str, float]]) -> dict[str, float]:
    keys = {k for d in dicts for k in d}
    return {k: statistics.median(d.get(k, 0.0) for d in dicts) for k in keys}


def smoke_imports(
    app_cmd: list[str], env: dict[str, str], skip: set[str], runs: int
) -> tuple[float, dict[str, float]]:
    """Reported start-up time under -X importtime, and the top-level imports inside it."""
    reported, tops = [], []
    for _ in range(runs):
        result = importtime(app_cmd[1:], env)
        match = SHOWN.search(result.stdout)
        if match is None:
            raise RuntimeError(f"smoke run under -X importtime failed:\n{result.stdout}")
        reported.append(float(match.group(1)))
        tops.append(parse_importtime(result.stderr, skip)[0])
    return statistics.median(reported), medians(tops)


def data_layer_imports(env: dict[str, str], runs: int) -> dict[str, list[float]]:
    """Wall time of importing the data layer alone and after PySide6 (alternated, no -X importtime).

    After PySide6 is imported, shiboken's import hook inspects every module imported
    later, so the same import costs more in the GUI (where it follows the splash).
    """
    timing = (
        "import time; t = time.perf_counter(); import app.services.estimate.document; "
        "print((time.perf_counter() - t) * 1000)"
    )
    samples: dict[str, list[float]] = {"alone": [], "after PySide6.QtWidgets": []}
    for _ in range(runs):
        for label, prefix in (("alone", ""), ("after PySide6.QtWidgets", "import PySide6.QtWidgets; ")):
            result = subprocess.run(
                [sys.executable, "-c", prefix + timing],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            samples[label].append(float(result.stdout))
    return samples


def main() -> int:
    args = parse_counts(
        __doc__, runs=(7, "timed runs of each"), import_runs=(3, "runs of each import profile")
    )

    with tempfile.TemporaryDirectory(prefix="tandem-bench-startup-") as tmp:
        env = dict(os.environ, TANDEM_HOME=tmp, QT_QPA_PLATFORM="offscreen")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # cached bytecode, as an installed app has
        demo = Path(tmp) / "demo.db"
        subprocess.run(
            [sys.executable, "-m", "app", "demo", "--db", str(demo)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        app_cmd = [sys.executable, "-m", "app", "--smoke", "--db", str(demo)]
        bare_cmd = [sys.executable, str(BARE_SCRIPT)]

        timed_run(app_cmd, env)  # warm-up: bytecode, page cache, the settings file
        timed_run(bare_cmd, env)
        app_runs: list[dict[str, Any]] = []
        bare_runs: list[dict[str, Any]] = []
        for _ in range(args.runs):
            app_runs.append(timed_run(app_cmd, env))
            bare_runs.append(timed_run(bare_cmd, env))

        skip = {m.group(4) for m in IMPORT_TIME.finditer(importtime(["-c", "pass"], env).stderr)}
        smoke_ms, smoke_tops = smoke_imports(app_cmd, env, skip, args.import_runs)
        package_self = medians(
            [
                parse_importtime(
                    importtime(["-c", "import app.services.estimate.document"], env).stderr, skip
                )[1]
                for _ in range(args.import_runs)
            ]
        )
        data_layer = data_layer_imports(env, args.runs)

    ways = (
        ("in-process (from /proc start)", "in_process_ms"),
        ("shown, from outside", "shown_outside_ms"),
        ("whole process, from outside", "whole_process_ms"),
    )
    figures: dict[str, Any] = {
        "runs": args.runs,
        "target_ratio": TARGET_RATIO,
        "app_line": app_runs[-1]["line"],
        "machine": machine(),
    }
    rows = []
    for label, key in ways:
        app_stats = stats([r[key] for r in app_runs])
        bare_stats = stats([r[key] for r in bare_runs])
        r = ratio(app_stats["median_ms"], bare_stats["median_ms"])
        figures[key] = {"app": app_stats, "bare": bare_stats, "ratio": r}
        rows.append(
            [
                label,
                ms(app_stats["median_ms"]),
                ms(app_stats["min_ms"]),
                ms(bare_stats["median_ms"]),
                ms(bare_stats["min_ms"]),
                f"{r:.2f}x",
            ]
        )

    print(f"Start-up to main window shown, demo database, {args.runs} alternating runs each (ms)")
    print(f"app:  {figures['app_line']}")
    print_table(
        f"target: app/bare <= {TARGET_RATIO}x (reported, not asserted)",
        ["measured", "app med", "app min", "bare med", "bare min", "app/bare"],
        rows,
    )

    imports_total = sum(smoke_tops.values())
    big = sorted(((name, t) for name, t in smoke_tops.items() if t >= 5), key=lambda kv: -kv[1])
    rows = [[f"import {name}", ms(t), f"{t / smoke_ms:.0%}"] for name, t in big]
    rest_imports = imports_total - sum(t for _, t in big)
    rows += [
        ["other imports", ms(rest_imports), f"{rest_imports / smoke_ms:.0%}"],
        [
            "the rest: interpreter, Qt, database, window, paint",
            ms(smoke_ms - imports_total),
            f"{(smoke_ms - imports_total) / smoke_ms:.0%}",
        ],
        ["shown in (reported)", ms(smoke_ms), "100%"],
    ]
    print_table(
        f"Where the app's start-up goes: python -X importtime -m app --smoke, median of "
        f"{args.import_runs} (importtime inflates)",
        ["part", "ms", "share"],
        rows,
    )

    data_stats = {label: stats(samples) for label, samples in data_layer.items()}
    alone, after = (data_stats[k]["median_ms"] for k in ("alone", "after PySide6.QtWidgets"))
    print_table(
        f"Data layer import (import app.services.estimate.document), wall, median of {args.runs}",
        ["imported", "median", "min"],
        [[label, ms(s["median_ms"]), ms(s["min_ms"])] for label, s in data_stats.items()],
    )
    print(
        f"after PySide6: {after - alone:+.0f} ms ({ratio(after, alone):.2f}x)"
        + (
            "; PySide6's import hook (shibokensupport feature_imported) inspects the source of "
            "every module imported after it"
            if after > 1.05 * alone
            else ""
        )
    )

    package_total = sum(package_self.values())
    top = sorted(package_self.items(), key=lambda kv: kv[1], reverse=True)[:8]
    print_table(
        f"Data layer import: self time by top-level package, -X importtime, median of {args.import_runs}",
        ["package", "ms", "share"],
        [[name, ms(t), f"{t / package_total:.0%}"] for name, t in top],
    )
    figures["smoke_under_importtime"] = {
        "shown_ms": smoke_ms,
        "imports_ms": round(imports_total, 1),
        "top_level_imports_ms": {name: round(t, 1) for name, t in big},
    }
    figures["data_layer_import"] = data_stats
    figures["data_layer_self_ms_by_package"] = {name: round(t, 1) for name, t in top}
    write_json("startup", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
