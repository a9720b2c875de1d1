"""Scenarios: duplicating an estimate as a what-if, and comparing estimates to the cent.

The tests that use ``db`` run on SQLite and on PostgreSQL (see ``any_db`` in conftest.py).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from app.models import Estimate, EstimateParameter, LineItem, QuoteRevision, Section
from app.models.types import utcnow
from app.services.estimate.document import EstimateDocument
from app.services.estimate.scenarios import (
    Comparison,
    Metric,
    compare_estimates,
    duplicate_estimate,
    suggest_scenario_name,
)
from app.services.storage.database import Database
from app.services.values import InputError
from tests.factories import estimate_id

D = Decimal
ESTIMATE_T = Estimate.__table__  # type: ignore[attr-defined]
PARAMETER_T = EstimateParameter.__table__  # type: ignore[attr-defined]
SECTION_T = Section.__table__  # type: ignore[attr-defined]
LINE_T = LineItem.__table__  # type: ignore[attr-defined]
QUOTE_T = QuoteRevision.__table__  # type: ignore[attr-defined]
BOOKKEEPING = {"id", "created_at", "updated_at", "version", "deleted_at"}


@pytest.fixture
def db(any_demo_db: Database) -> Database:
    return any_demo_db


@pytest.fixture
def full_id(db: Database) -> uuid.UUID:
    return estimate_id(db, "Full booth")


@pytest.fixture
def half_id(db: Database) -> uuid.UUID:
    return estimate_id(db, "Half booth")


def _rows(db: Database, table: Any, where: Any) -> list[Any]:
    with db.read() as conn:
        order = table.c.position if "position" in table.c else table.c.created_at
        return list(conn.execute(select(table).where(where).order_by(order, table.c.created_at)))


def _sections(db: Database, estimate: uuid.UUID) -> list[Any]:
    return _rows(db, SECTION_T, (SECTION_T.c.estimate_id == estimate) & SECTION_T.c.deleted_at.is_(None))


def _lines(db: Database, estimate: uuid.UUID) -> list[Any]:
    out = []
    for section in _sections(db, estimate):
        out += _rows(db, LINE_T, (LINE_T.c.section_id == section.id) & LINE_T.c.deleted_at.is_(None))
    return out


def _content(row: Any, *skip: str) -> dict[str, Any]:
    """A row's values without identity, bookkeeping and the named foreign keys."""
    return {k: v for k, v in row._mapping.items() if k not in BOOKKEEPING and k not in skip}


def _dress_full_booth(db: Database, full_id: uuid.UUID) -> dict[str, Any]:
    """Give the Full booth what a scenario copy must (and must not) carry along.

    Parameters with a formula, a formula quantity, a sent quote (number and revision),
    a deleted section and a deleted line.
    """
    now = utcnow()
    record = {"created_at": now - timedelta(days=3), "updated_at": now - timedelta(days=3), "version": 4,
              "deleted_at": None}
    # The demo's Full booth has five parameters (panels is a formula) and six formula lines;
    # add a deleted parameter, which must not be copied.
    params = [
        {**record, "id": uuid.uuid4(), "estimate_id": full_id, "position": 9, "name": "old_width_ft",
         "value": D(40), "formula": "", "unit": "ft", "description": "", "deleted_at": now},
    ]
    gone_section = {**record, "id": uuid.uuid4(), "estimate_id": full_id, "position": 9, "name": "Old idea",
                    "client_description": "", "optional": False, "deleted_at": now}
    with db.write() as conn:
        conn.execute(PARAMETER_T.insert(), params)
        conn.execute(SECTION_T.insert(), [gone_section])
        panels = conn.execute(select(LINE_T.c.id).where(LINE_T.c.description == "500 mm LED panels, owned")
                              .order_by(LINE_T.c.created_at)).scalars().first()
        conn.execute(update(LINE_T).where(LINE_T.c.id == panels).values(days_formula="rental_days + 0"))
        truss = conn.execute(select(LINE_T.c.id, LINE_T.c.section_id)
                             .where(LINE_T.c.description == "10 ft box truss, owned")).first()
        conn.execute(update(LINE_T).where(LINE_T.c.id == truss.id).values(deleted_at=now))
        conn.execute(update(ESTIMATE_T).where(ESTIMATE_T.c.id == full_id).values(quote_number="Q2027-0001"))
        conn.execute(QUOTE_T.insert(), [{**record, "id": uuid.uuid4(), "estimate_id": full_id, "number": 1,
                                         "sent_at": now, "sent_by": "Dana", "note": "", "total": D("95580"),
                                         "snapshot": "{}"}])
    return {"params": params, "deleted_truss": truss.id}


