"""The pipeline board's service: cards per stage with hand-computed totals, staleness, follow-ups,
filters and sorting; and project_values agreeing to the cent with EstimateDocument, kept or not."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from app.models import Activity, LineItem, PipelineStage, Project, QuoteRevision, Role, Section
from app.models.enums import ProjectStatus
from app.services.estimate.document import EstimateDocument
from app.services.pipeline import priced
from app.services.pipeline.board import BoardFilter, columns, folded_groups, load_pipeline, sorted_cards
from app.services.pipeline.values import project_values
from app.services.storage.database import Database
from tests.factories import _record, make_estimate, make_project
from tests.pipeline_data import build_pipeline

P = Project.__table__  # type: ignore[attr-defined]
A = Activity.__table__  # type: ignore[attr-defined]
L = LineItem.__table__  # type: ignore[attr-defined]
S = Section.__table__  # type: ignore[attr-defined]
TODAY = date(2027, 5, 1)


def _priced_project(
    db: Database, name: str, client: str, price: str, status: ProjectStatus, **project
) -> uuid.UUID:
    """A project whose one estimate is one fee line at ``price`` (no tax, contingency or discount)."""
    project_id = make_project(db, client_name=client, project_name=name, with_rules=False)
    estimate = make_estimate(db, lines=0, sections=1, project_id=project_id)
    with db.write() as conn:
        section = conn.execute(select(S.c.id).where(S.c.estimate_id == estimate)).scalar_one()
        conn.execute(
            L.insert(),
            [
                _record(
                    section_id=section,
                    position=0,
                    kind="fee",
                    description="Fee",
                    quantity=Decimal(1),
                    days=Decimal(1),
                    unit="ea",
                    unit_cost=Decimal(price) / 2,
                    price_basis="unit_price",
                    unit_price=Decimal(price),
                )
            ],
        )
        conn.execute(update(P).where(P.c.id == project_id).values(status=status.value, **project))
    return project_id


@pytest.fixture
def board_db(empty_db: Database) -> dict[str, uuid.UUID]:
    db = empty_db
    ids = {
        "keynote": _priced_project(
            db,
            "Keynote",
            "Orbital",
            "1000.00",
            ProjectStatus.LEAD,
            account_manager="Ana",
            project_manager="Pat",
            show_start_date=date(2027, 6, 10),
            show_end_date=date(2027, 6, 12),
        ),
        "expo": _priced_project(
            db,
            "Expo",
            "Vantage",
            "2000.00",
            ProjectStatus.QUOTED,
            win_probability_pct=Decimal(80),
            account_manager="Bo",
            project_manager="Pat",
            show_start_date=date(2027, 9, 1),
            decision_date=date(2027, 6, 1),
        ),
        "gala": _priced_project(
            db,
            "Gala",
            "Harbor",
            "500.00",
            ProjectStatus.QUOTED,
            account_manager="Ana",
            project_manager="Quinn",
        ),
        "launch": _priced_project(
            db,
            "Launch",
            "Orbital",
            "300.00",
            ProjectStatus.WON,
            account_manager="Bo",
            project_manager="Quinn",
        ),
        "old": _priced_project(db, "Old fair", "Harbor", "900.00", ProjectStatus.LOST, lost_reason="Price"),
    }
    return ids


def test_stage_totals_count_value_and_weighted_by_hand(
    empty_db: Database, board_db: dict[str, uuid.UUID]
) -> None:
    pipeline = load_pipeline(empty_db, TODAY)
    by_status = {c.status: c for c in columns(pipeline)}
    assert [c.status for c in columns(pipeline)] == [
        ProjectStatus.LEAD,
        ProjectStatus.ESTIMATING,
        ProjectStatus.QUOTED,
        ProjectStatus.WON,
        ProjectStatus.IN_PRODUCTION,
    ]
    lead, quoted, won = (
        by_status[ProjectStatus.LEAD],
        by_status[ProjectStatus.QUOTED],
        by_status[ProjectStatus.WON],
    )
    # Lead: 1,000 at the stage's 10 %. Quoted: 2,000 at its own 80 % + 500 at the stage's 50 %. Won: 100 %.
    assert (lead.count, lead.value, lead.weighted) == (1, Decimal("1000.00"), Decimal("100.00"))
    assert (quoted.count, quoted.value, quoted.weighted) == (2, Decimal("2500.00"), Decimal("1850.00"))
    assert (won.count, won.value, won.weighted) == (1, Decimal("300.00"), Decimal("300.00"))
    assert by_status[ProjectStatus.ESTIMATING].count == 0
    expo = next(c for c in quoted.cards if c.project == "Expo")
    gala = next(c for c in quoted.cards if c.project == "Gala")
    assert (expo.probability_pct, expo.own_probability) == (Decimal(80), True)
    assert (gala.probability_pct, gala.own_probability) == (Decimal(50), False)
    assert expo.margin_pct == Decimal(50) and expo.cost == Decimal("1000.00")
    assert expo.decision_date == date(2027, 6, 1)
    folded = {g.status: g for g in folded_groups(pipeline)}
    assert (
        folded[ProjectStatus.LOST].count == 1 and folded[ProjectStatus.LOST].cards[0].lost_reason == "Price"
    )
    assert folded[ProjectStatus.CANCELLED].count == 0


def test_warnings_are_put_on_their_cards(empty_db: Database, board_db: dict[str, uuid.UUID]) -> None:
    pipeline = load_pipeline(empty_db, TODAY, warnings={board_db["gala"]: "Riggers over-booked in week 23"})
    cards = {c.project: c for c in pipeline.cards}
    assert cards["Gala"].warning == "Riggers over-booked in week 23"
    assert cards["Expo"].warning == ""


def test_follow_up_is_the_earliest_open_one_and_staleness_follows_the_latest_activity(
    empty_db: Database, board_db: dict[str, uuid.UUID]
) -> None:
    db, gala, expo = empty_db, board_db["gala"], board_db["expo"]
    long_ago = datetime(2027, 1, 1, tzinfo=UTC)
    with db.write() as conn:
        conn.execute(update(P).values(updated_at=long_ago))  # nothing moved since New Year
        conn.execute(
            A.insert(),
            [
                _record(
                    project_id=gala,
                    kind="follow_up",
                    subject="Call back",
                    notes="",
                    owner="Ana",
                    due_date=date(2027, 5, 9),
                    done=False,
                    done_at=None,
                    created_at=long_ago,
                ),
                _record(
                    project_id=gala,
                    kind="follow_up",
                    subject="Send deck",
                    notes="",
                    owner="Ana",
                    due_date=date(2027, 5, 3),
                    done=False,
                    done_at=None,
                    created_at=long_ago,
                ),
                _record(
                    project_id=gala,
                    kind="follow_up",
                    subject="Done already",
                    notes="",
                    owner="Ana",
                    due_date=date(2027, 4, 1),
                    done=True,
                    done_at=long_ago,
                    created_at=long_ago,
                ),
                # A call yesterday keeps the expo fresh.
                _record(
                    project_id=expo,
                    kind="call",
                    subject="Chat",
                    notes="",
                    owner="Bo",
                    due_date=None,
                    done=True,
                    done_at=datetime(2027, 4, 30, 15, tzinfo=UTC),
                    created_at=long_ago,
                ),
            ],
        )
    cards = {c.project: c for c in load_pipeline(db, TODAY).cards}
    assert (cards["Gala"].follow_up, cards["Gala"].follow_up_subject) == (date(2027, 5, 3), "Send deck")
    assert cards["Gala"].stale and cards["Keynote"].stale
    assert not cards["Expo"].stale
    assert cards["Expo"].last_activity == datetime(2027, 4, 30, 15, tzinfo=UTC)
    # A quote revision sent on the 25th: the gala is fresh again (the quoted stage allows 10 days).
    estimate = cards["Gala"].estimate_id
    with db.write() as conn:
        conn.execute(
            QuoteRevision.__table__.insert(),
            [  # type: ignore[attr-defined]
                _record(
                    estimate_id=estimate,
                    number=1,
                    sent_at=datetime(2027, 4, 25, tzinfo=UTC),
                    sent_by="Ana",
                    note="",
                    total=Decimal(500),
                    snapshot="{}",
                )
            ],
        )
    cards = {c.project: c for c in load_pipeline(db, TODAY).cards}
    assert not cards["Gala"].stale
    assert (
        load_pipeline(db, TODAY + timedelta(days=10)).cards
        and {c.project: c for c in load_pipeline(db, TODAY + timedelta(days=4)).cards}["Gala"].stale
    )


def test_filters_and_sorting(empty_db: Database, board_db: dict[str, uuid.UUID]) -> None:
    pipeline = load_pipeline(empty_db, TODAY)

    def names(board_filter: BoardFilter) -> set[str]:
        return {card.project for column in columns(pipeline, board_filter) for card in column.cards}

    assert names(BoardFilter(account_manager="Ana")) == {"Keynote", "Gala"}
    assert names(BoardFilter(project_manager="Quinn")) == {"Gala", "Launch"}
    orbital = next(c.client_id for c in pipeline.cards if c.project == "Keynote")
    assert names(BoardFilter(client_id=orbital)) == {"Keynote"}  # the launch's Orbital is another client
    # Show dates overlapping 12–20 June: the keynote (10–12 June) only; a card without dates is left out.
    assert names(BoardFilter(start=date(2027, 6, 12), end=date(2027, 6, 20))) == {"Keynote"}
    assert names(BoardFilter(start=date(2027, 8, 1))) == {"Expo"}
    assert names(BoardFilter(text="vantage")) == {"Expo"}
    assert names(BoardFilter(text="orb key")) == {"Keynote"}
    assert names(BoardFilter(text="nothing like it")) == set()
    cards = pipeline.cards
    assert [c.project for c in sorted_cards(cards, "price")] == ["Launch", "Gala", "Keynote", "Expo"]
    assert [c.project for c in sorted_cards(cards, "weighted", descending=True)] == [
        "Expo",
        "Launch",
        "Gala",
        "Keynote",
    ]
    # Without a decision date: last, in either direction.
    assert sorted_cards(cards, "decision", descending=True)[0].project == "Expo"
    assert sorted_cards(cards, "decision")[0].project == "Expo"


def _documents(db: Database) -> dict[uuid.UUID, EstimateDocument]:
    return {
        v.project_id: EstimateDocument(db, v.estimate_id)
        for v in project_values(db).values()
        if v.estimate_id is not None
    }


def _assert_agree(db: Database) -> int:
    values = project_values(db)
    checked = 0
    for project_id, doc in _documents(db).items():
        value, totals = values[project_id], doc.totals
        low, high = (totals.range_low, totals.range_high) if totals.has_range else (totals.total,) * 2
        assert (value.price, value.low, value.high, value.net, value.cost) == (
            totals.total,
            low,
            high,
            totals.net,
            totals.cost,
        ), doc.header.project_name
        checked += 1
    return checked


def test_values_agree_with_the_estimate_document_on_the_demo(any_demo_db: Database) -> None:
    """On SQLite and PostgreSQL: the fingerprints' aggregates read the same on both."""
    priced.forget()
    assert _assert_agree(any_demo_db) >= 4
    assert _assert_agree(any_demo_db) >= 4  # from what is kept
    cards = load_pipeline(any_demo_db).cards
    assert load_pipeline(any_demo_db).cards == cards and len(cards) == 4


