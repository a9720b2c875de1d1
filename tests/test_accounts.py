"""The client's page and the growth grid on hand-built data (tests/accounts_scene.py), every
expected figure added up by hand from the scene's docstring, to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.services.accounts.client_page import client_page
from app.services.accounts.growth import OTHER, category_of, growth_grid
from app.services.storage.database import Database
from app.services.values import InputError
from tests.accounts_scene import Scene, build

D = Decimal


@pytest.fixture
def scene(empty_db: Database) -> Scene:
    return build(empty_db)


def test_client_page_lists_every_project_and_scenario(empty_db: Database, scene: Scene) -> None:
    page = client_page(empty_db, scene.clients["Acme"])
    assert page.name == "Acme" and page.billing_address == "1 Acme Street\nSpringfield"
    assert [c.name for c in page.contacts] == ["Alice Main", "Bob Other"]
    assert page.main_contact is not None and page.main_contact.name == "Alice Main"
    by_name = {p.name: p for p in page.projects}
    assert set(by_name) == {"P1", "P2", "P3", "P4", "P5"}  # lost and cancelled included
    assert {n: p.status for n, p in by_name.items()} == {
        "P1": "won",
        "P2": "lost",
        "P3": "quoted",
        "P4": "delivered",
        "P5": "cancelled",
    }
    p1 = by_name["P1"]
    assert (p1.value.price, p1.value.net, p1.value.cost) == (D("2915.00"), D("2650.00"), D("1100.00"))
    assert p1.start_date == date(2026, 3, 1) and p1.account_manager == "Ann" and p1.project_manager == "Pat"
    assert [(e.name, e.total, e.counts) for e in by_name["P3"].estimates] == [
        ("Big", D("5000.00"), True),
        ("Small", D("3000.00"), False),
    ]
    assert by_name["P3"].value.price == D("5000.00")
    # P4 chose B: B counts, A shows its own total.
    assert [(e.name, e.total, e.counts) for e in by_name["P4"].estimates] == [
        ("A", D("400.00"), False),
        ("B", D("800.00"), True),
    ]
    assert by_name["P4"].value.margin == D("450.00")
    assert by_name["P2"].lost_reason == "Price"


def test_client_page_quotes_and_activities(empty_db: Database, scene: Scene) -> None:
    page = client_page(empty_db, scene.clients["Acme"])
    assert [
        (q.project_name, q.estimate_name, q.quote_number, q.revision, q.total, q.sent_by) for q in page.quotes
    ] == [
        ("P1", "E1", "Q2026-0001", 2, D("2915.00"), "Ann"),
        ("P1", "E1", "Q2026-0001", 1, D("2900.00"), "Ann"),
    ]
    assert page.quotes[1].sent_at.date() == date(2026, 2, 1)
    # The client's own and its projects'; not Bolt's, not a deleted one.
    assert sorted((a.subject, a.project_name) for a in page.activities) == [
        ("Intro call", ""),
        ("Why we lost", "P2"),
    ]


def test_client_figures(empty_db: Database, scene: Scene) -> None:
    figures = client_page(empty_db, scene.clients["Acme"]).figures
    assert figures.won_value == D("3450.00")  # P1 net 2650 + P4 (B) net 800; tax never counts
    assert figures.won_margin == D("2000.00")  # (2650 − 1100) + (800 − 350)
    assert figures.win_rate == D(200) / D(3)  # won P1, P4 of decided P1, P2, P4
    assert (figures.projects, figures.won, figures.lost) == (5, 2, 1)
    bolt = client_page(empty_db, scene.clients["Bolt"]).figures
    # In production: (1200 + 99.99 + 800) − 10 % discount (209.999 → 210.00) = 1889.99.
    assert (bolt.won_value, bolt.win_rate) == (D("1889.99"), D(100))
    calm = client_page(empty_db, scene.clients["Calm"])
    assert calm.projects == () and calm.figures.win_rate is None and calm.figures.won_value == 0


def test_client_page_of_a_missing_client_says_so(empty_db: Database, scene: Scene) -> None:
    with pytest.raises(InputError, match="no longer exists"):
        client_page(empty_db, scene.projects["P1"])


def test_growth_grid_by_category(empty_db: Database, scene: Scene) -> None:
    grid = growth_grid(empty_db)
    # Video 2000 + 700 + 800; Audio 500 + 1299.99; Freight 150; Equipment (the truss) 100.
    assert grid.categories == ("Video", "Audio", "Freight", "Equipment")
    assert grid.totals == {
        "Video": D("3500.00"),
        "Audio": D("1799.99"),
        "Freight": D("150.00"),
        "Equipment": D("100.00"),
    }
    acme, bolt, calm = grid.clients
    assert (acme.name, bolt.name, calm.name) == ("Acme", "Bolt", "Calm")
    # Lost, cancelled and quoted work, optional add-ons and unchosen scenarios are not bought.
    assert acme.bought == {
        "Video": D("2700.00"),
        "Audio": D("500.00"),
        "Freight": D("150.00"),
        "Equipment": D("100.00"),
    }
    assert acme.never == ()
    # Lines before the discount; only the chosen alternative.
    assert bolt.bought == {"Audio": D("1299.99"), "Video": D("800.00")}
    assert bolt.never == ("Freight", "Equipment")
    assert calm.bought == {} and calm.never == grid.categories
    assert grid.of(scene.clients["Bolt"]) is bolt


def test_growth_grid_since(empty_db: Database, scene: Scene) -> None:
    grid = growth_grid(empty_db, since=date(2026, 1, 1))  # P4 (2025) is left out; P6 by its show day
    assert grid.categories == ("Video", "Audio", "Freight")
    assert grid.of(scene.clients["Acme"]).bought == {  # type: ignore[union-attr]
        "Video": D("2000.00"),
        "Audio": D("500.00"),
        "Freight": D("150.00"),
    }
    assert grid.of(scene.clients["Bolt"]).never == ("Freight",)  # type: ignore[union-attr]


def test_category_of_a_line() -> None:
    assert category_of("equipment", " Video ") == "Video"
    assert category_of("labour", "") == "Labour"
    assert category_of("labour", None) == "Labour"
    assert category_of("teleport", None) == OTHER