# -- duplicate_estimate --------------------------------------------------------------------------


def test_duplicate_copies_everything_with_new_ids(db: Database, full_id: uuid.UUID) -> None:
    dressed = _dress_full_booth(db, full_id)
    before = {t.name: _rows(db, t, t.c.id.isnot(None)) for t in (ESTIMATE_T, PARAMETER_T, SECTION_T, LINE_T)}
    start = utcnow()

    copy_id = duplicate_estimate(db, full_id, "  Half booth B  ")

    source, copy = (_rows(db, ESTIMATE_T, ESTIMATE_T.c.id == i)[0] for i in (full_id, copy_id))
    assert copy.name == "Half booth B"  # trimmed
    assert copy.based_on_id == full_id and copy.quote_number == "" and source.quote_number == "Q2027-0001"
    assert copy.version == 1 and copy.created_at >= start - timedelta(seconds=1)
    positions = [r.position for r in _rows(db, ESTIMATE_T, ESTIMATE_T.c.project_id == source.project_id)]
    assert copy.position == max(positions) and positions.count(copy.position) == 1
    assert _content(copy, "name", "based_on_id", "quote_number", "position") == \
        _content(source, "name", "based_on_id", "quote_number", "position")

    # Parameters, formulas included, under new ids.
    copied_params = _rows(db, PARAMETER_T, PARAMETER_T.c.estimate_id == copy_id)
    assert [_content(p, "estimate_id") for p in copied_params] == \
        [_content(p, "estimate_id") for p in _rows(db, PARAMETER_T, PARAMETER_T.c.estimate_id == full_id)
         if p.deleted_at is None]
    assert [p.name for p in copied_params] == [
        "screen_length_ft", "screen_height_ft", "panel_ft", "rental_days", "panels"]  # not old_width_ft
    assert copied_params[4].formula == "ceil(screen_length_ft / panel_ft) * ceil(screen_height_ft / panel_ft)"
    assert {p.id for p in copied_params}.isdisjoint(p["id"] for p in dressed["params"])

    # Sections and lines: the live ones, same content and positions, new ids, fresh bookkeeping.
    src_sections, new_sections = _sections(db, full_id), _sections(db, copy_id)
    assert [_content(s, "estimate_id") for s in new_sections] == \
        [_content(s, "estimate_id") for s in src_sections]
    assert "Old idea" not in [s.name for s in new_sections]
    src_lines, new_lines = _lines(db, full_id), _lines(db, copy_id)
    assert len(new_lines) == len(src_lines) == 10  # 11 less the deleted truss
    assert [_content(x, "section_id") for x in new_lines] == [_content(x, "section_id") for x in src_lines]
    assert {x.id for x in new_lines}.isdisjoint(x.id for x in before["lineitem"])
    assert {x.section_id for x in new_lines} == {s.id for s in new_sections}
    assert all(x.version == 1 and x.created_at >= start - timedelta(seconds=1) for x in new_lines)
    assert [x.quantity_formula for x in new_lines if x.quantity_formula] == [
        "panels", "ceil(panels / 260) + 1", "ceil(screen_length_ft / 10)",  # the truss line was deleted
        "ceil(panels / 50)", "ceil(panels / 50)"]
    assert new_lines[0].days_formula == "rental_days + 0"

    # No quote revision for the scenario; the source's rows are untouched.
    assert _rows(db, QUOTE_T, QUOTE_T.c.estimate_id == copy_id) == []
    after = {t.name: _rows(db, t, t.c.id.in_([r.id for r in before[t.name]]))
             for t in (ESTIMATE_T, PARAMETER_T, SECTION_T, LINE_T)}
    assert {k: sorted(map(tuple, v)) for k, v in after.items()} == \
        {k: sorted(map(tuple, v)) for k, v in before.items()}


