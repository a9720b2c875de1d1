"""Merging a laptop copy back into the share: the entry points, and the one transaction that writes it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from app.models.types import utcnow
from app.services.storage import tempfiles
from app.services.storage.database import Database
from app.services.storage.files import file_path
from app.services.storage.merge_plan import Plan
from app.services.storage.offline import (
    Conflict,
    ConflictKey,
    Decision,
    MergeReport,
    OfflineError,
    Progress,
    Rows,
    Side,
    record_tables,
)
from app.services.storage.offline_take import backup, base_path_for, opened, progress_step


def _read_rows(conn: Connection) -> Rows:
    return {
        t.name: {row.id: dict(row._mapping) for row in conn.execute(select(t))}
        for t in record_tables()
    }


def plan_merge(
    laptop: str | os.PathLike[str] | Database,
    share: Database | str | os.PathLike[str],
    decisions: Mapping[Any, Decision] | None = None,
    *,
    progress: Progress | None = None,
) -> MergeReport:
    """A dry run: what a merge would apply, keep, and which conflicts need a decision."""
    return merge_back(laptop, share, decisions, dry_run=True, progress=progress)


def apply_decisions(
    report: MergeReport, decisions: Mapping[Any, Decision], *, progress: Progress | None = None
) -> MergeReport:
    """Merge again with the user's decisions (keys: Conflict, or its ``key``)."""
    return merge_back(report.laptop, report.share_target or report.share, decisions, progress=progress)


def decide_all(conflicts: Iterable[Conflict], choice: Side) -> dict[ConflictKey, Decision]:
    """The same decision for every conflict: "laptop" (mine) or "share" (theirs)."""
    if choice not in ("laptop", "share"):
        raise ValueError(f"choice must be 'laptop' or 'share', not {choice!r}")
    return {c.key: choice for c in conflicts}


def merge_back(
    laptop: str | os.PathLike[str] | Database,
    share: Database | str | os.PathLike[str],
    decisions: Mapping[Any, Decision] | None = None,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge the laptop copy into the share; see the module's text for the rules.

    Returns the report. It is written (``report.written``) only when this is
    not a dry run and every conflict has a decision; otherwise the share is not
    touched and the report lists what would happen and what needs deciding.
    Raises :class:`OfflineError` for a missing base, a share the copy was not
    taken from, or a cancel.
    """
    laptop_path = _laptop_path(laptop)
    base_path = base_path_for(laptop_path)
    if not laptop_path.exists():
        raise OfflineError(f"No laptop copy at {laptop_path}.")
    if not base_path.is_file():
        raise OfflineError(
            f"No base snapshot beside {laptop_path} (expected {base_path.name}); "
            "it is written by Take offline and must be kept with the laptop copy."
        )
    chosen = _normalise(decisions or {})
    with tempfiles.temporary(laptop_path, "merge") as snapshot:
        progress_step(progress, "Reading the laptop copy", 0, 4)
        with opened(laptop_path) as laptop_db:
            backup(laptop_db, snapshot)
        laptop_rows = _read_file(snapshot)
        progress_step(progress, "Reading the base", 1, 4)
        base_rows = _read_file(base_path)
        with opened(share) as share_db:
            report = MergeReport(laptop=laptop_path, share=share_db.display_name, dry_run=dry_run,
                                 share_target=share if isinstance(share, Database) else str(share))
            progress_step(progress, "Comparing with the share", 2, 4)
            if dry_run:
                with share_db.read() as conn:
                    plan = Plan(base_rows, laptop_rows, _read_rows(conn), chosen)
                plan.fill(report)
                return report
            try:
                with share_db.write() as conn:
                    # Compared inside the write lock: what the share holds now is what is merged.
                    plan = Plan(base_rows, laptop_rows, _read_rows(conn), chosen)
                    if plan.unresolved or not plan.writes:
                        raise _Nothing(plan)  # roll back: not even the change counter moves
                    progress_step(progress, "Writing to the share", 3, 4)
                    write_plan(plan, conn)
            except _Nothing as nothing:
                plan = nothing.plan
            plan.fill(report)
            report.written = bool(plan.writes) and not plan.unresolved
        if not plan.unresolved:
            # The merged laptop becomes the base: merging again finds nothing new on the laptop.
            os.replace(snapshot, base_path)
        progress_step(progress, "Done", 4, 4, cancellable=False)
    return report


class _Nothing(Exception):
    """Roll the write back (nothing to write, or a conflict without a decision)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan


def _laptop_path(laptop: str | os.PathLike[str] | Database) -> Path:
    if isinstance(laptop, Database):
        if laptop.path is None:
            raise OfflineError("The laptop copy is a database file, not a server.")
        return laptop.path
    return file_path(laptop)


def _read_file(path: Path) -> Rows:
    with opened(path) as db, db.read() as conn:
        return _read_rows(conn)


def _normalise(decisions: Mapping[Any, Decision]) -> dict[ConflictKey, Decision]:
    out: dict[ConflictKey, Decision] = {}
    for key, decision in decisions.items():
        if isinstance(key, Conflict):
            key = key.key
        table, row_id, name = key
        out[(str(table), row_id if isinstance(row_id, uuid.UUID) else uuid.UUID(str(row_id)), str(name))] = (
            decision
        )
    return out


def write_plan(plan: Plan, conn: Connection) -> None:
    """Write a decided merge on the share, parents first; each updated row gets a new version."""
    now = utcnow()
    for t in plan.tables:  # parents first
        if plan.inserts.get(t.name):
            conn.execute(t.insert(), plan.inserts[t.name])
        for row_id, values in plan.updates.get(t.name, {}).items():
            version = plan.share[t.name][row_id]["version"]
            result = conn.execute(
                update(t)
                .where(t.c.id == row_id, t.c.version == version)
                .values(**values, version=version + 1, updated_at=now)
            )
            if result.rowcount != 1:
                raise OfflineError("The share changed during the merge; nothing was written. Try again.")
