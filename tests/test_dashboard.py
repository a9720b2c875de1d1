"""The dashboard's figures on tests/dashboard_scene.py, every one worked out by hand to the cent."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.models import Project
from app.services.dashboard.figures import (
    NO_REASON,
    DashboardFilters,
    ForecastMonth,
    LostReasonFigures,
    Revenue,
    StageFigures,
    WinRateMonth,
    dashboard,
)
from app.services.storage.database import Database
from tests.dashboard_scene import AURORA, BIRCH, END, START, Job, add_job, build_scene

D = Decimal
TWO_THIRDS = D(2) * D(100) / D(3)


def test_every_figure_worked_out_by_hand(empty_db: Database) -> None:
    build_scene(empty_db)
    board = dashboard(empty_db, start=START, end=END)
    assert board.stages == [
        StageFigures("lead", 1, D("11000.00"), D("1100.00")),
        StageFigures("estimating", 1, D("4400.00"), D("1100.00")),
        StageFigures("quoted", 1, D("22000.00"), D("13200.00")),  # its own 60 %, not the stage's 50
        StageFigures("won", 1, D("33000.00"), D("33000.00")),
        StageFigures("in_production", 1, D("13580.24"), D("13580.24")),  # 12,345.67 × 1.1, rounded
    ]
    assert (board.pipeline_count, board.pipeline_value, board.pipeline_weighted) == (
        5,
        D("83980.24"),
        D("61980.24"),
    )
    # Forecast month: the decision date, else the show's first day (the expo), else load-in.
    assert board.forecast == [
        ForecastMonth(date(2026, 12, 1), D("13580.24"), D(0)),
        ForecastMonth(date(2027, 1, 1), D("33000.00"), D("14300.00")),
        ForecastMonth(date(2027, 2, 1), D(0), D("1100.00")),
    ]
    assert sum(m.total for m in board.forecast) == board.pipeline_weighted
    # Won, in production and delivered against lost: 3 of 5.
    assert (board.won, board.lost, board.win_rate) == (3, 2, D(60))
    assert board.win_rate_by_month == [
        WinRateMonth(date(2026, 12, 1), 1, 1, D(50)),  # the tour won, the fair lost
        WinRateMonth(date(2027, 1, 1), 2, 1, TWO_THIRDS),  # launch, awards (by its show) · congress
    ]
    assert board.lost_reasons == [
        LostReasonFigures("Price", 1, D("16500.00")),
        LostReasonFigures("Timing", 1, D("5500.00")),
    ]
    # Revenue before tax by the show's month (the awards by its show, not its load-in).
    assert board.revenue_by_month == [
        Revenue(date(2027, 1, 1), 1, D(8000), D(4750), D(3250)),
        Revenue(date(2027, 2, 1), 1, D("12345.67"), D("7654.32"), D("4691.35")),
        Revenue(date(2027, 3, 1), 1, D(30000), D(21000), D(9000)),
    ]
    assert board.revenue_by_client == [
        Revenue(BIRCH, 2, D(38000), D(25750), D(12250)),
        Revenue(AURORA, 1, D("12345.67"), D("7654.32"), D("4691.35")),
    ]
    assert board.revenue_total == Revenue("Total", 3, D("50345.67"), D("33404.32"), D("16941.35"))
    assert board.revenue_by_client[0].margin_pct == D(12250) * 100 / D(38000)
    assert board.account_managers == ["Dana", "Eli"]


def test_the_account_managers_figures(empty_db: Database) -> None:
    build_scene(empty_db)
    board = dashboard(empty_db, start=START, end=END, filters=DashboardFilters("Dana"))
    assert [(s.status, s.count, s.value, s.weighted) for s in board.stages if s.count] == [
        ("lead", 1, D("11000.00"), D("1100.00")),
        ("quoted", 1, D("22000.00"), D("13200.00")),
        ("in_production", 1, D("13580.24"), D("13580.24")),
    ]
    assert (board.pipeline_value, board.pipeline_weighted) == (D("46580.24"), D("27880.24"))
    assert (board.won, board.lost, board.win_rate) == (2, 1, TWO_THIRDS)  # tour, awards · the fair
    assert board.lost_reasons == [LostReasonFigures("Timing", 1, D("5500.00"))]
    assert board.revenue_total.revenue == D("20345.67")
    assert board.account_managers == ["Dana", "Eli"]  # the filter's choices stay all of them


def test_the_range_takes_each_figure_by_its_own_month(empty_db: Database) -> None:
    build_scene(empty_db)
    january = dashboard(empty_db, start=date(2027, 1, 1), end=date(2027, 1, 31))
    assert [(s.status, s.count) for s in january.stages if s.count] == [
        ("lead", 1),
        ("quoted", 1),
        ("won", 1),
    ]
    assert january.pipeline_weighted == D("47300.00")
    assert (january.won, january.lost) == (2, 1)
    assert [r.reason for r in january.lost_reasons] == ["Price"]
    assert january.revenue_by_month == [Revenue(date(2027, 1, 1), 1, D(8000), D(4750), D(3250))]


def test_undated_projects_count_only_without_a_range(empty_db: Database) -> None:
    ids = build_scene(empty_db)
    clients = {AURORA: _client_of(empty_db, ids["Lead gala"])}
    add_job(empty_db, clients, Job(AURORA, "Some day", "lost", "Dana", D(1000), D(500)))
    add_job(empty_db, clients, Job(AURORA, "Idea", "lead", "Dana", D(1000), D(500)))
    ranged = dashboard(empty_db, start=START, end=END)
    assert ranged.stages[0].count == 1 and ranged.lost == 2
    everything = dashboard(empty_db)
    assert everything.stages[0] == StageFigures("lead", 2, D("12100.00"), D("1210.00"))
    assert everything.forecast[-1] == ForecastMonth(None, D(0), D("110.00"))
    assert everything.lost_reasons[-1] == LostReasonFigures(NO_REASON, 1, D("1100.00"))
    assert everything.win_rate == D(50)  # 3 won of 6 decided


def test_the_account_managers_copy_has_no_cost_or_margin(empty_db: Database) -> None:
    build_scene(empty_db)
    board = dashboard(empty_db, start=START, end=END).prices_only()
    assert not board.with_costs
    for row in (*board.revenue_by_month, *board.revenue_by_client, board.revenue_total):
        assert (row.cost, row.margin, row.margin_pct) == (None, None, None)
        assert row.revenue > 0
    assert board.revenue_total.revenue == D("50345.67")


def test_an_empty_database_has_an_empty_dashboard(empty_db: Database) -> None:
    board = dashboard(empty_db, start=START, end=END)
    assert [s.count for s in board.stages] == [0] * 5
    assert (board.forecast, board.win_rate, board.lost_reasons, board.revenue_by_client) == ([], None, [], [])
    assert board.revenue_total == Revenue("Total", 0, D(0), D(0), D(0))


def _client_of(db: Database, project_id: uuid.UUID) -> uuid.UUID:
    table = Project.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        client_id: uuid.UUID = conn.execute(
            select(table.c.client_id).where(table.c.id == project_id)
        ).scalar_one()
        return client_id
