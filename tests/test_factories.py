"""The test data builders themselves: right shape, priced like the document prices, and quick."""

from __future__ import annotations

import time
from collections import Counter
from decimal import Decimal

import pytest

from app.models.enums import LineKind
from app.services.estimate.document import EstimateDocument
from app.services.estimate.pricing import price_line
from app.services.storage.database import Database
from tests.factories import CREW_RULES, estimate_id, line_values, make_estimate, make_project


def test_make_estimate_shape(empty_db: Database) -> None:
    doc = EstimateDocument(empty_db, make_estimate(empty_db, lines=23, sections=5))
    assert [len(s.lines) for s in doc.sections] == [5, 5, 5, 4, 4]
    assert [s.name for s in doc.sections] == [f"Section {n}" for n in range(1, 6)]
    assert Counter(line.kind for line in doc.lines()) == {
        LineKind.EQUIPMENT: 4,
        LineKind.LABOUR: 4,
        LineKind.SUBRENTAL: 3,
        LineKind.SUPPLIER: 3,
        LineKind.PURCHASE: 3,
        LineKind.FREIGHT: 3,
        LineKind.FEE: 3,
    }
    assert sum(line.optional for line in doc.lines()) == 2  # lines 8 and 17
    assert sum(line.price.overridden for line in doc.lines()) == 1  # line 12
    assert doc.header.client_name == "Factory client"
    assert doc.lookups.rule_sets[doc.header.project_rule_set_id] == CREW_RULES  # type: ignore[index]


def test_factory_lines_price_as_the_document_does(empty_db: Database) -> None:
    doc = EstimateDocument(empty_db, make_estimate(empty_db, lines=30, sections=3))
    for n, line in enumerate(doc.lines()):
        assert line.description == line_values(n)["description"]
        assert line.price == price_line(line.terms(), CREW_RULES)
    labour = [line for line in doc.lines() if line.kind is LineKind.LABOUR]
    assert {line.hours for line in labour} == {3, 6, 10, 14}  # minimum call, straight, OT, DT
    expected = sum((line.price.price for line in doc.lines() if not line.optional), Decimal(0))
    assert doc.totals.subtotal == expected > 0


def test_estimates_share_a_project(empty_db: Database) -> None:
    project_id = make_project(empty_db, with_rules=False)
    a = make_estimate(empty_db, lines=2, sections=1, project_id=project_id, name="A")
    b = make_estimate(
        empty_db, lines=0, sections=0, project_id=project_id, name="B", tax_pct=Decimal(5)
    )
    doc_a, doc_b = EstimateDocument(empty_db, a), EstimateDocument(empty_db, b)
    assert doc_a.header.project_id == doc_b.header.project_id == project_id
    assert doc_a.header.project_rule_set_id is None
    assert (doc_b.line_count, doc_b.sections, doc_b.header.tax_pct) == (0, [], 5)
    assert estimate_id(empty_db, "B") == b
    with pytest.raises(LookupError, match="found 0"):
        estimate_id(empty_db, "C")


def test_five_thousand_lines_quickly(empty_db: Database) -> None:
    start = time.perf_counter()
    big = make_estimate(empty_db, lines=5000, sections=50)
    built = time.perf_counter() - start
    doc = EstimateDocument(empty_db, big)
    assert (doc.line_count, len(doc.sections)) == (5000, 50)
    assert all(len(s.lines) == 100 for s in doc.sections)
    assert built < 5, f"building 5,000 lines took {built:.1f} s"
