"""The dashboard's figures: pipeline value by stage, the weighted forecast, the win rate, lost reasons,
revenue and margin — every amount an exact Decimal, from the one valuation
(:func:`app.services.pipeline.values.project_values`).

Which month a project counts in (every figure looks at one date of the project):

- **forecast** (open projects): the expected decision date, else the show's first day, else load-in;
  won and in-production projects count at 100 % of their price, the others at their weighted value;
- **won or lost** (win rate, lost reasons): the decision date, else the show's first day, else load-in;
- **revenue and margin** (won, in production, delivered): the show's first day, else load-in.

The stage totals count the open projects whose forecast date falls in the range. A project with
none of those dates has no month: it counts only when the range is open at both ends (no start
and no end), under ``None``. ``price`` and ``weighted`` are the client's figures (tax included);
revenue is ``net`` (before tax), so tax never counts as revenue or margin.

Cost and margin are the PM's: :meth:`Dashboard.prices_only` is the copy the AM's view and export
are made from, with every cost and margin taken out (None), so they cannot show one by mistake.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.models import Client, Company, LostReason, Project, ProjectStatus
from app.services.estimate.pricing import margin_share
from app.services.money import ZERO
from app.services.pipeline.values import OPEN_STAGES, WON_STATUSES, ProjectValue, project_values, win_rate
from app.services.storage.database import Database

_P = Project.__table__  # type: ignore[attr-defined]
_C = Client.__table__  # type: ignore[attr-defined]
_R = LostReason.__table__  # type: ignore[attr-defined]
_CO = Company.__table__  # type: ignore[attr-defined]
NO_REASON = "No reason given"
_DECIDED = WON_STATUSES | {ProjectStatus.LOST.value}
_COMMITTED = frozenset({ProjectStatus.WON.value, ProjectStatus.IN_PRODUCTION.value})

Month = date | None  # the first of the month; None: the project has no date


@dataclass(frozen=True)
class DashboardFilters:
    """Whose projects: one account manager's (as typed on the project), or everyone's (None)."""

    account_manager: str | None = None


@dataclass(frozen=True)
class StageFigures:
    status: str
    count: int
    value: Decimal  # Σ price (tax included)
    weighted: Decimal  # Σ price × probability


@dataclass(frozen=True)
class ForecastMonth:
    month: Month
    committed: Decimal  # won and in production, at 100 %
    weighted: Decimal  # lead, estimating, quoted: price × probability

    @property
    def total(self) -> Decimal:
        return self.committed + self.weighted


@dataclass(frozen=True)
class WinRateMonth:
    month: Month
    won: int
    lost: int
    rate: Decimal | None  # percent


@dataclass(frozen=True)
class LostReasonFigures:
    reason: str
    count: int
    value: Decimal  # Σ price of the projects lost for it


@dataclass(frozen=True)
class Revenue:
    """Won work of a month or a client: revenue before tax; cost and margin only in the PM's copy."""

    key: Month | str  # the month, or the client's name
    count: int
    revenue: Decimal
    cost: Decimal | None
    margin: Decimal | None

    @property
    def margin_pct(self) -> Decimal | None:
        return None if self.cost is None else margin_share(self.revenue, self.cost)

    def prices_only(self) -> Revenue:
        return replace(self, cost=None, margin=None)


@dataclass(frozen=True)
class Dashboard:
    start: date | None
    end: date | None
    filters: DashboardFilters
    stages: list[StageFigures]
    forecast: list[ForecastMonth]
    win_rate: Decimal | None
    won: int
    lost: int
    win_rate_by_month: list[WinRateMonth]
    lost_reasons: list[LostReasonFigures]
    revenue_by_month: list[Revenue]
    revenue_by_client: list[Revenue]
    revenue_total: Revenue
    account_managers: list[str] = field(default_factory=list)  # every AM named on a project
    currency: str = "USD"  # the company's
    with_costs: bool = True

    @property
    def pipeline_value(self) -> Decimal:
        return sum((s.value for s in self.stages), ZERO)

    @property
    def pipeline_weighted(self) -> Decimal:
        return sum((s.weighted for s in self.stages), ZERO)

    @property
    def pipeline_count(self) -> int:
        return sum(s.count for s in self.stages)

    def prices_only(self) -> Dashboard:
        """The AM's copy: no cost and no margin anywhere in it."""
        return replace(
            self,
            revenue_by_month=[r.prices_only() for r in self.revenue_by_month],
            revenue_by_client=[r.prices_only() for r in self.revenue_by_client],
            revenue_total=self.revenue_total.prices_only(),
            with_costs=False,
        )


@dataclass(frozen=True)
class _Row:
    id: uuid.UUID
    client: str
    status: str
    lost_reason: str
    forecast_day: date | None
    show_day: date | None


def _month(day: date | None) -> Month:
    return None if day is None else day.replace(day=1)


def _in_range(day: date | None, start: date | None, end: date | None) -> bool:
    if day is None:
        return start is None and end is None
    return (start is None or day >= start) and (end is None or day <= end)


def _sorted_months(months: Iterable[Month]) -> list[Month]:
    return sorted(set(months), key=lambda m: (m is None, m or date.min))


