"""The validity guard, worked by hand, and the cost sheet's orders on the same dates.

Sent on Monday 1 Feb 2027 with 30 days' validity, the client quote holds until Wednesday 3 Mar;
the project loads in on Monday 15 Mar. A supplier quote valid until 3 Mar holds as long, one valid
until 2 Mar does not. An order-by of 3 Mar lets the client accept on the last day; 2 Mar does not.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from app.services.company.setup import set_up_company
from app.services.estimate.document import EstimateDocument
from app.services.excel.cost_sheet import export_cost_sheet
from app.services.storage.database import Database
from app.services.supply.quote_items import load_quote_items
from app.services.supply.timing import Timing
from app.services.supply.validity import (
    WARNINGS_SHOWN,
    ValidityWarning,
    WarningKind,
    confirm_lines,
    send_warnings,
    validity_warnings,
)
from tests.guard_scene import Scene, add_quote_item, add_supplier, follow, supplied_estimate

TODAY = date(2027, 2, 1)  # a Monday
CLIENT_UNTIL = date(2027, 3, 3)  # TODAY + 30 days
LOAD_IN = date(2027, 3, 15)  # a Monday


def _warnings(db: Database, scene: Scene, validity: int | None = 30) -> list[ValidityWarning]:
    with db.read() as conn:
        items = load_quote_items(conn)
    return validity_warnings(EstimateDocument(db, scene.estimate_id), items, validity, TODAY)


def test_a_supplier_quote_ending_the_day_before_the_client_quote_warns_one_ending_with_it_does_not(
    empty_db: Database,
) -> None:
    skypoint = add_supplier(empty_db, "SkyPoint Rigging")
    short = add_quote_item(empty_db, skypoint, "SP-2041", date(2027, 3, 2))
    same = add_quote_item(empty_db, skypoint, "SP-2042", CLIENT_UNTIL)
    scene = supplied_estimate(
        empty_db,
        LOAD_IN,
        [
            {"description": "Motors", "supplier_id": skypoint, "supplier_quote_item_id": short},
            {"description": "Truss", "supplier_id": skypoint, "supplier_quote_item_id": same},
            {"description": "Spare motors", "supplier_id": skypoint, "supplier_quote_item_id": short},
        ],
    )
    assert _warnings(empty_db, scene) == [
        ValidityWarning(
            WarningKind.EXPIRES,
            date(2027, 3, 2),
            (scene.lines["Motors"], scene.lines["Spare motors"]),
            "Supplier quote SP-2041 (SkyPoint Rigging) expires 2 Mar, and this quote is valid until 3 Mar: "
            "Motors, Spare motors.",
        )
    ]
    follow(empty_db, scene.lines["Motors"], same)
    follow(empty_db, scene.lines["Spare motors"], same)
    assert _warnings(empty_db, scene) == []  # all is well: nothing to tell


def test_an_expired_quote_add_ons_count_and_an_alternative_not_chosen_does_not(empty_db: Database) -> None:
    skypoint = add_supplier(empty_db, "SkyPoint Rigging")
    expired = add_quote_item(empty_db, skypoint, "SP-2041", date(2027, 1, 31))
    scene = supplied_estimate(
        empty_db,
        LOAD_IN,
        [
            {
                "description": "Chain hoists",
                "supplier_id": skypoint,
                "supplier_quote_item_id": expired,
                "optional": True,
            },
            {
                "description": "Motors, SkyPoint",
                "supplier_id": skypoint,
                "supplier_quote_item_id": expired,
                "alternative_group": "motors",
            },
            {"description": "Motors, own", "alternative_group": "motors", "alternative_chosen": True},
            {"description": "Stage deck"},  # no supplier: not the guard's
        ],
    )
    (warning,) = _warnings(empty_db, scene)
    assert warning.line_ids == (scene.lines["Chain hoists"],)
    assert warning.message == (
        "Supplier quote SP-2041 (SkyPoint Rigging) expired 31 Jan, and this quote is "
        "valid until 3 Mar: Chain hoists (add-on)."
    )


def test_accept_by_the_earliest_order_by_at_the_boundary_day(empty_db: Database) -> None:
    # Load-in 15 Mar − 12 days' lead = 3 Mar, the client quote's last day: the client can still accept.
    brightline = add_supplier(empty_db, "Brightline Video Rentals", 12)
    freight = add_supplier(empty_db, "RoadRunner Freight", 3)
    scene = supplied_estimate(
        empty_db,
        LOAD_IN,
        [
            {"description": "LED processors", "supplier_id": brightline},
            {"description": "Freight", "supplier_id": freight},
        ],
    )
    assert _warnings(empty_db, scene) == []
    # 13 days' lead (a quote's, over the supplier's 12): order by 2 Mar, a day before the quote ends.
    slower = add_quote_item(empty_db, brightline, "BL-88", None, lead_time_days=13)
    follow(empty_db, scene.lines["LED processors"], slower)
    assert _warnings(empty_db, scene) == [
        ValidityWarning(
            WarningKind.ACCEPT_BY,
            date(2027, 3, 2),
            (scene.lines["LED processors"],),
            "Accept by 2 Mar or LED processors cannot arrive by load-in (15 Mar); "
            "this quote is valid until 3 Mar.",
        )
    ]


def test_a_weekdays_only_supplier_counts_working_days(empty_db: Database) -> None:
    # 2 days' transit and 7 days' lead from Monday 15 Mar: every day → order by Sat 6 Mar (fine);
    # working days → leaves Thu 11 Mar, order by Tue 2 Mar (Wed 10, Tue 9, Mon 8, Fri 5, Thu 4,
    # Wed 3, Tue 2), a day before the client quote ends.
    every_day = add_supplier(empty_db, "Desert Staging Co.")
    weekdays = add_supplier(empty_db, "Apex Audio Rental", weekdays_only=True)
    daily_item = add_quote_item(empty_db, every_day, "DS-1", None, lead_time_days=7, transit_days=2)
    weekday_item = add_quote_item(empty_db, weekdays, "AX-1", None, lead_time_days=7, transit_days=2)
    scene = supplied_estimate(
        empty_db,
        LOAD_IN,
        [{"description": "Staging", "supplier_id": every_day, "supplier_quote_item_id": daily_item}],
    )
    assert _warnings(empty_db, scene) == []
    follow(empty_db, scene.lines["Staging"], weekday_item)
    (warning,) = _warnings(empty_db, scene)
    assert (warning.kind, warning.day) == (WarningKind.ACCEPT_BY, date(2027, 3, 2))
    assert warning.day == Timing(7, 2, weekdays_only=True).order_by(LOAD_IN)


def test_an_order_by_already_past_and_the_accept_by_of_the_rest(empty_db: Database) -> None:
    late = add_supplier(empty_db, "Far Away Trusses", 50)  # 15 Mar − 50 = 24 Jan: past on 1 Feb
    today = add_supplier(empty_db, "Today Rentals", 42)  # 15 Mar − 42 = 1 Feb: order today, not late
    scene = supplied_estimate(
        empty_db,
        LOAD_IN,
        [
            {"description": "Truss towers", "supplier_id": late},
            {"description": "Ground support", "supplier_id": today},
        ],
    )
    passed, accept = _warnings(empty_db, scene)
    assert passed == ValidityWarning(
        WarningKind.ORDER_BY_PASSED,
        date(2027, 1, 24),
        (scene.lines["Truss towers"],),
        "Too late to order already: these cannot arrive by load-in (15 Mar) at their suppliers' lead and "
        "transit times: Truss towers (order by 24 Jan).",
    )
    assert (accept.kind, accept.day, accept.line_ids) == (
        WarningKind.ACCEPT_BY,
        TODAY,
        (scene.lines["Ground support"],),
    )


def test_a_project_without_load_in_says_the_order_dates_cannot_be_checked(empty_db: Database) -> None:
    skypoint = add_supplier(empty_db, "SkyPoint Rigging", 14)
    short = add_quote_item(empty_db, skypoint, "SP-2041", date(2027, 2, 20))
    scene = supplied_estimate(
        empty_db, None, [{"description": "Motors", "supplier_id": skypoint, "supplier_quote_item_id": short}]
    )
    no_load_in, expires = _warnings(empty_db, scene)
    assert expires.kind is WarningKind.EXPIRES  # the quotes' own dates are still checked
    assert no_load_in == ValidityWarning(
        WarningKind.NO_LOAD_IN,
        None,
        (scene.lines["Motors"],),
        "The project has no load-in day, so when to order cannot be checked: Motors.",
    )


def test_a_quote_without_validity_outlasts_every_supplier_quote(empty_db: Database) -> None:
    skypoint = add_supplier(empty_db, "SkyPoint Rigging")
    far = add_quote_item(empty_db, skypoint, "SP-9", date(2030, 1, 1))
    scene = supplied_estimate(
        empty_db, LOAD_IN, [{"description": "Motors", "supplier_id": skypoint, "supplier_quote_item_id": far}]
    )
    accept, expires = _warnings(empty_db, scene, validity=None)
    assert expires.message == (
        "Supplier quote SP-9 (SkyPoint Rigging) expires 1 Jan 2030, and this quote "
        "states no valid-until day: Motors."
    )
    assert (accept.kind, accept.day) == (WarningKind.ACCEPT_BY, LOAD_IN)


def test_many_quotes_ending_first_make_one_question_of_bounded_length(empty_db: Database) -> None:
    supplier = add_supplier(empty_db, "Brightline Video Rentals", 60)  # order by 14 Jan: past already
    lines = []
    for n in range(8, 0, -1):  # ending 8 Feb … 1 Feb, made latest first
        item = add_quote_item(empty_db, supplier, f"BL-{n}", date(2027, 2, n))
        lines.append({"description": f"Item {n}", "supplier_id": supplier, "supplier_quote_item_id": item})
    scene = supplied_estimate(empty_db, LOAD_IN, lines)
    shown = confirm_lines(_warnings(empty_db, scene))
    assert len(shown) == WARNINGS_SHOWN + 1
    assert shown[0].startswith("Too late to order already")  # the timing first
    assert [line.split()[2] for line in shown[1:WARNINGS_SHOWN]] == ["BL-1", "BL-2", "BL-3", "BL-4", "BL-5"]
    assert shown[-1] == "And 3 more supplier quotes ending before this quote does."


def test_sending_reads_the_company_validity_and_the_stored_quotes(any_db: Database) -> None:
    skypoint = add_supplier(any_db, "SkyPoint Rigging")
    item = add_quote_item(any_db, skypoint, "SP-2041", date(2027, 3, 2))
    scene = supplied_estimate(
        any_db, LOAD_IN, [{"description": "Motors", "supplier_id": skypoint, "supplier_quote_item_id": item}]
    )
    doc = EstimateDocument(any_db, scene.estimate_id)
    # No company set up yet: quotes hold the default 30 days.
    assert [w.kind for w in send_warnings(any_db, doc, TODAY)] == [WarningKind.EXPIRES]
    assert send_warnings(any_db, doc, date(2027, 1, 31)) == []  # sent a day earlier: valid until 2 Mar
    set_up_company(any_db, {"name": "Northlight Productions", "quote_validity_days": 27})
    assert send_warnings(any_db, doc, TODAY) == []  # 27 days: valid until 28 Feb, SkyPoint's holds longer


def test_the_cost_sheet_orders_by_the_same_dates(empty_db: Database, tmp_path: Path) -> None:
    weekdays = add_supplier(empty_db, "Apex Audio Rental", 3, weekdays_only=True)
    skypoint = add_supplier(empty_db, "SkyPoint Rigging", 14)
    quoted = add_quote_item(empty_db, weekdays, "AX-1", None, lead_time_days=7, transit_days=2)
    scene = supplied_estimate(
        empty_db,
        LOAD_IN,
        [
            {"description": "Speakers", "supplier_id": weekdays, "supplier_quote_item_id": quoted},
            {"description": "Motors", "supplier_id": skypoint},
            {"description": "Motors, other", "supplier_id": skypoint, "alternative_group": "m"},
            {"description": "Motors, own", "alternative_group": "m", "alternative_chosen": True},
        ],
    )
    path = tmp_path / "costs.xlsx"
    export_cost_sheet(EstimateDocument(empty_db, scene.estimate_id), path)
    ws = load_workbook(path)["Supplier orders"]
    table = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert table[0] == [
        "Supplier",
        "Line (internal)",
        "Qty",
        "Unit",
        "Days",
        "Cost",
        "Lead time (days)",
        "Transit (days)",
        "Need by",
        "Order by",
    ]
    got = [(r[0], r[1], r[6], r[7], r[8].date(), r[9].date()) for r in table[1:-1]]
    assert got == [
        # The quote's times in working days: leaves Thu 11 Mar, order by Tue 2 Mar.
        ("Apex Audio Rental", "Speakers", 7, 2, date(2027, 3, 11), date(2027, 3, 2)),
        ("SkyPoint Rigging", "Motors", 14, 0, LOAD_IN, date(2027, 3, 1)),
    ]
    assert table[-1][0] == "Total ordered" and Decimal(str(table[1][5])) == Decimal("450.00")
