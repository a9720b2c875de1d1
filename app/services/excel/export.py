"""Excel export: the one entry point for the CLI and the GUI, and finding the estimate to export.

The workbooks themselves: :mod:`.quote` (the client quote), :mod:`.cost_sheet` (the internal
cost sheet); :mod:`.workbook` writes them safely.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select

from app.services.estimate.document import EstimateDocument
from app.services.excel.cost_sheet import export_cost_sheet
from app.services.excel.quote import export_quote
from app.services.excel.workbook import Cancelled, ExportError, ExportResult, Progress
from app.services.storage.database import Database


def export_estimate(doc: EstimateDocument, path: str | Path, *, internal: bool = False,
                    db: Database | None = None, progress: Progress | None = None,
                    cancelled: Cancelled | None = None) -> ExportResult:
    """One entry point for the CLI and the GUI: the quote, or with ``internal`` the cost sheet.

    Refused while any line is in error (as Send quote is): its figures would be wrong.
    """
    why = doc.in_error_message("exported")
    if why:
        raise ExportError(why)
    if internal:
        return export_cost_sheet(doc, path, db=db, progress=progress, cancelled=cancelled)
    return export_quote(doc, path, db=db, progress=progress, cancelled=cancelled)


def find_estimates(db: Database, name_or_id: str) -> list[tuple[uuid.UUID, str]]:
    """Estimates matching an id or a name (exactly, else ignoring case): (id, "Client › Project › name")."""
    from app.models import Client, Estimate, Project

    e, p, cl = (Estimate.__table__, Project.__table__,  # type: ignore[attr-defined]
                Client.__table__)  # type: ignore[attr-defined]
    with db.read() as conn:
        rows = conn.execute(
            select(e.c.id, e.c.name, p.c.name.label("project"), cl.c.name.label("client"))
            .join(p, e.c.project_id == p.c.id).join(cl, p.c.client_id == cl.c.id)
            .where(e.c.deleted_at.is_(None)).order_by(cl.c.name, p.c.name, e.c.name)
        ).all()
    wanted = name_or_id.strip()
    try:
        as_id = uuid.UUID(wanted)
    except ValueError:
        as_id = None
    by_id = [r for r in rows if as_id is not None and r.id == as_id]
    exact = by_id or [r for r in rows if r.name == wanted]
    matches = exact or [r for r in rows if r.name.casefold() == wanted.casefold()]
    return [(r.id, f"{r.client} › {r.project} › {r.name}") for r in matches] if matches else []


def all_estimates(db: Database) -> list[str]:
    """Every estimate's name, for an error that lists the choices."""
    from app.models import Estimate

    e = Estimate.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return [r.name for r in conn.execute(select(e.c.name).where(e.c.deleted_at.is_(None))
                                             .order_by(e.c.name))]
