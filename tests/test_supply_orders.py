"""Orders prepared from a won project's chosen estimate (tests/orders_scene.py, figures by hand),
refreshed drafts, sent orders out of date after an edit, status moves and undo; SQLite and
PostgreSQL where storage is involved."""

from __future__ import annotations

import threading
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from sqlalchemy import select

from app.models.enums import LineKind, OrderKind, OrderStatus, ProjectStatus
from app.services.estimate.document import EstimateDocument
from app.services.excel.order_sheet import export_orders
from app.services.lookups import SupplierInfo
from app.services.storage.database import Database, open_database
from app.services.storage.versioned import EditConflict
from app.services.supply import order_status
from app.services.supply.order_content import COLUMNS, NOTE, order_contents
from app.services.supply.orders import (
    ORDER_LINE_T,
    ORDER_T,
    Prepared,
    load_orders,
    order_changes,
    plan_orders,
    prepare_orders,
    undo_prepare,
)
from app.services.supply.quote_items import QuoteInfo, QuoteItemInfo
from app.services.supply.timing import Timing
from app.services.values import InputError
from app.ui.supply.order_pdf import order_html
from tests.factories import PROJECT_T
from tests.orders_scene import LOAD_IN, TODAY, VENUE, OrdersScene, make_scene

D = Decimal
OS = OrderStatus


def _by_number(db: Database, scene: OrdersScene) -> dict[str, object]:
    return {o.number: o for o in load_orders(db, scene.project_id)}


def test_orders_from_two_suppliers_to_the_cent(any_db: Database) -> None:
    scene = make_scene(any_db)
    done = prepare_orders(any_db, scene.project_id, today=TODAY)
    assert done.made == ["PO-2027-0001", "PO-2027-0002", "PO-2027-0003", "PO-2027-0004"]
    orders = load_orders(any_db, scene.project_id)
    got = {(o.supplier_name, o.kind): o for o in orders}
    assert set(got) == {
        ("Brightline AV", OrderKind.SUBRENTAL),
        ("Brightline AV", OrderKind.PURCHASE),
        ("SkyPoint Rigging", OrderKind.SUBRENTAL),
        ("SkyPoint Rigging", OrderKind.PURCHASE),
    }
    lines = {
        key: [(ln.description, ln.quantity, ln.days, ln.unit_cost, ln.cost) for ln in o.lines]
        for key, o in got.items()
    }
    assert lines[("Brightline AV", OrderKind.SUBRENTAL)] == [("LED processor", 4, 3, D("35.00"), D("420.00"))]
    assert lines[("Brightline AV", OrderKind.PURCHASE)] == [("HDMI cable", 12, 1, D("8.75"), D("105.00"))]
    assert lines[("SkyPoint Rigging", OrderKind.SUBRENTAL)] == [
        ("Motors", 8, 3, D("42.50"), D("1020.00")),
        ("Truss towers (chosen)", 2, 3, D("60.00"), D("360.00")),
    ]
    assert lines[("SkyPoint Rigging", OrderKind.PURCHASE)] == [("Truss 3 m", 3, 1, D("33.335"), D("100.01"))]
    assert [o.total for o in orders] == [D("420.00"), D("105.00"), D("1380.00"), D("100.01")]
    # need-by = load-in (no transit); order-by 5 working days (Brightline), 10 calendar days (SkyPoint)
    assert {(o.supplier_name, o.need_by, o.order_by) for o in orders} == {
        ("Brightline AV", LOAD_IN, date(2027, 3, 1)),
        ("SkyPoint Rigging", LOAD_IN, date(2027, 2, 26)),
    }
    assert {(o.status, o.delivery_address, o.estimate_id) for o in orders} == {
        (OS.DRAFT, VENUE, scene.estimate_id)
    }


