"""The estimate workspace driven as a user would: keys, clicks, undo, linked selection."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from app.services.estimate.document import EstimateDocument
from app.ui.estimate.client_model import ADDONS_TITLE
from tests.gui.helpers import cell, click_row, line_id, type_into_cell, workspace

pytestmark = pytest.mark.gui


def label(win, name: str) -> str:  # type: ignore[no-untyped-def]
    widget = win.findChild(QLabel, name)
    assert widget is not None, name
    return widget.text()


def test_demo_estimate_opens_with_example_totals(window) -> None:  # type: ignore[no-untyped-def]
    assert label(window, "clientTotal") == "$95,580.00"
    assert label(window, "clientSubtotal") == "$95,580.00"
    assert label(window, "productionTotalCost") == "$55,044.00"
    assert label(window, "productionTotalPrice") == "$95,580.00"
    assert label(window, "productionMargin") == "$40,536.00 (42.41 %)"
    client = workspace(window).client_pane.model
    sections = [
        (client.index(r, 0).data(Qt.ItemDataRole.DisplayRole).split(" — ")[0], client.index(r, 2).data())
        for r in range(client.rowCount())
    ]
    assert sections == [
        ("LED screen", "$57,400.00"), ("Rigging", "$10,600.00"), ("Labour", "$21,400.00"),
        ("Logistics", "$2,880.00"), ("Management", "$3,300.00"),
    ]


def test_typing_a_quantity_reprices_both_panes_and_undo_restores(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    panels = line_id(window, "500 mm LED panels, owned")
    type_into_cell(qtbot, ws.production_view, cell(window, panels, "quantity"), "400")
    # 8 more panels × 4 days × $35.00 list = $1,120.00 more for the client; cost 8 × 4 × $18 = $576.
    assert label(window, "clientTotal") == "$96,700.00"
    assert label(window, "productionTotalCost") == "$55,620.00"
    assert cell(window, panels, "quantity").data() == "400"
    client_line = ws.client_pane.model.index_for_id(panels, 2)
    assert client_line.data() == "$56,000.00"
    # Saved without a save step: a fresh load from the database sees it.
    assert EstimateDocument(ws.doc.db, ws.doc.estimate_id).line(panels).quantity == Decimal(400)

    qtbot.keyClick(ws.production_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert label(window, "clientTotal") == "$95,580.00"
    assert EstimateDocument(ws.doc.db, ws.doc.estimate_id).line(panels).quantity == Decimal(392)
    qtbot.keyClick(ws.production_view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert label(window, "clientTotal") == "$96,700.00"


@pytest.mark.parametrize(
    ("column", "typed", "message"),
    [
        ("quantity", "ten", "Quantity must be a number"),
        ("price", "-5", "Price cannot be negative"),
        ("markup_pct", "abc", "Markup must be a number"),
        ("days", "1.2.3", "Days must be a number"),
    ],
)
def test_bad_cell_input_shows_a_message_and_changes_nothing(  # type: ignore[no-untyped-def]
    qtbot, window, column, typed, message
) -> None:
    ws = workspace(window)
    processors = line_id(window, "LED processors, sub-rented from Brightline")
    before = cell(window, processors, column).data()
    type_into_cell(qtbot, ws.production_view, cell(window, processors, column), typed)
    note = ws.production_pane.cell_message
    assert note.isVisible()
    assert message in note.text()
    assert cell(window, processors, column).data() == before
    assert label(window, "clientTotal") == "$95,580.00"
    assert ws.editor.undo_stack.count() == 0
    reloaded = EstimateDocument(ws.doc.db, ws.doc.estimate_id).line(processors)
    assert reloaded.version == ws.doc.line(processors).version == 1


def test_price_override_is_shown_and_clearing_it_goes_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truck = line_id(window, "Truck, round trip, RoadRunner Freight")
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "price"), "3000")
    price = cell(window, truck, "price")
    assert price.data() == "$3,000.00"
    assert price.data(Qt.ItemDataRole.FontRole).bold()
    assert "$2,880.00" in price.data(Qt.ItemDataRole.ToolTipRole)
    assert label(window, "clientTotal") == "$95,700.00"  # 95,580 − 2,880 + 3,000
    type_into_cell(qtbot, ws.production_view, cell(window, truck, "price"), "")
    assert cell(window, truck, "price").data() == "$2,880.00"
    assert label(window, "clientTotal") == "$95,580.00"


def test_editing_markup_makes_it_the_price_basis(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truss = line_id(window, "10 ft box truss, owned")
    type_into_cell(qtbot, ws.production_view, cell(window, truss, "markup_pct"), "50")
    # cost 16 sticks × 4 days × $15 = $960; × 1.5 = $1,440 instead of the list $1,600.
    assert cell(window, truss, "price").data() == "$1,440.00"
    assert ws.doc.line(truss).price_basis.value == "markup"
    assert label(window, "clientTotal") == "$95,420.00"


def test_selecting_a_line_in_one_pane_selects_it_in_the_other(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    riggers = line_id(window, "Riggers, strike")
    click_row(qtbot, ws.production_view, cell(window, riggers, "description"))
    current = ws.client_view.currentIndex()
    assert ws.client_pane.model.id_at(current) == riggers
    assert current.data() == "Rigging crew, dismantle"

    rigging_section = ws.doc.sections[1]
    client_index = ws.client_pane.model.index_for_id(rigging_section.id)
    click_row(qtbot, ws.client_view, client_index)
    assert ws.current_id() == rigging_section.id


def test_optional_line_moves_to_add_ons_and_leaves_the_total(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    truck = line_id(window, "Truck, round trip, RoadRunner Freight")
    box = cell(window, truck, "optional")
    ws.production_view.scrollTo(box)
    rect = ws.production_view.visualRect(box)
    # The check box sits at the left of the cell.
    qtbot.mouseClick(ws.production_view.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.left() + 10, rect.center().y()))
    assert ws.doc.line(truck).optional
    assert label(window, "clientTotal") == "$92,700.00"  # 95,580 − 2,880
    assert label(window, "clientAddons") == "$2,880.00"
    model = ws.client_pane.model
    last = model.index(model.rowCount() - 1, 0)
    assert last.data() == ADDONS_TITLE
    assert model.index(0, 0, last).data() == "Transport to and from the venue"
    window.undo_action.trigger()
    assert not ws.doc.line(truck).optional
    assert label(window, "clientTotal") == "$95,580.00"


def test_discount_and_tax_are_edited_in_the_client_pane(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    discount = ws.client_pane.discount_edit
    discount.setFocus()
    discount.selectAll()
    qtbot.keyClicks(discount, "5")
    qtbot.keyClick(discount, Qt.Key.Key_Return)
    # 5 % of 95,580.00 = 4,779.00 → 90,801.00
    assert label(window, "clientDiscount") == "-$4,779.00"
    assert label(window, "clientTotal") == "$90,801.00"
    tax = ws.client_pane.tax_edit
    tax.setFocus()
    tax.selectAll()
    qtbot.keyClicks(tax, "abc")
    qtbot.keyClick(tax, Qt.Key.Key_Return)
    assert "Tax must be a number" in label(window, "clientFieldMessage")
    assert tax.text() == "0"
    assert label(window, "clientTotal") == "$90,801.00"
    window.undo_action.trigger()
    assert label(window, "clientTotal") == "$95,580.00"
    assert discount.text() == "0"


def test_target_margin_warning(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    warning = ws.production_pane.margin_warning
    assert not warning.isVisible()
    edit = ws.production_pane.target_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "45")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert warning.isVisible()
    assert "42.41 %" in warning.text() and "45.00 %" in warning.text()
    # The client pane never shows the margin or its warning.
    assert ws.client_pane.findChild(QLabel, "marginWarning") is None


def test_navigator_opens_another_estimate(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    nav = window.navigator
    view = nav.view
    half = nav.proxy.match(nav.proxy.index(0, 0), Qt.ItemDataRole.DisplayRole, "Half booth", 1,
                           Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)[0]
    click_row(qtbot, view, half)
    assert workspace(window).doc.header.name == "Half booth"
    assert label(window, "clientTotal") == "$56,220.00"
    assert window.windowTitle().startswith("Half booth")


def test_navigator_filter_narrows_the_tree(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    nav = window.navigator
    qtbot.keyClicks(nav.filter, "gala")
    assert nav.proxy.rowCount() == 1
    assert nav.proxy.index(0, 0).data() == "Harbor City Symphony"


def test_the_am_rewords_client_descriptions_in_the_client_pane(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = workspace(window)
    processors = line_id(window, "LED processors, sub-rented from Brightline")
    index = ws.client_pane.model.index_for_id(processors)
    assert index.data() == "Video processing and control"
    type_into_cell(qtbot, ws.client_view, index, "Media servers and processing")
    assert ws.client_pane.model.index_for_id(processors).data() == "Media servers and processing"
    assert ws.doc.line(processors).client_description == "Media servers and processing"
    assert ws.doc.line(processors).description == "LED processors, sub-rented from Brightline"
    section = ws.doc.sections[0]
    type_into_cell(qtbot, ws.client_view, ws.client_pane.model.index_for_id(section.id),
                   "The ribbon, all four sides")
    assert ws.client_pane.model.index_for_id(section.id).data() == "LED screen — The ribbon, all four sides"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert ws.client_pane.model.index_for_id(processors).data() == "Video processing and control"
    too_long = "x" * 501
    type_into_cell(qtbot, ws.client_view, ws.client_pane.model.index_for_id(processors), too_long)
    assert ws.client_pane.cell_message.isVisible()
    assert "at most 500 characters" in ws.client_pane.cell_message.text()
