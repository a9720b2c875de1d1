"""Answer a search box: every kind of record whose words start with the words typed.

Each word typed is a prefix of a word of the record (``led pan`` finds "LED panel"). On SQLite
the FTS5 tables of :mod:`.schema` hold only the rows that can be found, so a group is asked of
its index alone: the shortest texts among the latest :data:`RANKED` matches, and how many more up to
:data:`COUNT_CAP` ("100+ more"); only the few rows shown are read with the rows around them. On
PostgreSQL case-insensitive word-start regular expressions its trigram indexes serve, shortest
text first, with the joins that leave out tombstones and the rows of deleted parents.

Results come grouped by kind (:data:`SOURCES`, in the order shown), at most ``per_group`` each.
A later kind (issue 15's activities) is one more :class:`Source` and one more index.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from app.models import Client, Contact, Estimate, LineItem, Project, QuoteRevision, Section
from app.models.enums import ProjectStatus
from app.services.search import schema
from app.services.search.schema import INDEXES
from app.services.storage.database import Database

COUNT_CAP = 100  # "N more" counts this far beyond those shown, then says "100+ more"
# On SQLite the shortest of the latest this many matches are shown: ordering every match of a
# short prefix costs seconds, and bm25 counts every row of each word typed (~10 ms for "q2026").
RANKED = 200
PER_GROUP = 5
_WORD = re.compile(r"\w+")
_REVISION = re.compile(r"\brev(?:ision)?\s*(\d+)\b", re.IGNORECASE)
_FLAGGED = {ProjectStatus.LOST.value, ProjectStatus.CANCELLED.value}

CLIENT_T = Client.__table__  # type: ignore[attr-defined]
CONTACT_T = Contact.__table__  # type: ignore[attr-defined]
PROJECT_T = Project.__table__  # type: ignore[attr-defined]
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
REVISION_T = QuoteRevision.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Hit:
    """One record found: what the list shows, and what opening it needs."""

    kind: str
    id: uuid.UUID
    title: str
    detail: str
    client_id: uuid.UUID | None = None
    project_id: uuid.UUID | None = None
    estimate_id: uuid.UUID | None = None
    flag: str = ""  # "Lost" / "Cancelled": shown beside the title


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    hits: tuple[Hit, ...]
    more: int  # found beyond those shown
    more_capped: bool = False  # there may be more than ``more`` beyond

    @property
    def more_text(self) -> str:
        if not self.more:
            return ""
        return f"{self.more:,}{'+' if self.more_capped else ''} more"


@dataclass(frozen=True)
class Results:
    groups: tuple[Group, ...] = ()
    note: str = ""  # why search is slower than it should be (a server without pg_trgm)

    def hits(self) -> list[Hit]:
        return [hit for group in self.groups for hit in group.hits]


@dataclass(frozen=True)
class Source:
    """One kind of record: its table, searched columns, the rows around it and how a row reads."""

    kind: str
    label: str
    index: schema.Index
    table: sa.Table  # the index's rows
    # The selected columns, the FROM (``table`` joined to the rows around it) and the
    # conditions (beside the table's own tombstone) of a row that can be found.
    select: Callable[[], tuple[list[Any], Any, list[Any]]]
    hit: Callable[[Row[Any]], Hit]
    words: Callable[[str], list[str]] = field(default=lambda text: words_of(text))


def words_of(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _quote_words(text: str) -> list[str]:
    """A quote number's words, without "rev N" (the revision, matched on its own)."""
    return words_of(_REVISION.sub(" ", text))


def _alive(*tables: sa.Table) -> list[Any]:
    return [t.c.deleted_at.is_(None) for t in tables]


def _clients() -> tuple[list[Any], Any, list[Any]]:
    return [CLIENT_T.c.id, CLIENT_T.c.name, CLIENT_T.c.industry], CLIENT_T, []


def _contacts() -> tuple[list[Any], Any, list[Any]]:
    c, k = CONTACT_T, CLIENT_T
    return (
        [c.c.id, c.c.name, c.c.email, k.c.id.label("client_id"), k.c.name.label("client")],
        c.join(k, k.c.id == c.c.client_id),
        _alive(k),
    )


