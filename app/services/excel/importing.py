"""Estimates in from Excel, the apply step: an imported estimate written to the database.

Reading is elsewhere and read-only: a Tandem cost sheet by :mod:`tandem_sheets` (an exact round
trip), any other spreadsheet by :mod:`mapping` (preview, guessed header row and column mapping) and
:mod:`mapped_rows` (every row a line, a section heading or a :class:`RowProblem`), both through
:mod:`reading` (a workbook opened within its size limits). :func:`import_estimate` writes the
result as a staging estimate in short batches and makes it live at the end.

Unknown reference names: a supplier, role, labour rule set or catalog item that the target
database does not have leaves the line's link empty (the line is still imported and priced
from its own numbers) and is listed as a note. A foreign sheet's unknown vendor is also kept
as text at the end of the line's internal description ("… — supplier: Acme"), so nothing the
sheet said is lost; a known one is linked.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection

from app.models import Estimate, EstimateParameter, LineItem, Section
from app.models.enums import LineKind, PriceBasis
from app.models.types import utcnow
from app.services.estimate.document import LINE_COLUMNS, LINK_COLUMNS
from app.services.estimate.rows import COPIED_ID, relinked
from app.services.excel.imported import (
    DEFAULT_SECTION,
    NAME_MAX,
    ImportCancelled,
    ImportedEstimate,
    RowProblem,
)
from app.services.excel.tandem_sheets import LINKS, SETTINGS
from app.services.storage.database import Database
from app.services.supply.line_quotes import QUOTE_ITEM
from app.services.supply.quote_items import ITEM_T as QUOTE_ITEM_T
from app.services.values import InputError, parse_text

ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]
PARAMETER_T = EstimateParameter.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
QUOTE_ITEMS = "supplier_quote_item"  # known_names' key of the live supplier quote items

IMPORT_BATCH = 2_000  # at most this many lines per short transaction
IMPORT_CHUNK = 250  # lines per INSERT statement inside a batch
# A batch ends once it has held the write lock this long, however fast the machine is, so a
# colleague's save waits a fraction of a second, never near its 5 s busy timeout.
IMPORT_HOLD_S = 0.25
# SQLite has no queue for its write lock: a waiting save retries on its own clock (at most
# every 100 ms). Without a pause longer than that between batches, the import would take the
# lock back each time before the waiter looked, and starve it. A server queues waiters itself.
IMPORT_YIELD_S = 0.12




def unknown_names(db: Database, imported: ImportedEstimate) -> list[RowProblem]:
    """Notes for links (supplier, role, rule set, catalog item) this database does not know."""
    with db.read() as conn:
        known = known_names(conn)
    notes = []
    for section in imported.sections:
        for line in section.lines:
            for link, _, _ in LINKS:
                text = line.get(link) or ""
                if text and text.casefold() not in known[link]:
                    what = link.replace("_", " ")
                    kept = " (kept in the description)" if imported.source == "mapped" else ""
                    notes.append(RowProblem(int(line.get("row_number", 0)),
                                            f"{what} “{text}” is not in this database; the line is "
                                            f"imported without one{kept}", skipped=False))
    return notes


def known_names(conn: Connection) -> dict[str, dict[str, uuid.UUID]]:
    out: dict[str, dict[str, uuid.UUID]] = {}
    for link, _, table in LINKS:
        names: dict[str, uuid.UUID] = {}
        for row in conn.execute(select(table.c.id, table.c.name).where(table.c.deleted_at.is_(None))
                                .order_by(table.c.created_at)):
            names.setdefault(str(row.name).casefold(), row.id)
        out[link] = names
    # The supplier quote items a line may follow, by id as text (a line naming one this database
    # does not have, e.g. copied from another office's file, follows none).
    out[QUOTE_ITEMS] = {str(item_id): item_id for item_id in conn.execute(
        select(QUOTE_ITEM_T.c.id).where(QUOTE_ITEM_T.c.deleted_at.is_(None))).scalars()}
    return out


STAGING_NOTES = "Tandem import in progress; left over if it was interrupted."
STAGING_STALE = timedelta(hours=1)  # an import this old was interrupted: its staging rows go


def import_estimate(db: Database, project_id: uuid.UUID, name: str, imported: ImportedEstimate,
                    progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> uuid.UUID:
    """Create the estimate with its parameters, sections and lines; others see none of it or all.

    Every row is prepared before any lock is taken. The estimate is first written as a
    tombstoned *staging* estimate (invisible: every view skips ``deleted_at``), its lines
    follow in short transactions (at most ``IMPORT_BATCH`` lines or ``IMPORT_HOLD_S`` of
    holding the lock, then a pause: others' saves wait a moment, never past their busy
    timeout), and a last short transaction checks the name and makes it live. A failure or
    ``cancelled()`` removes the staging rows; a killed process leaves them, and the next
    import removes those older than ``STAGING_STALE``. ``progress(lines written, lines)``
    after each batch. This is the only function of the module that writes.
    """
    name = check_estimate_name(db, project_id, name)  # early: a taken name writes nothing at all
    now = utcnow()
    with db.read() as conn:
        known = known_names(conn)
    estimate = Estimate(project_id=project_id, name=name, notes=STAGING_NOTES)
    for key in SETTINGS:
        setattr(estimate, key, imported.settings.get(key, Decimal(0)))
    for key, chosen in imported.choices.items():
        setattr(estimate, key, chosen)
    estimate.created_at = estimate.updated_at = estimate.deleted_at = now
    params = [EstimateParameter(estimate_id=estimate.id, position=i, **p).model_dump()
              for i, p in enumerate(imported.parameters)]
    sections, lines = _section_and_line_records(estimate.id, imported, known)
    with db.write(track=False) as conn:
        _drop_stale_staging(conn, now - STAGING_STALE)
        conn.execute(ESTIMATE_T.insert().values(**estimate.model_dump()))
        if params:
            conn.execute(PARAMETER_T.insert(), params)
        conn.execute(SECTION_T.insert(), sections)
    try:
        done = 0
        while done < len(lines):
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            done = _write_batch(db, lines, done)
            if progress is not None:
                progress(done, len(lines))
            if done < len(lines) and db.engine.dialect.name == "sqlite":
                time.sleep(IMPORT_YIELD_S)  # let a waiting save in (see IMPORT_YIELD_S)
        with db.write() as conn:
            _check_name_free(conn, project_id, name)
            last = conn.execute(select(func.max(ESTIMATE_T.c.position)).where(
                ESTIMATE_T.c.project_id == project_id, ESTIMATE_T.c.deleted_at.is_(None))).scalar()
            conn.execute(update(ESTIMATE_T).where(ESTIMATE_T.c.id == estimate.id).values(
                deleted_at=None, notes=imported.notes_text, position=(last or 0) + 1, updated_at=utcnow()))
    except BaseException:
        with contextlib.suppress(Exception), db.write(track=False) as conn:  # the first error is reported
            _drop_staging(conn, [estimate.id])
        raise
    return estimate.id


def _write_batch(db: Database, lines: list[dict[str, Any]], start: int) -> int:
    """Write lines from ``start`` in one short transaction; return where the next batch starts.

    The batch ends at ``IMPORT_BATCH`` lines or once it has held the lock ``IMPORT_HOLD_S``.
    """
    began = time.monotonic()
    end = min(start + IMPORT_BATCH, len(lines))
    with db.write(track=False) as conn:
        while start < end:
            chunk = lines[start:min(start + IMPORT_CHUNK, end)]
            conn.execute(LINE_T.insert(), chunk)
            start += len(chunk)
            if time.monotonic() - began >= IMPORT_HOLD_S:
                break
    return start


def check_estimate_name(db: Database, project_id: uuid.UUID, name: str) -> str:
    """The name, cleaned, if the project has no estimate by it; else InputError with one line."""
    name = parse_text(name, "Estimate name", max_length=NAME_MAX, required=True)
    with db.read() as conn:
        _check_name_free(conn, project_id, name)
    return name


def _check_name_free(conn: Connection, project_id: uuid.UUID, name: str) -> None:
    taken = {str(n).casefold() for n in conn.execute(
        select(ESTIMATE_T.c.name).where(ESTIMATE_T.c.project_id == project_id,
                                        ESTIMATE_T.c.deleted_at.is_(None))).scalars()}
    if name.casefold() in taken:
        raise InputError(f"This project already has an estimate called “{name}”; choose another name.")


def _drop_stale_staging(conn: Connection, before: datetime) -> None:
    """Remove what interrupted imports left: staging estimates created before ``before``."""
    stale = list(conn.execute(select(ESTIMATE_T.c.id).where(
        ESTIMATE_T.c.notes == STAGING_NOTES, ESTIMATE_T.c.deleted_at.is_not(None),
        ESTIMATE_T.c.created_at < before)).scalars())
    if stale:
        _drop_staging(conn, stale)


def _drop_staging(conn: Connection, estimate_ids: list[uuid.UUID]) -> None:
    """Delete staging estimates for good (never seen by anyone): lines, sections, parameters, estimate."""
    section_ids = select(SECTION_T.c.id).where(SECTION_T.c.estimate_id.in_(estimate_ids))
    conn.execute(delete(LINE_T).where(LINE_T.c.section_id.in_(section_ids)))
    conn.execute(delete(SECTION_T).where(SECTION_T.c.estimate_id.in_(estimate_ids)))
    conn.execute(delete(PARAMETER_T).where(PARAMETER_T.c.estimate_id.in_(estimate_ids)))
    conn.execute(delete(ESTIMATE_T).where(ESTIMATE_T.c.id.in_(estimate_ids),
                                          ESTIMATE_T.c.notes == STAGING_NOTES))


def _section_and_line_records(estimate_id: uuid.UUID, imported: ImportedEstimate,
                              known: dict[str, dict[str, uuid.UUID]]) -> tuple[list[dict[str, Any]],
                                                                               list[dict[str, Any]]]:
    """The rows to insert. Lines start from one record's defaults (a model per line costs ~1 ms)."""
    sections: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    template = LineItem(section_id=estimate_id, position=0).model_dump()
    new_ids: dict[uuid.UUID, uuid.UUID] = {}
    for s_index, s in enumerate(imported.sections):
        section = Section(estimate_id=estimate_id, position=s_index, name=s.name,
                          client_description=s.client_description, optional=s.optional,
                          range_low_pct=s.range_low_pct, range_high_pct=s.range_high_pct)
        sections.append(section.model_dump())
        for l_index, values in enumerate(s.lines):
            lines.append({**template, **line_record(values, known, imported.source),
                          "id": uuid.uuid4(), "section_id": section.id, "position": l_index})
            if values.get(COPIED_ID) is not None:  # a Tandem sheet's line: its links name it so
                new_ids[values[COPIED_ID]] = lines[-1]["id"]
    if not sections:
        sections.append(Section(estimate_id=estimate_id, name=DEFAULT_SECTION, position=0).model_dump())
    return sections, relinked(lines, new_ids)


def line_record(values: dict[str, Any], known: dict[str, dict[str, uuid.UUID]],
                 source: str) -> dict[str, Any]:
    data = {k: v for k, v in values.items() if k in LINE_COLUMNS or k in LINK_COLUMNS}
    if data.get(QUOTE_ITEM) is not None and str(data[QUOTE_ITEM]) not in known.get(QUOTE_ITEMS, {}):
        data[QUOTE_ITEM] = None
    for link, id_column, _ in LINKS:
        text = values.get(link) or ""
        data[id_column] = known[link].get(text.casefold()) if text else None
        if text and data[id_column] is None and source == "mapped":
            data["description"] = f"{data.get('description', '')} — {link.replace('_', ' ')}: {text}"[:500]
    return {k: (v.value if isinstance(v, (LineKind, PriceBasis)) else v) for k, v in data.items()}
