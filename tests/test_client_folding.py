"""What the client reads of a kit and of a sub-rental: a kit's components fold into the kit's line
(one line, its price the sum) unless the kit line shows its components; a sub-rental always folds
into the line whose shortage it covers (one item: the quantities and prices add up). The quote's
content (Excel quote, PDF, comparison export) and the total are the same to the cent."""

from __future__ import annotations

import uuid
from decimal import Decimal

from app.services.estimate.client_items import client_items
from app.services.estimate.document import EstimateDocument
from app.services.quote.content import quote_content
from app.services.storage.database import Database

D = Decimal


def _priced(description: str, kind: str, quantity: str, unit: str, price: str, **links: object) -> dict:
    return {
        "kind": kind,
        "description": description,
        "client_description": description,
        "quantity": D(quantity),
        "unit": unit,
        "days": D(1),
        "unit_cost": D(0),
        "price_basis": "unit_price",
        "unit_price": D(price),
        **links,
    }


def kit_section(doc: EstimateDocument) -> dict[str, uuid.UUID]:
    """A section "Screens": a kit line of 2 kits at 1,000.00 = 2,000.00; its components 20 panels at
    35.50 = 710.00 and a setup fee of 250.25; 4 more panels sub-rented at 35.50 = 142.00."""
    doc.set_estimate_fields({"contingency_pct": D(0)})
    section = doc.add_section("Screens", 0)
    kit = doc.add_line(section.id, None, _priced("LED wall kit", "equipment", "2", "kit", "1000"))
    panels, fee = doc.add_lines(
        section.id,
        None,
        [
            _priced("LED panels", "equipment", "20", "panel", "35.50", kit_line_id=kit.id),
            _priced("Wall setup", "fee", "1", "ea", "250.25", kit_line_id=kit.id),
        ],
    )
    extra = doc.add_line(
        section.id,
        None,
        _priced(
            "LED panels (sub-hire)",
            "subrental",
            "4",
            "panel",
            "35.50",
            subrental_of_id=panels.id,
            kit_line_id=kit.id,
        ),
    )
    return {"kit": kit.id, "panels": panels.id, "fee": fee.id, "extra": extra.id, "section": section.id}


def _screens(doc: EstimateDocument) -> list[tuple[str, Decimal, Decimal]]:
    section = next(s for s in quote_content(doc).sections if s.name == "Screens")
    return [(line.text, line.quantity, line.price) for line in section.lines]


def test_a_kit_is_one_line_priced_as_the_sum_of_its_lines(
    demo_db: Database, full_booth_id: uuid.UUID
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    total_before = doc.totals.total
    kit_section(doc)
    # 2,000.00 + 710.00 + 250.25 + 142.00 = 3,102.25: the kit's 2, not its panels, as the quantity
    assert _screens(doc) == [("LED wall kit", D(2), D("3102.25"))]
    content = quote_content(doc)
    assert content.sections[0].total == D("3102.25") == doc.totals.groups[doc.sections[0].id].price
    assert content.total == doc.totals.total > total_before
    assert content.line_count == doc.line_count  # the count of lines behind it, as before


def test_a_kit_showing_its_components_lists_them_with_the_sub_rental_in_its_line(
    demo_db: Database, full_booth_id: uuid.UUID
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    ids = kit_section(doc)
    doc.set_line_fields(ids["kit"], {"shows_components": True})
    # The panels take their sub-rental: 20 + 4 = 24 panels, 710.00 + 142.00 = 852.00.
    assert _screens(doc) == [
        ("LED wall kit", D(2), D("2000.00")),
        ("LED panels", D(24), D("852.00")),
        ("Wall setup", D(1), D("250.25")),
    ]
    line = next(s for s in quote_content(doc).sections if s.name == "Screens").lines[1]
    assert line.unit_price == D("35.5")  # 852.00 / 24: the sub-hired panels cost the client the same


def test_a_line_counted_differently_or_elsewhere_does_not_fold(
    demo_db: Database, full_booth_id: uuid.UUID
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    ids = kit_section(doc)
    doc.set_line_fields(ids["fee"], {"optional": True})  # an add-on now: apart, as any add-on
    assert _screens(doc) == [("LED wall kit", D(2), D("2852.00"))]
    assert [(a.text, a.price) for a in quote_content(doc).addons] == [("Wall setup", D("250.25"))]
    doc.move_line(ids["extra"], doc.sections[1].id, 0)  # the sub-rental in another section shows there
    assert _screens(doc) == [("LED wall kit", D(2), D("2710.00"))]
    moved = quote_content(doc).sections[1].lines[0]
    assert (moved.text, moved.quantity, moved.price) == ("LED panels (sub-hire)", D(4), D("142.00"))


def test_links_in_a_loop_or_to_a_deleted_line_fold_nothing(
    demo_db: Database, full_booth_id: uuid.UUID
) -> None:
    doc = EstimateDocument(demo_db, full_booth_id)
    ids = kit_section(doc)
    doc.set_line_fields(ids["kit"], {"kit_line_id": ids["panels"]})  # kit ⇄ panels
    texts = [item.line.description for item in client_items(doc, doc.section(ids["section"]).lines)]
    assert texts == ["LED wall kit", "LED panels", "Wall setup", "LED panels (sub-hire)"]
    doc.set_line_fields(ids["kit"], {"kit_line_id": None})
    doc.delete_line(ids["kit"])
    assert _screens(doc) == [("LED panels", D(24), D("852.00")), ("Wall setup", D(1), D("250.25"))]