def _projects() -> tuple[list[Any], Any, list[Any]]:
    p, k = PROJECT_T, CLIENT_T
    return (
        [p.c.id, p.c.name, p.c.status, p.c.venue, k.c.id.label("client_id"), k.c.name.label("client")],
        p.join(k, k.c.id == p.c.client_id),
        _alive(k),
    )


def _estimates() -> tuple[list[Any], Any, list[Any]]:
    e, p, k = ESTIMATE_T, PROJECT_T, CLIENT_T
    return (
        [
            e.c.id,
            e.c.name,
            e.c.quote_number,
            p.c.id.label("project_id"),
            p.c.name.label("project"),
            p.c.status,
            k.c.id.label("client_id"),
        ],
        e.join(p, p.c.id == e.c.project_id).join(k, k.c.id == p.c.client_id),
        _alive(p, k),
    )


def _quotes() -> tuple[list[Any], Any, list[Any]]:
    e, p, r, k = ESTIMATE_T, PROJECT_T, REVISION_T, CLIENT_T
    return (
        [
            r.c.id,
            r.c.number,
            e.c.id.label("estimate_id"),
            e.c.name,
            e.c.quote_number,
            p.c.id.label("project_id"),
            p.c.name.label("project"),
            p.c.status,
            k.c.id.label("client_id"),
        ],
        r.join(e, e.c.id == r.c.estimate_id)
        .join(p, p.c.id == e.c.project_id)
        .join(k, k.c.id == p.c.client_id),
        _alive(e, p, k),
    )


def _lines() -> tuple[list[Any], Any, list[Any]]:
    line, s, e, p, k = LINE_T, SECTION_T, ESTIMATE_T, PROJECT_T, CLIENT_T
    return (
        [
            line.c.id,
            line.c.description,
            line.c.client_description,
            e.c.id.label("estimate_id"),
            e.c.name.label("estimate"),
            p.c.id.label("project_id"),
            p.c.name.label("project"),
            p.c.status,
            p.c.client_id,
        ],
        line.join(s, s.c.id == line.c.section_id)
        .join(e, e.c.id == s.c.estimate_id)
        .join(p, p.c.id == e.c.project_id)
        .join(k, k.c.id == p.c.client_id),
        _alive(s, e, p, k),
    )


def _flag(status: str) -> str:
    return ProjectStatus(status).label if status in _FLAGGED else ""


