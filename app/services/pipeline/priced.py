"""Estimate totals for many estimates at once, priced by :class:`EstimateDocument` and kept while unchanged.

Opening the pipeline values every open project's counting estimate; loading 2,000 documents each
time would take seconds. So each estimate's totals are kept (in this process, per database) with
a *fingerprint* of everything they are priced from, and priced again only when that changed:

- the estimate's own row (version, updated_at), and its project's columns pricing reads (labour
  rule set, dates);
- per estimate, over its sections, its lines and its parameters, deleted rows included: the
  count, the sum of versions and positions, and the latest updated_at — four aggregate queries
  for all the estimates together. A row edited, added, moved or deleted changes at least one of
  them; an offline copy's merged row arrives with a higher version;
- once for everything: the same aggregates over the tables prices follow — roles, labour rule sets
  and holidays, suppliers and their quotes, quote items and breaks, the company.

A changed fingerprint prices that estimate again with the one pricing there is (EstimateDocument),
so a cached figure is always one EstimateDocument gave for the same stored rows.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection

from app.models import (
    Company,
    Estimate,
    EstimateParameter,
    LabourHoliday,
    LabourRuleSet,
    LineItem,
    Project,
    Role,
    Section,
    Supplier,
    SupplierQuote,
    SupplierQuoteBreak,
    SupplierQuoteItem,
)
from app.services.estimate.document import ConcurrentEditError, EstimateDocument
from app.services.storage.database import Database

_E = Estimate.__table__  # type: ignore[attr-defined]
_P = Project.__table__  # type: ignore[attr-defined]
_SEC = Section.__table__  # type: ignore[attr-defined]
_LINE = LineItem.__table__  # type: ignore[attr-defined]
_PAR = EstimateParameter.__table__  # type: ignore[attr-defined]
_SHARED: tuple[Table, ...] = tuple(
    m.__table__  # type: ignore[attr-defined]
    for m in (
        Role,
        LabourRuleSet,
        LabourHoliday,
        Supplier,
        SupplierQuote,
        SupplierQuoteItem,
        SupplierQuoteBreak,
        Company,
    )
)
_ALL: tuple[Table, ...] = (*_SHARED, _E, _P, _SEC, _LINE, _PAR)
_CHUNK = 500  # ids per IN (…): well under every backend's parameter limit


@dataclass(frozen=True, slots=True)
class Priced:
    """What the pipeline needs of an estimate's totals."""

    total: Decimal  # the client's total, tax included
    low: Decimal  # its budget range (both equal to total without one)
    high: Decimal
    net: Decimal  # before tax
    cost: Decimal


@dataclass(slots=True)
class _Kept:
    stamp: tuple[Any, ...] = ()  # the whole database's when ``current`` were last checked
    current: set[uuid.UUID] = field(default_factory=set)  # the estimates checked at that stamp
    entries: dict[uuid.UUID, tuple[tuple[Any, ...], Priced]] = field(default_factory=dict)


_lock = threading.Lock()
_cache: dict[str, _Kept] = {}  # by the database's display name


def aggregates(table: Table) -> list[Any]:
    return [func.count(), func.coalesce(func.sum(table.c.version), 0), func.max(table.c.updated_at)]


def _chunks(ids: list[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def stamp(conn: Connection) -> tuple[Any, ...]:
    """The same aggregates over every table pricing reads, projects and estimates included: while it
    is unchanged no estimate can have changed, and the per-estimate fingerprints need not be read."""
    return tuple(tuple(conn.execute(select(*aggregates(t))).one()) for t in _ALL)


def fingerprints(conn: Connection, estimate_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[Any, ...]]:
    """Estimate → the fingerprint of what its totals are priced from (see the module doc)."""
    ids = list(estimate_ids)
    shared = tuple(tuple(conn.execute(select(*aggregates(t))).one()) for t in _SHARED)
    out: dict[uuid.UUID, list[Any]] = {}
    for chunk in _chunks(ids):
        for row in conn.execute(
            select(
                _E.c.id,
                _E.c.version,
                _E.c.updated_at,
                _P.c.labour_rule_set_id,
                _P.c.start_date,
                _P.c.end_date,
                _P.c.show_start_date,
                _P.c.show_end_date,
            )
            .join(_P, _E.c.project_id == _P.c.id)
            .where(_E.c.id.in_(chunk))
        ):
            out[row.id] = [shared, *row[1:]]
        parts: tuple[tuple[Table, Any, Any], ...] = (
            (_SEC, _SEC.c.estimate_id, None),
            (_LINE, _SEC.c.estimate_id, _LINE.join(_SEC, _LINE.c.section_id == _SEC.c.id)),
            (_PAR, _PAR.c.estimate_id, None),
        )
        for table, owner, joined in parts:
            query = select(owner, *aggregates(table), func.coalesce(func.sum(table.c.position), 0))
            if joined is not None:
                query = query.select_from(joined)
            seen = {
                row[0]: tuple(row[1:]) for row in conn.execute(query.where(owner.in_(chunk)).group_by(owner))
            }
            for estimate_id in chunk:
                if estimate_id in out:
                    out[estimate_id].append(seen.get(estimate_id, ()))
    return {estimate_id: tuple(parts) for estimate_id, parts in out.items()}


def price_document(db: Database, estimate_id: uuid.UUID) -> Priced:
    """One estimate priced the one way there is: loaded as an EstimateDocument."""
    totals = EstimateDocument(db, estimate_id).totals
    low, high = (totals.range_low, totals.range_high) if totals.has_range else (totals.total,) * 2
    return Priced(totals.total, low, high, totals.net, totals.cost)


def priced(db: Database, estimate_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Priced]:
    """Estimate → its totals, as EstimateDocument prices them; unchanged ones from the cache.

    Nothing changed since the last call (the database's :func:`stamp`): all from the cache. Else
    each estimate's fingerprint is read and only those that changed are priced again."""
    ids = list(dict.fromkeys(estimate_ids))
    if not ids:
        return {}
    with db.read() as conn:
        now = stamp(conn)
        with _lock:
            kept = _cache.setdefault(db.display_name, _Kept())
            if kept.stamp == now and kept.current.issuperset(ids):
                return {i: kept.entries[i][1] for i in ids}
        prints = fingerprints(conn, ids)
    with _lock:
        out = {
            i: kept.entries[i][1] for i in ids if i in kept.entries and kept.entries[i][0] == prints.get(i)
        }
    for estimate_id in ids:
        if estimate_id in out or estimate_id not in prints:
            continue
        try:
            figures = price_document(db, estimate_id)
        except ConcurrentEditError:  # deleted since the fingerprints were read: it counts as none
            continue
        out[estimate_id] = figures
        with _lock:
            kept.entries[estimate_id] = (prints[estimate_id], figures)
    with _lock:  # checked at ``now`` (read before the fingerprints: a change meanwhile shows next time)
        if kept.stamp != now:
            kept.stamp, kept.current = now, set()
        kept.current.update(i for i in out)
    return out


def forget(db: Database | None = None) -> None:
    """Drop what is kept (of one database, or all): the next read prices every estimate."""
    with _lock:
        if db is None:
            _cache.clear()
        else:
            _cache.pop(db.display_name, None)
