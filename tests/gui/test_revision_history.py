"""The revision history dialog: pick two revisions, read what changed between them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from app.services.estimate.document import EstimateDocument, LineRow
from app.services.estimate.revision_diff import diff_snapshots
from app.services.estimate.revisions import send_quote, snapshot_of
from app.services.storage.database import Database
from app.ui.estimate.revision_history import DRAFT, TONE_ROLE, RevisionDiffModel, RevisionHistoryDialog

D = Decimal
PANELS = "500 mm LED panels, owned"
TRUCK = "Truck, round trip, RoadRunner Freight"


def _line(doc: EstimateDocument, description: str) -> LineRow:
    return next(line for line in doc.lines() if line.description == description)


@pytest.fixture
def doc(demo_db: Database, full_booth_id: Any) -> EstimateDocument:
    """Full booth sent twice: rev 1 as in EXAMPLE.md, rev 2 with 294 panels and 5 % off."""
    doc = EstimateDocument(demo_db, full_booth_id)
    send_quote(demo_db, doc, "Dana Ortiz", "Budget for the full ribbon")
    doc.set_line_fields(_line(doc, PANELS).id, {"quantity": D(294), "quantity_formula": ""})
    doc.set_estimate_fields({"discount_pct": D(5)})
    send_quote(demo_db, doc, "Dana Ortiz", "Three sides, 5 % off")
    return doc


@pytest.fixture
def dialog(qtbot: Any, demo_db: Database, doc: EstimateDocument) -> Any:
    dlg = RevisionHistoryDialog(demo_db, doc.estimate_id, doc)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    yield dlg
    dlg.close()


def _rows(model: RevisionDiffModel, parent: QModelIndex = QModelIndex()) -> list[tuple[str, ...]]:
    return [
        tuple(model.index(r, c, parent).data() for c in range(model.columnCount()))
        for r in range(model.rowCount(parent))
    ]


def _find(model: RevisionDiffModel, text: str, parent: QModelIndex = QModelIndex()) -> QModelIndex:
    """The first row (depth first) whose first column reads ``text``."""
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        if index.data() == text:
            return index
        found = _find(model, text, index)
        if found.isValid():
            return found
    return QModelIndex()


def test_lists_the_revisions_and_the_draft(dialog: Any) -> None:
    table = dialog.table
    assert table.rowCount() == 3
    assert [table.item(r, 0).text() for r in range(3)] == ["1", "2", "—"]
    assert [table.item(r, 3).text() for r in range(3)] == ["$95,580.00", "$77,767.00", "$77,767.00"]
    assert table.item(1, 4).text() == "Three sides, 5 % off"
    assert table.item(2, 1).text() == DRAFT
    assert "rev 3 (draft; rev 2 sent" in dialog.findChild(type(dialog.summary), "revisionStatus").text()
    # Defaults: the last sent revision against the draft, which has not changed since.
    assert dialog.from_combo.currentText().startswith("Rev 2")
    assert dialog.to_combo.currentText() == DRAFT
    assert _rows(dialog.model)[-1][0] == "No differences"


def test_picking_rev_1_to_rev_2_shows_the_changed_line_and_totals(qtbot: Any, dialog: Any) -> None:
    dialog.from_combo.setFocus()
    qtbot.keyClick(dialog.from_combo, Qt.Key.Key_Up)  # rev 2 → rev 1
    dialog.to_combo.setFocus()
    qtbot.keyClick(dialog.to_combo, Qt.Key.Key_Up)  # draft → rev 2
    assert dialog.from_combo.currentText().startswith("Rev 1")
    assert dialog.to_combo.currentText().startswith("Rev 2")
    model = dialog.model

    totals = _find(model, "Totals")
    assert totals.row() == 0  # totals first
    total_rows = {row[0]: row[1:] for row in _rows(model, totals)}
    assert total_rows["Total"] == ("$95,580.00", "$77,767.00", "-$17,813.00")
    assert total_rows["Discount"] == ("$0.00", "$4,093.00", "+$4,093.00")
    assert total_rows["Subtotal"] == ("$95,580.00", "$81,860.00", "-$13,720.00")

    changed = _find(model, "Changed lines (1)")
    assert changed.isValid()
    panels = model.index(0, 0, changed)
    assert _rows(model, changed) == [(PANELS, "$54,880.00", "$41,160.00", "-$13,720.00")]
    assert panels.data(TONE_ROLE) == "changed"
    assert _rows(model, panels) == [
        ("Quantity", "392", "294", ""),
        ("Quantity formula", "panels", "(empty)", ""),
        ("Line cost", "$28,224.00", "$21,168.00", ""),
        ("Line price", "$54,880.00", "$41,160.00", ""),
    ]
    assert _rows(model, _find(model, "Estimate terms")) == [("Discount", "0 %", "5 %", "")]
    assert not _find(model, "Added lines (1)").isValid()
    assert dialog.tree.isExpanded(panels)
    assert dialog.summary.text() == "Lines: 1 changed · 0 added · 0 removed. Total $77,767.00 (-$17,813.00)."


def test_draft_edits_show_added_removed_and_moved(qtbot: Any, demo_db: Database,
                                                  doc: EstimateDocument) -> None:
    doc.delete_line(_line(doc, TRUCK).id)
    doc.add_line(doc.sections[0].id, values={"description": "Spare panels", "quantity": D(8), "days": D(4),
                                             "unit_cost": D(18), "markup_pct": D(50)})
    doc.move_line(_line(doc, "Project management").id, doc.sections[2].id, 0)
    dlg = RevisionHistoryDialog(demo_db, doc.estimate_id, doc)
    qtbot.addWidget(dlg)
    dlg.show()
    model = dlg.model  # rev 2 → draft by default

    added = _find(model, "Spare panels")
    assert added.data(TONE_ROLE) == "added"
    assert isinstance(added.data(Qt.ItemDataRole.ForegroundRole), QBrush)
    assert added.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#1b7f3b"
    assert _rows(model, added.parent()) == [("Spare panels", "", "$864.00", "+$864.00")]
    removed = _find(model, TRUCK)
    assert removed.data(TONE_ROLE) == "removed"
    font = removed.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.strikeOut()
    assert removed.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"
    moved_line = _find(model, "Project management")
    assert _rows(model, moved_line) == [("Moved", "Management", "Labour", "")]
    assert moved_line.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#a35f00"
    dlg.close()


def test_model_passes_the_model_tester(qtmodeltester: Any, demo_db: Database, doc: EstimateDocument) -> None:
    before = snapshot_of(doc)
    doc.delete_line(_line(doc, TRUCK).id)
    doc.set_line_fields(_line(doc, "Riggers, strike").id, {"quantity": D(3)})
    doc.add_section("Scenic")
    model = RevisionDiffModel()
    model.set_diff(diff_snapshots(before, snapshot_of(doc)))
    assert [row[0] for row in _rows(model)] == ["Totals", "Sections (1)", "Removed lines (1)",
                                                 "Changed lines (1)"]
    qtmodeltester.check(model)
    model.set_diff(None)
    assert model.rowCount() == 0
    qtmodeltester.check(model)