def test_sent_order_out_of_date_after_an_edit_drafts_follow(any_db: Database) -> None:
    scene = make_scene(any_db)
    prepare_orders(any_db, scene.project_id, today=TODAY)
    orders = _by_number(any_db, scene)
    motors = orders["PO-2027-0003"]
    order_status.move_order(any_db, motors.id, motors.version, OS.SENT)
    assert order_changes(any_db, scene.project_id) == {}
    doc = EstimateDocument(any_db, scene.estimate_id)
    doc.set_line_fields(scene.lines["Motors"], {"quantity": D(10)})
    doc.set_line_fields(scene.lines["HDMI cable"], {"quantity": D(20)})
    doc.set_line_fields(scene.lines["Spare motor"], {"optional": False})
    doc.delete_lines([scene.lines["Truss towers (chosen)"], scene.lines["LED processor"]])
    assert order_changes(any_db, scene.project_id) == {
        motors.id: [
            "Motors: quantity 8 → 10",
            "removed Truss towers (chosen) (2 ea)",
            "added Spare motor (1 ea)",
            "added Ground stacks (not chosen) (2 ea)",
        ]
    }  # the other alternative counts once the chosen one goes
    done = prepare_orders(any_db, scene.project_id, today=TODAY)
    assert (done.made, done.refreshed, done.left, done.dropped) == (
        [],
        ["PO-2027-0002"],
        ["PO-2027-0003"],
        ["PO-2027-0001"],
    )
    after = _by_number(any_db, scene)
    assert set(after) == {"PO-2027-0002", "PO-2027-0003", "PO-2027-0004"}
    assert [(ln.quantity, ln.cost) for ln in after["PO-2027-0002"].lines] == [(20, D("175.00"))]
    assert after["PO-2027-0003"].lines == motors.lines  # sent: as the supplier has it
    # Undone: the draft's lines as they were, the dropped draft back, one transaction.
    undo_prepare(any_db, done)
    back = _by_number(any_db, scene)
    assert set(back) == {"PO-2027-0001", "PO-2027-0002", "PO-2027-0003", "PO-2027-0004"}
    assert [(ln.quantity, ln.cost) for ln in back["PO-2027-0002"].lines] == [(12, D("105.00"))]
    assert back["PO-2027-0001"].lines == orders["PO-2027-0001"].lines


def test_preparing_again_without_change_writes_nothing_and_undo_of_new_orders(empty_db: Database) -> None:
    scene = make_scene(empty_db)
    first = prepare_orders(empty_db, scene.project_id, today=TODAY)
    versions = {o.id: o.version for o in load_orders(empty_db, scene.project_id)}
    again = prepare_orders(empty_db, scene.project_id, today=TODAY)
    assert (again.made, again.refreshed, again.dropped) == ([], [], [])
    assert {o.id: o.version for o in load_orders(empty_db, scene.project_id)} == versions
    undo_prepare(empty_db, first)
    assert load_orders(empty_db, scene.project_id) == []
    with empty_db.read() as conn:  # tombstones, lines kept for the record
        assert conn.execute(select(ORDER_T.c.id).where(ORDER_T.c.deleted_at.is_(None))).all() == []
        assert len(conn.execute(select(ORDER_LINE_T.c.id)).all()) == 5
    redo = prepare_orders(empty_db, scene.project_id, today=TODAY)
    assert redo.made == ["PO-2027-0001", "PO-2027-0002", "PO-2027-0003", "PO-2027-0004"]


@pytest.mark.parametrize("status", [ProjectStatus.QUOTED, ProjectStatus.DELIVERED])
def test_prepare_refuses_a_project_not_won(empty_db: Database, status: ProjectStatus) -> None:
    scene = make_scene(empty_db, status=status)
    with pytest.raises(
        InputError, match=f"won project or one in production; this one is {status.label.lower()}"
    ):
        prepare_orders(empty_db, scene.project_id, today=TODAY)
    assert load_orders(empty_db, scene.project_id) == []


def _receive(db: Database, order_id: uuid.UUID, version: int) -> int:
    """Sent, confirmed, received: the version it has then."""
    for target in (OS.SENT, OS.CONFIRMED, OS.RECEIVED):
        order_status.move_order(db, order_id, version, target)
        version += 1
    return version


