"""Search everything: 50,000 clients, 200,000 projects, 2,000,000 lines; each keystroke timed.

Builds a company database (seeded): ``--scale`` 1 is 50,000 clients (one contact each),
200,000 projects (one in ten lost, one in twenty cancelled) with one estimate each (quote
numbers Q2026-000001 …, every tenth quote sent twice), and 2,000,000 lines (10 per estimate)
whose descriptions are three to five words of a 400-word vocabulary of kit and crew. Rows go in
with plain ``executemany`` (copies of a row Tandem wrote, ids and words changed), then are
indexed at once, as migration 0010 indexes an upgraded file (tests/test_search.py checks the
triggers that index a user's rows as they arrive).

Then, median of ``--runs``, each keystroke of typing ``led pan``, ``aurora st`` (clients) and
``q2026-0012`` (a quote number) one letter at a time from the second letter (the box searches
from two): the whole search (every group, 5 hits each, "N more" counted to 100 beyond) through the
FTS5 index, and in the same run the same queries with a plain ``LIKE '%word%'`` scan of the same
columns instead of MATCH. Target: <= 50 ms a keystroke.

    python bench/bench_search.py [--runs N] [--like-runs N] [--scale-pct P]   (P percent of the full size)

``TANDEM_BENCH_SEARCH_DB=PATH`` keeps the database built at PATH, and times a database already
there instead of building one (building the full size takes many minutes on a small machine).
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

from app.services.search import query, schema
from app.services.storage.database import open_database
from bench._common import machine, ms, parse_counts, print_table, ratio, write_json
from bench.bench_availability import timed
from tests.factories import make_estimate

TARGET_MS = 50
CLIENTS, PROJECTS, LINES_EACH = 50_000, 200_000, 10
TYPED = ("led pan", "aurora st", "q2026-0012")
_KIT = [
    "led",
    "panel",
    "wall",
    "screen",
    "projector",
    "lens",
    "truss",
    "motor",
    "hoist",
    "rigging",
    "cable",
    "power",
    "distro",
    "dimmer",
    "console",
    "speaker",
    "subwoofer",
    "amplifier",
    "microphone",
    "wireless",
    "handheld",
    "lavalier",
    "headset",
    "monitor",
    "wedge",
    "inear",
    "camera",
    "switcher",
    "router",
    "fibre",
    "converter",
    "laptop",
    "playback",
    "server",
    "media",
    "drape",
    "pipe",
    "base",
    "stage",
    "deck",
    "riser",
    "skirt",
    "carpet",
    "lectern",
    "podium",
    "confidence",
    "comfort",
    "moving",
    "head",
    "wash",
    "spot",
    "beam",
    "profile",
    "fresnel",
    "par",
    "batten",
    "haze",
    "fog",
    "stagehand",
    "rigger",
    "carpenter",
    "electrician",
    "technician",
    "operator",
    "engineer",
    "director",
    "producer",
    "loadin",
    "strike",
    "setup",
    "rehearsal",
    "show",
    "travel",
    "per",
    "diem",
    "hotel",
    "freight",
    "truck",
    "van",
    "forklift",
]
_SYLLABLES = ("ar", "bo", "ce", "da", "el", "fi", "go", "ha", "io", "ju", "ka", "lo", "mi", "no", "or")
_NAMES = ("Aurora", "Borealis", "Cascade", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris", "Juniper")


def vocabulary(rng: random.Random) -> list[str]:
    """The kit words and made-up words, 400 in all."""
    words = list(_KIT)
    while len(words) < 400:
        words.append("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return words


def _template(raw: sqlite3.Connection, table: str) -> tuple[list[str], tuple[Any, ...]]:
    cursor = raw.execute(f"SELECT * FROM {table} LIMIT 1")
    return [d[0] for d in cursor.description], cursor.fetchone()


def build(path: Path, scale: float, rng: random.Random) -> dict[str, int]:
    """The company, at ``scale`` of the full size; the counts written."""
    db = open_database(path)
    make_estimate(db, lines=1, sections=1, name="Template")  # rows to copy, then removed
    with db.write() as conn:  # the rows go in without the triggers; indexed at the end, as 0010 does
        schema.drop_indexes(conn, schema.INDEXES)
    db.close()
    words = vocabulary(rng)
    clients, projects = max(int(CLIENTS * scale), 10), max(int(PROJECTS * scale), 40)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA foreign_keys = OFF")
    templates = {
        t: _template(raw, t) for t in ("client", "contact", "project", "estimate", "section", "lineitem")
    }

    def rows(table: str, count: int, make: Any) -> list[tuple[Any, ...]]:
        columns, values = templates[table]
        out = []
        for n in range(count):
            row = dict(zip(columns, values, strict=True))
            row["id"] = uuid.uuid4().hex
            row.update(make(n))
            out.append(tuple(row[c] for c in columns))
        return out

    def insert(table: str, made: list[tuple[Any, ...]]) -> None:
        columns = templates[table][0]
        marks = ", ".join("?" for _ in columns)
        raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", made)

    def phrase(low: int, high: int) -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(low, high))).capitalize()

    raw.execute("DELETE FROM lineitem")
    raw.execute("DELETE FROM section")
    raw.execute("DELETE FROM estimate")
    raw.execute("DELETE FROM project")
    raw.execute("DELETE FROM contact")
    raw.execute("DELETE FROM client")
    client_rows = rows("client", clients, lambda n: {"name": f"{rng.choice(_NAMES)} {phrase(1, 2)} {n}"})
    insert("client", client_rows)
    client_ids = [r[templates["client"][0].index("id")] for r in client_rows]
    insert(
        "contact",
        rows(
            "contact",
            clients,
            lambda n: {"client_id": client_ids[n], "name": phrase(2, 2), "email": f"person{n}@example.com"},
        ),
    )
    statuses = ["quoted"] * 17 + ["lost", "lost", "cancelled"]
    project_rows = rows(
        "project",
        projects,
        lambda n: {
            "client_id": client_ids[n % clients],
            "name": f"{phrase(1, 3)} {2026 + n % 3}",
            "status": statuses[n % 20],
            "contact_id": None,
            "labour_rule_set_id": None,
        },
    )
    insert("project", project_rows)
    project_ids = [r[templates["project"][0].index("id")] for r in project_rows]
    estimate_rows = rows(
        "estimate",
        projects,
        lambda n: {"project_id": project_ids[n], "name": phrase(1, 2), "quote_number": f"Q2026-{n:06}"},
    )
    insert("estimate", estimate_rows)
    estimate_ids = [r[templates["estimate"][0].index("id")] for r in estimate_rows]
    section_rows = rows("section", projects, lambda n: {"estimate_id": estimate_ids[n]})
    insert("section", section_rows)
    section_ids = [r[templates["section"][0].index("id")] for r in section_rows]
    stamp = dict(zip(*templates["estimate"], strict=True))["created_at"]
    raw.executemany(
        "INSERT INTO quoterevision (id, created_at, updated_at, version, deleted_at, estimate_id, number, "
        "sent_at, sent_by, note, total, snapshot) VALUES (?, ?, ?, 1, NULL, ?, ?, ?, 'AM', '', '0', '{}')",
        [
            (uuid.uuid4().hex, stamp, stamp, estimate_ids[n // 2 * 10], n % 2 + 1, stamp)
            for n in range(projects // 10 * 2)
        ],
    )
    lines = projects * LINES_EACH
    for start in range(0, lines, 100_000):
        chunk = range(start, min(lines, start + 100_000))
        insert(
            "lineitem",
            rows(
                "lineitem",
                len(chunk),
                lambda n, s=start: {
                    "section_id": section_ids[(s + n) // LINES_EACH],
                    "position": (s + n) % LINES_EACH,
                    "description": phrase(3, 5),
                    "client_description": phrase(2, 3) if n % 3 == 0 else "",
                    "kit_line_id": None,
                    "subrental_of_id": None,
                    "supplier_quote_item_id": None,
                },
            ),
        )
    raw.commit()
    raw.close()
    db = open_database(path)
    started = time.perf_counter()
    with db.write() as conn:
        schema.create_indexes(conn, schema.INDEXES)
    indexed_s = time.perf_counter() - started
    db.close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA optimize")
    raw.close()
    return {
        "indexed_s": round(indexed_s),
        "clients": clients,
        "contacts": clients,
        "projects": projects,
        "estimates": projects,
        "lines": lines,
    }


def counted(path: Path) -> dict[str, int]:
    """The counts of a database built before."""
    with sqlite3.connect(path) as raw:
        count = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _COUNTED.values()}
    return {name: count[table] for name, table in _COUNTED.items()}


_COUNTED = {
    "clients": "client",
    "contacts": "contact",
    "projects": "project",
    "estimates": "estimate",
    "lines": "lineitem",
}


def like_group(conn: Any, source: query.Source, words: list[str], text: str) -> query.Group:
    """The same group as query._indexed, with a LIKE scan of the searched columns for MATCH and the
    joins leaving out tombstones (and rows of deleted parents) for the index holding only the rest."""
    columns, from_, where = source.select()
    index = source.index
    table = source.table.metadata.tables[index.text_table]
    where = [*where, *query._alive(source.table)]
    for word in words:
        where.append(sa.or_(*(table.c[c].ilike(f"%{word}%") for c in index.columns)))
    revision = query._REVISION.search(text) if source.kind == "quote" else None
    if revision:
        where.append(query.REVISION_T.c.number == int(revision.group(1)))
    found = sa.select(*columns).select_from(from_).where(*where)
    rows = conn.execute(found.limit(query.PER_GROUP)).all()
    counted = sa.select(sa.func.count()).select_from(
        found.limit(query.PER_GROUP + query.COUNT_CAP + 1).subquery()
    )
    return query._group(source, rows, conn.execute(counted).scalar_one() if rows else 0, query.PER_GROUP)


def like_search(conn: Any, text: str) -> query.Results:
    groups = []
    for source in query.SOURCES:
        words = source.words(text)
        if words:
            groups.append(like_group(conn, source, words, text))
    return query.Results(tuple(g for g in groups if g.hits))


def keystrokes() -> list[str]:
    return [typed[:n] for typed in TYPED for n in range(2, len(typed) + 1) if typed[:n].strip()]


def main() -> int:
    args = parse_counts(
        __doc__,
        runs=(5, "timed runs of each search"),
        like_runs=(2, "timed runs of each LIKE scan (seconds each at the full size)"),
        scale_pct=(100, "percent of the full size"),
    )
    scale = args.scale_pct / 100
    rng = random.Random(15)
    kept = os.environ.get("TANDEM_BENCH_SEARCH_DB")
    with tempfile.TemporaryDirectory(prefix="tandem-bench-search-") as tmp:
        os.environ["TANDEM_HOME"] = tmp
        path = Path(kept) if kept else Path(tmp) / "bench.db"
        started = time.perf_counter()
        counts = counted(path) if path.exists() else build(path, scale, rng)
        built_s = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
        db = open_database(path)
        steps = keystrokes()
        try:
            with db.read() as conn:
                found = {text: query.search_on(conn, text) for text in steps}
                like = [like_search(conn, text) for text in steps]
                del like  # run once before timing, as the FTS5 queries are
                fts = {text: timed(args.runs, lambda t=text: query.search_on(conn, t)) for text in steps}
                scan = {
                    text: timed(max(1, args.like_runs), lambda t=text: like_search(conn, t)) for text in steps
                }
        finally:
            db.close()
    print(
        f"{counts['clients']:,} clients and contacts, {counts['projects']:,} projects and estimates, "
        f"{counts['lines']:,} lines ({size_mb:,.0f} MB, built in {built_s:.0f} s, of which indexing "
        f"{counts.get('indexed_s', '?')} s); median, ms"
    )
    rows = []
    for text in steps:
        shown = ", ".join(f"{g.label.lower()} {len(g.hits)}+{g.more_text or 0}" for g in found[text].groups)
        rows.append(
            [
                repr(text),
                ms(fts[text]["median_ms"]),
                ms(fts[text]["cpu_median_ms"]),
                ms(scan[text]["median_ms"]),
                f"{ratio(scan[text]['median_ms'], fts[text]['median_ms'])}x",
                shown,
            ]
        )
    print_table(
        f"A keystroke in the search box (target <= {TARGET_MS} ms)",
        ["typed", "FTS5", "cpu", "LIKE scan", "scan / FTS5", "found (shown + more)"],
        rows,
    )
    worst = max(fts[t]["median_ms"] for t in steps)
    print(
        f"\nslowest keystroke {ms(worst)} ms (target {TARGET_MS}); "
        f"slowest scan {ms(max(scan[t]['median_ms'] for t in steps))} ms"
    )
    write_json(
        "search",
        {
            "machine": machine(),
            "counts": counts,
            "built_s": round(built_s, 1),
            "size_mb": round(size_mb, 1),
            "target_ms": TARGET_MS,
            "fts5": fts,
            "like_scan": scan,
            "slowest_fts5_ms": worst,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