def test_values_agree_on_generated_data_and_follow_every_kind_of_change(empty_db: Database) -> None:
    db = empty_db
    priced.forget()
    build_pipeline(db, projects=12, lines=24)
    values = project_values(db)
    assert any(v.low != v.high for v in values.values())  # ranges are in play
    assert _assert_agree(db) == 12
    some = next(v for v in values.values() if v.estimate_id is not None)
    doc = EstimateDocument(db, some.estimate_id)
    # A line edited.
    line = next(
        line
        for line in doc.lines()
        if line.kind == "equipment"
        and line.unit_price is not None
        and doc.counts_in_total(line)
        and line.price_override is None
    )
    doc.set_line_fields(line.id, {"unit_price": line.unit_price + Decimal("10.01")})
    assert project_values(db)[some.project_id].price == EstimateDocument(db, some.estimate_id).totals.total
    assert project_values(db)[some.project_id].price != some.price
    # A parameter's value (formulas follow) and an alternative chosen.
    before = project_values(db)[some.project_id].price
    crew = next(p for p in doc.parameters if p.name == "crew")
    doc.set_parameter_fields(crew.id, {"value": Decimal(9)})
    assert project_values(db)[some.project_id].price != before
    assert _assert_agree(db) == 12
    doc = EstimateDocument(db, some.estimate_id)
    other = next(line for line in doc.lines() if line.alternative_group and not line.alternative_chosen)
    doc.choose_alternative(other.id)
    assert _assert_agree(db) == 12
    # A role's rate: every estimate with its crew calls reprices.
    with db.write() as conn:
        roles = Role.__table__  # type: ignore[attr-defined]
        conn.execute(update(roles).values(bill_rate=roles.c.bill_rate + 1, version=roles.c.version + 1))
    doc = EstimateDocument(db, some.estimate_id)
    assert _assert_agree(db) == 12
    # A line deleted, the status moved (the value keeps), the project's labour rules dropped.
    doc.delete_line(next(iter(doc.lines())).id)
    with db.write() as conn:
        conn.execute(update(P).where(P.c.id == some.project_id).values(labour_rule_set_id=None))
    assert _assert_agree(db) == 12


