"""One Tandem on a share, as another computer: ``python -m tests.stress.share_worker DB ESTIMATE HOST S``.

Presents itself as computer HOST (its presence record says so), registers unless the file
opened read-only, then for SECONDS edits random lines and reloads, as the GUI would.
Prints ``ready`` once it is present, then one JSON summary line. Any failure other than
the one-line StorageError (or a conflict) escapes: a traceback and a non-zero exit.
"""

from __future__ import annotations

import json
import random
import socket
import sys
import time
import uuid
from decimal import Decimal


def main(db_path: str, estimate: str, host: str, seconds: float) -> None:
    socket.gethostname = lambda: host  # this process is another computer

    from app.services.estimate.document import ConcurrentEditError, EstimateDocument
    from app.services.storage import presence
    from app.services.storage.database import open_database
    from app.services.storage.errors import DatabaseLocked, ReadOnlyDatabase, StorageError

    open_failures: list[str] = []
    while True:  # as a user would: an open refused while the other computer writes is tried again
        try:
            db = open_database(db_path, create=False)
            break
        except StorageError as error:
            open_failures.append(str(error))
            if len(open_failures) == 50:
                raise
            time.sleep(0.1)
    if db.read_only is None:
        presence.register(db, f"user of {host}")
    print("ready", flush=True)
    counts = {
        "saved": 0,
        "refused_read_only": 0,
        "busy": 0,
        "conflicts": 0,
        "reloads": 0,
        "reload_failures": 0,
        "load_failures": 0,
        "open_failures": len(open_failures),
    }
    messages: set[str] = {m[:160] for m in open_failures}
    acknowledged: dict[str, str] = {}  # line → the last quantity this computer was told was saved
    rng = random.Random(host)
    doc = None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if doc is None:
            try:
                doc = EstimateDocument(db, uuid.UUID(estimate))
            except StorageError as error:
                counts["load_failures"] += 1
                messages.add(str(error)[:160])
                continue
        line = rng.choice(list(doc.lines()))
        quantity = Decimal(rng.randrange(1, 10_000))
        try:
            doc.set_line_fields(line.id, {"quantity": quantity})
            counts["saved"] += 1
            acknowledged[str(line.id)] = str(quantity)
        except ReadOnlyDatabase:
            counts["refused_read_only"] += 1
        except DatabaseLocked:
            counts["busy"] += 1
        except ConcurrentEditError:
            counts["conflicts"] += 1
        except StorageError as error:
            messages.add(str(error)[:160])
        try:
            doc.reload()
            counts["reloads"] += 1
        except (StorageError, ConcurrentEditError) as error:
            counts["reload_failures"] += 1
            messages.add(str(error)[:160])
    print(
        json.dumps(
            {
                "host": host,
                "read_only": db.read_only,
                "warning": db.share_warning,
                **counts,
                "messages": sorted(messages),
                "acknowledged": acknowledged,
            }
        ),
        flush=True,
    )
    db.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]))
