"""Quote revisions: freeze an estimate as sent, number the sends, and say what changed between two.

Sending a quote writes a :class:`~app.models.estimate.QuoteRevision` whose ``snapshot`` is
plain JSON (money as exact text), so a revision reads the same whatever later happens to the
estimate, to the pricing code or to the schema. The live estimate is the draft of the next
revision. :func:`diff_snapshots` compares any two snapshots (a sent revision or the draft),
matching lines and sections by id so that a moved line reads as moved, not removed and added.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import func, select

from app.models import Estimate, QuoteRevision
from app.models.types import utcnow
from app.services.activities.sent import log_quote_sent
from app.services.company.settings import format_quote_number, stored_pattern
from app.services.estimate.document import (
    LINE_COLUMNS,
    LINK_COLUMNS,
    EstimateDocument,
    SectionRow,
    update_versioned,
)
from app.services.estimate.revision_diff import TOTAL_LABELS, diff_snapshots
from app.services.money import ZERO, round_money
from app.services.projects.lifecycle import quote_sent
from app.services.storage.database import Database
from app.services.values import InputError

REVISION_T = QuoteRevision.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]

# Bumped when the snapshot's shape changes, so an old revision can still be read knowingly.
SNAPSHOT_FORMAT = 1

_HEADER_SKIP = frozenset({"id", "project_id", "version", "project_rule_set_id"})
_PARAMETER_SKIP = frozenset({"estimate_id", "version", "position", "error"})
_SECTION_SKIP = frozenset({"estimate_id", "version", "lines", "position", "id"})
# -- snapshots ------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    """One value as JSON: exact text for Decimal, ISO text for dates and times, str for ids."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        # Canonical text, so "85" in memory and "85.00" read back compare equal.
        return format(value.normalize() if value != 0 else Decimal(0), "f")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot snapshot a {type(value).__name__}")  # float lands here: never for money


def _money(value: Decimal) -> str:
    """Money always with its cents ("95580.00"): what the client was shown."""
    return f"{round_money(value):f}"


def snapshot_of(doc: EstimateDocument) -> dict[str, Any]:
    """The estimate as it stands, as a JSON-able dict: header, sections, lines, totals.

    Line and section fields are taken generically (every editable line column, every
    section field) so a column added later is frozen too without touching this code.
    """
    h = doc.header
    header = {
        f.name: _json_value(getattr(h, f.name)) for f in fields(h) if f.name not in _HEADER_SKIP
    }
    header["estimate_id"] = str(h.id)
    sections: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    section_totals: dict[str, dict[str, str]] = {}
    for section in doc.sections:
        sections.append(_section_snapshot(section))
        group = doc.totals.groups.get(section.id)
        section_totals[str(section.id)] = {
            "cost": _money(group.cost if group else ZERO),
            "price": _money(group.price if group else ZERO),
            "optional_price": _money(group.optional_price if group else ZERO),
        }
        for line in section.lines:
            entry: dict[str, Any] = {"id": str(line.id), "section_id": str(section.id)}
            entry.update({name: _json_value(getattr(line, name)) for name in (*LINE_COLUMNS, *LINK_COLUMNS)})
            supplier = doc.lookups.suppliers.get(line.supplier_id) if line.supplier_id else None
            role = doc.lookups.roles.get(line.role_id) if line.role_id else None
            entry["supplier"] = supplier.name if supplier else ""
            entry["role"] = role.name if role else ""
            entry["cost"] = _money(line.price.cost)
            entry["price"] = _money(line.price.price)
            entry["overridden"] = line.price.overridden
            entry["counts_in_total"] = doc.counts_in_total(line)
            lines.append(entry)
    t = doc.totals
    totals = {name: _money(getattr(t, name)) for name in TOTAL_LABELS}
    # Parameters (screen_length_ft = 160) explain the quantities; taken if the document has them.
    parameters = [
        {f.name: _json_value(getattr(p, f.name)) for f in fields(p) if f.name not in _PARAMETER_SKIP}
        for p in getattr(doc, "parameters", ())
    ]
    return {
        "format": SNAPSHOT_FORMAT,
        "header": header,
        "parameters": parameters,
        "sections": sections,
        "lines": lines,
        "section_totals": section_totals,
        "totals": totals,
    }


def _section_snapshot(section: SectionRow) -> dict[str, Any]:
    out: dict[str, Any] = {"id": str(section.id)}
    for f in fields(section):
        if f.name not in _SECTION_SKIP:
            out[f.name] = _json_value(getattr(section, f.name))
    return out


# -- sending --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    """One sent revision, without its snapshot (a list of these is cheap to read)."""

    id: uuid.UUID
    number: int
    quote_number: str
    sent_at: datetime  # UTC
    sent_by: str
    note: str
    total: Decimal


def _next_quote_number(conn: Any, year: int) -> str:
    """The company's pattern (``Q{year}-{seq:04}``) with seq = 1 + estimates already numbered.

    Tombstoned estimates count too, and a number already taken (given by hand, by a merge,
    or under an earlier pattern) is skipped, so no two quotes share a number.
    """
    pattern = stored_pattern(conn)
    taken = conn.execute(select(func.count()).select_from(ESTIMATE_T).where(ESTIMATE_T.c.quote_number != "")
                         ).scalar_one()
    n = int(taken) + 1
    while conn.execute(select(ESTIMATE_T.c.id).where(
            ESTIMATE_T.c.quote_number == format_quote_number(pattern, year, n))).first() is not None:
        n += 1
    return format_quote_number(pattern, year, n)


