"""A user editing an estimate others edit too: ``python -m tests.stress.estimators DB ESTIMATE …``.

Through its own EstimateDocument, which shows what it last loaded (it reloads every
``--refresh`` seconds, as the GUI's live refresh does, and after each conflict), it picks
edits at random for ``--seconds``: change a quantity, add a line, move a line, delete a
line, delete a section, add a section. ``--mix`` weighs them: ``all`` does everything,
``writer`` never deletes, ``deleter`` mostly deletes sections and adds new ones.

Every acknowledged write is logged as a JSON line with the version it made (a section
delete with the lines it saw, at the versions it saw), every refusal with its kind, so
that the test can tell from the logs and the file whether any acknowledged write vanished.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.services.estimate.document import ConcurrentEditError, EstimateDocument
from app.services.storage.database import open_database
from app.services.storage.errors import DatabaseLocked

MIXES = {
    "all": {"edit": 50, "add": 20, "move": 15, "delete_line": 5, "delete_section": 4, "add_section": 2},
    "writer": {"edit": 45, "add": 30, "move": 25},
    "deleter": {"delete_section": 45, "add_section": 35, "edit": 20},
}


def say(*parts: object) -> None:
    print(*parts, flush=True)


class Estimator:
    def __init__(self, doc: EstimateDocument, user: int, rng: random.Random) -> None:
        self.doc, self.user, self.rng = doc, user, rng
        self.n = 0

    def log(self, event: str, **data: Any) -> None:
        say(json.dumps({"user": self.user, "event": event, "n": self.n, **data}, default=str))

    def unique(self) -> Decimal:
        return Decimal(f"{self.user}{self.n:05d}")  # a value no other user and no other turn writes

    def do(self, op: str) -> dict[str, Any] | None:
        """One edit; what it made, for the log (None: nothing to do it on)."""
        doc, rng = self.doc, self.rng
        lines = list(doc.lines())
        sections = doc.sections
        if op == "add_section" or not sections:
            section = doc.add_section(f"u{self.user} s{self.n}", rng.randint(0, len(sections)))
            return {"op": "add_section", "section": section.id, "version": section.version}
        if op == "delete_section":
            if len(sections) < 2:
                return None
            section = rng.choice(sections)
            seen = [(line.id, line.version) for line in section.lines]
            doc.delete_section(section.id)
            return {"op": op, "section": section.id, "version": section.version, "seen": seen}
        if op == "add":
            section = rng.choice(sections)
            line = doc.add_line(section.id, rng.randint(0, len(section.lines)),
                                {"description": f"u{self.user} n{self.n}", "quantity": self.unique()})
            return {"op": op, "line": line.id, "version": line.version, "section": section.id,
                    "quantity": line.quantity}
        if not lines:
            return None
        line = rng.choice(lines)
        if op == "edit":
            doc.set_line_fields(line.id, {"quantity": self.unique()})
        elif op == "move":
            target = rng.choice(sections)
            doc.move_line(line.id, target.id, rng.randint(0, len(target.lines)))
        elif op == "delete_line":
            doc.delete_line(line.id)
            return {"op": op, "line": line.id, "version": line.version}
        return {"op": op, "line": line.id, "version": line.version, "section": line.section_id,
                "quantity": line.quantity}


MAX_EXTRA_SECONDS = 240  # past --seconds, waiting for --until-deletes or --stop-file


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="estimators")
    parser.add_argument("db")
    parser.add_argument("estimate")
    parser.add_argument("--user", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--mix", choices=sorted(MIXES), default="all")
    parser.add_argument("--refresh", type=float, default=1.0)
    parser.add_argument("--pause", type=float, default=0.01)
    # However slow the machine: this user goes on past --seconds until it has made this many
    # acknowledged section deletes, then creates --stop-file; the others go on until it exists.
    parser.add_argument("--until-deletes", type=int, default=0)
    parser.add_argument("--stop-file", type=Path)
    args = parser.parse_args(argv)

    db = open_database(args.db, create=False)
    rng = random.Random(args.seed)
    user = Estimator(EstimateDocument(db, uuid.UUID(args.estimate)), args.user, rng)
    ops, weights = zip(*MIXES[args.mix].items(), strict=True)
    say("ready")
    sys.stdin.readline()  # "go": every user starts together
    end = time.monotonic() + args.seconds
    give_up = end + MAX_EXTRA_SECONDS
    deletes = 0

    def going() -> bool:
        now = time.monotonic()
        if now < end:
            return True
        if now >= give_up or args.stop_file is None:
            return False
        if args.until_deletes:
            if deletes < args.until_deletes:
                return True
            args.stop_file.touch()
            return False
        return not args.stop_file.exists()

    next_refresh = time.monotonic() + rng.random() * args.refresh
    while going():
        user.n += 1
        op = "refresh"
        try:
            if time.monotonic() >= next_refresh:
                user.doc.reload()  # the live refresh: what others committed
                next_refresh = time.monotonic() + args.refresh
            op = rng.choices(ops, weights)[0]
            made = user.do(op)
        except ConcurrentEditError as refused:
            user.log("conflict", op=op, kind=type(refused).__name__, message=str(refused))
            next_refresh = 0  # the GUI shows what is stored after a conflict
        except DatabaseLocked:
            user.log("busy")
        else:
            if made is not None:
                user.log("ack", **made)
                deletes += made["op"] == "delete_section"
        time.sleep(rng.random() * args.pause)
    db.close()
    say("done")


if __name__ == "__main__":
    main()