def test_the_kept_board_is_read_again_after_any_change(
    empty_db: Database, board_db: dict[str, uuid.UUID]
) -> None:
    db, gala = empty_db, board_db["gala"]
    first = load_pipeline(db, TODAY)
    assert load_pipeline(db, TODAY) is first  # nothing changed: the board kept
    with db.write() as conn:
        conn.execute(update(P).where(P.c.id == gala).values(name="Gala 2028", version=P.c.version + 1))
    assert {c.project for c in load_pipeline(db, TODAY).cards} >= {"Gala 2028"}
    with db.write() as conn:
        conn.execute(
            A.insert(),
            [
                _record(
                    project_id=gala,
                    kind="follow_up",
                    subject="Ring",
                    notes="",
                    owner="Ana",
                    due_date=date(2027, 5, 2),
                    done=False,
                    done_at=None,
                )
            ],
        )
    assert next(c for c in load_pipeline(db, TODAY).cards if c.project_id == gala).follow_up == date(
        2027, 5, 2
    )
    stages = PipelineStage.__table__  # type: ignore[attr-defined]
    with db.write() as conn:
        conn.execute(
            update(stages)
            .where(stages.c.status == "quoted")
            .values(win_probability_pct=Decimal(20), version=stages.c.version + 1)
        )
    quoted = next(c for c in columns(load_pipeline(db, TODAY)) if c.status is ProjectStatus.QUOTED)
    assert quoted.weighted == Decimal("1700.00")  # 2,000 × 80 % (its own) + 500 × 20 %
    assert load_pipeline(db, TODAY + timedelta(days=1)) is not load_pipeline(db, TODAY)  # another day


def test_unchanged_estimates_are_not_loaded_again(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path: a second valuation loads no EstimateDocument; one edited estimate loads one."""
    db = empty_db
    build_pipeline(db, projects=6, lines=9)
    priced.forget()
    loaded: list[uuid.UUID] = []
    real = priced.price_document

    def counting(db: Database, estimate_id: uuid.UUID) -> priced.Priced:
        loaded.append(estimate_id)
        return real(db, estimate_id)

    monkeypatch.setattr(priced, "price_document", counting)
    values = project_values(db)
    assert len(loaded) == 6
    loaded.clear()
    assert project_values(db) == values and loaded == []
    some = next(iter(values.values()))
    doc = EstimateDocument(db, some.estimate_id)
    doc.delete_line(next(iter(doc.lines())).id)
    assert project_values(db)[some.project_id].price == EstimateDocument(db, some.estimate_id).totals.total
    assert loaded == [some.estimate_id]
