"""Send quote warns when a supplier quote the estimate is built on ends before the client quote.

The demo's booth is moved to load in 90 days from today, so no supplier's lead time is a concern,
and its motor line follows a SkyPoint quote valid 10 days: the 30-day client quote outlasts it.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from app.services.estimate import revisions
from app.services.storage.database import Database
from app.ui.main_window import MainWindow
from tests.factories import LINE_T, PROJECT_T, SECTION_T
from tests.guard_scene import QUOTE_T, add_quote_item, follow
from tests.gui.conftest import FakeDialogs, shown_window
from tests.gui.helpers import workspace

MOTORS = "Motor points, SkyPoint quote #SP-2291"
DATES = ("start_date", "show_start_date", "show_end_date", "end_date")


def _send_by_the_menu(window: MainWindow) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "E&stimate")
    next(a for a in menu.actions() if a.objectName() == "actionSendQuote").trigger()


@pytest.fixture
def guarded(qtbot: Any, demo_db: Database, full_booth_id: uuid.UUID, dialogs: FakeDialogs) -> MainWindow:
    today = date.today()
    with demo_db.write() as conn:
        booth = conn.execute(select(PROJECT_T).where(PROJECT_T.c.name == "Vantage @ MedTech Expo")).one()
        shift = today + timedelta(days=90) - booth.start_date
        conn.execute(
            update(PROJECT_T)
            .where(PROJECT_T.c.id == booth.id)
            .values(
                {name: getattr(booth, name) + shift for name in DATES if getattr(booth, name) is not None}
            )
        )
        motors = conn.execute(
            select(LINE_T)
            .join(SECTION_T, SECTION_T.c.id == LINE_T.c.section_id)
            .where(LINE_T.c.description == MOTORS, SECTION_T.c.estimate_id == full_booth_id)
        ).one()
        skypoint = motors.supplier_id
    item = add_quote_item(
        demo_db, skypoint, "SP-3001", today + timedelta(days=10), unit_cost=motors.unit_cost
    )
    follow(demo_db, motors.id, item)
    return shown_window(qtbot, demo_db, dialogs)


def test_send_quote_warns_on_an_expiring_supplier_quote(
    guarded: MainWindow, dialogs: FakeDialogs, demo_db: Database
) -> None:
    doc = workspace(guarded).doc
    assert doc.header.name == "Full booth"
    dialogs.confirm_answer = False  # told, the AM does not send
    _send_by_the_menu(guarded)
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("confirm", "Send quote")
    expires = date.today() + timedelta(days=10)
    assert f"Supplier quote SP-3001 (SkyPoint Rigging) expires {expires.day} {expires:%b}" in text
    assert MOTORS in text and text.endswith("Send it anyway?")
    assert not any(shown[0] == "ask_text" for shown in dialogs.shown)  # nothing asked after the No
    assert revisions.list_revisions(demo_db, doc.estimate_id) == []

    dialogs.confirm_answer = True  # sent anyway
    dialogs.answers.extend(["Dana Ortiz", "Rigging quote to renew"])
    _send_by_the_menu(guarded)
    assert [r.number for r in revisions.list_revisions(demo_db, doc.estimate_id)] == [1]

    # SkyPoint renews its quote to the client quote's last day: all is well, no question.
    with demo_db.write() as conn:
        conn.execute(
            update(QUOTE_T)
            .where(QUOTE_T.c.number == "SP-3001")
            .values(valid_until=date.today() + timedelta(days=30))
        )
    asked = sum(1 for shown in dialogs.shown if shown[0] == "confirm")
    dialogs.answers.extend(["Dana Ortiz", "Renewed"])
    _send_by_the_menu(guarded)
    assert sum(1 for shown in dialogs.shown if shown[0] == "confirm") == asked
    assert [r.number for r in revisions.list_revisions(demo_db, doc.estimate_id)] == [1, 2]
