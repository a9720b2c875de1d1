"""The file name every export proposes: quote number, revision, client and project, safe on every system."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.estimate.document import EstimateDocument
from app.services.estimate.file_names import (
    MAX_STEM,
    comparison_file_name,
    estimate_file_name,
    export_file_name,
    safe_file_name,
)
from app.services.estimate.revisions import send_quote
from app.services.storage.database import Database

UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\.|$)", re.IGNORECASE)


def name(**kwargs: object) -> str:
    values: dict[str, object] = dict(
        quote_number="Q2026-0001",
        revision=2,
        draft=False,
        client="Vantage Medical",
        project="Vantage @ MedTech Expo",
        estimate="Full booth",
    )
    values.update(kwargs)
    return export_file_name(**values)  # type: ignore[arg-type]


def test_the_quote_the_cost_sheet_and_a_pdf_are_named_alike() -> None:
    assert name() == "Q2026-0001 rev 2 – Vantage @ MedTech Expo.xlsx"
    assert name(what="cost sheet") == "Q2026-0001 rev 2 – Vantage @ MedTech Expo – cost sheet.xlsx"
    assert name(suffix=".pdf") == "Q2026-0001 rev 2 – Vantage @ MedTech Expo.pdf"
    assert name(revision=3, draft=True) == "Q2026-0001 rev 3 draft – Vantage @ MedTech Expo.xlsx"
    # The client leads when the project's name does not already say who it is for.
    assert (
        name(client="Maple Events", project="Spring Gala")
        == "Q2026-0001 rev 2 – Maple Events – Spring Gala.xlsx"
    )


def test_an_estimate_without_a_quote_number_is_named_by_the_estimate() -> None:
    assert (
        name(quote_number="", revision=None, draft=True, estimate="Half booth")
        == "Vantage @ MedTech Expo – Half booth – quote draft.xlsx"
    )
    assert (
        name(quote_number="", revision=None, draft=True, what="cost sheet")
        == "Vantage @ MedTech Expo – Full booth – cost sheet.xlsx"
    )
    assert (
        name(quote_number="", revision=None, draft=True, client="", project="", estimate="")
        == "quote draft.xlsx"
    )
    assert (
        comparison_file_name("Vantage Medical", "Vantage @ MedTech Expo")
        == "Vantage @ MedTech Expo – options compared.xlsx"
    )


def test_characters_no_system_accepts_are_replaced_and_the_name_is_bounded() -> None:
    got = name(client='A/B: "Events" <Ltd>', project="Gala | 2027?\nNight*\t", quote_number="Q2026/7")
    assert got == "Q2026-7 rev 2 – A-B- -Events- -Ltd- – Gala - 2027- Night-.xlsx"
    assert safe_file_name("CON", ".xlsx") == "_CON.xlsx"  # a name Windows reserves
    assert safe_file_name("  trailing dots... ", ".pdf") == "trailing dots.pdf"
    assert safe_file_name("", ".xlsx") == "Tandem export.xlsx"
    long = name(client="C" * 300, project="P " * 300, estimate="E" * 300, what="cost sheet")
    assert long.endswith(" – cost sheet.xlsx") and len(long) <= MAX_STEM + len(".xlsx")


@given(st.text(), st.text(), st.text(), st.text(max_size=40))
def test_any_typed_names_make_a_safe_bounded_file_name(
    client: str, project: str, estimate: str, number: str
) -> None:
    got = name(client=client, project=project, estimate=estimate, quote_number=number, what="cost sheet")
    assert got.endswith(".xlsx") and not UNSAFE.search(got)
    stem = got[: -len(".xlsx")]
    assert stem and stem == stem.strip(" .") and not RESERVED.match(stem)
    assert len(stem) <= MAX_STEM and len(got.encode("utf-8")) <= 255


@pytest.fixture
def doc(demo_db: Database, full_booth_id: uuid.UUID) -> EstimateDocument:
    return EstimateDocument(demo_db, full_booth_id)


def test_the_open_estimate_is_named_at_the_revision_it_stands_at(
    demo_db: Database, doc: EstimateDocument
) -> None:
    assert estimate_file_name(demo_db, doc) == "Vantage @ MedTech Expo – Full booth – quote draft.xlsx"
    sent = send_quote(demo_db, doc, "dana")
    number = sent.quote_number
    assert estimate_file_name(demo_db, doc) == f"{number} rev 1 – Vantage @ MedTech Expo.xlsx"
    send_quote(demo_db, doc, "dana")
    assert (
        estimate_file_name(demo_db, doc, "cost sheet")
        == f"{number} rev 2 – Vantage @ MedTech Expo – cost sheet.xlsx"
    )
    doc.set_estimate_fields({"discount_pct": Decimal(5)})  # changed since: the next revision, a draft
    assert (
        estimate_file_name(demo_db, doc, suffix=".pdf")
        == f"{number} rev 3 draft – Vantage @ MedTech Expo.pdf"
    )
