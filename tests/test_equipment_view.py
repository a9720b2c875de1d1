"""The production pane's equipment figures and the scenario comparison's, by hand.

The scene (tests/availability_scene.py), the Vantage week: 400 panels owned, 300 held by Orbital
keynote (won), 60 tentatively by Spring Gala (quoted): 400 − 300 − 60 = 40 free.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from app.services.equipment.estimate_view import EquipmentWatch
from app.services.estimate.document import Change, ChangeKind, EstimateDocument
from app.services.estimate.scenarios import EQUIPMENT_SHORT, SUBRENTAL_COST, compare_estimates
from app.services.storage.database import Database
from tests.availability_scene import add_rate, panel_scene, supplier, without_demo_stock

D = Decimal
PANELS = "500 mm LED panels, owned"


@pytest.fixture
def scene(demo_db: Database) -> dict[str, uuid.UUID]:
    return panel_scene(demo_db)


def _line(doc: EstimateDocument, description: str) -> uuid.UUID:
    return next(line.id for line in doc.lines() if line.description == description)


def _alternative(doc: EstimateDocument, panels: int) -> uuid.UUID:
    """The booth's panels made alternative "Wall" (chosen) and another of ``panels`` panels (not chosen)."""
    line = doc.line(_line(doc, PANELS))
    doc.set_line_fields(line.id, {"alternative_group": "Wall"})
    values = {
        **doc.blank_line_values(),
        "kind": "equipment",
        "description": f"{panels} panel wall",
        "quantity": D(panels),
        "days": D(4),
        "catalog_item_id": line.catalog_item_id,
        "alternative_group": "Wall",
    }
    return doc.add_line(line.section_id, values=values).id


def test_the_issue_example(demo_db: Database, scene: dict, full_booth_id: uuid.UUID) -> None:
    watch = EquipmentWatch(EstimateDocument(demo_db, full_booth_id))
    shown = watch.lines[_line(watch.doc, PANELS)]
    assert shown.cell() == "40 / 400" and shown.short
    assert watch.shortage_sentence() == "Short: 352 × 500 mm LED panel (292 if tentative holds are lost)"
    assert watch.if_chosen_sentences() == []


def test_an_alternative_counts_what_its_chosen_line_gives_back(
    demo_db: Database, scene: dict, full_booth_id: uuid.UUID
) -> None:
    add_rate(demo_db, scene["panel"], supplier(demo_db, "Brightline"), "20.00")
    doc = EstimateDocument(demo_db, full_booth_id)
    smaller, bigger = _alternative(doc, 200), _alternative(doc, 500)
    watch = EquipmentWatch(doc)
    # 200 instead of 392: 200 − 40 = 160 short, less than the 352 now: no shorter.
    small = watch.lines[smaller]
    assert not small.short and small.availability.short == 160 and small.if_chosen("USD") == ""
    assert small.tooltip("USD").startswith("If chosen, no shorter than now:\n200 needed:")
    # 500 instead of 392: 500 − 40 = 460 short, 460 − 352 = 108 more; 108 × 4 days × $20.00 = $8,640.00.
    big = watch.lines[bigger]
    assert big.short and big.added_short == 108 and big.subhire == D("8640.00")
    assert watch.if_chosen_sentences() == ["if chosen: short 108 more × 500 mm LED panel, sub-hire $8,640.00"]


def test_an_add_on_without_a_rate_says_so(demo_db: Database, scene: dict, full_booth_id: uuid.UUID) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    panels = doc.line(_line(doc, PANELS))
    doc.set_line_fields(panels.id, {"quantity": D(30)})  # 30 of the 40 free
    values = {
        **doc.blank_line_values(),
        "kind": "equipment",
        "description": "Spare panels",
        "quantity": D(16),
        "days": D(4),
        "catalog_item_id": panels.catalog_item_id,
        "optional": True,
    }
    spare = doc.add_line(panels.section_id, values=values).id
    watch = EquipmentWatch(doc)
    assert watch.shortage_sentence() == ""
    # 30 + 16 = 46 needed of 40 free: 6 short if chosen.
    assert watch.if_chosen_sentences() == ["if chosen: short 6 × 500 mm LED panel, no sub-rental rate"]
    assert watch.lines[spare].cell() == "40 / 400"


def test_changes_that_cannot_move_stock_leave_the_figures(
    demo_db: Database, scene: dict, full_booth_id: uuid.UUID
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    watch = EquipmentWatch(doc)
    crew = _line(doc, "Stagehands, load-in")
    assert not watch.follow(Change(ChangeKind.LINE_CHANGED, row_id=crew))
    assert watch.follow(Change(ChangeKind.LINE_CHANGED, row_id=_line(doc, PANELS)))
    assert not watch.follow(Change(ChangeKind.RESET, before=True))
    assert watch.follow(Change(ChangeKind.RESET))


def test_the_comparison_weighs_each_scenario_against_the_other_projects(
    demo_db: Database, scene: dict, full_booth_id: uuid.UUID, half_booth_id: uuid.UUID
) -> None:
    """Full booth 392 − 40 = 352 short, half booth 196 − 40 = 156 (each scenario alone: the other is
    the same project). Sub-rental cost: the processors' line (3 × 4 × $150.00 = $1,800.00, and
    2 × 4 × $150.00 = $1,200.00) plus the panels at $20.00 a day for 4 days: 352 × 80 = $28,160.00
    and 156 × 80 = $12,480.00."""
    add_rate(demo_db, scene["panel"], supplier(demo_db, "Brightline"), "20.00")
    comparison = compare_estimates(demo_db, [full_booth_id, half_booth_id])
    short, cost = comparison.equipment_rows()
    assert (short.name, cost.name) == (EQUIPMENT_SHORT, SUBRENTAL_COST)
    assert short.values == (D(352), D(156))
    assert cost.values == (D("1800.00") + D("28160.00"), D("1200.00") + D("12480.00"))
    assert cost.cell(1).delta == D("13680.00") - D("29960.00")
    assert cost.notes == ("", "")


def test_a_shortage_without_a_rate_is_named_not_priced(
    demo_db: Database, scene: dict, full_booth_id: uuid.UUID, half_booth_id: uuid.UUID
) -> None:
    _short, cost = compare_estimates(demo_db, [full_booth_id, half_booth_id]).equipment_rows()
    assert cost.values == (D("1800.00"), D("1200.00"))  # the sub-rental lines only
    assert cost.notes == ("No sub-rental rate for 500 mm LED panel: left out",) * 2


def test_no_stock_no_equipment_rows(
    demo_db: Database, full_booth_id: uuid.UUID, half_booth_id: uuid.UUID
) -> None:
    without_demo_stock(demo_db)
    assert compare_estimates(demo_db, [full_booth_id, half_booth_id]).equipment_rows() == ()


def test_the_comparison_figures_on_either_backend(any_demo_db: Database) -> None:
    """The same arithmetic as above, on SQLite and on PostgreSQL."""
    from tests.factories import estimate_id

    scene = panel_scene(any_demo_db)
    add_rate(any_demo_db, scene["panel"], supplier(any_demo_db, "Brightline"), "20.00")
    full, half = estimate_id(any_demo_db, "Full booth"), estimate_id(any_demo_db, "Half booth")
    short, cost = compare_estimates(any_demo_db, [full, half]).equipment_rows()
    assert short.values == (D(352), D(156))
    assert cost.values == (D("29960.00"), D("13680.00"))