def _joined(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


SOURCES: tuple[Source, ...] = (
    Source(
        "client",
        "Clients",
        INDEXES[0],
        CLIENT_T,
        _clients,
        lambda r: Hit("client", r.id, r.name, r.industry, client_id=r.id),
    ),
    Source(
        "contact",
        "Contacts",
        INDEXES[1],
        CONTACT_T,
        _contacts,
        lambda r: Hit("contact", r.id, r.name, _joined(r.client, r.email), client_id=r.client_id),
    ),
    Source(
        "project",
        "Projects",
        INDEXES[2],
        PROJECT_T,
        _projects,
        lambda r: Hit(
            "project",
            r.id,
            r.name,
            _joined(r.client, r.venue),
            client_id=r.client_id,
            project_id=r.id,
            flag=_flag(r.status),
        ),
    ),
    Source(
        "estimate",
        "Estimates",
        INDEXES[3],
        ESTIMATE_T,
        _estimates,
        lambda r: Hit(
            "estimate",
            r.id,
            r.name,
            _joined(r.project, r.quote_number),
            client_id=r.client_id,
            project_id=r.project_id,
            estimate_id=r.id,
            flag=_flag(r.status),
        ),
    ),
    Source(
        "quote",
        "Quotes sent",
        INDEXES[4],
        REVISION_T,
        _quotes,
        lambda r: Hit(
            "quote",
            r.id,
            f"{r.quote_number} rev {r.number}",
            _joined(r.name, r.project),
            client_id=r.client_id,
            project_id=r.project_id,
            estimate_id=r.estimate_id,
            flag=_flag(r.status),
        ),
        words=_quote_words,
    ),
    Source(
        "line",
        "Lines",
        INDEXES[5],
        LINE_T,
        _lines,
        lambda r: Hit(
            "line",
            r.id,
            r.description or r.client_description,
            _joined(r.estimate, r.project),
            client_id=r.client_id,
            project_id=r.project_id,
            estimate_id=r.estimate_id,
            flag=_flag(r.status),
        ),
    ),
)


def search(db: Database, text: str, per_group: int = PER_GROUP) -> Results:
    """The records matching ``text``, grouped by kind (empty groups left out)."""
    with db.read() as conn:
        return search_on(conn, text, per_group)


def search_on(conn: Connection, text: str, per_group: int = PER_GROUP) -> Results:
    groups = []
    slow = []
    sqlite = conn.dialect.name == "sqlite"
    for source in SOURCES:
        words = source.words(text)
        if not words:
            continue
        if not sqlite and not schema.indexed(conn, source.index):
            slow.append(source.label.lower())
        revision = _REVISION.search(text) if source.kind == "quote" else None
        number = int(revision.group(1)) if revision else None
        group = (_indexed if sqlite else _joined_group)(conn, source, words, number, per_group)
        if group.hits:
            groups.append(group)
    note = (
        f"The server has no trigram index (pg_trgm) for {', '.join(slow)}: "
        "search reads every row, slower on a large database."
        if slow
        else ""
    )
    return Results(tuple(groups), note)


def _indexed(conn: Connection, source: Source, words: Sequence[str], number: int | None, shown: int) -> Group:
    """SQLite: the group from its FTS5 table, then the rows shown with the rows around them."""
    fts = source.index.fts
    match = " ".join(f'"{w}"*' for w in words)
    of_revision = " AND number = :number" if number is not None else ""  # kept beside a quote's text
    matching = f"FROM {fts} WHERE {fts} MATCH :match{of_revision}"
    params = {"match": match, "number": number}
    then = "number DESC, " if source.kind == "quote" else ""  # a quote's later revisions first
    size = "length(" + " || ' ' || ".join(f"coalesce({c}, '')" for c in source.index.columns) + ")"
    kept = "".join(f", {c}" for c in source.index.kept)
    latest = f"SELECT rowid, {size} AS size{kept} {matching} ORDER BY rowid DESC LIMIT {RANKED}"
    best = conn.execute(
        sa.text(f"SELECT rowid FROM ({latest}) ORDER BY size, {then}rowid DESC LIMIT {shown}"), params
    ).scalars()
    order = {rowid: n for n, rowid in enumerate(best)}
    if not order:
        return Group(source.kind, source.label, (), 0)
    columns, from_, where = source.select()
    rowid = sa.literal_column(f"{source.table.name}.rowid")
    rows = conn.execute(
        sa.select(rowid.label("rowid_"), *columns).select_from(from_).where(rowid.in_(list(order)), *where)
    ).all()
    rows.sort(key=lambda r: order[r.rowid_])
    total = conn.execute(
        sa.text(f"SELECT count(*) FROM (SELECT 1 {matching} LIMIT {shown + COUNT_CAP + 1})"), params
    ).scalar_one()
    return _group(source, rows, total, shown)


def _joined_group(
    conn: Connection, source: Source, words: Sequence[str], number: int | None, shown: int
) -> Group:
    """PostgreSQL: word-start regular expressions on the searched text, the joins leaving out
    tombstones and the rows of deleted parents; shortest first."""
    columns, from_, where = source.select()
    index = source.index
    expression = sa.literal_column(schema.text_of(index.text_table, index.columns))
    where = [*where, *_alive(source.table), *(expression.regexp_match(rf"\m{w}", flags="i") for w in words)]
    order = [sa.func.length(expression), expression]
    if number is not None:
        where.append(REVISION_T.c.number == number)
    if source.kind == "quote":
        order.append(REVISION_T.c.number.desc())
    found = sa.select(*columns).select_from(from_).where(*where)
    rows = conn.execute(found.order_by(*order).limit(shown)).all()
    if not rows:
        return Group(source.kind, source.label, (), 0)
    counted = sa.select(sa.func.count()).select_from(found.limit(shown + COUNT_CAP + 1).subquery())
    return _group(source, rows, conn.execute(counted).scalar_one(), shown)


def _group(source: Source, rows: Sequence[Row[Any]], total: int, shown: int) -> Group:
    """The hits shown and how many more: ``total`` counted up to COUNT_CAP beyond those shown."""
    more = min(total, shown + COUNT_CAP) - len(rows)
    return Group(
        source.kind, source.label, tuple(source.hit(r) for r in rows), more, total > shown + COUNT_CAP
    )