def test_status_moves_refused_say_why_version_checked_undone(empty_db: Database) -> None:
    scene = make_scene(empty_db)
    prepare_orders(empty_db, scene.project_id, today=TODAY)
    orders = _by_number(empty_db, scene)
    purchase, rental = orders["PO-2027-0002"], orders["PO-2027-0001"]
    with pytest.raises(InputError, match=r"A draft order cannot be confirmed: it can be sent next\."):
        order_status.move_order(empty_db, purchase.id, purchase.version, OS.CONFIRMED)
    before = order_status.move_order(empty_db, purchase.id, purchase.version, OS.SENT)
    assert before == order_status.OrderState(OS.DRAFT, None)
    sent = _by_number(empty_db, scene)["PO-2027-0002"]
    assert sent.status is OS.SENT and sent.sent_at is not None
    with pytest.raises(EditConflict):  # as read before the send
        order_status.move_order(empty_db, purchase.id, purchase.version, OS.CONFIRMED)
    order_status.restore_order(empty_db, purchase.id, before)
    back = _by_number(empty_db, scene)["PO-2027-0002"]
    assert (back.status, back.sent_at) == (OS.DRAFT, None)
    version = _receive(empty_db, purchase.id, back.version)
    with pytest.raises(InputError, match="A purchase is not returned"):
        order_status.move_order(empty_db, purchase.id, version, OS.RETURNED)
    order_status.move_order(empty_db, purchase.id, version, OS.CLOSED)
    version = _receive(empty_db, rental.id, rental.version)
    with pytest.raises(InputError, match="A sub-rental is closed once it is returned"):
        order_status.move_order(empty_db, rental.id, version, OS.CLOSED)
    order_status.move_order(empty_db, rental.id, version, OS.RETURNED)
    order_status.move_order(empty_db, rental.id, version + 1, OS.CLOSED)
    with pytest.raises(InputError, match=r"A closed order cannot be sent: it is closed\."):
        order_status.move_order(empty_db, rental.id, version + 2, OS.SENT)
    # A closed order is no longer compared with the estimate.
    assert order_changes(empty_db, scene.project_id) == {}


def test_an_order_takes_its_lines_earliest_timing_quote_item_first() -> None:
    """A line following a quote item takes the quote's lead (7) and transit (2); the other line the
    supplier's lead (10) and no transit: need-by = min(6 Mar, 8 Mar), order-by = min(27 Feb, 26 Feb)."""
    sky = SupplierInfo(uuid.uuid4(), "SkyPoint Rigging", 10, False)
    quote = QuoteInfo(uuid.uuid4(), sky.id, sky.name, "SP-2041", None, None, Timing(7, 2, False))
    item = QuoteItemInfo(uuid.uuid4(), quote, "Motors", "ea", D("40.00"), None)

    def stub(description: str, quote_item: object) -> SimpleNamespace:
        return SimpleNamespace(
            id=uuid.uuid4(),
            supplier_id=sky.id,
            kind=LineKind.SUBRENTAL,
            description=description,
            quantity=D(2),
            unit="ea",
            days=D(1),
            unit_cost=D(40),
            price=SimpleNamespace(cost=D("80.00")),
            supplier_quote_item_id=quote_item,
        )

    following = stub("Motors", item.id)
    (order,) = plan_orders([following], {item.id: item}, {sky.id: sky}, LOAD_IN)
    assert (order.need_by, order.order_by) == (date(2027, 3, 6), date(2027, 2, 27))
    (order,) = plan_orders([following, stub("Truss", None)], {item.id: item}, {sky.id: sky}, LOAD_IN)
    assert (order.need_by, order.order_by) == (date(2027, 3, 6), date(2027, 2, 26))
    (order,) = plan_orders([following], {item.id: item}, {sky.id: sky}, None)
    assert (order.need_by, order.order_by) == (None, None)


