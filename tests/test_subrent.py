"""Sub-rent the shortage: a short line split into the owned part and a sub-rental line for exactly
the missing quantity, to the cent, in one transaction, undone exactly; the supplier picker's order;
project-wide and company-wide shortage lists.

The scene (tests/equipment_scene.py): 400 panels owned, Orbital keynote (won) holds 300 over
10–14 March 2027, our Vantage booth needs 392 over 12–13 March: free 400 − 300 = 100, short 292.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app.models import LineItem
from app.models.enums import LineKind
from app.services.equipment.availability import estimate_availability, hold_index
from app.services.equipment.rates import load_rates
from app.services.equipment.shortages import company_shortages, estimate_shortages
from app.services.equipment.subrent import (
    OTHER,
    RATE,
    SUPPLIES,
    apply_subrental,
    plan_subrental,
    revert_subrental,
    supplier_choices,
)
from app.services.estimate.document import LINE_COLUMNS, EditConflict, EstimateDocument, LineRow
from app.services.quote.content import quote_content
from app.services.storage.database import Database
from app.services.values import InputError
from tests import equipment_scene
from tests.equipment_scene import D, Scene, panel_line, set_project

_L = LineItem.__table__  # type: ignore[attr-defined]


def _zeta(scene: Scene) -> object:
    with scene.db.read() as conn:
        item = hold_index(scene.db).stock[scene.stock]
        return supplier_choices(conn, item, load_rates(conn).get(scene.stock, []))[0]


def _open(scene: Scene, quantity: str = "392", **extra: object) -> tuple[EstimateDocument, uuid.UUID]:
    doc = EstimateDocument(scene.db, scene.ours)
    line = doc.add_line(doc.sections[0].id, None, panel_line(scene.panel, quantity, **extra))
    return doc, line.id


def _columns(line: LineRow) -> tuple[object, ...]:
    return (*(getattr(line, name) for name in LINE_COLUMNS), line.priced)


def _stored(db: Database, line_id: uuid.UUID) -> dict[str, object]:
    with db.read() as conn:
        return dict(conn.execute(select(_L).where(_L.c.id == line_id)).one()._mapping)


@pytest.fixture
def scene(any_db: Database) -> Scene:
    built = equipment_scene.build(any_db)
    equipment_scene.suppliers(any_db, built.stock)
    return built


def test_the_shortage_is_sub_rented_to_the_cent_and_undone_exactly(scene: Scene) -> None:
    doc, line_id = _open(scene)
    short = estimate_availability(hold_index(scene.db), doc).lines[line_id]
    assert (short.free, short.short) == (400 - 300, 392 - 100)
    before_line = _columns(doc.line(line_id))
    before_total = doc.totals.total
    # 392 × 3 days × $12.37 = $14,547.12 cost; × 1.33 = $19,347.6696 → $19,347.67.
    assert doc.line(line_id).price.price == D("19347.67")
    before_quote = quote_content(doc)
    supplier = _zeta(scene)
    plan = plan_subrental(doc, line_id, short.short, supplier, D("9.85"))
    new_id = uuid.uuid4()
    old = apply_subrental(doc, plan, new_id)

    owned, sub = doc.line(line_id), doc.line(new_id)
    assert (owned.quantity, sub.quantity) == (100, 292)
    # The owned part: 100 × 3 × $12.37 = $3,711.00 × 1.33 = $4,935.63 (its basis, its share).
    assert owned.price.price == D("4935.63") and not owned.price.overridden
    # The sub-rental: the rest of the price, $19,347.67 − $4,935.63 = $14,412.04, overridden;
    # its cost 292 × 3 days × $9.85 = $8,628.60 at Zeta's day rate.
    assert sub.price.price == D("14412.04") and sub.price.overridden
    assert sub.price.cost == D("8628.60") == plan.cost
    assert owned.price.price + sub.price.price == D("19347.67")
    assert doc.totals.total == before_total
    assert (sub.kind, sub.supplier_id, sub.client_description, sub.days) == (
        LineKind.SUBRENTAL,
        supplier.id,
        "LED video wall",
        D(3),
    )
    assert doc.locate(new_id) == (0, doc.locate(line_id)[1] + 1)  # right after the line
    stored = _stored(scene.db, new_id)
    assert stored["subrental_of_id"] == line_id and stored["kind"] == "subrental"
    # The client reads the line's own wording, never the supplier, at the same price (one line or
    # two, as the quote folds a sub-rental into its line or not).
    quote = quote_content(doc)
    assert quote.total == before_quote.total
    shown = [line for section in quote.sections for line in section.lines]
    assert {line.text for line in shown} == {"LED video wall"}
    assert sum(line.price for line in shown) == D("19347.67")
    assert "Zeta" not in repr(quote) and "sub-rental" not in repr(quote).lower()
    # Not short any more: the owned part needs what is free, the sub-rental holds no stock.
    assert estimate_availability(hold_index(scene.db), doc).shortages == []

    revert_subrental(doc, plan, old, new_id)
    assert not doc.has_line(new_id)
    assert _columns(doc.line(line_id)) == before_line  # every column and the price as they were
    assert _stored(scene.db, new_id)["deleted_at"] is not None
    assert _stored(scene.db, line_id)["quantity"] == D(392)
    assert doc.totals.total == before_total

    apply_subrental(doc, plan, new_id, restore=True)  # redo: the same row back
    assert doc.line(new_id).price.price == D("14412.04")
    assert doc.line(line_id).quantity == 100
    reopened = EstimateDocument(scene.db, scene.ours)
    assert reopened.totals.total == before_total
    assert [line.quantity for line in reopened.lines()] == [100, 292]


def test_an_overridden_price_is_shared_to_the_cent(scene: Scene) -> None:
    doc, line_id = _open(scene, price_override=D("20000.01"))
    plan = plan_subrental(doc, line_id, D(292), _zeta(scene), D("9.85"))
    apply_subrental(doc, plan, uuid.uuid4())
    owned = doc.line(line_id)
    # $20,000.01 × 100 / 392 = $5,102.0434 → $5,102.04; the sub-rental $20,000.01 − $5,102.04.
    assert owned.price_override == D("5102.04")
    assert plan.price == D("14897.97") == D("20000.01") - D("5102.04")
    assert doc.totals.subtotal == D("20000.01")


def test_a_formula_quantity_keeps_its_formula_less_the_sub_rental(scene: Scene) -> None:
    doc = EstimateDocument(scene.db, scene.ours)
    doc.add_parameter("panels", D(392))
    line = doc.add_line(doc.sections[0].id, None, panel_line(scene.panel, "392", quantity_formula="panels"))
    apply_subrental(doc, plan_subrental(doc, line.id, D(292), _zeta(scene), D("9.85")), uuid.uuid4())
    assert (line.quantity_formula, line.quantity) == ("(panels) - 292", 100)
    doc.set_parameter_fields(doc.parameters[0].id, {"value": D(400)})
    assert doc.line(line.id).quantity == 400 - 292


def test_the_sub_rental_runs_the_lines_days_formula_too(scene: Scene) -> None:
    doc = EstimateDocument(scene.db, scene.ours)
    days = doc.add_parameter("rental_days", D(3))
    line = doc.add_line(doc.sections[0].id, None, panel_line(scene.panel, "392", days_formula="rental_days"))
    new_id = uuid.uuid4()
    apply_subrental(doc, plan_subrental(doc, line.id, D(292), _zeta(scene), D("9.85")), new_id)
    sub = doc.line(new_id)
    assert (sub.days_formula, sub.days) == ("rental_days", 3)
    doc.set_parameter_fields(days.id, {"value": D(4)})
    assert (doc.line(line.id).days, doc.line(new_id).days) == (4, 4)
    # Its cost follows (292 × 4 × $9.85 = $11,504.80); its price is the split's, fixed (an override).
    assert doc.line(new_id).price.cost == D("11504.80") and doc.line(new_id).price.price == D("14412.04")


def test_a_split_that_fails_half_way_writes_nothing(scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    doc, line_id = _open(scene)
    before = _stored(scene.db, line_id)
    plan = plan_subrental(doc, line_id, D(292), _zeta(scene), D("9.85"))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(doc, "add_lines", broken)
    with pytest.raises(RuntimeError):
        apply_subrental(doc, plan, uuid.uuid4())
    assert _stored(scene.db, line_id) == before  # the owned part's change was rolled back
    assert doc.line(line_id).quantity == 392 and doc.line_count == 1  # and memory reloaded


def test_a_line_someone_else_changed_is_not_split(scene: Scene) -> None:
    doc, line_id = _open(scene)
    plan = plan_subrental(doc, line_id, D(292), _zeta(scene), D("9.85"))
    with scene.db.write() as conn:  # another user: 380 panels now
        conn.execute(_L.update().where(_L.c.id == line_id).values(quantity=D(380), version=_L.c.version + 1))
    new_id = uuid.uuid4()
    with pytest.raises(EditConflict):
        apply_subrental(doc, plan, new_id)
    assert _stored(scene.db, line_id)["quantity"] == D(380)  # theirs kept
    with scene.db.read() as conn:
        assert conn.execute(select(_L.c.id).where(_L.c.id == new_id)).first() is None  # nothing added
    assert doc.line(line_id).quantity == 380 and doc.line_count == 1  # reloaded: theirs shown


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quantity": D(393)}, "Sub-rent between 1 and 392"),
        ({"quantity": D(0)}, "Sub-rent between 1 and 392"),
        ({"day_cost": D(-1)}, "negative"),
        ({"line": {"kind": "labour"}}, "not an equipment line"),
        ({"line": {"optional": True}}, "add-on"),
        ({"line": {"alternative_group": "A", "alternative_chosen": True}}, "alternatives"),
    ],
)
def test_refused_with_one_line_and_nothing_changed(scene: Scene, change: dict, message: str) -> None:
    doc, line_id = _open(scene, **change.get("line", {}))
    before = _stored(scene.db, line_id)
    with pytest.raises(InputError, match=message):
        plan_subrental(
            doc, line_id, change.get("quantity", D(292)), _zeta(scene), change.get("day_cost", D(1))
        )
    assert _stored(scene.db, line_id) == before and doc.line_count == 1


def test_suppliers_with_a_rate_first_then_those_who_supply_the_category_then_a_to_z(scene: Scene) -> None:
    with scene.db.read() as conn:
        item = hold_index(scene.db).stock[scene.stock]
        choices = supplier_choices(conn, item, load_rates(conn).get(scene.stock, []))
    assert [(c.name, c.why, c.day_cost) for c in choices] == [
        ("Zeta Rentals", RATE, D("9.85")),  # its cheapest of two rates; Gone is deleted
        ("Alpha AV", RATE, D(11)),
        ("Beta Video", SUPPLIES, None),  # "Video, led panels" mentions LED
        ("Aardvark", OTHER, None),
        ("Mu Staging", OTHER, None),
    ]
    assert choices[0].label("USD") == "Zeta Rentals — $9.85 a day"


def test_shortage_lists_follow_the_holds_and_a_lost_job_releases(scene: Scene) -> None:
    doc, _ = _open(scene)
    listed = estimate_shortages(hold_index(scene.db), doc)
    assert [(s.item_name, s.project_name, s.short, s.hold) for s in listed] == [
        ("500 mm LED panel", "Vantage booth", "292", "not held yet")
    ]
    assert company_shortages(hold_index(scene.db)) == []  # a lead holds nothing: Orbital has its 300

    set_project(scene.db, scene.ours_project, status="quoted")  # ours holds 392 tentatively now
    both = company_shortages(hold_index(scene.db))
    # Orbital (10–14 March) needs 300 of 400 − 392 = 8 free: short 292, none if ours is lost;
    # Vantage (12–13 March) needs 392 of 400 − 300 = 100 free: short 292 either way.
    assert [(s.project_name, s.short, s.hold, str(s.first)) for s in both] == [
        ("Orbital keynote", "292 (none if tentative holds are lost)", "confirmed", "2027-03-10"),
        ("Vantage booth", "292", "tentative", "2027-03-12"),
    ]
    set_project(scene.db, scene.theirs_project, status="lost")
    assert company_shortages(hold_index(scene.db)) == []
    assert estimate_shortages(hold_index(scene.db), doc) == []