def test_a_copy_prices_like_its_source_and_is_independent(db: Database, full_id: uuid.UUID) -> None:
    copy_id = duplicate_estimate(db, full_id, "Full booth, try 2")
    copy = EstimateDocument(db, copy_id)
    assert copy.totals.net == D("95580.00") and copy.totals.cost == D("55044.00")

    panels = next(x for x in copy.lines() if x.description == "500 mm LED panels, owned")
    copy.set_line_fields(panels.id, {"quantity": D(196), "quantity_formula": ""})

    original = EstimateDocument(db, full_id)
    assert next(x for x in original.lines() if x.description == panels.description).quantity == D(392)
    assert original.totals.net == D("95580.00")
    assert copy.totals.net == D("95580.00") - D(196) * 4 * D(35)  # 27,440.00 fewer panels' rental


@pytest.mark.parametrize(("name", "message"), [
    ("", "cannot be empty"),
    ("   ", "cannot be empty"),
    ("x" * 201, "at most 200 characters"),
    ("Half booth", "already has an estimate called “Half booth”"),
    ("half BOOTH ", "already has an estimate called"),
])
def test_duplicate_refuses_bad_names(db: Database, full_id: uuid.UUID, name: str, message: str) -> None:
    count = len(_rows(db, ESTIMATE_T, ESTIMATE_T.c.id.isnot(None)))
    with pytest.raises(InputError, match=message):
        duplicate_estimate(db, full_id, name)
    assert len(_rows(db, ESTIMATE_T, ESTIMATE_T.c.id.isnot(None))) == count  # nothing written


def test_a_deleted_estimate_frees_its_name(db: Database, full_id: uuid.UUID, half_id: uuid.UUID) -> None:
    with db.write() as conn:
        conn.execute(update(ESTIMATE_T).where(ESTIMATE_T.c.id == half_id).values(deleted_at=utcnow()))
    copy_id = duplicate_estimate(db, full_id, "Half booth")
    assert _rows(db, ESTIMATE_T, ESTIMATE_T.c.id == copy_id)[0].name == "Half booth"


def test_suggested_names_count_on(db: Database, full_id: uuid.UUID) -> None:
    assert suggest_scenario_name(db, full_id) == "Full booth (copy)"
    first = duplicate_estimate(db, full_id, suggest_scenario_name(db, full_id))
    assert suggest_scenario_name(db, full_id) == "Full booth (copy 2)"
    assert suggest_scenario_name(db, first) == "Full booth (copy 2)"  # not "(copy) (copy)"
    duplicate_estimate(db, first, suggest_scenario_name(db, first))
    assert suggest_scenario_name(db, full_id) == "Full booth (copy 3)"


# -- compare_estimates -----------------------------------------------------------------------------


def _money(comparison: Comparison, metric: Metric, scenario: int) -> dict[str, Decimal | None]:
    return {row.name: row.cell(metric, scenario).value for row in comparison.rows}


