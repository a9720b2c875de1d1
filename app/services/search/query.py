"""Answer a search box: every kind of record whose words start with the words typed.

Each word typed is a prefix of a word of the record (``led pan`` finds "LED panel"), on
SQLite through the FTS5 tables of :mod:`.schema` (``"led"* "pan"*``, best first by bm25
among the first :data:`COUNT_CAP` matches, so a two-letter prefix costs no more than a word), on
PostgreSQL through case-insensitive word-start regular expressions its trigram indexes serve
(shortest text first). Tombstones and the rows of deleted parents are never found.

Results come grouped by kind (:data:`SOURCES`, in the order shown), at most ``per_group``
each, with how many more there are (counted up to :data:`COUNT_CAP`). A later kind (issue 15's
activities) is one more :class:`Source`.
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
from app.services.storage.database import Database

COUNT_CAP = 1000  # "N more" counts this far, then says "999+ more"
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
    table: sa.Table
    columns: tuple[str, ...]
    # The selected columns, the FROM (``base``, the searched table, joined to the rows around
    # it) and the conditions of a found row.
    select: Callable[[Any], tuple[list[Any], Any, list[Any]]]
    hit: Callable[[Row[Any]], Hit]
    # Where only some columns are searched (quote numbers in the estimate's index).
    only: str = ""
    words: Callable[[str], list[str]] = field(default=lambda text: words_of(text))


def words_of(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _quote_words(text: str) -> list[str]:
    """A quote number's words, without "rev N" (the revision, matched on its own)."""
    return words_of(_REVISION.sub(" ", text))


def _alive(*tables: sa.Table) -> list[Any]:
    return [t.c.deleted_at.is_(None) for t in tables]


def _clients(base: Any) -> tuple[list[Any], Any, list[Any]]:
    return [CLIENT_T.c.id, CLIENT_T.c.name, CLIENT_T.c.industry], base, []


def _contacts(base: Any) -> tuple[list[Any], Any, list[Any]]:
    c, k = CONTACT_T, CLIENT_T
    return (
        [c.c.id, c.c.name, c.c.email, k.c.id.label("client_id"), k.c.name.label("client")],
        base.join(k, k.c.id == c.c.client_id),
        _alive(k),
    )


def _projects(base: Any) -> tuple[list[Any], Any, list[Any]]:
    p, k = PROJECT_T, CLIENT_T
    return (
        [p.c.id, p.c.name, p.c.status, p.c.venue, k.c.id.label("client_id"), k.c.name.label("client")],
        base.join(k, k.c.id == p.c.client_id),
        _alive(k),
    )


def _estimates(base: Any) -> tuple[list[Any], Any, list[Any]]:
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
        base.join(p, p.c.id == e.c.project_id).join(k, k.c.id == p.c.client_id),
        _alive(p, k),
    )


def _quotes(base: Any) -> tuple[list[Any], Any, list[Any]]:
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
        base.join(r, r.c.estimate_id == e.c.id)
        .join(p, p.c.id == e.c.project_id)
        .join(k, k.c.id == p.c.client_id),
        _alive(r, p, k),
    )


def _lines(base: Any) -> tuple[list[Any], Any, list[Any]]:
    line, s, e, p = LINE_T, SECTION_T, ESTIMATE_T, PROJECT_T
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
        base.join(s, s.c.id == line.c.section_id)
        .join(e, e.c.id == s.c.estimate_id)
        .join(p, p.c.id == e.c.project_id),
        _alive(s, e, p),
    )


def _flag(status: str) -> str:
    return ProjectStatus(status).label if status in _FLAGGED else ""


def _joined(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


SOURCES: tuple[Source, ...] = (
    Source(
        "client",
        "Clients",
        CLIENT_T,
        ("name",),
        _clients,
        lambda r: Hit("client", r.id, r.name, r.industry, client_id=r.id),
    ),
    Source(
        "contact",
        "Contacts",
        CONTACT_T,
        ("name", "email"),
        _contacts,
        lambda r: Hit("contact", r.id, r.name, _joined(r.client, r.email), client_id=r.client_id),
    ),
    Source(
        "project",
        "Projects",
        PROJECT_T,
        ("name", "venue"),
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
        ESTIMATE_T,
        ("name", "quote_number"),
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
        ESTIMATE_T,
        ("quote_number",),
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
        only="quote_number",
        words=_quote_words,
    ),
    Source(
        "line",
        "Lines",
        LINE_T,
        ("description", "client_description"),
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
    for source in SOURCES:
        words = source.words(text)
        if not words:
            continue
        if conn.dialect.name != "sqlite" and not schema.indexed(conn, source.table.name):
            slow.append(source.label.lower())
        found = _found(conn, source, words, text)
        if found is not None:
            groups.append(_group(conn, source, found, per_group))
    note = (
        f"The server has no trigram index (pg_trgm) for {', '.join(dict.fromkeys(slow))}: "
        "search reads every row, slower on a large database."
        if slow
        else ""
    )
    return Results(tuple(g for g in groups if g.hits), note)


def _found(conn: Connection, source: Source, words: Sequence[str], text: str) -> sa.Select[Any] | None:
    """The matching rows of ``source``, best first (on SQLite, of the first COUNT_CAP in the index)."""
    table = source.table
    if conn.dialect.name == "sqlite":
        # The first COUNT_CAP matches in index order, ranked among themselves: bm25 for every
        # match of a short prefix (all 200,000 quote numbers start "q2026") costs seconds.
        fts = schema.fts_table(table.name)
        index = sa.table(fts, sa.column("rowid"), sa.column("rank"))
        prefix = f"{source.only} : " if source.only else ""
        match = " ".join(f'{prefix}"{w}"*' for w in words)
        first = (
            sa.select(index.c.rowid, index.c.rank)
            .where(sa.text(f"{fts} MATCH :match").bindparams(match=match))
            .limit(COUNT_CAP)
            .subquery("found")
        )
        columns, from_, where = source.select(
            first.join(table, sa.literal_column(f"{table.name}.rowid") == first.c.rowid)
        )
        order: list[Any] = [first.c.rank]
    else:
        columns, from_, where = source.select(table)
        searched = (source.only,) if source.only else source.columns
        expression = sa.literal_column(schema.text_of(table.name, searched))
        where = [*where, *(expression.regexp_match(rf"\m{w}", flags="i") for w in words)]
        order = [sa.func.length(expression), expression]
    where = [*where, *_alive(table)]
    if source.kind == "quote":
        revision = _REVISION.search(text)
        if revision:
            where.append(REVISION_T.c.number == int(revision.group(1)))
        order += [REVISION_T.c.number.desc()]
    return sa.select(*columns).select_from(from_).where(*where).order_by(*order)


def _group(conn: Connection, source: Source, found: sa.Select[Any], per_group: int) -> Group:
    rows = conn.execute(found.limit(per_group + 1)).all()
    hits = tuple(source.hit(r) for r in rows[:per_group])
    more = 0
    capped = False
    if len(rows) > per_group:
        counted = sa.select(sa.func.count()).select_from(found.order_by(None).limit(COUNT_CAP).subquery())
        total = conn.execute(counted).scalar_one()
        more, capped = total - per_group, total >= COUNT_CAP
    return Group(source.kind, source.label, hits, more, capped)
