"""The pipeline: every open project as a card in its stage's column, with the stage totals.

:func:`load_pipeline` reads it once (a fixed number of queries, whatever the number of projects,
and one valuation: :func:`app.services.pipeline.values.project_values`); :func:`columns` and
:func:`folded_groups` then filter what was read (AM, PM, client, show dates, text) without reading
again, so a keystroke in the filter bar costs no query.

A card's **price** is its counting estimate's client total and range, its **weighted** value that
price × its win probability (the project's own, else its stage's: ``own_probability`` says which).
**Next follow-up**: the earliest open activity with a due date on the project. **Last activity**:
the latest of the project's own last change (``updated_at``: a status move, an edit of its
details), the creation or completion of any of its activities, and the sending of any quote
revision of its estimates. A card is **stale** when that was ``stale_after_days`` or more days ago
(its stage's setting). ``warning`` is empty unless the caller passes one (the capacity outlook's
reason for an over-booked week). Cost and margin are on the card for the PM's view; the AM's view
must never show them.

Folded statuses (lost, cancelled, postponed, delivered) are not valued: they are counted and
listed (client, project, dates, lost reason) in a group the board keeps collapsed.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from app.models import (
    Activity,
    Client,
    Company,
    Estimate,
    PipelineStage,
    Project,
    ProjectStatus,
    QuoteRevision,
)
from app.services.money import ZERO
from app.services.pipeline import priced
from app.services.pipeline.priced import aggregates, stamp
from app.services.pipeline.values import FOLDED, OPEN_STAGES, StageSetting, stage_settings, values_of
from app.services.projects.counting import counting_estimates
from app.services.storage.database import Database

_P = Project.__table__  # type: ignore[attr-defined]
_C = Client.__table__  # type: ignore[attr-defined]
_A = Activity.__table__  # type: ignore[attr-defined]
_E = Estimate.__table__  # type: ignore[attr-defined]
_R = QuoteRevision.__table__  # type: ignore[attr-defined]
_COLUMNS = (
    "id",
    "version",
    "status",
    "client_id",
    "name",
    "account_manager",
    "project_manager",
    "start_date",
    "end_date",
    "show_start_date",
    "show_end_date",
    "win_probability_pct",
    "decision_date",
    "lost_reason",
    "updated_at",
)


@dataclass(frozen=True, slots=True)
class Card:
    project_id: uuid.UUID
    version: int
    status: ProjectStatus
    client_id: uuid.UUID
    client: str
    project: str
    account_manager: str
    project_manager: str
    show_start: date | None  # the show days, else load-in to strike
    show_end: date | None
    estimate_id: uuid.UUID | None
    price: Decimal
    low: Decimal
    high: Decimal
    cost: Decimal  # the PM's only
    margin_pct: Decimal | None  # the PM's only
    probability_pct: Decimal
    own_probability: bool
    weighted: Decimal
    decision_date: date | None
    follow_up: date | None  # the earliest open follow-up's due date
    follow_up_subject: str
    last_activity: datetime | None
    stale: bool
    lost_reason: str = ""
    warning: str = ""  # from the capacity outlook: why the project over-books a week

    @property
    def has_range(self) -> bool:
        return self.low != self.high


@dataclass(frozen=True, slots=True)
class StageColumn:
    status: ProjectStatus
    setting: StageSetting
    cards: tuple[Card, ...]

    @property
    def count(self) -> int:
        return len(self.cards)

    @property
    def value(self) -> Decimal:
        return sum((c.price for c in self.cards), ZERO)

    @property
    def weighted(self) -> Decimal:
        return sum((c.weighted for c in self.cards), ZERO)


@dataclass(frozen=True, slots=True)
class FoldedGroup:
    status: ProjectStatus
    cards: tuple[Card, ...]

    @property
    def count(self) -> int:
        return len(self.cards)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """What was read: open cards, folded cards, the stage settings and the day it was read for."""

    cards: tuple[Card, ...]
    folded: tuple[Card, ...]
    stages: Mapping[str, StageSetting]
    today: date
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class BoardFilter:
    account_manager: str = ""
    project_manager: str = ""
    client_id: uuid.UUID | None = None
    start: date | None = None  # show dates overlapping [start, end]; either may be open
    end: date | None = None
    text: str = ""

    def keeps(self, card: Card) -> bool:
        if self.account_manager and card.account_manager != self.account_manager:
            return False
        if self.project_manager and card.project_manager != self.project_manager:
            return False
        if self.client_id is not None and card.client_id != self.client_id:
            return False
        if self.start is not None or self.end is not None:
            if card.show_start is None:
                return False
            last = card.show_end or card.show_start
            if (self.end is not None and card.show_start > self.end) or (
                self.start is not None and last < self.start
            ):
                return False
        if self.text:
            words = self.text.casefold().split()
            haystack = " ".join(
                (
                    card.client,
                    card.project,
                    card.account_manager,
                    card.project_manager,
                    card.status.label,
                    card.follow_up_subject,
                    card.lost_reason,
                )
            ).casefold()
            return all(word in haystack for word in words)
        return True


def _latest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def _activity_facts(conn: Connection, project_ids: list[uuid.UUID]) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """Project → (next follow-up due, its subject); project → the latest activity or sent quote."""
    follow: dict[uuid.UUID, tuple[date, str]] = {}
    latest: dict[uuid.UUID, datetime | None] = {}
    live = _A.c.deleted_at.is_(None) & _A.c.project_id.is_not(None)
    for row in conn.execute(
        select(_A.c.project_id, _A.c.due_date, _A.c.subject)
        .where(live, _A.c.done.is_(False), _A.c.due_date.is_not(None))
        .order_by(_A.c.due_date, _A.c.created_at)
    ):
        follow.setdefault(row.project_id, (row.due_date, row.subject))
    for row in conn.execute(
        select(_A.c.project_id, func.max(_A.c.created_at), func.max(_A.c.done_at))
        .where(live)
        .group_by(_A.c.project_id)
    ):
        latest[row[0]] = _latest(row[1], row[2])
    for row in conn.execute(
        select(_E.c.project_id, func.max(_R.c.sent_at))
        .join(_E, _R.c.estimate_id == _E.c.id)
        .where(_R.c.deleted_at.is_(None))
        .group_by(_E.c.project_id)
    ):
        latest[row[0]] = _latest(latest.get(row[0]), row[1])
    wanted = set(project_ids)
    return (
        {k: v for k, v in follow.items() if k in wanted},
        {k: v for k, v in latest.items() if k in wanted},
    )


def _as_utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)  # a backend that hands back naive UTC


_BOARD_TABLES: tuple[Any, ...] = (_A, _R, _C, PipelineStage.__table__, Company.__table__)  # type: ignore[attr-defined]
_lock = threading.Lock()
_kept: dict[str, tuple[tuple[Any, ...], date, Pipeline]] = {}  # database → (stamp, today, pipeline)


def board_stamp(conn: Connection) -> tuple[Any, ...]:
    """What the board is read from, summed up (:func:`app.services.pipeline.priced.stamp` and the same
    aggregates over activities, quote revisions, clients, stages and the company): unchanged, so is
    the board read for the same day."""
    return stamp(conn) + tuple(tuple(conn.execute(select(*aggregates(t))).one()) for t in _BOARD_TABLES)


def load_pipeline(
    db: Database, today: date | None = None, warnings: Mapping[uuid.UUID, str] | None = None
) -> Pipeline:
    """Every live project as a card (open ones valued), read once; read again only when something
    it is read from changed (:func:`board_stamp`, read first: a change meanwhile shows next time)."""
    today = today or date.today()
    with db.read() as conn:
        now = board_stamp(conn)
    with _lock:
        kept = _kept.get(db.display_name)
    if kept is not None and kept[0] == now and kept[1] == today:
        pipeline = kept[2]
    else:
        pipeline = _read_pipeline(db, today)
        with _lock:
            _kept[db.display_name] = (now, today, pipeline)
    return with_warnings(pipeline, warnings) if warnings else pipeline


def forget(db: Database | None = None) -> None:
    """Drop the kept boards and estimate totals (of one database, or all)."""
    with _lock:
        if db is None:
            _kept.clear()
        else:
            _kept.pop(db.display_name, None)
    priced.forget(db)


def _read_pipeline(db: Database, today: date) -> Pipeline:
    with db.read() as conn:
        stages = stage_settings(conn)
        rows = list(
            conn.execute(
                select(*(_P.c[name] for name in _COLUMNS), _C.c.name.label("client_name"))
                .join(_C, _P.c.client_id == _C.c.id)
                .where(_P.c.deleted_at.is_(None))
                .order_by(func.lower(_C.c.name), func.lower(_P.c.name), _P.c.id)
            )
        )
        follow, latest = _activity_facts(conn, [r.id for r in rows])
        counting = counting_estimates(conn)  # all: cheaper than naming 2,000 projects
        co = Company.__table__  # type: ignore[attr-defined]
        currency = conn.execute(select(co.c.currency).where(co.c.deleted_at.is_(None)).limit(1)).scalar()
    open_statuses = {s.value for s in OPEN_STAGES}
    values = values_of(db, [r for r in rows if r.status in open_statuses], stages, counting)
    cards: list[Card] = []
    folded: list[Card] = []
    for row in rows:
        try:
            status = ProjectStatus(row.status)
        except ValueError:
            continue  # a status this version does not know (a newer copy's): not on the board
        value = values.get(row.id)
        last = _latest(_as_utc(row.updated_at), _as_utc(latest.get(row.id)))
        setting = stages.get(status.value)
        stale = (
            value is not None
            and setting is not None
            and last is not None
            and (today - last.date()) >= timedelta(days=setting.stale_after_days)
        )
        next_up = follow.get(row.id)
        card = Card(
            project_id=row.id,
            version=row.version,
            status=status,
            client_id=row.client_id,
            client=row.client_name,
            project=row.name,
            account_manager=row.account_manager,
            project_manager=row.project_manager,
            show_start=row.show_start_date or row.start_date,
            show_end=row.show_end_date or row.end_date,
            estimate_id=value.estimate_id if value else None,
            price=value.price if value else ZERO,
            low=value.low if value else ZERO,
            high=value.high if value else ZERO,
            cost=value.cost if value else ZERO,
            margin_pct=value.margin_pct if value else None,
            probability_pct=value.probability_pct if value else ZERO,
            own_probability=value.own_probability if value else False,
            weighted=value.weighted if value else ZERO,
            decision_date=row.decision_date,
            follow_up=next_up[0] if next_up else None,
            follow_up_subject=next_up[1] if next_up else "",
            last_activity=last,
            stale=stale,
            lost_reason=row.lost_reason or "",
        )
        (cards if value is not None else folded).append(card)
    return Pipeline(tuple(cards), tuple(folded), stages, today, currency or "USD")


def with_warnings(pipeline: Pipeline, warnings: Mapping[uuid.UUID, str]) -> Pipeline:
    """The same pipeline with the capacity outlook's warnings on its cards."""
    return replace(
        pipeline, cards=tuple(replace(c, warning=warnings.get(c.project_id, "")) for c in pipeline.cards)
    )