def test_full_booth_figures(db: Database, full_id: uuid.UUID, half_id: uuid.UUID) -> None:
    c = compare_estimates(db, [full_id, half_id])
    assert [s.name for s in c.scenarios] == ["Full booth", "Half booth"] and c.currency == "USD"
    assert _money(c, Metric.PRICE, 0) == {
        "LED screen": D("57400.00"), "Rigging": D("10600.00"), "Labour": D("21400.00"),
        "Logistics": D("2880.00"), "Management": D("3300.00"), "Total": D("95580.00"),
    }
    total = c.total.figures[0]
    assert total is not None
    assert (total.price, total.cost, total.margin) == (D("95580.00"), D("55044.00"), D("40536.00"))
    assert total.margin_pct is not None and round(total.margin_pct, 2) == D("42.41")
    # Labour: stagehands 8 × 10 + 8 × 6, riggers 2 × 10 + 2 × 6, LED techs 2 × 3 days × 10 h.
    assert total.hours == D(8 * 10 + 8 * 6 + 2 * 10 + 2 * 6 + 2 * 3 * 10) == D(220)
    assert total.crew_days == D(8 + 8 + 2 + 2 + 2 * 3) == D(26)
    assert c.row("Labour").cell(Metric.HOURS, 0).value == D(220)
    assert c.row("LED screen").cell(Metric.HOURS, 0).value == D(0)


def test_half_booth_figures_by_hand(db: Database, full_id: uuid.UUID, half_id: uuid.UUID) -> None:
    c = compare_estimates(db, [full_id, half_id])
    panels = D(196) * 4 * D("35.00")  # 27,440.00
    processors = D(2) * 4 * D("150.00") * D("1.40")  # 1,680.00
    motors = D(8) * D("450.00") * D("1.25")  # 4,500.00
    truss = D(8) * 4 * D("25.00")  # 800.00
    stagehand_day = 8 * D("85.00") + 2 * D("127.50")  # 935.00 a person for 10 h
    load_in, strike = 4 * stagehand_day, D(4) * 6 * D("85.00")  # 3,740.00, 2,040.00
    riggers = D(2) * (8 * D("105.00") + 2 * D("157.50")) + D(2) * 6 * D("105.00")  # 2,310.00 + 1,260.00
    led_techs = D(2) * 3 * (8 * D("95.00") + 2 * D("142.50"))  # 6,270.00
    truck, management = D("2400.00") * D("1.20"), D(30) * D("110.00")  # 2,880.00, 3,300.00
    expected = {
        "LED screen": panels + processors, "Rigging": motors + truss,
        "Labour": load_in + strike + riggers + led_techs, "Logistics": truck, "Management": management,
    }
    expected["Total"] = sum(expected.values(), D(0))
    assert expected == {"LED screen": D("29120.00"), "Rigging": D("5300.00"), "Labour": D("15620.00"),
                        "Logistics": D("2880.00"), "Management": D("3300.00"), "Total": D("56220.00")}
    assert _money(c, Metric.PRICE, 1) == expected

    cost = (D(196) * 4 * 18 + D(2) * 4 * 150  # LED screen 15,312.00
            + D(8) * 450 + D(8) * 4 * 15  # rigging 4,080.00
            + 4 * (8 * 55 + 2 * D("82.50")) + D(4) * 6 * 55  # stagehands 2,420.00 + 1,320.00
            + D("1430.00") + D("780.00") + D("2970.00")  # riggers and LED techs, unchanged
            + D(2400) + D(30) * 60)  # truck and management
    total = c.total.figures[1]
    assert total is not None and total.cost == cost == D("32512.00")
    assert total.hours == D(4 * 10 + 4 * 6 + 2 * 10 + 2 * 6 + 2 * 3 * 10) == D(156)
    assert total.crew_days == D(4 + 4 + 2 + 2 + 6) == D(18)


def test_cells_know_their_difference_from_the_baseline(
    db: Database, full_id: uuid.UUID, half_id: uuid.UUID
) -> None:
    c = compare_estimates(db, [full_id, half_id])
    price = c.total.cell(Metric.PRICE, 1)
    assert (price.value, price.baseline, price.delta, price.differs) == \
        (D("56220.00"), D("95580.00"), D("-39360.00"), True)
    assert not c.row("Logistics").differs() and c.row("Labour").differs(Metric.HOURS)
    assert not c.total.cell(Metric.PRICE, 0).differs  # the baseline against itself
    assert c.total.cell(Metric.CREW_DAYS, 1).delta == D(-8)