def send_quote(db: Database, doc: EstimateDocument, sent_by: str, note: str = "") -> RevisionInfo:
    """Freeze the document as the next numbered revision, numbering the quote on its first send.

    One write transaction: the quote number, the revision number and the snapshot are
    decided together, so two people sending at once cannot share a number. Setting the
    quote number goes through the estimate's optimistic lock; an
    :class:`~app.services.estimate.document.EditConflict` (someone changed the estimate since it was
    loaded) propagates with nothing written. While any line is in error, InputError says which.
    A lead or estimating project becomes quoted in the same transaction, and the send is logged
    as a done ``quote_sent`` activity of the sender's (app/services/activities/sent.py).
    """
    why = doc.in_error_message("sent")
    if why:
        raise InputError(why)
    snapshot = snapshot_of(doc)
    sent_at = utcnow()
    estimate_id = doc.estimate_id
    bumped = False
    with db.write() as conn:
        quote_number = conn.execute(
            select(ESTIMATE_T.c.quote_number).where(ESTIMATE_T.c.id == estimate_id)
        ).scalar_one()
        if not quote_number:
            quote_number = _next_quote_number(conn, sent_at.year)
            update_versioned(conn, ESTIMATE_T, estimate_id, doc.header.version,
                             {"quote_number": quote_number})
            bumped = True
        last = conn.execute(
            select(func.max(REVISION_T.c.number)).where(REVISION_T.c.estimate_id == estimate_id)
        ).scalar_one()
        number = int(last or 0) + 1
        if "quote_number" in snapshot["header"]:
            snapshot["header"]["quote_number"] = quote_number  # as the client read it on this revision
        snapshot["revision"] = {"quote_number": quote_number, "number": number,
                                "sent_at": sent_at.isoformat(), "sent_by": sent_by, "note": note}
        row = QuoteRevision(estimate_id=estimate_id, number=number, sent_at=sent_at, sent_by=sent_by,
                            note=note, total=doc.totals.total, snapshot=json.dumps(snapshot))
        conn.execute(REVISION_T.insert().values(**{c.name: getattr(row, c.name) for c in REVISION_T.columns}))
        quote_sent(conn, doc.header.project_id)  # a lead or estimating project is quoted now
        log_quote_sent(conn, project_id=doc.header.project_id, estimate_id=estimate_id, revision_id=row.id,
                       quote_number=quote_number, number=number, sent_by=sent_by, sent_at=sent_at, note=note)
    if bumped:
        # Keep the document's lock current without a reload (which would reset every view).
        doc.header.version += 1
        if hasattr(doc.header, "quote_number"):
            doc.header.quote_number = quote_number
    return RevisionInfo(row.id, number, quote_number, sent_at, sent_by, note, row.total)


def _info(row: Any, quote_number: str) -> RevisionInfo:
    return RevisionInfo(row.id, row.number, quote_number, row.sent_at, row.sent_by, row.note, row.total)


def list_revisions(db: Database, estimate_id: uuid.UUID) -> list[RevisionInfo]:
    """Every sent revision of an estimate, oldest first (the newest last)."""
    with db.read() as conn:
        quote_number = conn.execute(
            select(ESTIMATE_T.c.quote_number).where(ESTIMATE_T.c.id == estimate_id)
        ).scalar_one_or_none() or ""
        rows = conn.execute(
            select(REVISION_T.c.id, REVISION_T.c.number, REVISION_T.c.sent_at, REVISION_T.c.sent_by,
                   REVISION_T.c.note, REVISION_T.c.total)
            .where(REVISION_T.c.estimate_id == estimate_id, REVISION_T.c.deleted_at.is_(None))
            .order_by(REVISION_T.c.number)
        ).all()
    return [_info(r, quote_number) for r in rows]


def load_revision(db: Database, revision_id: uuid.UUID) -> dict[str, Any]:
    """The snapshot of one revision, exactly as it was frozen."""
    with db.read() as conn:
        text = conn.execute(select(REVISION_T.c.snapshot).where(REVISION_T.c.id == revision_id)).scalar_one()
    snapshot: dict[str, Any] = json.loads(text)
    return snapshot


def format_sent_date(sent_at: datetime) -> str:
    """A sent time as a local calendar date: "26 Nov 2026"."""
    local = sent_at.astimezone() if sent_at.tzinfo else sent_at.replace(tzinfo=UTC).astimezone()
    return f"{local.day} {local:%b %Y}"


def current_revision_label(db: Database, estimate_id: uuid.UUID) -> str:
    """Where an estimate stands: "Q2026-0001 rev 3 (draft; rev 2 sent 26 Nov 2026)" or "Not sent yet"."""
    revisions = list_revisions(db, estimate_id)
    if not revisions:
        return "Not sent yet"
    last = revisions[-1]
    return (f"{last.quote_number} rev {last.number + 1} "
            f"(draft; rev {last.number} sent {format_sent_date(last.sent_at)})")


@dataclass(frozen=True, slots=True)
class QuoteStanding:
    """Which quote a document is now: the revision last sent when nothing changed since (not a
    draft), else the next revision as a draft; before the first send no revision at all."""

    quote_number: str  # "" before the first send (unless given by hand)
    revision: int | None
    draft: bool
    sent_at: datetime | None  # when the revision it is was sent (UTC)


def quote_standing(db: Database, doc: EstimateDocument) -> QuoteStanding:
    sent = list_revisions(db, doc.estimate_id)
    if not sent:
        return QuoteStanding(doc.header.quote_number, None, True, None)
    last = sent[-1]
    if diff_snapshots(load_revision(db, last.id), snapshot_of(doc)).is_empty:
        return QuoteStanding(last.quote_number, last.number, False, last.sent_at)
    return QuoteStanding(last.quote_number, last.number + 1, True, None)
