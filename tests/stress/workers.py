"""The other processes of the robustness tests: ``python -m tests.stress.workers ROLE …``.

Each reports on stdout, one flushed line per event, so that every line written
before a SIGKILL reaches the test; the test answers on stdin where a role waits.

- ``bulk-writer``: one large transaction after another (notes of the estimate
  say ``tx N``, and the bulk section holds exactly ``LINES`` lines ``tx N line p``),
  until killed or until a stop file appears.
- ``editor``: a user editing the same lines as another user through an
  EstimateDocument, choosing by a fixed rule on each conflict, logging as JSON;
  ``stock-editor`` the same with stock items' owned quantities, as Edit › Equipment… saves them.
- ``lock-holder``: holds a lock on the file (exclusive, reserved or shared) until told.
- ``upgrader``: opens (so upgrades) an old file and says how long it took; with
  ``--pause-at SQL`` it stops inside the upgrade before that statement, pages spilled.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from app.services.storage.database import Database, open_database
from app.services.storage.errors import DatabaseLocked
from tests.factories import ESTIMATE_T, LINE_T, SECTION_T, _record, line_values, make_estimate

BULK_NAME = "Bulk estimate"


def say(*parts: object) -> None:
    print(*parts, flush=True)


# -- the bulk state: all of one transaction or none of it ----------------------------------------


def bulk_transaction(db: Database, estimate_id: uuid.UUID, section_id: uuid.UUID, tx: int, lines: int,
                     *, spill: bool = False) -> None:
    """One large write: mark the estimate ``tx N``, replace every line of the bulk section."""
    with db.write() as conn:
        if spill:
            # A tiny page cache spills changed pages into the database file before the
            # commit: a kill then leaves the file half-written, for the journal to undo.
            conn.exec_driver_sql("PRAGMA cache_size = 16")
        conn.execute(update(ESTIMATE_T).where(ESTIMATE_T.c.id == estimate_id).values(notes=f"tx {tx}"))
        conn.execute(delete(LINE_T).where(LINE_T.c.section_id == section_id))
        conn.execute(LINE_T.insert(), [
            _record(section_id=section_id, position=p,
                    **{**line_values(p), "description": f"tx {tx} line {p}"})
            for p in range(lines)
        ])


def prepare_bulk(db: Database, lines: int) -> tuple[uuid.UUID, uuid.UUID]:
    """The bulk estimate and its one section, at ``tx 0``."""
    estimate_id = make_estimate(db, lines=0, sections=1, name=BULK_NAME)
    with db.read() as conn:
        section_id = conn.execute(
            select(SECTION_T.c.id).where(SECTION_T.c.estimate_id == estimate_id)
        ).scalar_one()
    bulk_transaction(db, estimate_id, section_id, 0, lines)
    return estimate_id, section_id


def bulk_state(conn: sqlite3.Connection, estimate_id: uuid.UUID, section_id: uuid.UUID,
               lines: int) -> tuple[int, bool]:
    """(the transaction the file holds, whether it holds all of it and nothing else)."""
    notes = conn.execute("SELECT notes FROM estimate WHERE id = ?", (estimate_id.hex,)).fetchone()[0]
    tx = int(notes.removeprefix("tx "))
    found = [r[0] for r in conn.execute("SELECT description FROM lineitem WHERE section_id = ?",
                                        (section_id.hex,))]
    whole = len(found) == lines and set(found) == {f"tx {tx} line {p}" for p in range(lines)}
    return tx, whole


def _bulk_writer(args: argparse.Namespace) -> None:
    db = open_database(args.db, create=False)
    estimate_id, section_id = uuid.UUID(args.estimate), uuid.UUID(args.section)
    stop = Path(args.stop_file) if args.stop_file else None
    say("ready")
    tx = args.start
    while stop is None or not stop.exists():
        say("begin", tx)
        try:
            bulk_transaction(db, estimate_id, section_id, tx, args.lines, spill=args.spill)
        except DatabaseLocked:
            say("busy", tx)  # a backup or a reader held the file past the busy timeout
            continue
        say("commit", tx)
        tx += 1
    db.close()
    say("stopped")


# -- two users editing the same lines ------------------------------------------------------------


def choose(user: int, round_no: int) -> str:
    """The fixed rule a user follows on a conflict: keep mine on odd turns, take theirs on even."""
    return "mine" if (user + round_no) % 2 else "theirs"


def _edit_rounds(args: argparse.Namespace, row_ids: list[uuid.UUID], key: str,
                 save: Any, seen: Any) -> None:
    """The rounds of one user: each picks a row and saves a value unique to the user and turn.

    ``save(row_id, value)`` returns (the value it replaced, the version it made) or raises
    EditConflict; ``seen(row_id)`` refreshes the row as the GUI shows theirs: (value, version).
    """
    from app.services.storage.versioned import EditConflict

    rng = random.Random(args.seed)

    def log(event: str, **data: Any) -> None:
        say(json.dumps({"user": args.user, "event": event, **data}, default=str))

    say("ready")
    sys.stdin.readline()  # "go": both users start together
    for round_no in range(args.rounds):
        row_id = rng.choice(row_ids)
        mine = Decimal(f"{args.user}{round_no:04d}")  # unique to this user and turn
        for _attempt in range(100):
            try:
                old, version = save(row_id, mine)
            except EditConflict as conflict:
                theirs = conflict.theirs[key] if conflict.theirs else None
                choice = choose(args.user, round_no)
                value, seen_version = seen(row_id)
                log("conflict", round=round_no, line=row_id, mine=mine, theirs=theirs, choice=choice,
                    seen=value, seen_version=seen_version)
                if choice == "theirs":
                    break
                continue
            except DatabaseLocked:
                log("busy", round=round_no, line=row_id)
                continue
            log("saved", round=round_no, line=row_id, old=old, new=mine, version=version)
            break
        else:
            raise RuntimeError("a hundred conflicts in a row")
        time.sleep(rng.random() * args.pause)


def _editor(args: argparse.Namespace) -> None:
    from app.services.estimate.document import EstimateDocument

    db = open_database(args.db, create=False)
    doc = EstimateDocument(db, uuid.UUID(args.estimate))

    def save(line_id: uuid.UUID, value: Decimal) -> tuple[Any, int]:
        old = doc.set_line_fields(line_id, {"quantity": value})
        return old["quantity"], doc.line(line_id).version

    def seen(line_id: uuid.UUID) -> tuple[Any, int]:
        doc.refresh_line(line_id)  # what the GUI does: theirs is shown
        return doc.line(line_id).quantity, doc.line(line_id).version

    _edit_rounds(args, [line.id for line in doc.lines()], "quantity", save, seen)
    db.close()
    say("done")


def _stock_editor(args: argparse.Namespace) -> None:
    """A user of Edit › Equipment… typing owned quantities, as the editor saves them."""
    from app.services import master_data
    from app.services.equipment.items import EQUIPMENT_ITEMS

    db = open_database(args.db, create=False)
    rows = {row.id: row for row in master_data.load(db, EQUIPMENT_ITEMS)}

    def save(item_id: uuid.UUID, value: Decimal) -> tuple[Any, int]:
        row = rows[item_id]
        old = row.values["owned_quantity"]
        master_data.save_edit(db, EQUIPMENT_ITEMS, row, "owned_quantity", value)
        return old, row.version

    def seen(item_id: uuid.UUID) -> tuple[Any, int]:
        rows[item_id] = master_data.load_one(db, EQUIPMENT_ITEMS, item_id)  # the editor reloads the row
        return rows[item_id].values["owned_quantity"], rows[item_id].version

    _edit_rounds(args, list(rows), "owned_quantity", save, seen)
    db.close()
    say("done")


# -- a lock held by another program -------------------------------------------------------------


def _lock_holder(args: argparse.Namespace) -> None:
    conn = sqlite3.connect(args.db, isolation_level=None)
    begin = {"exclusive": "BEGIN EXCLUSIVE", "reserved": "BEGIN IMMEDIATE", "shared": "BEGIN"}[args.mode]
    conn.execute(begin)
    if args.mode == "shared":
        conn.execute("SELECT count(*) FROM lineitem").fetchall()
    else:  # a change of its own, never committed
        conn.execute("UPDATE lineitem SET quantity = '999', version = version + 1")
    say("locked")
    sys.stdin.readline()
    conn.execute("ROLLBACK")
    conn.close()
    say("released")


# -- an upgrade of an old file ------------------------------------------------------------------


def _upgrader(args: argparse.Namespace) -> None:
    if args.pause_at:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine
        from sqlalchemy.pool import Pool

        @event.listens_for(Pool, "connect")
        def _spill(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA cache_size = 16")  # changed pages reach the file early

        @event.listens_for(Engine, "before_cursor_execute")
        def _pause(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
            if statement.lstrip().upper().startswith(args.pause_at.upper()):
                say("paused", statement.strip().splitlines()[0])
                sys.stdin.readline()

    started = time.perf_counter()
    db = open_database(args.db, create=False)
    say("upgraded", f"{time.perf_counter() - started:.3f}", db.revision)
    db.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="workers")
    roles = parser.add_subparsers(dest="role", required=True)
    bulk = roles.add_parser("bulk-writer")
    bulk.add_argument("db")
    bulk.add_argument("estimate")
    bulk.add_argument("section")
    bulk.add_argument("--lines", type=int, required=True)
    bulk.add_argument("--start", type=int, default=1)
    bulk.add_argument("--spill", action="store_true")
    bulk.add_argument("--stop-file")
    editor = roles.add_parser("editor")
    editor.add_argument("db")
    editor.add_argument("estimate")
    stock_editor = roles.add_parser("stock-editor")
    stock_editor.add_argument("db")
    for user in (editor, stock_editor):
        user.add_argument("--user", type=int, required=True)
        user.add_argument("--rounds", type=int, required=True)
        user.add_argument("--seed", type=int, required=True)
        user.add_argument("--pause", type=float, default=0.002)
    holder = roles.add_parser("lock-holder")
    holder.add_argument("db")
    holder.add_argument("mode", choices=["exclusive", "reserved", "shared"])
    upgrader = roles.add_parser("upgrader")
    upgrader.add_argument("db")
    upgrader.add_argument("--pause-at", default="")
    args = parser.parse_args(argv)
    {"bulk-writer": _bulk_writer, "editor": _editor, "stock-editor": _stock_editor,
     "lock-holder": _lock_holder, "upgrader": _upgrader}[args.role](args)


if __name__ == "__main__":
    main()