def test_lines_show_every_difference(db: Database, full_id: uuid.UUID, half_id: uuid.UUID) -> None:
    c = compare_estimates(db, [full_id, half_id])
    assert len(c.lines) == 11
    panels = c.line("LED screen", "500 mm LED panels, owned")
    assert [f.quantity for f in panels.figures if f] == [D(392), D(196)]
    assert [f.price for f in panels.figures if f] == [D("54880.00"), D("27440.00")]
    assert {(x.section, x.description) for x in c.differing_lines()} == {
        ("LED screen", "500 mm LED panels, owned"),
        ("LED screen", "LED processors, sub-rented from Brightline"),
        ("Rigging", "Motor points, SkyPoint quote #SP-2291"),
        ("Rigging", "10 ft box truss, owned"),
        ("Labour", "Stagehands, load-in"),
        ("Labour", "Stagehands, strike"),
    }


def test_sections_are_matched_by_name_and_newcomers_go_last(db: Database, full_id: uuid.UUID) -> None:
    copy_id = duplicate_estimate(db, full_id, "Lean")
    doc = EstimateDocument(db, copy_id)
    doc.delete_section(doc.sections[1].id)  # no rigging
    extra = doc.add_section("Audio", index=0)
    doc.add_line(extra.id, values={"description": "Speakers", "unit_cost": D(100), "markup_pct": D(50)})

    c = compare_estimates(db, [full_id, copy_id])
    assert [r.name for r in c.rows] == ["LED screen", "Rigging", "Labour", "Logistics", "Management",
                                        "Audio", "Total"]
    rigging, audio = c.row("Rigging"), c.row("Audio")
    assert rigging.figures[1] is None and rigging.cell(Metric.PRICE, 1).differs
    assert rigging.cell(Metric.PRICE, 1).delta is None
    assert audio.figures[0] is None and audio.cell(Metric.PRICE, 1).value == D("150.00")
    assert c.total.cell(Metric.PRICE, 1).delta == D("150.00") - D("10600.00")
    speakers = c.line("Audio", "Speakers")
    assert speakers.figures[0] is None and speakers.differs


def test_optional_lines_are_out_of_prices_and_labour(db: Database, full_id: uuid.UUID) -> None:
    copy_id = duplicate_estimate(db, full_id, "No techs")
    doc = EstimateDocument(db, copy_id)
    techs = next(x for x in doc.lines() if x.description.startswith("LED technicians"))
    doc.set_line_fields(techs.id, {"optional": True})

    total = compare_estimates(db, [copy_id]).total.figures[0]
    assert total is not None
    assert total.price == D("95580.00") - D("6270.00")
    assert (total.hours, total.crew_days) == (D(220 - 60), D(26 - 6))


def test_hour_and_day_units_count_as_labour(db: Database, full_id: uuid.UUID) -> None:
    copy_id = duplicate_estimate(db, full_id, "Units")
    doc = EstimateDocument(db, copy_id)
    labour = doc.sections[2]
    for line in list(labour.lines):
        doc.delete_line(line.id)
    doc.add_line(labour.id, values={"kind": "labour", "unit": "hrs", "quantity": D(3), "days": D(2),
                                    "unit_cost": D(10), "markup_pct": D(0)})
    doc.add_line(labour.id, values={"kind": "labour", "unit": "day", "quantity": D(5), "days": D(2),
                                    "unit_cost": D(10), "markup_pct": D(0)})
    row = compare_estimates(db, [copy_id]).row("Labour")
    assert row.cell(Metric.HOURS, 0).value == D(6) and row.cell(Metric.CREW_DAYS, 0).value == D(10)


def test_margin_percent_is_none_without_a_price(db: Database, full_id: uuid.UUID) -> None:
    copy_id = duplicate_estimate(db, full_id, "Empty")
    doc = EstimateDocument(db, copy_id)
    for section in list(doc.sections):
        doc.delete_section(section.id)
    c = compare_estimates(db, [full_id, copy_id])
    assert [r.name for r in c.rows][-1] == "Total"
    assert c.total.cell(Metric.MARGIN_PCT, 1).value is None
    assert c.total.cell(Metric.PRICE, 1).value == D(0)
