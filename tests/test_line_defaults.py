"""A new crew call falls on its phase's day of the project, and reads to the client by its phase."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.models.enums import LineKind
from app.services import master_data
from app.services.estimate.document import EstimateDocument
from app.services.projects.details import PROJECTS
from app.services.storage.database import Database
from tests.factories import estimate_id as estimate_named

LOAD_IN, SHOW, STRIKE = date(2027, 5, 18), date(2027, 5, 19), date(2027, 5, 20)


def _keynote(db: Database) -> EstimateDocument:
    """The demo's Orbital keynote (load-in 18 May, strike 20 May) with its show on the 19th."""
    doc = EstimateDocument(db, estimate_named(db, "Keynote package"))
    row = master_data.load_one(db, PROJECTS, doc.header.project_id)
    master_data.save_edit(db, PROJECTS, row, "show_start_date", SHOW)
    master_data.save_edit(db, PROJECTS, row, "show_end_date", SHOW)
    doc.reload()
    return doc


def _call(doc: EstimateDocument, phase: str, **values: object) -> object:
    return doc.add_line(
        doc.sections[0].id,
        values={
            "kind": LineKind.LABOUR.value,
            "description": "Hands",
            "phase": phase,
            "quantity": Decimal(4),
            **values,
        },
    )


def test_a_new_call_takes_its_phases_day(demo_db: Database) -> None:
    doc = _keynote(demo_db)
    assert [_call(doc, p).call_date for p in ("load_in", "show", "strike")] == [LOAD_IN, SHOW, STRIKE]
    assert _call(doc, "strike", call_date=date(2027, 5, 21)).call_date == date(2027, 5, 21)  # typed: kept
    equipment = doc.add_line(doc.sections[0].id, values={"kind": LineKind.EQUIPMENT.value})
    assert equipment.call_date is None


def test_changing_the_phase_moves_an_undated_or_defaulted_call(demo_db: Database) -> None:
    doc = _keynote(demo_db)
    line = _call(doc, "load_in")
    doc.set_line_fields(line.id, doc.parse_line_edit(line.id, "phase", "Strike"))  # type: ignore[attr-defined]
    assert line.call_date == STRIKE  # type: ignore[attr-defined]
    doc.set_line_fields(line.id, {"call_date": date(2027, 5, 17)})  # type: ignore[attr-defined]
    changes = doc.parse_line_edit(line.id, "phase", "show")  # type: ignore[attr-defined]
    assert changes == {"phase": "show"}  # a date the AM set stays


def test_the_client_reads_a_call_by_its_phase_unless_the_am_typed_it(demo_db: Database) -> None:
    doc = _keynote(demo_db)
    texts = [doc.client_text(_call(doc, p)) for p in ("load_in", "show", "strike", "")]  # type: ignore[arg-type]
    assert texts == ["Installation crew", "Show crew", "Dismantle crew", "Installation labour"]
    typed = _call(doc, "strike", client_description="Strike and load-out crew")
    assert doc.client_text(typed) == "Strike and load-out crew"  # type: ignore[arg-type]