def _rows(db: Database, filters: DashboardFilters) -> tuple[list[_Row], list[str], list[str], str]:
    """The live projects the filters let through; every AM named on a project; the lost reasons in
    order; the company's currency."""
    with db.read() as conn:
        currency = conn.execute(select(_CO.c.currency).where(_CO.c.deleted_at.is_(None)).limit(1)).scalar()
        query = (
            select(
                _P.c.id,
                _C.c.name.label("client"),
                _P.c.status,
                _P.c.lost_reason,
                _P.c.decision_date,
                _P.c.show_start_date,
                _P.c.start_date,
                _P.c.account_manager,
            )
            .join(_C, _C.c.id == _P.c.client_id)
            .where(_P.c.deleted_at.is_(None))
        )
        found = list(conn.execute(query))
        reasons = [
            str(n)
            for n in conn.execute(
                select(_R.c.name).where(_R.c.deleted_at.is_(None)).order_by(_R.c.position, _R.c.name)
            ).scalars()
        ]
    managers = sorted(
        {r.account_manager.strip() for r in found if r.account_manager.strip()}, key=str.casefold
    )
    wanted = filters.account_manager
    rows = [
        _Row(
            r.id,
            r.client,
            r.status,
            r.lost_reason,
            r.decision_date or r.show_start_date or r.start_date,
            r.show_start_date or r.start_date,
        )
        for r in found
        if wanted is None or r.account_manager.strip() == wanted.strip()
    ]
    return rows, managers, reasons, str(currency or "USD")


def _revenue(key: Month | str, rows: list[_Row], values: dict[uuid.UUID, ProjectValue]) -> Revenue:
    revenue = sum((values[r.id].net for r in rows), ZERO)
    cost = sum((values[r.id].cost for r in rows), ZERO)
    return Revenue(key, len(rows), revenue, cost, revenue - cost)


def _grouped(rows: Iterable[_Row], key: Callable[[_Row], Month | str]) -> dict[Month | str, list[_Row]]:
    out: dict[Month | str, list[_Row]] = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out


def dashboard(
    db: Database,
    *,
    start: date | None = None,
    end: date | None = None,
    filters: DashboardFilters | None = None,
) -> Dashboard:
    """Every figure of the dashboard for projects whose month falls between ``start`` and ``end``
    (inclusive; None: open), as the filters choose. The PM's: :meth:`Dashboard.prices_only` for the AM."""
    filters = filters or DashboardFilters()
    rows, managers, reasons, currency = _rows(db, filters)
    values = project_values(db, [r.id for r in rows]) if rows else {}
    rows = [r for r in rows if r.id in values]

    open_rows = [r for r in rows if r.status in OPEN_STAGES and _in_range(r.forecast_day, start, end)]
    stages = []
    for status in OPEN_STAGES:
        worth = [values[r.id] for r in open_rows if r.status == status]
        stages.append(
            StageFigures(
                status.value,
                len(worth),
                sum((v.price for v in worth), ZERO),
                sum((v.weighted for v in worth), ZERO),
            )
        )
    forecast = []
    by_month = _grouped(open_rows, lambda r: _month(r.forecast_day))
    for month in _sorted_months(by_month):  # type: ignore[arg-type]
        mine = by_month[month]
        forecast.append(
            ForecastMonth(
                month,  # type: ignore[arg-type]
                sum((values[r.id].price for r in mine if r.status in _COMMITTED), ZERO),
                sum((values[r.id].weighted for r in mine if r.status not in _COMMITTED), ZERO),
            )
        )

    decided = [r for r in rows if r.status in _DECIDED and _in_range(r.forecast_day, start, end)]
    won = sum(r.status in WON_STATUSES for r in decided)
    by_decided = _grouped(decided, lambda r: _month(r.forecast_day))
    rates = []
    for month in _sorted_months(by_decided):  # type: ignore[arg-type]
        statuses = [r.status for r in by_decided[month]]
        month_won = sum(s in WON_STATUSES for s in statuses)
        rates.append(WinRateMonth(month, month_won, len(statuses) - month_won, win_rate(statuses)))  # type: ignore[arg-type]

    lost = _grouped(
        (r for r in decided if r.status == ProjectStatus.LOST.value),
        lambda r: r.lost_reason.strip() or NO_REASON,
    )
    order = {name: n for n, name in enumerate(reasons)}
    lost_reasons = [
        LostReasonFigures(str(reason), len(mine), sum((values[r.id].price for r in mine), ZERO))
        for reason, mine in sorted(
            lost.items(), key=lambda kv: (order.get(str(kv[0]), len(order)), str(kv[0]))
        )
    ]

    sold = [r for r in rows if r.status in WON_STATUSES and _in_range(r.show_day, start, end)]
    months = _grouped(sold, lambda r: _month(r.show_day))
    clients = _grouped(sold, lambda r: r.client)
    by_client = [_revenue(name, mine, values) for name, mine in clients.items()]
    by_client.sort(key=lambda r: (-r.revenue, str(r.key).casefold()))
    return Dashboard(
        start=start,
        end=end,
        filters=filters,
        stages=stages,
        forecast=forecast,
        win_rate=win_rate(r.status for r in decided),
        won=won,
        lost=len(decided) - won,
        win_rate_by_month=rates,
        lost_reasons=lost_reasons,
        revenue_by_month=[_revenue(m, months[m], values) for m in _sorted_months(months)],  # type: ignore[arg-type]
        revenue_by_client=by_client,
        revenue_total=_revenue("Total", sold, values),
        account_managers=managers,
        currency=currency,
    )


def month_text(month: Month) -> str:
    """ "Jan 2027", or "No date" for the projects without one."""
    return "No date" if month is None else f"{month:%b %Y}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def scope_text(board: Dashboard) -> str:
    """What the figures cover: "1 Dec 2026 – 31 Mar 2027 · Dana's projects"."""
    if board.start is None and board.end is None:
        span = "All dates"
    elif board.start is None:
        span = f"Until {_day(board.end)}"  # type: ignore[arg-type]
    elif board.end is None:
        span = f"From {_day(board.start)}"
    else:
        span = f"{_day(board.start)} – {_day(board.end)}"
    who = board.filters.account_manager
    return f"{span} · {who}'s projects" if who else f"{span} · every account manager"