def columns(pipeline: Pipeline, board_filter: BoardFilter = BoardFilter()) -> list[StageColumn]:
    """One column per open stage, in board order, with the cards the filter keeps."""
    by_status: dict[ProjectStatus, list[Card]] = {s: [] for s in OPEN_STAGES}
    for card in pipeline.cards:
        if card.status in by_status and board_filter.keeps(card):
            by_status[card.status].append(card)
    return [
        StageColumn(
            status, pipeline.stages.get(status.value, StageSetting(status.value, ZERO, 14)), tuple(cards)
        )
        for status, cards in by_status.items()
    ]


def folded_groups(pipeline: Pipeline, board_filter: BoardFilter = BoardFilter()) -> list[FoldedGroup]:
    """Lost, cancelled, postponed and delivered, each with the cards the filter keeps."""
    by_status: dict[ProjectStatus, list[Card]] = {s: [] for s in FOLDED}
    for card in pipeline.folded:
        if card.status in by_status and board_filter.keeps(card):
            by_status[card.status].append(card)
    return [FoldedGroup(status, tuple(cards)) for status, cards in by_status.items()]


def people(pipeline: Pipeline) -> tuple[list[str], list[str], list[tuple[uuid.UUID, str]]]:
    """The AMs, PMs and clients on the open cards, each sorted: what the filter bar offers."""
    cards = pipeline.cards
    ams = sorted({c.account_manager for c in cards if c.account_manager}, key=str.casefold)
    pms = sorted({c.project_manager for c in cards if c.project_manager}, key=str.casefold)
    clients = sorted({(c.client_id, c.client) for c in cards}, key=lambda pair: pair[1].casefold())
    return ams, pms, clients


# How the table sorts by each of its columns (None sorts last either way).
SORT_KEYS: dict[str, Callable[[Card], Any]] = {
    "client": lambda c: c.client.casefold(),
    "project": lambda c: c.project.casefold(),
    "status": lambda c: OPEN_STAGES.index(c.status) if c.status in OPEN_STAGES else 99,
    "am": lambda c: c.account_manager.casefold(),
    "pm": lambda c: c.project_manager.casefold(),
    "show": lambda c: c.show_start,
    "price": lambda c: c.price,
    "margin": lambda c: c.margin_pct,
    "probability": lambda c: c.probability_pct,
    "weighted": lambda c: c.weighted,
    "decision": lambda c: c.decision_date,
    "follow_up": lambda c: c.follow_up,
    "last_activity": lambda c: c.last_activity,
}


def sorted_cards(cards: Iterable[Card], key: str, descending: bool = False) -> list[Card]:
    """Cards by one column; those without a value last, in either direction; ties by client, project."""
    get = SORT_KEYS[key]
    base = sorted(cards, key=lambda c: (c.client.casefold(), c.project.casefold()))
    known = [c for c in base if get(c) is not None]
    unknown = [c for c in base if get(c) is None]
    return sorted(known, key=get, reverse=descending) + unknown