def test_two_preparing_at_once_make_one_set_of_orders(any_db: Database, db_target: str) -> None:
    """Two Tandems press Prepare orders together: the second reads the first's drafts (the server's
    lock, SQLite's one writer), so there is one order per supplier and kind, numbered once."""
    scene = make_scene(any_db)
    other = open_database(db_target)
    start = threading.Barrier(2)
    done: list[Prepared] = []
    failed: list[BaseException] = []

    def prepare(db: Database) -> None:
        try:
            start.wait(timeout=30)
            done.append(prepare_orders(db, scene.project_id, today=TODAY))
        except BaseException as error:  # said by the test, not lost in the thread
            failed.append(error)

    try:
        threads = [threading.Thread(target=prepare, args=(db,)) for db in (any_db, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.close()
    assert failed == []
    assert sorted(len(d.made) for d in done) == [0, 4]
    assert [o.number for o in load_orders(any_db, scene.project_id)] == [
        "PO-2027-0001",
        "PO-2027-0002",
        "PO-2027-0003",
        "PO-2027-0004",
    ]


def test_the_exports_say_the_suppliers_cost_never_the_price(empty_db: Database, tmp_path: Path) -> None:
    """The Excel sheet and the PDF's text of an order: its heading, lines and total at cost; none
    of the client prices (40 % markup: 1,428.00 and 504.00 for the sub-rental lines)."""
    scene = make_scene(empty_db)
    prepare_orders(empty_db, scene.project_id, today=TODAY)
    order = load_orders(empty_db, scene.project_id)[2]
    (content,) = order_contents(empty_db, [order])
    assert content.title == "Sub-rental order PO-2027-0003"
    assert dict(content.rows) == {
        "To": "SkyPoint Rigging",
        "Project": "Vantage booth (Factory client)",
        "Deliver to": VENUE,
        "Needed by": "Mon 8 Mar 2027",
        "Order by": "Fri 26 Feb 2027",
        "Status": "Draft",
    }
    path = export_orders(empty_db, [order], tmp_path / "orders.xlsx")
    sheet = openpyxl.load_workbook(path)["PO-2027-0003"]
    rows = [[v for v in row if v is not None] for row in sheet.iter_rows(values_only=True)]
    header = rows.index(list(COLUMNS))
    assert rows[header + 1 : header + 4] == [
        ["Motors", 8, "ea", 3, 42.5, 1020],
        ["Truss towers (chosen)", 2, "ea", 3, 60, 360],
        ["Total", f"=SUM(F{header + 2}:F{header + 3})"],
    ]
    # The closing sentence spans the table (in column A alone it was cut off on paper).
    note = next(n for n, row in enumerate(sheet.iter_rows(values_only=True), 1) if row[0] == NOTE)
    assert f"A{note}:F{note}" in {str(r) for r in sheet.merged_cells.ranges}
    text = order_html(content)
    assert "1,020.00" in text and "360.00" in text and "1,380.00" in text
    everything = " ".join(str(v) for row in rows for v in row) + text
    for price in ("1428", "1,428.00", "504", "1,932.00", "Client:"):
        assert price not in everything


def test_a_moved_load_in_and_venue_put_a_sent_order_out_of_date(empty_db: Database) -> None:
    """Load-in moved to Sunday 7 March: Brightline works weekdays only, so its need-by is the
    Friday before, 5 March; the venue moved too."""
    scene = make_scene(empty_db)
    prepare_orders(empty_db, scene.project_id, today=TODAY)
    order = load_orders(empty_db, scene.project_id)[0]
    order_status.move_order(empty_db, order.id, order.version, OS.SENT)
    with empty_db.write() as conn:
        conn.execute(
            PROJECT_T.update()
            .where(PROJECT_T.c.id == scene.project_id)
            .values(start_date=date(2027, 3, 7), venue="Hall 5")
        )
    assert order_changes(empty_db, scene.project_id) == {
        order.id: ["need by 8 Mar 2027 → 5 Mar 2027", f"delivery address: {VENUE} → Hall 5"]
    }
